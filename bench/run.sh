#!/bin/bash
# The foundation benchmarks: async against floors measured in the same hyperfine run.
#
#   a) `async doc new "Bench title" --no-edit` (1,000-item workspace) vs `adr new "Bench title"`
#      (1,000 adr-tools records)                      target: async <= 0.5 x adr-tools
#   b) `async --version` vs `git --version` vs `true` target: async <= 2 x git
#   c) `async templates` (in a 10,000-item workspace) vs `true`
#                                                     target: < 30 ms (PRODUCT.md read-command
#                                                     bar) and, checked with strace, no index,
#                                                     no config and no document is opened
#
# Usage: bench/run.sh        (run by hand; never from ctest: benchmarks are not tests)
# Environment: ASYNC=/path/to/async (default: build-bench/cmd/async, a Release build),
#   RUNS (default 100, benchmark a), FAST_RUNS (default 1000, b and c), WARMUP (default 10),
#   RESULTS_DIR (default bench/results), COMMIT (the label to record when ASYNC was built from
#   another tree than this one, e.g. a `git archive` of one commit).
# Everything runs in a private mktemp directory (removed at exit) with a private HOME and
# XDG dirs, TZ=UTC, ASYNC_USER and ASYNC_NOW pinned, and no other environment at all.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
ASYNC=${ASYNC:-$root/build-bench/cmd/async}
RUNS=${RUNS:-100}
FAST_RUNS=${FAST_RUNS:-1000}
WARMUP=${WARMUP:-10}
results=${RESULTS_DIR:-$here/results}
now=2026-11-26T10:15:00Z
title="Bench title"

die() { echo "bench/run.sh: $*" >&2; exit 1; }

case $ASYNC in /*) ;; *) ASYNC=$(pwd)/$ASYNC ;; esac
[ -x "$ASYNC" ] || die "no async binary at '$ASYNC'; build it: cmake -S $root -B $root/build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DASYNC_TESTS=OFF && cmake --build $root/build-bench -j2"
for tool in hyperfine adr git python3 true; do
    command -v "$tool" >/dev/null || die "'$tool' is not installed (see scripts/install-deps.sh)"
done
hyperfine=$(command -v hyperfine)

work=$(mktemp -d "${TMPDIR:-/tmp}/async-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
case $work$ASYNC in *"'"* | *" "*) die "paths with spaces or quotes are not supported: '$work', '$ASYNC'" ;; esac
mkdir -p "$results" "$work/home/.config" "$work/home/.local/share" "$work/home/.cache" "$work/home/.local/state"

# No variable of the caller's environment reaches a benchmarked command.
clean_env=(env -i
    "PATH=/usr/local/bin:/usr/bin:/bin"
    "HOME=$work/home"
    "XDG_CONFIG_HOME=$work/home/.config"
    "XDG_DATA_HOME=$work/home/.local/share"
    "XDG_CACHE_HOME=$work/home/.cache"
    "XDG_STATE_HOME=$work/home/.local/state"
    "TZ=UTC" "LANG=C.UTF-8" "TERM=dumb"
    "ASYNC_USER=bench" "ASYNC_NOW=$now"
    "EDITOR=true"
    "GIT_CONFIG_NOSYSTEM=1")

# --- corpora --------------------------------------------------------------------------------
# One folder holds both the async workspace (.async/, docs/, meetings/) and the adr-tools
# records (.adr-dir, doc/adr/): each tool finds its marker in the current folder at the first
# look, and neither reads the other's files.
proj=$work/proj
python3 "$here/gen_corpus.py" --docs 1000 "$proj"
python3 "$here/gen_corpus.py" --adr 1000 --force "$proj"
big=$work/big
python3 "$here/gen_corpus.py" --docs 10000 "$big"

async_new=$proj/docs/2026-11-26-bench-title
adr_new=$proj/doc/adr/1001-bench-title.md
count_state() {
    echo "$(find "$proj/docs" "$proj/meetings" -mindepth 1 -maxdepth 1 | wc -l) items, $(find "$proj/doc/adr" -name '*.md' | wc -l) records"
}
before=$(count_state)

# Each command must create exactly the path its --prepare deletes, or the folders would grow.
cd "$proj"
out=$("${clean_env[@]}" "$ASYNC" doc new "$title" --no-edit)
[ -f "$async_new/index.md" ] || die "async doc new wrote '$out', expected $async_new/index.md"
out=$("${clean_env[@]}" adr new "$title")
[ -f "$adr_new" ] || die "adr new wrote '$out', expected $adr_new"
rm -rf "$async_new" "$adr_new"

stamp=$(date -u +%Y-%m-%dT%H:%M:%SZ)
summary=$results/summary.txt
{
    echo "date: $stamp"
    if [ -n "${COMMIT:-}" ]; then
        echo "commit: $COMMIT (given in COMMIT)"
    else
        echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$([ -z "$(git -C "$root" status --porcelain -- lib cmd templates CMakeLists.txt 2>/dev/null)" ] || echo ' + uncommitted changes in lib/ cmd/ templates/')"
    fi
    echo "async: $ASYNC ($("$ASYNC" --version), sha256 $(sha256sum "$ASYNC" | cut -c1-12))"
    echo "nproc: $(nproc); cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); debian: $(cat /etc/debian_version 2>/dev/null || echo unknown); kernel: $(uname -r)"
    echo "fs of the work dir: $(df -T "$work" | awk 'NR==2 {print $2}')"
    echo "tools: $("$hyperfine" --version), $(git --version), adr-tools $(dpkg-query -W -f '${Version}' adr-tools 2>/dev/null || echo '?')"
} >"$summary"
cat "$summary"

bench() { # bench NAME [hyperfine args...]: runs in the clean environment, exports md + json
    local name=$1
    shift
    echo "--- $name (load average before: $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$summary"
    "${clean_env[@]}" "$hyperfine" -N --time-unit millisecond \
        --export-json "$results/$name.json" --export-markdown "$results/$name.md" "$@"
    echo "    load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$summary"
}

# --- a) doc new vs adr new ------------------------------------------------------------------
# Fairness: before every run (warm-up runs included) --prepare deletes what the previous run
# created, so each timed run starts from exactly 1,000 items / 1,000 records and creates the
# 1,001st. Neither folder grows (adr new's `ls | grep | sort` is O(records); async's bundle
# naming would try -2, -3, … if the folder stayed). The deletion is not timed and is one `rm`
# for both. EDITOR=true: adr-tools runs it as a bash builtin; async --no-edit opens no editor.
# async fsyncs the new file and its folder (PRODUCT.md: nothing lost); adr-tools does not.
bench doc_new --warmup "$WARMUP" --runs "$RUNS" \
    -n "async doc new" --prepare "rm -rf $async_new" "$ASYNC doc new '$title' --no-edit" \
    -n "adr new" --prepare "rm -f $adr_new" "adr new '$title'" \
    --cleanup "rm -rf $async_new $adr_new"
after=$(count_state)
[ "$before" = "$after" ] || die "the corpus changed during the benchmark: before $before, after $after"
echo "    corpus before and after: $after" | tee -a "$summary"

# How much of async doc new is waiting for the disk (fsync of the file and of its folder).
if command -v strace >/dev/null; then
    for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        rm -rf "$async_new"
        "${clean_env[@]}" strace -qq -T -e trace=fsync,fdatasync -o "$work/fsync.$i" \
            "$ASYNC" doc new "$title" --no-edit >/dev/null
    done
    rm -rf "$async_new"
    cat "$work"/fsync.* | python3 -c '
import re, sys
t = [float(m.group(1)) for l in sys.stdin for m in [re.search(r"<([0-9.]+)>$", l)] if m]
print(f"    strace async doc new (20 runs): {len(t) / 20:.0f} fsync calls per run, {sum(t) / 20 * 1e3:.2f} ms per run waiting in fsync")
' | tee -a "$summary"
fi

# --- b) process start: --version ------------------------------------------------------------
bench version --warmup "$WARMUP" --runs "$FAST_RUNS" \
    -n "async --version" "$ASYNC --version" \
    -n "git --version" "git --version" \
    -n "true" "true"

# CPU time of process start, insensitive to other load on the machine (perf stat task-clock).
if command -v perf >/dev/null && perf stat -e task-clock true >/dev/null 2>&1; then
    for cmd in "$ASYNC --version" "git --version" "true"; do
        # shellcheck disable=SC2086 # the command is split into words on purpose
        "${clean_env[@]}" perf stat -r 300 -e task-clock,page-faults $cmd 2>&1 >/dev/null |
            awk -v c="$cmd" '/task-clock/ {t=$1} /page-faults/ {p=$1} END {printf "    perf stat %s: %s ms CPU (task-clock), %s page faults\n", c, t, p}'
    done | tee -a "$summary"
fi

# --- c) templates: no workspace, no index ---------------------------------------------------
cd "$big"
bench templates --warmup "$WARMUP" --runs "$FAST_RUNS" \
    -n "async templates" "$ASYNC templates" \
    -n "true" "true"

# What `async templates` touches (evidence for "opens no workspace and no index").
if command -v strace >/dev/null; then
    "${clean_env[@]}" strace -f -qq -e trace=%file,%process,getdents64 -o "$work/templates.strace" \
        "$ASYNC" templates >/dev/null
    python3 - "$work/templates.strace" "$big" <<'EOF' | tee -a "$summary"
import re, sys
log, ws = open(sys.argv[1]).read().splitlines(), sys.argv[2]
opened = [m.group(1) for l in log for m in [re.search(r'open(?:at)?\(.*?"([^"]+)"', l)] if m and "= -1" not in l]
looked = [m.group(1) for l in log for m in [re.search(r'"([^"]*)"', l)] if m]
in_ws = sorted({p for p in looked if p.startswith(ws)})
bad = [p for p in in_ws if re.search(r"index\.db|/docs|/meetings|config\.toml", p)]
execs = [l for l in log if "execve(" in l]
print(f"    strace async templates: {len(opened)} files opened, {len(execs)} execve, paths in the workspace looked at: {in_ws}")
print(f"    opens no index, no config, no document: {'yes' if not bad else 'NO: ' + ', '.join(bad)}")
EOF
fi

# --- ratios ---------------------------------------------------------------------------------
# The verdict uses the ratio of the means; its ± is the standard error (from each mean's
# standard error). Medians, minima (the least disturbed runs) and CPU time (user+system, from
# hyperfine's rusage) are printed beside it, and the line says whether they all agree.
python3 - "$results" <<'EOF' | tee -a "$summary"
import json, math, sys
d = sys.argv[1]
def load(name):
    return {r["command"]: r for r in json.load(open(f"{d}/{name}.json"))["results"]}
def ms(r):
    return (f"mean {r['mean'] * 1e3:.2f} ms (sd {r['stddev'] * 1e3:.2f}, median {r['median'] * 1e3:.2f}, "
            f"min {r['min'] * 1e3:.2f}, {len(r['times'])} runs)")
def compare(label, a, b, target):
    r = a["mean"] / b["mean"]
    se = r * math.hypot(a["stddev"] / a["mean"] / math.sqrt(len(a["times"])),
                        b["stddev"] / b["mean"] / math.sqrt(len(b["times"])))
    others = {"medians": a["median"] / b["median"], "minima": a["min"] / b["min"],
              "CPU": (a["user"] + a["system"]) / (b["user"] + b["system"])}
    print(f"{label} {a['command']}: {ms(a)}")
    print(f"   / {b['command']}: {ms(b)}")
    line = f"   = {r:.2f} ± {se:.2f} (" + ", ".join(f"{k} {v:.2f}" for k, v in others.items()) + ")"
    if target is not None:
        agree = all((v <= target) == (r <= target) for v in others.values())
        line += f"; target <= {target}: {'MET' if r <= target else 'NOT MET'}"
        line += "" if agree else " (the statistics disagree)"
    print(line)

a, v, t = load("doc_new"), load("version"), load("templates")
print("--- ratios (ratio of means ± standard error; medians, minima and CPU time beside)")
compare("a)", a["async doc new"], a["adr new"], 0.5)
compare("b)", v["async --version"], v["git --version"], 2)
compare("  ", v["async --version"], v["true"], None)
compare("c)", t["async templates"], t["true"], None)
tm = t["async templates"]["mean"] * 1e3
print(f"   {tm - t['true']['mean'] * 1e3:.2f} ms over process start; target < 30 ms: {'MET' if tm < 30 else 'NOT MET'}")
EOF
echo "results: $results (summary.txt, *.md, *.json)"

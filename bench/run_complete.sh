#!/bin/bash
# The completion benchmark: the hidden `async __complete KIND` the shell completions call on
# every Tab, at N=10,000 items, against floors measured in the same hyperfine run:
#
#   - `git --version` and `true` (process start),
#   - the old path the completions took before `__complete`: `async list` (ids), `async actions`
#     (action handles) and `async inbox --all` (inbox items), each with its no-op refresh.
#
#   goal (issue 9): "answers in a few milliseconds" — no target ratio; the numbers are recorded
#   in bench/RESULTS.md as measured.
#
# ASYNC_USER is alice, who owes reviews and responses and owns open actions in the corpus, so
# `items` has something to rank. The index is built once beforehand (untimed) and every timed
# command finds it up to date.
#
# Usage: bench/run_complete.sh     (run by hand; never from ctest: benchmarks are not tests)
# Environment: ASYNC=/path/to/async (default: build-bench/cmd/async, a Release build),
#   N (default 10000), RUNS (default 30), WARMUP (default 3), RESULTS_DIR (default
#   bench/results), COMMIT (the label to record when ASYNC was built from another tree).
# Everything runs in a private mktemp directory (removed at exit) with a private HOME and XDG
# dirs, TZ=UTC, ASYNC_USER and ASYNC_NOW pinned, and no other environment at all.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
ASYNC=${ASYNC:-$root/build-bench/cmd/async}
N=${N:-10000}
RUNS=${RUNS:-30}
WARMUP=${WARMUP:-3}
results=${RESULTS_DIR:-$here/results}
now=2026-11-26T10:15:00Z

die() { echo "bench/run_complete.sh: $*" >&2; exit 1; }

case $ASYNC in /*) ;; *) ASYNC=$(pwd)/$ASYNC ;; esac
[ -x "$ASYNC" ] || die "no async binary at '$ASYNC'; build it: cmake -S $root -B $root/build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DASYNC_TESTS=OFF && cmake --build $root/build-bench -j2"
for tool in hyperfine git python3 true; do
    command -v "$tool" >/dev/null || die "'$tool' is not installed (see scripts/install-deps.sh)"
done
hyperfine=$(command -v hyperfine)

work=$(mktemp -d "${TMPDIR:-/tmp}/async-bench-complete.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
case $work$ASYNC in *"'"* | *" "*) die "paths with spaces or quotes are not supported: '$work', '$ASYNC'" ;; esac
mkdir -p "$results" "$work/home/.config" "$work/home/.local/share" "$work/home/.cache"

clean_env=(env -i
    "PATH=/usr/local/bin:/usr/bin:/bin"
    "HOME=$work/home"
    "XDG_CONFIG_HOME=$work/home/.config"
    "XDG_DATA_HOME=$work/home/.local/share"
    "XDG_CACHE_HOME=$work/home/.cache"
    "TZ=UTC" "LANG=C.UTF-8" "TERM=dumb"
    "ASYNC_USER=alice" "ASYNC_NOW=$now"
    "GIT_CONFIG_NOSYSTEM=1")
run() { "${clean_env[@]}" "$@"; }

summary=$results/complete_summary.txt
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    if [ -n "${COMMIT:-}" ]; then
        echo "commit: $COMMIT (given in COMMIT)"
    else
        echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$([ -z "$(git -C "$root" status --porcelain -- lib cmd 2>/dev/null)" ] || echo ' + uncommitted changes in lib/ cmd/')"
    fi
    echo "async: $ASYNC ($("$ASYNC" --version), sha256 $(sha256sum "$ASYNC" | cut -c1-12))"
    echo "nproc: $(nproc); cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); kernel: $(uname -r)"
    echo "tools: $("$hyperfine" --version), $(git --version)"
    echo "N=$N RUNS=$RUNS WARMUP=$WARMUP"
} >"$summary"
cat "$summary"

ws=$work/ws
python3 "$here/gen_corpus.py" --docs "$N" "$ws" >/dev/null
cd "$ws"
run "$ASYNC" index >/dev/null
out=$(run "$ASYNC" index --json)
case $out in *'"parsed":0,"removed":0,"problems":[]'*) ;; *) die "the refresh is not a no-op: $out" ;; esac

# How many candidates each prints (the old paths print a table: lines, not candidates).
for cmd in "__complete ids" "__complete ids k" "__complete meetings" "__complete actions" "__complete items" \
    "list" "actions" "inbox --all"; do
    # shellcheck disable=SC2086 # split into words on purpose
    echo "    async $cmd: $(run "$ASYNC" $cmd | wc -l) lines, $(run "$ASYNC" $cmd | wc -c) bytes" | tee -a "$summary"
done
[ "$(run "$ASYNC" __complete ids | wc -l)" -ge "$((N * 8 / 10))" ] || die "__complete ids lists too few ids"
[ "$(run "$ASYNC" __complete actions | wc -l)" -gt 0 ] || die "__complete actions lists nothing"
[ "$(run "$ASYNC" __complete items | wc -l)" -gt 0 ] || die "__complete items lists nothing"

echo "--- complete (load average before: $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$summary"
run "$hyperfine" -N --time-unit millisecond --warmup "$WARMUP" --runs "$RUNS" \
    --export-json "$results/complete.json" --export-markdown "$results/complete.md" \
    -n "true" "true" \
    -n "git --version" "git --version" \
    -n "async --version" "$ASYNC --version" \
    -n "async __complete ids" "$ASYNC __complete ids" \
    -n "async __complete ids k" "$ASYNC __complete ids k" \
    -n "async __complete meetings" "$ASYNC __complete meetings" \
    -n "async __complete actions" "$ASYNC __complete actions" \
    -n "async __complete items" "$ASYNC __complete items" \
    -n "async __complete handles" "$ASYNC __complete handles" \
    -n "async list (old ids path)" "$ASYNC list" \
    -n "async actions (old handles path)" "$ASYNC actions" \
    -n "async inbox --all (old items path)" "$ASYNC inbox --all"
echo "    load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$summary"

python3 - "$results/complete.json" <<'EOF' | tee -a "$summary"
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
def ms(x):
    return (f"mean {x['mean'] * 1e3:.2f} ms (sd {x['stddev'] * 1e3:.2f}, median {x['median'] * 1e3:.2f}, "
            f"min {x['min'] * 1e3:.2f}, CPU {(x['user'] + x['system']) * 1e3:.2f})")
floor = r["git --version"]
for name, x in r.items():
    print(f"{name}: {ms(x)}; x git --version (means): {x['mean'] / floor['mean']:.2f}")
for new, old in [("async __complete ids", "async list (old ids path)"),
                 ("async __complete actions", "async actions (old handles path)"),
                 ("async __complete items", "async inbox --all (old items path)")]:
    print(f"{new} / {old}: means {r[new]['mean'] / r[old]['mean']:.2f}, medians {r[new]['median'] / r[old]['median']:.2f}")
EOF
echo "results: $results (complete_summary.txt, complete.md, complete.json)"

#!/bin/bash
# The index benchmarks: async's read commands, search and indexing against floors measured in
# the same hyperfine run (numbered like the targets of the index issue; 5 is run.sh's b).
#
#   1) `async list --limit 20` (its no-op refresh included, the index already built) vs
#      `git status` on the same tree committed to git, at N=10,000 items
#                                          target: async <= 1.5 x git status, and < 30 ms
#                                          (PRODUCT.md: every read command at 10,000 documents)
#   2) `async search WORD` vs `rg -l -i WORD docs meetings` (the same files), for a common
#      word (in most items), a mid-frequency one (marzipan, N/100 items) and a rare one
#      (quixotically, one item); `async index` (the no-op refresh alone) is timed beside them
#                                          target: async < 1 x rg at 10,000, <= 1/3 x rg at
#                                          100,000
#   3) `async index --full` (index already built) and a first-time `async index` (--prepare
#      deletes .async/index.db*) vs the sqlite3 shell loading the same files into an FTS5
#      table (title, body) in one transaction (--prepare deletes its db)
#                                          target: async <= 1.5 x sqlite3, at 10,000 and
#                                          100,000
#   4) peak memory (max RSS, /usr/bin/time -f %M) of `async index --full` and of the no-op
#      refresh at 100,000 items           target: < 100 MB (10^8 bytes)
#
# Usage: bench/run_index.sh     (run by hand; never from ctest: benchmarks are not tests)
# Environment: ASYNC=/path/to/async (default: build-bench/cmd/async, a Release build),
#   N (default 10000), BIG (default 100000; 0 skips every 100,000-item benchmark),
#   COMMON (the common word, default "release"), LIST_RUNS (default 50), SEARCH_RUNS (default
#   20), BIG_SEARCH_RUNS (default 5), INDEX_RUNS (default 5), BIG_INDEX_RUNS (default 3),
#   WARMUP (default 3, for list and search at N; search at BIG warms up once, the index
#   builds once at N and not at all at BIG), RESULTS_DIR (default bench/results),
#   COMMIT (the label to record when ASYNC was built from another tree than this one).
# About 17 minutes on 2 busy cores, 14 of them at 100,000 items (BIG=0: about 4 minutes);
# needs ~3.5 GB in TMPDIR.
# Everything runs in a private mktemp directory (removed at exit) with a private HOME and
# XDG dirs, TZ=UTC, ASYNC_USER and ASYNC_NOW pinned, and no other environment at all.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
ASYNC=${ASYNC:-$root/build-bench/cmd/async}
N=${N:-10000}
BIG=${BIG:-100000}
COMMON=${COMMON:-release}
LIST_RUNS=${LIST_RUNS:-50}
SEARCH_RUNS=${SEARCH_RUNS:-20}
BIG_SEARCH_RUNS=${BIG_SEARCH_RUNS:-5}
INDEX_RUNS=${INDEX_RUNS:-5}
BIG_INDEX_RUNS=${BIG_INDEX_RUNS:-3}
WARMUP=${WARMUP:-3}
results=${RESULTS_DIR:-$here/results}
now=2026-11-26T10:15:00Z
words="$COMMON marzipan quixotically"

die() { echo "bench/run_index.sh: $*" >&2; exit 1; }

case $ASYNC in /*) ;; *) ASYNC=$(pwd)/$ASYNC ;; esac
[ -x "$ASYNC" ] || die "no async binary at '$ASYNC'; build it: cmake -S $root -B $root/build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DASYNC_TESTS=OFF && cmake --build $root/build-bench -j2"
for tool in hyperfine git rg sqlite3 python3 true; do
    command -v "$tool" >/dev/null || die "'$tool' is not installed (see scripts/install-deps.sh)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is not installed"
hyperfine=$(command -v hyperfine)
sqlite3 :memory: "CREATE VIRTUAL TABLE t USING fts5(a); SELECT length(readfile('/dev/null'));" >/dev/null 2>&1 ||
    die "this sqlite3 shell lacks FTS5 or readfile()"

work=$(mktemp -d "${TMPDIR:-/tmp}/async-bench-index.XXXXXX")
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
run() { "${clean_env[@]}" "$@"; }

stamp=$(date -u +%Y-%m-%dT%H:%M:%SZ)
summary=$results/index_summary.txt
{
    echo "date: $stamp"
    if [ -n "${COMMIT:-}" ]; then
        echo "commit: $COMMIT (given in COMMIT)"
    else
        echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$([ -z "$(git -C "$root" status --porcelain -- lib cmd templates CMakeLists.txt 2>/dev/null)" ] || echo ' + uncommitted changes in lib/ cmd/ templates/')"
    fi
    echo "async: $ASYNC ($("$ASYNC" --version), sha256 $(sha256sum "$ASYNC" | cut -c1-12))"
    echo "nproc: $(nproc); cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); debian: $(cat /etc/debian_version 2>/dev/null || echo unknown); kernel: $(uname -r)"
    echo "fs of the work dir: $(df -T "$work" | awk 'NR==2 {print $2}'); free: $(df -h "$work" | awk 'NR==2 {print $4}')"
    echo "tools: $("$hyperfine" --version), $(git --version), $(rg --version | head -1), sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
    echo "N=$N BIG=$BIG words: $words"
} >"$summary"
cat "$summary"

bench() { # bench NAME [hyperfine args...]: runs in the clean environment, exports md + json
    local name=$1
    shift
    echo "--- $name (load average before: $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$summary"
    run "$hyperfine" -N --time-unit millisecond \
        --export-json "$results/$name.json" --export-markdown "$results/$name.md" "$@"
    echo "    load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$summary"
}

# The floor of 3): one SQL script per corpus that loads every file async indexes (the .md
# files under docs/ and meetings/; the corpus has no transcripts) into a fresh FTS5 table in
# one transaction. The paths are listed beforehand (multi-row INSERTs into a temp table), so
# the timed script only reads files and inserts. Same tokenizer as async's index; the title
# column holds the path, the body the whole file (front matter included).
write_load_sql() { # write_load_sql WORKSPACE OUT.sql
    (cd "$1" && find docs meetings -name '*.md' -type f | LC_ALL=C sort) | python3 -c '
import sys
paths = [p for p in sys.stdin.read().split("\n") if p]
out = ["CREATE TEMP TABLE paths(path TEXT);"]
for i in range(0, len(paths), 500):
    out.append("INSERT INTO paths(path) VALUES " +
               ",".join("(\x27" + p.replace("\x27", "\x27\x27") + "\x27)" for p in paths[i:i + 500]) + ";")
out += ["BEGIN;",
        "CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize = \x27unicode61 remove_diacritics 2\x27);",
        "INSERT INTO fts(title, body) SELECT path, CAST(readfile(path) AS TEXT) FROM paths;",
        "COMMIT;"]
sys.stdout.write("\n".join(out) + "\n")
print(len(paths), file=sys.stderr)
' >"$2" 2>"$2.count"
}

# Checks that async indexed every file and that a refresh now has nothing to do.
check_noop() { # check_noop WORKSPACE FILES
    local out
    out=$(cd "$1" && run "$ASYNC" index --json)
    case $out in *'"scanned":'"$2"',"parsed":0,"removed":0,"problems":[]'*) ;;
        *) die "expected a no-op refresh of $2 files in $1, got: $out" ;; esac
}

# rg -l -i and async search must both find the marker words where the generator put them.
check_words() { # check_words WORKSPACE ITEMS
    local ws=$1 n=$2 w c want
    for w in $words; do
        c=$(cd "$ws" && run rg -l -i "$w" docs meetings | wc -l)
        case $w in
            quixotically) want=1 ;;
            marzipan) want=$((n / 100 + (n % 100 > 42 ? 1 : 0))) ;;
            *) want= ;;
        esac
        [ -z "$want" ] || [ "$c" = "$want" ] || die "rg finds '$w' in $c files of $ws, the generator says $want"
        (cd "$ws" && run "$ASYNC" search "$w" >/dev/null) || die "async search '$w' found nothing in $ws"
        echo "    '$w' is in $c of $(cat "$work/load.$n.sql.count") files (rg -l -i)" | tee -a "$summary"
    done
}

# --- corpus of N items, committed to git ------------------------------------------------------
ws=$work/ws
python3 "$here/gen_corpus.py" --docs "$N" "$ws"
write_load_sql "$ws" "$work/load.$N.sql"
files=$(cat "$work/load.$N.sql.count")
cd "$ws"
run git -c init.defaultBranch=main init -q
run git config gc.auto 0 # no background repack on the cores being measured
run git add -A
run git -c user.name=bench -c user.email=bench@example.com commit -q -m corpus
run git status >/dev/null # refreshes git's index once, untimed
[ -z "$(run git status --porcelain)" ] || die "git status is not clean after the commit"
run "$ASYNC" index >/dev/null
check_noop "$ws" "$files"
[ -z "$(run git status --porcelain)" ] || die "async's index is not git-ignored"

# --- 1) list vs git status ------------------------------------------------------------------
bench index_list --warmup "$WARMUP" --runs "$LIST_RUNS" \
    -n "async list --limit 20" "$ASYNC list --limit 20" \
    -n "git status" "git status" \
    -n "true" "true"
check_noop "$ws" "$files"

# CPU time (perf stat task-clock) and syscalls (strace -c) of both: less sensitive to the load.
if command -v perf >/dev/null && perf stat -e task-clock true >/dev/null 2>&1; then
    for cmd in "$ASYNC list --limit 20" "git status"; do
        # shellcheck disable=SC2086 # the command is split into words on purpose
        run perf stat -r 20 -e task-clock,page-faults $cmd 2>&1 >/dev/null |
            awk -v c="$cmd" '/task-clock/ {t=$1; u=$5} /page-faults/ {p=$1} END {printf "    perf stat %s: %s ms CPU (task-clock, %s CPUs), %s page faults\n", c, t, u, p}'
    done | tee -a "$summary"
fi
if command -v strace >/dev/null; then
    for cmd in "$ASYNC list --limit 20" "git status"; do
        # shellcheck disable=SC2086
        run strace -f -c -o "$work/strace.txt" $cmd >/dev/null 2>&1
        awk -v c="$cmd" '$NF ~ /^[a-z_0-9]+$/ && $1 ~ /^[0-9.]+$/ && $NF != "syscall" && $NF != "total" {n += $4; if ($4 > 1000) s = s " " $NF "=" $4} END {printf "    strace -c %s: %d syscalls (over 1000: %s)\n", c, n, s}' "$work/strace.txt"
    done | tee -a "$summary"
fi

# --- 2) search vs rg ------------------------------------------------------------------------
check_words "$ws" "$N"
search_bench() { # search_bench NAME RUNS WARMUP
    local name=$1 runs=$2 warm=$3 w args=()
    args+=(-n "async index (no-op refresh)" "$ASYNC index")
    for w in $words; do
        args+=(-n "async search $w" "$ASYNC search $w" -n "rg -l -i $w" "rg -l -i $w docs meetings")
    done
    bench "$name" --warmup "$warm" --runs "$runs" "${args[@]}"
}
search_bench index_search_"$N" "$SEARCH_RUNS" "$WARMUP"

# --- 3) full index vs sqlite3 FTS5 load -----------------------------------------------------
db_files() { echo "$1/.async/index.db $1/.async/index.db-wal $1/.async/index.db-shm $1/.async/index.db-journal"; }
index_bench() { # index_bench NAME WORKSPACE RUNS WARMUP
    local name=$1 w=$2 runs=$3 warm=$4 n
    n=$(basename "$name" | sed 's/.*_//')
    cd "$w"
    bench "$name" --warmup "$warm" --runs "$runs" \
        -n "async index --full" --prepare true "$ASYNC index --full" \
        -n "async index (first time)" --prepare "rm -f $(db_files "$w")" "$ASYNC index" \
        -n "sqlite3 FTS5 load" --prepare "rm -f $work/floor.db $work/floor.db-journal $work/floor.db-wal" \
        "sqlite3 $work/floor.db '.read $work/load.$n.sql'"
    [ "$(sqlite3 "$work/floor.db" 'SELECT count(*) FROM fts')" = "$(cat "$work/load.$n.sql.count")" ] ||
        die "the sqlite3 floor did not load every file"
    check_noop "$w" "$(cat "$work/load.$n.sql.count")"
}
index_bench index_build_"$N" "$ws" "$INDEX_RUNS" 1

# Where the first-time index spends its system calls, against the floor (strace -c).
if command -v strace >/dev/null; then
    # shellcheck disable=SC2046 # db_files lists several paths
    rm -f $(db_files "$ws") "$work/floor.db"
    run strace -c -o "$work/strace.async" "$ASYNC" index >/dev/null
    run strace -c -o "$work/strace.floor" sqlite3 "$work/floor.db" ".read $work/load.$N.sql"
    for t in async floor; do
        awk -v c="$t" '$NF ~ /^[a-z_0-9]+$/ && $1 ~ /^[0-9.]+$/ && $NF != "syscall" && $NF != "total" {n += $4; if ($4 > 1000) s = s " " $NF "=" $4} END {printf "    strace -c first-time index, %s: %d syscalls (over 1000: %s)\n", c, n, s}' "$work/strace.$t"
    done | tee -a "$summary"
    echo "    db sizes: async $(stat -c %s "$ws/.async/index.db") bytes, floor $(stat -c %s "$work/floor.db") bytes" | tee -a "$summary"
fi

# Peak memory at N (for comparison with the 100,000-item figures below).
maxrss() { # maxrss LABEL COMMAND...: max RSS in KB, elapsed, user and system time
    local label=$1
    shift
    run /usr/bin/time -f '%M %e %U %S' -o "$work/time.txt" "$@" >/dev/null
    awk -v l="$label" '{printf "    max RSS %s: %d KB (%.1f MiB); %.2f s elapsed, %.2f s user, %.2f s system\n", l, $1, $1 / 1024, $2, $3, $4}' "$work/time.txt" | tee -a "$summary"
}
maxrss "async index --full, $N items" "$ASYNC" index --full
maxrss "async index (no-op), $N items" "$ASYNC" index
maxrss "async list --limit 20, $N items" "$ASYNC" list --limit 20
maxrss "sqlite3 FTS5 load, $N items" sh -c "rm -f $work/floor.db && exec sqlite3 $work/floor.db '.read $work/load.$N.sql'"

# --- the same at BIG items: 4) memory, 2) search, 3) index ---------------------------------
if [ "$BIG" -gt 0 ]; then
    cd "$work"
    rm -rf "$ws" "$work/floor.db"
    bigws=$work/big
    python3 "$here/gen_corpus.py" --docs "$BIG" "$bigws"
    write_load_sql "$bigws" "$work/load.$BIG.sql"
    cd "$bigws"
    maxrss "async index (first time), $BIG items" "$ASYNC" index
    maxrss "async index --full, $BIG items" "$ASYNC" index --full
    maxrss "async index (no-op), $BIG items" "$ASYNC" index
    check_noop "$bigws" "$(cat "$work/load.$BIG.sql.count")"
    check_words "$bigws" "$BIG"
    search_bench index_search_"$BIG" "$BIG_SEARCH_RUNS" 1
    index_bench index_build_"$BIG" "$bigws" "$BIG_INDEX_RUNS" 0
    maxrss "sqlite3 FTS5 load, $BIG items" sh -c "rm -f $work/floor.db && exec sqlite3 $work/floor.db '.read $work/load.$BIG.sql'"
fi

# --- ratios ---------------------------------------------------------------------------------
# As in run.sh: the verdict uses the ratio of the means, ± its standard error; medians, minima
# and CPU time (user+system from hyperfine's rusage) beside it, and whether they all agree.
python3 - "$results" "$N" "$BIG" "$COMMON" "$summary" <<'EOF' | tee -a "$summary"
import json, math, os, re, sys
d, n, big, common, summary = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
def load(name):
    return {r["command"]: r for r in json.load(open(f"{d}/{name}.json"))["results"]}
def ms(r):
    return (f"mean {r['mean'] * 1e3:.2f} ms (sd {r['stddev'] * 1e3:.2f}, median {r['median'] * 1e3:.2f}, "
            f"min {r['min'] * 1e3:.2f}, CPU {(r['user'] + r['system']) * 1e3:.2f}, {len(r['times'])} runs)")
def compare(label, a, b, target, below=False):
    r = a["mean"] / b["mean"]
    se = r * math.hypot(a["stddev"] / a["mean"] / math.sqrt(len(a["times"])),
                        b["stddev"] / b["mean"] / math.sqrt(len(b["times"])))
    others = {"medians": a["median"] / b["median"], "minima": a["min"] / b["min"],
              "CPU": (a["user"] + a["system"]) / (b["user"] + b["system"])}
    print(f"{label} {a['command']}: {ms(a)}")
    print(f"   / {b['command']}: {ms(b)}")
    line = f"   = {r:.2f} ± {se:.2f} (" + ", ".join(f"{k} {v:.2f}" for k, v in others.items()) + ")"
    if target is not None:
        ok = (lambda v: v < target) if below else (lambda v: v <= target)
        agree = all(ok(v) == ok(r) for v in others.values())
        line += f"; target {'<' if below else '<='} {target:.2f}: {'MET' if ok(r) else 'NOT MET'}"
        line += "" if agree else " (the statistics disagree)"
    print(line)

print("--- ratios (ratio of means ± standard error; medians, minima and CPU time beside)")
l = load("index_list")
compare("1)", l["async list --limit 20"], l["git status"], 1.5)
lm = l["async list --limit 20"]["mean"] * 1e3
print(f"   absolute: mean {lm:.2f} ms, median {l['async list --limit 20']['median'] * 1e3:.2f} ms, "
      f"min {l['async list --limit 20']['min'] * 1e3:.2f} ms; target < 30 ms: {'MET' if lm < 30 else 'NOT MET'}")
for size, target in [(n, 1.0)] + ([(str(big), 1 / 3)] if big else []):
    s = load(f"index_search_{size}")
    for w in (common, "marzipan", "quixotically"):
        compare(f"2) {size} items:", s[f"async search {w}"], s[f"rg -l -i {w}"], target, below=target == 1.0)
    compare(f"   {size} items, the refresh alone:", s["async index (no-op refresh)"], s[f"rg -l -i {common}"], None)
for size in [n] + ([str(big)] if big else []):
    b = load(f"index_build_{size}")
    compare(f"3) {size} items:", b["async index --full"], b["sqlite3 FTS5 load"], 1.5)
    compare(f"3) {size} items:", b["async index (first time)"], b["sqlite3 FTS5 load"], 1.5)
if big:
    rss = {m.group(1): int(m.group(2)) for line in open(summary)
           for m in [re.search(r"max RSS (.*?): (\d+) KB", line)] if m}
    for label in (f"async index --full, {big} items", f"async index (no-op), {big} items"):
        kb = rss[label]
        # GNU time's %M is in KiB; the target is 100 MB = 10^8 bytes (97,656 KiB), the stricter reading.
        print(f"4) max RSS {label}: {kb} KiB = {kb * 1024 / 1e6:.1f} MB; target < 100 MB: {'MET' if kb * 1024 < 100e6 else 'NOT MET'}")
print("5) async --version vs git --version: see bench/run.sh (b)")
EOF
echo "results: $results (index_summary.txt, index_*.md, index_*.json)"

#!/bin/bash
# Two builds of async side by side: the read commands and the index of one workspace, timed
# in the same hyperfine run, so a change can be checked for regressions against a baseline
# (say, main before it) on the same machine at the same moment.
#
#   BASE=/path/to/old/async ASYNC=/path/to/new/async bench/run_compare.sh
#
# Each binary gets its own copy of the same generated workspace (its index format may
# differ). Timed: `index --full`, the no-op `index`, `list --limit 20`, `search release`,
# `actions`, `inbox` (alice, the busiest person of the corpus) and `inbox --json`.
# Prints the ratio new/old of each mean; a ratio above 1.05 is marked REGRESSION.
# Environment: N (default 10000), RUNS (default 20), INDEX_RUNS (default 5), WARMUP
# (default 3), RESULTS_DIR (default bench/results). Run by hand; never from ctest.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
N=${N:-10000}
RUNS=${RUNS:-20}
INDEX_RUNS=${INDEX_RUNS:-5}
WARMUP=${WARMUP:-3}
results=${RESULTS_DIR:-$here/results}
now=2026-11-26T10:15:00Z

die() { echo "bench/run_compare.sh: $*" >&2; exit 1; }
[ -n "${BASE:-}" ] && [ -n "${ASYNC:-}" ] || die "set BASE (the baseline binary) and ASYNC (the one to check)"
for bin in "$BASE" "$ASYNC"; do [ -x "$bin" ] || die "no async binary at '$bin'"; done
command -v hyperfine >/dev/null || die "'hyperfine' is not installed (see scripts/install-deps.sh)"

work=$(mktemp -d "${TMPDIR:-/tmp}/async-bench-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
case $work$BASE$ASYNC in *"'"* | *" "*) die "paths with spaces or quotes are not supported" ;; esac
mkdir -p "$results" "$work/home"
clean_env=(env -i "PATH=/usr/local/bin:/usr/bin:/bin" "HOME=$work/home" "TZ=UTC" "LANG=C.UTF-8"
           "TERM=dumb" "ASYNC_USER=alice" "ASYNC_NOW=$now" "EDITOR=true" "GIT_CONFIG_NOSYSTEM=1")

echo "generating $N items…" >&2
python3 "$here/gen_corpus.py" --docs "$N" "$work/base" >/dev/null
cp -a "$work/base" "$work/new"
"${clean_env[@]}" "$BASE" -C "$work/base" index >/dev/null
"${clean_env[@]}" "$ASYNC" -C "$work/new" index >/dev/null
for ws in base new; do
    bin=$BASE; [ $ws = new ] && bin=$ASYNC
    "${clean_env[@]}" "$bin" -C "$work/$ws" index --check >/dev/null || die "index --check fails in the $ws copy"
done

out="$results/compare"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
pair() { # NAME RUNS ARGS…: both binaries, same run
    local name=$1 runs=$2; shift 2
    "${clean_env[@]}" hyperfine -N --warmup "$WARMUP" --runs "$runs" --export-json "$out-$name.json" \
        -n "base $name" "$BASE -C $work/base $*" -n "new $name" "$ASYNC -C $work/new $*" >/dev/null
}
pair index_full "$INDEX_RUNS" index --full
pair index_noop "$RUNS" index
pair list "$RUNS" list --limit 20
pair search "$RUNS" search release
pair actions "$RUNS" actions
pair inbox "$RUNS" inbox
pair inbox_json "$RUNS" --json inbox
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 - "$out" <<'PY'
import glob, json, sys
for path in sorted(glob.glob(sys.argv[1] + "-*.json")):
    r = json.load(open(path))["results"]
    base, new = r[0], r[1]
    ratio = new["mean"] / base["mean"]
    name = path[len(sys.argv[1]) + 1:-5]
    print(f"{name:12} base {base['mean']*1000:8.1f} ms ± {base['stddev']*1000:5.1f}   "
          f"new {new['mean']*1000:8.1f} ms ± {new['stddev']*1000:5.1f}   new/base {ratio:.3f}"
          f"{'  REGRESSION' if ratio > 1.05 else ''}")
PY

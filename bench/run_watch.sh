#!/bin/bash
# The file watcher benchmarks (issue 22), every ratio from one hyperfine run per corpus size:
#
#   no-op `async index` and `async search RARE` (a word in one item), each walking (no
#   watcher: WATCHMAN_SOCK names no server) and asking a private Watchman, and `async inbox
#   --count` both ways for mallory, who has a few recent mentions among many older ones (and
#   with the watcher for `bench`, who owes nothing); against `git status` (core.fsmonitor
#   off), `git status` with git's own Watchman hook (.git/hooks/fsmonitor-watchman.sample), `rg -l -i RARE docs meetings` and
#   `find docs meetings -printf` (the walk's floor: one stat per entry).
#                                  targets: with Watchman, search RARE <= 10 ms and <= 0.05 x rg,
#                                  index <= 0.2 x git status; without, index <= 1.0 x git status
#
# Usage: bench/run_watch.sh      (run by hand; never from ctest: benchmarks are not tests)
# Environment: ASYNC=/path/to/async (default: build/cmd/async), SIZES (default "10000
#   100000"), RUNS (default 30), WARMUP (default 3), RESULTS_DIR (default bench/results).
# The Watchman server is this script's own (state folder and socket in the work directory,
# --foreground, killed by pid at exit): a system instance is never used or started.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
ASYNC=${ASYNC:-$root/build/cmd/async}
SIZES=${SIZES:-"10000 100000"}
RUNS=${RUNS:-30}
WARMUP=${WARMUP:-3}
results=${RESULTS_DIR:-$here/results}
now=2026-11-26T10:15:00Z
rare=quixotically

die() { echo "bench/run_watch.sh: $*" >&2; exit 1; }

case $ASYNC in /*) ;; *) ASYNC=$(pwd)/$ASYNC ;; esac
[ -x "$ASYNC" ] || die "no async binary at '$ASYNC'"
for tool in hyperfine git rg watchman python3 find; do
    command -v "$tool" >/dev/null || die "'$tool' is not installed (see scripts/install-deps.sh)"
done
hyperfine=$(command -v hyperfine)

work=$(mktemp -d "${TMPDIR:-/tmp}/async-bench-watch.XXXXXX")
watchman_pid=
cleanup() {
    # git's watchman hook leaves `watchman -j` clients behind (reparented to init); they are
    # this script's own, found by the socket path only this run uses, and ended by pid.
    for proc in /proc/[0-9]*; do
        [ -n "${sock:-}" ] || break
        if { tr '\0' '\n' <"$proc/environ"; } 2>/dev/null | grep -qxF "WATCHMAN_SOCK=$sock"; then
            pid=${proc#/proc/}
            [ "$pid" = "$$" ] || [ "$pid" = "$watchman_pid" ] || kill "$pid" 2>/dev/null || true
        fi
    done
    if [ -n "$watchman_pid" ]; then
        kill "$watchman_pid" 2>/dev/null || true
        wait "$watchman_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$results" "$work/home/.config" "$work/home/.local/share" "$work/home/.cache" "$work/watchman"
sock=$work/watchman/sock

clean_env=(env -i
    "PATH=/usr/local/bin:/usr/bin:/bin"
    "HOME=$work/home"
    "XDG_CONFIG_HOME=$work/home/.config"
    "XDG_DATA_HOME=$work/home/.local/share"
    "XDG_CACHE_HOME=$work/home/.cache"
    "TZ=UTC" "LANG=C.UTF-8" "TERM=dumb"
    "ASYNC_USER=bench" "ASYNC_NOW=$now"
    "GIT_CONFIG_NOSYSTEM=1")
run() { "${clean_env[@]}" "$@"; }

"${clean_env[@]}" watchman --foreground "--sockname=$sock" "--statefile=$work/watchman/state" \
    "--logfile=$work/watchman/log" "--pidfile=$work/watchman/pid" </dev/null >/dev/null 2>&1 &
watchman_pid=$!
for _ in $(seq 100); do
    run env "WATCHMAN_SOCK=$sock" watchman --no-spawn version >/dev/null 2>&1 && break
    sleep 0.1
done
run env "WATCHMAN_SOCK=$sock" watchman --no-spawn version >/dev/null || die "the private watchman did not start"

summary=$results/watch_summary.txt
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "async: $ASYNC ($("$ASYNC" --version))"
    echo "nproc: $(nproc); kernel: $(uname -r); fs: $(df -T "$work" | awk 'NR==2 {print $2}')"
    echo "tools: $("$hyperfine" --version), $(git --version), $(rg --version | head -1), watchman $(watchman --version)"
} >"$summary"

for n in $SIZES; do
    ws=$work/ws$n
    python3 "$here/gen_corpus.py" --docs "$n" "$ws" >/dev/null
    cd "$ws"
    run git -c init.defaultBranch=main init -q
    # No automatic gc: after a commit of 100,000 files git repacks in the background, for
    # minutes, on the cores the benchmark measures.
    run git config gc.auto 0
    run git add -A
    run git -c user.name=bench -c user.email=bench@example.com commit -q -m corpus
    run git config core.fsmonitor false
    run git status >/dev/null
    # git's own Watchman hook, in a second clone-free copy of the config: -c per command.
    cp .git/hooks/fsmonitor-watchman.sample .git/hooks/query-watchman 2>/dev/null || true
    run "$ASYNC" index >/dev/null
    run env "WATCHMAN_SOCK=$sock" "$ASYNC" index --watch >/dev/null 2>&1 || die "index --watch failed"
    run env "WATCHMAN_SOCK=$sock" "$ASYNC" list --limit 1 >/dev/null # the walk that stores the clock
    run env "WATCHMAN_SOCK=$sock" "$ASYNC" index --check >/dev/null 2>"$work/check" || die "index --check: $(cat "$work/check")"
    grep -q "watcher: in use" "$work/check" || die "the watcher is not in use: $(cat "$work/check")"
    [ "$(run rg -l -i "$rare" docs meetings | wc -l)" = 1 ] || die "'$rare' is not in exactly one file"
    hook_args=()
    if [ -x .git/hooks/query-watchman ] &&
        run env "WATCHMAN_SOCK=$sock" git -c core.fsmonitor=.git/hooks/query-watchman status >/dev/null 2>&1; then
        hook_args=(-n "git status (fsmonitor: watchman hook)"
            "git -c core.fsmonitor=.git/hooks/query-watchman status")
    fi
    nosock=$work/no-server.sock
    echo "--- N=$n (load average before: $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$summary"
    # The commands that ask the watcher run as a prompt would run them, with WATCHMAN_SOCK and
    # the user (mallory) in their environment; the others go through env, whose own cost is
    # the row "env true".
    run env "WATCHMAN_SOCK=$sock" ASYNC_USER=mallory "$hyperfine" -N --time-unit millisecond \
        --warmup "$WARMUP" --runs "$RUNS" \
        --export-json "$results/watch_$n.json" --export-markdown "$results/watch_$n.md" \
        -n "async index (watchman)" "$ASYNC index" \
        -n "async index (walk)" "env WATCHMAN_SOCK=$nosock $ASYNC index" \
        -n "async search $rare (watchman)" "$ASYNC search $rare" \
        -n "async search $rare (walk)" "env WATCHMAN_SOCK=$nosock $ASYNC search $rare" \
        -n "async inbox --count, mallory (watchman)" "$ASYNC inbox --count" \
        -n "async inbox --count, bench (watchman, through env)" "env ASYNC_USER=bench $ASYNC inbox --count" \
        -n "async inbox --count, mallory (walk)" "env WATCHMAN_SOCK=$nosock $ASYNC inbox --count" \
        -n "env true" "env true" \
        -n "git status (fsmonitor off)" "git status" \
        "${hook_args[@]}" \
        -n "rg -l -i $rare" "rg -l -i $rare docs meetings" \
        -n "find -printf" "find docs meetings -printf %s%T@\n" | tee -a "$summary"
    echo "    load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$summary"
    cd "$work"
    rm -rf "$ws"
done

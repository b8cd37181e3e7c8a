#!/bin/sh
# A team at scale on git: CLONES clones (default 20) of one bare repository each write and run
# `async sync` at the same time for ROUNDS rounds (default 10), with the hooks installed. The
# run fails unless every clone converges to the same commit and files and nothing a command
# reported as written is lost (tests/e2e/test_sync_team.py); it prints one Markdown table row
# of figures for bench/RESULTS.md:
#   | clones | rounds | syncs | exit 0 | exit 4 | conflicts | retried | most pushes | time |
# "exit 4" are syncs whose pushes all lost the race (their commits stay and go out with a
# later sync); "retried" are successful syncs that pushed more than once; "time" is the wall
# time of the concurrent rounds, set-up excluded. Run by hand; never from ctest.
#   ASYNC=build/cmd/async bench/run_sync_team.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
ASYNC=${ASYNC:-$root/build/cmd/async}
[ -x "$ASYNC" ] || { echo "bench/run_sync_team.sh: no async binary at '$ASYNC'" >&2; exit 1; }
figures=$(mktemp "${TMPDIR:-/tmp}/async-sync-team.XXXXXX")
trap 'rm -f "$figures"' EXIT
cd "$root/tests/e2e"
ASYNC_BIN=$ASYNC ASYNC_SOURCE_DIR=$root ASYNC_TEAM_CLONES=${CLONES:-20} ASYNC_TEAM_ROUNDS=${ROUNDS:-10} \
    ASYNC_TEAM_FIGURES=$figures python3 test_sync_team.py
echo "| clones | rounds | syncs | exit 0 | exit 4 | conflicts | retried | most pushes | time |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
cat "$figures"

#!/bin/sh
# Install what is missing, build async, and take a short tour of the sample team workspace
# (`async init --sample`): alice, bob and carol with write-ups, replies, meetings, check-ins,
# actions and decisions, dated around today. Nothing opens an editor; nothing needs a network
# beyond the package installation.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2
bin=$(pwd)/build/cmd/async

demo=$(mktemp -d "${TMPDIR:-/tmp}/async-demo.XXXXXX")
# The tour is alice's: she owes a review and a meeting response.
export ASYNC_USER=alice
run() {
    printf '\n$ %s\n' "$*"
    "$@"
}
# Like run, for commands whose exit status 1 is an answer ("not everyone has responded").
answer() {
    printf '\n$ %s\n' "$*"
    "$@" || [ $? -eq 1 ]
}
run "$bin" --version
run "$bin" init --sample "$demo/team"
cd "$demo/team"
run "$bin" list
run "$bin" show k3f9
run "$bin" inbox
answer "$bin" meeting status 7fq2
run "$bin" search pricing
run "$bin" actions
run "$bin" decisions
run "$bin" checkin digest --week last
printf '\nThe sample workspace is in %s (you are alice: ASYNC_USER=alice); the binary is %s\n' \
    "$demo/team" "$bin"

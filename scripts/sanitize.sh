#!/bin/sh
# Build async and the unit tests with AddressSanitizer and UndefinedBehaviorSanitizer, without
# NDEBUG (so toml++'s and libstdc++'s assertions are live), into build-asan, and run under them
# every unit test (one process) and the end-to-end files named in ASYNC_SANITIZE_E2E ("all" for
# the whole suite). Any sanitizer report aborts the process, which fails its test. With
# arguments, only `ctest` with those arguments runs (e.g. -R e2e.test_check).
#
# Only a subset of the end-to-end suite runs by default: every command of the sanitized binary
# costs about 0.3 s of CPU and 3 s of wall time on the 2-core CI machine (0.02 s and 0.1-0.2 s
# without), so test_calendar, test_check and test_shell each ran past ctest's 300 s timeout
# and the whole suite would not fit CI's 30 minutes (HACKING.md, "Sanitizers and fuzzing").
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
build=${ASYNC_ASAN_BUILD_DIR:-build-asan}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g -D_GLIBCXX_ASSERTIONS" \
    -DASYNC_SANITIZE=ON -DASYNC_WERROR=ON >/dev/null
cmake --build "$build" -j2
# Time bounds of tests/e2e (test_hostile's CPU budget) scale with the sanitizers' slowdown.
export ASYNC_TEST_TIME_SCALE=4
if [ $# -gt 0 ]; then
    exec ctest --test-dir "$build" --output-on-failure "$@"
fi
"$build/tests/unit_tests"
e2e=${ASYNC_SANITIZE_E2E:-"hostile"}
if [ "$e2e" = all ]; then
    ctest --test-dir "$build" --output-on-failure -j2 -L e2e
else
    ctest --test-dir "$build" --output-on-failure -j2 -R "^e2e\.test_($(echo $e2e | tr ' ' '|'))\$"
fi

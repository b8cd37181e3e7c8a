#!/bin/sh
# Build the libFuzzer harnesses of fuzz/ (clang++, ASan + UBSan, no NDEBUG) into build-fuzz and
# run each for a bounded time from its seed corpus in fuzz/corpus/<name>/. Exit status 1 when any
# harness finds a crash, a sanitizer error, a leak or a timeout; the input is kept in
# build-fuzz/artifacts/. FUZZ_SECONDS per harness (30 by default), FUZZ_TARGETS to run some.
# Reproduce a finding: build-fuzz/fuzz/fuzz_<name> build-fuzz/artifacts/<name>-crash-…
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
build=${ASYNC_FUZZ_BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-30}
targets=${FUZZ_TARGETS:-"front_matter yaml markdown dates query config check adr json"}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" -DCMAKE_CXX_COMPILER=clang++ \
    -DASYNC_FUZZ=ON -DASYNC_TESTS=OFF >/dev/null
# shellcheck disable=SC2046
cmake --build "$build" -j2 --target $(for t in $targets; do printf 'fuzz_%s ' "$t"; done)

work=$(mktemp -d "${TMPDIR:-/tmp}/async-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$build/artifacts"
status=0
for t in $targets; do
    # New inputs go to the first folder (a scratch copy); the seeds are only read.
    mkdir -p "$work/$t" "$work/tmp"
    printf 'fuzz: %s for %ss\n' "$t" "$seconds"
    # A harness's scratch files (config's) go into the work folder, removed at exit.
    if ! TMPDIR="$work/tmp" "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" \
        "$work/$t" "fuzz/corpus/$t" >"$work/$t.log" 2>&1; then
        tail -n 80 "$work/$t.log"
        printf 'fuzz: %s FAILED (input in %s/artifacts/)\n' "$t" "$build"
        status=1
    else
        grep -E '^stat::number_of_executed_units|^Done' "$work/$t.log" | sed "s/^/fuzz: $t: /" || true
    fi
done
exit $status

#!/bin/sh
# Build async (warnings are errors) and run the whole test suite through CTest.
# Installs missing system packages first (Debian 12, apt-get), so it works on a fresh machine.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
build=${ASYNC_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DASYNC_WERROR=ON >/dev/null
cmake --build "$build" -j2
ctest --test-dir "$build" --output-on-failure -j2 "$@"

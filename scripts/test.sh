#!/usr/bin/env bash
# Configures and builds aws-esdk-c into build/, then runs every CTest test.
# Extra CMake options may be given in ESDK_CMAKE_ARGS, e.g. ESDK_CMAKE_ARGS=-DESDK_SANITIZE=ON;
# another build folder in ESDK_BUILD_DIR (default: build); extra ctest options (e.g. -LE python)
# in ESDK_CTEST_ARGS.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
jobs=${ESDK_JOBS:-2}
build=${ESDK_BUILD_DIR:-build}

printf '\n==== configure (%s) ====\n' "$build"
# shellcheck disable=SC2086 # ESDK_CMAKE_ARGS is a list of options
cmake -S . -B "$build" ${ESDK_CMAKE_ARGS:-}
printf '\n==== build ====\n'
cmake --build "$build" -j"$jobs"
printf '\n==== ctest ====\n'
# shellcheck disable=SC2086 # ESDK_CTEST_ARGS is a list of options
ctest --test-dir "$build" --output-on-failure --no-tests=error -j"$jobs" ${ESDK_CTEST_ARGS:-}

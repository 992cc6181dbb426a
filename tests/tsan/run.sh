#!/usr/bin/env bash
# ThreadSanitizer run of the thread tests (caching CMM, parallel frames): a separate tree
# (build-tsan/) with -DESDK_TSAN=ON, only those targets built, any report fatal. Called by
# .ci/run after the main test run; runnable alone from anywhere in the clone.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
build=${ESDK_TSAN_BUILD_DIR:-build-tsan}

tests=(test_caching_threads test_parallel)
printf '\n==== ThreadSanitizer: %s (%s) ====\n' "${tests[*]}" "$build"
cmake -S . -B "$build" -DESDK_TSAN=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" --target "${tests[@]}" -j"${ESDK_JOBS:-2}"
# Kernels with 32 bits of mmap randomness break TSan's fixed memory layout
# ("unexpected memory mapping"); setarch -R turns randomization off for this one process.
run=()
if command -v setarch >/dev/null 2>&1 && setarch "$(uname -m)" -R true 2>/dev/null; then
    run=(setarch "$(uname -m)" -R)
fi
for t in "${tests[@]}"; do
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
        "${run[@]}" "$build/tests/unit/$t"
done

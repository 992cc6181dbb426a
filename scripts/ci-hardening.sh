#!/usr/bin/env bash
# Hardening checks, run by .ci/run after scripts/test.sh (and runnable alone from anywhere in
# the clone, as root or not, with no stdin). Needs what scripts/install-deps.sh installs:
# clang and libclang-rt-14-dev (libFuzzer, sanitizers), valgrind, python3.
#
#   a. fuzzing: every tests/fuzz/fuzz_*.c harness for FUZZ_SECONDS (default 30) each, under
#      address + undefined sanitizers, seeded with our own messages and the shared vectors;
#   b. the whole CTest suite under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/,
#      Debug). Two groups need the ASan runtime preloaded, because the program that loads our
#      instrumented library is not itself instrumented: the Python bindings (python3 loads
#      libaws-esdk-c.so with ctypes) and the install test (it links an example against the
#      installed library with the system compiler). They run in a second ctest call with
#      LD_PRELOAD=libasan and detect_leaks=0 (the interpreter and the compiler keep memory to
#      the end by design, which LeakSanitizer would report), and for Python quarantine_size_mb=0
#      (test_leak.py measures RSS growth, which ASan's quarantine of freed blocks would swamp).
#      The docs label (doxygen over the headers) is left out: no code runs in it, and
#      scripts/test.sh runs it. Node (interop) and SoftHSM2 (dlopen'd by the PKCS#11 keyring)
#      need nothing special;
#   c. valgrind memcheck over the unit tests of build/ (RelWithDebInfo): no errors, no
#      definite or indirect leaks (tests/valgrind.supp lists known false positives, if any);
#      two thread-stress tests and test_session are left out (see valgrind_skip below);
#   d. ThreadSanitizer (tests/tsan/run.sh);
#   e. python3 spec/check.py: every MUST requirement has a citing test.
#
# Every step runs even when an earlier one failed; the exit status is non-zero if any failed.
# Environment: FUZZ_SECONDS (default 30), FUZZ_JOBS (harnesses at once, default ESDK_JOBS),
# ESDK_JOBS (default 2), VALGRIND_ALL=1, SKIP="a c" to leave steps out (local use).
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
jobs=${ESDK_JOBS:-2}
fuzz_seconds=${FUZZ_SECONDS:-30}
export ESDK_JOBS=$jobs

results=()
failed=0
total_start=$SECONDS

header() { printf '\n######## hardening %s: %s ########\n' "$1" "$2"; }
record() { # step, name, status, seconds
    local verdict=passed
    [ "$3" -eq 0 ] || { verdict="FAILED (status $3)"; failed=1; }
    results+=("$(printf '%s  %-34s %-20s %4ds' "$1" "$2" "$verdict" "$4")")
    printf -- '-- hardening %s: %s %s in %ds\n' "$1" "$2" "$verdict" "$4"
}
skipped() { [[ " ${SKIP:-} " == *" $1 "* ]]; }
need() { # tool, step: a missing tool fails its step with a clear line
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "hardening $2: '$1' is not installed (scripts/install-deps.sh installs it)"
    return 1
}

# ---- a. fuzzing ----
step_fuzz() {
    need clang a || return 1
    FUZZ_JOBS=${FUZZ_JOBS:-$jobs} tests/fuzz/run.sh "$fuzz_seconds" "$root/build-fuzz" </dev/null
}

# ---- b. AddressSanitizer + UndefinedBehaviorSanitizer over the CTest suite ----
step_asan() {
    local rc=0 libasan
    # (not strict_string_checks: it flags strndup() of a buffer that has no NUL within its
    # length, which is valid C; the CLI copies EDK fields that way)
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
    ESDK_BUILD_DIR=build-asan \
        ESDK_CMAKE_ARGS='-DESDK_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug' \
        ESDK_CTEST_ARGS="-LE python|docs -E ^install\\." \
        scripts/test.sh </dev/null || rc=1
    printf '\n==== ctest under a preloaded ASan runtime: python, install ====\n'
    libasan=$(gcc -print-file-name=libasan.so)
    if [ ! -e "$libasan" ]; then
        echo "cannot find gcc's libasan.so to preload"
        return 1
    fi
    LD_PRELOAD="$libasan" ASAN_OPTIONS="detect_leaks=0:quarantine_size_mb=0" \
        ctest --test-dir build-asan --output-on-failure --no-tests=error -L python </dev/null || rc=1
    LD_PRELOAD="$libasan" ASAN_OPTIONS="detect_leaks=0" \
        ctest --test-dir build-asan --output-on-failure --no-tests=error -R '^install\.' </dev/null || rc=1
    return $rc
}

# ---- c. valgrind memcheck over the unit tests ----
valgrind_one() { # test binary (run from its folder); prints one line, returns its status
    local t=$1 log start rc
    log="$root/build/valgrind/$(basename "$t").log"
    start=$SECONDS
    # (a 20-minute cap per test, so that a hang fails the step instead of the whole CI job)
    (cd "$(dirname "$t")" && timeout --kill-after=30 1200 valgrind -q --error-exitcode=99 --leak-check=full \
        --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
        --suppressions="$root/tests/valgrind.supp" --gen-suppressions=all \
        "./$(basename "$t")" </dev/null >"$log" 2>&1)
    rc=$?
    if [ $rc -eq 0 ]; then
        printf '   %-28s ok      %4ds\n' "$(basename "$t")" $((SECONDS - start))
    elif [ $rc -eq 77 ]; then
        printf '   %-28s skipped %4ds\n' "$(basename "$t")" $((SECONDS - start))
        rc=0
    else
        printf '   %-28s FAILED (status %d; %s)\n' "$(basename "$t")" $rc "$log"
        grep -E '==[0-9]+==|FAILED|ERROR' "$log" | head -40
    fi
    [ $rc -eq 0 ] # 0 or 1 for xargs (which stops everything on a 255)
}
export -f valgrind_one
# Left out of the valgrind pass (VALGRIND_ALL=1 runs them too): valgrind runs the threads of
# a process one at a time, so the two thread-stress tests take 3 to 5 minutes each there and
# lose their point; test_session (the one-shot API over every single-bit flip of every suite,
# 15-45 s native) would take over 10 minutes. All three run under ASan+UBSan and
# LeakSanitizer in step b, test_caching_threads under TSan in step d too; test_tamper drives
# the same decrypt paths under valgrind (in its quick mode, ESDK_TEST_QUICK=1).
valgrind_skip=(test_caching_threads test_pkcs11_threads test_session)
step_valgrind() {
    need valgrind c || return 1
    # build/ is scripts/test.sh's tree; (re)build the unit tests in case this runs alone
    cmake -S . -B build </dev/null >/dev/null || return 1
    cmake --build build -j"$jobs" </dev/null >/dev/null || { cmake --build build -j1 </dev/null | tail -30; return 1; }
    mkdir -p build/valgrind
    local tests=() t name
    while IFS= read -r t; do
        name=$(basename "$t")
        if [ -z "${VALGRIND_ALL:-}" ] && [[ " ${valgrind_skip[*]} " == *" $name "* ]]; then
            continue
        fi
        tests+=("$t")
    done < <(find build/tests/unit -maxdepth 1 -type f -name 'test_*' -perm -u+x | sort)
    [ ${#tests[@]} -gt 0 ] || { echo "no unit tests in build/tests/unit"; return 1; }
    echo "valgrind memcheck over ${#tests[@]} unit tests, $jobs at a time" \
        "(left out: ${VALGRIND_ALL:+none}${VALGRIND_ALL:-${valgrind_skip[*]}})"
    # the longest first, so that the lanes end together
    printf '%s\n' "${tests[@]}" |
        awk '{print ($0 ~ /test_(crypto_ecdsa|parallel|raw_ecdh|raw_rsa|tamper)$/ ? 0 : 1) "\t" $0}' |
        sort -k1,1n -k2 | cut -f2 |
        root="$root" ESDK_TEST_QUICK=1 xargs -P "$jobs" -I{} bash -c 'valgrind_one "$@"' _ {}
}

# ---- d. ThreadSanitizer ----
step_tsan() {
    tests/tsan/run.sh </dev/null
}

# ---- e. requirements cited by tests ----
step_spec() {
    need python3 e || return 1
    python3 spec/check.py
}

run_step() { # letter, name, function
    if skipped "$1"; then
        results+=("$(printf '%s  %-34s %-20s' "$1" "$2" "skipped (SKIP)")")
        return
    fi
    header "$1" "$2"
    local start=$SECONDS
    "$3"
    record "$1" "$2" $? $((SECONDS - start))
}

printf '==== aws-esdk-c hardening: %s cores, fuzz %ss per harness ====\n' "$(nproc)" "$fuzz_seconds"
run_step a "fuzzing (tests/fuzz/run.sh)" step_fuzz
run_step b "ASan+UBSan CTest suite" step_asan
run_step c "valgrind memcheck, unit tests" step_valgrind
run_step d "ThreadSanitizer (tests/tsan)" step_tsan
run_step e "requirements check (spec/check.py)" step_spec

printf '\n######## hardening summary ########\n'
printf '%s\n' "${results[@]}"
printf 'hardening: %s in %ds\n' "$([ $failed -eq 0 ] && echo 'all steps passed' || echo 'FAILED')" \
    $((SECONDS - total_start))
exit $failed

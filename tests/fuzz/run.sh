#!/usr/bin/env bash
# Build the libFuzzer harnesses with clang (address + undefined sanitizers) and run each for
# a bounded time; exit non-zero on any finding. Usage: tests/fuzz/run.sh [SECONDS] [BUILD_DIR]
# Run longer by hand, e.g. tests/fuzz/run.sh 3600; corpora grow in BUILD_DIR/corpus-*.
# Environment: FUZZ_ONLY="fuzz_pem fuzz_decrypt" runs only those harnesses; FUZZ_JOBS=N runs N
# harnesses at once (default 1: one core fuzzes, the other stays free for the build);
# ESDK_SHARED_DIR locates the shared test vectors (default ../shared beside the clone).
# See tests/fuzz/README.md.
set -euo pipefail
secs=${1:-30}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${2:-$root/build-fuzz}
shared=${ESDK_SHARED_DIR:-$root/../shared}
mkdir -p "$out"
out=$(cd "$out" && pwd)
# PKCS#11: p11-kit's header only (modules are loaded with dlopen), as cmake/Dependencies.cmake.
p11_include=/usr/include/p11-kit-1
if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists p11-kit-1; then
    p11_include=$(pkg-config --variable=includedir p11-kit-1)/p11-kit-1
fi
cflags=(-std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
        -DESDK_VERSION_STRING=\"fuzz\" -I"$root/include" -I"$root/source" -I"$root" -isystem "$p11_include")
libs=(-lmbedx509 -lmbedcrypto -lsodium -lcjson -lcurl -lpthread -ldl)
mapfile -t lib_sources < <(find "$root/source" "$root/keyrings" -name '*.c' | sort)
# The library once, as objects with fuzzer instrumentation but no main. Objects of sources
# that are gone (renamed or deleted) are removed so that they are not linked in.
objdir="$out/obj"
mkdir -p "$objdir"
lib_flags=("${cflags[@]/-fsanitize=fuzzer,address,undefined/-fsanitize=fuzzer-no-link,address,undefined}")
start=$SECONDS
declare -A wanted=()
pids=()
for src in "${lib_sources[@]}"; do
    obj="$objdir/$(echo "${src#"$root"/}" | tr '/' '_').o"
    wanted[$obj]=1
    if [ "$obj" -nt "$src" ] && [ -z "$(find "$root/source" "$root/keyrings" "$root/include" -name '*.h' -newer "$obj" -print -quit)" ]; then
        continue # up to date
    fi
    clang "${lib_flags[@]}" -c "$src" -o "$obj" &
    pids+=($!)
    if (( ${#pids[@]} >= 2 )); then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
for pid in "${pids[@]}"; do wait "$pid"; done
for obj in "$objdir"/*.o; do
    [ -n "${wanted[$obj]:-}" ] || rm -f "$obj"
done
echo "== library objects: $(( SECONDS - start ))s"

# Seeds: messages, keys, JSON, command lines made with the library (make_seeds.c), and the
# shared vectors' ciphertexts (raw for fuzz_header, behind fuzz_decrypt's chunk-size byte).
rm -rf "$out/seeds"
mkdir -p "$out/seeds"
clang "${lib_flags[@]}" "$root/tests/fuzz/make_seeds.c" "$root/tests/unit/support/rsa_test_keys.c" \
    "$objdir"/*.o "${libs[@]}" -o "$out/make_seeds"
"$out/make_seeds" "$out/seeds"
vectors=()
for dir in "$shared"/vectors/*/ciphertexts "$shared"/vectors/official*/*/ciphertexts; do
    [ -d "$dir" ] || continue
    while IFS= read -r f; do vectors+=("$f"); done < <(find "$dir" -type f -size -20k | sort | awk 'NR % 4 == 1' | head -60)
done
if (( ${#vectors[@]} )); then
    mkdir -p "$out/seeds/seed-fuzz_header" "$out/seeds/seed-fuzz_decrypt"
    i=0
    for f in "${vectors[@]}"; do
        cp "$f" "$out/seeds/seed-fuzz_header/vector-$i"
        { printf '\x07'; cat "$f"; } > "$out/seeds/seed-fuzz_decrypt/vector-$i"
        i=$((i + 1))
    done
    echo "== seeds: ${#vectors[@]} shared vectors added"
else
    echo "== seeds: no shared vectors under $shared/vectors (only our own seeds)"
fi

harnesses=()
for harness in "$root"/tests/fuzz/fuzz_*.c; do
    name=$(basename "$harness" .c)
    if [ -n "${FUZZ_ONLY:-}" ] && [[ " $FUZZ_ONLY " != *" $name "* ]]; then continue; fi
    # Sources beyond the library a harness needs (e.g. the CLI's parser), on one line:
    # "fuzz-extra-sources: cli/args.c cli/kv.c" (paths relative to the clone).
    extra=()
    line=$(grep -m1 -o 'fuzz-extra-sources:.*' "$harness" || true)
    for f in ${line#fuzz-extra-sources:}; do extra+=("$root/$f"); done
    echo "== $name: build"
    clang "${cflags[@]}" "$harness" "${extra[@]}" "$objdir"/*.o "${libs[@]}" -o "$out/$name"
    harnesses+=("$name")
done

run_one() {
    local name=$1 corpus="$out/corpus-$1" seeds=()
    mkdir -p "$corpus"
    [ -d "$out/seeds/seed-$name" ] && seeds=("$out/seeds/seed-$name")
    # -rss_limit_mb: the sanitizers' shadow memory plus a bounded library; -timeout: one input.
    if ! "$out/$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$out/$name-" "$corpus" "${seeds[@]}" > "$out/$name.log" 2>&1; then
        echo "FINDING in $name (see $out/$name.log; the input is $out/$name-*):"
        tail -40 "$out/$name.log"
        return 1
    fi
    echo "== $name: ran ${secs}s, $(grep -m1 -o 'stat::number_of_executed_units: [0-9]*' "$out/$name.log" | grep -o '[0-9]*$') inputs, corpus $(find "$corpus" -type f | wc -l) files"
}

status=0
jobs=${FUZZ_JOBS:-1}
running=()
for name in "${harnesses[@]}"; do
    echo "== $name: run ${secs}s"
    run_one "$name" &
    running+=($!)
    if (( ${#running[@]} >= jobs )); then
        wait "${running[0]}" || status=1
        running=("${running[@]:1}")
    fi
done
for pid in "${running[@]}"; do wait "$pid" || status=1; done
echo "== fuzzing: ${#harnesses[@]} harnesses, $(( SECONDS - start ))s in all, $([ $status -eq 0 ] && echo 'no findings' || echo 'FINDINGS')"
exit $status

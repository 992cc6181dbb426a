#!/usr/bin/env bash
# Build the libFuzzer harnesses with clang (address + undefined sanitizers) and run each for
# a bounded time; exit non-zero on any finding. Usage: tests/fuzz/run.sh [SECONDS] [BUILD_DIR]
# Run longer by hand, e.g. tests/fuzz/run.sh 3600; corpora grow in BUILD_DIR/corpus-*.
set -euo pipefail
secs=${1:-30}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${2:-$root/build-fuzz}
shared=${ESDK_SHARED_DIR:-$root/../shared}
mkdir -p "$out"
cflags=(-std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
        -DESDK_VERSION_STRING=\"fuzz\" -I"$root/include" -I"$root/source" -I"$root")
libs=(-lmbedx509 -lmbedcrypto -lsodium -lcjson -lcurl -lpthread -ldl)
mapfile -t lib_sources < <(find "$root/source" "$root/keyrings" -name '*.c' | sort)
# The library once, as objects with fuzzer instrumentation but no main.
objdir="$out/obj"
mkdir -p "$objdir"
lib_flags=("${cflags[@]/-fsanitize=fuzzer,address,undefined/-fsanitize=fuzzer-no-link,address,undefined}")
pids=()
for src in "${lib_sources[@]}"; do
    obj="$objdir/$(echo "${src#$root/}" | tr '/' '_').o"
    clang "${lib_flags[@]}" -c "$src" -o "$obj" &
    pids+=($!)
    if (( ${#pids[@]} >= 2 )); then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
wait
seed="$out/seed"
mkdir -p "$seed"
if [ -d "$shared/vectors/aws-encryption-sdk-c-2.4.1/ciphertexts" ]; then
    find "$shared/vectors/aws-encryption-sdk-c-2.4.1/ciphertexts" -name '*.bin' -size -20k | head -60 |
        while read -r f; do cp "$f" "$seed/"; done
fi
status=0
for harness in "$root"/tests/fuzz/fuzz_*.c; do
    name=$(basename "$harness" .c)
    echo "== $name: build"
    clang "${cflags[@]}" "$harness" "$objdir"/*.o "${libs[@]}" -o "$out/$name"
    corpus="$out/corpus-$name"
    mkdir -p "$corpus"
    echo "== $name: run ${secs}s"
    if ! "$out/$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$out/$name-" "$corpus" "$seed" > "$out/$name.log" 2>&1; then
        echo "FINDING in $name (see $out/$name.log):"
        tail -40 "$out/$name.log"
        status=1
    else
        grep -E 'stat::number_of_executed_units|Done' "$out/$name.log" | tail -2
    fi
done
exit $status

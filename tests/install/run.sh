#!/usr/bin/env bash
# usage: run.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
echo "== install into $prefix"
cmake --install "$build" --prefix "$prefix" > "$work/install.log"
test -f "$prefix/include/aws-esdk-c/esdk.h"
ls "$prefix"/lib*/libaws-esdk-c.so.* > /dev/null
ls "$prefix"/lib*/libaws-esdk-c.a > /dev/null

echo "== find_package(aws-esdk-c) build of examples/encrypt_file.c"
mkdir -p "$work/consumer"
cp "$src/examples/encrypt_file.c" "$work/consumer/"
cat > "$work/consumer/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.20)
project(consumer C)
find_package(aws-esdk-c 0 REQUIRED)
add_executable(encrypt_file encrypt_file.c)
target_link_libraries(encrypt_file PRIVATE aws-esdk-c::aws-esdk-c)
CM
cmake -S "$work/consumer" -B "$work/consumer/build" -DCMAKE_PREFIX_PATH="$prefix" > /dev/null
cmake --build "$work/consumer/build" > /dev/null
head -c 5000 /dev/urandom > "$work/data"
LD_LIBRARY_PATH="$(dirname "$(ls "$prefix"/lib*/libaws-esdk-c.so | head -1)")" \
    "$work/consumer/build/encrypt_file" "$work/key" "$work/data"
cmp "$work/data" "$work/data.decrypted"

echo "== pkg-config build of the same example"
libdir=$(dirname "$(ls "$prefix"/lib*/pkgconfig/aws-esdk-c.pc | head -1)")
export PKG_CONFIG_PATH=$libdir
# shellcheck disable=SC2046
cc -std=c11 -o "$work/encrypt_file_pc" "$work/consumer/encrypt_file.c" $(pkg-config --cflags --libs aws-esdk-c)
rm -f "$work/data.encrypted" "$work/data.decrypted"
LD_LIBRARY_PATH="$(dirname "$libdir")" "$work/encrypt_file_pc" "$work/key" "$work/data"
cmp "$work/data" "$work/data.decrypted"

echo "== symbols: only esdk_ names are exported"
so=$(ls "$prefix"/lib*/libaws-esdk-c.so | head -1)
bad=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDB]$/ {print $3}' | grep -v '^esdk_' || true)
if [ -n "$bad" ]; then
    echo "exported symbols without the esdk_ prefix:"; echo "$bad"; exit 1
fi
echo "install test passed"

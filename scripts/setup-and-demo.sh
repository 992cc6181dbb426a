#!/usr/bin/env bash
# From a fresh Debian 12 clone: installs the dependencies, builds aws-esdk-c,
# then encrypts and decrypts a sample file with a raw AES-256 key through
# build/examples/encrypt_file. (ESDK_BUILD_DIR picks another build folder.)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=${ESDK_BUILD_DIR:-build}

"$root/scripts/install-deps.sh"

printf '\n==== configure and build (%s) ====\n' "$build"
cmake -S . -B "$build"
cmake --build "$build" -j"${ESDK_JOBS:-2}"

demo=$build/examples/encrypt_file
if [ ! -x "$demo" ]; then
    echo "setup-and-demo: $demo was not built (examples/encrypt_file.c missing or failed to build)" >&2
    exit 1
fi

printf '\n==== demo: encrypt and decrypt a file with a raw AES-256 key ====\n'
work=$build/demo
rm -rf "$work"
mkdir -p "$work"
{
    echo "Hello from aws-esdk-c. This file is encrypted into the AWS Encryption SDK message format,"
    echo "then decrypted again."
    head -c 100000 /dev/urandom | base64
} > "$work/sample.txt"
"$demo" "$work/key" "$work/sample.txt"
echo "key (32 random bytes):  $work/key"
echo "plaintext:   $(wc -c < "$work/sample.txt") bytes  $work/sample.txt"
echo "ciphertext:  $(wc -c < "$work/sample.txt.encrypted") bytes  $work/sample.txt.encrypted"
echo "first bytes of the message (version, suite, message id):"
od -A d -t x1 -N 24 "$work/sample.txt.encrypted"
if cmp -s "$work/sample.txt" "$work/sample.txt.decrypted"; then
    echo "decrypted:   $work/sample.txt.decrypted matches the plaintext"
else
    echo "setup-and-demo: the decrypted file differs from the plaintext" >&2
    exit 1
fi

#!/usr/bin/env bash
# From a fresh Debian 12 clone: installs the dependencies, builds aws-esdk-c, creates the
# bundled HSM (a SoftHSM2 token holding a non-extractable AES-256 key), then encrypts and
# decrypts a sample file with the aws-esdk CLI on those defaults. (ESDK_BUILD_DIR picks
# another build folder.)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=${ESDK_BUILD_DIR:-build}

"$root/scripts/install-deps.sh"

printf '\n==== configure and build (%s) ====\n' "$build"
cmake -S . -B "$build"
cmake --build "$build" -j"${ESDK_JOBS:-2}"

cli=$build/cli/aws-esdk
if [ ! -x "$cli" ]; then
    echo "setup-and-demo: $cli was not built" >&2
    exit 1
fi

printf '\n==== the bundled HSM: SoftHSM2 token "aws-esdk-default" ====\n'
# Made once under ${XDG_DATA_HOME:-~/.local/share}/aws-esdk/softhsm; a second run keeps it.
"$root/scripts/hsm-init.sh"

printf '\n==== demo: encrypt and decrypt a file with the CLI, data key wrapped in the HSM ====\n'
work=$build/demo
rm -rf "$work"
mkdir -p "$work"
{
    echo "Hello from aws-esdk-c. This file is encrypted into the AWS Encryption SDK message format,"
    echo "its data key wrapped inside the SoftHSM2 token, then decrypted again."
    head -c 100000 /dev/urandom | base64
} > "$work/sample.txt"
set -x
"$cli" --encrypt -i "$work/sample.txt" -o "$work/sample.txt.encrypted" -w provider=pkcs11 \
    -c purpose=demo --metadata-output "$work/metadata.json"
"$cli" --decrypt -i "$work/sample.txt.encrypted" -o "$work/sample.txt.decrypted" -w provider=pkcs11 \
    -c purpose=demo -S
{ set +x; } 2>/dev/null
echo "plaintext:   $(wc -c < "$work/sample.txt") bytes  $work/sample.txt"
echo "ciphertext:  $(wc -c < "$work/sample.txt.encrypted") bytes  $work/sample.txt.encrypted"
echo "metadata:    $work/metadata.json"
if cmp -s "$work/sample.txt" "$work/sample.txt.decrypted"; then
    echo "decrypted:   $work/sample.txt.decrypted matches the plaintext"
else
    echo "setup-and-demo: the decrypted file differs from the plaintext" >&2
    exit 1
fi

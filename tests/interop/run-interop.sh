#!/usr/bin/env bash
# Driver for the CTest interop tests (registered in CMakeLists.txt beside this file).
#
#   run-interop.sh js-to-c NODE ESDK_VECTORS WORK_BASE
#       js-encrypt.js writes messages with the JavaScript SDK into a temporary
#       folder under WORK_BASE; `esdk-vectors decrypt` must decrypt them all.
#   run-interop.sh c-to-js NODE ESDK_VECTORS WORK_BASE ENCRYPT_MANIFEST
#       `esdk-vectors encrypt ENCRYPT_MANIFEST` writes messages with aws-esdk-c;
#       js-decrypt.js must decrypt them all with the JavaScript SDK.
#
# Exit 77 (CTest SKIP_RETURN_CODE) when node or tests/interop/node_modules is missing.
# The temporary folder is removed on success and kept (its path printed) on failure.
set -euo pipefail

usage() { echo "usage: $0 js-to-c|c-to-js NODE ESDK_VECTORS WORK_BASE [ENCRYPT_MANIFEST]" >&2; exit 2; }
[ $# -ge 4 ] || usage
mode=$1 node=$2 vectors=$3 work_base=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

skip() { echo "skipped: $*"; exit 77; }
if ! command -v "$node" >/dev/null 2>&1; then
    skip "node not found; install Node.js 20 and npm, then run npm ci in tests/interop"
fi
if [ ! -f "$here/node_modules/@aws-crypto/client-node/package.json" ]; then
    skip "run npm ci in tests/interop (the AWS Encryption SDK for JavaScript is not installed there)"
fi
node_major=$("$node" -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
    skip "node $("$node" --version) is too old for @aws-crypto/client-node 5 (its AWS SDK dependencies need 20 or later)"
fi
if [ ! -x "$vectors" ]; then
    echo "esdk-vectors not found at $vectors" >&2
    exit 1
fi
echo "node $("$node" --version), @aws-crypto/client-node $("$node" -p "require('$here/node_modules/@aws-crypto/client-node/package.json').version")"

mkdir -p "$work_base"
work=$(mktemp -d "$work_base/$mode.XXXXXX")
status=0
case $mode in
    js-to-c)
        [ $# -eq 4 ] || usage
        echo "== JavaScript SDK encrypts into $work"
        "$node" "$here/js-encrypt.js" "$work" || status=$?
        if [ $status -eq 0 ]; then
            echo "== aws-esdk-c decrypts: esdk-vectors decrypt $work/manifest.json"
            "$vectors" decrypt "$work/manifest.json" || status=$?
        fi
        ;;
    c-to-js)
        [ $# -eq 5 ] || usage
        manifest=$5
        if [ ! -f "$manifest" ]; then
            echo "encrypt manifest not found: $manifest" >&2
            exit 1
        fi
        echo "== aws-esdk-c encrypts: esdk-vectors encrypt $manifest $work"
        "$vectors" encrypt "$manifest" "$work" || status=$?
        if [ $status -eq 0 ]; then
            echo "== JavaScript SDK decrypts $work/manifest.json"
            "$node" "$here/js-decrypt.js" "$work/manifest.json" || status=$?
        fi
        ;;
    *) usage ;;
esac

if [ $status -eq 0 ]; then
    rm -rf "$work"
else
    echo "interop.$mode failed (exit $status); messages kept in $work"
fi
exit $status

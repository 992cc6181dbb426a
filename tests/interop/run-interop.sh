#!/usr/bin/env bash
# spec: interop-2 (messages written by the official JavaScript SDK decrypt here, and
# messages written here decrypt there: every mode below is one direction of it)
# Driver for the CTest interop tests (registered in CMakeLists.txt beside this file).
#
#   run-interop.sh js-to-c NODE ESDK_VECTORS WORK_BASE
#       js-encrypt.js writes messages with the JavaScript SDK (raw AES keyrings) into a
#       temporary folder under WORK_BASE; `esdk-vectors decrypt` must decrypt them all.
#   run-interop.sh c-to-js NODE ESDK_VECTORS WORK_BASE ENCRYPT_MANIFEST
#       `esdk-vectors encrypt ENCRYPT_MANIFEST` writes messages with aws-esdk-c;
#       js-decrypt.js must decrypt them all with the JavaScript SDK.
#   run-interop.sh rsa-js-to-c NODE ESDK_VECTORS WORK_BASE
#       js-encrypt-rsa.js writes raw RSA (all five paddings) and multi-keyring (AES +
#       RSA + AES) messages with the JavaScript SDK; `esdk-vectors decrypt --strict`
#       must decrypt them all, with each key of a multi-keyring message alone too, and
#       refuse the wrong-padding cases.
#   run-interop.sh rsa-c-to-js NODE ESDK_VECTORS WORK_BASE AWS_ESDK_CLI|-
#       c-encrypt-rsa.js has aws-esdk-c write raw RSA messages (esdk-vectors encrypt,
#       all five paddings) and multi-keyring messages (the aws-esdk CLI with three -w;
#       left out when the CLI is "-"), and writes their manifest; js-decrypt.js must
#       decrypt them all, with each key of a multi-keyring message alone too, and
#       refuse the wrong-padding cases.
#
# Exit 77 (CTest SKIP_RETURN_CODE) when node or tests/interop/node_modules is missing.
# The temporary folder is removed on success and kept (its path printed) on failure.
set -euo pipefail

usage() { echo "usage: $0 js-to-c|c-to-js|rsa-js-to-c|rsa-c-to-js NODE ESDK_VECTORS WORK_BASE [ENCRYPT_MANIFEST|AWS_ESDK_CLI]" >&2; exit 2; }
[ $# -ge 4 ] || usage
mode=$1 node=$2 vectors=$3 work_base=$4
case $mode in
    js-to-c | rsa-js-to-c) [ $# -eq 4 ] || usage ;;
    c-to-js | rsa-c-to-js) [ $# -eq 5 ] || usage ;;
    *) usage ;;
esac
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
    rsa-js-to-c)
        [ $# -eq 4 ] || usage
        echo "== JavaScript SDK encrypts (raw RSA, multi-keyring) into $work"
        "$node" "$here/js-encrypt-rsa.js" "$work" || status=$?
        if [ $status -eq 0 ]; then
            echo "== aws-esdk-c decrypts: esdk-vectors decrypt --strict $work/manifest.json"
            "$vectors" decrypt "$work/manifest.json" --strict || status=$?
        fi
        ;;
    rsa-c-to-js)
        [ $# -eq 5 ] || usage
        cli=$5
        if [ "$cli" != - ] && [ ! -x "$cli" ]; then
            echo "aws-esdk CLI not found at $cli" >&2
            exit 1
        fi
        "$node" "$here/c-encrypt-rsa.js" "$vectors" "$cli" "$work" || status=$?
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

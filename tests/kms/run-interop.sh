#!/usr/bin/env bash
# KMS interop with the AWS Encryption SDK for JavaScript, both directions, through kms-local.
# Run by run-with-server.sh (which exports KMS_LOCAL_ENDPOINT and KMS_LOCAL_WORK):
#
#   run-interop.sh NODE KMS_INTEROP
#
#   1. js-kms-interop.js setup    keys made through the AWS SDK v3 KMS client (us-east-1,
#                                 eu-west-1, and a multi-Region key replicated to us-west-2)
#   2. js-kms-interop.js encrypt  the JavaScript SDK's KMS keyrings encrypt
#   3. kms_interop decrypt        our keyrings decrypt them (cross-region MRK included)
#   4. kms_interop encrypt        our keyrings encrypt
#   5. js-kms-interop.js decrypt  the JavaScript SDK's KMS keyrings decrypt them
#
# Exit 77 (skipped) when tests/interop/node_modules (npm ci) or node 20 is missing.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 NODE KMS_INTEROP" >&2; exit 2; }
node=$1 interop=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
skip() { echo "skipped: $*"; exit 77; }

[ -f "$here/../interop/node_modules/@aws-crypto/client-node/package.json" ] ||
    skip "run npm ci in tests/interop (the AWS Encryption SDK for JavaScript is not installed there)"
major=$("$node" -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || skip "node $("$node" --version) is too old for @aws-crypto/client-node 5 (needs 20)"
: "${KMS_LOCAL_WORK:?run through run-with-server.sh}"
work=$KMS_LOCAL_WORK

echo "== @aws-crypto/client-node $("$node" -p "require('$here/../interop/node_modules/@aws-crypto/client-node/package.json').version"), @aws-sdk/client-kms $("$node" -p "require('$here/../interop/node_modules/@aws-sdk/client-kms/package.json').version")"
echo "== keys"
"$node" "$here/js-kms-interop.js" setup "$work"
echo "== the JavaScript SDK encrypts"
"$node" "$here/js-kms-interop.js" encrypt "$work"
echo "== aws-esdk-c decrypts"
"$interop" decrypt "$work"
echo "== aws-esdk-c encrypts"
"$interop" encrypt "$work"
echo "== the JavaScript SDK decrypts"
"$node" "$here/js-kms-interop.js" decrypt "$work"
echo "== requests seen by kms-local, by client"
"$node" -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const by = {};
for (const l of lines) { const k = `${(l.ua || "?").split(" ")[0]} ${l.target} ${l.status}${l.crossChecked ? " (signature cross-checked)" : ""}`; by[k] = (by[k] || 0) + 1; }
for (const [k, v] of Object.entries(by)) console.log(`${String(v).padStart(4)} ${k}`);' "$work/requests.jsonl"

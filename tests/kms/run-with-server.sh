#!/usr/bin/env bash
# Run a command against kms-local, the AWS-KMS-compatible test server in kms-local/.
#
#   run-with-server.sh NODE WORK_BASE COMMAND [ARGS...]
#
# Starts `NODE kms-local/kms-local.js` on a free 127.0.0.1 port in the background, waits
# until it listens, exports
#   KMS_LOCAL_ENDPOINT=http://127.0.0.1:PORT   the endpoint for the keyrings
#   KMS_LOCAL_WORK=DIR                          a scratch folder (removed on success)
# runs COMMAND, and stops the server on exit (trap), whatever happens. The server checks
# SigV4 and, when tests/interop/node_modules is installed, cross-checks every signature
# with the AWS SDK's own signer. Exit 77 (skipped) when node is missing or too old.
set -euo pipefail

[ $# -ge 3 ] || { echo "usage: $0 NODE WORK_BASE COMMAND [ARGS...]" >&2; exit 2; }
node=$1 work_base=$2
shift 2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

skip() { echo "skipped: $*"; exit 77; }
command -v "$node" >/dev/null 2>&1 ||
    skip "node not found: the KMS keyring tests run a local KMS server written for Node.js 18 or later"
major=$("$node" -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 18 ] || skip "node $("$node" --version) is too old for kms-local (needs 18 or later)"

mkdir -p "$work_base"
work=$(mktemp -d "$work_base/run.XXXXXX")
server_pid=
status=1
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ "$status" -eq 0 ] || [ "$status" -eq 77 ]; then
        rm -rf "$work"
    else
        echo "== kms-local log (kept in $work):"
        tail -n 40 "$work/server.log" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

node_path=
[ -d "$here/../interop/node_modules/@smithy/signature-v4" ] && node_path="$here/../interop/node_modules"
NODE_PATH="$node_path" "$node" "$here/kms-local/kms-local.js" --host 127.0.0.1 --port 0 \
    --port-file "$work/port" --log "$work/requests.jsonl" >"$work/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 100); do
    [ -s "$work/port" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "kms-local did not start" >&2; exit 1; }
    sleep 0.1
done
[ -s "$work/port" ] || { echo "kms-local did not write its port within 10 s" >&2; exit 1; }
port=$(cat "$work/port")
head -n 1 "$work/server.log"

export KMS_LOCAL_ENDPOINT="http://127.0.0.1:$port" KMS_LOCAL_WORK="$work"
set +e
"$@"
status=$?
set -e
exit $status

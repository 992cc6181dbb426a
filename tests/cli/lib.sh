# Shared helpers for the aws-esdk CLI tests (sourced; bash, set -euo pipefail).
# Usage from a test: source lib.sh "$@"   (argument 1: the aws-esdk binary, 2: the shared dir)
set -euo pipefail

ESDK=${1:?usage: $0 AWS_ESDK_BINARY [SHARED_DIR]}
SHARED_DIR=${2:-}
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null || true; rm -rf "$T"' EXIT
cd "$T"
umask 022
CHECKS=0

say() { printf '== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

# ok "what" cmd...: the command must succeed.
ok() {
    local what=$1; shift
    say "$what"
    "$@" || fail "$what (exit $?)"
    CHECKS=$((CHECKS + 1))
}

# fails CODE "what" cmd...: the command must exit with CODE (stderr kept in $T/err).
fails() {
    local code=$1 what=$2; shift 2
    say "$what (expect exit $code)"
    local rc=0
    "$@" 2>"$T/err" || rc=$?
    [ "$rc" -eq "$code" ] || { cat "$T/err" >&2; fail "$what: exit $rc, expected $code"; }
    CHECKS=$((CHECKS + 1))
}

# err_has TEXT: the last captured stderr contains TEXT.
err_has() {
    grep -qF -- "$1" "$T/err" || { cat "$T/err" >&2; fail "stderr lacks '$1'"; }
}

# absent PATH...: none of these exist.
absent() {
    local p
    for p in "$@"; do
        [ ! -e "$p" ] || fail "$p should not exist"
    done
}

# no_temp DIR...: no temporary file of ours is left in these directories (recursively).
no_temp() {
    local d left
    for d in "$@"; do
        left=$(find "$d" -name '.*.aws-esdk-*' 2>/dev/null | head -1)
        [ -z "$left" ] || fail "temporary file left behind: $left"
    done
}

same() { cmp -s "$1" "$2" || fail "$1 and $2 differ"; }

mode_of() { stat -c %a "$1"; }

# A raw AES-256 key file and the -w arguments for it.
make_keys() {
    head -c 32 /dev/urandom >"$T/k256"
    head -c 32 /dev/urandom >"$T/other256"
    chmod 600 "$T/k256" "$T/other256"
    W=(-w provider=aes "key=file://$T/k256" name=k256 namespace=test)
    W_OTHER=(-w provider=aes "key=file://$T/other256" name=k256 namespace=test)
}

done_checks() { say "all $CHECKS checks passed"; }

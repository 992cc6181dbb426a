#!/bin/sh
# hsm-init.sh: create the default HSM token of aws-esdk-c in SoftHSM2, once.
#
#   scripts/hsm-init.sh            create it (or say where it already is)
#   scripts/hsm-init.sh --env      print only "export SOFTHSM2_CONF=..." (for eval)
#
# Layout (the same as esdk_pkcs11_default_paths() in the library):
#   ${XDG_DATA_HOME:-$HOME/.local/share}/aws-esdk/softhsm/     mode 0700
#       softhsm2.conf   SoftHSM2 configuration (its own token directory)   0600
#       tokens/         the token store                                    0700
#       pin.txt         the user PIN, random                               0600
#       so-pin.txt      the security officer PIN, random                   0600
#   token "aws-esdk-default", holding the AES-256 key "aws-esdk-default-key", generated inside
#   the token: sensitive, never extractable, private (usable only after login).
#
# Afterwards `aws-esdk -e -w provider=pkcs11 ...` needs no other argument: the library sets
# SOFTHSM2_CONF to this configuration when it is not set, and reads the PIN from pin.txt.
# Running the script again never destroys an existing token.
#
# Environment: XDG_DATA_HOME, HOME; ESDK_PKCS11_MODULE (module path, default: SoftHSM2's).
# Needs: softhsm2 (softhsm2-util, libsofthsm2.so) and opensc (pkcs11-tool).
#
# Note: softhsm2-util and pkcs11-tool take PINs only as arguments when run without a
# terminal, so the PINs show in the process list for the moment these commands run. The
# token store itself is readable by this user only, which is what protects the key.
set -eu
umask 077

TOKEN=aws-esdk-default
KEY=aws-esdk-default-key

die() {
    echo "hsm-init: $*" >&2
    exit 1
}

env_only=0
case "${1:-}" in
--env) env_only=1 ;;
"") ;;
-h | --help)
    sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
*) die "unknown argument '$1' (try --help)" ;;
esac

case "${XDG_DATA_HOME:-}" in
/*) data=$XDG_DATA_HOME ;;
*)
    [ -n "${HOME:-}" ] || die "neither XDG_DATA_HOME nor HOME is set"
    data=$HOME/.local/share
    ;;
esac
store=$data/aws-esdk/softhsm
conf=$store/softhsm2.conf
pin_file=$store/pin.txt
so_pin_file=$store/so-pin.txt

if [ $env_only -eq 1 ]; then
    echo "export SOFTHSM2_CONF='$conf'"
    exit 0
fi

module=${ESDK_PKCS11_MODULE:-}
if [ -z "$module" ]; then
    for m in /usr/lib/softhsm/libsofthsm2.so \
        /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
        /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so \
        /usr/lib64/pkcs11/libsofthsm2.so /usr/lib/pkcs11/libsofthsm2.so \
        /usr/local/lib/softhsm/libsofthsm2.so /opt/homebrew/lib/softhsm/libsofthsm2.so; do
        if [ -r "$m" ]; then
            module=$m
            break
        fi
    done
fi
if [ -z "$module" ] || [ ! -r "$module" ]; then
    die "SoftHSM2 is not installed (no libsofthsm2.so): apt-get install softhsm2 opensc"
fi
command -v softhsm2-util >/dev/null 2>&1 || die "softhsm2-util not found: apt-get install softhsm2"
command -v pkcs11-tool >/dev/null 2>&1 || die "pkcs11-tool not found: apt-get install opensc"

mkdir -p "$store/tokens"
chmod 700 "$data/aws-esdk" "$store" "$store/tokens"
if [ ! -f "$conf" ]; then
    cat >"$conf" <<EOF
# SoftHSM2 configuration of the aws-esdk default token (scripts/hsm-init.sh)
directories.tokendir = $store/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
slots.mechanisms = ALL
library.reset_on_fork = false
EOF
fi
chmod 600 "$conf"
export SOFTHSM2_CONF="$conf"

token_exists() {
    softhsm2-util --show-slots 2>/dev/null | grep -Eq "^[[:space:]]*Label:[[:space:]]+${TOKEN}[[:space:]]*\$"
}

key_exists() {
    pkcs11-tool --module "$module" --token-label "$TOKEN" --login --pin "$(cat "$pin_file")" \
        --list-objects --type secrkey 2>/dev/null |
        grep -Eq "^[[:space:]]*label:[[:space:]]+${KEY}[[:space:]]*\$"
}

random_pin() {
    # 32 hex digits from the kernel's random source
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
}

made=""
if token_exists; then
    [ -s "$pin_file" ] ||
        die "token '$TOKEN' exists in $store but $pin_file is missing: cannot log in to it"
else
    pin=$(random_pin)
    so_pin=$(random_pin)
    printf '%s\n' "$pin" >"$pin_file"
    printf '%s\n' "$so_pin" >"$so_pin_file"
    chmod 600 "$pin_file" "$so_pin_file"
    softhsm2-util --init-token --free --label "$TOKEN" --so-pin "$so_pin" --pin "$pin" >/dev/null ||
        die "softhsm2-util --init-token failed"
    made="token"
fi

if ! key_exists; then
    pkcs11-tool --module "$module" --token-label "$TOKEN" --login --pin "$(cat "$pin_file")" \
        --keygen --key-type AES:32 --label "$KEY" --id 01 \
        --usage-wrap --usage-decrypt --sensitive --private >/dev/null 2>&1 ||
        die "pkcs11-tool --keygen failed for '$KEY' in token '$TOKEN'"
    key_exists || die "the key '$KEY' was generated but cannot be found in token '$TOKEN'"
    made="${made:+$made and }key"
fi

if [ -n "$made" ]; then
    echo "aws-esdk default HSM token created ($made):"
else
    echo "aws-esdk default HSM token already exists (nothing changed):"
fi
cat <<EOF
  store:        $store
  SoftHSM2 conf: $conf
  module:       $module
  token:        $TOKEN
  key:          $KEY (AES-256, generated in the token; sensitive, never extractable, private)
  PIN file:     $pin_file
  SO PIN file:  $so_pin_file
To use the token with softhsm2-util or pkcs11-tool:  export SOFTHSM2_CONF='$conf'
EOF

#!/usr/bin/env bash
# Installs what aws-esdk-c needs to build and test on Debian 12: the Debian
# packages below, Node.js and npm (only if they are not already working), and
# the interop tests' npm packages (`npm ci` in tests/interop).
# Safe to run again. Runs apt-get as root, or through sudo.
#
#   scripts/install-deps.sh            everything
#   scripts/install-deps.sh --no-npm   Debian packages only
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
with_npm=1
[ "${1:-}" = "--no-npm" ] && with_npm=0

# What each is for: build tools; mbedTLS + libsodium (crypto); cmocka (unit tests);
# cJSON (manifests, KMS); libcurl (KMS keyring); SoftHSM2 + p11-kit + OpenSC
# (PKCS#11 keyring and its tests); python3 with pip, setuptools and wheel
# (bindings and their offline pip-install test); valgrind; clang and its
# runtime (libFuzzer, sanitizers).
PACKAGES=(
    cmake gcc g++ make pkg-config
    libmbedtls-dev libsodium-dev libcmocka-dev libcjson-dev libcurl4-openssl-dev
    softhsm2 libp11-kit-dev p11-kit opensc
    python3 python3-pip python3-setuptools python3-wheel
    valgrind clang libclang-rt-14-dev doxygen
)

section() { printf '\n==== %s ====\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "install-deps.sh: run as root (or install sudo)" >&2
        exit 1
    fi
fi
apt_get() { "${SUDO[@]}" apt-get -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" </dev/null; }

section "apt-get update"
apt_get update

# A package with no candidate version is reported and left out, so the build
# then says exactly what is missing instead of apt refusing the whole list.
has_candidate() {
    local policy
    policy=$(apt-cache policy "$1" 2>/dev/null || true)
    [[ $policy == *"Candidate: "* && $policy != *"Candidate: (none)"* ]]
}
wanted=()
for p in "${PACKAGES[@]}"; do
    if has_candidate "$p"; then
        wanted+=("$p")
    else
        warn "Debian package $p has no installable version here; leaving it out"
    fi
done

section "apt-get install: ${wanted[*]}"
apt_get install "${wanted[@]}"

node_works() { command -v node >/dev/null 2>&1 && node --version >/dev/null 2>&1; }
npm_works() { command -v npm >/dev/null 2>&1 && npm --version >/dev/null 2>&1; }

section "Node.js and npm (for tests/interop)"
# Node.js may come from another source (e.g. a nodejs package that bundles npm);
# Debian's npm then conflicts with it. Install only what is missing, and never
# let a failure here stop the run: the interop tests then report a skip.
if node_works && npm_works; then
    echo "node $(node --version) and npm $(npm --version) already work; leaving them as they are"
else
    if ! node_works; then
        apt_get install nodejs || warn "could not install nodejs; the interop tests will be skipped"
    fi
    if node_works && ! npm_works; then
        apt_get install npm || warn "could not install npm; the interop tests will be skipped"
    fi
fi

if [ $with_npm -eq 1 ]; then
    section "npm ci in tests/interop (@aws-crypto/client-node)"
    if node_works && npm_works; then
        ok=0
        for attempt in 1 2 3; do
            if (cd "$root/tests/interop" && npm ci --no-audit --no-fund </dev/null); then
                ok=1
                break
            fi
            warn "npm ci failed (attempt $attempt of 3)"
            sleep $((attempt * 5))
        done
        [ $ok -eq 1 ] || warn "npm ci failed; the interop tests will be skipped"
    else
        warn "node or npm is missing; the interop tests will be skipped"
    fi
fi

section "dependencies installed"

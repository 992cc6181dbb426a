#!/usr/bin/env bash
# provider=pkcs11 with a SoftHSM2 token made for this test: round trips, byte compatibility
# with provider=aes (same key material), and the failures (wrong PIN, no module, inline PIN).
source "$(dirname "$0")/lib.sh" "$@"
MOD=""
for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so; do
    [ -f "$m" ] && MOD=$m && break
done
if [ -z "$MOD" ] || ! command -v softhsm2-util >/dev/null || ! command -v pkcs11-tool >/dev/null; then
    echo "SKIP: SoftHSM2 (softhsm2-util, pkcs11-tool, libsofthsm2.so) not installed"
    exit 77
fi
probe=$("$ESDK" -e -i /dev/null -o - -w provider=pkcs11 module=/nonexistent key=k 2>&1 || true)
if grep -q "not available in this build yet" <<<"$probe"; then
    echo "SKIP: provider=pkcs11 is not in this build yet"
    exit 77
fi
make_keys

mkdir tokens
cat >softhsm2.conf <<CONF
directories.tokendir = $T/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
CONF
export SOFTHSM2_CONF=$T/softhsm2.conf
printf '123456\n' >pin.txt
chmod 600 pin.txt
ok "make a token" softhsm2-util --init-token --free --label cli-test --so-pin 87654321 --pin 123456
ok "import the AES-256 key of provider=aes into it" pkcs11-tool --module "$MOD" --token-label cli-test \
    --login --pin 123456 --write-object "$T/k256" --type secrkey --key-type AES:32 --label kek --id c1 \
    --usage-wrap --usage-decrypt --sensitive
ok "make an RSA key pair in it" pkcs11-tool --module "$MOD" --token-label cli-test --login --pin 123456 \
    --keypairgen --key-type rsa:2048 --label rsa1 --id d1 --usage-wrap --usage-decrypt

P=(-w provider=pkcs11 "module=$MOD" token=cli-test key=kek "pin=file://$T/pin.txt" namespace=test name=k256)
head -c 10000 /dev/urandom >data
ok "encrypt with the token's AES key" "$ESDK" -e -i data -o hsm.enc "${P[@]}"
ok "decrypt with the token" "$ESDK" -d -i hsm.enc -o hsm.dec "${P[@]}"
same data hsm.dec
ok "decrypt the token's message with provider=aes (same key, same EDK layout)" "$ESDK" -d -i hsm.enc -o hsm.aes.dec "${W[@]}"
same data hsm.aes.dec
# spec: interop-2 — the HSM-wrapped message also opens in the official JavaScript SDK, given
# the same key material in a raw AES keyring (skipped when the interop packages are absent).
interop=$(cd "$(dirname "$0")/../interop" && pwd)
if command -v node >/dev/null && [ -d "$interop/node_modules/@aws-crypto/client-node" ]; then
    python3 - "$T" <<'PY'
import base64, json, os, sys
t = sys.argv[1]
material = base64.b64encode(open(os.path.join(t, "k256"), "rb").read()).decode()
json.dump({"manifest": {"type": "keys", "version": 3}, "keys": {"k256": {
    "encrypt": True, "decrypt": True, "algorithm": "aes", "type": "symmetric", "bits": 256,
    "encoding": "base64", "material": material, "key-id": "k256"}}},
    open(os.path.join(t, "js-keys.json"), "w"))
json.dump({"manifest": {"type": "awses-decrypt", "version": 2}, "client": {"name": "aws-esdk-c"},
    "keys": "file://js-keys.json", "tests": {"hsm-aes-256": {
        "ciphertext": "file://hsm.enc", "master-keys": [{"type": "raw", "key": "k256",
        "provider-id": "test", "encryption-algorithm": "aes"}],
        "result": {"output": {"plaintext": "file://data"}}}}},
    open(os.path.join(t, "js-manifest.json"), "w"))
PY
    ok "the JavaScript SDK decrypts the token's message with the same key material" \
        node "$interop/js-decrypt.js" "$T/js-manifest.json"
else
    echo "(JavaScript SDK not installed in tests/interop: HSM-to-JS check not run)"
fi
ok "encrypt with provider=aes" "$ESDK" -e -i data -o aes.enc "${W[@]}"
ok "decrypt that with the token (PIN from an environment variable)" env HSM_PIN=123456 \
    "$ESDK" -d -i aes.enc -o aes.hsm.dec -w provider=pkcs11 "module=$MOD" token=cli-test key=kek pin=env:HSM_PIN namespace=test name=k256
same data aes.hsm.dec
R=(-w provider=pkcs11 "module=$MOD" token=cli-test key=rsa1 key-type=rsa "pin=file://$T/pin.txt" namespace=test name=rsa1)
ok "RSA-OAEP key in the token: encrypt" "$ESDK" -e -i data -o rsa.enc "${R[@]}"
ok "RSA-OAEP key in the token: decrypt" "$ESDK" -d -i rsa.enc -o rsa.dec "${R[@]}"
same data rsa.dec

printf '999999\n' >bad-pin.txt
chmod 600 bad-pin.txt
fails 1 "a wrong PIN" "$ESDK" -d -i hsm.enc -o badpin.out -w provider=pkcs11 "module=$MOD" token=cli-test key=kek \
    "pin=file://$T/bad-pin.txt" namespace=test name=k256
err_has "denied"
absent badpin.out
fails 1 "a module that does not exist" "$ESDK" -d -i hsm.enc -o nomod.out -w provider=pkcs11 module=/nonexistent.so \
    token=cli-test key=kek "pin=file://$T/pin.txt"
absent nomod.out
fails 1 "a key that is not in the token" "$ESDK" -e -i data -o nokey.out -w provider=pkcs11 "module=$MOD" \
    token=cli-test key=nothere "pin=file://$T/pin.txt"
absent nokey.out
fails 2 "a PIN written on the command line is refused" "$ESDK" -e -i data -o inline.out -w provider=pkcs11 \
    "module=$MOD" token=cli-test key=kek pin=123456
absent inline.out
fails 2 "an unknown parameter" "$ESDK" -e -i data -o x -w provider=pkcs11 "module=$MOD" colour=blue
no_temp "$T"
done_checks

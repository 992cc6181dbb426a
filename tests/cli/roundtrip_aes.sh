#!/usr/bin/env bash
# Round trips with provider=aes: key forms and sizes, suites, frame lengths, contexts, file
# modes.
source "$(dirname "$0")/lib.sh" "$@"
make_keys

head -c 100000 /dev/urandom >data
: >empty
printf 'hello\n' >small

ok "encrypt with defaults" "$ESDK" -e -i data -o data.enc "${W[@]}" -c purpose=test
ok "decrypt it" "$ESDK" -d -i data.enc -o data.dec "${W[@]}"
same data data.dec
ok "ciphertext mode follows the umask (644)" test "$(mode_of data.enc)" = 644
ok "plaintext output is private (600)" test "$(mode_of data.dec)" = 600
ok "decrypt with the matching -c pair" "$ESDK" -d -i data.enc -o data.dec2 "${W[@]}" -c purpose=test
ok "decrypt with a required bare key" "$ESDK" -d -i data.enc -o data.dec3 "${W[@]}" -c purpose
same data data.dec2
same data data.dec3

say "key given as base64 text in a file, base64:, hex: and env:"
base64 <"$T/k256" >"$T/k256.b64"
chmod 600 "$T/k256.b64"
ok "base64 key file" "$ESDK" -d -i data.enc -o d.b64file -w provider=aes "key=file://$T/k256.b64" name=k256 namespace=test
ok "base64: key" "$ESDK" -d -i data.enc -o d.b64 -w provider=aes "key=base64:$(base64 -w0 <"$T/k256")" name=k256 namespace=test
ok "hex: key" "$ESDK" -d -i data.enc -o d.hex -w provider=aes "key=hex:$(od -An -tx1 -v "$T/k256" | tr -d ' \n')" name=k256 namespace=test
ok "env: key" env KEY_B64="$(base64 -w0 <"$T/k256")" \
    "$ESDK" -d -i data.enc -o d.env -w provider=aes key=env:KEY_B64 name=k256 namespace=test
for f in d.b64file d.b64 d.hex d.env; do same data $f; done

for bits in 128 192; do
    head -c $((bits / 8)) /dev/urandom >"$T/k$bits"
    chmod 600 "$T/k$bits"
    ok "AES-$bits round trip" "$ESDK" -e -i data -o "e$bits" -w provider=aes "key=file://$T/k$bits" name=k namespace=ns
    ok "AES-$bits decrypt" "$ESDK" -d -i "e$bits" -o "d$bits" -w provider=aes "key=file://$T/k$bits" name=k namespace=ns
    same data "d$bits"
done

for suite in AES_256_GCM_HKDF_SHA512_COMMIT_KEY 0x0478 0578; do
    ok "--algorithm $suite" "$ESDK" -e -i data -o "s.$suite" "${W[@]}" --algorithm "$suite"
    ok "decrypt $suite" "$ESDK" -d -i "s.$suite" -o "s.$suite.dec" "${W[@]}"
    same data "s.$suite.dec"
done

for suite in AES_128_GCM_IV12_TAG16_NO_KDF AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384; do
    ok "legacy $suite under forbid-encrypt-allow-decrypt" "$ESDK" -e -i data -o "l.$suite" "${W[@]}" \
        --algorithm "$suite" --commitment-policy forbid-encrypt-allow-decrypt
    ok "decrypt $suite under require-encrypt-allow-decrypt" "$ESDK" -d -i "l.$suite" -o "l.$suite.dec" "${W[@]}" \
        --commitment-policy require-encrypt-allow-decrypt
    same data "l.$suite.dec"
done
ok "forbid-encrypt-allow-decrypt without --algorithm writes 0x0378" "$ESDK" -e -i data -o forbid.enc "${W[@]}" \
    --commitment-policy forbid-encrypt-allow-decrypt --metadata-output forbid.json
ok "  metadata says so" python3 -c '
import json, sys
m = json.loads(open("forbid.json").read())
assert m["header"]["algorithm"] == "AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384", m'

for fl in 0 1 65536; do
    ok "--frame-length $fl" "$ESDK" -e -i data -o "f$fl" "${W[@]}" --frame-length $fl
    ok "decrypt frame length $fl" "$ESDK" -d -i "f$fl" -o "f$fl.dec" "${W[@]}"
    same data "f$fl.dec"
done

ok "empty file" "$ESDK" -e -i empty -o empty.enc "${W[@]}"
ok "decrypt empty file" "$ESDK" -d -i empty.enc -o empty.dec "${W[@]}"
same empty empty.dec
ok "non-ASCII context" "$ESDK" -e -i small -o utf8.enc "${W[@]}" -c "clé=valeur ✓" "名前=値"
ok "decrypt checks the non-ASCII pair" "$ESDK" -d -i utf8.enc -o utf8.dec "${W[@]}" -c "名前=値"
same small utf8.dec
ok "--decrypt-unsigned on an unsigned message" "$ESDK" --decrypt-unsigned -i s.0x0478 -o unsigned.dec "${W[@]}"
same data unsigned.dec
ok "@file arguments" sh -c "printf '%s\n' '# keys' '-w provider=aes key=file://$T/k256 name=k256 namespace=test' >args.txt && \"$ESDK\" -d -i data.enc -o at.dec @args.txt"
same data at.dec
ok "long options may be abbreviated (--inp, --outp)" "$ESDK" -d --inp data.enc --outp abbrev.dec "${W[@]}"
same data abbrev.dec
no_temp "$T"
done_checks

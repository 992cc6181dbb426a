#!/usr/bin/env bash
# Several -w: a multi-keyring (the first generates the data key, every key wraps it; any one
# decrypts), with --max-encrypted-data-keys.
source "$(dirname "$0")/lib.sh" "$@"
make_keys
probe=$("$ESDK" -e -i /dev/null -o - "${W[@]}" "${W_OTHER[@]}" 2>&1 || true)
if grep -q "not available in this build yet" <<<"$probe"; then
    echo "SKIP: the multi-keyring is not in this build yet"
    exit 77
fi
head -c 7000 /dev/urandom >data
head -c 16 /dev/urandom >"$T/k128"
chmod 600 "$T/k128"
A=(-w provider=aes "key=file://$T/k256" name=a namespace=multi)
B=(-w provider=aes "key=file://$T/k128" name=b namespace=multi)
C=(-w provider=aes "key=file://$T/other256" name=c namespace=multi)

ok "encrypt under three keys" "$ESDK" -e -i data -o three.enc "${A[@]}" "${B[@]}" "${C[@]}" --metadata-output m.json
ok "  three EDKs, in -w order" python3 -c '
import base64, json
h = json.load(open("m.json"))["header"]
names = [base64.b64decode(e["provider_info"])[:1] for e in h["encrypted_data_keys"]]
assert names == [b"a", b"b", b"c"], names'
for k in A B C; do
    declare -n K=$k
    ok "decrypt with key $k alone" "$ESDK" -d -i three.enc -o "three.$k" "${K[@]}"
    same data "three.$k"
done
ok "decrypt with a wrong key first, then a right one" "$ESDK" -d -i three.enc -o three.mixed \
    -w provider=aes "key=file://$T/k256" name=zzz namespace=multi "${C[@]}"
same data three.mixed
rsa_probe=$("$ESDK" -e -i /dev/null -o - -w provider=rsa key=file:///x padding=pkcs1 name=n namespace=n 2>&1 || true)
if command -v openssl >/dev/null && ! grep -q "not available" <<<"$rsa_probe"; then
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out priv.pem 2>/dev/null
    openssl pkey -in priv.pem -pubout -out pub.pem
    chmod 600 priv.pem
    ok "AES generator with an RSA child" "$ESDK" -e -i data -o mixed.enc "${A[@]}" \
        -w provider=rsa "key=file://$T/pub.pem" padding=oaep-sha256 name=r namespace=multi
    ok "  the RSA key alone decrypts" "$ESDK" -d -i mixed.enc -o mixed.dec \
        -w provider=rsa "key=file://$T/priv.pem" padding=oaep-sha256 name=r namespace=multi
    same data mixed.dec
fi
fails 1 "encrypt under three keys with --max-encrypted-data-keys 2" "$ESDK" -e -i data -o max.enc \
    "${A[@]}" "${B[@]}" "${C[@]}" --max-encrypted-data-keys 2
absent max.enc
fails 1 "decrypt a three-EDK message with --max-encrypted-data-keys 2" "$ESDK" -d -i three.enc -o max.dec \
    "${A[@]}" --max-encrypted-data-keys 2
err_has "too many encrypted data keys"
absent max.dec
ok "--max-encrypted-data-keys 3 is fine" "$ESDK" -d -i three.enc -o max3.dec "${A[@]}" --max-encrypted-data-keys 3
fails 1 "no key of the three" "$ESDK" -d -i three.enc -o none.dec -w provider=aes "key=file://$T/k256" name=x namespace=y
absent none.dec
no_temp "$T"
done_checks

#!/usr/bin/env bash
# provider=rsa: every padding, PEM (PKCS#8, PKCS#1) and DER keys, the public/private rules,
# and the official C SDK's RSA messages.
source "$(dirname "$0")/lib.sh" "$@"
probe=$("$ESDK" -e -i /dev/null -o - -w provider=rsa key=file:///nonexistent padding=pkcs1 name=n namespace=n 2>&1 || true)
if grep -q "not available in this build yet" <<<"$probe"; then
    echo "SKIP: provider=rsa is not in this build yet"
    exit 77
fi
command -v openssl >/dev/null || { echo "SKIP: openssl not installed"; exit 77; }

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out priv.pem 2>/dev/null
openssl pkey -in priv.pem -pubout -out pub.pem
openssl pkey -in priv.pem -outform DER -out priv.der
openssl pkey -in priv.pem -pubout -outform DER -out pub.der
openssl rsa -in priv.pem -traditional -out priv-pkcs1.pem 2>/dev/null
chmod 600 priv.pem priv.der priv-pkcs1.pem
head -c 9000 /dev/urandom >data
rsa() { printf '%s\n' -w provider=rsa "key=file://$T/$1" "padding=$2" name=rsa1 namespace=team; }

for pad in pkcs1 oaep-sha1 oaep-sha256 oaep-sha384 oaep-sha512; do
    mapfile -t PUB < <(rsa pub.pem $pad)
    mapfile -t PRIV < <(rsa priv.pem $pad)
    ok "$pad: encrypt with the public key" "$ESDK" -e -i data -o "$pad.enc" "${PUB[@]}"
    ok "$pad: decrypt with the private key" "$ESDK" -d -i "$pad.enc" -o "$pad.dec" "${PRIV[@]}"
    same data "$pad.dec"
done
mapfile -t PRIV < <(rsa priv.pem oaep-sha256)
ok "encrypt with key=PRIVATE public-key=PUBLIC" "$ESDK" -e -i data -o both.enc "${PRIV[@]}" "public-key=file://$T/pub.pem"
ok "decrypt with a PKCS#1 private key" "$ESDK" -d -i both.enc -o both.dec $(rsa priv-pkcs1.pem oaep-sha256)
same data both.dec
ok "DER public key on encrypt" "$ESDK" -e -i data -o der.enc $(rsa pub.der oaep-sha256)
ok "DER private key on decrypt" "$ESDK" -d -i der.enc -o der.dec $(rsa priv.der oaep-sha256)
same data der.dec
ok "the private key in an environment variable" env "RSA_KEY=$(cat priv.pem)" "$ESDK" -d -i der.enc -o env.dec \
    -w provider=rsa key=env:RSA_KEY padding=oaep-sha256 name=rsa1 namespace=team
same data env.dec

fails 2 "encrypt with only a private key" "$ESDK" -e -i data -o x.enc $(rsa priv.pem oaep-sha256)
err_has "encrypt needs the public key"
fails 2 "decrypt with only a public key" "$ESDK" -d -i both.enc -o x.dec $(rsa pub.pem oaep-sha256)
err_has "decrypt needs the private key"
fails 1 "decrypt with the wrong padding" "$ESDK" -d -i both.enc -o x.dec $(rsa priv.pem oaep-sha1)
fails 2 "an unknown padding" "$ESDK" -e -i data -o x.enc $(rsa pub.pem oaep-md5)
echo "not a key" >junk.pem
fails 1 "a file that is no key" "$ESDK" -e -i data -o x.enc $(rsa junk.pem oaep-sha256)
err_has "unusable key material"
absent x.enc x.dec

V="$SHARED_DIR/vectors/aws-encryption-sdk-c-2.4.1"
if [ -n "$SHARED_DIR" ] && [ -f "$V/keys/rsa-4096-private.pem" ]; then
    for t in rsa-pkcs1_0578_pt4097_f4096_ec1:pkcs1 rsa-oaep-sha1_0578_pt4097_f4096_ec2:oaep-sha1 \
        rsa-oaep-sha256_0578_pt4097_f4096_ec0:oaep-sha256; do
        name=${t%%:*} pad=${t##*:}
        ok "C SDK vector $name" "$ESDK" -d -i "$V/ciphertexts/$name.bin" -o "$name.out" -w provider=rsa \
            "key=file://$V/keys/rsa-4096-private.pem" "padding=$pad" name=rsa-4096-private namespace=peer-c-raw
        same "$V/plaintexts/4097.bin" "$name.out"
    done
else
    say "(shared vectors absent: C SDK RSA messages not checked)"
fi
no_temp "$T"
done_checks

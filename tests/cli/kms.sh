#!/usr/bin/env bash
# provider=aws-kms against kms-local (a KMS-compatible test server from the shared tools):
# the default provider, several keys, discovery with filters, refused credentials.
source "$(dirname "$0")/lib.sh" "$@"
KMS_LOCAL="$SHARED_DIR/tools/kms-local/kms-local.js"
if [ -z "$SHARED_DIR" ] || [ ! -f "$KMS_LOCAL" ] || ! command -v node >/dev/null || ! command -v curl >/dev/null; then
    echo "SKIP: kms-local (node, curl, $KMS_LOCAL) not available"
    exit 77
fi
probe=$("$ESDK" -e -i /dev/null -o - -w key=arn:aws:kms:us-west-2:111122223333:key/x 2>&1 || true)
if grep -q "not available in this build yet" <<<"$probe"; then
    echo "SKIP: provider=aws-kms is not in this build yet"
    exit 77
fi

node "$KMS_LOCAL" --port 0 --port-file "$T/port" --state "$T/keys.json" >kms.log 2>&1 &
KMS_PID=$!
trap 'kill $KMS_PID 2>/dev/null || true; rm -rf "$T"' EXIT
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.1; done
PORT=$(cat "$T/port")
export AWS_ACCESS_KEY_ID=AKIDLOCALTEST AWS_SECRET_ACCESS_KEY=local/secret/key/for/tests
export AWS_ENDPOINT_URL_KMS=http://127.0.0.1:$PORT AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_CONFIG_FILE=/nonexistent
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION AWS_DEFAULT_REGION

# create_key REGION: print the new key's ARN
create_key() {
    curl -sf --aws-sigv4 "aws:amz:$1:kms" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
        -H 'X-Amz-Target: TrentService.CreateKey' -H 'Content-Type: application/x-amz-json-1.1' \
        -d '{}' "http://127.0.0.1:$PORT/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["KeyMetadata"]["Arn"])'
}
K1=$(create_key us-west-2)
K2=$(create_key eu-central-1)
ok "two keys in two regions" test -n "$K1" -a -n "$K2"
head -c 5000 /dev/urandom >data

ok "encrypt with -w key=ARN (aws-kms is the default provider)" "$ESDK" -e -i data -o one.enc -w "key=$K1" -c app=test
ok "decrypt with the key ARN" "$ESDK" -d -i one.enc -o one.dec -w "key=$K1"
same data one.dec
ok "encrypt under both keys" "$ESDK" -e -i data -o two.enc -w provider=aws-kms "key=$K1" "key=$K2"
ok "  the second key alone decrypts" "$ESDK" -d -i two.enc -o two.dec -w "key=$K2"
same data two.dec
ok "discovery decrypts" "$ESDK" -d -i one.enc -o disc.dec -w discovery=true
same data disc.dec
ok "discovery limited to the right account" "$ESDK" -d -i one.enc -o disc2.dec -w discovery=true \
    discovery-partition=aws discovery-account=111122223333
same data disc2.dec
fails 1 "discovery limited to another account" "$ESDK" -d -i one.enc -o disc3.dec -w discovery=true \
    discovery-partition=aws discovery-account=444455556666
absent disc3.dec
fails 1 "a key that did not wrap the data key" "$ESDK" -d -i one.enc -o wrong.dec -w "key=$K2"
absent wrong.dec
fails 1 "refused credentials" env AWS_SECRET_ACCESS_KEY=wrong "$ESDK" -d -i one.enc -o denied.dec -w "key=$K1"
err_has "denied"
absent denied.dec
fails 2 "discovery on encrypt" "$ESDK" -e -i data -o x -w discovery=true
fails 2 "discovery with a key" "$ESDK" -d -i one.enc -o x -w discovery=true "key=$K1"
fails 2 "neither key nor discovery" "$ESDK" -d -i one.enc -o x -w region=us-west-2
fails 2 "discovery-account without discovery-partition" "$ESDK" -d -i one.enc -o x -w discovery=true discovery-account=1
fails 2 "an unknown attribute" "$ESDK" -e -i data -o x -w "key=$K1" colour=blue
absent x
no_temp "$T"
done_checks

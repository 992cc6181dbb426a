#!/usr/bin/env bash
# --metadata-output: JSON lines, appended, --overwrite-metadata, and what they hold.
source "$(dirname "$0")/lib.sh" "$@"
make_keys
echo secret >plain
ok "encrypt with metadata" "$ESDK" -e -i plain -o plain.enc "${W[@]}" -c dept=42 purpose=test \
    --metadata-output meta.jsonl
ok "decrypt with metadata (appended)" "$ESDK" -d -i plain.enc -o plain.dec "${W[@]}" --metadata-output meta.jsonl
ok "the two lines parse and hold the header" python3 - "$T" <<'PY'
import base64, json, os, sys
t = sys.argv[1]
lines = [json.loads(l) for l in open(os.path.join(t, "meta.jsonl"))]
assert len(lines) == 2, lines
enc, dec = lines
assert enc["mode"] == "encrypt" and dec["mode"] == "decrypt"
assert enc["input"] == os.path.join(t, "plain") and enc["output"] == os.path.join(t, "plain.enc")
assert dec["input"] == os.path.join(t, "plain.enc") and dec["output"] == os.path.join(t, "plain.dec")
for m in lines:
    h = m["header"]
    assert h["algorithm"] == "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384", h
    assert h["algorithm_id"] == "0x0578" and h["version"] == "2.0" and h["content_type"] == 2
    assert h["frame_length"] == 4096
    assert len(base64.b64decode(h["message_id"])) == 32
    ctx = h["encryption_context"]
    assert ctx["dept"] == "42" and ctx["purpose"] == "test" and "aws-crypto-public-key" in ctx
    (edk,) = h["encrypted_data_keys"]
    assert edk["provider_id"] == "test"
    info = base64.b64decode(edk["provider_info"])
    assert info.startswith(b"k256") and len(info) == 4 + 4 + 4 + 12, info
    assert base64.b64decode(edk["key_provider"]["provider_id"]) == b"test"
    assert edk["key_provider"]["key_info"] == edk["provider_info"]
    assert len(base64.b64decode(edk["encrypted_data_key"])) == 32 + 16
assert enc["header"]["message_id"] == dec["header"]["message_id"]
assert list(enc) == sorted(enc), "keys are sorted"
print("metadata ok")
PY
ok "--overwrite-metadata truncates once" "$ESDK" -d -i plain.enc -o plain.dec2 "${W[@]}" \
    --metadata-output meta.jsonl --overwrite-metadata
ok "  one line now" test "$(wc -l <meta.jsonl)" -eq 1

mkdir tree out
echo 1 >tree/a
echo 2 >tree/b
ok "one line per file of a directory" "$ESDK" -e -r -i tree -o out "${W[@]}" --metadata-output tree.jsonl
ok "  two lines" test "$(wc -l <tree.jsonl)" -eq 2

say "a decrypt context mismatch: exit 3, no output, a 'skipped' line like the official CLI's"
fails 3 "  decrypt requiring purpose=prod and key owner" "$ESDK" -d -i plain.enc -o mm.dec "${W[@]}" \
    -c purpose=prod owner --metadata-output mm.jsonl
absent mm.dec
ok "  the skipped line" python3 - "$T" <<'PY'
import json, os, sys
(m,) = [json.loads(l) for l in open(os.path.join(sys.argv[1], "mm.jsonl"))]
assert m["skipped"] is True, m
assert m["missing_encryption_context_keys"] == ["owner"], m
assert m["missing_encryption_context_pairs"] == [["purpose", "prod"]], m
print("skip line ok")
PY
ok "-S is accepted" "$ESDK" -d -S -i plain.enc -o plain.dec3 "${W[@]}"
fails 2 "-S with --metadata-output" "$ESDK" -d -S -i plain.enc -o plain.dec4 "${W[@]}" --metadata-output m2
fails 1 "a directory as metadata output" "$ESDK" -d -i plain.enc -o plain.dec5 "${W[@]}" --metadata-output tree
absent plain.dec4 plain.dec5
fails 1 "metadata file as the output" "$ESDK" -d -i plain.enc -o meta.jsonl --overwrite "${W[@]}" --metadata-output meta.jsonl
no_temp "$T"
done_checks

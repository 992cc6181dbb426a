#!/usr/bin/env bash
# Decrypt messages written by the official AWS Encryption SDK for C 2.4.1 (raw AES keys):
# a handful across key sizes, suites, frame lengths, contexts and the multi-keyring.
source "$(dirname "$0")/lib.sh" "$@"
V="$SHARED_DIR/vectors/aws-encryption-sdk-c-2.4.1"
if [ -z "$SHARED_DIR" ] || [ ! -f "$V/manifest.json" ]; then
    echo "SKIP: $V not found"
    exit 77
fi

# One line per chosen test, tab-separated: name, key id, base64 key, ciphertext, plaintext,
# suite, then the encryption context pairs (k=v) to check on decrypt.
python3 - "$V" >cases.txt <<'PY'
import json, os, sys
v = sys.argv[1]
m = json.load(open(os.path.join(v, "manifest.json")))
keys = json.load(open(os.path.join(v, "keys.json")))["keys"]
want = [
    ("aes-128", "0014", 4097, 4096), ("aes-192", "0046", 4095, 4096), ("aes-256", "0078", 1, 4096),
    ("aes-128", "0114", 4096, 4096), ("aes-256", "0178", 0, 4096), ("aes-192", "0214", 4097, 4096),
    ("aes-256", "0378", 4096, 4096), ("aes-128", "0478", 4097, 4096), ("aes-256", "0578", 1048576, 4096),
    ("aes-256", "0578", 4097, 0), ("aes-256", "0478", 4097, 1), ("aes-256", "0578", 4097, 65536),
    ("multi", "0578", 4097, 4096),
]
chosen, seen_ec = [], False
for name, t in sorted(m["tests"].items()):
    mk = [k for k in t["master-keys"] if k.get("encryption-algorithm") == "aes"]
    if not mk:
        continue
    for kr, suite, size, frame in want:
        if t["keyring"] != kr or t["frame-size"] != frame:
            continue
        if suite and t["algorithm-suite"] != suite:
            continue
        if size is not None and not t["plaintext"].endswith("/%d.bin" % size):
            continue
        want.remove((kr, suite, size, frame))
        chosen.append((name, t, mk[0]))
        break
    else:
        if not seen_ec and any(ord(c) > 127 for kv in t["encryption-context"].items() for c in "".join(kv)):
            seen_ec = True
            chosen.append((name, t, mk[0]))
assert not want, "vectors missing from the manifest: %r" % want
for name, t, k in chosen:
    ec = ["%s=%s" % kv for kv in t["encryption-context"].items()]
    print("\t".join([name, k["key"], keys[k["key"]]["material"], t["ciphertext"][7:], t["plaintext"][7:],
                     t["algorithm-suite"]] + ec))
PY
ok "picked $(wc -l <cases.txt) vectors" test "$(wc -l <cases.txt)" -ge 10

while IFS=$'\t' read -r -a f; do
    name=${f[0]} key=${f[1]} material=${f[2]} ct=${f[3]} pt=${f[4]} suite=${f[5]}
    args=(-w provider=aes "key=base64:$material" "name=$key" namespace=peer-c-raw
          --commitment-policy require-encrypt-allow-decrypt)
    ctx=()
    if [ ${#f[@]} -gt 6 ]; then
        ctx=(-c "${f[@]:6}")
    fi
    ok "$name: decrypt with key $key (context pairs checked: $((${#f[@]} - 6)))" "$ESDK" -d -i "$V/$ct" -o "$name.out" "${args[@]}" "${ctx[@]}"
    same "$V/$pt" "$name.out"
    ok "$name: through stdin/stdout" sh -c "\"\$0\" -d -i - -o - \"\$@\" <\"$V/$ct\" >\"$name.pipe\"" "$ESDK" "${args[@]}"
    same "$V/$pt" "$name.pipe"
    case $suite in
        0214|0346|0378|0578)
            fails 1 "$name: --decrypt-unsigned refuses the signed suite $suite" \
                "$ESDK" --decrypt-unsigned -i "$V/$ct" -o "$name.unsigned" "${args[@]}"
            absent "$name.unsigned" ;;
        *)
            ok "$name: --decrypt-unsigned accepts suite $suite" \
                "$ESDK" --decrypt-unsigned -i "$V/$ct" -o "$name.unsigned" "${args[@]}"
            same "$V/$pt" "$name.unsigned" ;;
    esac
    case $suite in
        0478|0578) ;;
        *)
            fails 1 "$name: the default policy refuses legacy suite $suite" \
                "$ESDK" -d -i "$V/$ct" -o "$name.refused" -w provider=aes "key=base64:$material" "name=$key" namespace=peer-c-raw
            absent "$name.refused" ;;
    esac
done <cases.txt
no_temp "$T"
done_checks

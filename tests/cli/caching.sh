#!/usr/bin/env bash
# --caching: inputs of one run share a data key within the limits.
source "$(dirname "$0")/lib.sh" "$@"
make_keys
mkdir src out1 out2
for i in 1 2 3; do echo "file $i" >src/f$i; done

# distinct EDKs over the lines of a metadata file
edks() { python3 -c 'import json,sys; print(len({json.loads(l)["header"]["encrypted_data_keys"][0]["encrypted_data_key"] for l in open(sys.argv[1])}))' "$1"; }

ok "three files with --caching capacity=10 max_age=60" "$ESDK" -e -r -i src -o out1 "${W[@]}" \
    --caching capacity=10 max_age=60 --metadata-output m1
ok "  share one data key" test "$(edks m1)" -eq 1
ok "  and decrypt" "$ESDK" -d -r -i out1 -o out1 --suffix .plain "${W[@]}" --caching capacity=10 max_age=60
for i in 1 2 3; do same src/f$i out1/f$i.encrypted.plain; done
ok "max_messages_encrypted=1: a data key per file" "$ESDK" -e -r -i src -o out2 "${W[@]}" \
    --caching capacity=10 max_age=60 max_messages_encrypted=1 --metadata-output m2
ok "  three data keys" test "$(edks m2)" -eq 3
fails 2 "capacity=0" "$ESDK" -e -r -i src -o out2 "${W[@]}" --caching capacity=0 max_age=60
fails 2 "max_age=-1" "$ESDK" -e -r -i src -o out2 "${W[@]}" --caching capacity=1 max_age=-1
fails 2 "max_bytes_encrypted=x" "$ESDK" -e -r -i src -o out2 "${W[@]}" --caching capacity=1 max_age=1 max_bytes_encrypted=x
no_temp "$T"
done_checks

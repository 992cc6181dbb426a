#!/usr/bin/env bash
# stdin and stdout: pipes both ways, --buffer, decrypt-unsigned streaming, stdin to a file.
source "$(dirname "$0")/lib.sh" "$@"
make_keys
head -c 300000 /dev/urandom >data

ok "encrypt stdin to stdout" sh -c "\"\$0\" -e -i - -o - \"\$@\" <data >piped.enc" "$ESDK" "${W[@]}"
ok "decrypt stdin to stdout" sh -c "\"\$0\" -d -i - -o - \"\$@\" <piped.enc >piped.dec" "$ESDK" "${W[@]}"
same data piped.dec
ok "decrypt a file to stdout with --buffer" sh -c "\"\$0\" -d -b -i piped.enc -o - \"\$@\" >buffered.dec" "$ESDK" "${W[@]}"
same data buffered.dec
ok "encrypt stdin to a file" sh -c "\"\$0\" -e -i - -o fromstdin.enc \"\$@\" <data" "$ESDK" "${W[@]}"
ok "decrypt a file from stdin" sh -c "\"\$0\" -d -i - -o fromstdin.dec \"\$@\" <fromstdin.enc" "$ESDK" "${W[@]}"
same data fromstdin.dec
ok "unframed encrypt from stdin (input read into memory first)" \
    sh -c "\"\$0\" -e -i - -o - --frame-length 0 \"\$@\" <data >unframed.enc" "$ESDK" "${W[@]}"
ok "decrypt the unframed message" sh -c "\"\$0\" -d -i unframed.enc -o - \"\$@\" >unframed.dec" "$ESDK" "${W[@]}"
same data unframed.dec
ok "--decrypt-unsigned streams an unsigned message through a pipe" sh -c \
    "\"\$0\" -e -i - -o - --algorithm AES_256_GCM_HKDF_SHA512_COMMIT_KEY \"\$@\" <data | \"\$0\" --decrypt-unsigned -i - -o - \"\$@\" >unsigned.dec" \
    "$ESDK" "${W[@]}"
same data unsigned.dec

say "a tampered signed message on stdout with --buffer: nothing is written"
cp piped.enc tampered.enc
printf '\x00' | dd of=tampered.enc bs=1 seek=$(($(stat -c %s tampered.enc) - 10)) conv=notrunc status=none
fails 1 "  decrypt with --buffer" sh -c "\"\$0\" -d -b -i tampered.enc -o - \"\$@\" >tampered.out" "$ESDK" "${W[@]}"
ok "  stdout stayed empty" test ! -s tampered.out
fails 1 "  without --buffer the error is reported and a warning says what was written" \
    sh -c "\"\$0\" -d -i tampered.enc -o - \"\$@\" >tampered2.out" "$ESDK" "${W[@]}"
err_has "signature verification failed"
err_has "discard them"
ok "  the final frame was held back" test "$(stat -c %s tampered2.out)" -lt 300000

ok "metadata to stdout while output goes to a file" sh -c \
    "\"\$0\" -e -i data -o meta.enc --metadata-output - \"\$@\" >meta.out" "$ESDK" "${W[@]}"
ok "  one JSON line on stdout" python3 -c 'import json; json.loads(open("meta.out").read())'
fails 2 "metadata and output both on stdout" "$ESDK" -e -i data -o - --metadata-output - "${W[@]}"
no_temp "$T"
done_checks

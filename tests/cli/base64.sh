#!/usr/bin/env bash
# --encode / --decode: base64 output and (whitespace-tolerant) base64 input.
source "$(dirname "$0")/lib.sh" "$@"
make_keys
for n in 0 1 2 3 4 100 65537; do
    head -c $n /dev/urandom >"p$n"
    ok "encrypt $n bytes with --encode" "$ESDK" -e --encode -i "p$n" -o "p$n.b64" "${W[@]}"
    ok "  the output is base64 text without line breaks" sh -c "base64 -d <p$n.b64 >p$n.bin && test \$(wc -l <p$n.b64) -eq 0"
    ok "  decrypt it with --decode" "$ESDK" -d --decode -i "p$n.b64" -o "p$n.dec" "${W[@]}"
    same "p$n" "p$n.dec"
done
ok "line-wrapped base64 (76 columns, CRLF) decodes" sh -c "base64 -w 76 <p65537.bin | sed 's/\$/\r/' >wrapped.b64"
ok "  decrypt wrapped text" "$ESDK" -d --decode -i wrapped.b64 -o wrapped.dec "${W[@]}"
same p65537 wrapped.dec
ok "--decode and --encode together (base64 in, base64 out) through pipes" sh -c \
    "\"\$0\" -d --decode --encode -i - -o - \"\$@\" <p100.b64 | base64 -d >both.dec" "$ESDK" "${W[@]}"
same p100 both.dec
ok "encrypt base64 input (--decode on encrypt)" sh -c "base64 <p100 >p100.txt"
ok "  encrypt it" "$ESDK" -e --decode -i p100.txt -o p100.txt.enc "${W[@]}"
ok "  decrypt" "$ESDK" -d -i p100.txt.enc -o p100.txt.dec "${W[@]}"
same p100 p100.txt.dec

printf 'not base64 at all!' >bad.b64
fails 1 "invalid base64 input" "$ESDK" -d --decode -i bad.b64 -o bad.dec "${W[@]}"
err_has "not valid base64"
absent bad.dec
head -c 20 p100.b64 >cut.b64
printf 'A' >>cut.b64
fails 1 "base64 with a lone trailing character" "$ESDK" -d --decode -i cut.b64 -o cut.dec "${W[@]}"
absent cut.dec
no_temp "$T"
done_checks

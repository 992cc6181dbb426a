#!/usr/bin/env bash
# Every failure exits non-zero with one clear line, and leaves no output and no temporary
# file behind.
source "$(dirname "$0")/lib.sh" "$@"
make_keys
head -c 20000 /dev/urandom >data
"$ESDK" -e -i data -o data.enc "${W[@]}" -c purpose=test
"$ESDK" -e -i data -o unsigned.enc "${W[@]}" --algorithm AES_256_GCM_HKDF_SHA512_COMMIT_KEY
SIZE=$(stat -c %s data.enc)

# flip ONE byte at OFFSET of data.enc into FILE
flip() { cp data.enc "$2"; printf '\xff' | dd of="$2" bs=1 seek="$1" conv=notrunc status=none; }

flip 40 bad-header.enc
flip 2000 bad-body.enc
flip $((SIZE - 5)) bad-signature.enc
head -c $((SIZE - 100)) data.enc >truncated.enc
cat data.enc data.enc >trailing.enc
for f in bad-header bad-body bad-signature truncated trailing; do
    fails 1 "$f: decrypt fails" "$ESDK" -d -i $f.enc -o $f.out "${W[@]}"
    grep -q "^aws-esdk: $f.enc: " err || fail "the failure line names the input"
    absent $f.out
done
fails 1 "not a message at all" "$ESDK" -d -i data -o junk.out "${W[@]}"
err_has "malformed message"
absent junk.out

fails 1 "wrong key" "$ESDK" -d -i data.enc -o wrongkey.out "${W_OTHER[@]}"
err_has "data.enc: "
absent wrongkey.out
fails 1 "a key for another name" "$ESDK" -d -i data.enc -o wrongname.out \
    -w provider=aes "key=file://$T/k256" name=other namespace=test
err_has "no keyring could decrypt"
absent wrongname.out

fails 3 "wrong context value on decrypt" "$ESDK" -d -i data.enc -o wrongctx.out "${W[@]}" -c purpose=prod
err_has "encryption context mismatch"
err_has "'purpose' is 'test', not 'prod'"
absent wrongctx.out
fails 3 "missing context key on decrypt" "$ESDK" -d -i data.enc -o missingctx.out "${W[@]}" -c owner
err_has "key 'owner' is missing"
absent missingctx.out
fails 3 "context mismatch to stdout writes nothing" sh -c \
    "\"\$0\" -d -i data.enc -o - -c purpose=prod \"\$@\" >ctx-stdout.out" "$ESDK" "${W[@]}"
ok "  stdout empty" test ! -s ctx-stdout.out

fails 1 "missing key file" "$ESDK" -d -i data.enc -o nokey.out -w provider=aes key=file://$T/nokey name=k namespace=n
err_has "cannot open"
absent nokey.out
head -c 7 /dev/urandom >"$T/shortkey"
fails 1 "a key file of the wrong size" "$ESDK" -e -i data -o shortkey.out -w provider=aes "key=file://$T/shortkey" name=k namespace=n
absent shortkey.out
fails 1 "unset key variable" env -u NO_SUCH_KEY "$ESDK" -e -i data -o nokeyvar.out -w provider=aes key=env:NO_SUCH_KEY name=k namespace=n
absent nokeyvar.out

fails 1 "an input that fails while being read (temp file removed)" "$ESDK" -e -i /proc/self/mem -o readfail.out "${W[@]}"
absent readfail.out
if [ "$(id -u)" != 0 ]; then
    cp data unreadable && chmod 000 unreadable
    fails 1 "unreadable input" "$ESDK" -e -i unreadable -o unreadable.out "${W[@]}"
    absent unreadable.out
else
    say "(running as root: chmod 000 does not stop reads; /proc/self/mem covered the read failure)"
fi
mkdir ro && chmod 500 ro
if [ "$(id -u)" != 0 ]; then
    fails 1 "an output directory we cannot write" "$ESDK" -e -i data -o ro/x "${W[@]}"
    absent ro/x
fi

say "SIGTERM while the output is being written: the temporary file is removed"
mkfifo slow
"$ESDK" -e -i slow -o sig.out "${W[@]}" &
pid=$!
exec 3>slow
head -c 100000 /dev/urandom >&3
for _ in $(seq 50); do
    [ -n "$(find . -maxdepth 1 -name '.sig.out.aws-esdk-*')" ] && break
    sleep 0.1
done
ok "  the temporary file exists meanwhile" test -n "$(find . -maxdepth 1 -name '.sig.out.aws-esdk-*')"
kill -TERM $pid
rc=0
wait $pid || rc=$?
exec 3>&-
ok "  killed by SIGTERM (exit $rc)" test $rc -eq 143
absent sig.out
no_temp "$T"

say "existing outputs: never overwritten unless asked"
echo precious >exists
fails 1 "default: refuse" "$ESDK" -e -i data -o exists "${W[@]}"
err_has "exists; not overwritten"
ok "  unchanged" grep -qx precious exists
ok "--no-overwrite: skipped, exit 0" "$ESDK" -e -i data -o exists --no-overwrite "${W[@]}"
ok "  unchanged" grep -qx precious exists
ok "--interactive without a terminal: no" setsid -w "$ESDK" -e -i data -o exists --interactive "${W[@]}"
ok "  unchanged" grep -qx precious exists
if command -v script >/dev/null; then
    # script(1) gives the command a terminal; the answer is typed into it
    printf 'exec %q -e -i data -o "$1" --interactive' "$ESDK" >ask.sh
    printf ' %q' "${W[@]}" >>ask.sh
    ok "--interactive on a terminal, answer n: kept" sh -c "printf 'n\\n' | script -qec 'bash ask.sh exists' /dev/null >/dev/null"
    ok "  unchanged" grep -qx precious exists
    cp exists exists.copy
    ok "--interactive on a terminal, answer y: replaced" sh -c "printf 'y\\n' | script -qec 'bash ask.sh exists.copy' /dev/null >/dev/null"
    ok "  now a message" "$ESDK" -d -i exists.copy -o exists.copy.dec "${W[@]}"
    same data exists.copy.dec
fi
ok "--overwrite: replaced" "$ESDK" -e -i data -o exists --overwrite "${W[@]}"
ok "  now a message" "$ESDK" -d -i exists -o exists.dec "${W[@]}"
fails 1 "output is the input (even with --overwrite)" "$ESDK" -e -i data -o data --overwrite --suffix "${W[@]}"
err_has "cannot be the same"
same data exists.dec

fails 1 "--decrypt-unsigned on a signed message" "$ESDK" --decrypt-unsigned -i data.enc -o signed.out "${W[@]}"
err_has "signed message refused in decrypt-unsigned mode"
absent signed.out
fails 1 "--max-length below the frame length" "$ESDK" -d -i data.enc -o maxlen.out --max-length 1000 "${W[@]}"
err_has "configured limit exceeded"
absent maxlen.out
ok "--max-length at the frame length" "$ESDK" -d -i data.enc -o maxlen-ok.out --max-length 4096 "${W[@]}"
"$ESDK" -e -i data -o legacy.enc "${W[@]}" --commitment-policy forbid-encrypt-allow-decrypt
fails 1 "a legacy message under the default policy" "$ESDK" -d -i legacy.enc -o legacy.out "${W[@]}"
err_has "commitment policy"
absent legacy.out

say "usage errors exit 2"
fails 2 "no mode" "$ESDK" -i data -o x "${W[@]}"
fails 2 "two modes" "$ESDK" -e -d -i data -o x "${W[@]}"
fails 2 "no -w" "$ESDK" -e -i data -o x
fails 2 "no -o" "$ESDK" -e -i data "${W[@]}"
fails 2 "unknown option" "$ESDK" -e -i data -o x --frobnicate "${W[@]}"
fails 2 "the -interactive typo" "$ESDK" -e -i data -o x -interactive "${W[@]}"
err_has "did you mean '--interactive'"
fails 2 "-i twice" "$ESDK" -e -i data -i data -o x "${W[@]}"
fails 2 "unknown algorithm" "$ESDK" -e -i data -o x --algorithm AES_999 "${W[@]}"
fails 2 "a legacy algorithm under the default policy" "$ESDK" -e -i data -o x --algorithm 0x0178 "${W[@]}"
fails 2 "bad commitment policy" "$ESDK" -e -i data -o x --commitment-policy sometimes "${W[@]}"
fails 2 "--max-encrypted-data-keys 0" "$ESDK" -e -i data -o x --max-encrypted-data-keys 0 "${W[@]}"
fails 2 "--frame-length not a number" "$ESDK" -e -i data -o x --frame-length 4k "${W[@]}"
fails 2 "reserved context key on encrypt" "$ESDK" -e -i data -o x -c aws-crypto-public-key=x "${W[@]}"
fails 2 "bare context key on encrypt" "$ESDK" -e -i data -o x -c purpose "${W[@]}"
fails 2 "-w without key=value" "$ESDK" -e -i data -o x -w provider=aes oops
fails 2 "-w with an unknown parameter" "$ESDK" -e -i data -o x "${W[@]}" colour=blue
fails 2 "-w with two providers" "$ESDK" -e -i data -o x -w provider=aes provider=rsa key=base64:AAAA
fails 2 "-w provider=nope" "$ESDK" -e -i data -o x -w provider=nope key=x
err_has "no such provider"
fails 2 "provider=aes without name=" "$ESDK" -e -i data -o x -w provider=aes "key=file://$T/k256" namespace=n
fails 2 "--caching without max_age" "$ESDK" -e -i data -o x "${W[@]}" --caching capacity=3
fails 2 "--caching with an unknown key" "$ESDK" -e -i data -o x "${W[@]}" --caching capacity=3 max_age=1 foo=1
fails 2 "aws-kms discovery on encrypt" "$ESDK" -e -i data -o x -w discovery=true
fails 2 "--overwrite with --no-overwrite" "$ESDK" -e -i data -o x --overwrite --no-overwrite "${W[@]}"
fails 2 "-q with -v" "$ESDK" -e -i data -o x -q -v "${W[@]}"
absent x

say "a provider missing from this build says so (one with no keyring yet: see --help)"
stub=$("$ESDK" --help | awk '/not available in this build yet/ {print $1; exit}')
if [ -n "$stub" ]; then
    fails 1 "provider=$stub" "$ESDK" -d -i data.enc -o x -w "provider=$stub" key=k
    err_has "not available in this build yet"
    absent x
else
    say "(every provider is in this build)"
fi

ok "--version" sh -c "\"\$0\" --version | grep -q '^aws-esdk [0-9]'" "$ESDK"
ok "--help" sh -c "\"\$0\" --help | grep -q -- '--wrapping-keys'" "$ESDK"
no_temp "$T"
done_checks

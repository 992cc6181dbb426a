#!/usr/bin/env bash
# Directories: -r replicates the tree, suffixes, globs, and the refusals.
source "$(dirname "$0")/lib.sh" "$@"
make_keys
mkdir -p src/a/b src/c enc dec
echo one >src/top.txt
head -c 5000 /dev/urandom >src/a/mid.bin
echo deep >src/a/b/deep.txt
: >src/c/empty
echo hidden >src/.hidden

ok "encrypt a tree with -r" "$ESDK" -e -r -i src -o enc "${W[@]}"
for f in top.txt a/mid.bin a/b/deep.txt c/empty .hidden; do
    ok "  enc/$f.encrypted exists" test -f "enc/$f.encrypted"
done
ok "decrypt the tree with -R" "$ESDK" -d -R -i enc -o dec "${W[@]}"
for f in top.txt a/mid.bin a/b/deep.txt c/empty .hidden; do
    same "src/$f" "dec/$f.encrypted.decrypted"
done
ok "decrypted subdirectories are private (700)" test "$(mode_of dec/a/b)" = 700

mkdir keep
ok "--suffix with no value keeps the names" "$ESDK" -d -r -i enc -o keep --suffix "${W[@]}"
same src/a/b/deep.txt keep/a/b/deep.txt.encrypted
mkdir custom
ok "--suffix .x" "$ESDK" -e -r -i src -o custom --suffix .x "${W[@]}"
ok "  custom/a/mid.bin.x exists" test -f custom/a/mid.bin.x
mkdir globbed
ok "a glob pattern with several matches into a directory" "$ESDK" -e -i 'src/*.txt' -o globbed "${W[@]}"
ok "  globbed/top.txt.encrypted exists" test -f globbed/top.txt.encrypted
ok "a single file into an existing directory" "$ESDK" -d -i enc/top.txt.encrypted -o globbed "${W[@]}"
same src/top.txt globbed/top.txt.encrypted.decrypted

fails 1 "a directory without -r" "$ESDK" -e -i src -o enc "${W[@]}"
err_has "is a directory (use -r"
fails 1 "a directory into a file" "$ESDK" -e -r -i src -o notadir "${W[@]}"
absent notadir
fails 1 "a directory to stdout" "$ESDK" -e -r -i src -o - "${W[@]}"
fails 1 "stdin into a directory" sh -c "\"\$0\" -e -i - -o enc \"\$@\" </dev/null" "$ESDK" "${W[@]}"
err_has "destination may not be a directory when source is stdin"
fails 1 "several glob matches into a file" "$ESDK" -e -i 'src/*' -o onefile "${W[@]}"
absent onefile
fails 1 "no such input" "$ESDK" -e -i nothere -o x "${W[@]}"
fails 1 "a file output in a missing directory" "$ESDK" -e -i src/top.txt -o missing/x "${W[@]}"

say "the output directory inside the input tree is not walked into"
mkdir -p self/out
echo x >self/file
ok "  encrypt self into self/out" "$ESDK" -e -r -i self -o self/out "${W[@]}"
ok "  only self/out/file.encrypted" test "$(find self/out -type f | wc -l)" -eq 1

say "re-running into the same tree: existing outputs are refused, then skipped, then replaced"
fails 1 "  default refuses" "$ESDK" -e -r -i src -o enc "${W[@]}"
err_has "exists; not overwritten"
cp enc/top.txt.encrypted before
ok "  --no-overwrite skips" "$ESDK" -e -r -i src -o enc --no-overwrite "${W[@]}"
same before enc/top.txt.encrypted
ok "  --overwrite replaces" "$ESDK" -e -r -i src -o enc --overwrite "${W[@]}"
ok "  (a new message)" sh -c '! cmp -s before enc/top.txt.encrypted'
no_temp "$T"
done_checks

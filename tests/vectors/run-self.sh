#!/bin/sh
# vectors.self: encrypt our own manifest, then decrypt what was written; every case must pass
# (no failure and no skip: our own vectors use only raw AES keys).
# usage: run-self.sh ESDK_VECTORS ENCRYPT_MANIFEST OUTDIR
set -u
tool=$1
manifest=$2
out=$3
rm -rf "$out" || exit 1
"$tool" encrypt "$manifest" "$out" || { echo "self: encrypt failed"; exit 1; }
result=$("$tool" decrypt "$out/manifest.json")
status=$?
printf '%s\n' "$result"
[ "$status" -eq 0 ] || { echo "self: decrypt failed"; exit 1; }
case $(printf '%s\n' "$result" | tail -n 1) in
    *skipped*) echo "self: some of our own vectors were skipped"; exit 1 ;;
esac
exit 0

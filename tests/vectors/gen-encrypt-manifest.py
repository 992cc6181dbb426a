#!/usr/bin/env python3
"""Writes encrypt-manifest.json: our own awses-encrypt manifest for `esdk-vectors encrypt`.

Covers all 11 suites, frame lengths 4096, 1, 65536 (and unframed for one suite), plaintext sizes
0, 1, 4095, 4096, 4097, 100000, four encryption contexts and raw AES-128/192/256 keys, in a few
blocks rather than the full cross product. keys.json (random key material made once) is kept as
is. Run from this folder: python3 gen-encrypt-manifest.py
"""
import json

SUITES = ["0014", "0046", "0078", "0114", "0146", "0178", "0214", "0346", "0378", "0478", "0578"]
PLAINTEXTS = {"p0": 0, "p1": 1, "p4095": 4095, "p4096": 4096, "p4097": 4097, "p100000": 100000}
SIZES = list(PLAINTEXTS)
KEYS = ["aes-128", "aes-192", "aes-256"]
CONTEXTS = [
    {},
    {"purpose": "vector self-test", "team": "aws-esdk-c", "a": "1"},
    {"café": "crème brûlée", "日本語": "暗号化", "emoji-🔐": "🙂👍🏽", "ключ": "значение"},
    # byte order (A B Z a b e é) differs from any case-insensitive order
    {"a": "lower a", "B": "upper B", "b": "lower b", "A": "upper A", "Z": "zeta", "é": "e acute",
     "e": "plain e"},
]
UNFRAMED_SUITE = "0178"

tests = {}


def add(suite, frame, pt, key, ec):
    tid = f"{suite}-f{frame}-{pt}-{key}-ec{ec}"
    if tid in tests:
        return
    tests[tid] = {
        "description": f"suite {suite}, frame {frame}, plaintext {PLAINTEXTS[pt]} bytes, {key}, context #{ec}",
        "plaintext": pt,
        "algorithm": suite,
        "frame-size": frame,
        "encryption-context": CONTEXTS[ec],
        "master-keys": [{"type": "raw", "key": key, "provider-id": "aws-esdk-c-vectors",
                         "encryption-algorithm": "aes"}],
    }


for si, suite in enumerate(SUITES):
    for pi, pt in enumerate(SIZES):  # every size at the default frame length
        add(suite, 4096, pt, KEYS[(si + pi) % 3], (si + pi) % 4)
    for pi, pt in enumerate(["p0", "p1", "p4095"]):  # one-byte frames
        add(suite, 1, pt, KEYS[(si + pi + 1) % 3], (si + pi + 1) % 4)
    for pi, pt in enumerate(["p0", "p4096", "p100000"]):  # large frames
        add(suite, 65536, pt, KEYS[(si + pi + 2) % 3], (si + pi + 2) % 4)
    for ki, key in enumerate(KEYS):  # every key size with every suite
        add(suite, 4096, "p4097", key, (si + ki + 1) % 4)
for pi, pt in enumerate(SIZES):  # unframed (legacy) bodies for one suite
    add(UNFRAMED_SUITE, 0, pt, KEYS[pi % 3], pi % 4)

manifest = {
    "manifest": {"type": "awses-encrypt", "version": 2},
    "keys": "file://keys.json",
    "plaintexts": PLAINTEXTS,
    "tests": tests,
}
with open("encrypt-manifest.json", "w", encoding="utf-8") as f:
    json.dump(manifest, f, indent=2, ensure_ascii=False)
    f.write("\n")
print(f"{len(tests)} tests")

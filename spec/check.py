#!/usr/bin/env python3
"""List the requirements of spec/requirements.md that no test cites ("spec: <id>").

Exit status 1 when a MUST requirement has no citing test. Prints a summary line
'N requirements, N cited, N uncited (N MUST)'."""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
req_re = re.compile(r"^- \*\*([a-z0-9-]+)\*\* \((MUST|SHOULD)\):")
reqs = {}
for line in (root / "spec" / "requirements.md").read_text(encoding="utf-8").splitlines():
    m = req_re.match(line)
    if m:
        reqs[m.group(1)] = m.group(2)

cited = set()
cite_re = re.compile(r"spec:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)")
for path in (root / "tests").rglob("*"):
    if path.is_file() and path.suffix in {".c", ".py", ".sh", ".js", ".cmake", ".txt"} and "node_modules" not in path.parts:
        for m in cite_re.finditer(path.read_text(encoding="utf-8", errors="replace")):
            cited.update(x.strip() for x in m.group(1).split(","))
for path in (root / "bindings").rglob("test*.py"):
    for m in cite_re.finditer(path.read_text(encoding="utf-8", errors="replace")):
        cited.update(x.strip() for x in m.group(1).split(","))

unknown = sorted(c for c in cited if c not in reqs)
uncited = [r for r in reqs if r not in cited]
must_uncited = [r for r in uncited if reqs[r] == "MUST"]
for r in uncited:
    print(f"uncited {reqs[r]}: {r}")
for c in unknown:
    print(f"cited but not defined: {c}")
print(f"{len(reqs)} requirements, {len(reqs) - len(uncited)} cited, {len(uncited)} uncited ({len(must_uncited)} MUST)")
sys.exit(1 if must_uncited or unknown else 0)

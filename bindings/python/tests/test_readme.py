"""The examples in the READMEs run as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unittest
from typing import List, Optional

import support

README = os.path.join(support.PACKAGE_ROOT, "README.md")
TOP_README = os.path.join(support.PACKAGE_ROOT, "..", "..", "README.md")


def python_blocks(text: str) -> List[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def python_section(path: str) -> Optional[str]:
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        text = f.read()
    match = re.search(r"^## Python\n(.*?)(?=^## |\Z)", text, flags=re.S | re.M)
    return match.group(1) if match else None


def run(code: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=support.PACKAGE_ROOT)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


class TestReadme(unittest.TestCase):
    def test_quick_start(self) -> None:
        with open(README, encoding="utf-8") as f:
            blocks = python_blocks(f.read())
        result = run(blocks[0])
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_top_level_readme_python_section(self) -> None:
        section = python_section(TOP_README)
        if section is None:
            self.skipTest("the top-level README has no '## Python' section")
        blocks = python_blocks(section)
        self.assertTrue(blocks, "the '## Python' section has no python example")
        result = run(blocks[0])
        self.assertEqual(result.returncode, 0, result.stderr)


if __name__ == "__main__":
    unittest.main()

"""Where the library comes from, and the version check (each case in a fresh interpreter)."""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import support  # noqa: F401  (puts the package on sys.path)

import aws_esdk

PROBE = "import aws_esdk; print(aws_esdk.LIBRARY_PATH)"


def run_python(code: str, pythonpath: str, **env_changes: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = pythonpath
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60
    )


class TestLoading(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.mkdtemp(prefix="aws-esdk-load-")
        self.package = os.path.join(self.tmp, "aws_esdk")
        shutil.copytree(
            os.path.dirname(aws_esdk.__file__),
            self.package,
            ignore=shutil.ignore_patterns("__pycache__", "libaws-esdk-c.so*"),
        )

    def tearDown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_environment_variable(self) -> None:
        result = run_python(PROBE, self.tmp, AWS_ESDK_LIBRARY=aws_esdk.LIBRARY_PATH)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), aws_esdk.LIBRARY_PATH)

    def test_bad_environment_variable_is_a_clear_import_error(self) -> None:
        result = run_python(PROBE, self.tmp, AWS_ESDK_LIBRARY="/nonexistent/libaws-esdk-c.so")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImportError", result.stderr)
        self.assertIn("AWS_ESDK_LIBRARY", result.stderr)

    def test_bundled_library_comes_first(self) -> None:
        shutil.copy(os.path.realpath(aws_esdk.LIBRARY_PATH), os.path.join(self.package, "libaws-esdk-c.so.0"))
        result = run_python(PROBE, self.tmp, AWS_ESDK_LIBRARY="/nonexistent/libaws-esdk-c.so")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(os.path.dirname(result.stdout.strip()), self.package)

    def test_no_library_anywhere(self) -> None:
        if ctypes.util.find_library("aws-esdk-c"):
            self.skipTest("libaws-esdk-c is installed system-wide; the 'not found' path cannot be reached")
        result = run_python(PROBE, self.tmp, AWS_ESDK_LIBRARY=None, LD_LIBRARY_PATH=None)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImportError", result.stderr)
        self.assertIn("cannot find libaws-esdk-c", result.stderr)

    def test_major_version_must_match(self) -> None:
        with open(os.path.join(self.package, "_version.py"), "w", encoding="utf-8") as f:
            f.write('__version__ = "99.0.0"\n')
        result = run_python(PROBE, self.tmp, AWS_ESDK_LIBRARY=aws_esdk.LIBRARY_PATH)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImportError", result.stderr)
        self.assertIn("needs libaws-esdk-c 99.x", result.stderr)


if __name__ == "__main__":
    unittest.main()

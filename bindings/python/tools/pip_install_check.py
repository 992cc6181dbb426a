#!/usr/bin/env python3
"""CTest python.pip-install: pip-install the package offline into a temporary target
directory and use it from there, with the library named by AWS_ESDK_LIBRARY.

Exit codes: 0 pass, 1 fail, 77 skip (pip or setuptools missing; the reason is printed).
The source tree is copied first, so that the build leaves nothing behind in it.

An offline build with --no-build-isolation needs pip and setuptools in the interpreter,
and, for setuptools older than 70.1, the ``wheel`` package too. When the interpreter
running this script lacks one of them, the check uses the first other Python 3 that has
them all (/usr/bin/python3, then python3 on PATH), saying so; with none it skips.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_SOURCE = os.path.dirname(HERE)

SMOKE = r"""
import os, sys
import aws_esdk
target = sys.argv[1]
assert os.path.realpath(aws_esdk.__file__).startswith(os.path.realpath(target)), aws_esdk.__file__
keyring = aws_esdk.RawAESKeyring("pip-check", "key", bytes(32))
client = aws_esdk.EncryptionSDKClient()
ciphertext, header = client.encrypt(source=b"installed", keyring=keyring, encryption_context={"by": "pip"})
plaintext, _ = client.decrypt(source=ciphertext, keyring=keyring)
assert plaintext == b"installed"
assert os.path.exists(os.path.join(os.path.dirname(aws_esdk.__file__), "py.typed"))
print("aws_esdk", aws_esdk.__version__, "from", aws_esdk.__file__, "library", aws_esdk.LIBRARY_PATH)
"""


PROBE = r"""
import importlib.util, sys
missing = []
try:
    import setuptools  # first: its distutils shim must load before anything imports distutils
except ImportError:
    setuptools = None
    missing.append("setuptools")
if importlib.util.find_spec("pip") is None:
    missing.append("pip")
if setuptools is not None:
    version = tuple(int(p) for p in setuptools.__version__.split(".")[:2] if p.isdigit())
    if version < (70, 1) and importlib.util.find_spec("wheel") is None:
        missing.append("wheel (setuptools %s needs it to build wheels)" % setuptools.__version__)
if sys.version_info < (3, 8):
    missing.append("Python 3.8 or newer")
print(", ".join(missing))
"""


def find_interpreter() -> str:
    """The first interpreter able to build the package offline ("" if none)."""
    candidates = [sys.executable, "/usr/bin/python3", shutil.which("python3") or ""]
    seen = set()
    for exe in candidates:
        if not exe or not os.path.exists(exe) or os.path.realpath(exe) in seen:
            continue
        seen.add(os.path.realpath(exe))
        probe = subprocess.run([exe, "-c", PROBE], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        missing = probe.stdout.strip() if probe.returncode == 0 else f"cannot run ({probe.stderr.strip()})"
        if not missing:
            if exe != sys.executable:
                print(f"note: using {exe} for the install check")
            return exe
        print(f"{exe}: missing {missing}")
    return ""


def main() -> int:
    python = find_interpreter()
    if not python:
        print("SKIP: no Python here has pip and setuptools (and wheel where needed); cannot test pip install")
        return SKIP
    library = os.environ.get("AWS_ESDK_LIBRARY")
    if not library or not os.path.exists(library):
        print(f"FAIL: AWS_ESDK_LIBRARY must name the built library (got {library!r})")
        return 1
    with tempfile.TemporaryDirectory(prefix="aws-esdk-pip-") as tmp:
        source = os.path.join(tmp, "src")
        target = os.path.join(tmp, "target")
        shutil.copytree(
            PACKAGE_SOURCE,
            source,
            ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info", "libaws-esdk-c.so*"),
        )
        cmd = [
            python,
            "-m",
            "pip",
            "install",
            "--no-build-isolation",
            "--no-deps",
            "--no-index",
            "--disable-pip-version-check",
            "--no-cache-dir",
            "--target",
            target,
            source,
        ]
        print("+", " ".join(cmd), flush=True)
        env = dict(os.environ, PIP_NO_INPUT="1")
        env.pop("PYTHONPATH", None)
        result = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        print(result.stdout)
        if result.returncode != 0:
            if "externally-managed-environment" in result.stdout:
                print("SKIP: this Python refuses pip installs (PEP 668) even with --target")
                return SKIP
            print(f"FAIL: pip exited with {result.returncode}")
            return 1
        env = dict(os.environ, PYTHONPATH=target, AWS_ESDK_LIBRARY=library)
        smoke = subprocess.run(
            [python, "-c", SMOKE, target],
            env=env,
            cwd=tmp,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        print(smoke.stdout)
        if smoke.returncode != 0:
            print("FAIL: the installed package did not work")
            return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())

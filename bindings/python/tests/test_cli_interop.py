"""Interoperability with the C command-line tool ``aws-esdk`` (cli/), through a raw AES key file.

The CTest registration sets AWS_ESDK_CLI to the built binary when the target exists;
without it these tests are skipped.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
import unittest
from typing import List

from support import AES_KEY, KEY_NAME, NAMESPACE, aes_keyring

from aws_esdk import Algorithm, CommitmentPolicy, EncryptionSDKClient

CLI = os.environ.get("AWS_ESDK_CLI", "")


@unittest.skipUnless(
    CLI and os.access(CLI, os.X_OK),
    "the aws-esdk CLI is not built (AWS_ESDK_CLI is unset or not executable); "
    "CTest sets it when the cli/ target exists",
)
class TestCliInterop(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory(prefix="aws-esdk-cli-")
        self.dir = self.tmp.name
        self.key_file = self.path("aes.key")
        with open(self.key_file, "wb") as f:
            f.write(AES_KEY)  # raw bytes (not base64 text: it holds a 0x00)
        os.chmod(self.key_file, 0o600)
        self.keyring = aes_keyring()
        self.client = EncryptionSDKClient()

    def tearDown(self) -> None:
        self.keyring.close()
        self.tmp.cleanup()

    def path(self, name: str) -> str:
        return os.path.join(self.dir, name)

    def wrapping_keys(self) -> List[str]:
        return ["-w", "provider=aes", f"key=file://{self.key_file}", f"name={KEY_NAME}", f"namespace={NAMESPACE}"]

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120
        )
        if check and result.returncode != 0:
            self.fail(f"aws-esdk {' '.join(args)} exited {result.returncode}: {result.stderr}")
        return result

    def write(self, name: str, data: bytes) -> str:
        path = self.path(name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def read(self, name: str) -> bytes:
        with open(self.path(name), "rb") as f:
            return f.read()

    def test_python_encrypts_cli_decrypts(self) -> None:
        for suite in (
            Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
            Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
        ):
            with self.subTest(suite=suite.name):
                data = os.urandom(100_000)
                ciphertext, _ = self.client.encrypt(
                    source=data, keyring=self.keyring, algorithm=suite, encryption_context={"by": "python"}
                )
                src = self.write("py.ct", ciphertext)
                self.cli("-d", "-i", src, "-o", self.path("cli.pt"), "-S", "--overwrite", *self.wrapping_keys())
                self.assertEqual(self.read("cli.pt"), data)

    def test_python_stream_legacy_suite_cli_decrypts(self) -> None:
        client = EncryptionSDKClient(commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
        data = os.urandom(300_000)
        with client.stream(
            mode="e", source=io.BytesIO(data), keyring=self.keyring, frame_length=1024,
            algorithm=Algorithm.AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256,
        ) as enc:
            ciphertext = enc.read()
        src = self.write("legacy.ct", ciphertext)
        self.cli(
            "-d", "-i", src, "-o", self.path("legacy.pt"), "-S", "--overwrite",
            "--commitment-policy", "forbid-encrypt-allow-decrypt", *self.wrapping_keys(),
        )
        self.assertEqual(self.read("legacy.pt"), data)

    def test_cli_encrypts_python_decrypts(self) -> None:
        data = os.urandom(70_000)
        src = self.write("plain.bin", data)
        self.cli(
            "-e", "-i", src, "-o", self.path("cli.ct"), "-S", "--overwrite",
            "-c", "purpose=interop", "tool=cli", *self.wrapping_keys(),
        )
        plaintext, header = self.client.decrypt(source=self.read("cli.ct"), keyring=self.keyring)
        self.assertEqual(plaintext, data)
        self.assertEqual(header.encryption_context["purpose"], "interop")
        self.assertEqual(header.encryption_context["tool"], "cli")
        self.assertIs(header.algorithm, Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384)
        with open(self.path("cli.ct"), "rb") as f, self.client.stream(mode="d", source=f, keyring=self.keyring) as dec:
            self.assertEqual(dec.read(), data)

    def test_cli_suite_and_frame_length_reach_python(self) -> None:
        data = os.urandom(10_000)
        src = self.write("plain2.bin", data)
        self.cli(
            "-e", "-i", src, "-o", self.path("cli2.ct"), "-S", "--overwrite",
            "--algorithm", "AES_256_GCM_HKDF_SHA512_COMMIT_KEY", "--frame-length", "512", *self.wrapping_keys(),
        )
        plaintext, header = self.client.decrypt(source=self.read("cli2.ct"), keyring=self.keyring)
        self.assertEqual(plaintext, data)
        self.assertIs(header.algorithm, Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
        self.assertEqual(header.frame_length, 512)

    def test_cli_refuses_what_python_tampered(self) -> None:
        ciphertext, _ = self.client.encrypt(source=os.urandom(5000), keyring=self.keyring)
        bad = bytearray(ciphertext)
        bad[-200] ^= 1
        src = self.write("bad.ct", bytes(bad))
        result = self.cli("-d", "-i", src, "-o", self.path("bad.pt"), "-S", "--overwrite", *self.wrapping_keys(), check=False)
        self.assertNotEqual(result.returncode, 0)


if __name__ == "__main__":
    unittest.main()

"""No leaks: 10,000 encrypt+decrypt calls after warm-up keep Python and process memory flat."""

from __future__ import annotations

import gc
import io
import os
import time
import tracemalloc
import unittest

import support
from support import XorKeyring, aes_keyring, rss_bytes

from aws_esdk import CannotDecryptError, EncryptionSDKClient, InvalidTagError

CALLS = 10_000
WARMUP = 1_000
KiB = 1024
MiB = 1024 * KiB


class TestLeaks(unittest.TestCase):
    def setUp(self) -> None:
        self.client = EncryptionSDKClient()
        self.keyring = aes_keyring()
        self.payload = os.urandom(1024)
        self.context = {"purpose": "leak test", "n": "1"}

    def tearDown(self) -> None:
        self.keyring.close()

    def cycle(self) -> None:
        ciphertext, _ = self.client.encrypt(
            source=self.payload,
            keyring=self.keyring,
            encryption_context=self.context,
            algorithm=support.UNSIGNED_COMMITTING,
        )
        plaintext, _ = self.client.decrypt(source=ciphertext, keyring=self.keyring)
        assert plaintext == self.payload

    def test_10000_one_shot_calls(self) -> None:
        for _ in range(WARMUP):
            self.cycle()
        gc.collect()
        started = time.monotonic()
        rss_before = rss_bytes()
        for _ in range(CALLS):
            self.cycle()
        gc.collect()
        rss_growth = rss_bytes() - rss_before
        plain_seconds = time.monotonic() - started

        tracemalloc.start()
        try:
            for _ in range(WARMUP // 10):
                self.cycle()
            gc.collect()
            traced_before, _ = tracemalloc.get_traced_memory()
            for _ in range(CALLS):
                self.cycle()
            gc.collect()
            traced_after, _ = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        traced_growth = traced_after - traced_before
        print(
            f"\n    {CALLS} encrypt+decrypt: {plain_seconds:.1f} s, RSS growth {rss_growth / KiB:.0f} KiB, "
            f"traced Python growth {traced_growth / KiB:.1f} KiB",
            end=" ",
        )
        self.assertLess(rss_growth, 3 * MiB)
        self.assertLess(traced_growth, 64 * KiB)

    def test_streams_python_keyrings_and_errors(self) -> None:
        python_keyring = XorKeyring(b"leak")
        message, _ = self.client.encrypt(
            source=self.payload * 8, keyring=self.keyring, algorithm=support.UNSIGNED_COMMITTING
        )
        tampered = bytearray(message)
        tampered[-150] ^= 1
        tampered_bytes = bytes(tampered)
        wrong = aes_keyring(os.urandom(32))

        def cycle() -> None:
            with self.client.stream(
                mode="e", source=io.BytesIO(self.payload), keyring=python_keyring, algorithm=support.UNSIGNED_COMMITTING
            ) as enc:
                ciphertext = enc.read()
            with self.client.stream(mode="d", source=ciphertext, keyring=python_keyring) as dec:
                assert dec.read() == self.payload
            for source, keyring, expected in (
                (tampered_bytes, self.keyring, InvalidTagError),
                (message, wrong, CannotDecryptError),
            ):
                try:
                    self.client.decrypt(source=source, keyring=keyring)
                except expected:
                    pass

        for _ in range(200):
            cycle()
        gc.collect()
        rss_before = rss_bytes()
        for _ in range(1500):
            cycle()
        gc.collect()
        rss_growth = rss_bytes() - rss_before
        self.assertLess(rss_growth, 3 * MiB, f"RSS grew by {rss_growth / KiB:.0f} KiB")


if __name__ == "__main__":
    unittest.main()

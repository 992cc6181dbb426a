"""Streaming: bounded memory on a 64 MiB file, the io API, signed-message semantics."""

from __future__ import annotations

import gc
import hashlib
import io
import os
import shutil
import tempfile
import time
import unittest

import support
from support import aes_keyring, rss_bytes

from aws_esdk import (
    Algorithm,
    BadStateError,
    EncryptionSDKClient,
    SignatureMismatchError,
    StreamDecryptor,
    StreamEncryptor,
)

MiB = 1024 * 1024


class TrickleReader(io.RawIOBase):
    """A source that returns at most n bytes per read (like a pipe or socket)."""

    def __init__(self, data: bytes, n: int) -> None:
        self._data = data
        self._pos = 0
        self._n = n

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        size = self._n if size < 0 else min(size, self._n)
        chunk = self._data[self._pos : self._pos + size]
        self._pos += len(chunk)
        return chunk


class TestLargeFile(unittest.TestCase):
    SIZE = 64 * MiB
    MAX_RSS_GROWTH = 24 * MiB

    def test_64_mib_file_in_bounded_memory(self) -> None:
        client = EncryptionSDKClient()
        with tempfile.TemporaryDirectory() as tmp, aes_keyring() as keyring:
            plain_path = os.path.join(tmp, "plain.bin")
            enc_path = os.path.join(tmp, "plain.bin.encrypted")
            digest = hashlib.sha256()
            with open(plain_path, "wb") as f:
                block = os.urandom(MiB)
                for i in range(self.SIZE // MiB):
                    chunk = bytes([i & 0xFF]) + block[1:]
                    digest.update(chunk)
                    f.write(chunk)
            expected = digest.hexdigest()
            del block, chunk
            gc.collect()

            baseline = rss_bytes()
            peak = baseline
            started = time.monotonic()
            with open(plain_path, "rb") as src, open(enc_path, "wb") as dst:
                with client.stream(mode="e", source=src, keyring=keyring, encryption_context={"file": "big"}) as enc:
                    for n, chunk in enumerate(enc):
                        dst.write(chunk)
                        if n % 64 == 0:
                            peak = max(peak, rss_bytes())
                    self.assertTrue(enc.done)
            self.assertGreater(os.path.getsize(enc_path), self.SIZE)

            digest = hashlib.sha256()
            with open(enc_path, "rb") as src:
                with client.stream(mode="d", source=src, keyring=keyring) as dec:
                    self.assertEqual(dec.header.encryption_context["file"], "big")
                    for n, chunk in enumerate(dec):
                        digest.update(chunk)
                        if n % 64 == 0:
                            peak = max(peak, rss_bytes())
                    self.assertTrue(dec.verified)
            elapsed = time.monotonic() - started
            peak = max(peak, rss_bytes())
            self.assertEqual(digest.hexdigest(), expected)
            growth = peak - baseline
            print(
                f"\n    64 MiB encrypt+decrypt stream: {elapsed:.2f} s, RSS growth {growth / MiB:.1f} MiB",
                end=" ",
            )
            self.assertLess(growth, self.MAX_RSS_GROWTH, f"RSS grew by {growth / MiB:.1f} MiB")


class TestStreamApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.keyring = aes_keyring()
        cls.client = EncryptionSDKClient()
        cls.plaintext = os.urandom(50000)
        cls.signed, _ = cls.client.encrypt(source=cls.plaintext, keyring=cls.keyring)
        cls.unsigned, _ = cls.client.encrypt(
            source=cls.plaintext, keyring=cls.keyring, algorithm=support.UNSIGNED_COMMITTING
        )

    @classmethod
    def tearDownClass(cls) -> None:
        cls.keyring.close()

    def test_types_and_io_protocol(self) -> None:
        enc = self.client.stream(mode="encrypt", source=self.plaintext, keyring=self.keyring)
        self.assertIsInstance(enc, StreamEncryptor)
        self.assertIsInstance(enc, io.BufferedIOBase)
        self.assertTrue(enc.readable())
        self.assertFalse(enc.writable())
        self.assertFalse(enc.seekable())
        with self.assertRaises(io.UnsupportedOperation):
            enc.write(b"x")
        enc.close()
        self.assertTrue(enc.closed)
        with self.assertRaises(ValueError):
            enc.read()
        dec = self.client.stream(mode="d", source=self.signed, keyring=self.keyring)
        self.assertIsInstance(dec, StreamDecryptor)
        dec.close()

    def test_header_before_body(self) -> None:
        with self.client.stream(mode="d", source=TrickleReader(self.signed, 100), keyring=self.keyring) as dec:
            header = dec.header
            self.assertIs(header.algorithm, Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384)
            self.assertEqual(dec.read(), self.plaintext)
            self.assertIs(dec.header, header)
        with self.client.stream(mode="e", source=io.BytesIO(self.plaintext), keyring=self.keyring) as enc:
            header = enc.header
            ciphertext = enc.read()
        self.assertEqual(self.client.decrypt(source=ciphertext, keyring=self.keyring)[1].message_id, header.message_id)

    def test_read_sizes(self) -> None:
        with self.client.stream(mode="d", source=io.BytesIO(self.unsigned), keyring=self.keyring) as dec:
            parts = []
            while True:
                part = dec.read(1000)
                if not part:
                    break
                self.assertTrue(len(part) == 1000 or len(b"".join(parts)) + len(part) == len(self.plaintext))
                parts.append(part)
        self.assertEqual(b"".join(parts), self.plaintext)
        with self.client.stream(mode="d", source=self.unsigned, keyring=self.keyring) as dec:
            buf = bytearray(7000)
            got = bytearray()
            while True:
                n = dec.readinto(buf)
                if not n:
                    break
                got += buf[:n]
            self.assertEqual(bytes(got), self.plaintext)
        with self.client.stream(mode="d", source=self.unsigned, keyring=self.keyring) as dec:
            self.assertTrue(dec.peek())
            self.assertEqual(dec.read1(10), self.plaintext[:10])
            self.assertEqual(dec.read(0), b"")
            self.assertEqual(dec.read(None), self.plaintext[10:])
            self.assertEqual(dec.read(), b"")

    def test_copyfileobj_and_trickling_sources(self) -> None:
        for n in (1, 13, 4096, 100000):
            with self.subTest(n=n):
                out = io.BytesIO()
                with self.client.stream(
                    mode="e", source=TrickleReader(self.plaintext, n), keyring=self.keyring, frame_length=512
                ) as enc:
                    shutil.copyfileobj(enc, out)
                back = io.BytesIO()
                with self.client.stream(mode="d", source=TrickleReader(out.getvalue(), n), keyring=self.keyring) as dec:
                    shutil.copyfileobj(dec, back)
                self.assertEqual(back.getvalue(), self.plaintext)

    def test_iteration_yields_chunks(self) -> None:
        with self.client.stream(mode="d", source=self.unsigned, keyring=self.keyring, chunk_size=8192) as dec:
            chunks = list(dec)
        self.assertGreater(len(chunks), 1)
        self.assertTrue(all(chunks))
        self.assertEqual(b"".join(chunks), self.plaintext)

    def test_signed_stream_holds_the_final_frame(self) -> None:
        bad = bytearray(self.signed)
        bad[-1] ^= 0x01  # the signature
        released = bytearray()
        with self.assertRaises((SignatureMismatchError,)):
            with self.client.stream(mode="d", source=io.BytesIO(bytes(bad)), keyring=self.keyring) as dec:
                for chunk in dec:
                    released += chunk
                    self.assertGreater(dec.unverified_bytes, 0)
        # regular frames may come out before the signature check; the final frame never does
        self.assertLess(len(released), len(self.plaintext))
        self.assertEqual(bytes(released), self.plaintext[: len(released)])
        final_frame = len(self.plaintext) % 4096 or 4096
        self.assertLessEqual(len(released), len(self.plaintext) - final_frame)

    def test_unsigned_suite_reports_no_unverified_bytes(self) -> None:
        with self.client.stream(mode="d", source=self.unsigned, keyring=self.keyring) as dec:
            dec.read()
            self.assertEqual(dec.unverified_bytes, 0)

    def test_closing_early_is_quiet(self) -> None:
        with self.client.stream(
            mode="d", source=io.BytesIO(self.signed), keyring=self.keyring, chunk_size=1024
        ) as dec:
            dec.read(10)
        self.assertFalse(dec.done)
        self.assertTrue(dec.closed)

    def test_source_length(self) -> None:
        with self.client.stream(
            mode="e", source=io.BytesIO(self.plaintext), keyring=self.keyring, source_length=len(self.plaintext), frame_length=0
        ) as enc:
            ciphertext = enc.read()
        self.assertEqual(self.client.decrypt(source=ciphertext, keyring=self.keyring)[0], self.plaintext)
        with self.assertRaises(BadStateError):
            with self.client.stream(
                mode="e", source=io.BytesIO(self.plaintext), keyring=self.keyring, source_length=10
            ) as enc:
                enc.read()
        with self.assertRaises(BadStateError):  # unframed needs the length
            with self.client.stream(
                mode="e", source=io.BytesIO(self.plaintext), keyring=self.keyring, frame_length=0
            ) as enc:
                enc.read()

    def test_text_sources_are_refused(self) -> None:
        with self.assertRaises(TypeError):
            self.client.stream(mode="e", source="text", keyring=self.keyring)
        with self.assertRaises(TypeError):
            with self.client.stream(mode="e", source=io.StringIO("text"), keyring=self.keyring) as enc:
                enc.read()


if __name__ == "__main__":
    unittest.main()

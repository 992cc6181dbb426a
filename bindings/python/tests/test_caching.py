"""The caching CMM and the local cache (cache.h)."""

from __future__ import annotations

import gc
import io
import unittest

import support
from support import XorKeyring, aes_keyring

from aws_esdk import (
    Algorithm,
    CachingCMM,
    CachingCryptoMaterialsManager,
    CommitmentPolicy,
    DefaultCMM,
    EncryptionSDKClient,
    LocalCache,
    LocalCryptoMaterialsCache,
)
from aws_esdk import caching


@unittest.skipUnless(caching.AVAILABLE, "this build of libaws-esdk-c has no caching CMM")
class TestCaching(unittest.TestCase):
    def setUp(self) -> None:
        self.client = EncryptionSDKClient()
        self.keyring = XorKeyring(b"cache")

    def encrypt_n(self, cmm: CachingCMM, n: int, size: int = 100, **kwargs: object) -> set:
        keys = set()
        for _ in range(n):
            ciphertext, header = self.client.encrypt(
                source=b"x" * size, materials_manager=cmm, algorithm=support.UNSIGNED_COMMITTING, **kwargs
            )
            keys.add(header.encrypted_data_keys[0].ciphertext)
            self.assertEqual(self.client.decrypt(source=ciphertext, materials_manager=cmm)[0], b"x" * size)
        return keys

    def test_reuse_and_message_limit(self) -> None:
        cache = LocalCache(10)
        cmm = CachingCMM(cache, 60.0, keyring=self.keyring, max_messages_encrypted=3)
        self.assertEqual(len(self.encrypt_n(cmm, 7)), 3)
        self.assertEqual(self.keyring.encrypt_calls, 3)
        self.assertGreaterEqual(len(cache), 1)
        self.assertIs(LocalCryptoMaterialsCache, LocalCache)
        self.assertIs(CachingCryptoMaterialsManager, CachingCMM)

    def test_byte_limit_and_partitions(self) -> None:
        cache = LocalCache(10)
        cmm = CachingCMM(cache, 60, keyring=self.keyring, max_bytes_encrypted=250)
        self.assertEqual(len(self.encrypt_n(cmm, 4, size=100)), 2)
        # two CMMs share entries only within one partition
        a = CachingCMM(cache, 60, keyring=self.keyring, partition_name="p")
        b = CachingCMM(cache, 60, keyring=self.keyring, partition_name="p")
        c = CachingCMM(cache, 60, keyring=self.keyring, partition_name=b"other")
        keys = self.encrypt_n(a, 1) | self.encrypt_n(b, 1)
        self.assertEqual(len(keys), 1)
        self.assertEqual(len(keys | self.encrypt_n(c, 1)), 2)

    def test_contexts_and_unknown_lengths_bypass_or_split(self) -> None:
        cmm = CachingCMM(LocalCache(10), 60, keyring=self.keyring)
        keys = self.encrypt_n(cmm, 2, encryption_context={"a": "1"}) | self.encrypt_n(
            cmm, 2, encryption_context={"a": "2"}
        )
        self.assertEqual(len(keys), 2)
        calls = self.keyring.encrypt_calls
        # a stream over a file object of unknown length is never cached
        for _ in range(2):
            with self.client.stream(mode="e", source=io.BytesIO(b"y" * 10), materials_manager=cmm) as enc:
                enc.read()
        self.assertEqual(self.keyring.encrypt_calls, calls + 2)

    def test_backing_cmm_and_lifetime(self) -> None:
        cmm = CachingCMM(LocalCache(2), 0.5, backing_materials_manager=DefaultCMM(aes_keyring()))
        gc.collect()  # the temporaries live on inside
        ciphertext, _ = self.client.encrypt(source=b"z", materials_manager=cmm)
        self.assertEqual(self.client.decrypt(source=ciphertext, keyring=aes_keyring())[0], b"z")
        cmm.close()

    def test_arguments(self) -> None:
        cache = LocalCache(1)
        with self.assertRaises(ValueError):
            LocalCache(0)
        with self.assertRaises(TypeError):
            CachingCMM(cache, 60)
        with self.assertRaises(TypeError):
            CachingCMM(cache, 60, keyring=self.keyring, backing_materials_manager=DefaultCMM(self.keyring))
        with self.assertRaises(ValueError):
            CachingCMM(cache, 0, keyring=self.keyring)
        with self.assertRaises(ValueError):
            CachingCMM(cache, 60, keyring=self.keyring, max_messages_encrypted=2**32 + 1)
        with self.assertRaises(TypeError):
            CachingCMM("not a cache", 60, keyring=self.keyring)  # type: ignore[arg-type]

    def test_legacy_policy_with_cache(self) -> None:
        client = EncryptionSDKClient(commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
        cmm = CachingCMM(LocalCache(4), 60, keyring=self.keyring)
        for suite in (Algorithm.AES_256_GCM_IV12_TAG16_HKDF_SHA256, Algorithm.AES_256_GCM_IV12_TAG16):
            ciphertext, _ = client.encrypt(source=b"l", materials_manager=cmm, algorithm=suite)
            self.assertEqual(client.decrypt(source=ciphertext, materials_manager=cmm)[0], b"l")


if __name__ == "__main__":
    unittest.main()

"""Round trips for every suite, headers, inputs and arguments."""

from __future__ import annotations

import io
import unittest

import support
from support import ALL_SUITES, aes_keyring, client_for

import aws_esdk
from aws_esdk import (
    Algorithm,
    CommitmentPolicy,
    ContentType,
    DefaultCMM,
    EncryptionSDKClient,
    PolicyViolationError,
)

SIZES = [0, 1, 127, 4095, 4096, 4097, 3 * 4096 + 5]


class TestIdentifiers(unittest.TestCase):
    def test_eleven_suites_with_official_names(self) -> None:
        self.assertEqual(len(ALL_SUITES), 11)
        self.assertEqual(Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, 0x0578)
        self.assertEqual(Algorithm.AES_128_GCM_IV12_TAG16.algorithm_id, 0x0014)
        self.assertIs(Algorithm.AES_128_GCM_IV12_TAG16_NO_KDF, Algorithm.AES_128_GCM_IV12_TAG16)
        self.assertIs(Algorithm.get_by_id(0x0478), Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
        self.assertIs(aws_esdk.AlgorithmSuite, Algorithm)
        with self.assertRaises(ValueError):
            Algorithm.get_by_id(0x0001)

    def test_suite_facts_from_the_library(self) -> None:
        facts = {
            0x0014: (16, 1, False, False, False),
            0x0046: (24, 1, False, False, False),
            0x0078: (32, 1, False, False, False),
            0x0114: (16, 1, False, False, True),
            0x0146: (24, 1, False, False, True),
            0x0178: (32, 1, False, False, True),
            0x0214: (16, 1, True, False, True),
            0x0346: (24, 1, True, False, True),
            0x0378: (32, 1, True, False, True),
            0x0478: (32, 2, False, True, True),
            0x0578: (32, 2, True, True, True),
        }
        for suite in ALL_SUITES:
            with self.subTest(suite=suite.name):
                self.assertEqual(
                    (
                        suite.data_key_len,
                        suite.message_format_version,
                        suite.is_signed(),
                        suite.is_committing(),
                        suite.has_kdf(),
                    ),
                    facts[int(suite)],
                )

    def test_policies(self) -> None:
        self.assertEqual(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT, 2)  # official values
        self.assertEqual(
            CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT.default_algorithm(),
            Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
        )
        self.assertEqual(
            CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT.default_algorithm(),
            Algorithm.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
        )
        self.assertFalse(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT.allows_encrypt(Algorithm(0x0478)))
        self.assertTrue(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT.allows_decrypt(Algorithm(0x0078)))
        self.assertFalse(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT.allows_decrypt(Algorithm(0x0078)))


class TestEverySuite(unittest.TestCase):
    def setUp(self) -> None:
        self.keyring = aes_keyring()

    def tearDown(self) -> None:
        self.keyring.close()

    def test_one_shot_round_trip_every_suite(self) -> None:
        context = {"purpose": "test", "naïve key": "välue ✓"}
        for suite in ALL_SUITES:
            client = client_for(suite)
            for size in SIZES:
                with self.subTest(suite=suite.name, size=size):
                    plaintext = bytes((i * 7) & 0xFF for i in range(size))
                    ciphertext, header = client.encrypt(
                        source=plaintext, keyring=self.keyring, encryption_context=context, algorithm=suite
                    )
                    self.assertIsInstance(ciphertext, bytes)
                    self.assertIs(header.algorithm, suite)
                    self.assertEqual(header.version, suite.message_format_version)
                    self.assertEqual(len(header.message_id), 32 if suite.message_format_version == 2 else 16)
                    self.assertEqual(header.frame_length, 4096)
                    self.assertIs(header.content_type, ContentType.FRAMED_DATA)
                    self.assertEqual(len(header.encrypted_data_keys), 1)
                    edk = header.encrypted_data_keys[0]
                    self.assertEqual(edk.provider_id, support.NAMESPACE)
                    self.assertTrue(edk.provider_info.startswith(support.KEY_NAME.encode()))
                    self.assertEqual(len(edk.ciphertext), suite.data_key_len + 16)
                    self.assertEqual(edk.key_provider.key_info, edk.provider_info)
                    for key, value in context.items():
                        self.assertEqual(header.encryption_context[key], value)
                    self.assertEqual("aws-crypto-public-key" in header.encryption_context, suite.is_signed())

                    decrypted, dheader = client.decrypt(source=ciphertext, keyring=self.keyring)
                    self.assertEqual(decrypted, plaintext)
                    self.assertEqual(dheader, header)

    def test_stream_round_trip_every_suite(self) -> None:
        plaintext = bytes(range(256)) * 100
        for suite in ALL_SUITES:
            client = client_for(suite)
            with self.subTest(suite=suite.name):
                with client.stream(
                    mode="e", source=io.BytesIO(plaintext), keyring=self.keyring, algorithm=suite, frame_length=1024
                ) as enc:
                    ciphertext = b"".join(enc)
                    self.assertIs(enc.header.algorithm, suite)
                    self.assertTrue(enc.done)
                with client.stream(mode="d", source=io.BytesIO(ciphertext), keyring=self.keyring) as dec:
                    self.assertEqual(dec.read(), plaintext)
                    self.assertEqual(dec.header.frame_length, 1024)
                    self.assertTrue(dec.verified)
                # and the one-shot API reads what the stream wrote
                self.assertEqual(client.decrypt(source=ciphertext, keyring=self.keyring)[0], plaintext)

    def test_frame_lengths(self) -> None:
        client = EncryptionSDKClient()
        plaintext = b"frame test " * 1000
        for frame_length in (0, 1, 128, 1000, 4096, 65536, 2**20):
            with self.subTest(frame_length=frame_length):
                ciphertext, header = client.encrypt(
                    source=plaintext, keyring=self.keyring, frame_length=frame_length
                )
                self.assertEqual(header.frame_length, frame_length)
                self.assertIs(
                    header.content_type, ContentType.NO_FRAMING if frame_length == 0 else ContentType.FRAMED_DATA
                )
                self.assertEqual(client.decrypt(source=ciphertext, keyring=self.keyring)[0], plaintext)

    def test_default_suite_and_commitment_policies(self) -> None:
        ciphertext, header = EncryptionSDKClient().encrypt(source=b"x", keyring=self.keyring)
        self.assertIs(header.algorithm, Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384)
        forbid = EncryptionSDKClient(commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
        legacy, header = forbid.encrypt(source=b"x", keyring=self.keyring)
        self.assertIs(header.algorithm, Algorithm.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384)
        # ALLOW_DECRYPT reads both; REQUIRE_DECRYPT refuses the legacy message
        allow = EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
        self.assertEqual(allow.decrypt(source=legacy, keyring=self.keyring)[0], b"x")
        self.assertEqual(allow.decrypt(source=ciphertext, keyring=self.keyring)[0], b"x")
        with self.assertRaises(PolicyViolationError):
            EncryptionSDKClient().decrypt(source=legacy, keyring=self.keyring)

    def test_encryption_context_round_trip_and_reproduced(self) -> None:
        client = EncryptionSDKClient()
        context = {"tenant": "a", "B": "upper", "a": "lower", "": "empty key", "long": "v" * 4000}
        ciphertext, header = client.encrypt(
            source=b"ctx", keyring=self.keyring, encryption_context=context, algorithm=support.UNSIGNED_COMMITTING
        )
        self.assertEqual(header.encryption_context, context)
        plaintext, dheader = client.decrypt(source=ciphertext, keyring=self.keyring, encryption_context=context)
        self.assertEqual(plaintext, b"ctx")
        self.assertEqual(dheader.encryption_context, context)
        # a subset is fine too
        client.decrypt(source=ciphertext, keyring=self.keyring, encryption_context={"tenant": "a"})

    def test_default_cmm_is_equivalent_to_keyring(self) -> None:
        client = EncryptionSDKClient()
        with DefaultCMM(self.keyring) as cmm:
            self.assertEqual(cmm.name, "default")
            ciphertext, _ = client.encrypt(source=b"cmm", materials_manager=cmm)
            self.assertEqual(client.decrypt(source=ciphertext, keyring=self.keyring)[0], b"cmm")
            ciphertext, _ = client.encrypt(source=b"cmm2", keyring=self.keyring)
            self.assertEqual(client.decrypt(source=ciphertext, materials_manager=cmm)[0], b"cmm2")

    def test_source_types(self) -> None:
        client = EncryptionSDKClient()
        data = b"source types"
        for source in (data, bytearray(data), memoryview(data), io.BytesIO(data)):
            with self.subTest(source=type(source).__name__):
                ciphertext, _ = client.encrypt(source=source, keyring=self.keyring)
                self.assertEqual(client.decrypt(source=bytearray(ciphertext), keyring=self.keyring)[0], data)
        with self.assertRaises(TypeError):
            client.encrypt(source="text is not bytes", keyring=self.keyring)
        with self.assertRaises(TypeError):
            client.encrypt(source=12, keyring=self.keyring)

    def test_argument_rules(self) -> None:
        client = EncryptionSDKClient()
        with self.assertRaises(TypeError):
            client.encrypt(b"positional", keyring=self.keyring)  # type: ignore[misc]
        with self.assertRaises(TypeError):
            client.encrypt(source=b"x")
        with DefaultCMM(self.keyring) as cmm, self.assertRaises(TypeError):
            client.encrypt(source=b"x", keyring=self.keyring, materials_manager=cmm)
        with self.assertRaises(TypeError):
            client.encrypt(source=b"x", keyring="not a keyring")  # type: ignore[arg-type]
        with self.assertRaises(ValueError):
            EncryptionSDKClient(max_encrypted_data_keys=0)
        with self.assertRaises(TypeError):
            EncryptionSDKClient(commitment_policy=2)  # type: ignore[arg-type]
        with self.assertRaises(ValueError):
            client.encrypt(source=b"x", keyring=self.keyring, frame_length=-1)
        with self.assertRaises(TypeError):
            client.encrypt(source=b"x", keyring=self.keyring, encryption_context={"k": 1})  # type: ignore[dict-item]
        with self.assertRaises(ValueError):
            client.stream(mode="x", source=b"", keyring=self.keyring)
        with self.assertRaises(TypeError):
            client.stream(mode="d", source=b"", keyring=self.keyring, frame_length=128)

    def test_closed_objects_are_refused(self) -> None:
        keyring = aes_keyring()
        keyring.close()
        keyring.close()  # idempotent
        self.assertTrue(keyring.closed)
        with self.assertRaises(ValueError):
            EncryptionSDKClient().encrypt(source=b"x", keyring=keyring)

    def test_keyring_lives_on_inside_a_cmm(self) -> None:
        keyring = aes_keyring()
        cmm = DefaultCMM(keyring)
        keyring.close()  # the CMM holds its own reference
        ciphertext, _ = EncryptionSDKClient().encrypt(source=b"still here", materials_manager=cmm)
        self.assertEqual(EncryptionSDKClient().decrypt(source=ciphertext, keyring=self.keyring)[0], b"still here")
        cmm.close()

    def test_threads_setting(self) -> None:
        if aws_esdk._ffi.lib.esdk_options_set_threads is None:
            self.skipTest("this build of libaws-esdk-c has no esdk_options_set_threads")
        data = bytes(range(256)) * 8192  # 2 MiB: enough frames for workers
        messages = []
        for threads in (1, 2, 0):
            client = EncryptionSDKClient(threads=threads)
            ciphertext, _ = client.encrypt(source=data, keyring=self.keyring, algorithm=support.UNSIGNED_COMMITTING)
            self.assertEqual(client.decrypt(source=ciphertext, keyring=self.keyring)[0], data)
            messages.append(ciphertext)
        self.assertEqual(EncryptionSDKClient(threads=1).decrypt(source=messages[1], keyring=self.keyring)[0], data)
        with self.assertRaises(ValueError):
            EncryptionSDKClient(threads=-1)

    def test_version_and_library(self) -> None:
        self.assertEqual(aws_esdk.__version__.split(".")[0], aws_esdk.LIBRARY_VERSION.split(".")[0])
        self.assertTrue(aws_esdk.LIBRARY_PATH)


if __name__ == "__main__":
    unittest.main()

"""Failures map to the right exception classes, with code, name and detail."""

from __future__ import annotations

import io
import os
import unittest
from typing import Any, List

import support
from support import XorKeyring, aes_keyring

import aws_esdk
from aws_esdk import (
    ActionNotAllowedError,
    Algorithm,
    AWSEncryptionSDKClientError,
    AWSEncryptionSDKError,
    CannotDecryptError,
    CommitmentPolicy,
    DecryptionError,
    DecryptKeyError,
    EncryptedDataKey,
    EncryptionContextMismatchError,
    EncryptionSDKClient,
    InvalidEncryptionContextError,
    InvalidTagError,
    Keyring,
    LimitExceededError,
    MaxEncryptedDataKeysExceeded,
    PolicyViolationError,
    SerializationError,
    SignatureMismatchError,
    SignedMessageNotAllowedError,
    TrailingDataError,
    TruncatedMessageError,
)
from aws_esdk import errors

# every code in error.h, with the class it must raise
EXPECTED = {
    -1: errors.InvalidArgumentError,
    -2: errors.BadStateError,
    -3: errors.NotSupportedError,
    -4: errors.BufferTooSmallError,
    -10: errors.SerializationError,
    -11: errors.TruncatedMessageError,
    -12: errors.TrailingDataError,
    -13: errors.InvalidTagError,
    -14: errors.SignatureMismatchError,
    -15: errors.CommitmentMismatchError,
    -16: errors.PolicyViolationError,
    -17: errors.SignedMessageNotAllowedError,
    -18: errors.MaxEncryptedDataKeysExceeded,
    -19: errors.LimitExceededError,
    -20: errors.EncryptionContextMismatchError,
    -21: errors.InvalidEncryptionContextError,
    -30: errors.CannotDecryptError,
    -31: errors.KeyringError,
    -32: errors.InvalidKeyError,
    -33: errors.BackendUnavailableError,
    -34: errors.AccessDeniedError,
    -40: errors.NoMemoryError,
    -41: errors.CryptoBackendError,
    -42: errors.RandomGeneratorError,
    -43: errors.IOFailureError,
    -99: errors.InternalError,
}


class TwoEdkKeyring(Keyring):
    """Adds two EDKs (for the EDK limit tests)."""

    def __init__(self) -> None:
        super().__init__()
        self.inner = XorKeyring(b"two")

    def on_encrypt(self, materials: aws_esdk.EncryptionMaterials) -> None:
        self.inner.on_encrypt(materials)
        materials.add_edk(EncryptedDataKey("decoy", b"", b"\x00" * 48))

    def on_decrypt(self, materials: aws_esdk.DecryptionMaterials, edks: List[EncryptedDataKey]) -> None:
        self.inner.on_decrypt(materials, edks)


class TestErrorTree(unittest.TestCase):
    def test_every_code_has_its_class(self) -> None:
        lib = aws_esdk._ffi.lib
        for code, cls in EXPECTED.items():
            with self.subTest(code=code):
                self.assertIs(errors.error_class_for_code(code), cls)
                self.assertEqual(cls.default_code, code)
                self.assertTrue(issubclass(cls, AWSEncryptionSDKError))
                # the library knows the code (a name other than the unknown one)
                self.assertNotEqual(lib.esdk_error_name(code), b"ESDK_ERR_UNKNOWN")
        self.assertIs(errors.error_class_for_code(-12345), AWSEncryptionSDKError)

    def test_official_aliases(self) -> None:
        self.assertIs(ActionNotAllowedError, PolicyViolationError)
        self.assertIs(DecryptKeyError, CannotDecryptError)
        self.assertIs(AWSEncryptionSDKClientError, AWSEncryptionSDKError)
        self.assertIs(errors.CustomMaximumValueExceeded, LimitExceededError)
        self.assertTrue(issubclass(MaxEncryptedDataKeysExceeded, errors.CustomMaximumValueExceeded))
        for cls in (InvalidTagError, SignatureMismatchError, errors.CommitmentMismatchError, SerializationError):
            self.assertTrue(issubclass(cls, DecryptionError))
        self.assertTrue(issubclass(TruncatedMessageError, SerializationError))
        self.assertTrue(issubclass(errors.InvalidArgumentError, ValueError))


class TestErrorMapping(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.keyring = aes_keyring()
        cls.client = EncryptionSDKClient()
        cls.plaintext = os.urandom(10000)
        cls.signed, _ = cls.client.encrypt(source=cls.plaintext, keyring=cls.keyring)
        cls.unsigned, _ = cls.client.encrypt(
            source=cls.plaintext, keyring=cls.keyring, algorithm=support.UNSIGNED_COMMITTING
        )

    @classmethod
    def tearDownClass(cls) -> None:
        cls.keyring.close()

    def decrypt(self, source: bytes, **kwargs: Any) -> bytes:
        kwargs.setdefault("keyring", self.keyring)
        client = kwargs.pop("client", self.client)
        return client.decrypt(source=source, **kwargs)[0]

    def assert_code(self, exc: AWSEncryptionSDKError, cls: type) -> None:
        self.assertIsInstance(exc, cls)
        self.assertEqual(exc.code, cls.default_code)  # type: ignore[attr-defined]
        self.assertTrue(exc.name.startswith("ESDK_ERR_"))
        self.assertIn(exc.name, str(exc))

    def test_tampered_body(self) -> None:
        for message in (self.signed, self.unsigned):
            bad = bytearray(message)
            bad[len(bad) // 2] ^= 0x01
            with self.assertRaises(DecryptionError) as ctx:
                self.decrypt(bytes(bad))
            self.assert_code(ctx.exception, InvalidTagError)
            self.assertTrue(ctx.exception.detail)

    def test_tampered_header_fields(self) -> None:
        # every byte of the header, flipped one at a time: always a DecryptionError or a
        # keyring failure, never a success or another kind of exception
        header_len = 200
        for i in range(0, header_len, 7):
            bad = bytearray(self.unsigned)
            bad[i] ^= 0x40
            with self.subTest(byte=i):
                with self.assertRaises((DecryptionError, CannotDecryptError, PolicyViolationError, LimitExceededError)):
                    self.decrypt(bytes(bad))

    def test_tampered_signature(self) -> None:
        bad = bytearray(self.signed)
        bad[-1] ^= 0x01
        with self.assertRaises(DecryptionError) as ctx:
            self.decrypt(bytes(bad))
        self.assertIsInstance(ctx.exception, (SignatureMismatchError, SerializationError))

    def test_wrong_key(self) -> None:
        with aes_keyring(os.urandom(32)) as wrong:
            with self.assertRaises(DecryptKeyError) as ctx:
                self.decrypt(self.unsigned, keyring=wrong)
        self.assert_code(ctx.exception, CannotDecryptError)
        self.assertIn(support.NAMESPACE, ctx.exception.detail)
        with aes_keyring(name="other-name") as other:
            with self.assertRaises(CannotDecryptError):
                self.decrypt(self.unsigned, keyring=other)

    def test_truncated_and_trailing(self) -> None:
        for cut in (1, 10, len(self.unsigned) // 2, len(self.unsigned) - 1):
            with self.subTest(cut=cut), self.assertRaises(TruncatedMessageError) as ctx:
                self.decrypt(self.unsigned[:cut])
            self.assert_code(ctx.exception, TruncatedMessageError)
        with self.assertRaises(TrailingDataError):
            self.decrypt(self.unsigned + b"\x00")
        with self.assertRaises(TruncatedMessageError):
            self.decrypt(b"")

    def test_policy_violation_on_encrypt_and_decrypt(self) -> None:
        with self.assertRaises(ActionNotAllowedError) as ctx:
            self.client.encrypt(
                source=b"x", keyring=self.keyring, algorithm=Algorithm.AES_256_GCM_IV12_TAG16_HKDF_SHA256
            )
        self.assert_code(ctx.exception, PolicyViolationError)
        forbid = EncryptionSDKClient(commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
        with self.assertRaises(PolicyViolationError):
            forbid.encrypt(source=b"x", keyring=self.keyring, algorithm=support.UNSIGNED_COMMITTING)
        legacy, _ = forbid.encrypt(source=b"x", keyring=self.keyring)
        with self.assertRaises(PolicyViolationError):
            self.decrypt(legacy)
        self.assertEqual(self.decrypt(legacy, client=forbid), b"x")

    def test_signed_message_in_decrypt_unsigned_mode(self) -> None:
        with self.assertRaises(SignedMessageNotAllowedError) as ctx:
            with self.client.stream(mode="decrypt-unsigned", source=self.signed, keyring=self.keyring) as dec:
                dec.read()
        self.assertIsInstance(ctx.exception, PolicyViolationError)
        with self.client.stream(mode="decrypt-unsigned", source=self.unsigned, keyring=self.keyring) as dec:
            self.assertEqual(dec.read(), self.plaintext)

    def test_too_many_edks(self) -> None:
        two = TwoEdkKeyring()
        limited = EncryptionSDKClient(max_encrypted_data_keys=1)
        with self.assertRaises(MaxEncryptedDataKeysExceeded) as ctx:
            limited.encrypt(source=b"x", keyring=two)
        self.assert_code(ctx.exception, MaxEncryptedDataKeysExceeded)
        message, header = EncryptionSDKClient(max_encrypted_data_keys=2).encrypt(source=b"x", keyring=two)
        self.assertEqual(len(header.encrypted_data_keys), 2)
        with self.assertRaises(MaxEncryptedDataKeysExceeded):
            limited.decrypt(source=message, keyring=two)
        self.assertEqual(EncryptionSDKClient().decrypt(source=message, keyring=two)[0], b"x")

    def test_context_mismatch_and_bad_context(self) -> None:
        message, _ = self.client.encrypt(source=b"x", keyring=self.keyring, encryption_context={"a": "1"})
        with self.assertRaises(EncryptionContextMismatchError) as ctx:
            self.decrypt(message, encryption_context={"a": "2"})
        self.assert_code(ctx.exception, EncryptionContextMismatchError)
        with self.assertRaises(AWSEncryptionSDKError):
            self.decrypt(message, encryption_context={"b": "not in the message"})
        with self.assertRaises(InvalidEncryptionContextError):
            self.client.encrypt(source=b"x", keyring=self.keyring, encryption_context={"aws-crypto-x": "reserved"})

    def test_limits(self) -> None:
        with self.assertRaises(LimitExceededError):
            self.decrypt(self.unsigned, max_body_length=1024)
        self.assertEqual(self.decrypt(self.unsigned, max_body_length=4096), self.plaintext)

    def test_bad_key_material(self) -> None:
        with self.assertRaises(AWSEncryptionSDKError) as ctx:
            aws_esdk.RawAESKeyring("ns", "name", b"short")
        self.assertTrue(ctx.exception.detail)
        with self.assertRaises(TypeError):
            aws_esdk.RawAESKeyring("ns", "name", "a str key is refused")  # type: ignore[arg-type]
        with self.assertRaises(AWSEncryptionSDKError):
            aws_esdk.RawAESKeyring("aws-kms", "name", bytes(32))

    def test_stream_errors_carry_the_same_classes(self) -> None:
        bad = bytearray(self.unsigned)
        bad[-100] ^= 1
        with self.assertRaises(InvalidTagError):
            with self.client.stream(mode="d", source=io.BytesIO(bytes(bad)), keyring=self.keyring) as dec:
                for _ in dec:
                    pass
        with self.assertRaises(TruncatedMessageError):
            with self.client.stream(mode="d", source=io.BytesIO(self.unsigned[:-1]), keyring=self.keyring) as dec:
                dec.read()
        with self.assertRaises(TrailingDataError):
            with self.client.stream(mode="d", source=io.BytesIO(self.unsigned + b"x"), keyring=self.keyring) as dec:
                dec.read()

    def test_detail_is_per_thread_and_fresh(self) -> None:
        # a failure after a success reports its own detail, not an older one
        with self.assertRaises(TruncatedMessageError) as first:
            self.decrypt(self.unsigned[:-3])
        self.decrypt(self.unsigned)
        with aes_keyring(os.urandom(32)) as wrong, self.assertRaises(CannotDecryptError) as second:
            self.decrypt(self.unsigned, keyring=wrong)
        self.assertNotEqual(first.exception.detail, second.exception.detail)


if __name__ == "__main__":
    unittest.main()

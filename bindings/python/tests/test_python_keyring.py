"""Keyrings written in Python, called by the C core through ctypes callbacks."""

from __future__ import annotations

import gc
import os
import unittest
from typing import List, Optional

import support
from support import XorKeyring, aes_keyring

import aws_esdk
from aws_esdk import (
    CannotDecryptError,
    DecryptionMaterials,
    DefaultCMM,
    EncryptedDataKey,
    EncryptionMaterials,
    EncryptionSDKClient,
    InvalidArgumentError,
    Keyring,
    KeyringError,
)
from aws_esdk.keyrings import base as keyring_base


class Recorder(Keyring):
    """Keeps what it was given, to check the borrowed-view rule."""

    def __init__(self) -> None:
        super().__init__()
        self.materials: Optional[EncryptionMaterials] = None
        self.seen_context: dict = {}
        self.seen_suite: Optional[aws_esdk.Algorithm] = None

    def on_encrypt(self, materials: EncryptionMaterials) -> None:
        self.materials = materials
        self.seen_context = materials.encryption_context
        self.seen_suite = materials.suite
        self.required = materials.required_encryption_context_keys
        materials.data_key = b"\x01" * materials.algorithm.data_key_len
        materials.add_edk(EncryptedDataKey("recorder", b"", b"wrapped"))

    def on_decrypt(self, materials: DecryptionMaterials, encrypted_data_keys: List[EncryptedDataKey]) -> None:
        materials.data_key = b"\x01" * materials.algorithm.data_key_len


class Raising(Keyring):
    def __init__(self, exc: BaseException) -> None:
        super().__init__()
        self.exc = exc

    def on_encrypt(self, materials: EncryptionMaterials) -> None:
        raise self.exc

    def on_decrypt(self, materials: DecryptionMaterials, encrypted_data_keys: List[EncryptedDataKey]) -> None:
        raise self.exc


class BreaksContract(Keyring):
    """Returns without doing its job."""

    def on_encrypt(self, materials: EncryptionMaterials) -> None:
        materials.generate_data_key()  # but adds no EDK

    def on_decrypt(self, materials: DecryptionMaterials, encrypted_data_keys: List[EncryptedDataKey]) -> None:
        pass


class Delegating(Keyring):
    """A Python keyring that wraps a built-in one (counting calls)."""

    def __init__(self, inner: Keyring) -> None:
        super().__init__()
        self.inner = inner
        self.calls = 0

    def on_encrypt(self, materials: EncryptionMaterials) -> None:
        self.calls += 1
        self.inner.on_encrypt(materials)

    def on_decrypt(self, materials: DecryptionMaterials, encrypted_data_keys: List[EncryptedDataKey]) -> None:
        self.calls += 1
        self.inner.on_decrypt(materials, encrypted_data_keys)


class TestPythonKeyring(unittest.TestCase):
    def setUp(self) -> None:
        self.client = EncryptionSDKClient()

    def test_round_trip_every_suite(self) -> None:
        keyring = XorKeyring(b"secret")
        for suite in support.ALL_SUITES:
            client = support.client_for(suite)
            with self.subTest(suite=suite.name):
                ciphertext, header = client.encrypt(
                    source=b"python keyring", keyring=keyring, algorithm=suite, encryption_context={"k": "v"}
                )
                self.assertEqual(header.encrypted_data_keys[0].provider_id, XorKeyring.PROVIDER_ID)
                plaintext, _ = client.decrypt(source=ciphertext, keyring=keyring)
                self.assertEqual(plaintext, b"python keyring")
        self.assertEqual(keyring.encrypt_calls, 11)
        self.assertEqual(keyring.decrypt_calls, 11)
        self.assertEqual(keyring.name, "python:XorKeyring")
        with self.assertRaises(CannotDecryptError):
            self.client.decrypt(source=ciphertext, keyring=XorKeyring(b"another secret", b"other"))

    def test_streams_use_python_keyrings_too(self) -> None:
        keyring = XorKeyring(b"s")
        data = os.urandom(100000)
        with self.client.stream(mode="e", source=data, keyring=keyring) as enc:
            ciphertext = enc.read()
        with self.client.stream(mode="d", source=ciphertext, keyring=keyring) as dec:
            self.assertEqual(dec.read(), data)

    def test_materials_view(self) -> None:
        keyring = Recorder()
        ciphertext, header = self.client.encrypt(
            source=b"x", keyring=keyring, encryption_context={"a": "b"}, algorithm=support.UNSIGNED_COMMITTING
        )
        self.assertEqual(keyring.seen_context, {"a": "b"})
        self.assertIs(keyring.seen_suite, support.UNSIGNED_COMMITTING)
        self.assertEqual(keyring.required, [])
        self.assertEqual(header.encrypted_data_keys, [EncryptedDataKey("recorder", b"", b"wrapped")])
        self.assertEqual(self.client.decrypt(source=ciphertext, keyring=keyring)[0], b"x")
        # the view died with the call
        with self.assertRaises(RuntimeError):
            keyring.materials.data_key  # type: ignore[union-attr]
        with self.assertRaises(RuntimeError):
            keyring.materials.add_edk(EncryptedDataKey("x", b"", b""))  # type: ignore[union-attr]
        self.assertIn("call returned", repr(keyring.materials))

    def test_exceptions_become_error_codes(self) -> None:
        ciphertext, _ = self.client.encrypt(source=b"x", keyring=XorKeyring(b"k"))
        for exc, expected in (
            (ZeroDivisionError("boom"), KeyringError),
            (KeyboardInterrupt(), KeyringError),
            (CannotDecryptError("not mine"), CannotDecryptError),
            (InvalidArgumentError("bad"), InvalidArgumentError),
        ):
            keyring = Raising(exc)
            with self.subTest(exc=type(exc).__name__):
                with self.assertRaises(expected) as ctx:
                    self.client.encrypt(source=b"x", keyring=keyring)
                self.assertIs(ctx.exception.__cause__, exc)
                with self.assertRaises(expected) as ctx:
                    self.client.decrypt(source=ciphertext, keyring=keyring)
                self.assertIs(ctx.exception.__cause__, exc)
        # after a failure, a success does not inherit the old exception
        self.assertEqual(self.client.decrypt(source=ciphertext, keyring=XorKeyring(b"k"))[0], b"x")

    def test_contract_is_checked_by_the_library(self) -> None:
        keyring = BreaksContract()
        with self.assertRaises(KeyringError) as ctx:
            self.client.encrypt(source=b"x", keyring=keyring)
        self.assertIn("encrypted data key", ctx.exception.detail)
        ciphertext, _ = self.client.encrypt(source=b"x", keyring=XorKeyring(b"k"))
        with self.assertRaises(CannotDecryptError):
            self.client.decrypt(source=ciphertext, keyring=keyring)

    def test_bad_data_key_length_is_refused(self) -> None:
        class WrongLength(Keyring):
            def on_encrypt(self, materials: EncryptionMaterials) -> None:
                materials.data_key = b"short"

            def on_decrypt(self, materials: DecryptionMaterials, edks: List[EncryptedDataKey]) -> None:
                pass

        with self.assertRaises(aws_esdk.AWSEncryptionSDKError) as ctx:
            self.client.encrypt(source=b"x", keyring=WrongLength())
        self.assertIsInstance(ctx.exception.__cause__, aws_esdk.AWSEncryptionSDKError)

    def test_delegating_to_a_built_in_keyring(self) -> None:
        with aes_keyring() as inner:
            outer = Delegating(inner)
            ciphertext, header = self.client.encrypt(source=b"delegated", keyring=outer)
            self.assertEqual(header.encrypted_data_keys[0].provider_id, support.NAMESPACE)
            # the built-in keyring reads it directly, and through the Python one
            self.assertEqual(self.client.decrypt(source=ciphertext, keyring=inner)[0], b"delegated")
            self.assertEqual(self.client.decrypt(source=ciphertext, keyring=outer)[0], b"delegated")
            self.assertEqual(outer.calls, 2)
            with aes_keyring(os.urandom(32)) as wrong, self.assertRaises(CannotDecryptError):
                self.client.decrypt(source=ciphertext, keyring=Delegating(wrong))

    def test_lifetime(self) -> None:
        gc.collect()
        before = len(keyring_base._entries)
        # a temporary Python keyring inside a CMM stays alive with the CMM
        cmm = DefaultCMM(XorKeyring(b"temp"))
        gc.collect()
        ciphertext, _ = self.client.encrypt(source=b"temp", materials_manager=cmm)
        self.assertEqual(self.client.decrypt(source=ciphertext, materials_manager=cmm)[0], b"temp")
        self.assertEqual(len(keyring_base._entries), before + 1)
        del cmm
        gc.collect()
        self.assertEqual(len(keyring_base._entries), before)
        # close() releases the Python side's reference at once
        keyring = XorKeyring(b"close")
        self.assertEqual(len(keyring_base._entries), before + 1)
        keyring.close()
        self.assertEqual(len(keyring_base._entries), before)

    def test_uninitialised_subclass(self) -> None:
        class Forgot(Keyring):
            def __init__(self) -> None:  # pylint: disable=super-init-not-called
                pass

        with self.assertRaises(TypeError):
            self.client.encrypt(source=b"x", keyring=Forgot())


if __name__ == "__main__":
    unittest.main()

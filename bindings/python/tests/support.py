"""Shared helpers for the aws_esdk tests (not a test module)."""

from __future__ import annotations

import hashlib
import os
import sys
from typing import List

# Run from a source checkout without installing: make the package importable.
_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _PACKAGE_ROOT not in sys.path:
    sys.path.insert(0, _PACKAGE_ROOT)

import aws_esdk  # noqa: E402  pylint: disable=wrong-import-position
from aws_esdk import (  # noqa: E402
    Algorithm,
    CommitmentPolicy,
    DecryptionMaterials,
    EncryptedDataKey,
    EncryptionMaterials,
    EncryptionSDKClient,
    Keyring,
)

PACKAGE_ROOT = _PACKAGE_ROOT
AES_KEY = bytes(range(32))
NAMESPACE = "aws-esdk-python-tests"
KEY_NAME = "key-1"
UNSIGNED_COMMITTING = Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY

ALL_SUITES: List[Algorithm] = sorted(set(Algorithm), key=int)


def client_for(algorithm: Algorithm) -> EncryptionSDKClient:
    """A client whose policy allows encrypting with algorithm."""
    policy = (
        CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
        if algorithm.is_committing()
        else CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
    )
    return EncryptionSDKClient(commitment_policy=policy)


def aes_keyring(key: bytes = AES_KEY, name: str = KEY_NAME) -> aws_esdk.RawAESKeyring:
    """The raw AES keyring most tests use."""
    return aws_esdk.RawAESKeyring(NAMESPACE, name, key)


def rss_bytes() -> int:
    """The process's resident set size, from /proc/self/statm."""
    with open("/proc/self/statm", "rb") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class XorKeyring(Keyring):
    """A keyring written in Python (test only: XOR with a hash-derived pad, not secure)."""

    PROVIDER_ID = "python-xor"

    def __init__(self, secret: bytes, name: bytes = b"xor-key") -> None:
        super().__init__()
        self.secret = secret
        self.key_name = name
        self.encrypt_calls = 0
        self.decrypt_calls = 0

    def _pad(self, n: int) -> bytes:
        return hashlib.sha512(self.secret + self.key_name).digest()[:n]

    def _xor(self, data: bytes) -> bytes:
        return bytes(a ^ b for a, b in zip(data, self._pad(len(data))))

    def on_encrypt(self, materials: EncryptionMaterials) -> None:
        self.encrypt_calls += 1
        if materials.data_key is None:
            materials.generate_data_key()
        materials.add_edk(EncryptedDataKey(self.PROVIDER_ID, self.key_name, self._xor(materials.data_key)))

    def on_decrypt(self, materials: DecryptionMaterials, encrypted_data_keys: List[EncryptedDataKey]) -> None:
        self.decrypt_calls += 1
        for edk in encrypted_data_keys:
            if edk.provider_id == self.PROVIDER_ID and edk.provider_info == self.key_name:
                materials.data_key = self._xor(edk.ciphertext)
                return

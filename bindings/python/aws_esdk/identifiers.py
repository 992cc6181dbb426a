"""Algorithm suites, commitment policies and other identifiers.

The names are the official AWS Encryption SDK for Python's, so code written for it reads
the same here. The suite facts (key length, signing, commitment) come from the C
library's function twins (``esdk_suite_*``), so there is one table, in C.
"""

from __future__ import annotations

import enum
from typing import Dict

from ._ffi import lib

__all__ = [
    "Algorithm",
    "AlgorithmSuite",
    "CommitmentPolicy",
    "ContentType",
    "SerializationVersion",
]


class Algorithm(enum.IntEnum):
    """The eleven algorithm suites; the value is the suite id written in the header.

    ``Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384 == 0x0578``. The C names of
    the three non-KDF suites (``..._NO_KDF``) are aliases of the official ones.
    """

    AES_128_GCM_IV12_TAG16 = 0x0014
    AES_192_GCM_IV12_TAG16 = 0x0046
    AES_256_GCM_IV12_TAG16 = 0x0078
    AES_128_GCM_IV12_TAG16_HKDF_SHA256 = 0x0114
    AES_192_GCM_IV12_TAG16_HKDF_SHA256 = 0x0146
    AES_256_GCM_IV12_TAG16_HKDF_SHA256 = 0x0178
    AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256 = 0x0214
    AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384 = 0x0346
    AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384 = 0x0378
    AES_256_GCM_HKDF_SHA512_COMMIT_KEY = 0x0478
    AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384 = 0x0578
    # aliases: the C library's names
    AES_128_GCM_IV12_TAG16_NO_KDF = 0x0014
    AES_192_GCM_IV12_TAG16_NO_KDF = 0x0046
    AES_256_GCM_IV12_TAG16_NO_KDF = 0x0078

    @property
    def algorithm_id(self) -> int:
        """The suite id (an int such as 0x0578)."""
        return int(self)

    @property
    def data_key_len(self) -> int:
        """Data key length in bytes (16, 24 or 32)."""
        return int(lib.esdk_suite_data_key_len(self.value))

    @property
    def message_format_version(self) -> int:
        """Message format version the suite writes (1, or 2 for committing suites)."""
        return int(lib.esdk_suite_message_version(self.value))

    def is_committing(self) -> bool:
        """True for the key-committing suites (0x0478, 0x0578)."""
        return bool(lib.esdk_suite_is_committing(self.value))

    def is_signed(self) -> bool:
        """True for the suites that sign messages with ECDSA."""
        return bool(lib.esdk_suite_is_signed(self.value))

    def has_kdf(self) -> bool:
        """True for the suites that derive the message key with HKDF."""
        return bool(lib.esdk_suite_has_kdf(self.value))

    def safe_to_cache(self) -> bool:
        """True if materials for this suite may be cached (it has a KDF), as officially."""
        return self.has_kdf()

    @classmethod
    def get_by_id(cls, algorithm_id: int) -> "Algorithm":
        """The suite for an id; ``ValueError`` for unknown ids."""
        return cls(algorithm_id)


#: The official SDK's other name for :class:`Algorithm`.
AlgorithmSuite = Algorithm


class CommitmentPolicy(enum.IntEnum):
    """Which suites encrypt may use and decrypt may accept.

    The values are the official Python SDK's (they differ from the C enum's; the binding
    maps them). The default everywhere is ``REQUIRE_ENCRYPT_REQUIRE_DECRYPT``.
    """

    FORBID_ENCRYPT_ALLOW_DECRYPT = 0
    REQUIRE_ENCRYPT_ALLOW_DECRYPT = 1
    REQUIRE_ENCRYPT_REQUIRE_DECRYPT = 2

    @property
    def c_value(self) -> int:
        """The ``esdk_commitment_policy`` value for this policy."""
        return _POLICY_TO_C[self]

    def allows_encrypt(self, algorithm: Algorithm) -> bool:
        """True if encrypt may use the suite under this policy."""
        return bool(lib.esdk_policy_allows_encrypt(self.c_value, int(algorithm)))

    def allows_decrypt(self, algorithm: Algorithm) -> bool:
        """True if decrypt may accept the suite under this policy."""
        return bool(lib.esdk_policy_allows_decrypt(self.c_value, int(algorithm)))

    def default_algorithm(self) -> Algorithm:
        """The suite encrypt uses under this policy when none is requested."""
        return Algorithm(lib.esdk_suite_default_for_policy(self.c_value))


# C: ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT = 0, ..._ALLOW_DECRYPT = 1, FORBID... = 2
_POLICY_TO_C: Dict[CommitmentPolicy, int] = {
    CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT: 0,
    CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT: 1,
    CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT: 2,
}


class ContentType(enum.IntEnum):
    """How a message body is laid out."""

    NO_FRAMING = 1
    FRAMED_DATA = 2


class SerializationVersion(enum.IntEnum):
    """Message format versions."""

    V1 = 1
    V2 = 2

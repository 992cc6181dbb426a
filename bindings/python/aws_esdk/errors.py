"""One exception tree for every failure the library reports.

Every exception raised because the C library refused something is an
:class:`AWSEncryptionSDKError` carrying

* ``code``: the negative ``ESDK_ERR_*`` value (stable across releases),
* ``name``: its symbolic name from ``esdk_error_name`` (e.g. ``"ESDK_ERR_BAD_TAG"``),
* ``detail``: the sentence ``esdk_last_error_detail`` recorded for the failing call on
  the calling thread (never key material; may say *where* parsing failed, so it is meant
  for logs, not for remote peers).

Subclasses follow the C error kinds. Where the official AWS Encryption SDK for Python
has a name for the same condition, that name is provided as an alias
(``ActionNotAllowedError``, ``DecryptKeyError``, ``SerializationError``,
``CustomMaximumValueExceeded``, ``MaxEncryptedDataKeysExceeded``, ``NotSupportedError``,
``AWSEncryptionSDKClientError``), so ``except`` clauses written for it keep working.

``TypeError`` and ``ValueError`` are raised directly only for programming mistakes that
the Python layer detects before calling the library (a ``str`` where bytes are needed,
two key sources given, ...).
"""

from __future__ import annotations

from typing import Dict, Optional, Type

__all__ = [
    "AWSEncryptionSDKError",
    "AWSEncryptionSDKClientError",
    "InvalidArgumentError",
    "BadStateError",
    "NotSupportedError",
    "BufferTooSmallError",
    "DecryptionError",
    "SerializationError",
    "TruncatedMessageError",
    "TrailingDataError",
    "InvalidTagError",
    "SignatureMismatchError",
    "CommitmentMismatchError",
    "PolicyViolationError",
    "ActionNotAllowedError",
    "SignedMessageNotAllowedError",
    "LimitExceededError",
    "CustomMaximumValueExceeded",
    "MaxEncryptedDataKeysExceeded",
    "EncryptionContextMismatchError",
    "InvalidEncryptionContextError",
    "KeyringError",
    "CannotDecryptError",
    "DecryptKeyError",
    "InvalidKeyError",
    "BackendUnavailableError",
    "AccessDeniedError",
    "EnvironmentFailure",
    "NoMemoryError",
    "CryptoBackendError",
    "RandomGeneratorError",
    "IOFailureError",
    "InternalError",
    "error_class_for_code",
]


class AWSEncryptionSDKError(Exception):
    """Base class of every error reported by the library.

    :ivar code: the ``ESDK_ERR_*`` code (a negative int), or 0 for errors raised by the
        Python layer itself.
    :ivar name: the code's symbolic name, e.g. ``"ESDK_ERR_BAD_TAG"``.
    :ivar detail: the library's sentence about what failed ("" when none was recorded).
    """

    #: The ESDK_ERR_* value this class stands for (0 for grouping classes).
    default_code: int = 0

    def __init__(
        self,
        message: Optional[str] = None,
        *,
        code: Optional[int] = None,
        name: str = "",
        detail: str = "",
    ) -> None:
        self.code: int = self.default_code if code is None else code
        self.name: str = name
        self.detail: str = detail
        if message is None:
            message = detail or name or self.__class__.__name__
        super().__init__(message)


#: The official Python SDK's name for the base class.
AWSEncryptionSDKClientError = AWSEncryptionSDKError


# ---- the caller broke a contract -------------------------------------------------------


class InvalidArgumentError(AWSEncryptionSDKError, ValueError):
    """An argument was out of range or malformed (ESDK_ERR_BAD_ARGUMENT)."""

    default_code = -1


class BadStateError(AWSEncryptionSDKError):
    """The call is not allowed in the object's state (ESDK_ERR_BAD_STATE)."""

    default_code = -2


class NotSupportedError(AWSEncryptionSDKError):
    """A feature or parameter this build does not support (ESDK_ERR_UNSUPPORTED)."""

    default_code = -3


class BufferTooSmallError(AWSEncryptionSDKError):
    """An output buffer was too small (ESDK_ERR_BUFFER_TOO_SMALL)."""

    default_code = -4


# ---- the message was refused -----------------------------------------------------------


class DecryptionError(AWSEncryptionSDKError):
    """A message was refused: malformed, truncated, or failed authentication.

    Catch this to handle every "this ciphertext is not acceptable" case at once
    (tampered bytes, wrong tag, bad signature, key commitment mismatch, truncation).
    """


class SerializationError(DecryptionError):
    """A malformed message: bad field, version, suite, length (ESDK_ERR_BAD_CIPHERTEXT)."""

    default_code = -10


class TruncatedMessageError(SerializationError):
    """The message ended before it was complete (ESDK_ERR_TRUNCATED)."""

    default_code = -11


class TrailingDataError(SerializationError):
    """Bytes follow the end of a complete message (ESDK_ERR_TRAILING_DATA)."""

    default_code = -12


class InvalidTagError(DecryptionError):
    """A header or frame authentication tag did not verify (ESDK_ERR_BAD_TAG)."""

    default_code = -13


class SignatureMismatchError(DecryptionError):
    """The footer's ECDSA signature did not verify (ESDK_ERR_SIGNATURE_MISMATCH)."""

    default_code = -14


class CommitmentMismatchError(DecryptionError):
    """The message's key commitment did not match its data key (ESDK_ERR_COMMITMENT_MISMATCH)."""

    default_code = -15


class PolicyViolationError(AWSEncryptionSDKError):
    """The commitment policy forbids this algorithm suite (ESDK_ERR_POLICY_VIOLATION).

    ``ActionNotAllowedError`` is the same class under the official SDK's name.
    """

    default_code = -16


#: The official Python SDK's name for policy violations.
ActionNotAllowedError = PolicyViolationError


class SignedMessageNotAllowedError(PolicyViolationError):
    """A signed message was given to a ``'decrypt-unsigned'`` stream (ESDK_ERR_SIGNED_NOT_ALLOWED)."""

    default_code = -17


class LimitExceededError(AWSEncryptionSDKError):
    """A configured size limit was exceeded (ESDK_ERR_LIMIT_EXCEEDED).

    ``CustomMaximumValueExceeded`` is the same class under the official SDK's name.
    """

    default_code = -19


#: The official Python SDK's name for exceeded limits.
CustomMaximumValueExceeded = LimitExceededError


class MaxEncryptedDataKeysExceeded(LimitExceededError):
    """More encrypted data keys than ``max_encrypted_data_keys`` allows (ESDK_ERR_TOO_MANY_EDKS)."""

    default_code = -18


class EncryptionContextMismatchError(AWSEncryptionSDKError):
    """The encryption context does not match what was required (ESDK_ERR_CONTEXT_MISMATCH)."""

    default_code = -20


class InvalidEncryptionContextError(AWSEncryptionSDKError, ValueError):
    """An invalid encryption context: reserved key, bad UTF-8, too long (ESDK_ERR_BAD_CONTEXT)."""

    default_code = -21


# ---- keys and key providers ------------------------------------------------------------


class KeyringError(AWSEncryptionSDKError):
    """A keyring or its backend (HSM, KMS, a Python keyring) failed (ESDK_ERR_KEYRING).

    When a keyring written in Python raised, the original exception is this error's
    ``__cause__``.
    """

    default_code = -31


class CannotDecryptError(KeyringError):
    """No keyring could decrypt any of the message's data keys (ESDK_ERR_CANNOT_DECRYPT).

    This is what a wrong key gives. ``DecryptKeyError`` is the same class under the
    official SDK's name.
    """

    default_code = -30


#: The official Python SDK's name for "no key could decrypt the data key".
DecryptKeyError = CannotDecryptError


class InvalidKeyError(KeyringError, ValueError):
    """Unusable key material: wrong size, bad PEM or DER, wrong curve (ESDK_ERR_BAD_KEY)."""

    default_code = -32


class BackendUnavailableError(KeyringError):
    """A key backend cannot be reached: module, token, endpoint (ESDK_ERR_UNAVAILABLE)."""

    default_code = -33


class AccessDeniedError(KeyringError):
    """A key backend refused the credentials or PIN (ESDK_ERR_ACCESS_DENIED)."""

    default_code = -34


# ---- environment -----------------------------------------------------------------------


class EnvironmentFailure(AWSEncryptionSDKError):
    """The environment failed (memory, crypto backend, random generator, I/O)."""


class NoMemoryError(EnvironmentFailure, MemoryError):
    """An allocation failed in the library (ESDK_ERR_NO_MEMORY)."""

    default_code = -40


class CryptoBackendError(EnvironmentFailure):
    """The crypto backend failed unexpectedly (ESDK_ERR_CRYPTO)."""

    default_code = -41


class RandomGeneratorError(EnvironmentFailure):
    """The random generator failed (ESDK_ERR_RANDOM)."""

    default_code = -42


class IOFailureError(EnvironmentFailure):
    """Reading or writing a file failed in the library (ESDK_ERR_IO)."""

    default_code = -43


class InternalError(AWSEncryptionSDKError):
    """An internal invariant was violated: a bug, please report it (ESDK_ERR_INTERNAL)."""

    default_code = -99


_BY_CODE: Dict[int, Type[AWSEncryptionSDKError]] = {
    cls.default_code: cls
    for cls in (
        InvalidArgumentError,
        BadStateError,
        NotSupportedError,
        BufferTooSmallError,
        SerializationError,
        TruncatedMessageError,
        TrailingDataError,
        InvalidTagError,
        SignatureMismatchError,
        CommitmentMismatchError,
        PolicyViolationError,
        SignedMessageNotAllowedError,
        MaxEncryptedDataKeysExceeded,
        LimitExceededError,
        EncryptionContextMismatchError,
        InvalidEncryptionContextError,
        CannotDecryptError,
        KeyringError,
        InvalidKeyError,
        BackendUnavailableError,
        AccessDeniedError,
        NoMemoryError,
        CryptoBackendError,
        RandomGeneratorError,
        IOFailureError,
        InternalError,
    )
}


def error_class_for_code(code: int) -> Type[AWSEncryptionSDKError]:
    """The exception class for an ``ESDK_ERR_*`` code (the base class for unknown codes)."""
    return _BY_CODE.get(code, AWSEncryptionSDKError)

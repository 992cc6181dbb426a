"""The client: one-shot encrypt/decrypt and streams, under one commitment policy."""

from __future__ import annotations

from typing import Any, Mapping, Optional, Tuple, Union

from ._session import (
    MODE_ENCRYPT,
    Options,
    Session,
    parse_mode,
    pick_provider,
    run_whole,
    source_bytes,
)
from .identifiers import Algorithm, CommitmentPolicy
from .keyrings.base import Keyring
from .materials_managers import CryptoMaterialsManager
from .streaming import DEFAULT_CHUNK_SIZE, StreamDecryptor, StreamEncryptor
from .structures import MessageHeader

__all__ = ["EncryptionSDKClient"]

DEFAULT_FRAME_LENGTH = 4096


class EncryptionSDKClient:
    """Encrypts and decrypts messages in the AWS Encryption SDK format.

    Holds the settings that must not vary per call: the commitment policy and the limit
    on encrypted data keys. Immutable, reusable and thread-safe: one client may serve
    many threads; the library releases the GIL while it works.

    :param commitment_policy: which suites encrypt may use and decrypt may accept
        (default ``REQUIRE_ENCRYPT_REQUIRE_DECRYPT``: committing suites only).
    :param max_encrypted_data_keys: refuse to write or read messages with more EDKs
        than this (None: no limit). Must be at least 1.
    :param threads: threads the library may use for the frames of one large message
        (None or 0: automatic, 1: the calling thread only, n: at most n). The output is
        the same whatever the setting.
    """

    def __init__(
        self,
        *,
        commitment_policy: CommitmentPolicy = CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
        max_encrypted_data_keys: Optional[int] = None,
        threads: Optional[int] = None,
    ) -> None:
        if not isinstance(commitment_policy, CommitmentPolicy):
            raise TypeError("commitment_policy must be a CommitmentPolicy")
        if max_encrypted_data_keys is not None:
            if not isinstance(max_encrypted_data_keys, int) or isinstance(max_encrypted_data_keys, bool):
                raise TypeError("max_encrypted_data_keys must be an int or None")
            if max_encrypted_data_keys < 1:
                raise ValueError("max_encrypted_data_keys cannot be less than 1")
        if threads is not None and (not isinstance(threads, int) or isinstance(threads, bool) or threads < 0):
            raise ValueError("threads must be a non-negative int or None")
        self._commitment_policy = commitment_policy
        self._max_edks = max_encrypted_data_keys
        self._threads = threads

    @property
    def commitment_policy(self) -> CommitmentPolicy:
        """The commitment policy."""
        return self._commitment_policy

    @property
    def max_encrypted_data_keys(self) -> Optional[int]:
        """The EDK limit (None: no limit)."""
        return self._max_edks

    def __repr__(self) -> str:
        return (
            f"EncryptionSDKClient(commitment_policy={self._commitment_policy!s}, "
            f"max_encrypted_data_keys={self._max_edks!r})"
        )

    def _options(self, **kwargs: Any) -> Options:
        return Options(
            commitment_policy=self._commitment_policy,
            max_encrypted_data_keys=self._max_edks,
            threads=self._threads,
            **kwargs,
        )

    # ---- one-shot ------------------------------------------------------------------------

    def encrypt(
        self,
        *,
        source: Any,
        keyring: Optional[Keyring] = None,
        materials_manager: Optional[CryptoMaterialsManager] = None,
        encryption_context: Optional[Mapping[str, str]] = None,
        algorithm: Optional[Algorithm] = None,
        frame_length: int = DEFAULT_FRAME_LENGTH,
    ) -> Tuple[bytes, MessageHeader]:
        """Encrypt a whole plaintext.

        :param source: bytes-like, or a binary file object (read to its end). ``str`` is
            refused: encode it explicitly.
        :param keyring: the keyring wrapping the data key (or give ``materials_manager``).
        :param materials_manager: a CMM (or give ``keyring``).
        :param encryption_context: str -> str pairs bound to the message (stored in
            clear, authenticated). Keys starting with ``aws-crypto-`` are reserved.
        :param algorithm: the suite (default: the policy's, 0x0578 under the default
            policy); a suite the policy forbids raises
            :class:`~aws_esdk.errors.PolicyViolationError`.
        :param frame_length: bytes per frame (default 4096; 0 = unframed, legacy).
        :returns: ``(ciphertext, header)``.
        """
        keyring, materials_manager = pick_provider(keyring, materials_manager)
        data = source_bytes(source)
        with self._options(algorithm=algorithm, frame_length=frame_length) as opts, Session(
            MODE_ENCRYPT, opts, keyring, materials_manager, encryption_context
        ) as session:
            session.set_plaintext_length(len(data))
            ciphertext = run_whole(session, data, len(data) + len(data) // 64 + 8192, secret=False)
            return ciphertext, session.header()

    def decrypt(
        self,
        *,
        source: Any,
        keyring: Optional[Keyring] = None,
        materials_manager: Optional[CryptoMaterialsManager] = None,
        encryption_context: Optional[Mapping[str, str]] = None,
        max_body_length: Optional[int] = None,
    ) -> Tuple[bytes, MessageHeader]:
        """Decrypt a whole message. Nothing is returned unless everything verified.

        :param source: the message (bytes-like, or a binary file object read to its
            end). Bytes after the end of the message are an error
            (:class:`~aws_esdk.errors.TrailingDataError`).
        :param keyring: a keyring able to unwrap one of the message's data keys (or give
            ``materials_manager``).
        :param materials_manager: a CMM (or give ``keyring``).
        :param encryption_context: the reproduced context, checked against the message:
            pairs stored in the message must match; other pairs must be the ones the
            message authenticated without storing them (required encryption context).
            :class:`~aws_esdk.errors.EncryptionContextMismatchError` otherwise.
        :param max_body_length: refuse messages whose frame length (or unframed body)
            exceeds this many bytes.
        :returns: ``(plaintext, header)``.
        """
        keyring, materials_manager = pick_provider(keyring, materials_manager)
        data = source_bytes(source)
        with self._options(max_body_length=max_body_length) as opts, Session(
            parse_mode("decrypt"), opts, keyring, materials_manager, encryption_context
        ) as session:
            plaintext = run_whole(session, data, len(data), secret=True)
            return plaintext, session.header()

    # ---- streams -----------------------------------------------------------------------------

    def stream(
        self,
        *,
        mode: str,
        source: Any,
        keyring: Optional[Keyring] = None,
        materials_manager: Optional[CryptoMaterialsManager] = None,
        encryption_context: Optional[Mapping[str, str]] = None,
        algorithm: Optional[Algorithm] = None,
        frame_length: int = DEFAULT_FRAME_LENGTH,
        source_length: Optional[int] = None,
        max_body_length: Optional[int] = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> Union[StreamEncryptor, StreamDecryptor]:
        """Open a streaming encryptor or decryptor over ``source``.

        :param mode: ``'e'``/``'encrypt'``, ``'d'``/``'decrypt'``, or
            ``'decrypt-unsigned'`` (decrypt, but refuse signed suites right after the
            header, so no plaintext is ever released before a signature check).
        :param source: bytes-like, or a binary file object with ``read(n)``.
        :param keyring: see :meth:`encrypt` (or give ``materials_manager``).
        :param encryption_context: encrypt: the context to bind; decrypt: the
            reproduced context to check.
        :param algorithm: encrypt only: the suite.
        :param frame_length: encrypt only: bytes per frame (0 = unframed; needs a known
            length).
        :param source_length: encrypt only: the exact plaintext length when the source
            is a file object (optional; the library then checks it).
        :param max_body_length: decrypt only: see :meth:`decrypt`.
        :param chunk_size: source bytes handed to the library per step.
        :returns: a :class:`~aws_esdk.streaming.StreamEncryptor` or
            :class:`~aws_esdk.streaming.StreamDecryptor` (context manager, iterator of
            chunks, ``read(n)``, ``.header``). See :mod:`aws_esdk.streaming` about
            plaintext released before a signature verified.
        """
        c_mode = parse_mode(mode)
        keyring, materials_manager = pick_provider(keyring, materials_manager)
        if c_mode == MODE_ENCRYPT:
            opts = self._options(algorithm=algorithm, frame_length=frame_length)
        else:
            if algorithm is not None or frame_length != DEFAULT_FRAME_LENGTH or source_length is not None:
                raise TypeError("algorithm, frame_length and source_length apply to encrypt streams only")
            opts = self._options(max_body_length=max_body_length)
        with opts:
            session = Session(c_mode, opts, keyring, materials_manager, encryption_context)
        try:
            if c_mode == MODE_ENCRYPT:
                if isinstance(source, (bytes, bytearray, memoryview)):
                    source_length = len(memoryview(source).cast("B"))
                if source_length is not None:
                    session.set_plaintext_length(source_length)
                return StreamEncryptor(session, source, chunk_size=chunk_size)
            return StreamDecryptor(session, source, chunk_size=chunk_size)
        except BaseException:
            session.close()
            raise

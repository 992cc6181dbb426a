"""Plain, immutable data returned by the library: encrypted data keys and message headers.

These are Python-owned copies: they stay valid after the call that produced them.
"""

from __future__ import annotations

import dataclasses
from typing import Dict, List, NamedTuple

from .identifiers import Algorithm, ContentType

__all__ = ["EncryptedDataKey", "MasterKeyInfo", "MessageHeader"]


class MasterKeyInfo(NamedTuple):
    """The official SDK's (provider_id, key_info) pair."""

    provider_id: str
    key_info: bytes


@dataclasses.dataclass(frozen=True)
class EncryptedDataKey:
    """One encrypted data key as stored in a message header.

    :ivar provider_id: the key provider id (UTF-8 on the wire; bytes that are not valid
        UTF-8 are kept with ``surrogateescape``, so they round-trip).
    :ivar provider_info: the provider information (e.g. the raw keyring's key name, tag
        length and IV).
    :ivar ciphertext: the wrapped data key.
    """

    provider_id: str
    provider_info: bytes
    ciphertext: bytes

    @property
    def key_provider(self) -> MasterKeyInfo:
        """The official SDK's view: ``MasterKeyInfo(provider_id, key_info)``."""
        return MasterKeyInfo(self.provider_id, self.provider_info)

    @property
    def encrypted_data_key(self) -> bytes:
        """The official SDK's name for :attr:`ciphertext`."""
        return self.ciphertext


@dataclasses.dataclass(frozen=True)
class MessageHeader:
    """The header of a message that was encrypted or decrypted.

    :ivar version: message format version (1 or 2).
    :ivar algorithm: the algorithm suite.
    :ivar message_id: 16 bytes (version 1) or 32 bytes (version 2).
    :ivar encryption_context: the context stored in the header, including the
        ``aws-crypto-public-key`` entry of signed suites.
    :ivar encrypted_data_keys: the message's EDKs, in wire order.
    :ivar content_type: framed or not.
    :ivar frame_length: frame length in bytes (0 for unframed messages).
    """

    version: int
    algorithm: Algorithm
    message_id: bytes
    encryption_context: Dict[str, str]
    encrypted_data_keys: List[EncryptedDataKey]
    content_type: ContentType
    frame_length: int

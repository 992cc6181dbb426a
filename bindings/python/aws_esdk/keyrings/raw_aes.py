"""The raw AES keyring (``keyrings/raw_aes.h``)."""

from __future__ import annotations

from typing import Union

from .. import _ffi
from .._ffi import lib
from .base import NativeKeyring

__all__ = ["RawAESKeyring"]


class RawAESKeyring(NativeKeyring):
    """Wraps data keys with AES-GCM under a key the application holds.

    The wire layout is the official one (provider id = namespace; provider info = key
    name, tag length, IV length, IV; AAD = the serialized encryption context), so
    messages interoperate with every official SDK's raw AES keyring or master key.

    :param key_namespace: the provider id (e.g. ``"my-app"``; ``"aws-kms"`` is refused).
    :param key_name: the key's name within the namespace.
    :param wrapping_key: 16, 24 or 32 bytes. The library copies it into guarded memory;
        the Python object you passed is not wiped (Python cannot wipe ``bytes``).
    :raises InvalidKeyError: or another :class:`~aws_esdk.errors.AWSEncryptionSDKError`
        for a bad key size or a refused namespace.
    """

    def __init__(self, key_namespace: str, key_name: Union[str, bytes], wrapping_key: bytes) -> None:
        if isinstance(key_name, (bytes, bytearray)):
            key_name = bytes(key_name).decode("utf-8")
        ns = _ffi.to_c_str(key_namespace, "key_namespace")
        name = _ffi.to_c_str(key_name, "key_name")
        key = _ffi.to_c_bytes(wrapping_key, "wrapping_key")
        super().__init__(_ffi.new_handle(lib.esdk_keyring_raw_aes_new, ns, name, key, len(key)))
        self.key_namespace: str = key_namespace
        self.key_name: str = key_name

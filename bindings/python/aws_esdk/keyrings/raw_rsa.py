"""The raw RSA keyring (``keyrings/raw_rsa.h``)."""

from __future__ import annotations

import enum
from ctypes import POINTER, c_char_p, c_int, c_size_t, c_void_p
from typing import Optional, Union

from .. import _ffi
from .._ffi import lib
from .base import NativeKeyring

__all__ = ["RawRSAKeyring", "PaddingScheme"]

AVAILABLE = _ffi.declare_optional(
    {
        "esdk_keyring_raw_rsa_new": (
            c_int,
            [c_char_p, c_char_p, c_int, c_char_p, c_size_t, c_char_p, c_size_t, POINTER(c_void_p)],
        ),
    }
)


class PaddingScheme(enum.IntEnum):
    """RSA padding schemes (the names of the official material providers library).

    OAEP uses MGF1 with the same hash and an empty label. Use OAEP (SHA-256 or stronger)
    for anything new; PKCS#1 v1.5 exists for older systems.
    """

    PKCS1 = 0
    OAEP_SHA1_MGF1 = 1
    OAEP_SHA256_MGF1 = 2
    OAEP_SHA384_MGF1 = 3
    OAEP_SHA512_MGF1 = 4


class RawRSAKeyring(NativeKeyring):
    """Wraps data keys with an RSA key the application holds (official wire layout).

    :param key_namespace: the provider id (``"aws-kms"`` is refused).
    :param key_name: the key's name (the provider info).
    :param padding_scheme: a :class:`PaddingScheme`; it must match the one used by the
        other side, so there is no default.
    :param public_key: PEM or DER (SubjectPublicKeyInfo or PKCS#1); needed to encrypt.
    :param private_key: PEM or DER (PKCS#8 or PKCS#1, unencrypted); needed to decrypt.
        The library keeps its own copy. At least one of the two keys must be given; the
        modulus must be 2048 to 8192 bits.

    Without a public key ``encrypt`` fails with :class:`~aws_esdk.errors.BadStateError`
    (the public key is never derived from the private one); without a private key,
    ``decrypt`` does. RSA wrapping is not bound to the encryption context. See
    ``keyrings/raw_rsa.h`` for how PKCS#1 v1.5 decryption resists padding oracles.
    """

    def __init__(
        self,
        key_namespace: str,
        key_name: Union[str, bytes],
        *,
        padding_scheme: PaddingScheme,
        public_key: Optional[Union[bytes, str]] = None,
        private_key: Optional[Union[bytes, str]] = None,
    ) -> None:
        _ffi.require("esdk_keyring_raw_rsa_new")
        if isinstance(key_name, (bytes, bytearray)):
            key_name = bytes(key_name).decode("utf-8")
        padding = PaddingScheme(padding_scheme)
        pub = _pem_or_der(public_key, "public_key")
        priv = _pem_or_der(private_key, "private_key")
        if pub is None and priv is None:
            raise TypeError("give public_key, private_key or both")
        super().__init__(
            _ffi.new_handle(
                lib.esdk_keyring_raw_rsa_new,
                _ffi.to_c_str(key_namespace, "key_namespace"),
                _ffi.to_c_str(key_name, "key_name"),
                int(padding),
                pub,
                len(pub or b""),
                priv,
                len(priv or b""),
            )
        )
        self.key_namespace: str = key_namespace
        self.key_name: str = key_name
        self.padding_scheme: PaddingScheme = padding


def _pem_or_der(value: Optional[Union[bytes, str]], what: str) -> Optional[bytes]:
    if value is None:
        return None
    if isinstance(value, str):  # PEM text is ASCII; accept it as str for convenience
        return value.encode("ascii")
    return _ffi.to_c_bytes(value, what)

"""The required-encryption-context CMM (``cmm_required_context.h``)."""

from __future__ import annotations

from ctypes import POINTER, c_char_p, c_int, c_size_t, c_void_p
from typing import Iterable, List, Optional

from . import _ffi
from ._ffi import lib
from .keyrings.base import Keyring
from .materials_managers import CryptoMaterialsManager, require_cmm, require_keyring

__all__ = ["RequiredEncryptionContextCMM"]

AVAILABLE = _ffi.declare_optional(
    {
        "esdk_cmm_required_context_new": (c_int, [c_void_p, POINTER(c_char_p), c_size_t, POINTER(c_void_p)]),
        "esdk_cmm_required_context_new_with_keyring": (
            c_int,
            [c_void_p, POINTER(c_char_p), c_size_t, POINTER(c_void_p)],
        ),
    }
)


class RequiredEncryptionContextCMM(CryptoMaterialsManager):
    """Names encryption-context keys every message must carry, authenticated but not stored.

    Encrypt refuses a context that lacks one of the keys
    (:class:`~aws_esdk.errors.EncryptionContextMismatchError`); the pairs are bound to the
    message (header tag, and keyrings that bind the context) but left out of its stored
    header. Decrypt needs them back: pass them as ``encryption_context=`` to
    ``client.decrypt`` / ``client.stream``.

    :param required_encryption_context_keys: at least one key; UTF-8, no duplicates,
        none starting with ``aws-crypto-``.
    :param keyring: build a default CMM over this keyring underneath, or
    :param underlying_cmm: use this CMM underneath (give exactly one).
    """

    def __init__(
        self,
        required_encryption_context_keys: Iterable[str],
        *,
        keyring: Optional[Keyring] = None,
        underlying_cmm: Optional[CryptoMaterialsManager] = None,
    ) -> None:
        _ffi.require("esdk_cmm_required_context_new", "esdk_cmm_required_context_new_with_keyring")
        if isinstance(required_encryption_context_keys, (str, bytes)):
            raise TypeError("required_encryption_context_keys must be a list of str, not a single string")
        keys: List[str] = list(required_encryption_context_keys)
        encoded = [_ffi.to_c_str(k, "required encryption context key") for k in keys]
        array = (c_char_p * max(len(encoded), 1))(*encoded)
        if (keyring is None) == (underlying_cmm is None):
            raise TypeError("give exactly one of keyring= and underlying_cmm=")
        if keyring is not None:
            require_keyring(keyring)
            ptr = _ffi.new_handle(lib.esdk_cmm_required_context_new_with_keyring, keyring, array, len(encoded))
        else:
            require_cmm(underlying_cmm, "underlying_cmm")
            ptr = _ffi.new_handle(lib.esdk_cmm_required_context_new, underlying_cmm, array, len(encoded))
        super().__init__(ptr, keyring, underlying_cmm)
        self.required_encryption_context_keys: List[str] = keys

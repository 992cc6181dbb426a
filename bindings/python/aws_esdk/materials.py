"""Views of encryption and decryption materials, as keyrings written in Python see them.

**Borrowed views.** A materials object handed to :meth:`Keyring.on_encrypt` or
:meth:`Keyring.on_decrypt` wraps the C library's materials for the duration of that call
only. Once the call returns, the object is invalidated and every use raises
``RuntimeError``: do not store it or use it from another thread. What you read from it
(``encryption_context``, ``data_key``, ``encrypted_data_keys``) are Python copies and stay
valid.

The C library checks every change at the point of mutation: a data key can be set once
and must have the suite's length; ``add_edk`` copies its arguments.
"""

from __future__ import annotations

import ctypes
from typing import Any, Dict, List, Optional

from . import _ffi
from ._context import read_context
from ._ffi import EsdkEdk, lib
from .identifiers import Algorithm
from .structures import EncryptedDataKey

__all__ = ["EncryptionMaterials", "DecryptionMaterials", "read_edk_list"]


def read_edk_list(edks: Optional[int]) -> List[EncryptedDataKey]:
    """Python copies of the EDKs in a C ``esdk_edk_list`` (borrowed; [] for NULL)."""
    result: List[EncryptedDataKey] = []
    if not edks:
        return result
    view = EsdkEdk()
    for i in range(lib.esdk_edk_list_count(edks)):
        _ffi.check(lib.esdk_edk_list_get(edks, i, ctypes.byref(view)))
        result.append(
            EncryptedDataKey(
                provider_id=_ffi.string_at(view.provider_id, view.provider_id_len).decode(
                    "utf-8", "surrogateescape"
                ),
                provider_info=_ffi.string_at(view.provider_info, view.provider_info_len),
                ciphertext=_ffi.string_at(view.ciphertext, view.ciphertext_len),
            )
        )
    return result


class _MaterialsView:
    """Common part of the two views: a borrowed pointer that can be invalidated."""

    __slots__ = ("_ptr",)
    _prefix = ""  # "esdk_enc_materials_" or "esdk_dec_materials_"

    def __init__(self, ptr: int) -> None:
        self._ptr: Optional[int] = ptr

    def _p(self) -> int:
        if self._ptr is None:
            raise RuntimeError(
                f"{type(self).__name__} was used after the keyring call returned; "
                "materials are borrowed views valid only during on_encrypt/on_decrypt"
            )
        return self._ptr

    def _invalidate(self) -> None:
        self._ptr = None

    def _fn(self, name: str) -> Any:
        return getattr(lib, self._prefix + name)

    @property
    def algorithm(self) -> Algorithm:
        """The algorithm suite of the message."""
        return Algorithm(self._fn("suite")(self._p()))

    @property
    def suite(self) -> Algorithm:
        """Same as :attr:`algorithm`."""
        return self.algorithm

    @property
    def encryption_context(self) -> Dict[str, str]:
        """A copy of the full context (with ``aws-crypto-public-key`` for signed suites,
        and the required pairs that are authenticated but not stored)."""
        return read_context(self._fn("context")(self._p()))

    @property
    def required_encryption_context_keys(self) -> List[str]:
        """Context keys authenticated but not stored in the message."""
        p = self._p()
        return [
            (self._fn("required_key")(p, i) or b"").decode("utf-8", "surrogateescape")
            for i in range(self._fn("required_key_count")(p))
        ]

    @property
    def data_key(self) -> Optional[bytes]:
        """The plaintext data key (a copy), or None while none is set.

        Setting it copies the bytes into the library's materials; it can be set once
        and must be the suite's ``data_key_len`` long.
        """
        key = ctypes.c_void_p()
        size = ctypes.c_size_t()
        if not self._fn("data_key")(self._p(), ctypes.byref(key), ctypes.byref(size)):
            return None
        return _ffi.string_at(key.value, size.value)

    @data_key.setter
    def data_key(self, value: bytes) -> None:
        data = _ffi.to_c_bytes(value, "data_key")
        _ffi.check(self._fn("set_data_key")(self._p(), data, len(data)))

    def __repr__(self) -> str:
        if self._ptr is None:
            return f"<{type(self).__name__} (call returned)>"
        return f"<{type(self).__name__} {self.algorithm.name}>"


class EncryptionMaterials(_MaterialsView):
    """What a keyring's ``on_encrypt`` receives: suite, context, data key, EDKs.

    A keyring that finds no data key generates one (:meth:`generate_data_key` or by
    setting :attr:`data_key`), then wraps it and appends at least one EDK with
    :meth:`add_edk`.
    """

    __slots__ = ()
    _prefix = "esdk_enc_materials_"

    def generate_data_key(self) -> None:
        """Set a random data key of the suite's length (fails if one is set)."""
        _ffi.check(lib.esdk_enc_materials_generate_data_key(self._p()))

    @property
    def encrypted_data_keys(self) -> List[EncryptedDataKey]:
        """Copies of the EDKs added so far (by earlier keyrings too)."""
        return read_edk_list(lib.esdk_enc_materials_edks(self._p()))

    def add_edk(self, edk: EncryptedDataKey) -> None:
        """Append an encrypted data key (copied); each field at most 65535 bytes."""
        if not isinstance(edk, EncryptedDataKey):
            raise TypeError("add_edk takes an EncryptedDataKey")
        pid = edk.provider_id.encode("utf-8", "surrogateescape")
        info = _ffi.to_c_bytes(edk.provider_info, "provider_info")
        ct = _ffi.to_c_bytes(edk.ciphertext, "ciphertext")
        view = EsdkEdk(
            _ffi.address_of(pid), len(pid), _ffi.address_of(info), len(info), _ffi.address_of(ct), len(ct)
        )
        _ffi.check(lib.esdk_enc_materials_add_edk(self._p(), ctypes.byref(view)))

    #: The official SDK's verb.
    add_encrypted_data_key = add_edk


class DecryptionMaterials(_MaterialsView):
    """What a keyring's ``on_decrypt`` receives: suite, context, and room for the data key.

    A keyring that can unwrap one of the EDKs sets :attr:`data_key` and returns; one that
    cannot returns without setting it (the library then reports ``CannotDecryptError``
    if no keyring could).
    """

    __slots__ = ()
    _prefix = "esdk_dec_materials_"

"""Cryptographic materials managers (CMMs).

A CMM turns an encrypt or decrypt request into materials, usually by asking a keyring.
``client.encrypt(..., keyring=k)`` is shorthand for a :class:`DefaultCryptoMaterialsManager`
over ``k``. Wrappers keep references to what they are built on (keyrings, caches, inner
CMMs), so building one from temporaries is safe.
"""

from __future__ import annotations

from typing import Any

from . import _ffi
from ._ffi import lib
from ._handle import Handle
from .keyrings.base import Keyring

__all__ = ["CryptoMaterialsManager", "DefaultCryptoMaterialsManager", "DefaultCMM"]


class CryptoMaterialsManager(Handle):
    """Base class of CMMs (one reference to a C ``esdk_cmm``). Thread-safe."""

    def __init__(self, ptr: int, *depends_on: Any) -> None:
        Handle.__init__(self, ptr, lib.esdk_cmm_release)
        # Python objects the C CMM uses (Python keyrings must outlive it).
        self._depends_on = depends_on

    @property
    def name(self) -> str:
        """The CMM's name (e.g. ``"default"``)."""
        return (lib.esdk_cmm_name(self) or b"").decode("utf-8", "replace")


def require_keyring(keyring: Any, what: str = "keyring") -> Keyring:
    """Check that an argument is a usable Keyring (TypeError; ValueError when closed)."""
    if not isinstance(keyring, Keyring):
        raise TypeError(f"{what} must be an aws_esdk Keyring, not {type(keyring).__name__}")
    keyring._as_parameter_  # pylint: disable=pointless-statement  # raises if closed/uninitialised
    return keyring


def require_cmm(cmm: Any, what: str = "materials_manager") -> CryptoMaterialsManager:
    """Check that an argument is a usable CMM (TypeError; ValueError when closed)."""
    if not isinstance(cmm, CryptoMaterialsManager):
        raise TypeError(f"{what} must be an aws_esdk CryptoMaterialsManager, not {type(cmm).__name__}")
    cmm._as_parameter_  # pylint: disable=pointless-statement  # raises if closed
    return cmm


class DefaultCryptoMaterialsManager(CryptoMaterialsManager):
    """The default CMM over one keyring.

    It picks the suite (the client's policy default unless one is requested), creates
    the signing key of signed suites, asks the keyring to wrap or unwrap, and applies a
    reproduced encryption context on decrypt.
    """

    def __init__(self, keyring: Keyring) -> None:
        require_keyring(keyring)
        super().__init__(_ffi.new_handle(lib.esdk_cmm_default_new, keyring), keyring)
        self.keyring: Keyring = keyring


#: Short name.
DefaultCMM = DefaultCryptoMaterialsManager

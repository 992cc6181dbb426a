"""The keyring base class, and keyrings written in Python.

Every keyring, built in or written in Python, is a :class:`Keyring`: a Python object
owning one reference to a C ``esdk_keyring``. Built-in keyrings (raw AES, ...) are thin
subclasses whose constructor calls the C constructor.

Writing a keyring in Python
---------------------------

Subclass :class:`Keyring`, call ``super().__init__()``, and override
:meth:`Keyring.on_encrypt` and :meth:`Keyring.on_decrypt`::

    class MyKeyring(aws_esdk.Keyring):
        def __init__(self, key: bytes) -> None:
            super().__init__()
            self._key = key

        def on_encrypt(self, materials: aws_esdk.EncryptionMaterials) -> None:
            if materials.data_key is None:
                materials.generate_data_key()
            materials.add_edk(aws_esdk.EncryptedDataKey("my-provider", b"v1", wrap(self._key, materials.data_key)))

        def on_decrypt(self, materials, encrypted_data_keys) -> None:
            for edk in encrypted_data_keys:
                if edk.provider_id == "my-provider":
                    materials.data_key = unwrap(self._key, edk.ciphertext)
                    return

The C library calls these methods through ctypes callbacks (on the thread that runs the
encrypt or decrypt; the GIL is taken for the call). Rules:

* ``materials`` is a **borrowed view**, valid only during the call (see
  :mod:`aws_esdk.materials`); ``encrypted_data_keys`` is a list of Python copies.
* An exception raised by the method never crosses into C: it becomes an error code
  (the exception's ``code`` when it is an :class:`~aws_esdk.errors.AWSEncryptionSDKError`,
  else ``ESDK_ERR_KEYRING``) and the exception the caller finally sees has the original
  one as ``__cause__``. Not finding a key in ``on_decrypt`` is not an exception: return
  without setting the data key.
* The library checks the contract around every call (a data key and at least one new
  EDK after ``on_encrypt``; rollback on failure), so a faulty Python keyring cannot
  corrupt the materials.
* Keep the Python object alive while the C library may use it. Wrappers that hold a
  keyring (CMMs, multi-keyrings) keep a reference for you; if the object is collected
  anyway while a C object still holds the keyring, calls fail with
  :class:`~aws_esdk.errors.KeyringError`.
"""

from __future__ import annotations

import ctypes
import itertools
import weakref
from typing import Dict, List, Optional, Sequence

from .. import _ffi, errors
from .._ffi import DESTROY_FN, ON_DECRYPT_FN, ON_ENCRYPT_FN, EsdkEdk, KeyringVtable, lib
from .._handle import Handle
from ..materials import DecryptionMaterials, EncryptionMaterials, read_edk_list
from ..structures import EncryptedDataKey

__all__ = ["Keyring", "NativeKeyring"]

_ESDK_ERR_KEYRING = errors.KeyringError.default_code

# state id -> weak reference to the Python keyring. Entries leave in the destroy
# callback, when the C keyring's last reference goes. No lock: single dict operations are
# atomic under the GIL, and destroy may run from a garbage collection on a thread that is
# in the middle of registering another keyring (a lock there could deadlock).
_entries: Dict[int, "weakref.ref[Keyring]"] = {}
_ids = itertools.count(1)
# One vtable per Python class, kept for the life of the process (C keeps pointers to it).
_vtables: Dict[type, KeyringVtable] = {}


def _failure_code(exc: BaseException, keyring: Optional["Keyring"]) -> int:
    """Remember exc for the caller's thread and turn it into an ESDK_ERR_* code."""
    who = type(keyring).__name__ if keyring is not None else "Python keyring"
    return _ffi.callback_failure(exc, _ESDK_ERR_KEYRING, who)


def _resolve(state: Optional[int]) -> "Keyring":
    ref = _entries.get(state or 0)
    keyring = ref() if ref is not None else None
    if keyring is None:
        raise errors.KeyringError(
            "the Python keyring object was garbage-collected while the library still uses it; "
            "keep a reference to it as long as anything built on it is in use",
            code=_ESDK_ERR_KEYRING,
            name="ESDK_ERR_KEYRING",
        )
    return keyring


@ON_ENCRYPT_FN
def _c_on_encrypt(state: Optional[int], materials: Optional[int]) -> int:
    keyring: Optional[Keyring] = None
    try:
        keyring = _resolve(state)
        view = EncryptionMaterials(materials or 0)
        try:
            keyring.on_encrypt(view)
        finally:
            view._invalidate()
        return 0
    except BaseException as exc:  # nothing may propagate into C
        return _failure_code(exc, keyring)


@ON_DECRYPT_FN
def _c_on_decrypt(state: Optional[int], materials: Optional[int], edks: Optional[int]) -> int:
    keyring: Optional[Keyring] = None
    try:
        keyring = _resolve(state)
        view = DecryptionMaterials(materials or 0)
        try:
            keyring.on_decrypt(view, read_edk_list(edks))
        finally:
            view._invalidate()
        return 0
    except BaseException as exc:  # nothing may propagate into C
        return _failure_code(exc, keyring)


@DESTROY_FN
def _c_destroy(state: Optional[int]) -> None:
    try:
        _entries.pop(state or 0, None)
    except BaseException:  # pragma: no cover - must never raise into C
        pass


def _vtable_for(cls: type) -> KeyringVtable:
    vt = _vtables.get(cls)
    if vt is None:
        name = f"python:{cls.__qualname__}".encode("utf-8", "replace")
        new = KeyringVtable(ctypes.sizeof(KeyringVtable), name, _c_on_encrypt, _c_on_decrypt, _c_destroy)
        vt = _vtables.setdefault(cls, new)  # atomic: concurrent first uses agree on one vtable
    return vt


def _edk_list_from(edks: Sequence[EncryptedDataKey]) -> int:
    handle = _ffi.new_handle(lib.esdk_edk_list_new)
    try:
        for edk in edks:
            pid = edk.provider_id.encode("utf-8", "surrogateescape")
            info = bytes(edk.provider_info)
            ct = bytes(edk.ciphertext)
            view = EsdkEdk(
                _ffi.address_of(pid), len(pid), _ffi.address_of(info), len(info), _ffi.address_of(ct), len(ct)
            )
            _ffi.check(lib.esdk_edk_list_append(handle, ctypes.byref(view)))
    except BaseException:
        lib.esdk_edk_list_release(handle)
        raise
    return handle


class Keyring(Handle):
    """A keyring: wraps data keys on encrypt and unwraps them on decrypt.

    Instantiate a built-in subclass (:class:`~aws_esdk.RawAESKeyring`, ...), or subclass
    this class directly to write a keyring in Python (see the module documentation).
    Pass keyrings to :class:`~aws_esdk.EncryptionSDKClient` calls (``keyring=``), CMMs
    and multi-keyrings. Thread-safe: one keyring may serve many threads at once (a
    Python keyring's methods are then called concurrently, each with the GIL).
    """

    def __init__(self) -> None:
        """Create the C keyring that calls this object's on_encrypt / on_decrypt."""
        state = next(_ids)
        _entries[state] = weakref.ref(self)
        vt = _vtable_for(type(self))
        # On failure the library calls destroy, which drops the entry again.
        ptr = _ffi.new_handle(lib.esdk_keyring_new, ctypes.byref(vt), state)
        Handle.__init__(self, ptr, lib.esdk_keyring_release)

    @property
    def name(self) -> str:
        """The keyring's name in traces and error texts (e.g. ``"raw-aes"``)."""
        return (lib.esdk_keyring_name(self) or b"").decode("utf-8", "replace")

    def on_encrypt(self, materials: EncryptionMaterials) -> None:
        """Make sure the materials hold a data key, wrap it, and add at least one EDK.

        Override in a Python keyring.
        """
        raise NotImplementedError(f"{type(self).__name__} does not implement on_encrypt")

    def on_decrypt(self, materials: DecryptionMaterials, encrypted_data_keys: List[EncryptedDataKey]) -> None:
        """Unwrap one of the EDKs and set ``materials.data_key``; leave it unset if none fits.

        Override in a Python keyring.
        """
        raise NotImplementedError(f"{type(self).__name__} does not implement on_decrypt")


class NativeKeyring(Keyring):
    """Base of the keyrings implemented in C. Subclasses pass the new handle up.

    Their :meth:`on_encrypt` / :meth:`on_decrypt` call the C keyring, so a keyring
    written in Python can delegate to a built-in one inside its own methods.
    """

    def __init__(self, ptr: int) -> None:  # pylint: disable=super-init-not-called
        Handle.__init__(self, ptr, lib.esdk_keyring_release)

    def on_encrypt(self, materials: EncryptionMaterials) -> None:
        """Run the C keyring's on_encrypt on (borrowed) materials."""
        _ffi.check(lib.esdk_keyring_on_encrypt(self, materials._p()))

    def on_decrypt(self, materials: DecryptionMaterials, encrypted_data_keys: List[EncryptedDataKey]) -> None:
        """Run the C keyring's on_decrypt on (borrowed) materials.

        As for Python keyrings, not finding a key leaves the data key unset (the
        library's ``ESDK_ERR_CANNOT_DECRYPT`` is not raised here).
        """
        edks = _edk_list_from(encrypted_data_keys)
        try:
            rc = lib.esdk_keyring_on_decrypt(self, materials._p(), edks)
            if rc not in (0, errors.CannotDecryptError.default_code):
                _ffi.raise_error(rc)
        finally:
            lib.esdk_edk_list_release(edks)


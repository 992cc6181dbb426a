"""The multi-keyring (``keyrings/multi.h``)."""

from __future__ import annotations

from ctypes import POINTER, c_int, c_size_t, c_void_p
from typing import Iterable, Optional, Tuple

from .. import _ffi
from .._ffi import lib
from .base import Keyring, NativeKeyring

__all__ = ["MultiKeyring"]

AVAILABLE = _ffi.declare_optional(
    {"esdk_keyring_multi_new": (c_int, [c_void_p, POINTER(c_void_p), c_size_t, POINTER(c_void_p)])}
)


class MultiKeyring(NativeKeyring):
    """One generator keyring and any number of child keyrings behind one keyring.

    Encrypt: the generator makes and wraps the data key, then every child wraps it too
    (without a generator, the materials must already hold a data key, e.g. from a CMM).
    Any failure fails the whole call: a message is never written that one of the
    configured keys could not open. Decrypt: the generator, then each child, in order;
    the first that unwraps a key wins. When all fail the error is
    :class:`~aws_esdk.errors.CannotDecryptError` if one was reachable but held no key,
    otherwise the common code; the detail lists every keyring's failure.

    Keyrings may be built-in or written in Python, and may sit in several multi-keyrings.

    :param generator: the keyring that generates the data key (may be None).
    :param child_keyrings: more keyrings that wrap the same data key.
    """

    def __init__(self, generator: Optional[Keyring] = None, child_keyrings: Iterable[Keyring] = ()) -> None:
        _ffi.require("esdk_keyring_multi_new")
        children: Tuple[Keyring, ...] = tuple(child_keyrings)
        for i, child in enumerate((generator,) + children if generator is not None else children):
            if not isinstance(child, Keyring):
                raise TypeError(f"keyring {i} is a {type(child).__name__}, not an aws_esdk Keyring")
        if generator is None and not children:
            raise TypeError("give a generator, child keyrings, or both")
        array = (c_void_p * max(len(children), 1))(*[child._as_parameter_ for child in children])
        super().__init__(
            _ffi.new_handle(lib.esdk_keyring_multi_new, generator, array if children else None, len(children))
        )
        # the C keyring retains the C handles; these keep Python keyrings alive as long
        self.generator: Optional[Keyring] = generator
        self.children: Tuple[Keyring, ...] = children



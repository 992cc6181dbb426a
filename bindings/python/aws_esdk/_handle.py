"""Owning wrappers around C handles (private).

A :class:`Handle` owns one reference to a C object. It is released exactly once, by
whichever comes first: :meth:`Handle.close`, leaving a ``with`` block, or garbage
collection (``weakref.finalize``, which also runs at interpreter exit). Objects shared
inside the C library (a keyring inside a CMM, say) are reference counted there, so
closing the Python wrapper never pulls an object out from under another one.
"""

from __future__ import annotations

import weakref
from typing import Any, Callable, Optional, TypeVar

_H = TypeVar("_H", bound="Handle")


class Handle:
    """One reference to a C object, released deterministically."""

    __slots__ = ("_ptr", "_finalizer", "__weakref__")

    def __init__(self, ptr: int, release: Callable[[int], None]) -> None:
        self._ptr: Optional[int] = ptr
        self._finalizer = weakref.finalize(self, release, ptr)

    @property
    def _as_parameter_(self) -> int:
        """Lets ctypes take the object where the C function wants the handle."""
        ptr = getattr(self, "_ptr", None)
        if ptr is None:
            if not hasattr(self, "_finalizer"):
                raise TypeError(f"{type(self).__name__} was not initialised: call super().__init__()")
            raise ValueError(f"{type(self).__name__} is closed")
        return ptr

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran (or the object was released)."""
        return getattr(self, "_ptr", None) is None

    def close(self) -> None:
        """Release this reference to the C object now. Idempotent.

        Objects that still use it (a CMM holding this keyring, a running stream) keep
        their own references; the C object goes away with the last one.
        """
        self._ptr = None
        finalizer = getattr(self, "_finalizer", None)
        if finalizer is not None:
            finalizer()

    def __enter__(self: _H) -> _H:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        ptr = getattr(self, "_ptr", None)
        state = "closed" if ptr is None else f"0x{ptr:x}"
        return f"<{type(self).__name__} {state}>"

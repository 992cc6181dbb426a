"""Encryption contexts: Python dicts of str to and from ``esdk_enc_ctx`` (private)."""

from __future__ import annotations

import ctypes
from typing import Dict, Mapping, Optional

from . import _ffi
from ._ffi import lib


def new_context(context: Optional[Mapping[str, str]]) -> int:
    """A new C context holding context's pairs; release with ``esdk_enc_ctx_release``.

    Keys and values must be ``str`` (they are stored as UTF-8).
    """
    if context is not None and not isinstance(context, Mapping):
        raise TypeError(f"encryption_context must be a mapping of str to str, not {type(context).__name__}")
    ctx = _ffi.new_handle(lib.esdk_enc_ctx_new)
    try:
        for key, value in (context or {}).items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise TypeError("encryption context keys and values must be str")
            k = key.encode("utf-8")
            v = value.encode("utf-8")
            _ffi.check(lib.esdk_enc_ctx_set(ctx, k, len(k), v, len(v)))
    except BaseException:
        lib.esdk_enc_ctx_release(ctx)
        raise
    return ctx


def read_context(ctx: Optional[int]) -> Dict[str, str]:
    """A dict copy of a C context (borrowed; {} for NULL), in the context's sorted order."""
    result: Dict[str, str] = {}
    if not ctx:
        return result
    key, value = ctypes.c_void_p(), ctypes.c_void_p()
    key_len, value_len = ctypes.c_size_t(), ctypes.c_size_t()
    for i in range(lib.esdk_enc_ctx_count(ctx)):
        _ffi.check(
            lib.esdk_enc_ctx_entry(
                ctx, i, ctypes.byref(key), ctypes.byref(key_len), ctypes.byref(value), ctypes.byref(value_len)
            )
        )
        k = _ffi.string_at(key.value, key_len.value).decode("utf-8", "surrogateescape")
        v = _ffi.string_at(value.value, value_len.value).decode("utf-8", "surrogateescape")
        result[k] = v
    return result

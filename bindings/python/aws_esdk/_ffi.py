"""Loading libaws-esdk-c and declaring the C prototypes (private).

Only this module knows about ctypes types and symbol names. The rest of the package
calls ``lib.esdk_*`` functions declared here and turns status codes into exceptions with
:func:`check`.

Where the library comes from, in order:

1. a copy bundled next to this package (``aws_esdk/libaws-esdk-c.so*``),
2. the path in the environment variable ``AWS_ESDK_LIBRARY``,
3. the system loader (``ctypes.util.find_library("aws-esdk-c")``, then
   ``libaws-esdk-c.so.0``).

The library's major version (``esdk_version()``) must equal the package's.

ABI notes: opaque handles are ``c_void_p``; every function returning a pointer has an
explicit ``restype`` (a default ``c_int`` would truncate it); input bytes go in as
``c_char_p`` (Python ``bytes`` are passed without a copy); calls release the GIL.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import os
import threading
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_bool,
    c_char_p,
    c_int,
    c_size_t,
    c_uint16,
    c_uint32,
    c_uint64,
    c_void_p,
)
from typing import Any, Callable, Dict, List, NoReturn, Optional, Sequence, Tuple

from . import errors
from ._version import __version__

ENV_LIBRARY = "AWS_ESDK_LIBRARY"
_SONAME = "libaws-esdk-c.so.0"


# ---- C structures and callback types ---------------------------------------------------


class EsdkBuf(Structure):
    """``esdk_buf``: bytes the library grows; release with ``esdk_buf_release``."""

    _fields_ = [("data", c_void_p), ("len", c_size_t), ("capacity", c_size_t)]


class EsdkEdk(Structure):
    """``esdk_edk``: a borrowed view of one encrypted data key."""

    _fields_ = [
        ("provider_id", c_void_p),
        ("provider_id_len", c_size_t),
        ("provider_info", c_void_p),
        ("provider_info_len", c_size_t),
        ("ciphertext", c_void_p),
        ("ciphertext_len", c_size_t),
    ]


#: int (*on_encrypt)(void *state, esdk_enc_materials *materials)
ON_ENCRYPT_FN = CFUNCTYPE(c_int, c_void_p, c_void_p)
#: int (*on_decrypt)(void *state, esdk_dec_materials *materials, const esdk_edk_list *edks)
ON_DECRYPT_FN = CFUNCTYPE(c_int, c_void_p, c_void_p, c_void_p)
#: void (*destroy)(void *state)
DESTROY_FN = CFUNCTYPE(None, c_void_p)


class KeyringVtable(Structure):
    """``esdk_keyring_vtable``."""

    _fields_ = [
        ("size", c_size_t),
        ("name", c_char_p),
        ("on_encrypt", ON_ENCRYPT_FN),
        ("on_decrypt", ON_DECRYPT_FN),
        ("destroy", DESTROY_FN),
    ]


_P = POINTER(c_void_p)
_SZ = POINTER(c_size_t)

# name -> (restype, argtypes). Every symbol here must exist in the library.
_REQUIRED: Dict[str, Tuple[Any, Sequence[Any]]] = {
    # esdk.h, error.h, buffer.h
    "esdk_version": (c_char_p, []),
    "esdk_strerror": (c_char_p, [c_int]),
    "esdk_error_name": (c_char_p, [c_int]),
    "esdk_last_error_detail": (c_char_p, []),
    "esdk_clear_error": (None, []),
    "esdk_buf_release": (None, [POINTER(EsdkBuf)]),
    # context.h
    "esdk_enc_ctx_new": (c_int, [_P]),
    "esdk_enc_ctx_clone": (c_int, [c_void_p, _P]),
    "esdk_enc_ctx_release": (None, [c_void_p]),
    "esdk_enc_ctx_set": (c_int, [c_void_p, c_char_p, c_size_t, c_char_p, c_size_t]),
    "esdk_enc_ctx_count": (c_size_t, [c_void_p]),
    "esdk_enc_ctx_entry": (c_int, [c_void_p, c_size_t, _P, _SZ, _P, _SZ]),
    # suite.h
    "esdk_suite_is_known": (c_bool, [c_uint16]),
    "esdk_suite_data_key_len": (c_size_t, [c_uint16]),
    "esdk_suite_message_version": (c_int, [c_uint16]),
    "esdk_suite_is_signed": (c_bool, [c_uint16]),
    "esdk_suite_is_committing": (c_bool, [c_uint16]),
    "esdk_suite_has_kdf": (c_bool, [c_uint16]),
    "esdk_suite_name": (c_char_p, [c_uint16]),
    "esdk_suite_default_for_policy": (c_uint16, [c_int]),
    "esdk_policy_allows_encrypt": (c_bool, [c_int, c_uint16]),
    "esdk_policy_allows_decrypt": (c_bool, [c_int, c_uint16]),
    # options.h
    "esdk_options_new": (c_int, [_P]),
    "esdk_options_release": (None, [c_void_p]),
    "esdk_options_set_commitment_policy": (c_int, [c_void_p, c_int]),
    "esdk_options_set_max_encrypted_data_keys": (c_int, [c_void_p, c_size_t]),
    "esdk_options_set_suite": (c_int, [c_void_p, c_uint16]),
    "esdk_options_set_frame_length": (c_int, [c_void_p, c_uint32]),
    "esdk_options_set_max_header_size": (c_int, [c_void_p, c_size_t]),
    "esdk_options_set_max_body_frame": (c_int, [c_void_p, c_uint64]),
    "esdk_options_set_max_unframed_size": (c_int, [c_void_p, c_uint64]),
    # materials.h
    "esdk_edk_list_new": (c_int, [_P]),
    "esdk_edk_list_release": (None, [c_void_p]),
    "esdk_edk_list_count": (c_size_t, [c_void_p]),
    "esdk_edk_list_append": (c_int, [c_void_p, POINTER(EsdkEdk)]),
    "esdk_edk_list_get": (c_int, [c_void_p, c_size_t, POINTER(EsdkEdk)]),
    "esdk_enc_materials_suite": (c_uint16, [c_void_p]),
    "esdk_enc_materials_context": (c_void_p, [c_void_p]),
    "esdk_enc_materials_required_key_count": (c_size_t, [c_void_p]),
    "esdk_enc_materials_required_key": (c_char_p, [c_void_p, c_size_t]),
    "esdk_enc_materials_data_key": (c_bool, [c_void_p, _P, _SZ]),
    "esdk_enc_materials_set_data_key": (c_int, [c_void_p, c_char_p, c_size_t]),
    "esdk_enc_materials_generate_data_key": (c_int, [c_void_p]),
    "esdk_enc_materials_add_edk": (c_int, [c_void_p, POINTER(EsdkEdk)]),
    "esdk_enc_materials_edks": (c_void_p, [c_void_p]),
    "esdk_dec_materials_suite": (c_uint16, [c_void_p]),
    "esdk_dec_materials_context": (c_void_p, [c_void_p]),
    "esdk_dec_materials_required_key_count": (c_size_t, [c_void_p]),
    "esdk_dec_materials_required_key": (c_char_p, [c_void_p, c_size_t]),
    "esdk_dec_materials_data_key": (c_bool, [c_void_p, _P, _SZ]),
    "esdk_dec_materials_set_data_key": (c_int, [c_void_p, c_char_p, c_size_t]),
    # keyring.h
    "esdk_keyring_new": (c_int, [POINTER(KeyringVtable), c_void_p, _P]),
    "esdk_keyring_retain": (c_void_p, [c_void_p]),
    "esdk_keyring_release": (None, [c_void_p]),
    "esdk_keyring_name": (c_char_p, [c_void_p]),
    "esdk_keyring_on_encrypt": (c_int, [c_void_p, c_void_p]),
    "esdk_keyring_on_decrypt": (c_int, [c_void_p, c_void_p, c_void_p]),
    # cmm.h
    "esdk_cmm_retain": (c_void_p, [c_void_p]),
    "esdk_cmm_release": (None, [c_void_p]),
    "esdk_cmm_name": (c_char_p, [c_void_p]),
    "esdk_cmm_default_new": (c_int, [c_void_p, _P]),
    # session.h
    "esdk_session_new": (c_int, [c_int, c_void_p, c_void_p, _P]),
    "esdk_session_new_with_keyring": (c_int, [c_int, c_void_p, c_void_p, _P]),
    "esdk_session_release": (None, [c_void_p]),
    "esdk_session_set_context": (c_int, [c_void_p, c_void_p]),
    "esdk_session_set_plaintext_length": (c_int, [c_void_p, c_uint64]),
    "esdk_session_end_input": (c_int, [c_void_p]),
    "esdk_session_process": (
        c_int,
        [c_void_p, c_void_p, c_size_t, _SZ, c_void_p, c_size_t, _SZ],
    ),
    "esdk_session_is_done": (c_bool, [c_void_p]),
    "esdk_session_estimate": (None, [c_void_p, _SZ, _SZ]),
    "esdk_session_has_header": (c_bool, [c_void_p]),
    "esdk_session_suite": (c_uint16, [c_void_p]),
    "esdk_session_frame_length": (c_uint32, [c_void_p]),
    "esdk_session_message_id": (c_int, [c_void_p, _P, _SZ]),
    "esdk_session_header_context": (c_void_p, [c_void_p]),
    "esdk_session_edks": (c_void_p, [c_void_p]),
    "esdk_session_unverified_bytes": (c_uint64, [c_void_p]),
    # client.h
    "esdk_encrypt": (c_int, [c_void_p, c_void_p, c_void_p, c_void_p, c_char_p, c_size_t, POINTER(EsdkBuf)]),
    "esdk_decrypt": (
        c_int,
        [c_void_p, c_void_p, c_void_p, c_void_p, c_char_p, c_size_t, POINTER(EsdkBuf), _P],
    ),
    # keyrings/raw_aes.h
    "esdk_keyring_raw_aes_new": (c_int, [c_char_p, c_char_p, c_char_p, c_size_t, _P]),
}

# Symbols of optional features (added to the library over time, or left out of a build).
# Each feature module declares its own with declare_optional(); absent ones are None.
_OPTIONAL: Dict[str, Tuple[Any, Sequence[Any]]] = {
    "esdk_options_set_accept_net_v4_0_0": (c_int, [c_void_p, c_bool]),
    "esdk_options_set_threads": (c_int, [c_void_p, ctypes.c_uint]),
    # variadic in C (code, fmt, ...): declared with exactly one "%s" argument
    "esdk_set_error": (c_int, [c_int, c_char_p, c_char_p]),
}


# ---- loading ---------------------------------------------------------------------------


def _bundled_candidates() -> List[str]:
    here = os.path.dirname(os.path.abspath(__file__))
    found = glob.glob(os.path.join(here, "libaws-esdk-c.so*")) + glob.glob(
        os.path.join(here, "libaws-esdk-c*.dylib")
    )
    # The unversioned name or the SONAME first; fully versioned names after.
    return sorted(found, key=len)


def _load() -> Tuple[ctypes.CDLL, str]:
    tried: List[str] = []
    for path in _bundled_candidates():
        try:
            return ctypes.CDLL(path), path
        except OSError as exc:
            tried.append(f"{path} (bundled): {exc}")
    env = os.environ.get(ENV_LIBRARY)
    if env:
        try:
            return ctypes.CDLL(env), env
        except OSError as exc:
            raise ImportError(
                f"aws_esdk: cannot load the library named by {ENV_LIBRARY}={env!r}: {exc}"
            ) from exc
    names = []
    found = ctypes.util.find_library("aws-esdk-c")
    if found:
        names.append(found)
    names.append(_SONAME)
    for name in names:
        try:
            return ctypes.CDLL(name), name
        except OSError as exc:
            tried.append(f"{name} (system loader): {exc}")
    raise ImportError(
        "aws_esdk: cannot find libaws-esdk-c. Bundle it next to the package "
        "(aws_esdk/libaws-esdk-c.so), set "
        f"{ENV_LIBRARY} to its path, or install it where the system loader looks "
        "(e.g. /usr/local/lib and run ldconfig). Tried: "
        + ("; ".join(tried) if tried else "nothing was found")
    )


def _declare(cdll: ctypes.CDLL, table: Dict[str, Tuple[Any, Sequence[Any]]], required: bool) -> None:
    for name, (restype, argtypes) in table.items():
        try:
            fn = getattr(cdll, name)
        except AttributeError:
            if required:
                raise ImportError(
                    f"aws_esdk: the library at {LIBRARY_PATH} lacks the symbol {name}; "
                    "it is too old or not libaws-esdk-c"
                ) from None
            setattr(lib, name, None)
            continue
        fn.restype = restype
        fn.argtypes = list(argtypes)
        setattr(lib, name, fn)


class _Lib:
    """Namespace for the declared functions (``lib.esdk_*``)."""

    def __getattr__(self, name: str) -> Any:  # only reached for undeclared names
        raise AttributeError(f"aws_esdk: {name} is not declared in aws_esdk._ffi")


lib: Any = _Lib()
CDLL, LIBRARY_PATH = _load()
_declare(CDLL, _REQUIRED, required=True)
_declare(CDLL, _OPTIONAL, required=False)

LIBRARY_VERSION: str = lib.esdk_version().decode("ascii", "replace")


def _major(version: str) -> str:
    return version.split(".", 1)[0]


if _major(LIBRARY_VERSION) != _major(__version__):
    raise ImportError(
        f"aws_esdk {__version__} needs libaws-esdk-c {_major(__version__)}.x, but "
        f"{LIBRARY_PATH} is version {LIBRARY_VERSION}"
    )


def declare_optional(table: Dict[str, Tuple[Any, Sequence[Any]]]) -> bool:
    """Declare an optional feature's functions; True if all of them exist in the library.

    Missing functions are set to None on :data:`lib`, so a feature class can check with
    :func:`require` and raise :class:`~aws_esdk.errors.NotSupportedError`.
    """
    _declare(CDLL, table, required=False)
    return all(getattr(lib, name) is not None for name in table)


def require(*names: str) -> None:
    """Raise NotSupportedError unless every named function exists in the loaded library."""
    missing = [n for n in names if getattr(lib, n, None) is None]
    if missing:
        raise errors.NotSupportedError(
            f"this build of libaws-esdk-c ({LIBRARY_PATH}) lacks {', '.join(missing)}",
            code=errors.NotSupportedError.default_code,
            name="ESDK_ERR_UNSUPPORTED",
        )


# ---- errors ----------------------------------------------------------------------------

_tls = threading.local()


def set_callback_error(exc: BaseException) -> None:
    """Remember an exception raised by Python code called back from C on this thread."""
    _tls.callback_error = exc


def take_callback_error() -> Optional[BaseException]:
    """Return and forget the exception remembered on this thread, if any."""
    exc = getattr(_tls, "callback_error", None)
    _tls.callback_error = None
    return exc


def callback_failure(exc: BaseException, default_code: int, who: str) -> int:
    """For Python code called back from C: remember exc, record a detail, return a code.

    The code is the exception's own when it is an AWSEncryptionSDKError, else
    default_code. Never raises (its caller is about to return into C).
    """
    code = default_code
    try:
        set_callback_error(exc)
        if isinstance(exc, errors.AWSEncryptionSDKError) and exc.code < 0:
            code = exc.code
        if lib.esdk_set_error is not None:
            text = f"{who} raised {type(exc).__name__}: {exc}"[:400]
            lib.esdk_set_error(code, b"%s", text.encode("utf-8", "replace"))
    except BaseException:  # pylint: disable=broad-except  # e.g. a failing __str__
        pass
    return code


def clear_errors() -> None:
    """Forget this thread's error state before a call that may run Python callbacks."""
    _tls.callback_error = None


def raise_error(rc: int, detail: Optional[str] = None) -> NoReturn:
    """Raise the exception for status rc.

    The thread-local detail must be read right after the failing call, on the same
    thread: :func:`check` does that; pass ``detail`` when it was read earlier.
    """
    if detail is None:
        detail = (lib.esdk_last_error_detail() or b"").decode("utf-8", "replace")
    name = (lib.esdk_error_name(rc) or b"").decode("ascii", "replace")
    text = (lib.esdk_strerror(rc) or b"").decode("utf-8", "replace")
    cause = take_callback_error()
    cls = errors.error_class_for_code(rc)
    message = f"{name}: {text}" + (f": {detail}" if detail else "")
    if cause is not None and not detail:
        message += f" (raised in a Python callback: {cause!r})"
    exc = cls(message, code=rc, name=name, detail=detail)
    if cause is not None:
        raise exc from cause
    raise exc


def check(rc: int) -> None:
    """Turn a status into nothing (0) or the matching exception (negative codes)."""
    if rc != 0:
        raise_error(rc)


def out_ptr() -> c_void_p:
    """A fresh out-parameter for a constructor (pass ``ctypes.byref`` of it)."""
    return c_void_p()


def new_handle(ctor: Callable[..., int], *args: Any) -> int:
    """Call a ``int ctor(..., T **out)`` constructor and return the new handle's address."""
    out = c_void_p()
    check(ctor(*args, ctypes.byref(out)))
    if not out.value:
        raise errors.InternalError("the library returned success and a NULL handle")
    return out.value


def string_at(ptr: Optional[int], size: int) -> bytes:
    """Copy size bytes at address ptr into Python bytes (b"" for an empty span)."""
    if not size:
        return b""
    return ctypes.string_at(ptr, size)


def to_c_bytes(value: Any, what: str) -> bytes:
    """Accept bytes-like values for binary C inputs; refuse str (no implicit encoding)."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        raise TypeError(f"{what} must be bytes, not str (encode it explicitly)")
    raise TypeError(f"{what} must be bytes-like, not {type(value).__name__}")


def to_c_str(value: Any, what: str) -> bytes:
    """A str for a NUL-terminated UTF-8 C string; refuses embedded NUL characters."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be str, not {type(value).__name__}")
    data = value.encode("utf-8")
    if b"\0" in data:
        raise ValueError(f"{what} must not contain NUL characters")
    return data


def address_of(data: bytes) -> int:
    """The address of a bytes object's buffer (valid while the object lives)."""
    return ctypes.cast(c_char_p(data), c_void_p).value or 0

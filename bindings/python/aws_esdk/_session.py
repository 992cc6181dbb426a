"""Options and sessions: the C streaming state machine, wrapped (private).

Both the one-shot calls and the stream objects drive an ``esdk_session``. The one-shot
calls use it (rather than ``esdk_encrypt`` / ``esdk_decrypt``) because the session is
where the header (message id, suite, EDKs, frame length) can be read back.
"""

from __future__ import annotations

import ctypes
from typing import Any, Mapping, Optional, Tuple, Union

from . import _ffi, errors
from ._context import new_context, read_context
from ._ffi import lib
from ._handle import Handle
from .identifiers import Algorithm, CommitmentPolicy, ContentType
from .keyrings.base import Keyring
from .materials import read_edk_list
from .materials_managers import CryptoMaterialsManager, require_cmm, require_keyring
from .structures import MessageHeader

MODE_ENCRYPT = 0
MODE_DECRYPT = 1
MODE_DECRYPT_UNSIGNED = 2

_MAX_U32 = 2**32 - 1


class Options(Handle):
    """``esdk_options``: read by a session when it starts (the session copies it)."""

    def __init__(
        self,
        *,
        commitment_policy: CommitmentPolicy,
        max_encrypted_data_keys: Optional[int],
        algorithm: Optional[Algorithm] = None,
        frame_length: Optional[int] = None,
        max_body_length: Optional[int] = None,
        threads: Optional[int] = None,
    ) -> None:
        Handle.__init__(self, _ffi.new_handle(lib.esdk_options_new), lib.esdk_options_release)
        try:
            _ffi.check(lib.esdk_options_set_commitment_policy(self, CommitmentPolicy(commitment_policy).c_value))
            if max_encrypted_data_keys is not None:
                _ffi.check(lib.esdk_options_set_max_encrypted_data_keys(self, max_encrypted_data_keys))
            if algorithm is not None:
                _ffi.check(lib.esdk_options_set_suite(self, int(Algorithm(algorithm))))
            if frame_length is not None:
                if not isinstance(frame_length, int) or not 0 <= frame_length <= _MAX_U32:
                    raise ValueError(f"frame_length must be an int from 0 to {_MAX_U32}")
                _ffi.check(lib.esdk_options_set_frame_length(self, frame_length))
            if max_body_length is not None:
                if not isinstance(max_body_length, int) or max_body_length < 1:
                    raise ValueError("max_body_length must be a positive int")
                _ffi.check(lib.esdk_options_set_max_body_frame(self, max_body_length))
            if threads is not None:
                _ffi.require("esdk_options_set_threads")
                _ffi.check(lib.esdk_options_set_threads(self, threads))
        except BaseException:
            self.close()
            raise


def pick_provider(
    keyring: Optional[Keyring], materials_manager: Optional[CryptoMaterialsManager]
) -> Tuple[Optional[Keyring], Optional[CryptoMaterialsManager]]:
    """Exactly one of keyring and materials_manager (TypeError otherwise)."""
    if (keyring is None) == (materials_manager is None):
        raise TypeError("give exactly one of keyring= and materials_manager=")
    if keyring is not None:
        return require_keyring(keyring), None
    return None, require_cmm(materials_manager)


class Session(Handle):
    """One ``esdk_session``. Belongs to one thread at a time."""

    def __init__(
        self,
        mode: int,
        options: Options,
        keyring: Optional[Keyring],
        materials_manager: Optional[CryptoMaterialsManager],
        encryption_context: Optional[Mapping[str, str]] = None,
    ) -> None:
        if materials_manager is not None:
            ptr = _ffi.new_handle(lib.esdk_session_new, mode, options, materials_manager)
        else:
            ptr = _ffi.new_handle(lib.esdk_session_new_with_keyring, mode, options, keyring)
        Handle.__init__(self, ptr, lib.esdk_session_release)
        # The session holds C references; these keep Python keyrings alive as long.
        self._provider: Any = materials_manager if materials_manager is not None else keyring
        self._out_len = ctypes.c_size_t()
        self._in_used = ctypes.c_size_t()
        self._header: Optional[MessageHeader] = None
        try:
            if encryption_context is not None:
                ctx = new_context(encryption_context)
                try:
                    _ffi.check(lib.esdk_session_set_context(self, ctx))
                finally:
                    lib.esdk_enc_ctx_release(ctx)
        except BaseException:
            self.close()
            raise

    def set_plaintext_length(self, length: int) -> None:
        """Declare the exact plaintext length (encrypt)."""
        _ffi.check(lib.esdk_session_set_plaintext_length(self, length))

    def end_input(self) -> None:
        """Say that no more input follows."""
        _ffi.check(lib.esdk_session_end_input(self))

    def process(self, out_addr: int, out_cap: int, in_addr: int, in_len: int) -> Tuple[int, int]:
        """One ``esdk_session_process`` call: returns (bytes produced, bytes consumed)."""
        _ffi.clear_errors()
        rc = lib.esdk_session_process(
            self, out_addr, out_cap, ctypes.byref(self._out_len), in_addr, in_len, ctypes.byref(self._in_used)
        )
        if rc:
            _ffi.raise_error(rc)
        return self._out_len.value, self._in_used.value

    def is_done(self) -> bool:
        """True once the whole message was produced or verified and released."""
        return bool(lib.esdk_session_is_done(self))

    def estimate(self) -> Tuple[int, int]:
        """(output space, input bytes) that let the next process call make progress."""
        out_needed = ctypes.c_size_t()
        in_needed = ctypes.c_size_t()
        lib.esdk_session_estimate(self, ctypes.byref(out_needed), ctypes.byref(in_needed))
        return out_needed.value, in_needed.value

    def has_header(self) -> bool:
        """True once the header was written (encrypt) or parsed and authenticated (decrypt)."""
        return bool(lib.esdk_session_has_header(self))

    def unverified_bytes(self) -> int:
        """Plaintext released before the signature verified."""
        return int(lib.esdk_session_unverified_bytes(self))

    def header(self) -> MessageHeader:
        """The message header (cached). BadStateError before it is available."""
        if self._header is None:
            if not self.has_header():
                raise errors.BadStateError("the header is not available yet", code=-2, name="ESDK_ERR_BAD_STATE")
            mid = ctypes.c_void_p()
            mid_len = ctypes.c_size_t()
            _ffi.check(lib.esdk_session_message_id(self, ctypes.byref(mid), ctypes.byref(mid_len)))
            algorithm = Algorithm(lib.esdk_session_suite(self))
            frame_length = int(lib.esdk_session_frame_length(self))
            self._header = MessageHeader(
                version=algorithm.message_format_version,
                algorithm=algorithm,
                message_id=_ffi.string_at(mid.value, mid_len.value),
                encryption_context=read_context(lib.esdk_session_header_context(self)),
                encrypted_data_keys=read_edk_list(lib.esdk_session_edks(self)),
                content_type=ContentType.FRAMED_DATA if frame_length else ContentType.NO_FRAMING,
                frame_length=frame_length,
            )
        return self._header


class OutputBuffer:
    """A growable C-addressable byte buffer (a bytearray exported through ctypes)."""

    __slots__ = ("data", "_view", "address")

    def __init__(self, size: int) -> None:
        self.data = bytearray(max(size, 1))
        self._view = (ctypes.c_char * len(self.data)).from_buffer(self.data)
        self.address: int = ctypes.addressof(self._view)

    def __len__(self) -> int:
        return len(self.data)

    def grow(self, size: int, keep: int, secret: bool) -> None:
        """Reallocate to size bytes, keeping the first keep bytes (wiping the old copy)."""
        new = OutputBuffer(size)
        ctypes.memmove(new.address, self.address, keep)
        if secret:
            self.wipe()
        self.data, self._view, self.address = new.data, new._view, new.address

    def take(self, n: int) -> bytes:
        """A bytes copy of the first n bytes."""
        return ctypes.string_at(self.address, n) if n else b""

    def wipe(self, n: Optional[int] = None) -> None:
        """Overwrite the first n bytes (all by default) with zeros."""
        ctypes.memset(self.address, 0, len(self.data) if n is None else n)


def source_bytes(source: Any) -> bytes:
    """A one-shot source as bytes: bytes-like objects, or everything a file-like object reads."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, (bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, str):
        raise TypeError("source must be bytes or a binary file object, not str (encode it explicitly)")
    read = getattr(source, "read", None)
    if read is None:
        raise TypeError(f"source must be bytes-like or have a read() method, not {type(source).__name__}")
    data = read()
    if isinstance(data, str):
        raise TypeError("source.read() returned str; open the file in binary mode")
    return bytes(data)


def run_whole(session: Session, data: bytes, out_hint: int, secret: bool) -> bytes:
    """Drive a session over a whole input held in memory; return all the output.

    For decrypt, nothing is returned unless the whole message (signature included)
    verified; the working buffer is wiped either way when ``secret``.
    """
    n = len(data)
    in_addr = _ffi.address_of(data)
    out = OutputBuffer(out_hint)
    pos = used_total = stalls = 0
    try:
        session.end_input()
        while not session.is_done():
            need, _ = session.estimate()
            if len(out) - pos < need:
                out.grow(max(2 * len(out), pos + need), pos, secret)
            produced, used = session.process(out.address + pos, len(out) - pos, in_addr + used_total, n - used_total)
            pos += produced
            used_total += used
            if produced or used:
                stalls = 0
            else:
                stalls += 1
                if stalls > 2:
                    raise errors.InternalError("the session made no progress", code=-99, name="ESDK_ERR_INTERNAL")
        if used_total != n:
            raise errors.TrailingDataError(
                "bytes follow the end of the message", code=-12, name="ESDK_ERR_TRAILING_DATA"
            )
        return out.take(pos)
    finally:
        if secret:
            out.wipe()


def parse_mode(mode: Union[str, int]) -> int:
    """'e'/'encrypt', 'd'/'decrypt', 'decrypt-unsigned' -> the C mode."""
    modes = {
        "e": MODE_ENCRYPT,
        "encrypt": MODE_ENCRYPT,
        "d": MODE_DECRYPT,
        "decrypt": MODE_DECRYPT,
        "decrypt-unsigned": MODE_DECRYPT_UNSIGNED,
    }
    if isinstance(mode, str) and mode.lower() in modes:
        return modes[mode.lower()]
    raise ValueError(f"mode must be one of {', '.join(repr(m) for m in modes)}; got {mode!r}")

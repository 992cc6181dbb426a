"""Streaming encrypt and decrypt: readable stream objects over a source.

``client.stream(mode=..., source=...)`` returns a :class:`StreamEncryptor` or a
:class:`StreamDecryptor`. Both are read-only binary streams (``io.BufferedIOBase``)::

    with client.stream(mode="e", source=open("big.bin", "rb"), keyring=k) as enc, \\
            open("big.bin.encrypted", "wb") as out:
        for chunk in enc:            # chunks of output as they are produced
            out.write(chunk)

They support ``read(n=-1)``, ``read1``, ``readinto``, ``peek``, ``readline``, iteration
(yielding chunks of whatever size the library produced), ``with``, and
``shutil.copyfileobj``. ``.header`` is available as soon as the header was written or
read (it reads just enough of the source on demand).

Memory stays bounded by about one frame plus one input chunk (``chunk_size``, 64 KiB by
default), whatever the message size: the source is read in chunks and handed to the C
session, which keeps at most one frame.

**Released plaintext and signatures.** A decrypt stream releases each frame's plaintext
only after that frame's authentication tag verified. For *signed* suites (the default
suite 0x0578 is signed) the plaintext of regular frames may be released before the
footer signature was checked, exactly like the official SDKs; the C session holds the
**final frame** back until the signature verified, so a stream read to its end has
verified everything. If the signature (or anything later) fails, the read raises and the
bytes already handed out must be discarded by the caller. :attr:`StreamDecryptor.unverified_bytes`
says how many bytes were released before the signature check; when nothing may be acted
on early, use ``client.decrypt`` (releases nothing until all verified) or the
``'decrypt-unsigned'`` mode (refuses signed messages right after the header).

Reading a decrypt stream to its end also checks that the source ends with the message:
missing bytes raise :class:`~aws_esdk.errors.TruncatedMessageError`, extra bytes
:class:`~aws_esdk.errors.TrailingDataError`. Closing a stream early is allowed and raises
nothing; :attr:`done` tells whether the whole message was processed.

A stream belongs to one thread at a time.
"""

from __future__ import annotations

import io
from typing import Any, Optional

from . import _ffi, errors
from ._session import OutputBuffer, Session
from .structures import MessageHeader

__all__ = ["StreamEncryptor", "StreamDecryptor", "DEFAULT_CHUNK_SIZE"]

#: How many source bytes are handed to the library per step.
DEFAULT_CHUNK_SIZE = 64 * 1024


class _CryptoStream(io.BufferedIOBase):
    """Common machinery: read the source in chunks, push them through the session."""

    _secret_output = False  # decrypt: wipe working buffers
    _is_encrypt = False

    def __init__(self, session: Session, source: Any, *, chunk_size: int = DEFAULT_CHUNK_SIZE) -> None:
        super().__init__()
        if not isinstance(chunk_size, int) or chunk_size < 1:
            raise ValueError("chunk_size must be a positive int")
        self._session: Optional[Session] = session
        self._chunk = chunk_size
        self._pending = bytearray()  # output produced, not yet read
        self._out = OutputBuffer(chunk_size + 8192)
        self._finished = False
        self._input_ended = False
        # input: either the whole source in memory (bytes) or a reader
        self._in = b""
        self._in_off = 0
        self._reader: Any = None
        self._source_eof = False
        if isinstance(source, (bytes, bytearray, memoryview)):
            self._in = bytes(source)
            self._source_eof = True
        elif isinstance(source, str):
            raise TypeError("source must be bytes or a binary file object, not str")
        elif callable(getattr(source, "read", None)):
            self._reader = source
        else:
            raise TypeError(f"source must be bytes-like or have a read() method, not {type(source).__name__}")

    # ---- io.BufferedIOBase ------------------------------------------------------------

    def readable(self) -> bool:
        return True

    def read(self, size: Optional[int] = -1) -> bytes:
        """Up to size bytes (all the rest for -1/None); fewer only at the end."""
        self._check_open()
        if size is None or size < 0:
            while self._step():
                pass
            return self._take(len(self._pending))
        while len(self._pending) < size and self._step():
            pass
        return self._take(min(size, len(self._pending)))

    def readall(self) -> bytes:
        """All the remaining output."""
        return self.read(-1)

    def read1(self, size: int = -1) -> bytes:
        """At most one library step's worth of output (at least one byte unless at the end)."""
        self._check_open()
        while not self._pending and self._step():
            pass
        n = len(self._pending) if size is None or size < 0 else min(size, len(self._pending))
        return self._take(n)

    def readinto(self, buffer: Any) -> int:
        """Fill a writable buffer (bytearray, memoryview...); returns the byte count."""
        with memoryview(buffer) as view, view.cast("B") as target:
            data = self.read(len(target))
            target[: len(data)] = data
            return len(data)

    def readinto1(self, buffer: Any) -> int:
        """Like readinto, with at most one library step."""
        with memoryview(buffer) as view, view.cast("B") as target:
            data = self.read1(len(target))
            target[: len(data)] = data
            return len(data)

    def peek(self, size: int = 0) -> bytes:
        """Output available without consuming it (runs one step if none is pending)."""
        self._check_open()
        while not self._pending and self._step():
            pass
        return bytes(self._pending)

    def __iter__(self) -> "_CryptoStream":
        self._check_open()
        return self

    def __next__(self) -> bytes:
        """The next chunk of output, as the library produced it."""
        chunk = self.read1(-1)
        if not chunk:
            raise StopIteration
        return chunk

    def close(self) -> None:
        """Release the C session (wiping buffered plaintext). Idempotent, never raises
        for an unfinished message: check :attr:`done` if that matters."""
        if self._session is not None:
            self._session.close()
            self._session = None
            self._wipe_buffers()
        super().close()

    def detach(self) -> Any:
        raise io.UnsupportedOperation("detach")

    # ---- the stream's own API -----------------------------------------------------------

    @property
    def header(self) -> MessageHeader:
        """The message header; reads just enough of the source to get it."""
        self._check_open()
        session = self._live()
        while not session.has_header() and self._step():
            pass
        return session.header()

    @property
    def done(self) -> bool:
        """True once the whole message was produced (encrypt) or verified (decrypt)."""
        return self._finished

    # ---- machinery ----------------------------------------------------------------------

    def _check_open(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on a closed stream")

    def _live(self) -> Session:
        if self._session is None:
            raise ValueError("I/O operation on a closed stream")
        return self._session

    def _take(self, n: int) -> bytes:
        if not n:
            return b""
        with memoryview(self._pending) as view:
            data = bytes(view[:n])
        del self._pending[:n]
        return data

    def _wipe_buffers(self) -> None:
        if self._secret_output:
            self._pending[:] = bytes(len(self._pending))
            self._out.wipe()
        self._pending.clear()

    def _refill(self) -> None:
        """Read the next source chunk (or learn that the source ended)."""
        if self._reader is None or self._source_eof:
            return
        data = self._reader.read(self._chunk)
        if data is None:  # a non-blocking reader with nothing available yet
            raise BlockingIOError("the source has no data available yet; read again later")
        if isinstance(data, str):
            raise TypeError("source.read() returned str; open the source in binary mode")
        if not data:
            self._source_eof = True
            return
        rest = self._in[self._in_off :]
        self._in = rest + bytes(data) if rest else bytes(data)
        self._in_off = 0

    def _step(self) -> bool:
        """Run the session once. Returns False when there is nothing more to produce."""
        if self._finished:
            return False
        session = self._live()
        try:
            return self._step_session(session)
        except BaseException:
            # nothing produced before a failure leaves the stream
            self._wipe_buffers()
            self._finished = True
            raise

    def _step_session(self, session: Session) -> bool:
        stalls = 0
        while True:
            remaining = len(self._in) - self._in_off
            read_more = False
            if remaining == 0 and not self._source_eof:
                self._refill()
                read_more = True
                remaining = len(self._in) - self._in_off
            # end_input only once every remaining byte goes into this call: the session
            # takes "input ended" to mean that what it is given now is all there is
            if self._source_eof and not self._input_ended and remaining <= self._chunk:
                session.end_input()
                self._input_ended = True
            in_len = remaining if self._input_ended else min(remaining, self._chunk)
            need, _ = session.estimate()
            if len(self._out) < need:
                self._out.grow(need, 0, self._secret_output)
            produced, used = session.process(
                self._out.address, len(self._out), _ffi.address_of(self._in) + self._in_off, in_len
            )
            self._in_off += used
            if self._in_off == len(self._in) and self._in:
                self._in, self._in_off = b"", 0
            if produced:
                self._pending += memoryview(self._out.data)[:produced]
                if self._secret_output:
                    self._out.wipe(produced)
            if session.is_done():
                self._finish(session)
                return True
            if produced:
                return True
            if used or read_more:
                stalls = 0
                continue
            stalls += 1
            if stalls > 3:
                raise errors.InternalError(
                    "the session made no progress", code=errors.InternalError.default_code, name="ESDK_ERR_INTERNAL"
                )

    def _finish(self, session: Session) -> None:
        """The session is done: the source must end here too (no trailing bytes)."""
        leftover = len(self._in) - self._in_off
        if leftover == 0 and not self._source_eof:
            self._refill()
            leftover = len(self._in) - self._in_off
        if leftover:
            # let the library report it, with its own code and detail
            session.process(self._out.address, len(self._out), _ffi.address_of(self._in) + self._in_off, leftover)
            raise errors.TrailingDataError(
                "bytes follow the end of the message", code=-12, name="ESDK_ERR_TRAILING_DATA"
            )
        self._finished = True


class StreamEncryptor(_CryptoStream):
    """Reads plaintext from a source and yields the encrypted message.

    Created by :meth:`aws_esdk.EncryptionSDKClient.stream` with ``mode='e'``. When the
    plaintext length is known (a bytes source, or ``source_length=``) the library checks
    that the source delivers exactly that many bytes.
    """

    _is_encrypt = True


class StreamDecryptor(_CryptoStream):
    """Reads a message from a source and yields its plaintext as frames verify.

    Created by :meth:`aws_esdk.EncryptionSDKClient.stream` with ``mode='d'`` or
    ``'decrypt-unsigned'``. See the module documentation about signed messages: regular
    frames may be released before the signature verified; the final frame never is.
    """

    _secret_output = True

    @property
    def unverified_bytes(self) -> int:
        """Plaintext bytes released before the message signature verified (0 for
        unsigned suites). The count stays after the signature verified: it says how much
        was handed out early."""
        session = self._live()
        return session.unverified_bytes()

    @property
    def verified(self) -> bool:
        """True once the whole message, signature included, verified."""
        return self.done


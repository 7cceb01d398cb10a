"""Lines typed on standard input, read so that a Ctrl-C is never lost (the plain front end and
the plain questions at the end).

CPython runs a signal's Python handler between bytecodes. A Ctrl-C that lands after the last
such check and before `read(2)` has started is noted (the handler's flag is set) but not acted
on, and the read then blocks until the user types a line: the Ctrl-C seems lost. On a loaded
machine this was seen about once in 400 interrupts: the process idle in `read`, the flag set.
So standard input is waited on with `select` in short slices; between slices Python runs any
handler still pending, and a Ctrl-C ends the wait within a slice.

The bytes are read with `os.read` and split into lines here, as `sys.stdin.readline()` would
(its encoding and errors; `\\r\\n` and `\\r` end a line as `\\n` does), never through
`sys.stdin`'s own buffer: nothing typed waits unseen in a buffer while we wait on the
descriptor. Any other stream (a test's `io.StringIO`) is read with its own `readline`.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

SLICE = 0.1  # seconds: the longest a pending Ctrl-C waits to be acted on
CHUNK = 65536

_readers: dict[int, _Lines] = {}


def read_line(stream: TextIO | None = None) -> str:
    """One line with its end as "\\n" (without it at the end of the input; "" at the end), as
    `stream.readline()` gives it. Raises KeyboardInterrupt at once on Ctrl-C."""
    stream = sys.stdin if stream is None else stream
    if stream is None:
        return ""
    if stream is not sys.stdin:
        return stream.readline()
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):  # not a descriptor: the stream's own way
        return stream.readline()
    reader = _readers.get(fd)
    if reader is None:
        encoding = getattr(stream, "encoding", None) or "utf-8"
        errors = getattr(stream, "errors", None) or "strict"
        reader = _readers[fd] = _Lines(fd, encoding, errors)
    return reader.readline()


class _Lines:
    """The lines of one descriptor, with the bytes read but not yet asked for."""

    def __init__(self, fd: int, encoding: str, errors: str) -> None:
        self.fd = fd
        self.encoding = encoding
        self.errors = errors
        self.pending = bytearray()

    def readline(self) -> str:
        while True:
            line = self._take()
            if line is not None:
                return line
            _wait(self.fd)
            chunk = os.read(self.fd, CHUNK)
            if not chunk:  # the end (Ctrl-D on a terminal, which may be typed again)
                rest = bytes(self.pending)
                self.pending.clear()
                return self._text(rest)
            self.pending += chunk

    def _take(self) -> str | None:
        """The first whole line pending, or None. A "\\r" last waits for what follows it."""
        buf = self.pending
        newline = buf.find(b"\n")
        ret = buf.find(b"\r", 0, len(buf) if newline < 0 else newline)
        if ret >= 0:
            if ret + 1 == len(buf):
                return None
            end = ret + 2 if buf[ret + 1] == 0x0A else ret + 1
        elif newline >= 0:
            end = newline + 1
        else:
            return None
        raw = bytes(buf[:end])
        del buf[:end]
        return self._text(raw)

    def _text(self, raw: bytes) -> str:
        text = raw.decode(self.encoding, self.errors)
        return text.replace("\r\n", "\n").replace("\r", "\n")


def _wait(fd: int) -> None:
    """Until `fd` has something to read, in slices: after each, a pending handler runs."""
    import select

    while True:
        try:
            ready, _, _ = select.select([fd], [], [], SLICE)
        except (OSError, ValueError):  # a descriptor select cannot wait on: just read it
            return
        if ready:
            return

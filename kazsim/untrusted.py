"""Input from other people: the one home for reading their files and showing their text.

Scenario files, variants, saves and cache entries may come from anyone, and may
be crafted: a FIFO that never ends, /dev/zero, a symlink to a 1 GB file, text
full of terminal escape sequences. Everything kazsim reads from such a file
goes through `read_regular`, and everything from such a file that meets a
terminal goes through `printable` (or `printable_line` for ids and names that
must stay on one line).

`read_regular` opens without blocking (a FIFO or a device never hangs the
open), refuses anything that is not a regular file, optionally refuses to
follow a symlink, and never reads more than its limit plus one byte. It does
no parsing and knows nothing of kazsim's formats; callers turn its errors into
their own messages.
"""

from __future__ import annotations

import io
import os
import stat
from typing import Final, TextIO

__all__ = [
    "EscapedText",
    "FileRefusedError",
    "FileTooLargeError",
    "NotARegularFileError",
    "printable",
    "printable_line",
    "read_regular",
]


class FileRefusedError(ValueError):
    """A file kazsim will not read; `reason` says why in plain words."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class NotARegularFileError(FileRefusedError):
    """A FIFO, a device, a socket, a folder (or, without following, a symlink)."""


class FileTooLargeError(FileRefusedError):
    """A regular file over the caller's limit."""

    def __init__(self, path: str, size: int, limit: int) -> None:
        super().__init__(path, f"the file is {_size(size)}, over the limit of {_size(limit)}")
        self.size = size
        self.limit = limit


_KINDS: Final = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symbolic link"),
)


def kind_of(mode: int) -> str:
    """A file's kind in plain words ("a regular file", "a named pipe (FIFO)", ...)."""
    for test, words in _KINDS:
        if test(mode):
            return words
    return "a regular file" if stat.S_ISREG(mode) else "a special file"


def read_regular(
    path: str | os.PathLike[str], limit: int, *, follow_symlinks: bool = True
) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Raises `NotARegularFileError`, `FileTooLargeError`, or `OSError` (no such
    file, permission denied, ...) as `open` would. A file that grows while it
    is read is still cut at `limit + 1` bytes and refused.
    """
    where = os.fspath(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if not follow_symlinks and os.path.islink(path):
            raise NotARegularFileError(str(where), "it is a symbolic link") from None
        if isinstance(exc, IsADirectoryError):
            raise NotARegularFileError(str(where), "it is a folder, not a file") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFileError(str(where), f"it is {kind_of(info.st_mode)}, not a file")
        if info.st_size > limit:
            raise FileTooLargeError(str(where), info.st_size, limit)
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got > limit:
            raise FileTooLargeError(str(where), got, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _size(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MB"
    if n >= 1 << 10:
        return f"{n / (1 << 10):.0f} KB"
    return f"{n} bytes"


# --- text that meets a terminal ---------------------------------------------------------------

# Characters a terminal acts on rather than shows: C0 controls, DEL, C1 controls,
# and the bidirectional overrides and isolates that reorder what is shown.
_BIDI: Final = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))
_NAMED: Final = {
    0x0A: "\\n", 0x09: "\\t", 0x1B: "\\e",
    0x0D: "\\r", 0x08: "\\b", 0x07: "\\a", 0x00: "\\0",
}


def _escape_char(code: int) -> str:
    if code in _NAMED:
        return _NAMED[code]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def _unsafe(code: int, keep_newlines: bool) -> bool:
    if code in (0x0A, 0x09):
        return not keep_newlines
    return code < 0x20 or 0x7F <= code <= 0x9F or code in _BIDI


def printable(text: str, *, keep_newlines: bool = True) -> str:
    """`text` with every character a terminal would act on shown as an escape.

    ESC becomes ``\\e``, other controls ``\\xNN`` or ``\\uNNNN``; newlines and
    tabs stay unless `keep_newlines` is false. Plain text comes back unchanged
    (and fast: the common case is one scan).
    """
    if text.isprintable():
        return text
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        out.append(_escape_char(code) if _unsafe(code, keep_newlines) else ch)
    return "".join(out)


def printable_line(text: str) -> str:
    """`printable` for ids, names and paths: newlines and tabs are escaped too."""
    return printable(text, keep_newlines=False)


class EscapedText(io.TextIOBase):
    """A text stream that passes everything written through `printable`.

    The command line writes through one of these (in place of sys.stdout and
    sys.stderr), so no message can carry a file's escape sequences to the
    terminal even where a caller forgot. `raw` is the stream underneath, for
    the few writes that are kazsim's own terminal control (the progress bar).
    """

    def __init__(self, raw: TextIO) -> None:
        super().__init__()
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(printable(text))
        return len(text)

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return self.raw.isatty()

    def fileno(self) -> int:
        return self.raw.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.raw.encoding


def raw_stream(stream: TextIO) -> TextIO:
    """The stream under an `EscapedText`, or `stream` itself."""
    return stream.raw if isinstance(stream, EscapedText) else stream

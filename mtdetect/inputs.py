"""Reading one article from a file or stdin, with one-line errors for bad input.

The limits here bound the work of one article for `score`, `compare` and each record
of `scan` alike (README, "Limits and guarantees").
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path
from typing import Callable

MAX_BYTES = 5_000_000  # far beyond any news article; larger files are dumps or binaries
MAX_LINE_CHARS = 1_000_000
# A news article has tens of paragraphs; each paragraph costs a feature row and a report
# entry (kilobytes), so a "document" of millions of one-word lines would need gigabytes.
MAX_PARAGRAPHS = 20_000


class InputError(Exception):
    """Input that cannot be scored; the message names the file and says what to do."""


def printable(name: str) -> str:
    """A file name as text that can be printed and written as UTF-8 (undecodable bytes as escapes)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def document_id(name: str) -> str:
    """The id a report gives the article read from `name`."""
    return "<stdin>" if name == "-" else printable(name)


def read_article(name: str, max_bytes: int = MAX_BYTES) -> str:
    """The text of file `name` (or stdin for "-"), checked to be a plausible article."""
    if name == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        name = "<stdin>"
    else:
        shown = printable(name)  # messages must print whatever bytes the name holds
        path = Path(name)
        if not os.path.lexists(path):
            raise InputError(f"{shown}: no such file; check the path")
        if path.is_symlink() and not path.exists():
            raise InputError(f"{shown}: a symbolic link to nothing (dangling, or a loop); give the file it should point to")
        if path.is_dir():
            raise InputError(f"{shown}: is a folder; give the article files in it, or use `mtdetect scan {shown}`")
        problem, data = read_regular_file(name, max_bytes)
        if problem is not None:
            raise InputError(f"{shown}: {problem}")
        name = shown
    return decode_article(data, name, max_bytes)


def read_regular_file(name: str, max_bytes: int, oversize: Callable[[int], str] | None = None) -> tuple[str | None, bytes]:
    """(None, the bytes) of a regular file, or (why not, b"") for anything else.

    Opened without blocking and checked before reading: a FIFO, a socket or a device
    would otherwise hang the reader or stream without end. One byte more than the limit
    is read, so an over-size file is told apart without reading all of it; `oversize`
    gives the reason for a file of that many bytes.
    """
    oversize = oversize or (lambda size: too_big(size, max_bytes))
    try:
        handle = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        return _open_problem(error), b""
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            return f"{special_file_kind(info.st_mode)}, not a regular file; skipped", b""
        if info.st_size > max_bytes:
            return oversize(info.st_size), b""
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(max_bytes + 1)
    except OSError as error:
        return f"cannot read ({error.strerror or error}); check the file", b""
    finally:
        os.close(handle)
    if len(data) > max_bytes:  # grew since fstat
        return oversize(len(data)), b""
    return None, data


def _open_problem(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "a symbolic link loop; fix or remove the link"
    if error.errno == errno.ENOENT:
        return "a symbolic link to nothing (dangling); give the file it should point to"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "cannot read (permission denied); check its permissions"
    if error.errno == errno.ENXIO:
        return "a socket, not a regular file; skipped"
    return f"cannot open ({error.strerror or error}); check the file"


def special_file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a special file"


def too_big(size: int, max_bytes: int) -> str:
    return (
        f"larger than {max_bytes / 1e6:g} MB ({size / 1e6:,.1f} MB), too big for one article; "
        "split it into articles (for dumps use `mtdetect scan`)"
    )


def decode_article(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> str:
    if len(data) > max_bytes:
        raise InputError(f"{name}: {too_big(len(data), max_bytes)}")
    if b"\x00" in data:
        raise InputError(f"{name}: binary data (NUL bytes), not text; give a UTF-8 text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(f"{name}:{line}: not valid UTF-8 (byte {error.start}); re-encode the file as UTF-8") from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError(f"{name}: empty file; nothing to score")
    problem = shape_problem(text)
    if problem is not None:
        raise InputError(f"{name}: {problem}")
    return text


def shape_problem(text: str) -> str | None:
    """Why `text` is not shaped like an article (a line or a paragraph count no article has), or None."""
    longest = max(map(len, text.split("\n")))
    if longest > MAX_LINE_CHARS:
        return (
            f"a line of {longest:,} characters is not an article paragraph; "
            "split the text into paragraphs (blank-line separated)"
        )
    if text.count("\n") >= MAX_PARAGRAPHS:  # cheap test first: paragraphs need line breaks
        from .text import count_paragraphs

        paragraphs = count_paragraphs(text)
        if paragraphs > MAX_PARAGRAPHS:
            return (
                f"{paragraphs:,} paragraphs, more than the {MAX_PARAGRAPHS:,} of any article; "
                "split it into articles"
            )
    return None

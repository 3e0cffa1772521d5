"""Reading one article from a file or stdin, with one-line errors for bad input."""

from __future__ import annotations

import sys
from pathlib import Path

MAX_BYTES = 5_000_000  # far beyond any news article; larger files are dumps or binaries
MAX_LINE_CHARS = 1_000_000


class InputError(Exception):
    """Input that cannot be scored; the message names the file and says what to do."""


def read_article(name: str, max_bytes: int = MAX_BYTES) -> str:
    """The text of file `name` (or stdin for "-"), checked to be a plausible article."""
    if name == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        name = "<stdin>"
    else:
        path = Path(name)
        if not path.exists():
            raise InputError(f"{name}: no such file; check the path")
        if path.is_dir():
            raise InputError(f"{name}: is a folder; give the article files in it, or use `mtdetect scan {name}`")
        try:
            size = path.stat().st_size
            with open(path, "rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as error:
            raise InputError(f"{name}: cannot read ({error.strerror}); check its permissions") from None
        if size > max_bytes:
            data = data + b"x"  # make the size check below fire
    return decode_article(data, name, max_bytes)


def decode_article(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> str:
    if len(data) > max_bytes:
        raise InputError(
            f"{name}: larger than {max_bytes // 1_000_000} MB, too big for one article; "
            "split it into articles (for dumps use `mtdetect scan`)"
        )
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
    longest = max(len(line) for line in text.split("\n"))
    if longest > MAX_LINE_CHARS:
        raise InputError(
            f"{name}: a line of {longest:,} characters is not an article paragraph; "
            "split the text into paragraphs (blank-line separated)"
        )
    return text

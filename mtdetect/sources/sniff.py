"""What a file is, from its first bytes: compressed, WARC, HTML, JSON(L) or text.

Names lie (a `.txt` that holds a JSONL dump, a `.json` that holds an array) and users
pipe whatever they have, so the content decides; the name only breaks ties.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
HEAD_BYTES = 1 << 16  # enough to see the first record of a dump and the <head> of a page

_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE | re.DOTALL)
_HTML_INSIDE = re.compile(rb"<(?:html|head|body|article|p|div)[\s>]", re.IGNORECASE)


def compression(head: bytes) -> str | None:
    """'gzip' or 'zstd' from the magic bytes, else None."""
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(ZSTD_MAGIC):
        return "zstd"
    return None


def decompressed_head(head: bytes, limit: int = HEAD_BYTES) -> bytes:
    """The first bytes inside a compressed head (what is there of them); the head itself if not compressed."""
    kind = compression(head)
    if kind == "gzip":
        try:
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, limit)
        except zlib.error:
            return b""
    if kind == "zstd":
        try:
            import zstandard
        except ImportError:
            return b""
        try:
            return zstandard.ZstdDecompressor().stream_reader(io.BytesIO(head)).read(limit)
        except zstandard.ZstdError:
            return b""
    return head


def kind_of(head: bytes) -> str:
    """One of 'warc', 'html', 'json-array', 'json-object', 'jsonl', 'binary' or 'text' for uncompressed bytes."""
    body = head.removeprefix(b"\xef\xbb\xbf")
    if body.startswith((b"WARC/1.", b"WARC/0.")):
        return "warc"
    if b"\x00" in body[:4096]:
        return "binary"
    stripped = body.lstrip()
    if stripped.startswith(b"["):
        return "json-array"
    if stripped.startswith(b"{"):
        return _object_or_lines(stripped)
    if _HTML_START.match(body) or (stripped.startswith(b"<") and _HTML_INSIDE.search(body[:4096])):
        return "html"
    return "text"


def _object_or_lines(stripped: bytes) -> str:
    """A first line that is a whole JSON object means JSON Lines; else one (pretty-printed) object."""
    first, _, rest = stripped.partition(b"\n")
    try:
        json.loads(first)
    except ValueError:
        return "json-object"
    return "jsonl" if rest.strip() else "json-object"


def count_lines(data: bytes) -> int:
    """Records in JSONL bytes: the lines that hold something."""
    return sum(1 for line in data.splitlines() if line.strip())


def gunzip_prefix(data: bytes, limit: int) -> bytes:
    """Up to `limit` bytes of gzip data, for counting records in a small compressed dump."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            return stream.read(limit)
    except (OSError, EOFError, zlib.error):
        return b""

"""One article for `score`: plain text, an HTML page, or a single JSON record, told apart
by content; dumps (JSONL, JSON arrays, WARC, compressed files) are refused with the
`mtdetect scan` command to run instead.
"""

from __future__ import annotations

import sys
from typing import NamedTuple

from ..inputs import MAX_BYTES, InputError, decode_article, printable, read_article
from . import MissingExtra
from .sniff import HEAD_BYTES, compression, count_lines, decompressed_head, gunzip_prefix, kind_of


class Article(NamedTuple):
    text: str
    source: dict  # what the text was read from: {"format": "html", "url": ..., "date": ..., ...}; {} for plain text
    note: str | None  # one line for stderr saying what was done, or None


def read_any(name: str, max_bytes: int = MAX_BYTES) -> Article:
    """The article in file `name` (or stdin for "-"), whatever form it comes in."""
    shown = "<stdin>" if name == "-" else printable(name)
    data = _read_bytes(name, shown, max_bytes)
    kind = kind_of(decompressed_head(data[:HEAD_BYTES]))
    _refuse_dumps(data, kind, shown, "-" if name == "-" else shown, max_bytes)
    text = decode_article(data, shown, max_bytes)
    if kind == "html":
        return _html_article(text, shown)
    if kind == "json-object":
        return _json_article(text, shown)
    return Article(text, {}, None)


def _refuse_dumps(data: bytes, kind: str, shown: str, argument: str, max_bytes: int) -> None:
    """Raise with the `mtdetect scan` command to run when `data` is a dump rather than one article."""
    packed = compression(data)
    scan = f"use `mtdetect scan {argument} --output out.jsonl`"
    if kind == "warc":
        raise InputError(f"{shown}: a WARC archive ({packed or 'uncompressed'}) of crawled pages, not one article; {scan}")
    if packed:
        inner = gunzip_prefix(data, max_bytes) if packed == "gzip" else b""
        what = f"a JSONL dump of {count_lines(inner):,} records, {packed}-compressed" if kind == "jsonl" and inner else f"{packed}-compressed data"
        raise InputError(f"{shown}: {what}; score reads one plain article: {scan}")
    if kind == "jsonl":
        raise InputError(f"{shown}: looks like a JSONL dump of {count_lines(data):,} records; {scan}")
    if kind == "json-array":
        raise InputError(f"{shown}: a JSON array (a dump of records), not one article; {scan}")


def _read_bytes(name: str, shown: str, max_bytes: int) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read(max_bytes + 1)
    try:
        read_article(name, max_bytes)  # the checks and one-line errors of plain articles (missing, folder, FIFO, size...)
    except InputError as error:
        if "too big" not in str(error) and "binary data" not in str(error) and "not valid UTF-8" not in str(error):
            raise
        # A dump is the usual reason for a big or binary "article": say so, with the command to run.
        try:
            with open(name, "rb") as handle:
                head = handle.read(HEAD_BYTES)
        except OSError:
            raise error from None
        try:
            _refuse_dumps(head, kind_of(decompressed_head(head)), shown, shown, HEAD_BYTES)
        except InputError as dump:
            raise dump from None
        raise
    with open(name, "rb") as handle:
        return handle.read(max_bytes + 1)


def _html_article(markup: str, shown: str) -> Article:
    from .html import extract_page, extractor_version

    try:
        extractor = extractor_version()
    except MissingExtra as error:
        raise InputError(f"{shown}: an HTML page; {error}") from None
    page = extract_page(markup)
    if not page.text.strip():
        raise InputError(f"{shown}: an HTML page with no article text ({extractor} found none); save the article's page, or its text")
    source = {"format": "html", "url": page.url, "date": page.date, "title": page.title, "extracted_by": extractor,
              "translation_markers": page.markers}
    if page.translated_from:
        source["translated_from"] = page.translated_from
    note = f"{shown}: an HTML page; scored its main text ({len(page.text):,} characters, extracted by {extractor}); offsets index that text"
    if page.markers:
        kinds = sorted({m["marker"] for m in page.markers})
        note += f"; the HTML carries {len(page.markers)} machine-translation marker(s): {', '.join(kinds)} (see source.translation_markers)"
    return Article(page.text, source, note)


def _json_article(content: str, shown: str) -> Article:
    from ..scan.readers import BadRecord, Fields, _decode_json

    record = _decode_json(content, Fields(), None)
    if isinstance(record, BadRecord):
        raise InputError(f"{shown}: a JSON record: {record.reason}")
    field = "the HTML in it" if "extracted_by" in record.meta else "its text field"
    source = {"format": "json", **{k: v for k, v in record.meta.items() if isinstance(v, (str, int, float, bool, list)) or v is None}}
    return Article(record.text, source, f"{shown}: a JSON record; scored {field}")

"""WARC archives (Common Crawl, CC-NEWS, any crawler's output): the HTML pages of their
response records, with the URL, record id and capture date each row keeps.

FastWARC is used when it is installed (several times faster than warcio on
CC-NEWS-sized files), else warcio; both read plain and gzip-compressed WARC.
"""

from __future__ import annotations

from typing import BinaryIO, Iterator, NamedTuple

from . import MissingExtra

HTML_TYPES = ("text/html", "application/xhtml+xml")


class WarcPage(NamedTuple):
    record_id: str
    url: str | None
    date: str | None  # WARC-Date: when the page was captured
    html: str
    offset: int  # of the record in the (compressed) file, to find it again


class Skipped(NamedTuple):
    """A response record that is not an HTML page (an image, robots.txt, a PDF)."""

    record_id: str
    url: str | None
    content_type: str
    offset: int


def reader_name() -> str:
    try:
        import fastwarc  # noqa: F401

        return "fastwarc"
    except ImportError:
        pass
    try:
        import warcio  # noqa: F401

        return "warcio"
    except ImportError as error:
        raise MissingExtra("warc", "reading WARC files") from error


def pages(stream: BinaryIO) -> Iterator[WarcPage | Skipped]:
    """The response records of a WARC stream, in order: HTML pages decoded, the rest as Skipped."""
    if reader_name() == "fastwarc":
        yield from _fastwarc_pages(stream)
    else:
        yield from _warcio_pages(stream)


def _decode(payload: bytes, charset: str | None) -> str:
    for candidate in (charset, "utf-8"):
        if candidate:
            try:
                return payload.decode(candidate)
            except (LookupError, UnicodeDecodeError):
                continue
    return payload.decode("cp1252", errors="replace")  # old sites: the usual unlabelled charset


def _is_html(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() in HTML_TYPES


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def _fastwarc_pages(stream: BinaryIO) -> Iterator[WarcPage | Skipped]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    for record in ArchiveIterator(stream, record_types=WarcRecordType.response, parse_http=True):
        url = record.headers.get("WARC-Target-URI")
        content_type = (record.http_headers.get("Content-Type") if record.http_headers else None) or ""
        if not _is_html(content_type):
            yield Skipped(record.record_id, url, content_type or "no content type", record.stream_pos)
            continue
        html = _decode(record.reader.read(), _charset(content_type))
        yield WarcPage(record.record_id, url, record.headers.get("WARC-Date"), html, record.stream_pos)


def _warcio_pages(stream: BinaryIO) -> Iterator[WarcPage | Skipped]:
    from warcio.archiveiterator import ArchiveIterator

    records = ArchiveIterator(stream)
    for record in records:
        if record.rec_type != "response":
            continue
        headers = record.rec_headers
        url = headers.get_header("WARC-Target-URI")
        content_type = (record.http_headers.get_header("Content-Type") if record.http_headers else None) or ""
        # warcio knows a record's offset only once its content has been read
        payload = record.content_stream().read() if _is_html(content_type) else b""
        offset = records.get_record_offset()
        if not _is_html(content_type):
            yield Skipped(headers.get_header("WARC-Record-ID"), url, content_type or "no content type", offset)
            continue
        html = _decode(payload, _charset(content_type))
        yield WarcPage(headers.get_header("WARC-Record-ID"), url, headers.get_header("WARC-Date"), html, offset)

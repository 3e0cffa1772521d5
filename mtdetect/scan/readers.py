"""Dump readers: which files make up a scan, how they are cut into chunks, and what a record is.

A *shard* is one unit of input: a JSONL file (plain or .gz), stdin, or the loose
documents (.txt / .json, one article each) of one folder. Shards are cut into *chunks*
of at most a fixed number of records and bytes; the cut depends only on the input, so an
interrupted scan that is run again cuts the same chunks and can skip those already done.

The main process only splits lines (cheap); decoding and checking records happens in the
workers (`decode_line`, `decode_file`), so one process never parses the whole dump.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import io
import json
import math
import os
import re
import stat
import sys
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple

from ..inputs import MAX_BYTES, printable, read_regular_file, shape_problem, special_file_kind
from ..sources.html import HTML_FIELDS

TEXT_FIELDS = ("text", "maintext")  # maintext: news-please
ID_FIELDS = ("id", "url", "source")  # source: trafilatura's URL field (used only when it holds a URL)
# Copies of the input that would make every output row as large as the input; kept only with --keep-fields.
BULKY_FIELDS = ("raw_text", "html", "raw_html", "content_html")
WARC_SUFFIXES = (".warc", ".warc.gz")
LINE_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".json.gz", ".jsonl.zst", ".ndjson.zst") + WARC_SUFFIXES
DOCUMENT_SUFFIXES = (".txt", ".json", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
UTF8_BOM = b"\xef\xbb\xbf"
STDIN = "-"
MAX_NESTING = 64  # input records are flat; deeper nesting is an attack on the JSON parser and encoder
FINGERPRINT_BYTES = 1 << 20  # read from each end of a file for its fingerprint


class ScanInputError(Exception):
    """An input that cannot be scanned at all; the message says what to do."""


@dataclass(frozen=True)
class Fields:
    """Where a record keeps its text and its id: the first field present wins."""

    text: tuple[str, ...] = TEXT_FIELDS
    id: tuple[str, ...] = ID_FIELDS
    keep: tuple[str, ...] = ()  # bulky fields (BULKY_FIELDS) to copy into the rows all the same

    @classmethod
    def choose(cls, text_field: str | None = None, id_field: str | None = None, keep_fields: Iterable[str] = ()) -> "Fields":
        return cls(
            text=(text_field,) if text_field else TEXT_FIELDS,
            id=(id_field,) if id_field else ID_FIELDS,
            keep=tuple(keep_fields),
        )


class Record(NamedTuple):
    id: str | int
    text: str
    meta: dict  # the other fields of the input record, passed through to the output row
    size: int  # UTF-8 bytes of the text


class BadRecord(NamedTuple):
    id: str | int | None
    reason: str


@dataclass(frozen=True)
class Shard:
    kind: str  # "lines": a JSONL file or stdin; "files": one document per file; "warc"; "array": a JSON array of records
    source: str  # the path as the user gave it ("-" for stdin), for messages and error rows
    name: str  # output name inside an output folder, without suffix
    path: str | None = None  # the JSONL file (stdin is spooled to a file first)
    files: tuple[str, ...] = ()
    size: int = 0
    fingerprint: str = ""  # of the content (see fingerprint_of): what a resumed scan must find again

    def identity(self) -> list:
        """What must not change between an interrupted scan and its rerun."""
        return [self.kind, self.source, self.size, len(self.files), self.fingerprint]


class SkippedInput(NamedTuple):
    source: str
    reason: str


@dataclass
class Chunk:
    """Up to a fixed number of raw records of one shard: what a worker receives."""

    shard: int
    index: int
    kind: str
    source: str
    first_line: int  # line number of items[0] ("lines" shards)
    items: list[bytes]
    paths: list[str] | None = None  # "files" shards: the file of each item
    unreadable: dict[int, str] = field(default_factory=dict)  # item index -> why it could not be read
    tail_error: str | None = None  # the shard could not be read past this chunk
    progress: int = 0  # input bytes this chunk accounts for (compressed bytes for .gz)
    passed_over: int = 0  # WARC response records before this chunk's end that are not HTML pages (images, PDFs)

    @property
    def digest(self) -> str:
        """A hash of the chunk's raw records: a resumed scan checks that a done chunk still reads the same."""
        hasher = hashlib.sha256()
        for position, item in enumerate(self.items):
            hasher.update(len(item).to_bytes(8, "little"))
            hasher.update(item)
            if self.paths:
                hasher.update(printable(self.paths[position]).encode("utf-8"))
            hasher.update(self.unreadable.get(position, "").encode("utf-8", "backslashreplace"))
        return hasher.hexdigest()[:32]


# --- finding the shards -------------------------------------------------------------


def discover(inputs: list[str], exclude: set[Path] = frozenset(), stdin_spool: str | None = None) -> tuple[list[Shard], int, list[SkippedInput]]:
    """The shards of the given files, folders and "-", how many files were ignored, and what was skipped.

    `exclude` holds paths to leave out (the scan's own outputs, when they sit inside an
    input folder). `stdin_spool` is the file stdin was copied to. Inside folders,
    anything that cannot be scanned (a special file, a dangling link, a link loop, an
    unreadable folder, a name that is not UTF-8) is skipped with its reason; an input
    named on the command line that cannot be scanned stops the scan.
    """
    if inputs.count(STDIN) > 1:
        raise ScanInputError("'-' (stdin) is given more than once")
    shards: list[Shard] = []
    skipped: list[SkippedInput] = []
    ignored = 0
    bases = [_base_of(name) for name in inputs if name != STDIN]
    common = os.path.commonpath(bases) if bases else "."
    for name in inputs:
        if name == STDIN:
            shards.append(_stdin_shard(stdin_spool))
            continue
        problem = _path_problem(name)
        if problem is not None:
            raise ScanInputError(f"{printable(name)}: {problem}")
        path = Path(name)
        if path.is_dir():
            inside, skipped_files, inside_skipped = _folder_shards(path, common, exclude)
            if not inside:
                more = f" ({len(inside_skipped)} skipped: {inside_skipped[0].source}: {inside_skipped[0].reason})" if inside_skipped else ""
                raise ScanInputError(
                    f"{name}: no .jsonl, .jsonl.gz, .json, .warc, .txt or .html files in this folder; nothing to scan{more}"
                )
            shards.extend(inside)
            ignored += skipped_files
            skipped.extend(inside_skipped)
        else:
            shards.append(_file_shard(path, common))
    _check_unique_names(shards)
    return shards, ignored, skipped


def _path_problem(name: str) -> str | None:
    """Why an input path cannot be scanned, or None for a regular file or a folder."""
    if printable(name) != name:
        return "the file name is not valid UTF-8; rename it"
    try:
        info = os.stat(name)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "a symbolic link loop; fix or remove the link"
        if os.path.lexists(name):
            if error.errno == errno.ENOENT:
                return "a symbolic link to nothing (dangling); give the file it should point to"
            return f"cannot read ({error.strerror}); check its permissions"
        return "no such file or folder; check the path"
    if stat.S_ISDIR(info.st_mode):
        return None if os.access(name, os.R_OK | os.X_OK) else "cannot read this folder (permission denied); check its permissions"
    if not stat.S_ISREG(info.st_mode):
        kind = special_file_kind(info.st_mode)
        return f"{kind}, not a regular file; for a stream, pipe it in and scan - instead"
    return None


def _stdin_shard(spool: str | None) -> Shard:
    if spool is None:
        return Shard("lines", STDIN, "stdin")
    return Shard("lines", STDIN, "stdin", path=spool, size=os.path.getsize(spool), fingerprint=fingerprint_of([spool]))


def fingerprint_of(paths: Iterable[str]) -> str:
    """A hash of the files' names, sizes and first and last megabyte.

    Size and modification time alone let a renamed file or an edit that kept the size
    (and the mtime) pass for the old input; a resumed scan also compares every chunk it
    re-reads with the hash kept when the chunk was done (Chunk.digest).
    """
    hasher = hashlib.sha256()
    for path in paths:
        hasher.update(printable(os.path.basename(path)).encode("utf-8") + b"\0")
        try:
            with open(path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                hasher.update(str(size).encode() + b"\0" + handle.read(FINGERPRINT_BYTES))
                if size > 2 * FINGERPRINT_BYTES:
                    handle.seek(size - FINGERPRINT_BYTES)
                    hasher.update(handle.read(FINGERPRINT_BYTES))
                elif size > FINGERPRINT_BYTES:
                    hasher.update(handle.read())
        except OSError:
            hasher.update(b"unreadable")  # reported when the scan reads it
    return hasher.hexdigest()[:32]


def _base_of(name: str) -> str:
    # abspath, not Path.absolute(): ".." must be folded away, or the common base of
    # "../a.jsonl" and "b.jsonl" is the working folder and a shard is named "../a".
    path = os.path.abspath(name)
    return path if os.path.isdir(path) else os.path.dirname(path)


def _relative(path: Path, common: str) -> str:
    relative = os.path.relpath(os.path.abspath(path), common)
    if relative == ".." or relative.startswith(".." + os.sep) or os.path.isabs(relative):
        raise ScanInputError(f"{path}: cannot name its output inside the output folder; scan it separately")
    return relative


def _strip_suffixes(name: str) -> str:
    for suffix in sorted(LINE_SUFFIXES + DOCUMENT_SUFFIXES + (".gz",), key=len, reverse=True):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _file_shard(path: Path, common: str) -> Shard:
    try:
        size = path.stat().st_size
        fingerprint = fingerprint_of([str(path)])
    except OSError as error:
        raise ScanInputError(f"{printable(str(path))}: cannot read ({error.strerror or error}); check its permissions") from None
    name = _strip_suffixes(_relative(path, common))
    kind = content_kind(str(path))
    if kind == "warc":
        _require_extras(path, warc=True)
        return Shard("warc", str(path), name, path=str(path), size=size, fingerprint=fingerprint)
    if kind == "json-array":
        return Shard("array", str(path), name, path=str(path), size=size, fingerprint=fingerprint)
    if kind == "jsonl" and not path.name.endswith(".txt"):
        return Shard("lines", str(path), name, path=str(path), size=size, fingerprint=fingerprint)
    if kind == "html" or path.name.endswith(HTML_SUFFIXES):
        _require_extras(path)
    if path.name.endswith(DOCUMENT_SUFFIXES) or kind == "html":
        return Shard("files", str(path), name, files=(str(path),), size=size, fingerprint=fingerprint)
    return Shard("lines", str(path), name, path=str(path), size=size, fingerprint=fingerprint)


def content_kind(path: str) -> str:
    """What the file holds, from its first bytes (see sources.sniff.kind_of); 'unreadable' if they cannot be read."""
    from ..sources.sniff import HEAD_BYTES, decompressed_head, kind_of

    try:
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return "unreadable"  # reported when the file is read
    return kind_of(decompressed_head(head))


def _require_extras(path: Path, warc: bool = False) -> None:
    """Stop before scanning when an HTML or WARC input cannot be read: one line, not an error per record."""
    from ..sources import MissingExtra
    from ..sources.html import extractor_version

    try:
        if warc:
            from ..sources.warc import reader_name

            reader_name()
        extractor_version()
    except MissingExtra as error:
        raise ScanInputError(f"{printable(str(path))}: {error}") from None


def _folder_shards(folder: Path, common: str, exclude: set[Path]) -> tuple[list[Shard], int, list[SkippedInput]]:
    """Each JSONL file is a shard; the loose documents of each folder together are one.

    Linked folders are followed once: a link back to a folder already walked is a loop
    and is reported, as are dangling links, special files and unreadable folders.
    """
    shards: list[Shard] = []
    skipped: list[SkippedInput] = []
    ignored = 0
    excluded = {os.path.realpath(p) for p in exclude}
    walked = {os.path.realpath(folder)}

    def unreadable(error: OSError) -> None:
        skipped.append(SkippedInput(printable(str(error.filename)), f"cannot read this folder ({error.strerror}); check its permissions"))

    for directory, subdirectories, filenames in os.walk(folder, onerror=unreadable, followlinks=True):
        subdirectories[:] = _folders_to_walk(Path(directory), subdirectories, excluded, walked, skipped)
        documents: list[Path] = []
        for filename in sorted(filenames):
            path = Path(directory) / filename
            if filename.startswith(".") or os.path.realpath(path) in excluded:
                continue
            if not filename.endswith(LINE_SUFFIXES + DOCUMENT_SUFFIXES):
                ignored += 1
                continue
            problem = _path_problem(str(path))
            if problem is not None:
                skipped.append(SkippedInput(printable(str(path)), problem))
            elif filename.endswith(LINE_SUFFIXES) or (filename.endswith(".json") and content_kind(str(path)) in ("json-array", "jsonl")):
                try:
                    shards.append(_file_shard(path, common))
                except ScanInputError as error:
                    skipped.append(SkippedInput(printable(str(path)), str(error).split(": ", 1)[-1]))
            else:
                if filename.endswith(HTML_SUFFIXES):
                    try:
                        _require_extras(path)
                    except ScanInputError as error:
                        skipped.append(SkippedInput(printable(str(path)), str(error).split(": ", 1)[-1]))
                        continue
                documents.append(path)
        if documents:
            shards.append(_documents_shard(Path(directory), documents, common))
    return shards, ignored, skipped


def _folders_to_walk(directory: Path, names: list[str], excluded: set[str], walked: set[str], skipped: list[SkippedInput]) -> list[str]:
    kept = []
    # Real folders before links, so that a link (not the folder it points to) is the one reported.
    for name in sorted(names, key=lambda name: (os.path.islink(directory / name), name)):
        path = directory / name
        real = os.path.realpath(path)
        if name.startswith(".") or real in excluded:
            continue
        problem = _path_problem(str(path))
        if problem is None and real in walked:
            problem = "a link to a folder already scanned (a loop, or the same folder twice)"
        if problem is not None:
            skipped.append(SkippedInput(printable(str(path)), problem))
            continue
        walked.add(real)
        kept.append(name)
    return kept


def _documents_shard(directory: Path, documents: list[Path], common: str) -> Shard:
    relative = _relative(directory, common)
    name = directory.absolute().name if relative == "." else relative
    sizes = []
    for path in documents:
        try:
            sizes.append(path.stat().st_size)
        except OSError:
            sizes.append(0)  # reported when the file is read
    readable = [str(p) for p in documents if os.access(p, os.R_OK)]
    return Shard(
        "files",
        str(directory),
        name,
        files=tuple(str(p) for p in documents),
        size=sum(sizes),
        fingerprint=fingerprint_of(readable) + f"/{len(readable)}",
    )


def _check_unique_names(shards: list[Shard]) -> None:
    seen: dict[str, str] = {}
    for shard in shards:
        if shard.name in seen:
            raise ScanInputError(
                f"{seen[shard.name]} and {shard.source} would both be written to {shard.name!r} in an output folder; "
                "scan them separately or rename one"
            )
        seen[shard.name] = shard.source


# --- cutting shards into chunks -----------------------------------------------------


def chunks(shard: Shard, shard_index: int, max_records: int, max_bytes: int, max_record_bytes: int = MAX_BYTES) -> Iterator[Chunk]:
    """The chunks of one shard, in order; the same input always gives the same chunks.

    A record over `max_record_bytes` is never held: it stays in its chunk as an empty
    item with the reason in `unreadable`, so it is reported without being parsed.
    """
    if shard.kind == "lines":
        yield from _line_chunks(shard, shard_index, max_records, max_bytes, max_record_bytes)
    elif shard.kind in ("warc", "array"):
        yield from _record_chunks(shard, shard_index, max_records, max_bytes, max_record_bytes)
    else:
        yield from _file_chunks(shard, shard_index, max_records, max_bytes, max_record_bytes)


class _Oversized(NamedTuple):
    size: int


def _bounded_lines(stream, limit: int) -> Iterator[bytes | _Oversized]:
    """The lines of a binary stream; a line longer than `limit` bytes comes as its size only."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        size = len(line)
        while not line.endswith(b"\n"):  # skip the rest of the line, a bounded piece at a time
            line = stream.readline(1 << 20)
            if not line:
                break
            size += len(line)
        yield _Oversized(size)


def _line_chunks(shard: Shard, shard_index: int, max_records: int, max_bytes: int, max_record_bytes: int) -> Iterator[Chunk]:
    index, first_line, number = 0, 1, 0
    lines: list[bytes] = []
    oversized: dict[int, str] = {}
    size = 0
    last_position = 0
    tail_error = None
    try:
        opened = _open_lines(shard)
        stream, position = opened.__enter__()
    except OSError as error:
        yield Chunk(shard_index, 0, "lines", shard.source, 1, [], tail_error=f"cannot open: {error.strerror or error}")
        return
    try:
        for line in _bounded_lines(stream, max_record_bytes):
            number += 1
            if isinstance(line, _Oversized):
                oversized[len(lines)] = _over_limit(line.size, max_record_bytes)
                size += line.size
                line = b""
            elif number == 1:
                line = line.removeprefix(UTF8_BOM)
            lines.append(line)
            size += len(line)
            if len(lines) >= max_records or size >= max_bytes:
                now = position(size)
                yield Chunk(shard_index, index, "lines", shard.source, first_line, lines, unreadable=oversized, progress=now - last_position)
                index, first_line, last_position = index + 1, number + 1, now
                lines, oversized, size = [], {}, 0
    except (OSError, EOFError, zlib.error) as error:
        tail_error = f"cannot read past line {number}: {error}; the file is damaged or truncated"
    finally:
        now = position(size)
        opened.__exit__(None, None, None)
    if lines or tail_error or index == 0:
        yield Chunk(shard_index, index, "lines", shard.source, first_line, lines, unreadable=oversized, tail_error=tail_error, progress=now - last_position)


def _over_limit(size: int, limit: int) -> str:
    return f"a record of {size / 1e6:,.1f} MB, over the {limit / 1e6:g} MB limit; raise --max-record-mb to score it"


@contextmanager
def _open_lines(shard: Shard) -> Iterator[tuple[Iterable[bytes], Callable[[int], int]]]:
    """A binary line stream and a function giving the input bytes consumed so far.

    The function is told how many bytes of lines were read since its last call; for a
    .gz file it answers with the compressed position instead, so progress matches the
    sizes on disk.
    """
    consumed = [0]

    def count_lines(pending: int) -> int:
        consumed[0] += pending
        return consumed[0]

    if shard.path is None:
        yield sys.stdin.buffer, count_lines
        return
    with open(shard.path, "rb") as raw:
        magic = raw.read(4)
        raw.seek(0)
        # By content, not name: a renamed .gz, or zstd (as many curation pipelines write), is read all the same.
        if magic.startswith(b"\x1f\x8b"):
            with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
                yield stream, lambda pending: raw.tell()
        elif magic == b"\x28\xb5\x2f\xfd":
            try:
                import zstandard
            except ImportError:
                raise OSError("zstd-compressed, and the zstandard module is not installed; pip install zstandard") from None
            with zstandard.ZstdDecompressor().stream_reader(raw) as stream:
                yield io.BufferedReader(stream), lambda pending: raw.tell()
        else:
            yield raw, count_lines


def _record_chunks(shard: Shard, shard_index: int, max_records: int, max_bytes: int, max_record_bytes: int) -> Iterator[Chunk]:
    """Chunks of a WARC file or a JSON array: each record becomes one JSON line, decoded like JSONL.

    A record's number (its `line` in the errors file) is its position among the records.
    """
    index, first, number, size = 0, 1, 0, 0
    items: list[bytes] = []
    oversized: dict[int, str] = {}
    tail_error = None
    passed_over = [0]
    try:
        for item in _raw_records(shard, passed_over):
            number += 1
            if len(item) > max_record_bytes:
                oversized[len(items)] = _over_limit(len(item), max_record_bytes)
                item = b""
            items.append(item)
            size += len(item)
            if len(items) >= max_records or size >= max_bytes:
                yield Chunk(shard_index, index, "lines", shard.source, first, items, unreadable=oversized, progress=size, passed_over=passed_over[0])
                index, first, items, oversized, size = index + 1, number + 1, [], {}, 0
                passed_over[0] = 0
    except (OSError, EOFError, zlib.error, ValueError) as error:
        tail_error = f"cannot read past record {number}: {error}; the file is damaged, truncated or not what its start says"
    except Exception as error:  # the WARC libraries raise their own exception types
        tail_error = f"cannot read past record {number}: {type(error).__name__}: {error}"
    if items or tail_error or index == 0:
        yield Chunk(shard_index, index, "lines", shard.source, first, items, unreadable=oversized, tail_error=tail_error, progress=size, passed_over=passed_over[0])


def _raw_records(shard: Shard, passed_over: list[int]) -> Iterator[bytes]:
    """The records of a JSON array or the HTML pages of a WARC as JSON lines; passed_over[0] counts non-HTML responses."""
    if shard.kind == "array":
        with open(shard.path, "rb") as handle:
            data = handle.read()
        if data.startswith(b"\x1f\x8b"):
            data = gzip.decompress(data)
        value = json.loads(data.decode("utf-8").removeprefix("\ufeff"), parse_constant=_refuse_constant)
        if not isinstance(value, list):
            raise ValueError("not a JSON array")
        for element in value:
            yield json.dumps(element, ensure_ascii=False).encode("utf-8")
        return
    from ..sources.warc import Skipped, pages

    with open(shard.path, "rb") as handle:
        for page in pages(handle):
            if isinstance(page, Skipped):
                passed_over[0] += 1  # images, robots.txt, PDFs: not articles; counted in the summary
                continue
            record = {"id": page.record_id, "url": page.url, "warc_date": page.date, "warc_offset": page.offset, "html": page.html}
            yield json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _file_chunks(shard: Shard, shard_index: int, max_records: int, max_bytes: int, max_record_bytes: int) -> Iterator[Chunk]:
    index = 0
    items: list[bytes] = []
    paths: list[str] = []
    unreadable: dict[int, str] = {}
    size = 0
    for name in shard.files:
        problem, data = read_regular_file(name, max_record_bytes, oversize=lambda size: _over_limit(size, max_record_bytes))
        if problem is not None:
            unreadable[len(items)] = problem
        items.append(data)
        paths.append(name)
        size += len(data)
        if len(items) >= max_records or size >= max_bytes:
            yield Chunk(shard_index, index, "files", shard.source, 0, items, paths, unreadable, progress=size)
            index += 1
            items, paths, unreadable, size = [], [], {}, 0
    if items or index == 0:
        yield Chunk(shard_index, index, "files", shard.source, 0, items, paths, unreadable, progress=size)


# --- decoding one record (in the workers) -------------------------------------------


def decode_line(raw: bytes, fields: Fields) -> Record | BadRecord | None:
    """One JSONL line; None for a blank line (not a record)."""
    if not raw.strip():
        return None
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return BadRecord(None, f"not valid UTF-8 (byte {error.start} of the line)")
    return _decode_json(line, fields, None)


def decode_file(raw: bytes, path: str, fields: Fields) -> Record | BadRecord:
    """One document file: plain text (its id is its path), or a .json object."""
    if b"\x00" in raw:
        return BadRecord(path, "binary data (NUL bytes), not text")
    try:
        content = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        return BadRecord(path, f"not valid UTF-8 (byte {error.start})")
    if path.endswith(".json"):
        return _decode_json(content, fields, path)
    if path.lower().endswith(HTML_SUFFIXES) or kind_of_text(content) == "html":
        return _decode_html(content, path, {}, fields, len(raw))
    if not content.strip():
        return BadRecord(path, "empty text")
    problem = shape_problem(content)
    if problem is not None:
        return BadRecord(path, problem)
    return Record(path, content, {}, len(raw))


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _decode_json(line: str, fields: Fields, fallback_id: str | None) -> Record | BadRecord:
    try:
        value = json.loads(line, parse_constant=_refuse_constant)
    except RecursionError:
        return BadRecord(fallback_id, f"JSON nested too deeply to read (records may nest {MAX_NESTING} levels)")
    except ValueError as error:
        return BadRecord(fallback_id, f"malformed JSON: {error}")
    if not isinstance(value, dict):
        return BadRecord(fallback_id, f"a JSON {type(value).__name__}, not an object")
    text_field = next((name for name in fields.text if name in value), None)
    record_id = _record_id(value, fields, fallback_id)
    problem = _structure_problem(value)
    if problem is not None:
        return BadRecord(record_id, problem)
    html_field = next((name for name in HTML_FIELDS if isinstance(value.get(name), str)), None) if text_field is None else None
    if html_field is not None:
        meta = _kept(value, fields, skip=(html_field,), record_id=record_id)
        return _decode_html(value[html_field], record_id, meta, fields, len(value[html_field].encode("utf-8", "surrogatepass")), field=html_field)
    if text_field is None:
        looked = ", ".join(repr(name) for name in fields.text)
        return BadRecord(record_id, f"no text field (looked for {looked}; choose one with --text-field)")
    text = value[text_field]
    if not isinstance(text, str):
        kind = "null" if text is None else f"a JSON {type(text).__name__}"
        return BadRecord(record_id, f"field {text_field!r} is {kind}, not a string")
    if not text.strip():
        return BadRecord(record_id, f"empty text in field {text_field!r}")
    problem = shape_problem(text)
    if problem is not None:
        return BadRecord(record_id, f"field {text_field!r}: {problem}")
    size = len(text.encode("utf-8"))
    if record_id is None:
        record_id = text_hash(text)
    return Record(record_id, text, _kept(value, fields, skip=(text_field,), record_id=record_id), size)


def _kept(value: dict, fields: Fields, skip: tuple[str, ...], record_id) -> dict:
    """The record's other fields for the row: not the text, not the id, and not bulky copies of the page unless kept."""
    return {
        key: item
        for key, item in value.items()
        if key not in skip
        and not (key == "id" and item == record_id)
        and (key not in BULKY_FIELDS or key in fields.keep)
    }


def kind_of_text(content: str) -> str:
    from ..sources.sniff import kind_of

    return kind_of(content[:4096].encode("utf-8", "surrogatepass"))


def _decode_html(markup: str, record_id, meta: dict, fields: Fields, size: int, field: str | None = None) -> Record | BadRecord:
    """An HTML page as a record: its main text is scored, its URL, date and translation markers kept."""
    from ..sources import MissingExtra
    from ..sources.html import extract_page, extractor_version

    where = f"field {field!r}: " if field else ""
    try:
        extractor = extractor_version()
        page = extract_page(markup, url=meta.get("url") if isinstance(meta.get("url"), str) else None)
    except MissingExtra as error:
        return BadRecord(record_id, f"{where}{error}")
    if not page.text.strip():
        return BadRecord(record_id, f"{where}no article text found in the HTML ({extractor} extracted nothing)")
    problem = shape_problem(page.text)
    if problem is not None:
        return BadRecord(record_id, f"{where}{problem}")
    meta = dict(meta)
    for key, found in (("url", page.url), ("date", page.date), ("title", page.title)):
        if found and not meta.get(key):
            meta[key] = found
    meta["extracted_by"] = extractor
    meta["translation_markers"] = page.markers
    if page.translated_from:
        meta["translated_from"] = page.translated_from
    if record_id is None:
        record_id = page.url or text_hash(page.text)
    return Record(record_id, page.text, meta, size)


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _structure_problem(record: dict) -> str | None:
    """Why a decoded record cannot be written back as JSON, or None.

    Walked without recursion: unpaired surrogate escapes ("\\ud800") in any string,
    numbers too large for JSON (1e999 reads as infinity), and nesting deeper than
    MAX_NESTING, which the JSON encoder of a later step could not write.
    """
    stack: list[tuple[object, int, str | None]] = [(record, 0, None)]
    while stack:
        item, depth, field = stack.pop()
        where = f"field {field!r}" if field is not None else "a field name"
        if depth > MAX_NESTING:
            return f"{where} is nested more than {MAX_NESTING} levels deep; flatten the record"
        if isinstance(item, dict):
            for key, inner in item.items():
                if _SURROGATE_RE.search(key):
                    return "a field name holds an unpaired surrogate escape (\\ud800-\\udfff), not valid text"
                stack.append((inner, depth + 1, field if field is not None else key))
        elif isinstance(item, list):
            stack.extend((inner, depth + 1, field) for inner in item)
        elif isinstance(item, str):
            if _SURROGATE_RE.search(item):
                return f"{where} holds an unpaired surrogate escape (\\ud800-\\udfff), not valid text"
        elif isinstance(item, float) and not math.isfinite(item):
            return f"{where} holds a number too large for JSON ({item})"
    return None


def _record_id(value: dict, fields: Fields, fallback: str | None) -> str | int | None:
    for name in fields.id:
        candidate = value.get(name)
        if name == "source" and fields.id == ID_FIELDS and not (isinstance(candidate, str) and candidate.startswith(("http://", "https://"))):
            continue  # elsewhere "source" names a publisher, which many records share
        if isinstance(candidate, str) and candidate.strip():
            return candidate
        if isinstance(candidate, int) and not isinstance(candidate, bool):
            return candidate
    return fallback


def text_hash(text: str) -> str:
    """A stable id for a record that has none: the same text always gets the same id."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

"""Dump readers: which files make up a scan, how they are cut into chunks, and what a record is.

A *shard* is one unit of input: a JSONL file (plain or .gz), stdin, or the loose
documents (.txt / .json, one article each) of one folder. Shards are cut into *chunks*
of at most a fixed number of records and bytes; the cut depends only on the input, so an
interrupted scan that is run again cuts the same chunks and can skip those already done.

The main process only splits lines (cheap); decoding and checking records happens in the
workers (`decode_line`, `decode_file`), so one process never parses the whole dump.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sys
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple

TEXT_FIELDS = ("text", "maintext")  # maintext: news-please
ID_FIELDS = ("id", "url")
LINE_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".json.gz")
DOCUMENT_SUFFIXES = (".txt", ".json")
UTF8_BOM = b"\xef\xbb\xbf"
STDIN = "-"


class ScanInputError(Exception):
    """An input that cannot be scanned at all; the message says what to do."""


@dataclass(frozen=True)
class Fields:
    """Where a record keeps its text and its id: the first field present wins."""

    text: tuple[str, ...] = TEXT_FIELDS
    id: tuple[str, ...] = ID_FIELDS

    @classmethod
    def choose(cls, text_field: str | None = None, id_field: str | None = None) -> "Fields":
        return cls(text=(text_field,) if text_field else TEXT_FIELDS, id=(id_field,) if id_field else ID_FIELDS)


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
    kind: str  # "lines": a JSONL file or stdin; "files": one document per file
    source: str  # the path as the user gave it ("-" for stdin), for messages and error rows
    name: str  # output name inside an output folder, without suffix
    path: str | None = None  # the JSONL file; None for stdin
    files: tuple[str, ...] = ()
    size: int = 0
    mtime_ns: int = 0

    def identity(self) -> list:
        """What must not change between an interrupted scan and its rerun."""
        return [self.kind, self.source, self.size, self.mtime_ns, len(self.files)]


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


# --- finding the shards -------------------------------------------------------------


def discover(inputs: list[str], exclude: set[Path] = frozenset()) -> tuple[list[Shard], int]:
    """The shards of the given files, folders and "-", and how many files were ignored.

    `exclude` holds paths to leave out (the scan's own outputs, when they sit inside an
    input folder).
    """
    if inputs.count(STDIN) > 1:
        raise ScanInputError("'-' (stdin) is given more than once")
    shards: list[Shard] = []
    ignored = 0
    bases = [_base_of(name) for name in inputs if name != STDIN]
    common = os.path.commonpath(bases) if bases else "."
    for name in inputs:
        if name == STDIN:
            shards.append(Shard("lines", STDIN, "stdin"))
            continue
        path = Path(name)
        if not path.exists():
            raise ScanInputError(f"{name}: no such file or folder; check the path")
        if path.is_dir():
            inside, skipped = _folder_shards(path, common, exclude)
            if not inside:
                raise ScanInputError(
                    f"{name}: no .jsonl, .jsonl.gz, .txt or .json files in this folder; nothing to scan"
                )
            shards.extend(inside)
            ignored += skipped
        else:
            shards.append(_file_shard(path, common))
    _check_unique_names(shards)
    return shards, ignored


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
    stat = path.stat()
    name = _strip_suffixes(_relative(path, common))
    if path.name.endswith(DOCUMENT_SUFFIXES):
        return Shard("files", str(path), name, files=(str(path),), size=stat.st_size, mtime_ns=stat.st_mtime_ns)
    return Shard("lines", str(path), name, path=str(path), size=stat.st_size, mtime_ns=stat.st_mtime_ns)


def _folder_shards(folder: Path, common: str, exclude: set[Path]) -> tuple[list[Shard], int]:
    """Each JSONL file is a shard; the loose documents of each folder together are one."""
    shards: list[Shard] = []
    ignored = 0
    excluded = {p.resolve() for p in exclude}
    for directory, subdirectories, filenames in os.walk(folder):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith(".") and (Path(directory) / d).resolve() not in excluded)
        documents: list[Path] = []
        for filename in sorted(filenames):
            path = Path(directory) / filename
            if filename.startswith(".") or path.resolve() in excluded:
                continue
            if filename.endswith(LINE_SUFFIXES):
                shards.append(_file_shard(path, common))
            elif filename.endswith(DOCUMENT_SUFFIXES):
                documents.append(path)
            else:
                ignored += 1
        if documents:
            stats = [p.stat() for p in documents]
            relative = _relative(Path(directory), common)
            name = Path(directory).absolute().name if relative == "." else relative
            shard = Shard(
                "files",
                str(Path(directory)),
                name,
                files=tuple(str(p) for p in documents),
                size=sum(s.st_size for s in stats),
                mtime_ns=max(s.st_mtime_ns for s in stats),
            )
            shards.append(shard)
    return shards, ignored


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


def chunks(shard: Shard, shard_index: int, max_records: int, max_bytes: int) -> Iterator[Chunk]:
    """The chunks of one shard, in order; the same input always gives the same chunks."""
    if shard.kind == "lines":
        yield from _line_chunks(shard, shard_index, max_records, max_bytes)
    else:
        yield from _file_chunks(shard, shard_index, max_records, max_bytes)


def _line_chunks(shard: Shard, shard_index: int, max_records: int, max_bytes: int) -> Iterator[Chunk]:
    index, first_line, number = 0, 1, 0
    lines: list[bytes] = []
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
        for line in stream:
            number += 1
            if number == 1:
                line = line.removeprefix(UTF8_BOM)
            lines.append(line)
            size += len(line)
            if len(lines) >= max_records or size >= max_bytes:
                now = position(size)
                yield Chunk(shard_index, index, "lines", shard.source, first_line, lines, progress=now - last_position)
                index, first_line, last_position = index + 1, number + 1, now
                lines, size = [], 0
    except (OSError, EOFError, zlib.error) as error:
        tail_error = f"cannot read past line {number}: {error}; the file is damaged or truncated"
    finally:
        now = position(size)
        opened.__exit__(None, None, None)
    if lines or tail_error or index == 0:
        yield Chunk(shard_index, index, "lines", shard.source, first_line, lines, tail_error=tail_error, progress=now - last_position)


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
        if shard.path.endswith(".gz"):
            with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
                yield stream, lambda pending: raw.tell()
        else:
            yield raw, count_lines


def _file_chunks(shard: Shard, shard_index: int, max_records: int, max_bytes: int) -> Iterator[Chunk]:
    index = 0
    items: list[bytes] = []
    paths: list[str] = []
    unreadable: dict[int, str] = {}
    size = 0
    for name in shard.files:
        try:
            data = Path(name).read_bytes()
        except OSError as error:
            unreadable[len(items)] = f"cannot read: {error.strerror or error}"
            data = b""
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
    if not content.strip():
        return BadRecord(path, "empty text")
    return Record(path, content, {}, len(raw))


def _decode_json(line: str, fields: Fields, fallback_id: str | None) -> Record | BadRecord:
    try:
        value = json.loads(line)
    except ValueError as error:
        return BadRecord(fallback_id, f"malformed JSON: {error}")
    if not isinstance(value, dict):
        return BadRecord(fallback_id, f"a JSON {type(value).__name__}, not an object")
    text_field = next((name for name in fields.text if name in value), None)
    record_id = _record_id(value, fields, fallback_id)
    if text_field is None:
        looked = ", ".join(repr(name) for name in fields.text)
        return BadRecord(record_id, f"no text field (looked for {looked}; choose one with --text-field)")
    text = value[text_field]
    if not isinstance(text, str):
        kind = "null" if text is None else f"a JSON {type(text).__name__}"
        return BadRecord(record_id, f"field {text_field!r} is {kind}, not a string")
    if not text.strip():
        return BadRecord(record_id, f"empty text in field {text_field!r}")
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        return BadRecord(record_id, f"field {text_field!r} holds an unpaired surrogate escape (\\ud800-\\udfff), not valid text")
    if record_id is None:
        record_id = text_hash(text)
    meta = {key: item for key, item in value.items() if key != text_field and not (key == "id" and item == record_id)}
    return Record(record_id, text, meta, size)


def _record_id(value: dict, fields: Fields, fallback: str | None) -> str | int | None:
    for name in fields.id:
        candidate = value.get(name)
        if isinstance(candidate, str) and candidate.strip():
            return candidate
        if isinstance(candidate, int) and not isinstance(candidate, bool):
            return candidate
    return fallback


def text_hash(text: str) -> str:
    """A stable id for a record that has none: the same text always gets the same id."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

"""Writing a scan: finished chunks into a parts folder, then the parts into the outputs.

Every file is written under a temporary name and renamed into place, so a scan killed at
any moment leaves only whole files. A chunk counts as done once its `.done.json` marker
exists; the marker is renamed into place last, after the chunk's rows and errors.
When every chunk is done the parts are assembled into the outputs (JSONL, CSV or
Parquet), the summary is written, and the parts folder is removed.
"""

from __future__ import annotations

import csv
import errno
import fcntl
import gzip
import json
import math
import os
import shutil
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator

from ..report import neutralised

FORMATS = ("jsonl", "csv", "parquet", "dolma-attributes")
REPORT_KEYS = ("id", "score", "flagged", "threshold", "paragraph_threshold", "false_positive_rate", "model", "reasons", "paragraphs")
MANIFEST = "manifest.json"
TEMPORARY_MARK = ".tmp-"
LOCK = ".lock"
STDIN_SPOOL = "stdin.jsonl"  # stdin copied here, so the copies pass can read texts again
KEPT_IN_PARTS = frozenset({LOCK, STDIN_SPOOL})  # survive starting a scan again


class ScanLocked(Exception):
    """Another scan is writing the same output."""


class ScanLock:
    """An exclusive lock on a scan's output, held by an open file in its parts folder.

    The lock is fcntl.flock on that file: the operating system releases it when the
    process ends, however it ends, so a killed scan never leaves a lock behind.
    """

    def __init__(self, parts: Path) -> None:
        self.parts = parts
        self.handle = None

    def acquire(self) -> "ScanLock":
        self.parts.mkdir(parents=True, exist_ok=True)
        handle = open(self.parts / LOCK, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            if error.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise ScanLocked(f"another scan (pid {holder}) is writing this output") from None
            raise
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self.handle = handle
        return self

    def release(self) -> None:
        """Unlock, and remove the parts folder if nothing but the lock (and a stdin spool) is left in it."""
        if self.handle is None:
            return
        try:
            if self.parts.is_dir() and {entry.name for entry in self.parts.iterdir()} <= KEPT_IN_PARTS:
                shutil.rmtree(self.parts, ignore_errors=True)
        finally:
            self.handle.close()
            self.handle = None


@contextmanager
def atomic_file(path: Path, mode: str = "wb") -> Iterator[IO]:
    """Write `path` under a temporary name and rename it into place when done."""
    temporary = path.with_name(f"{path.name}{TEMPORARY_MARK}{os.getpid()}")
    try:
        with open(temporary, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": ""})) as handle:
            yield handle
        os.replace(temporary, path)
    finally:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass  # removed as a leftover by the next run


def write_json_atomic(path: Path, value) -> None:
    with atomic_file(path, "w") as handle:
        json.dump(finite(value), handle, ensure_ascii=False, indent=2, allow_nan=False)
        handle.write("\n")


def remove_tree(path: Path) -> None:
    """Rename first, then delete: a half-deleted parts folder must never look like a live one."""
    if not path.exists():
        return
    doomed = path.with_name(f"{path.name}.trash-{os.getpid()}")
    os.replace(path, doomed)
    shutil.rmtree(doomed, ignore_errors=True)


def remove_leftovers(folder: Path, stem: str) -> None:
    """Temporary files and half-deleted trash of earlier runs that were killed."""
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.name.startswith(stem + ".") and (".trash-" in entry.name or TEMPORARY_MARK in entry.name):
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


class PartStore:
    """The parts folder of one scan: a manifest, and per chunk its rows, errors, notes and marker."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def exists(self) -> bool:
        return (self.folder / MANIFEST).is_file()

    def manifest(self) -> dict | None:
        try:
            return json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def create(self, manifest: dict) -> None:
        """Start afresh: empty the folder (the manifest first, so a half-emptied folder is no scan) but keep the lock."""
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / MANIFEST).unlink(missing_ok=True)
        for entry in self.folder.iterdir():
            if entry.name in KEPT_IN_PARTS:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
        write_json_atomic(self.folder / MANIFEST, manifest)

    def clean_temporary(self) -> None:
        for entry in self.folder.iterdir():
            if TEMPORARY_MARK in entry.name:
                entry.unlink(missing_ok=True)

    def _stem(self, shard: int, chunk: int) -> str:
        return f"s{shard:05d}-c{chunk:07d}"

    def path(self, shard: int, chunk: int, kind: str) -> Path:
        suffix = {"rows": ".rows.jsonl", "errors": ".errors.jsonl", "notes": ".notes.jsonl", "done": ".done.json", "started": ".started"}[kind]
        return self.folder / (self._stem(shard, chunk) + suffix)

    def commit(self, shard: int, chunk: int, rows: bytes, errors: bytes, notes: bytes, stats: dict) -> None:
        for kind, data in (("rows", rows), ("errors", errors), ("notes", notes)):
            with atomic_file(self.path(shard, chunk, kind)) as handle:
                handle.write(data)
        write_json_atomic(self.path(shard, chunk, "done"), stats)
        self.path(shard, chunk, "started").unlink(missing_ok=True)

    def mark_started(self, shard: int, chunk: int) -> None:
        """This process is about to score the chunk itself (see engines.GuardedEngine)."""
        self.path(shard, chunk, "started").touch()

    def clear_started(self) -> None:
        """This process is stopping on an exception, alive: no record killed it."""
        for entry in self.folder.glob("s*-c*.started"):
            entry.unlink(missing_ok=True)

    def started_chunks(self) -> set[tuple[int, int]]:
        """Chunks a process started scoring itself and never committed: it died on them."""
        started = set()
        for entry in self.folder.glob("s*-c*.started"):
            shard, chunk = entry.name.split(".")[0].split("-")
            if not self.path(int(shard[1:]), int(chunk[1:]), "done").exists():
                started.add((int(shard[1:]), int(chunk[1:])))
        return started

    def done_chunks(self) -> dict[tuple[int, int], dict]:
        """(shard, chunk) -> the stats in its marker, for every committed chunk."""
        done = {}
        for entry in self.folder.glob("s*-c*.done.json"):
            shard, chunk = entry.name.split(".")[0].split("-")
            try:
                done[(int(shard[1:]), int(chunk[1:]))] = json.loads(entry.read_text(encoding="utf-8"))
            except ValueError:
                continue  # cannot happen with atomic renames; redo the chunk if it does
        return done


# --- output formats -----------------------------------------------------------------


class RowWriter:
    """Writes the rows of finished chunks into one output file, atomically."""

    def __init__(self, path: Path, extra_fields: tuple[str, ...] = ()) -> None:
        self.path = path
        self.extra_fields = extra_fields
        self.temporary = path.with_name(f"{path.name}{TEMPORARY_MARK}{os.getpid()}")

    def add_jsonl(self, rows_file: Path, additions: dict[int, dict] | None) -> None:
        """Add the rows of one chunk (a JSONL part), with extra fields for some rows."""
        raise NotImplementedError

    def close(self) -> None:
        os.replace(self.temporary, self.path)

    def abort(self) -> None:
        self.temporary.unlink(missing_ok=True)


def _close_quietly(handle) -> None:
    """Close a file that is being given up (e.g. on a full disk, where flushing fails again)."""
    try:
        handle.close()
    except (OSError, ValueError):
        pass


def finite(value):
    """`value` with NaN and infinities (which JSON has no words for) replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(item) for item in value]
    return value


def _patched_lines(rows_file: Path, additions: dict[int, dict] | None) -> Iterator[bytes]:
    with open(rows_file, "rb") as handle:
        for index, line in enumerate(handle):
            if additions and index in additions:
                row = json.loads(line)
                row.update(finite(additions[index]))
                line = (json.dumps(row, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")
            yield line


def _rows(rows_file: Path, additions: dict[int, dict] | None) -> Iterator[dict]:
    with open(rows_file, "rb") as handle:
        for index, line in enumerate(handle):
            row = json.loads(line)
            if additions and index in additions:
                row.update(finite(additions[index]))
            yield row


class _LineWriter(RowWriter):
    """A writer of byte lines into the temporary file, gzip-compressed when the output's name ends in .gz."""

    def __init__(self, path: Path, extra_fields: tuple[str, ...] = ()) -> None:
        super().__init__(path, extra_fields)
        raw = open(self.temporary, "wb")
        self.handle = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=3) if path.name.endswith(".gz") else raw
        self.raw = raw

    def close(self) -> None:
        self.handle.close()
        self.raw.close()
        super().close()

    def abort(self) -> None:
        _close_quietly(self.handle)
        _close_quietly(self.raw)
        super().abort()


class JsonlWriter(_LineWriter):
    def add_jsonl(self, rows_file: Path, additions: dict[int, dict] | None) -> None:
        if not additions:
            with open(rows_file, "rb") as source:
                shutil.copyfileobj(source, self.handle, 1 << 20)
            return
        self.handle.writelines(_patched_lines(rows_file, additions))


CSV_COLUMNS = ["id", "url", "score", "flagged", "paragraphs", "flagged_paragraphs", "evidence", "features", "model", "metadata"]


def flat_row(row: dict, extra_fields: tuple[str, ...]) -> dict:
    """One document as flat columns: counts instead of the nested paragraphs; other input fields as JSON."""
    paragraphs = row.get("paragraphs", [])
    counts = Counter(e["feature"] for p in paragraphs for e in p["evidence"])
    metadata = {k: v for k, v in row.items() if k not in REPORT_KEYS and k != "url" and k not in extra_fields}
    flat = {
        "id": None if row.get("id") is None else str(row["id"]),
        "url": row.get("url") if isinstance(row.get("url"), str) else None,
        "score": row.get("score"),
        "flagged": row.get("flagged"),
        "paragraphs": len(paragraphs),
        "flagged_paragraphs": sum(1 for p in paragraphs if p["flagged"]),
        "evidence": sum(counts.values()),
        "features": ";".join(f"{name}:{count}" for name, count in sorted(counts.items())),
        "model": row.get("model"),
        "metadata": json.dumps(metadata, ensure_ascii=False) if metadata else None,
    }
    for name in extra_fields:
        value = row.get(name)
        flat[name] = value if value is None or isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return flat


class CsvWriter(RowWriter):
    def __init__(self, path: Path, extra_fields: tuple[str, ...] = ()) -> None:
        super().__init__(path, extra_fields)
        self.handle = open(self.temporary, "w", encoding="utf-8", newline="")
        self.writer = csv.DictWriter(self.handle, fieldnames=CSV_COLUMNS + list(extra_fields), lineterminator="\n")
        self.writer.writeheader()

    def add_jsonl(self, rows_file: Path, additions: dict[int, dict] | None) -> None:
        for row in _rows(rows_file, additions):
            self.writer.writerow({key: neutralised(value) for key, value in flat_row(row, self.extra_fields).items()})

    def close(self) -> None:
        self.handle.close()
        super().close()

    def abort(self) -> None:
        _close_quietly(self.handle)
        super().abort()


def parquet_schema(extra_fields: tuple[str, ...] = ()):
    import pyarrow as pa

    context = pa.struct([("text", pa.string()), ("offset", pa.int64()), ("length", pa.int64())])
    evidence = pa.struct(
        [
            ("feature", pa.string()),
            ("category", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("line", pa.int64()),
            ("column", pa.int64()),
            ("message", pa.string()),
            ("context", context),
        ]
    )
    # Paragraph reasons carry document_value, document reasons strongest_paragraph_value; the other is null.
    # detail: what in the text made a statistic's value (machine_word_choice's words), else null.
    reason = pa.struct(
        [
            ("feature", pa.string()),
            ("kind", pa.string()),
            ("effect", pa.float64()),
            ("towards", pa.string()),
            ("value", pa.float64()),
            ("document_value", pa.float64()),
            ("strongest_paragraph_value", pa.float64()),
            ("human_reference", pa.float64()),
            ("message", pa.string()),
            ("detail", pa.string()),  # null where the feature names nothing in the text
        ]
    )
    paragraph = pa.struct(
        [
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("line", pa.int64()),
            ("score", pa.float64()),
            ("flagged", pa.bool_()),
            ("reasons", pa.list_(reason)),
            ("evidence", pa.list_(evidence)),
        ]
    )
    fields = [
        ("id", pa.string()),
        ("url", pa.string()),
        ("score", pa.float64()),
        ("flagged", pa.bool_()),
        ("threshold", pa.float64()),
        ("paragraph_threshold", pa.float64()),
        ("false_positive_rate", pa.float64()),
        ("model", pa.string()),
        ("reasons", pa.list_(reason)),
        ("paragraphs", pa.list_(paragraph)),
        ("metadata", pa.string()),  # the other input fields, as a JSON object
    ]
    return pa.schema(fields + [(name, pa.string()) for name in extra_fields])


class ParquetWriter(RowWriter):
    def __init__(self, path: Path, extra_fields: tuple[str, ...] = ()) -> None:
        import pyarrow.parquet as pq

        super().__init__(path, extra_fields)
        self.schema = parquet_schema(extra_fields)
        self.writer = pq.ParquetWriter(self.temporary, self.schema, compression="zstd")

    def add_jsonl(self, rows_file: Path, additions: dict[int, dict] | None) -> None:
        import pyarrow as pa

        records = []
        for row in _rows(rows_file, additions):
            flat = flat_row(row, self.extra_fields)
            records.append(
                {
                    "id": flat["id"],
                    "url": flat["url"],
                    "score": row.get("score"),
                    "flagged": row.get("flagged"),
                    "threshold": row.get("threshold"),
                    "paragraph_threshold": row.get("paragraph_threshold"),
                    "false_positive_rate": row.get("false_positive_rate"),
                    "model": row.get("model"),
                    "reasons": row.get("reasons", []),
                    "paragraphs": row.get("paragraphs", []),
                    "metadata": flat["metadata"],
                    **{name: flat[name] for name in self.extra_fields},
                }
            )
        if records:
            self.writer.write_table(pa.Table.from_pylist(records, schema=self.schema))

    def close(self) -> None:
        self.writer.close()
        super().close()

    def abort(self) -> None:
        _close_quietly(self.writer)
        super().abort()


def parquet_available() -> bool:
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def dolma_spans(report: dict) -> dict[str, list[list]]:
    """A score report as dolma span lists by attribute type: document_score, paragraph_score, flagged.

    Shared by `--format dolma-attributes` and the dolma tagger (mtdetect.integrations.dolma),
    so both write the same attributes.
    """
    paragraphs = report.get("paragraphs") or []
    end = max((p["end"] for p in paragraphs), default=0)
    return {
        "document_score": [[0, end, report["score"]]],
        "paragraph_score": [[p["start"], p["end"], p["score"]] for p in paragraphs],
        "flagged": [[0, end, 1.0]] if report.get("flagged") else [],
    }


class DolmaAttributesWriter(_LineWriter):
    """Dolma's attributes files: one line per input document, in the documents' order.

    {"id": ..., "attributes": {"<experiment>__mtdetect__document_score": [[0, end, score]],
    "<experiment>__mtdetect__paragraph_score": [[start, end, score], ...],
    "<experiment>__mtdetect__flagged": [[0, end, 1.0]] or []}}. A record that could not be
    scored gets its line with empty attributes, so the counts match (dolma pairs them by line).
    """

    def __init__(self, path: Path, extra_fields: tuple[str, ...] = (), experiment: str = "mtdetect") -> None:
        super().__init__(path, extra_fields)
        self.prefix = f"{experiment}__mtdetect__"

    def attributes(self, row: dict) -> dict:
        return {self.prefix + name: spans for name, spans in dolma_spans(row).items()}

    def add_ordered(self, rows_file: Path, additions: dict[int, dict] | None, errors_file: Path, order: str) -> None:
        with open(errors_file, "rb") as errors_handle:
            rows, errors = _rows(rows_file, additions), iter(errors_handle)
            for kind in order:
                if kind == "r":
                    row = next(rows)
                    line = {"id": row["id"], "attributes": self.attributes(row)}
                else:
                    line = {"id": json.loads(next(errors)).get("id"), "attributes": {}}
                self.handle.write((json.dumps(line, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8"))


def open_writer(path: Path, fmt: str, extra_fields: tuple[str, ...] = (), experiment: str = "mtdetect") -> RowWriter:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "dolma-attributes":
        return DolmaAttributesWriter(path, extra_fields, experiment)
    writer_class = {"jsonl": JsonlWriter, "csv": CsvWriter, "parquet": ParquetWriter}[fmt]
    return writer_class(path, extra_fields)


def concatenate(sources: Iterable[Path], target: IO[bytes]) -> None:
    for source in sources:
        with open(source, "rb") as handle:
            shutil.copyfileobj(handle, target, 1 << 20)


def suffix_for(fmt: str) -> str:
    return {"jsonl": ".jsonl", "csv": ".csv", "parquet": ".parquet", "dolma-attributes": ".json.gz"}[fmt]


def format_from_name(name: str) -> str | None:
    lowered = name.lower()
    if lowered.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json")):
        return "jsonl"
    if lowered.endswith(".csv"):
        return "csv"
    if lowered.endswith((".parquet", ".pq")):
        return "parquet"
    return None

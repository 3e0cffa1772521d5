"""Where chunks are scored: in this process, on local cores (joblib's loky), or on Dask.

Workers get small `Job` and `Chunk` objects and give back finished bytes (the chunk's
rows, errors and hook notes), so the main process only reads lines and writes files.
The model is loaded once per worker process and kept in `_DETECTORS`, keyed by the
SHA-256 of its weights, never once per document or chunk.
"""

from __future__ import annotations

import gc
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Protocol

from ..model import Detector, load
from ..text import Document
from .readers import BadRecord, Chunk, Fields, Record, decode_file, decode_line
from .writers import REPORT_KEYS

# Numerical libraries start one thread per core in every worker unless told not to;
# with one worker per core that only adds contention.
SINGLE_THREADED = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


# Documents scored together in one classifier call: a call costs milliseconds however
# few rows it gets, and fewer Documents alive at once keep memory and caches small.
REPORT_BATCH = 256


class EngineError(Exception):
    """An engine that cannot start; the message says what to do."""


@dataclass(frozen=True)
class ModelRef:
    """Enough to load the model in another process: its file, and its SHA-256 as the cache key."""

    path: str | None  # None: the bundled model
    trust: bool
    sha256: str


_DETECTORS: dict[str, Detector] = {}
_LOAD_LOCK = threading.Lock()


def remember(ref: ModelRef, detector: Detector) -> None:
    _DETECTORS[ref.sha256] = detector


def detector_for(ref: ModelRef) -> Detector:
    """This process's copy of the model, loaded on first use."""
    detector = _DETECTORS.get(ref.sha256)
    if detector is None:
        with _LOAD_LOCK:  # Dask workers may run several threads
            detector = _DETECTORS.get(ref.sha256)
            if detector is None:
                detector = load(ref.path, trust=ref.trust)
                _DETECTORS[ref.sha256] = detector
    return detector


RowKey = tuple[int, int, int]  # (shard, chunk, record's position in the chunk): where a row came from


class ScanHook(Protocol):
    """A post-pass over a scan, e.g. linking copies of one story.

    `observe` runs in the worker for every scored document and returns a small
    JSON-serialisable note (or None); notes are kept with their chunk, so they survive an
    interrupted scan. After the last chunk, `finalize` runs once in the main process with
    every note as (RowKey, note) in input order, and `fetch`, which reads the texts of the
    rows it is given again from the inputs (an iterable of RowKeys in, (RowKey, text) out,
    one pass over each shard needed; not for stdin). It returns the fields to add to
    rows, by RowKey; the outputs are written with them. Hooks are pickled to the workers.
    """

    name: str
    fields: tuple[str, ...]  # the fields finalize may add (columns in CSV and Parquet)

    def observe(self, id: str | int, text: str, row: dict) -> Any: ...

    def finalize(self, notes: Iterator[tuple[RowKey, Any]], fetch: Callable[[Iterable[RowKey]], Iterator[tuple[RowKey, str]]]) -> dict[RowKey, dict]: ...


@dataclass(frozen=True)
class Job:
    """What every chunk of one scan needs besides its records."""

    model: ModelRef
    fields: Fields = Fields()
    hooks: tuple = ()


@dataclass
class ChunkResult:
    shard: int
    index: int
    rows: bytes  # JSONL, one row per scored document, in input order
    errors: bytes  # JSONL, one line per record that could not be scored
    notes: bytes  # JSONL of [row, position, hook, note]
    stats: dict = field(default_factory=dict)
    progress: int = 0


def make_row(report: dict, meta: dict) -> dict:
    """The report with the input record's other fields passed through.

    An input field whose name the report uses (score, model, ...) keeps its value
    as `input_<name>`.
    """
    row = {"id": report["id"], "score": report["score"], "flagged": report["flagged"]}
    for key, value in meta.items():
        row[f"input_{key}" if key in REPORT_KEYS else key] = value
    for key in ("threshold", "paragraph_threshold", "false_positive_rate", "model", "reasons", "paragraphs"):
        if key in report:
            row[key] = report[key]
    return row


def _error_row(source: str, line: int | None, id, reason: str) -> dict:
    return {"source": source, "line": line, "id": id, "reason": reason}


def score_chunk(job: Job, chunk: Chunk) -> ChunkResult:
    """Decode, score and serialise one chunk; every record ends as a row or an error."""
    # Documents are many small tuples that hold no cycles; the cyclic collector would
    # traverse them again and again (a fifth of the time, measured). Reference counting
    # still frees them; cycles made meanwhile are collected after the chunk.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _score_chunk(job, chunk)
    finally:
        if collecting:
            gc.enable()


def _score_chunk(job: Job, chunk: Chunk) -> ChunkResult:
    started, started_cpu = time.perf_counter(), time.process_time()
    detector = detector_for(job.model)
    errors: list[tuple[int, dict]] = []  # (item index, error row), sorted at the end
    records: list[tuple[int, Record, str, int | None]] = []
    for position, raw in enumerate(chunk.items):
        if chunk.kind == "lines":
            source, line = chunk.source, chunk.first_line + position
            decoded = decode_line(raw, job.fields)
            if decoded is None:
                continue  # a blank line is not a record
        else:
            source, line = chunk.paths[position], None
            if position in chunk.unreadable:
                errors.append((position, _error_row(source, None, source, chunk.unreadable[position])))
                continue
            decoded = decode_file(raw, source, job.fields)
        if isinstance(decoded, BadRecord):
            errors.append((position, _error_row(source, line, decoded.id, decoded.reason)))
        else:
            records.append((position, decoded, source, line))

    scored, reports = [], []
    for start in range(0, len(records), REPORT_BATCH):
        documents, extractions, batch = [], [], []
        for position, record, source, line in records[start : start + REPORT_BATCH]:
            try:
                document = Document(record.text)
                extraction = detector.extract(document)
            except Exception as error:  # a failing feature must not take the rest of the dump with it
                reason = f"scoring failed: {type(error).__name__}: {error}"
                errors.append((position, _error_row(source, line, record.id, reason)))
                continue
            documents.append(document)
            extractions.append(extraction)
            batch.append((position, record, source, line))
        reports.extend(detector.reports(documents, extractions, [record.id for _, record, _, _ in batch]))
        scored.extend(batch)

    rows: list[bytes] = []
    notes: list[str] = []
    flagged = text_bytes = 0
    for (position, record, source, line), report in zip(scored, reports):
        row = make_row(report, record.meta)
        try:
            encoded = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
        except (TypeError, ValueError) as error:  # UnicodeEncodeError: a surrogate in some metadata field
            errors.append((position, _error_row(source, line, record.id, f"cannot write its row: {error}")))
            continue
        for hook_index, hook in enumerate(job.hooks):
            note = hook.observe(record.id, record.text, row)
            if note is not None:
                notes.append(json.dumps([len(rows), position, hook_index, note], ensure_ascii=False) + "\n")
        rows.append(encoded)
        flagged += bool(report["flagged"])
        text_bytes += record.size
    if chunk.tail_error:
        tail_line = chunk.first_line + len(chunk.items) if chunk.kind == "lines" else None
        errors.append((len(chunk.items), _error_row(chunk.source, tail_line, None, chunk.tail_error)))
    errors.sort(key=lambda item: item[0])
    return ChunkResult(
        chunk.shard,
        chunk.index,
        b"".join(rows),
        "".join(json.dumps(e, ensure_ascii=False) + "\n" for _, e in errors).encode("utf-8"),
        "".join(notes).encode("utf-8"),
        {
            "documents": len(rows),
            "flagged": flagged,
            "errors": len(errors),
            "text_bytes": text_bytes,
            "input_bytes": sum(len(item) for item in chunk.items),
            "seconds": round(time.perf_counter() - started, 4),
            "cpu_seconds": round(time.process_time() - started_cpu, 4),
        },
        chunk.progress,
    )


# --- engines ------------------------------------------------------------------------


class _Finished:
    def __init__(self, value: ChunkResult) -> None:
        self.value = value

    def result(self) -> ChunkResult:
        return self.value


class SerialEngine:
    """Score in this process: one core, no start-up cost."""

    name = "serial"

    def __init__(self, job: Job) -> None:
        self.job = job
        self.workers = 1
        self.window = 1  # nothing runs ahead in this process

    def submit(self, chunk: Chunk):
        return _Finished(score_chunk(self.job, chunk))

    def close(self, abort: bool = False) -> None:
        pass


def _warm_up(ref: ModelRef) -> None:
    detector_for(ref)


class LocalEngine:
    """Score on `workers` local processes (joblib's loky), each loading the model once."""

    name = "local"

    def __init__(self, job: Job, workers: int) -> None:
        from joblib.externals.loky import get_reusable_executor

        self.job = job
        self.workers = workers
        self.window = 2 * workers + 1  # chunks in flight: every worker busy, memory bounded
        self.executor = get_reusable_executor(
            max_workers=workers, initializer=_warm_up, initargs=(job.model,), env=SINGLE_THREADED, timeout=60
        )

    def submit(self, chunk: Chunk):
        return self.executor.submit(score_chunk, self.job, chunk)

    def close(self, abort: bool = False) -> None:
        self.executor.shutdown(wait=not abort, kill_workers=abort)


def start_engine(job: Job, engine: str, workers: int, scheduler: str | None = None):
    if engine == "dask":
        try:
            from .cluster import DaskEngine
        except ImportError:
            raise EngineError("--engine dask needs Dask; install it with: pip install 'mtdetect[dask]'") from None
        return DaskEngine(job, workers, scheduler)
    if workers <= 1:
        return SerialEngine(job)
    return LocalEngine(job, workers)

"""Where chunks are scored: in this process, on local cores (forked processes, or joblib's loky), or on Dask.

Workers get small `Job` and `Chunk` objects and give back finished bytes (the chunk's
rows, errors and hook notes), so the main process only reads lines and writes files.
The model is loaded once per worker process and kept in `_DETECTORS`, keyed by the
SHA-256 of its weights, never once per document or chunk.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import threading
import time
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Protocol

from ..budget import OverBudget, time_budget
from ..memory import cyclic_collector_paused
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

    A hook may instead have `finalize_on(context)` (a `tasks.HookPass`): its post-pass then
    runs as tasks on the scan's engine, each committed in the hook's folder in the parts
    so that a rerun skips it (the copies pass, `copies_tasks`). It returns the same fields.
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
    time_budget: float | None = None  # seconds per record; None: no budget

    @property
    def reserved_fields(self) -> frozenset[str]:
        """Row fields the scan writes itself; input fields of these names are renamed input_<name>."""
        return frozenset(REPORT_KEYS).union(*(hook.fields for hook in self.hooks))


@dataclass
class ChunkResult:
    shard: int
    index: int
    rows: bytes  # JSONL, one row per scored document, in input order
    errors: bytes  # JSONL, one line per record that could not be scored
    notes: bytes  # JSONL of [row, position, hook, note]
    stats: dict = field(default_factory=dict)
    progress: int = 0


def make_row(report: dict, meta: dict, reserved: Iterable[str] = REPORT_KEYS) -> dict:
    """The report with the input record's other fields passed through.

    An input field whose name the scan writes itself (score, model, relation, copy_of,
    ...) keeps its value as `input_<name>`, so an input cannot forge a verdict.
    """
    reserved = set(reserved)
    row = {"id": report["id"], "score": report["score"], "flagged": report["flagged"]}
    for key, value in meta.items():
        row[_input_name(key, reserved, meta) if key in reserved else key] = value
    for key in ("threshold", "paragraph_threshold", "false_positive_rate", "model", "reasons", "paragraphs"):
        if key in report:
            row[key] = report[key]
    return row


def _input_name(key: str, reserved: set[str], meta: dict) -> str:
    """input_<key>, with more underscores if the input has a field of that name too."""
    name = f"input_{key}"
    while name in meta or name in reserved:
        name = "input_" + name
    return name


def printable_id(value):
    """An id as it can be written to UTF-8 JSON: unpaired surrogates become \\udXXX escapes."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def _error_row(source: str, line: int | None, id, reason: str) -> dict:
    return {"source": source, "line": line, "id": printable_id(id), "reason": reason}


def json_line(value) -> bytes:
    """One JSON line in UTF-8; NaN and infinities are refused (they are not JSON)."""
    return (json.dumps(value, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def _error_line(error: dict) -> bytes:
    try:
        return json_line(error)
    except ValueError:  # a reason quoting undecodable text: escape it rather than lose the record
        return (json.dumps(error, ensure_ascii=True) + "\n").encode("ascii")


INTERNAL_ERROR = "internal error while scoring ({error}); the rest of the scan went on; please report this to the mtdetect maintainers with the record"


def score_chunk(job: Job, chunk: Chunk) -> ChunkResult:
    """Decode, score and serialise one chunk; every record ends as a row or an error."""
    with cyclic_collector_paused():
        return _score_chunk(job, chunk)


def _decode_item(job: Job, chunk: Chunk, position: int, raw: bytes) -> tuple[str, int | None, Record | BadRecord | None]:
    """(source, line, the decoded record) of one item; never raises."""
    if chunk.kind == "lines":
        source, line = chunk.source, chunk.first_line + position
    else:
        source, line = chunk.paths[position], None
    if position in chunk.unreadable:
        return source, line, BadRecord(source if chunk.kind == "files" else None, chunk.unreadable[position])
    try:
        if chunk.kind == "lines":
            return source, line, decode_line(raw, job.fields)
        return source, line, decode_file(raw, source, job.fields)
    except Exception as error:  # a reader bug must cost one record, not the chunk
        return source, line, BadRecord(None, INTERNAL_ERROR.format(error=f"{type(error).__name__}: {error}"))


def _extract_within_budget(job: Job, detector: Detector, record: Record):
    """(Document, extraction), or the reason it could not be had in time or at all."""
    try:
        with time_budget(job.time_budget):
            document = Document.read_plain(record.text)  # split once, as the model reads it
            return document, detector.extract(document), None
    except OverBudget as over:
        return None, None, f"{over}; split the article, or raise --time-budget"
    except RecursionError:
        return None, None, "the text is structured too deeply to analyse"
    except Exception as error:  # a failing feature must not take the rest of the dump with it
        return None, None, INTERNAL_ERROR.format(error=f"{type(error).__name__}: {error}")


def _reports(detector: Detector, documents: list, extractions: list, ids: list) -> list[dict | str]:
    """The reports of a batch; if the batch call fails, each document alone, so only the culprit is lost."""
    try:
        return detector.reports(documents, extractions, ids)
    except Exception:
        pass
    reports: list[dict | str] = []
    for document, extraction, id in zip(documents, extractions, ids):
        try:
            reports.append(detector.report(document, extraction, id))
        except Exception as error:
            reports.append(INTERNAL_ERROR.format(error=f"{type(error).__name__}: {error}"))
    return reports


def _score_chunk(job: Job, chunk: Chunk) -> ChunkResult:
    started, started_cpu = time.perf_counter(), time.process_time()
    detector = detector_for(job.model)
    errors: list[tuple[int, dict]] = []  # (item index, error row), sorted at the end
    records: list[tuple[int, Record, str, int | None]] = []
    for position, raw in enumerate(chunk.items):
        source, line, decoded = _decode_item(job, chunk, position, raw)
        if decoded is None:
            continue  # a blank line is not a record
        if isinstance(decoded, BadRecord):
            errors.append((position, _error_row(source, line, decoded.id, decoded.reason)))
        else:
            records.append((position, decoded, source, line))

    scored, reports = [], []
    for start in range(0, len(records), REPORT_BATCH):
        documents, extractions, batch = [], [], []
        for position, record, source, line in records[start : start + REPORT_BATCH]:
            document, extraction, problem = _extract_within_budget(job, detector, record)
            if problem is not None:
                errors.append((position, _error_row(source, line, record.id, problem)))
                continue
            documents.append(document)
            extractions.append(extraction)
            batch.append((position, record, source, line))
        reports.extend(_reports(detector, documents, extractions, [record.id for _, record, _, _ in batch]))
        scored.extend(batch)

    rows: list[bytes] = []
    notes: list[str] = []
    flagged = text_bytes = 0
    reserved = job.reserved_fields
    for (position, record, source, line), report in zip(scored, reports):
        if isinstance(report, str):
            errors.append((position, _error_row(source, line, record.id, report)))
            continue
        try:
            row = make_row(report, record.meta, reserved)
            encoded = json_line(row)
            row_notes = [
                json.dumps([len(rows), position, hook_index, note], ensure_ascii=False, allow_nan=False) + "\n"
                for hook_index, hook in enumerate(job.hooks)
                if (note := hook.observe(record.id, record.text, row)) is not None
            ]
        except (TypeError, ValueError, RecursionError) as error:  # e.g. a score that is not a number
            errors.append((position, _error_row(source, line, record.id, f"cannot write its row: {error}")))
            continue
        except Exception as error:
            errors.append((position, _error_row(source, line, record.id, INTERNAL_ERROR.format(error=f"{type(error).__name__}: {error}"))))
            continue
        notes.extend(row_notes)
        rows.append(encoded)
        flagged += bool(report["flagged"])
        text_bytes += record.size
    if chunk.tail_error:
        tail_line = chunk.first_line + len(chunk.items) if chunk.kind == "lines" else None
        errors.append((len(chunk.items), _error_row(chunk.source, tail_line, None, chunk.tail_error)))
    errors.sort(key=lambda item: item[0])
    # "r" (a row) or "e" (an error) per record in input order, the tail error left out: how the
    # two parts interleave, for outputs that need one line per input record (dolma attributes).
    written = {position for (position, *_), _ in zip(scored, reports)} - {position for position, _ in errors}
    order = sorted([(p, "r") for p in written] + [(p, "e") for p, _ in errors if p < len(chunk.items)])
    return ChunkResult(
        chunk.shard,
        chunk.index,
        b"".join(rows),
        b"".join(_error_line(e) for _, e in errors),
        "".join(notes).encode("utf-8"),
        {
            "documents": len(rows),
            "flagged": flagged,
            "errors": len(errors),
            "text_bytes": text_bytes,
            "input_bytes": sum(len(item) for item in chunk.items),
            "seconds": round(time.perf_counter() - started, 4),
            "cpu_seconds": round(time.process_time() - started_cpu, 4),
            "digest": chunk.digest,
            "order": "".join(kind for _, kind in order),
            "passed_over": chunk.passed_over,
        },
        chunk.progress,
    )


# --- engines ------------------------------------------------------------------------


class _Finished:
    def __init__(self, value) -> None:
        self.value = value

    def result(self):
        return self.value


class GuardedEngine:
    """An engine that never lets one record stop a scan for good.

    A chunk whose worker died (the local pool breaks: BrokenExecutor; Dask's KilledWorker) is scored
    again one record per task in local worker processes, so the record that kills a
    worker costs that record only. The serial engine scores in this very process, so a
    record that kills it would kill the scan, and the rerun would die on the same chunk. So before the serial engine scores a chunk it leaves a `.started` marker
    (removed when the chunk is committed); a rerun finds the markers of chunks that
    never finished and scores those one record at a time in a worker process, where a
    death costs the record, not the scan.
    """

    def __init__(self, engine, store, suspects: set[tuple[int, int]]) -> None:
        self.engine = engine
        self.store = store
        self.suspects = suspects
        self.name, self.workers, self.window = engine.name, engine.workers, engine.window
        self.isolating = engine if hasattr(engine, "rescore_alone") else None

    def submit(self, chunk: Chunk):
        key = (chunk.shard, chunk.index)
        if key in self.suspects:
            return _Finished(self.rescore_alone(chunk))
        if self.engine.name == "serial":
            self.store.mark_started(*key)
        return self.engine.submit(chunk)

    def run(self, function: Callable, *args):
        """Any other task (e.g. a hook's post-pass) on the same workers; a future."""
        return self.engine.run(function, *args)

    def rescore_alone(self, chunk: Chunk) -> ChunkResult:
        """The chunk scored one record per task in local worker processes (the engine's own, if it has them)."""
        if self.isolating is None:  # a local engine isolates on its own pool; others get one here
            self.isolating = LocalEngine(self.engine.job, 1)
        return self.isolating.rescore_alone(chunk)

    def close(self, abort: bool = False) -> None:
        if self.isolating is not None and self.isolating is not self.engine:
            self.isolating.close(abort)
        self.engine.close(abort)


class SerialEngine:
    """Score in this process: one core, no start-up cost."""

    name = "serial"

    def __init__(self, job: Job) -> None:
        self.job = job
        self.workers = 1
        self.window = 1  # nothing runs ahead in this process

    def submit(self, chunk: Chunk):
        return _Finished(score_chunk(self.job, chunk))

    def run(self, function: Callable, *args):
        return _Finished(function(*args))

    def close(self, abort: bool = False) -> None:
        pass


def _warm_up(ref: ModelRef) -> None:
    detector_for(ref)


def _warm_up_forked(ref: ModelRef) -> None:
    """A forked worker has the model already; it only keeps BLAS to one thread (set up before the fork)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    detector_for(ref)


def _can_fork() -> bool:
    # Linux only: macOS's system libraries do not survive a fork, and Windows has none.
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


class LocalEngine:
    """Score on `workers` local processes, each holding the model once.

    On Linux the workers are forked from this process, which has loaded the model and its
    word tables: a worker starts in milliseconds, where a fresh interpreter spends about
    three seconds importing scikit-learn and loading them (a tenth of a 3,000-document scan
    on two cores). This process has no other threads running when it forks. Elsewhere the
    workers are joblib's loky processes, each loading the model itself.

    When a worker process dies (killed for memory, or a crash inside a library), the
    chunks it may have held are scored again one record per task, so only the record
    that kills a worker is lost (reported as an error) and a rerun is not stuck on it.
    """

    name = "local"

    def __init__(self, job: Job, workers: int) -> None:
        self.job = job
        self.workers = workers
        self.window = 2 * workers + 1  # chunks in flight: every worker busy, memory bounded
        self.pool = None
        self._executor()

    def _executor(self):
        """The pool, started again (workers started, model loaded) only when the old one broke."""
        if self.pool is None:
            if _can_fork():
                self.pool = ProcessPoolExecutor(
                    self.workers, mp_context=multiprocessing.get_context("fork"), initializer=_warm_up_forked, initargs=(self.job.model,)
                )
            else:
                from joblib.externals.loky import get_reusable_executor

                self.pool = get_reusable_executor(
                    max_workers=self.workers, initializer=_warm_up, initargs=(self.job.model,), env=SINGLE_THREADED, timeout=60
                )
        return self.pool

    def submit(self, chunk: Chunk):
        try:
            return self._executor().submit(score_chunk, self.job, chunk)
        except (BrokenExecutor, RuntimeError):  # the pool broke since the last chunk
            self.pool = None
            return self._executor().submit(score_chunk, self.job, chunk)

    def run(self, function: Callable, *args):
        try:
            return self._executor().submit(function, *args)
        except (BrokenExecutor, RuntimeError):
            self.pool = None
            return self._executor().submit(function, *args)

    def rescore_alone(self, chunk: Chunk) -> ChunkResult:
        """Score a chunk whose worker died, one record per task, each death costing one record."""
        self.pool = None  # the pool that lost a worker is broken
        parts: list[ChunkResult | None] = []
        for single in split_records(chunk):
            try:
                parts.append(self._executor().submit(score_chunk, self.job, single).result())
            except BrokenExecutor:
                parts.append(None)
                self.pool = None
        return merge_results(chunk, parts)

    def close(self, abort: bool = False) -> None:
        if self.pool is None:
            return
        if not isinstance(self.pool, ProcessPoolExecutor):
            self.pool.shutdown(wait=not abort, kill_workers=abort)
            return
        if abort:  # an interrupted scan keeps nothing the workers hold: stop them now, not after their chunks
            # The pool's processes are private (Python 3.14 adds terminate_workers for this).
            for process in list((getattr(self.pool, "_processes", None) or {}).values()):
                process.terminate()
        self.pool.shutdown(wait=not abort, cancel_futures=abort)


WORKER_DIED = (
    "the worker process died while scoring this record (out of memory, or a crash in a library); "
    "the rest of the scan went on; please report this to the mtdetect maintainers with the record"
)


def split_records(chunk: Chunk) -> list[Chunk]:
    """The chunk as chunks of one record each (same shard and index; lines numbered as in the chunk)."""
    singles = []
    for position, item in enumerate(chunk.items):
        singles.append(
            Chunk(
                chunk.shard,
                chunk.index,
                chunk.kind,
                chunk.source,
                chunk.first_line + position if chunk.kind == "lines" else 0,
                [item],
                [chunk.paths[position]] if chunk.paths else None,
                {0: chunk.unreadable[position]} if position in chunk.unreadable else {},
            )
        )
    return singles


def merge_results(chunk: Chunk, parts: list[ChunkResult | None]) -> ChunkResult:
    """One ChunkResult for `chunk` from the results of its one-record chunks (None: the worker died)."""
    rows, errors, notes = [], [], []
    stats = {key: 0 for key in ("documents", "flagged", "errors", "text_bytes", "input_bytes", "seconds", "cpu_seconds")}
    order = []
    for position, part in enumerate(parts):
        order.append("e" if part is None else part.stats.get("order", ""))
        if part is None:
            source, line = (chunk.source, chunk.first_line + position) if chunk.kind == "lines" else (chunk.paths[position], None)
            errors.append(_error_line(_error_row(source, line, None if chunk.kind == "lines" else source, WORKER_DIED)))
            stats["errors"] += 1
            stats["input_bytes"] += len(chunk.items[position])
            continue
        for line in part.notes.splitlines():
            row, _, hook, note = json.loads(line)
            notes.append(json.dumps([row + stats["documents"], position, hook, note], ensure_ascii=False) + "\n")
        rows.append(part.rows)
        errors.append(part.errors)
        for key in stats:
            stats[key] += part.stats[key]
    if chunk.tail_error:
        tail_line = chunk.first_line + len(chunk.items) if chunk.kind == "lines" else None
        errors.append(_error_line(_error_row(chunk.source, tail_line, None, chunk.tail_error)))
        stats["errors"] += 1
    stats["digest"] = chunk.digest
    stats["order"] = "".join(order)
    stats["passed_over"] = chunk.passed_over
    return ChunkResult(chunk.shard, chunk.index, b"".join(rows), b"".join(errors), "".join(notes).encode("utf-8"), stats, chunk.progress)


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

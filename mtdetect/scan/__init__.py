"""Batch scanning of news dumps: streaming, resumable, on local cores or on Dask.

    from mtdetect.scan import ScanOptions, scan
    summary = scan(["dump-00.jsonl.gz", "dump-01.jsonl.gz"], ScanOptions(output="out.jsonl", jobs=4))

How it goes: the inputs are found and split into shards (`readers`); each shard is cut
into chunks of at most `chunk_records` records, the same cut on every run; an engine
(`engines`, `cluster`) scores chunks in worker processes, a bounded number at a time, so
memory does not grow with the dump; each finished chunk is committed atomically into
the parts folder `OUT.parts` (`writers`). When every chunk is in, optional hooks run
their post-pass, the parts are assembled into the outputs, the errors file and the
summary are written, and the parts folder is removed. A scan that is killed and run
again with the same command skips the committed chunks, so every record ends up
exactly once, either as a row or as an error.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import sys
import time
from collections import deque
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import chain
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from .. import __version__
from ..budget import DEFAULT_SECONDS
from ..inputs import MAX_BYTES
from ..model import Detector, ModelError, load
from .engines import EngineError, GuardedEngine, Job, ModelRef, RowKey, ScanHook, remember, start_engine
from .tasks import HookPass, TaskRunner
from .readers import STDIN, Fields, Record, ScanInputError, Shard, chunks, decode_file, decode_line, discover, printable
from .writers import (
    FORMATS,
    STDIN_SPOOL,
    TEMPORARY_MARK,
    PartStore,
    ScanLock,
    ScanLocked,
    atomic_file,
    concatenate,
    format_from_name,
    open_writer,
    parquet_available,
    remove_leftovers,
    remove_tree,
    suffix_for,
    write_json_atomic,
)

MANIFEST_VERSION = 2  # 2: inputs known by a content fingerprint, chunks by a digest
OUTPUT_SUFFIXES = (".jsonl.gz", ".ndjson.gz", ".json.gz", ".jsonl", ".ndjson", ".json", ".csv", ".parquet", ".pq")
DEFAULT_CHUNK_RECORDS = 250  # a quarter to a second of work: many chunks per worker, little lost when killed
DEFAULT_CHUNK_BYTES = 4 << 20  # also keeps each task message small for Dask


class ScanError(Exception):
    """A scan that cannot start or go on; the message says what to do."""


@dataclass(frozen=True)
class ScanOptions:
    output: str
    format: str | None = None  # jsonl, csv or parquet; default: from the output's suffix
    text_field: str | None = None
    id_field: str | None = None
    keep_fields: tuple[str, ...] = ()  # bulky input fields (readers.BULKY_FIELDS) to copy into rows all the same
    dolma_experiment: str = "mtdetect"  # --format dolma-attributes: the <experiment> of the attribute names
    jobs: int = 1  # -1: every core
    engine: str = "local"  # local (joblib) or dask
    scheduler: str | None = None  # a Dask scheduler address; none: a local Dask cluster
    shard: tuple[int, int] | None = None  # (i, n), 1-based: this machine's share of the chunks
    overwrite: bool = False
    chunk_records: int = DEFAULT_CHUNK_RECORDS
    chunk_bytes: int = DEFAULT_CHUNK_BYTES
    model_path: str | None = None
    trust_model: bool = False
    max_record_bytes: int = MAX_BYTES  # a longer record goes to the errors unread
    time_budget: float | None = DEFAULT_SECONDS  # per record, in a worker; None: no budget

    @property
    def workers(self) -> int:
        return (os.cpu_count() or 1) if self.jobs < 1 else self.jobs


@dataclass(frozen=True)
class Layout:
    """Where one scan writes: OUT (a file, or a folder mirroring the input shards) and its companions."""

    output: Path
    folder: bool
    format: str
    experiment: str = "mtdetect"  # dolma attribute names: <experiment>__mtdetect__<type>

    @property
    def parts(self) -> Path:
        return self._beside(".parts")

    @property
    def errors(self) -> Path:
        return self._beside(".errors.jsonl")

    @property
    def summary(self) -> Path:
        return self._beside(".summary.json")

    def _beside(self, suffix: str) -> Path:
        """OUT.jsonl -> OUT<suffix>: the companions are named after the output without its format suffix."""
        name = self.output.name
        for known in OUTPUT_SUFFIXES:
            if name.lower().endswith(known) and len(name) > len(known):
                name = name[: -len(known)]
                break
        return self.output.with_name(name + suffix)

    def target(self, shard: Shard) -> Path:
        """The output file of a shard in an output folder."""
        return self.output / (shard.name + suffix_for(self.format))

    def own_paths(self) -> set[Path]:
        return {self.output, self.parts, self.errors, self.summary}


def layout(options: ScanOptions) -> Layout:
    output = options.output
    if output == "-":
        raise ScanError("--output must be a file or a folder: a scan keeps its progress beside its output")
    folder = output.endswith(("/", os.sep)) or Path(output).is_dir()
    fmt = options.format or (None if folder else format_from_name(output)) or "jsonl"
    if fmt not in FORMATS:
        raise ScanError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "parquet" and not parquet_available():
        raise ScanError("Parquet output needs pyarrow; install it with: pip install 'mtdetect[parquet]'")
    plan = Layout(Path(output.rstrip("/" + os.sep) or output), folder, fmt, options.dolma_experiment)
    _check_output_kind(output, plan)
    return plan


def _check_output_kind(given: str, plan: Layout) -> None:
    """OUT must be a regular file or a folder: a scan replaces its output by renaming onto it."""
    try:
        mode = os.stat(plan.output).st_mode
    except OSError:
        return  # does not exist yet
    if plan.folder and not stat.S_ISDIR(mode):
        raise ScanError(f"--output {given}: ends with '/' (a folder) but is a file; drop the '/' to write that file, or choose another folder")
    if not plan.folder and not stat.S_ISREG(mode):
        raise ScanError(f"--output {given}: is a device or special file, not a file a scan can write; choose a file or a folder")


@dataclass
class _ThisRun:
    """What this run (not earlier, interrupted ones) did."""

    documents: int = 0
    flagged: int = 0
    errors: int = 0
    text_bytes: int = 0
    chunks: int = 0
    worker_cpu_seconds: float = 0.0
    engine: str = "serial"
    workers: int = 1
    startup_seconds: float | None = None

    def add(self, stats: dict) -> None:
        self.documents += stats["documents"]
        self.flagged += stats["flagged"]
        self.errors += stats["errors"]
        self.text_bytes += stats["text_bytes"]
        self.chunks += 1
        self.worker_cpu_seconds += stats["cpu_seconds"]


def scan(
    inputs: Sequence[str],
    options: ScanOptions,
    detector: Detector | None = None,
    hooks: Sequence[ScanHook] = (),
    progress: bool = False,
) -> dict:
    """Scan the inputs into the options' output and return the summary (also written as OUT.summary.json).

    `detector` is the already loaded model of `options.model_path` (loaded here if not given).
    """
    started = time.perf_counter()
    _check_shard_option(options.shard)
    plan = layout(options)
    if detector is None:
        try:
            detector = load(options.model_path, trust=options.trust_model)
        except ModelError as error:
            raise ScanError(str(error)) from None
    model = ModelRef(options.model_path, options.trust_model or options.model_path is None, detector.card.get("sha256", "unsaved"))
    remember(model, detector)
    try:
        lock = ScanLock(plan.parts).acquire()
    except ScanLocked as error:
        raise ScanError(f"{plan.output}: {error}; wait for it to finish, or choose another --output") from None
    except OSError as error:
        raise ScanError(os_problem(error)) from None
    try:
        return _scan_locked(inputs, options, detector, hooks, progress, started, plan, model)
    except OSError as error:  # a full disk, a read-only folder: one line, the finished chunks kept
        raise ScanError(os_problem(error)) from None
    finally:
        lock.release()


def os_problem(error: OSError) -> str:
    """One line for an operating-system error while scanning, saying what to do."""
    where = printable(str(error.filename)) if error.filename else "the output"
    if error.errno == errno.ENOSPC:
        hint = "free some space or choose another --output, then run the same command again (finished chunks are kept)"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "choose an --output in a folder you can write to"
    elif error.errno in (errno.ENOTDIR, errno.EISDIR, errno.EEXIST):
        hint = "a file stands where a folder should be (or the other way round); choose another --output"
    else:
        hint = "check the output path and its disk"
    return f"{where}: {error.strerror or error}; {hint}"


def _spool_stdin(parts: Path) -> str:
    """Copy stdin into the parts folder: the copies pass reads texts a second time, which stdin cannot give."""
    spool = parts / STDIN_SPOOL
    with atomic_file(spool) as handle:
        shutil.copyfileobj(sys.stdin.buffer, handle, 1 << 20)
    return str(spool)


def _scan_locked(inputs, options: ScanOptions, detector: Detector, hooks, progress: bool, started: float, plan: Layout, model: ModelRef) -> dict:
    spool = _spool_stdin(plan.parts) if STDIN in inputs else None
    try:
        shards, ignored, skipped = discover(list(inputs), exclude=plan.own_paths(), stdin_spool=spool)
    except ScanInputError as error:
        raise ScanError(str(error)) from None
    _check_outputs_apart(plan, shards)
    fields = Fields.choose(options.text_field, options.id_field, options.keep_fields)
    _check_chosen_fields(shards, options)
    manifest = {
        "version": MANIFEST_VERSION,
        "inputs": [shard.identity() for shard in shards],
        "text_fields": list(fields.text),
        "id_fields": list(fields.id),
        "keep_fields": list(fields.keep),
        "chunk_records": options.chunk_records,
        "chunk_bytes": options.chunk_bytes,
        "max_record_bytes": options.max_record_bytes,
        "shard": list(options.shard) if options.shard else None,
        "model": model.sha256,
        "output": str(plan.output),
        "folder": plan.folder,
        "format": plan.format,
        "hooks": [hook.name for hook in hooks],
    }
    store = PartStore(plan.parts)
    _clean_leftovers(plan)
    finished = _prepare(plan, store, manifest, shards, options.overwrite)
    if finished is not None:
        finished["already_complete"] = True
        return finished

    done = store.done_chunks()
    resumed = len(done)
    run = _ThisRun()
    engines = _Engines(Job(model, fields, tuple(hooks), options.time_budget), options, store, run)
    try:
        _run(engines, options, shards, store, done, progress, started, run)
        context = _HookContext(plan, store, done, engines, lambda: _all_chunks(shards, options), fields)
        outputs = _assemble(plan, store, shards, done, hooks, _fetcher(shards, options, fields), context)
    except BaseException as error:
        engines.close(abort=True)
        store.clear_started()  # stopping alive (Ctrl-C, a full disk): no record is to blame
        if isinstance(error, BrokenExecutor) or type(error).__name__ == "KilledWorker":
            raise ScanError(
                f"a worker process died ({type(error).__name__}: out of memory, or killed); "
                "the finished chunks are kept: run the same command again to resume"
            ) from None
        raise
    engines.close()
    totals = {key: sum(stats[key] for stats in done.values()) for key in ("documents", "flagged", "errors", "text_bytes", "input_bytes")}
    wall = time.perf_counter() - started
    summary = {
        "documents": totals["documents"],
        "flagged": totals["flagged"],
        "errors": totals["errors"],
        "records": totals["documents"] + totals["errors"],
        # WARC response records that are not HTML pages (images, PDFs, robots.txt): not articles, not errors
        "passed_over": sum(stats.get("passed_over", 0) for stats in done.values()),
        "text_mb": round(totals["text_bytes"] / 1e6, 3),
        "input_mb": round(totals["input_bytes"] / 1e6, 3),
        "wall_seconds": round(wall, 3),
        "startup_seconds": round(run.startup_seconds or 0.0, 3),
        "mb_per_second": round(run.text_bytes / 1e6 / wall, 3),
        "documents_per_second": round(run.documents / wall, 1),
        # Text scored per CPU-second of scoring: a per-core speed that other load on the machine hardly changes.
        "mb_per_cpu_second": round(run.text_bytes / 1e6 / run.worker_cpu_seconds, 3) if run.worker_cpu_seconds else None,
        "this_run": {
            "documents": run.documents,
            "flagged": run.flagged,
            "errors": run.errors,
            "text_bytes": run.text_bytes,
            "chunks": run.chunks,
            "resumed_chunks": resumed,
            "worker_cpu_seconds": round(run.worker_cpu_seconds, 3),
        },
        "engine": run.engine,
        "workers": run.workers,
        "model": detector.signature,
        "output": str(plan.output),
        "outputs": [str(path) for path in outputs],
        "errors_file": str(plan.errors),
        "summary_file": str(plan.summary),
        "inputs": [shard.source for shard in shards],
        "ignored_files": ignored,
        "skipped": [{"source": item.source, "reason": item.reason} for item in skipped],
        "shard": f"{options.shard[0]}/{options.shard[1]}" if options.shard else None,
        "mtdetect": __version__,
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "scan": manifest,
    }
    for hook in hooks:  # e.g. the story groups of the copies pass
        report = hook.summary() if hasattr(hook, "summary") else {}
        if report:
            summary[hook.name] = report
            summary["flagged"] += report.get("flagged_by_copies", 0)
    write_json_atomic(plan.summary, summary)
    remove_tree(plan.parts)
    summary["already_complete"] = False
    return summary


class _Engines:
    """The scan's engine, started when there is a first task for it and kept for the hooks' post-passes."""

    def __init__(self, job: Job, options: ScanOptions, store: PartStore, run: _ThisRun) -> None:
        self.job, self.options, self.store, self.run = job, options, store, run
        self.engine = None

    def get(self) -> GuardedEngine:
        if self.engine is None:
            try:
                self.engine = GuardedEngine(start_engine(self.job, self.options.engine, self.options.workers, self.options.scheduler), self.store, self.store.started_chunks())
            except EngineError as error:
                raise ScanError(str(error)) from None
            self.run.engine, self.run.workers = self.engine.name, self.engine.workers
        return self.engine

    def close(self, abort: bool = False) -> None:
        if self.engine is not None:
            self.engine.close(abort=abort)
            self.engine = None


def _run(engines: _Engines, options: ScanOptions, shards: list[Shard], store: PartStore, done: dict, progress: bool, started: float, run: _ThisRun) -> None:
    """Score every chunk not done yet and commit each as it finishes."""
    bar = _progress_bar(shards, progress)
    work = _chunks_to_do(shards, options, done, bar)
    try:
        first = next(work, None)
        if first is None:
            return  # nothing left to score: no engine to start
        engine = engines.get()
        for result in _in_order(engine, chain([first], work), window=engine.window):
            if run.startup_seconds is None:  # workers starting and loading the model, roughly
                run.startup_seconds = max(0.0, time.perf_counter() - started - result.stats["seconds"])
            store.commit(result.shard, result.index, result.rows, result.errors, result.notes, result.stats)
            done[(result.shard, result.index)] = result.stats
            run.add(result.stats)
            bar.update(result.progress)
            bar.set_postfix(docs=run.documents, flagged=run.flagged, refresh=False)
    finally:
        bar.close()


def _check_shard_option(shard: tuple[int, int] | None) -> None:
    if shard is not None and not (shard[1] >= 1 and 1 <= shard[0] <= shard[1]):
        raise ScanError(f"--shard {shard[0]}/{shard[1]}: give I/N with 1 <= I <= N, e.g. --shard 1/4")


def parse_shard(text: str) -> tuple[int, int]:
    """'2/8' -> (2, 8)."""
    try:
        left, right = text.split("/")
        shard = (int(left), int(right))
    except ValueError:
        raise ScanError(f"--shard {text!r}: give I/N, e.g. --shard 1/4 on the first of four machines") from None
    _check_shard_option(shard)
    return shard


def _check_outputs_apart(plan: Layout, shards: list[Shard]) -> None:
    """Refuse to start when anything the scan writes would land on an input or outside OUT.

    Inputs are read-only: an output, a shard's file in an output folder or a companion
    file (errors, summary, parts) that resolves to an input file must never be written.
    """
    inputs = {os.path.realpath(name) for shard in shards for name in (shard.path, *shard.files) if name}
    written = list(plan.own_paths())
    if plan.folder:
        root = os.path.realpath(plan.output)
        for shard in shards:
            target = plan.target(shard)
            if os.path.commonpath([root, os.path.realpath(target)]) != root:
                raise ScanError(f"{shard.source}: its output {target} would land outside {plan.output}; scan it separately")
            written.append(target)
    for path in written:
        if os.path.realpath(path) in inputs:
            raise ScanError(f"{path} is one of the inputs and would be overwritten; choose another --output")


def _clean_leftovers(plan: Layout) -> None:
    remove_leftovers(plan.output.parent, plan.output.name)
    remove_leftovers(plan.output.parent, plan.parts.name.removesuffix(".parts"))
    if plan.folder and plan.output.is_dir():
        for entry in plan.output.rglob(f"*{TEMPORARY_MARK}*"):
            entry.unlink(missing_ok=True)


def _prepare(plan: Layout, store: PartStore, manifest: dict, shards: list[Shard], overwrite: bool) -> dict | None:
    """Start, resume, or find the scan already complete (its summary is returned)."""
    if overwrite:
        store.create(manifest)
        return None
    reads_stdin = any(shard.source == STDIN for shard in shards)
    if store.exists():
        if store.manifest() != manifest and reads_stdin:
            store.create(manifest)  # other records came in on stdin: nothing to resume, start again
            return None
        if store.manifest() != manifest:
            raise ScanError(
                f"{plan.parts} holds an interrupted scan of other inputs or with other options; "
                "rerun that exact command to finish it, or add --overwrite to start again"
            )
        store.clean_temporary()
        return None
    previous = _read_summary(plan.summary)
    if previous is not None and previous.get("scan") == manifest:
        if all(Path(path).exists() for path in previous.get("outputs", [])):
            return previous
    existing = [plan.output] if not plan.folder else [plan.target(shard) for shard in shards]
    clash = next((path for path in existing if path.exists()), None)
    if clash is not None:
        raise ScanError(f"{clash} already exists; add --overwrite to replace it, or choose another --output")
    store.create(manifest)
    return None


def _read_summary(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _progress_bar(shards: list[Shard], enabled: bool):
    from tqdm import tqdm

    total = sum(shard.size for shard in shards)
    return tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc="scan", disable=not enabled, file=sys.stderr)


def _chunks_to_do(shards, options: ScanOptions, done: dict, bar) -> Iterator:
    """The chunks still to score, in input order; those done before must read as they did then.

    Chunks are numbered across all shards; with --shard i/n this machine takes every
    chunk whose number is i-1 modulo n, so machines share the work without talking.
    """
    # Every shard is read again on a rerun, also those finished before (reading is cheap
    # next to scoring), so every chunk done before is checked against its digest.
    number = 0
    for shard_index, shard in enumerate(shards):
        for chunk in chunks(shard, shard_index, options.chunk_records, options.chunk_bytes, options.max_record_bytes):
            mine = options.shard is None or number % options.shard[1] == options.shard[0] - 1
            number += 1
            key = (shard_index, chunk.index)
            if key in done:
                _check_unchanged(shard, chunk, done[key])
            if not mine or key in done:
                bar.update(chunk.progress)
                continue
            yield chunk


def _check_unchanged(shard: Shard, chunk, stats: dict) -> None:
    """A chunk done by an interrupted scan must read the same now, or its rows would be stale."""
    if stats.get("digest") != chunk.digest:
        where = f"the records from line {chunk.first_line}" if chunk.kind == "lines" else f"the files from {printable(chunk.paths[0])}" if chunk.paths else "its records"
        raise ScanError(
            f"{shard.source}: changed since the interrupted scan ({where} differ); "
            "add --overwrite to scan it again from the start"
        )


def _in_order(engine, work: Iterator, window: int) -> Iterator:
    """Results in submission order, with at most `window` chunks in flight (bounded memory)."""
    pending: deque = deque()
    for chunk in work:
        pending.append((chunk, engine.submit(chunk)))
        while len(pending) >= window:
            yield _result(engine, *pending.popleft())
    while pending:
        yield _result(engine, *pending.popleft())


def _result(engine, chunk, future):
    """A chunk's result; if its worker died, the chunk scored again a record at a time where the engine can."""
    try:
        return future.result()
    except Exception as error:
        died = isinstance(error, BrokenExecutor) or type(error).__name__ == "KilledWorker"
        rescore = getattr(engine, "rescore_alone", None)
        if not died or rescore is None:
            raise
        return rescore(chunk)


@dataclass
class _HookContext:
    """What a hook's post-pass on the engine needs (see tasks.HookPass), made per hook."""

    plan: Layout
    store: PartStore
    done: dict
    engines: _Engines
    chunks: object  # () -> the inputs' chunks again
    fields: Fields

    def for_hook(self, hook_index: int, hook: ScanHook, in_process) -> HookPass:
        notes = [(shard, chunk, str(self.store.path(shard, chunk, "notes")), self.done[(shard, chunk)]["documents"]) for shard, chunk in sorted(self.done)]
        runner = TaskRunner(self.engines.get, self.store.folder / hook.name, remote=self.engines.options.scheduler is not None)
        return HookPass(runner.folder, hook_index, notes, runner, self.chunks, self.fields, in_process)


def _hook_additions(store: PartStore, done: dict, hooks: Sequence[ScanHook], fetch, context: _HookContext | None = None) -> dict[RowKey, dict]:
    additions: dict[RowKey, dict] = {}
    for hook_index, hook in enumerate(hooks):

        def notes(hook_index=hook_index) -> Iterator[tuple[RowKey, object]]:
            for shard, chunk in sorted(done):
                with open(store.path(shard, chunk, "notes"), encoding="utf-8") as handle:
                    for line in handle:
                        _, position, owner, note = json.loads(line)
                        if owner == hook_index:
                            yield (shard, chunk, position), note

        if context is not None and getattr(hook, "finalize_on", None) is not None:
            found = hook.finalize_on(context.for_hook(hook_index, hook, lambda hook=hook, notes=notes: hook.finalize(notes(), fetch)))
        else:
            found = hook.finalize(notes(), fetch)
        for key, fields in found.items():
            additions.setdefault(tuple(key), {}).update(fields)
    return additions


def _all_chunks(shards: list[Shard], options: ScanOptions) -> Iterator:
    """Every chunk of the inputs in input order, cut as for scoring (raw records, not decoded)."""
    for shard_index, shard in enumerate(shards):
        yield from chunks(shard, shard_index, options.chunk_records, options.chunk_bytes, options.max_record_bytes)


FIELD_SAMPLE = 1000  # records looked at for --text-field / --id-field before the scan starts


def _check_chosen_fields(shards: list[Shard], options: ScanOptions) -> None:
    """Stop when no record has the field --text-field or --id-field names, instead of hashing ids or failing every record.

    The first FIELD_SAMPLE records of each JSON shard are looked at; a field that none of
    them has is taken as a typo (WARC pages and loose documents have fixed fields).
    """
    chosen = [(flag, name) for flag, name in (("--text-field", options.text_field), ("--id-field", options.id_field)) if name]
    if not chosen:
        return
    for shard_index, shard in enumerate(shards):
        if shard.kind not in ("lines", "array") or shard.path is None:
            continue
        seen: set[str] = set()
        records = 0
        for chunk in chunks(shard, shard_index, FIELD_SAMPLE, 64 << 20, options.max_record_bytes):
            for raw in chunk.items:
                try:
                    value = json.loads(raw)
                except ValueError:
                    continue  # reported as a bad record by the scan
                if isinstance(value, dict):
                    records += 1
                    seen.update(value)
            break  # the first chunk is the sample
        for flag, name in chosen:
            if records and name not in seen:
                fields = ", ".join(sorted(seen)[:12])
                raise ScanError(
                    f"{shard.source}: {flag} {name}: none of the first {records:,} records has this field "
                    f"(they have: {fields}); check the name"
                )


def _fetcher(shards: list[Shard], options: ScanOptions, fields: Fields):
    """fetch(keys) -> (key, text) for the given rows, read again from the inputs."""

    def fetch(keys: Iterable[RowKey]) -> Iterator[tuple[RowKey, str]]:
        wanted: dict[int, dict[int, set[int]]] = {}
        for shard, chunk, position in keys:
            wanted.setdefault(shard, {}).setdefault(chunk, set()).add(position)
        for shard_index in sorted(wanted):
            shard = shards[shard_index]
            last = max(wanted[shard_index])
            for chunk in chunks(shard, shard_index, options.chunk_records, options.chunk_bytes, options.max_record_bytes):
                for position in sorted(wanted[shard_index].get(chunk.index, ())):
                    raw = chunk.items[position]
                    record = decode_line(raw, fields) if chunk.kind == "lines" else decode_file(raw, chunk.paths[position], fields)
                    if isinstance(record, Record):
                        yield (shard_index, chunk.index, position), record.text
                if chunk.index >= last:
                    break

    return fetch


def _rows_of_positions(store: PartStore, shard: int, chunk: int) -> dict[int, int]:
    """position in the chunk -> row number in its rows part, for rows that have notes."""
    rows = {}
    with open(store.path(shard, chunk, "notes"), encoding="utf-8") as handle:
        for line in handle:
            row, position, _, _ = json.loads(line)
            rows[position] = row
    return rows


def _assemble(plan: Layout, store: PartStore, shards: list[Shard], done: dict, hooks: Sequence[ScanHook], fetch=None, context=None) -> list[Path]:
    """Write the outputs and the errors file from the committed parts, in input order."""
    additions = _hook_additions(store, done, hooks, fetch, context) if hooks else {}
    extra_fields = tuple(dict.fromkeys(name for hook in hooks for name in hook.fields))  # hooks may share a column
    by_shard: dict[int, list[int]] = {}
    for shard, chunk in sorted(done):
        by_shard.setdefault(shard, []).append(chunk)
    by_chunk: dict[tuple[int, int], dict[int, dict]] = {}  # (shard, chunk) -> row number -> fields
    for (shard, chunk, position), fields in additions.items():
        by_chunk.setdefault((shard, chunk), {})[position] = fields
    for (shard, chunk), by_position in by_chunk.items():
        rows = _rows_of_positions(store, shard, chunk)
        by_chunk[(shard, chunk)] = {rows[position]: fields for position, fields in by_position.items() if position in rows}

    def add_shard(writer, shard_index: int) -> None:
        for chunk in by_shard.get(shard_index, []):
            if plan.format == "dolma-attributes":
                order = done[(shard_index, chunk)].get("order")
                if order is None:
                    raise ScanError(f"{plan.output}: chunks finished by an older mtdetect lack the record order dolma attributes need; add --overwrite")
                writer.add_ordered(store.path(shard_index, chunk, "rows"), by_chunk.get((shard_index, chunk)), store.path(shard_index, chunk, "errors"), order)
                continue
            writer.add_jsonl(store.path(shard_index, chunk, "rows"), by_chunk.get((shard_index, chunk)))

    targets = [(plan.output, range(len(shards)))] if not plan.folder else [(plan.target(s), [i]) for i, s in enumerate(shards)]
    for path, members in targets:
        writer = open_writer(path, plan.format, extra_fields, plan.experiment)
        try:
            for shard_index in members:
                add_shard(writer, shard_index)
        except BaseException:
            writer.abort()
            raise
        writer.close()
    plan.errors.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(plan.errors) as handle:
        concatenate((store.path(s, c, "errors") for s, c in sorted(done)), handle)
    return [path for path, _ in targets]


__all__ = ["RowKey", "ScanError", "ScanHook", "ScanOptions", "parse_shard", "scan"]

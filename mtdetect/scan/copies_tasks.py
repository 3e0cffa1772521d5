"""The copies pass of a scan as tasks on the scan's engine (local processes or Dask).

The main process only plans, picks the candidates and settles the groups; the work is in
five stages of tasks, each writing its files into `OUT.parts/copies/` and committed by a
marker (`scan.tasks`), so a killed scan redoes none of the finished tasks:

1. sig-R: the notes of a run of chunks (the signatures the workers computed while scoring)
   become the run's MinHash matrix (r<R>.sig.npy), its row keys, scores, ids, dates and
   headlines, and its band keys and short-line hashes partitioned by hash into P buckets.
2. band-B: bucket B of every run: the pairs within one band key (`copies.shuffle`),
   partitioned again by the pair's hash, and the short lines that many documents share
   (boilerplate). No task holds more than one bucket of the band keys.
3. pairs-Q: partition Q of the pairs of every bucket, each pair once, with its estimated
   Jaccard from the two signatures (read from the runs' matrices); the pairs above
   MIN_JACCARD are kept.
   The main process then keeps each document's best pairs (`shuffle.select_candidates`)
   and orders the pairs so that a document's pairs come together (`index.locality_order`).
4. text-T: the texts of the documents in some pair, read again from the inputs by the
   main process (raw records, as for scoring), decoded and compressed by the workers.
5. decide-D: a batch of pairs in that order: aligned, voted and decided (`index.verify_pair`),
   one JSON line per pair. A batch that kills its worker twice is decided a pair per task;
   a pair that kills its worker is left undecided and named in the summary.

The main process reads the decided pairs back in order and settles relations and story
groups (`index.settle`), as the index does in one process: the same rows come out.
Documents are numbered in input order (the notes' order), as the index numbers them.
"""

from __future__ import annotations

import functools
import json
import math
import os
import time
import uuid
import zlib
from collections import OrderedDict
from pathlib import Path
from typing import Iterator

import numpy as np

from ..copies import shuffle
from ..copies.direction import bundled_direction_at
from ..copies.documents import PreparedDocument
from ..copies.index import PairOutcome, locality_order, settle, verify_pair
from ..copies.tunables import BANDS, MAX_CANDIDATES, MIN_JACCARD, NUM_PERM, PREPARED_KEPT
from ..memory import cyclic_collector_paused
from .readers import Record, decode_file, decode_line
from .tasks import HookPass, worker_died
from .writers import atomic_file, write_json_atomic

PLAN_VERSION = 1
RUN_DOCUMENTS = 20_000  # documents per signature task (chunks are not split)
BUCKET_DOCUMENTS = 25_000  # about this many documents' band keys per bucket: ~16 MB
MIN_BUCKETS, MAX_BUCKETS = 4, 256
TEXT_BATCH = 1_000  # texts decoded per task
PAIR_BATCH = 200  # pairs aligned per task: a few seconds of work


def _timed(function):
    """The task's result with the CPU seconds it took (summed per stage in the summary)."""

    @functools.wraps(function)
    def timed(*args) -> dict:
        started = time.process_time()
        result = function(*args)
        result["cpu_seconds"] = round(time.process_time() - started, 4)
        return result

    return timed


def _save(path: Path, **arrays) -> None:
    with atomic_file(path) as handle:
        np.savez(handle, **arrays)


def _unpack(text: str, dtype) -> np.ndarray:
    import base64

    return np.frombuffer(base64.b64decode(text), dtype=dtype)


# --- 1. signatures of a run of chunks -------------------------------------------------------


@_timed
def signature_task(folder: str, run: int, notes: list[tuple[int, int, str]], hook: int, buckets: int) -> dict:
    folder = Path(folder)
    rowkeys, minhashes, keys, scores, lines, meta = [], [], [], [], [], []
    for shard, chunk, path in notes:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                _, position, owner, note = json.loads(line)
                if owner != hook:
                    continue
                rowkeys.append((shard, chunk, position))
                minhashes.append(_unpack(note["minhash"], np.uint16))
                keys.append(note["keys"])
                scores.append(note["score"])
                lines.append(_unpack(note["lines"], np.uint64))
                meta.append([note["id"], note.get("published"), note["headline"]])
    signatures = np.vstack(minhashes) if minhashes else np.zeros((0, NUM_PERM), dtype=np.uint16)
    short_lines = np.concatenate(lines) if lines else np.zeros(0, dtype=np.uint64)
    write_run(folder, run, signatures, np.asarray(keys, dtype=np.int64), short_lines, buckets, rowkeys, scores, meta)
    return {"documents": len(rowkeys)}


def write_run(folder: Path, run: int, signatures: np.ndarray, keys: np.ndarray, short_lines: np.ndarray, buckets: int,
              rowkeys: list, scores: list, meta: list) -> None:
    """The map side: a run's MinHash matrix, and its band keys and short lines by bucket."""
    with atomic_file(folder / f"r{run:05d}.sig.npy") as handle:
        np.save(handle, signatures)
    usable = shuffle.usable(keys)
    values = shuffle.band_rows(signatures[usable]).reshape(-1)
    # The document as its row in the run: numbered in input order once every run's size is known.
    rows = np.repeat(usable.astype(np.uint32), BANDS)
    bands = shuffle.partition(values, buckets, rows)
    hashes = shuffle.partition(short_lines, buckets)
    arrays = {f"b{b}": bands[b][0] for b in range(buckets)}
    arrays.update({f"d{b}": bands[b][1] for b in range(buckets)})
    arrays.update({f"l{b}": hashes[b][0] for b in range(buckets)})
    _save(folder / f"r{run:05d}.npz", rowkeys=np.asarray(rowkeys, dtype=np.int64).reshape(-1, 3), scores=np.asarray(scores, dtype=np.float64), **arrays)
    with atomic_file(folder / f"r{run:05d}.meta.jsonl", "w") as handle:
        handle.writelines(json.dumps(item, ensure_ascii=False) + "\n" for item in meta)


# --- 2. a bucket of band keys -----------------------------------------------------------------


@_timed
def band_task(folder: str, bucket: int, runs: int, offsets: list[int], buckets: int) -> dict:
    folder = Path(folder)
    offsets = np.asarray(offsets, dtype=np.int64)
    n = int(offsets[-1])
    values, documents, hashes = [], [], []
    for run in range(runs):
        with np.load(folder / f"r{run:05d}.npz") as stored:
            values.append(stored[f"b{bucket}"])
            documents.append(offsets[run] + stored[f"d{bucket}"].astype(np.int64))
            hashes.append(stored[f"l{bucket}"])
    codes = shuffle.bucket_pair_codes(np.concatenate(values), np.concatenate(documents), n)
    parts = shuffle.partition(codes.astype(np.uint64), buckets)
    common = shuffle.boilerplate(np.concatenate(hashes))
    _save(folder / f"b{bucket:04d}.npz", boilerplate=common, **{f"q{q}": parts[q][0].astype(np.int64) for q in range(buckets)})
    return {"pairs": int(codes.size), "boilerplate": int(common.size)}


# --- 3. a partition of pairs: each once, with its estimated Jaccard --------------------------


class _Signatures:
    """Rows of the runs' MinHash matrices by document number, read from their files row by row.

    Read, not memory-mapped: a task touches a few rows of every run, and mapped pages of
    hundreds of MB of signatures would count as its memory.
    """

    def __init__(self, folder: Path, offsets: np.ndarray) -> None:
        self.folder = folder
        self.offsets = offsets
        self.files: dict[int, tuple[int, int]] = {}  # run -> (file descriptor, where its rows start)

    def _file(self, run: int) -> tuple[int, int]:
        if run not in self.files:
            path = self.folder / f"r{run:05d}.sig.npy"
            with open(path, "rb") as handle:
                major, _ = np.lib.format.read_magic(handle)
                (np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0)(handle)
                start = handle.tell()
            self.files[run] = (os.open(path, os.O_RDONLY), start)
        return self.files[run]

    def rows(self, documents: np.ndarray) -> np.ndarray:
        out = np.empty((documents.size, NUM_PERM), dtype=np.uint16)
        width = NUM_PERM * 2
        runs = np.searchsorted(self.offsets, documents, side="right") - 1
        for k, (number, run) in enumerate(zip(documents.tolist(), runs.tolist())):
            descriptor, start = self._file(run)
            out[k] = np.frombuffer(os.pread(descriptor, width, start + (number - int(self.offsets[run])) * width), dtype=np.uint16)
        return out

    def close(self) -> None:
        for descriptor, _ in self.files.values():
            os.close(descriptor)
        self.files.clear()


@_timed
def pairs_task(folder: str, part: int, buckets: int, offsets: list[int], min_jaccard: float) -> dict:
    folder = Path(folder)
    offsets = np.asarray(offsets, dtype=np.int64)
    n = int(offsets[-1])
    found = []
    for bucket in range(buckets):
        with np.load(folder / f"b{bucket:04d}.npz") as stored:
            found.append(stored[f"q{part}"])
    codes = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    signatures = _Signatures(folder, offsets)
    score = np.empty(codes.size)
    try:
        for start in range(0, codes.size, 100_000):
            piece = codes[start : start + 100_000]
            score[start : start + 100_000] = shuffle.similarity(signatures.rows(piece // n), signatures.rows(piece % n))
    finally:
        signatures.close()
    keep = score >= min_jaccard
    _save(folder / f"s{part:04d}.npz", codes=codes[keep], score=score[keep])
    return {"pairs": int(keep.sum())}


# --- 4. texts of the documents in some pair ---------------------------------------------------


@_timed
def text_task(folder: str, batch: int, fields, items: list[tuple[int, str, bytes, str | None]]) -> dict:
    """items: (document number, chunk kind, raw record, its file) -> t<batch>.npz of zlib-compressed texts."""
    numbers, blobs = [], []
    for number, kind, raw, path in items:
        record = decode_line(raw, fields) if kind == "lines" else decode_file(raw, path, fields)
        if isinstance(record, Record):
            numbers.append(number)
            blobs.append(zlib.compress(record.text.encode("utf-8"), 1))
    ends = np.cumsum([len(blob) for blob in blobs], dtype=np.int64)
    _save(Path(folder) / f"t{batch:05d}.npz", numbers=np.asarray(numbers, dtype=np.int64), ends=ends,
          data=np.frombuffer(b"".join(blobs), dtype=np.uint8))
    return {"texts": len(numbers), "unreadable": len(items) - len(numbers)}


class _Texts:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.batches: dict[int, dict[int, bytes]] = {}

    def get(self, number: int, batch: int) -> str:
        if batch not in self.batches:
            with np.load(self.folder / f"t{batch:05d}.npz") as stored:
                data, ends = stored["data"].tobytes(), stored["ends"].tolist()
                starts = [0] + ends[:-1]
                self.batches[batch] = {n: data[s:e] for n, s, e in zip(stored["numbers"].tolist(), starts, ends)}
        blob = self.batches[batch].get(number)
        if blob is None:
            raise RuntimeError(f"document {number} could not be read again from the inputs; did they change during the scan?")
        return zlib.decompress(blob).decode("utf-8")


# --- 5. a batch of pairs: aligned and decided --------------------------------------------------

# Per worker process: the boilerplate of the scan and the documents prepared last, so that
# consecutive batches on one worker do not prepare a document twice (keyed by the pass's token).
_BOILERPLATE: dict[str, frozenset[int]] = {}
_PREPARED: OrderedDict[tuple[str, int], PreparedDocument] = OrderedDict()
MAX_UNDECIDED_LISTED = 20  # pairs named in the summary when workers died on them


def _boilerplate(folder: Path, token: str) -> frozenset[int]:
    if token not in _BOILERPLATE:
        _BOILERPLATE.clear()
        _PREPARED.clear()
        _BOILERPLATE[token] = frozenset(np.load(folder / "boilerplate.npy").tolist())
    return _BOILERPLATE[token]


def _decide_lines(
    folder: Path, token: str, pairs: list[tuple[int, int]], documents: dict[int, tuple], threshold: float, human_pair_rate: float | None
) -> tuple[list[str], int, int]:
    """Each pair's outcome as a JSON line (null: not one story), how many were verified, how many documents prepared."""
    with cyclic_collector_paused():
        return _decide_batch(folder, token, pairs, documents, threshold, human_pair_rate)


def _decide_batch(
    folder: Path, token: str, pairs: list[tuple[int, int]], documents: dict[int, tuple], threshold: float, human_pair_rate: float | None
) -> tuple[list[str], int, int]:
    boilerplate = _boilerplate(folder, token)
    texts = _Texts(folder)
    direction = bundled_direction_at(human_pair_rate)

    made = 0

    def prepared(number: int) -> PreparedDocument:
        nonlocal made
        key = (token, number)
        document = _PREPARED.get(key)
        if document is None:
            made += 1
            document = PreparedDocument(texts.get(number, documents[number][0]), boilerplate=boilerplate)
            _PREPARED[key] = document
            if len(_PREPARED) > PREPARED_KEPT:
                _PREPARED.popitem(last=False)
        else:
            _PREPARED.move_to_end(key)
        return document

    lines, verified = [], 0
    for x, y in pairs:
        outcome = verify_pair(
            prepared(x), prepared(y), x, y, lambda: (documents[x][1], documents[y][1]),
            (documents[x][2], documents[y][2]), threshold, direction,
        )
        verified += outcome is not None
        lines.append(json.dumps(None if outcome is None else outcome.to_json(), ensure_ascii=False, allow_nan=False) + "\n")
    return lines, verified, made


@_timed
def decide_task(
    folder: str, batch: int, token: str, pairs: list[tuple[int, int]], documents: dict[int, tuple], threshold: float, human_pair_rate: float | None
) -> dict:
    """documents: number -> (text batch, detector score, publication date) of every document in the pairs."""
    folder = Path(folder)
    lines, verified, made = _decide_lines(folder, token, pairs, documents, threshold, human_pair_rate)
    with atomic_file(folder / f"d{batch:06d}.jsonl", "w") as handle:
        handle.writelines(lines)
    return {"pairs": len(pairs), "verified": verified, "prepared": made}


def decide_pair_task(folder: str, token: str, pair: tuple[int, int], documents: dict[int, tuple], threshold: float, human_pair_rate: float | None) -> str:
    """One pair's outcome line: a batch whose worker died is decided a pair at a time (see `decide_alone`)."""
    return _decide_lines(Path(folder), token, [pair], documents, threshold, human_pair_rate)[0][0]


def decide_alone(
    engine, folder: Path, batch: int, token: str, pairs: list[tuple[int, int]], documents: dict[int, tuple], threshold: float, human_pair_rate: float | None
) -> dict:
    """A batch that killed its worker twice, decided one pair per task: a pair that kills its worker
    is left undecided (its two documents keep what their other pairs say) and reported, not retried forever."""
    lines, undecided = [], []
    for pair in pairs:
        try:
            lines.append(engine.run(decide_pair_task, str(folder), token, pair, {n: documents[n] for n in pair}, threshold, human_pair_rate).result())
        except Exception as error:
            if not worker_died(error):
                raise
            lines.append("null\n")
            undecided.append(list(pair))
    with atomic_file(folder / f"d{batch:06d}.jsonl", "w") as handle:
        handle.writelines(lines)
    verified = sum(line != "null\n" for line in lines)
    return {"pairs": len(pairs), "verified": verified, "undecided": undecided}


# --- the main process ------------------------------------------------------------------------


def _plan(context: HookPass, hook) -> dict:
    """Runs and buckets from the committed chunks: the same on every rerun of one scan."""
    runs, current, size = [], [], 0
    for shard, chunk, path, documents in context.notes:
        if current and size + documents > hook.run_documents:
            runs.append(current)
            current, size = [], 0
        current.append([shard, chunk, path])
        size += documents
    if current:
        runs.append(current)
    total = sum(item[3] for item in context.notes)
    buckets = max(MIN_BUCKETS, min(MAX_BUCKETS, math.ceil(total / BUCKET_DOCUMENTS)))
    return {"version": PLAN_VERSION, "hook": context.hook, "runs": runs, "buckets": buckets,
            "text_batch": hook.text_batch, "pair_batch": hook.pair_batch, "min_jaccard": MIN_JACCARD, "max_candidates": MAX_CANDIDATES,
            # decided pairs of an interrupted pass are kept only if they were decided at this level
            "human_pair_rate": hook.human_pair_rate}


def _start(context: HookPass, plan: dict) -> None:
    """Keep the committed tasks of an interrupted pass with this very plan; else start afresh."""
    path = context.folder / "plan.json"
    try:
        earlier = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        earlier = None
    if earlier != plan:
        for entry in context.folder.iterdir():
            entry.unlink()
        write_json_atomic(path, plan)


class _Wanted:
    """The documents in some candidate pair: their row keys, ids, scores, dates and headlines."""

    def __init__(self, folder: Path, numbers: np.ndarray, offsets: np.ndarray) -> None:
        self.numbers = numbers  # sorted
        rowkeys, scores, meta = [], [], []
        runs = np.searchsorted(offsets, numbers, side="right") - 1
        for run in np.unique(runs).tolist():
            rows = numbers[runs == run] - offsets[run]
            with np.load(folder / f"r{run:05d}.npz") as stored:
                rowkeys.append(stored["rowkeys"][rows])
                scores.append(stored["scores"][rows])
            wanted = set(rows.tolist())
            with open(folder / f"r{run:05d}.meta.jsonl", encoding="utf-8") as handle:
                meta.extend(json.loads(line) for row, line in enumerate(handle) if row in wanted)
        self.rowkeys = [tuple(key) for key in np.concatenate(rowkeys).tolist()] if rowkeys else []
        self.scores = np.concatenate(scores).tolist() if scores else []
        self.ids = [item[0] for item in meta]
        self.published = [item[1] for item in meta]
        self.headlines = [item[2] for item in meta]

    def index(self, number: int) -> int:
        return int(np.searchsorted(self.numbers, number))


def _text_tasks(context: HookPass, wanted: _Wanted, batch_size: int) -> Iterator:
    """One task per batch of wanted documents (in input order); raw records read in one pass over the inputs."""
    runner = context.runner
    batches = range(math.ceil(len(wanted.rowkeys) / batch_size))
    todo = [b for b in batches if not runner.done(f"text-{b:05d}")]
    if not todo:
        yield from ((f"text-{b:05d}", None) for b in batches)
        return
    positions: dict[tuple[int, int], list[tuple[int, int]]] = {}  # (shard, chunk) -> [(position, document index)]
    waiting = set(todo)
    for index, (shard, chunk, position) in enumerate(wanted.rowkeys):
        if index // batch_size in waiting:
            positions.setdefault((shard, chunk), []).append((position, index))
    last = max(positions)
    items: dict[int, list] = {b: [] for b in todo}
    done_batches = iter(b for b in batches if b not in todo)
    pending_done = next(done_batches, None)
    for chunk in context.chunks():
        key = (chunk.shard, chunk.index)
        for position, index in positions.get(key, ()):
            path = chunk.paths[position] if chunk.paths else None
            items[index // batch_size].append((int(wanted.numbers[index]), chunk.kind, chunk.items[position], path))
        # Hand out every batch that is complete, in batch order (done ones are read back).
        while todo and len(items[todo[0]]) == min(batch_size, len(wanted.rowkeys) - todo[0] * batch_size):
            while pending_done is not None and pending_done < todo[0]:
                yield f"text-{pending_done:05d}", None
                pending_done = next(done_batches, None)
            b = todo.pop(0)
            batch_items = items.pop(b)
            yield f"text-{b:05d}", lambda b=b, batch_items=batch_items: (text_task, (str(context.folder), b, context.fields, batch_items))
        if key >= last:
            break
    if todo:
        raise RuntimeError("some documents of the copies pass were not found again in the inputs; did they change during the scan?")
    while pending_done is not None:
        yield f"text-{pending_done:05d}", None
        pending_done = next(done_batches, None)


def batch_cuts(first: np.ndarray, second: np.ndarray, size: int) -> list[int]:
    """Where to cut the ordered pairs into batches of about `size`: where possible, after a
    pair that ends every document seen so far, so that no document is prepared in two
    batches (which may run on two workers); at the latest after 2 * size pairs."""
    count = first.size
    documents, inverse = np.unique(np.concatenate([first, second]), return_inverse=True)
    last = np.full(documents.size, -1, dtype=np.int64)
    np.maximum.at(last, inverse, np.tile(np.arange(count), 2))  # each document's last pair
    reach = np.maximum.accumulate(np.maximum(last[inverse[:count]], last[inverse[count:]])) if count else np.zeros(0, dtype=np.int64)
    clean = reach == np.arange(count)  # no document of pairs 0..k comes again after k
    cuts = [0]
    while cuts[-1] < count:
        start = cuts[-1]
        end = min(count, start + 2 * size)
        candidates = np.flatnonzero(clean[start + size - 1 : end]) if start + size - 1 < end else np.zeros(0, dtype=np.int64)
        cuts.append(start + size + int(candidates[0]) if candidates.size else end)
    return cuts


def read_pair_partitions(folder: Path, buckets: int) -> tuple[np.ndarray, np.ndarray]:
    """Every partition's candidate pairs (codes first * n + second) and their estimated Jaccard, in pair order."""
    codes, score = [], []
    for q in range(buckets):
        with np.load(folder / f"s{q:04d}.npz") as stored:
            codes.append(stored["codes"])
            score.append(stored["score"])
    codes, score = np.concatenate(codes), np.concatenate(score)
    order = np.argsort(codes, kind="stable")  # each pair is in one partition only: pair order, as the index has it
    return codes[order], score[order]


def run_copies_pass(hook, context: HookPass, progress=None, total=None):
    """The hook's report pieces: (documents settled by number, groups, stats, wanted documents)."""
    runner, folder = context.runner, context.folder
    plan = _plan(context, hook)
    _start(context, plan)
    token = uuid.uuid4().hex  # this pass in this process: worker caches from another scan are not reused
    buckets, runs = plan["buckets"], plan["runs"]

    # 1. signatures per run
    sizes = [result["documents"] for _, result in runner.run(
        (f"sig-{r:05d}", lambda r=r: (signature_task, (str(folder), r, [tuple(n) for n in runs[r]], context.hook, buckets)))
        for r in range(len(runs))
    )]
    offsets = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).astype(np.int64)
    n = int(offsets[-1])
    stats = {"documents": n, "candidate_pairs": 0, "verified_pairs": 0, "groups": 0}
    if n < 2:
        return {}, [], stats, None
    # 2. band buckets; 3. pair partitions
    for _ in runner.run((f"band-{b:04d}", lambda b=b: (band_task, (str(folder), b, len(runs), offsets.tolist(), buckets))) for b in range(buckets)):
        pass
    for _ in runner.run((f"pairs-{q:04d}", lambda q=q: (pairs_task, (str(folder), q, buckets, offsets.tolist(), plan["min_jaccard"]))) for q in range(buckets)):
        pass
    codes, score = read_pair_partitions(folder, buckets)
    first, second, score = shuffle.select_candidates(codes // n, codes % n, score, plan["max_candidates"])
    stats["candidate_pairs"] = int(first.size)
    if first.size == 0:
        return {}, [], stats, None
    if not (folder / "boilerplate.npy").exists():
        common = []
        for b in range(buckets):
            with np.load(folder / f"b{b:04d}.npz") as stored:
                common.append(stored["boilerplate"])
        with atomic_file(folder / "boilerplate.npy") as handle:
            np.save(handle, np.unique(np.concatenate(common)))

    # 4. texts
    wanted = _Wanted(folder, np.unique(np.concatenate([first, second])), offsets)
    for _ in runner.run(_text_tasks(context, wanted, plan["text_batch"])):
        pass

    # 5. pairs decided, in an order that keeps a document's pairs together
    ordered = locality_order(first, second, n)
    if total is not None:
        total(len(ordered))
    cuts = batch_cuts(first[ordered], second[ordered], plan["pair_batch"])
    batches = range(len(cuts) - 1)

    def decide(b: int):
        pairs = [(int(first[k]), int(second[k])) for k in ordered[cuts[b] : cuts[b + 1]]]
        documents = {}
        for number in {number for pair in pairs for number in pair}:
            index = wanted.index(number)
            documents[number] = (index // plan["text_batch"], wanted.scores[index], wanted.published[index])
        return decide_task, (str(folder), b, token, pairs, documents, hook.threshold, hook.human_pair_rate)

    def alone(b: int):
        def run(engine) -> dict:
            _, (_, _, _, pairs, documents, threshold, human_pair_rate) = decide(b)
            return decide_alone(engine, folder, b, token, pairs, documents, threshold, human_pair_rate)
        return run

    verified, undecided = 0, []
    for _, result in runner.run((f"decide-{b:06d}", lambda b=b: decide(b), alone(b)) for b in batches):
        verified += result["verified"]
        undecided += result.get("undecided", [])
        if progress is not None:
            progress(result["pairs"])

    def outcomes() -> Iterator[PairOutcome]:
        for b in batches:
            with open(folder / f"d{b:06d}.jsonl", encoding="utf-8") as handle:
                for line in handle:
                    value = json.loads(line)
                    if value is not None:
                        yield PairOutcome.from_json(value)

    settled, groups = settle(outcomes, lambda p: wanted.ids[wanted.index(p)], lambda p: wanted.headlines[wanted.index(p)])
    stats.update(verified_pairs=verified, groups=len(groups))
    if undecided:
        stats["undecided_pairs"] = len(undecided)
        stats["undecided"] = [[wanted.ids[wanted.index(x)], wanted.ids[wanted.index(y)]] for x, y in undecided[:MAX_UNDECIDED_LISTED]]
    return settled, groups, stats, wanted

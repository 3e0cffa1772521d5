"""The scan's copy-linking pass: story groups, and which copy came from which original.

Workers compute each document's story signature while they score it (a note of a few
hundred bytes, kept with its chunk so a killed scan does not lose it). After the last
chunk, the signatures are banded and shuffled to candidate pairs, only the texts of
documents that have candidate partners are read again, and the pairs are aligned and
decided, all as tasks on the scan's workers (`copies_tasks`; `finalize` does the same in
the main process with a `StoryIndex`). The main process adds `copy_of`, `relation`,
`copy_evidence` and `story_group` to the rows; a machine-rewritten copy's score takes the cross-copy
evidence into account (`copies.adjusted_score`).
"""

from __future__ import annotations

import base64
import sys
import time
from typing import Callable, Iterable, Iterator

import numpy as np

from .. import copies
from .copies_tasks import PAIR_BATCH, RUN_DOCUMENTS, TEXT_BATCH

RowKey = tuple[int, int, int]
MAX_GROUPS_LISTED = 1000


def _pack(array: np.ndarray) -> str:
    return base64.b64encode(array.tobytes()).decode("ascii")


def _unpack(text: str, dtype) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=dtype)


def _progress_bar(total: int, enabled: bool):
    from tqdm import tqdm

    # Aligning candidate pairs is most of a scan's copies pass: show it, on stderr only.
    return tqdm(total=total, unit=" pairs", desc="copies", file=sys.stderr, disable=not enabled, leave=False)


PUBLISHED_FIELDS = ("date_publish", "date", "published", "warc_date")  # news-please, trafilatura/HTML meta, feeds, WARC capture


def published_date(row: dict) -> str | None:
    """The first stated date among the row's fields (a WARC capture date last: it only bounds publication)."""
    for name in PUBLISHED_FIELDS:
        value = row.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


class StoryHook:
    """A ScanHook (see engines.ScanHook) that links copies of one story."""

    name = "copies"
    # New columns; `score` and `flagged` are updated in place (with the detector's own score kept).
    fields = ("copy_of", "relation", "copy_evidence", "story_group", "detector_score", "copy_reasons")
    progress = False  # a progress bar on stderr while aligning pairs (set by the CLI on a terminal)
    # How the pass on the engine cuts its work (copies_tasks); tests make them small to get many tasks.
    run_documents = RUN_DOCUMENTS
    text_batch = TEXT_BATCH
    pair_batch = PAIR_BATCH

    def __init__(self, threshold: float, human_pair_rate: float | None = None) -> None:
        self.threshold = threshold
        # How often two people's versions of one text may be called machine-rewritten: one of the
        # levels the direction model's card measured (None: the shipped one).
        self.human_pair_rate = human_pair_rate
        copies.bundled_direction_at(human_pair_rate)  # an unmeasured rate fails here, before any scoring
        self.report: copies.CopyReport | None = None
        self.flagged_by_copies = 0
        self.tasks: dict = {}  # per stage of the pass on the engine: tasks run and resumed, CPU and wall seconds

    def observe(self, id, text: str, row: dict) -> dict:
        signature = copies.story_signature(text)
        return {
            "id": str(id),
            "score": row["score"],
            "minhash": _pack(signature.minhash),
            "keys": signature.keys,
            "headline": signature.headline,
            "lines": _pack(signature.short_lines),
            "published": published_date(row),
        }

    def finalize(self, notes: Iterator[tuple[RowKey, dict]], fetch: Callable[[Iterable[RowKey]], Iterator[tuple[RowKey, str]]]) -> dict[RowKey, dict]:
        texts: dict[str, str] = {}
        index = copies.StoryIndex(threshold=self.threshold, direction=copies.bundled_direction_at(self.human_pair_rate), fetch=texts.__getitem__)
        ids: dict[str, str] = {}  # index key -> the document's own id
        scores: dict[str, float] = {}
        for key, note in notes:
            name = "/".join(map(str, key))  # ids need not be unique across shards; row keys are
            ids[name] = note["id"]
            scores[name] = note["score"]
            signature = copies.StorySignature(
                _unpack(note["minhash"], np.uint16), note["keys"], note["headline"], _unpack(note["lines"], np.uint64)
            )
            index.add_signature(name, signature, machine_score=note["score"], published=note.get("published"))
        # Only documents with a candidate partner are read again, in one pass over each shard.
        first, second, _ = index.candidate_pairs()
        wanted = {index.ids_[int(p)] for p in np.concatenate([first, second])} if len(first) else set()
        keys = [tuple(int(part) for part in name.split("/")) for name in wanted]
        for key, text in fetch(keys):
            texts["/".join(map(str, key))] = text
        with _progress_bar(len(first), self.progress) as bar:
            self.report = index.finish(progress=bar.update, label=ids.__getitem__)  # reasons name documents by their own ids
        for group in self.report.groups:  # show the documents' own ids in the group table
            group["original"] = ids.get(group["original"]) if group["original"] else None
            group["members"] = [ids[m] for m in group["members"]]
        additions: dict[RowKey, dict] = {}
        for name, result in self.report.documents.items():
            if result["group"] is None and result["relation"] is None:
                continue  # a document with no story partner keeps its row as it is (and costs no memory)
            key = tuple(int(part) for part in name.split("/"))
            additions[key] = self._fields(scores[name], result, ids.get(result["copy_of"]) if result["copy_of"] else None)
        return additions

    def finalize_on(self, context) -> dict[RowKey, dict]:
        """The same as `finalize`, as tasks on the scan's engine (`copies_tasks`): the same fields come out."""
        from .copies_tasks import run_copies_pass

        if not context.runner.workers_see_folder():
            print("mtdetect: the Dask workers cannot read this scan's parts folder (no shared filesystem): "
                  "the copies pass runs in the main process", file=sys.stderr)
            return context.in_process()
        wall, cpu = time.perf_counter(), time.process_time()
        with _progress_bar(0, self.progress) as bar:
            settled, groups, stats, wanted = run_copies_pass(self, context, progress=bar.update, total=bar.reset)
        self.report = copies.CopyReport(settled, groups, stats)
        if stats.get("undecided_pairs"):
            print(f"mtdetect: {stats['undecided_pairs']} candidate pair(s) left undecided: a worker process died on each "
                  f"(out of memory, or a crash in a library); their documents keep what their other pairs say; "
                  f"the summary's copies.stats.undecided names them", file=sys.stderr)
        # The main process's own CPU seconds include the tasks' when the engine is serial.
        self.tasks = {**context.runner.counts, "pass": {"seconds": round(time.perf_counter() - wall, 3), "main_cpu_seconds": round(time.process_time() - cpu, 3)}}
        additions: dict[RowKey, dict] = {}
        for number, result in settled.items():
            if result["group"] is None and result["relation"] is None:
                continue
            index = wanted.index(number)
            additions[wanted.rowkeys[index]] = self._fields(wanted.scores[index], result, result["copy_of"])
        return additions

    def _fields(self, detector_score: float, result: dict, copy_of: str | None) -> dict:
        """The fields a document in a story group gets; its score takes the cross-copy evidence in."""
        score = copies.adjusted_score(detector_score, result)
        flagged = score >= self.threshold
        if flagged and detector_score < self.threshold:
            self.flagged_by_copies += 1
        return {
            "copy_of": copy_of,
            "relation": result["relation"],
            "copy_evidence": result["copy_evidence"],
            "story_group": result["group"],
            "detector_score": detector_score,
            **({"copy_reasons": result["copy_reasons"]} if result.get("copy_reasons") else {}),
            "score": round(score, 4),
            "flagged": flagged,
        }

    def summary(self) -> dict:
        if self.report is None:
            return {}
        # The groups with the most machine-rewritten copies first; a dump of millions has
        # too many groups for a summary, so the file keeps the top ones and says how many.
        groups = sorted(self.report.groups, key=lambda g: (-g["machine_rewritten"], -g["size"], g["group"]))
        direction = copies.bundled_direction_at(self.human_pair_rate)
        return {
            "stats": self.report.stats,
            # the level rewrites were called machine-made at: how often human pairs reach it, and the log-odds it needs
            "human_pair_rate": direction.human_pair_rate if direction is not None else None,
            "machine_log_odds": direction.machine_log_odds if direction is not None else None,
            "flagged_by_copies": self.flagged_by_copies,
            **({"tasks": self.tasks} if self.tasks else {}),
            "groups_listed": min(len(groups), MAX_GROUPS_LISTED),
            "groups": groups[:MAX_GROUPS_LISTED],
        }

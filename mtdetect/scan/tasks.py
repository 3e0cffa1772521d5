"""A hook's post-pass as tasks on the scan's engine, each committed when done, so a rerun skips it.

A task is a module-level function (it travels by name to local or Dask workers) that
writes its output files into the hook's folder in the parts (`OUT.parts/<hook>/`) under
temporary names and renames them into place; the coordinator then writes the task's
`<name>.done.json` marker with what the task returned. A task counts as done once its
marker exists, so a scan killed at any moment redoes only the tasks that had no marker.
Workers read and write that folder: on a Dask cluster of other machines it must be on a
filesystem they share with the main process; when they cannot see it, the hook's
`finalize` runs in the main process instead.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import deque
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .writers import TEMPORARY_MARK, write_json_atomic

# (name, thunk) or (name, thunk, alone): the thunk gives (function, args) and is called only when the
# task is not done yet; `alone(engine)`, where given, does the task's work an item at a time (each
# item a task of its own) when the task killed its worker twice, and gives the task's result.
Task = tuple


def worker_died(error: BaseException) -> bool:
    """A task's worker process died under it: the local pool broke, or Dask gave up on it (KilledWorker)."""
    return isinstance(error, BrokenExecutor) or type(error).__name__ == "KilledWorker"


class TaskRunner:
    def __init__(self, engine: Callable[[], object], folder: Path, remote: bool = False) -> None:
        self._engine = engine  # started on first use: a rerun with every task done starts none
        self.folder = folder
        self.remote = remote  # workers may run on other machines (a Dask scheduler was given)
        # stage -> tasks run and resumed, the stage's wall seconds, and sums over the tasks run (CPU seconds, pairs, ...)
        self.counts: dict[str, dict] = {}
        folder.mkdir(parents=True, exist_ok=True)
        for entry in folder.iterdir():
            if TEMPORARY_MARK in entry.name:
                entry.unlink(missing_ok=True)  # left by a killed worker or coordinator

    def marker(self, name: str) -> Path:
        return self.folder / f"{name}.done.json"

    def done(self, name: str) -> bool:
        return self.marker(name).exists()

    def _count(self, name: str, how: str) -> None:
        stage = self.counts.setdefault(name.split("-")[0], {"run": 0, "resumed": 0, "cpu_seconds": 0.0, "seconds": 0.0})
        stage[how] += 1

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[str, dict]]:
        """(name, result) of every task in the given order; done ones read back, the others run, a window at a time."""
        pending: deque = deque()
        engine = None
        started = time.perf_counter()
        stage = None
        for name, thunk, *alone in tasks:
            stage = name.split("-")[0]
            if self.done(name):
                pending.append((name, None))
                self._count(name, "resumed")
            else:
                engine = engine or self._engine()
                function, args = thunk()
                pending.append((name, engine.run(function, *args), (function, args), alone[0] if alone else None))
                self._count(name, "run")
            while pending and (pending[0][1] is None or len(pending) >= engine.window):
                yield self._settle(*pending.popleft())
        while pending:
            yield self._settle(*pending.popleft())
        if stage is not None:
            self.counts[stage]["seconds"] += round(time.perf_counter() - started, 3)

    def _settle(self, name: str, future, work: tuple | None = None, alone: Callable | None = None) -> tuple[str, dict]:
        if future is None:
            return name, json.loads(self.marker(name).read_text(encoding="utf-8"))
        try:
            result = future.result()
        except Exception as error:
            if not worker_died(error):
                raise
            result = self._again(work, alone)
        self.commit(name, result)
        stage = self.counts[name.split("-")[0]]
        for key, value in result.items():  # CPU seconds, and what the tasks counted (pairs, texts, ...)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and key not in ("run", "resumed", "seconds"):
                stage[key] = round(stage.get(key, 0) + value, 4)
        return name, result

    def _again(self, work: tuple, alone: Callable | None) -> dict:
        """A task whose worker died: run once more (a neighbour's death breaks every task in the
        pool), then, if it kills its worker again, an item at a time, so one item costs itself only."""
        engine = self._engine()
        try:
            return engine.run(work[0], *work[1]).result()
        except Exception as error:
            if not worker_died(error) or alone is None:
                raise
        return alone(engine)

    def commit(self, name: str, result: dict) -> None:
        write_json_atomic(self.marker(name), result)

    def workers_see_folder(self) -> bool:
        """Whether the workers read this folder as the main process writes it (always so on this machine)."""
        if not self.remote:
            return True
        engine = self._engine()
        probe, word = self.folder / "probe.txt", uuid.uuid4().hex
        probe.write_text(word, encoding="utf-8")
        try:
            return bool(engine.run(reads, str(probe), word).result())
        finally:
            probe.unlink(missing_ok=True)


def reads(path: str, word: str) -> bool:
    try:
        return Path(path).read_text(encoding="utf-8") == word
    except OSError:
        return False


@dataclass
class HookPass:
    """What a hook whose post-pass runs as tasks on the scan's engine gets (see engines.ScanHook)."""

    folder: Path  # the hook's own folder in the parts
    hook: int  # the hook's index: its notes are those with this owner
    notes: list[tuple[int, int, str, int]]  # (shard, chunk, notes file, documents) of every chunk, in input order
    runner: TaskRunner
    chunks: Callable[[], Iterator]  # the inputs' chunks (raw records) again, in input order
    fields: object  # readers.Fields, to decode a raw record as the scan did
    in_process: Callable[[], dict]  # the hook's `finalize` in the main process: when the workers cannot see the folder

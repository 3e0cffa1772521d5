"""The copies pass's band shuffle at dump scale: synthetic signatures through the scan's own tasks.

    python scripts/bench_shuffle.py                        # 1,000,000 signatures, 2 worker processes
    python scripts/bench_shuffle.py --documents 200000 --workers 2 --single

No text is read: each document's MinHash signature is made up where it is needed, from its
number, so the main process never holds them. About a third of the documents share a
"story" with others (the same base signature with 10-70 % of its values replaced, an
estimated Jaccard of 0.3-0.9); every document has two short lines of one of 200 sites
(boilerplate) and two of its own. The stages are the scan's (`mtdetect.scan.copies_tasks`):

1. map: per run of 20,000 documents, the signatures are written and their band keys and
   short lines partitioned by hash into buckets (`write_run`, as `signature_task` does);
2. band: per bucket, the pairs within one band key, and the boilerplate (`band_task`);
3. pairs: per partition of pairs, each pair once with its estimated Jaccard (`pairs_task`);
4. select: the main process keeps each document's best pairs (`select_candidates`).

Printed: wall and CPU seconds per stage, candidate pairs, bytes on disk, and the peak
resident memory of the main process and of each worker process. With --single, the same
signatures also go through the one-process candidate stage (`shuffle.candidates`, what
`StoryIndex` does) in a fresh process, for its time and peak memory, and the two sets of
candidate pairs must be equal.
"""

from __future__ import annotations

import argparse
import math
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mtdetect.copies import shuffle  # noqa: E402
from mtdetect.copies.tunables import MAX_CANDIDATES, MIN_JACCARD, NUM_PERM  # noqa: E402
from mtdetect.scan import copies_tasks  # noqa: E402

RUN = copies_tasks.RUN_DOCUMENTS
M1, M2, M3 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB), np.uint64(0x9E3779B97F4A7C15)


def mix(values) -> np.ndarray:
    """splitmix64: a well-spread uint64 from each uint64."""
    with np.errstate(over="ignore"):
        z = np.asarray(values, dtype=np.uint64) + M3
        z = (z ^ (z >> np.uint64(30))) * M1
        z = (z ^ (z >> np.uint64(27))) * M2
        return z ^ (z >> np.uint64(31))


def synthetic(start: int, count: int, total: int):
    """(signatures, keys, short lines) of documents start .. start + count - 1."""
    numbers = np.arange(start, start + count, dtype=np.uint64)
    shared = mix(numbers) % np.uint64(3) == 0  # a third share a story with some others
    stories = np.where(shared, mix(numbers + np.uint64(1 << 40)) % np.uint64(max(1, total // 6)), numbers + np.uint64(1 << 50))
    columns = np.arange(NUM_PERM, dtype=np.uint64)
    base = mix(stories[:, None] * np.uint64(NUM_PERM) + columns[None, :])
    noise = 0.1 + 0.6 * (mix(numbers + np.uint64(1 << 41)) % np.uint64(1000)).astype(np.float64) / 1000
    replaced = (mix(numbers[:, None] * np.uint64(NUM_PERM) + columns[None, :] + np.uint64(1 << 42)) % np.uint64(1000)).astype(np.float64) / 1000 < noise[:, None]
    own = mix(numbers[:, None] * np.uint64(NUM_PERM) + columns[None, :] + np.uint64(1 << 43))
    signatures = (np.where(replaced, own, base) & np.uint64(0xFFFF)).astype(np.uint16)
    sites = mix(numbers + np.uint64(1 << 44)) % np.uint64(200)
    lines = np.stack([mix(sites + np.uint64(1 << 45)), mix(sites + np.uint64(1 << 46)), mix(numbers + np.uint64(1 << 47)), mix(numbers + np.uint64(1 << 48))], axis=1)
    return signatures, np.full(count, 30, dtype=np.int64), lines.reshape(-1)


def map_task(folder: str, run: int, start: int, count: int, total: int, buckets: int) -> dict:
    began = time.process_time()
    # Made up in slices: the generator's temporaries (uint64 per value) must not count as the shuffle's memory.
    pieces = [synthetic(first, min(2000, start + count - first), total) for first in range(start, start + count, 2000)]
    signatures, keys, lines = (np.concatenate(part) for part in zip(*pieces))
    del pieces
    generated = time.process_time() - began
    rowkeys = [(0, run, i) for i in range(count)]
    copies_tasks.write_run(Path(folder), run, signatures, keys, lines, buckets, rowkeys, [0.5] * count, [[str(start + i), None, ""] for i in range(count)])
    return {"documents": count, "generated_cpu": generated}


def measured(function, *args) -> dict:
    """Run a task in a worker; with its process id, CPU seconds and the process's peak memory so far."""
    import os

    started = time.process_time()
    result = function(*args)
    return {**result, "pid": os.getpid(), "cpu": time.process_time() - started, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def stage(pool, name: str, calls: list, peaks: dict, rows: list) -> list[dict]:
    started = time.perf_counter()
    results = [future.result() for future in [pool.submit(measured, *call) for call in calls]]
    wall = time.perf_counter() - started
    for result in results:
        peaks[result["pid"]] = max(peaks.get(result["pid"], 0.0), result["rss_mb"])
    rows.append((name, len(calls), wall, sum(r["cpu"] for r in results), max(r["rss_mb"] for r in results)))
    return results


IDLE = r"""
import json, resource, sys
sys.path.insert(0, sys.argv[1])
import numpy, joblib
from mtdetect.scan import copies_tasks
print(json.dumps({"rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

SINGLE = r"""
import json, resource, sys, time
import numpy as np
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from mtdetect.copies import shuffle
from mtdetect.copies.tunables import MAX_CANDIDATES, MIN_JACCARD
folder, runs = Path(sys.argv[2]), int(sys.argv[3])
signatures = np.concatenate([np.load(folder / f"r{r:05d}.sig.npy") for r in range(runs)])
started, cpu = time.perf_counter(), time.process_time()
first, second, score = shuffle.candidates(signatures, np.full(len(signatures), 30), MIN_JACCARD, MAX_CANDIDATES)
np.save(folder / "single.npy", first * len(signatures) + second)
print(json.dumps({"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu, "pairs": int(first.size),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--single", action="store_true", help="also the one-process candidate stage, for comparison")
    parser.add_argument("--folder", type=Path, help="work here (default: a temporary folder, removed at the end)")
    args = parser.parse_args()
    from joblib.externals.loky import get_reusable_executor

    folder = args.folder or Path(tempfile.mkdtemp(prefix="bench-shuffle-"))
    folder.mkdir(parents=True, exist_ok=True)
    n = args.documents
    runs = math.ceil(n / RUN)
    buckets = max(copies_tasks.MIN_BUCKETS, min(copies_tasks.MAX_BUCKETS, math.ceil(n / copies_tasks.BUCKET_DOCUMENTS)))
    pool = get_reusable_executor(max_workers=args.workers, env={"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"})
    peaks: dict[int, float] = {}
    rows: list = []
    began = time.perf_counter()
    sizes = [min(RUN, n - r * RUN) for r in range(runs)]
    mapped = stage(pool, "map (signatures, band keys)", [(map_task, str(folder), r, r * RUN, sizes[r], n, buckets) for r in range(runs)], peaks, rows)
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64).tolist()
    band = stage(pool, "band (pairs per band key)", [(copies_tasks.band_task, str(folder), b, runs, offsets, buckets) for b in range(buckets)], peaks, rows)
    pairs = stage(pool, "pairs (each once, Jaccard)", [(copies_tasks.pairs_task, str(folder), q, buckets, offsets, MIN_JACCARD) for q in range(buckets)], peaks, rows)
    started, cpu = time.perf_counter(), time.process_time()
    codes, score = copies_tasks.read_pair_partitions(folder, buckets)
    first, second, _ = shuffle.select_candidates(codes // n, codes % n, score, MAX_CANDIDATES)
    rows.append(("select (main process)", 1, time.perf_counter() - started, time.process_time() - cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    total = time.perf_counter() - began
    disk = sum(path.stat().st_size for path in folder.iterdir()) / 2**20

    print(f"{n:,} synthetic signatures, {runs} runs, {buckets} buckets, {args.workers} worker processes")
    print(f"{'stage':30s} {'tasks':>5s} {'wall s':>7s} {'CPU s':>7s} {'peak RSS':>9s}")
    for name, tasks, wall, cpu, rss in rows:
        print(f"{name:30s} {tasks:5d} {wall:7.1f} {cpu:7.1f} {rss:8.0f}M")
    print(f"total {total:.1f} s wall; band-key pairs {sum(r['pairs'] for r in band):,}, above Jaccard {MIN_JACCARD}: "
          f"{sum(r['pairs'] for r in pairs):,}, candidate pairs kept: {first.size:,}; boilerplate lines "
          f"{sum(r['boilerplate'] for r in band)}; on disk {disk:.0f} MB")
    print(f"(of the map's CPU seconds, {sum(r['generated_cpu'] for r in mapped):.1f} went to making up the signatures)")
    print(f"peak RSS: main process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; workers "
          + ", ".join(f"{rss:.0f} MB" for rss in sorted(peaks.values())))
    import json

    idle = subprocess.run([sys.executable, "-c", IDLE, str(REPO)], capture_output=True, text=True, check=True)
    print(f"(a process that has only imported these modules: {json.loads(idle.stdout)['rss_mb']:.0f} MB)")
    if args.single:

        finished = subprocess.run([sys.executable, "-c", SINGLE, str(REPO), str(folder), str(runs)], capture_output=True, text=True, check=True)
        single = json.loads(finished.stdout)
        same = np.array_equal(np.load(folder / "single.npy"), first * n + second)
        print(f"one process (StoryIndex.candidate_pairs): {single['wall']:.1f} s wall, {single['cpu']:.1f} s CPU, "
              f"peak RSS {single['rss_mb']:.0f} MB, {single['pairs']:,} candidate pairs; the same pairs: {same}")
    pool.shutdown()
    if not args.folder:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

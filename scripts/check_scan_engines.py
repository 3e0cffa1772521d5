"""Check that `mtdetect scan` with the copies pass gives the same rows and summary on every engine.

    python scripts/check_scan_engines.py --documents 3000                 # -j 1, -j 2, Dask 2
    python scripts/check_scan_engines.py --documents 3000 --reference OLD.jsonl
    python scripts/check_scan_engines.py --build DUMP.jsonl --documents 3000   # only write the dump

The dump is built at run time (never committed) from ../shared/data: WMT news documents
(the machine translations of one doc_id by different systems are rewrites of each other)
and the round-trip set (an English original and its DeepL round trip through German), in a
fixed shuffled order, with a publication date on every third record. Each scan runs in its
own interpreter; the rows are compared byte for byte, and the copies part of the summary
(stats, groups) likewise. With --reference, the rows of another scan of the same dump (e.g.
by an older mtdetect) must match too. Printed per run: wall seconds; CPU seconds of the
main process and of its worker processes (Dask's too: they are its descendants), of
scoring and of the copies pass's tasks; worker start-up; peak memory of the main process
and of the largest worker.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"


def build_dump(path: Path, documents: int, seed: int = 11) -> int:
    sys.path.insert(0, str(REPO))
    from mtdetect.data import segments_to_text

    texts = []
    with gzip.open(DATA / "roundtrip" / "roundtrip-dev.jsonl.gz", "rt", encoding="utf-8") as handle:
        texts.extend(segments_to_text(json.loads(line)["segments"]) for line in handle)
    with gzip.open(DATA / "wmt" / "wmt-docs.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            if len(texts) >= documents:
                break
            record = json.loads(line)
            if record.get("domain") == "news" and len(record.get("segments", [])) >= 6:
                texts.append(segments_to_text(record["segments"]))
    texts = texts[:documents]
    random.Random(seed).shuffle(texts)
    with open(path, "w", encoding="utf-8") as handle:
        for number, text in enumerate(texts):
            record = {"id": f"doc-{number}", "text": text}
            if number % 3 == 0:
                record["date_publish"] = f"2021-{1 + number % 12:02d}-{1 + number % 28:02d}"
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(texts)


RUNNER = r"""
import json, resource, sys, time
from mtdetect.cli import main
try:
    main(sys.argv[1:], standalone_mode=True)
except SystemExit:
    pass
own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"main_cpu": own.ru_utime + own.ru_stime, "children_cpu": kids.ru_utime + kids.ru_stime,
                  "rss_mb": own.ru_maxrss / 1024, "children_rss_mb": kids.ru_maxrss / 1024}), file=sys.stderr)
"""


def run(dump: Path, output: Path, extra: list[str], python: str) -> dict:
    command = [python, "-c", RUNNER, "scan", str(dump), "--output", str(output), "--overwrite", "-q", *extra]
    started = time.perf_counter()
    finished = subprocess.run(command, capture_output=True, text=True, cwd="/")
    wall = time.perf_counter() - started
    try:
        figures = json.loads(finished.stderr.strip().splitlines()[-1])
    except (IndexError, ValueError):
        sys.exit(f"scan failed: {finished.stderr[-2000:]}")
    summary = json.loads(output.with_name(output.name.removesuffix(".jsonl") + ".summary.json").read_text(encoding="utf-8"))
    return {"wall": wall, "summary": summary, **figures}


CORE_STATS = ("documents", "candidate_pairs", "verified_pairs", "groups")


def core_copies(summary: dict) -> dict:
    """What the copies pass decided, from a summary (not how it ran: timings, tasks)."""
    copies = summary["copies"]
    return {"stats": {key: copies["stats"][key] for key in CORE_STATS}, "groups": copies["groups"], "flagged_by_copies": copies["flagged_by_copies"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--build", type=Path, help="only write the dump to this file")
    parser.add_argument("--reference", type=Path, help="rows of an earlier scan of the same dump, to match")
    parser.add_argument("--runs", default="1,2,dask", help="comma-separated: 1 (one job), 2 (two jobs), dask (Dask, 2 workers)")
    parser.add_argument("--repeat", type=int, default=1, help="run the engines in turn this many times")
    parser.add_argument("--python", default=sys.executable, help="the interpreter to scan with")
    parser.add_argument("--folder", type=Path, help="keep the dump and outputs here")
    args = parser.parse_args()
    if args.build:
        count = build_dump(args.build, args.documents)
        print(f"{args.build}: {count:,} documents")
        return
    folder = args.folder or Path(tempfile.mkdtemp(prefix="check-engines-"))
    folder.mkdir(parents=True, exist_ok=True)
    dump = folder / "dump.jsonl"
    if not dump.exists():
        build_dump(dump, args.documents)
    options = {"1": ["-j", "1"], "2": ["-j", "2"], "dask": ["--engine", "dask", "-j", "2"]}
    rows, copies, walls = {}, {}, {}
    print(f"{'run':6s} {'wall s':>7s} {'main CPU':>8s} {'workers CPU':>11s} {'score CPU':>9s} {'copies CPU':>10s} "
          f"{'start-up':>8s} {'main RSS':>8s} {'worker RSS':>10s}  pairs")
    for _ in range(args.repeat):  # interleaved, so that other load on the machine falls on every engine alike
        for name in args.runs.split(","):
            output = folder / f"out-{name}.jsonl"
            result = run(dump, output, options[name], args.python)
            rows[name] = output.read_bytes()
            copies[name] = core_copies(result["summary"])
            walls.setdefault(name, []).append(result["wall"])
            summary = result["summary"]
            stats = summary["copies"]["stats"]
            tasks = summary["copies"].get("tasks", {})
            copies_cpu = sum(stage.get("cpu_seconds", 0.0) for stage in tasks.values())
            print(f"{name:6s} {result['wall']:7.1f} {result['main_cpu']:8.1f} {result['children_cpu']:11.1f} "
                  f"{summary['this_run']['worker_cpu_seconds']:9.1f} {copies_cpu:10.1f} {summary['startup_seconds']:8.1f} "
                  f"{result['rss_mb']:7.0f}M {result['children_rss_mb']:9.0f}M  {stats.get('candidate_pairs')} candidates, {stats.get('verified_pairs')} verified")
    median = {name: sorted(values)[len(values) // 2] for name, values in walls.items()}
    if "1" in median and "2" in median:
        print(f"median wall: 2 jobs {median['1'] / median['2']:.2f}x one job", end="")
        if "dask" in median:
            print(f"; Dask {median['2'] / median['dask']:.2f}x 2 jobs", end="")
        print()
    names = list(rows)
    same = all(rows[name] == rows[names[0]] and copies[name] == copies[names[0]] for name in names)
    print(f"rows and copies summary identical across {', '.join(names)}: {same}")
    if args.reference:
        matches = args.reference.read_bytes() == rows[names[0]]
        reference_summary = args.reference.with_name(args.reference.name.removesuffix(".jsonl") + ".summary.json")
        if reference_summary.exists():
            matches = matches and core_copies(json.loads(reference_summary.read_text(encoding="utf-8"))) == copies[names[0]]
        print(f"rows identical to {args.reference}: {matches}")
        same = same and matches
    print(f"({len(rows[names[0]].splitlines()):,} rows; folder {folder})")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()

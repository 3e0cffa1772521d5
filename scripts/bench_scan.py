"""Benchmark `mtdetect scan` against the bare pass and its peers, and show where the time goes.

    python scripts/bench_scan.py                     # 5,000 WMT news documents (or generated text)
    python scripts/bench_scan.py --documents 3000 --profile
    python scripts/bench_scan.py --source generated --no-dask --scale 0

It builds a JSONL dump of N documents in a temporary folder, from the WMT news data read
at run time (../shared/data, never copied into the repository) or from text this script
generates, and then measures on the same dump:

* the bare pass: read the JSONL, parse each line, build `mtdetect.text.Document`
  (paragraphs, sentences, tokens: what every scan must do at least);
* the peers: datatrove's `GopherRepetitionFilter` and `GopherQualityFilter` (as FineWeb
  chains them: a document the first drops never reaches the second) over the same dump, in
  their own process, when datatrove and spaCy (its English word tokenizer) are installed
  (`pip install 'mtdetect[bench]'`); without them this is said in one line and skipped;
* `mtdetect scan` with and without the copies pass, with 1 job, 2 jobs and a local Dask
  cluster of 2 workers, each in its own process (documents/s, MB/s per core, ratio to the
  Gopher filters by wall clock and by CPU time, peak RSS of the main process and of a worker);
* peak RSS per process of one job (copies off and on) and of the Gopher filters on 1,000
  documents and on K times as many (--scale K, default 10): it must stay flat;
* with --profile, a stage-by-stage and feature-by-feature breakdown, what one job at 8x
  (and, copies on, 4x) the Gopher filters would leave a document against the least a
  feature or the copies pass costs, and cProfile's top.

Throughput is end to end as `mtdetect scan` reports it in OUT.summary.json (worker start-up,
the copies pass and writing included; the interpreter's own start-up excluded); the Gopher
filters' is their loop over the dump (reading and parsing each line included; imports and
loading spaCy excluded). On a busy machine every number is noisy: the CPU-time columns are
less so (CPU time of every process of the run, the model's loading included).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import gzip
import io
import json
import os
import pstats
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WMT = REPO.parent / "shared" / "data" / "wmt" / "wmt-docs.jsonl.gz"

# Run one scan in a fresh interpreter and report its peak memory (its own and its workers').
RUNNER = r"""
import json, resource, sys
from mtdetect.cli import main
try:
    main(sys.argv[1:], standalone_mode=True)
except SystemExit:
    pass
own = resource.getrusage(resource.RUSAGE_SELF)
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rss_kb": own.ru_maxrss, "children_rss_kb": children.ru_maxrss, "main_cpu": own.ru_utime + own.ru_stime,
                  "children_cpu": children.ru_utime + children.ru_stime}), file=sys.stderr)
"""

# The peers in a fresh interpreter: datatrove's Gopher filters as FineWeb chains them.
GOPHER_RUNNER = r"""
import json, resource, sys, time
from datatrove.data import Document
from datatrove.pipeline.filters import GopherQualityFilter, GopherRepetitionFilter

repetition, quality = GopherRepetitionFilter(), GopherQualityFilter()
warm = Document(text="The minister said the talks went well. " * 20, id="warm-up")
repetition.filter(warm), quality.filter(warm)  # loads spaCy's English tokenizer: not timed
wall, cpu = time.perf_counter(), time.process_time()
documents = kept = 0
with open(sys.argv[1], "rb") as handle:
    for line in handle:
        record = json.loads(line)
        document = Document(text=record["text"], id=record["id"])
        kept += repetition.filter(document) is True and quality.filter(document) is True
        documents += 1
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
own = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"documents": documents, "kept": kept, "wall": wall, "cpu": cpu, "rss_kb": own.ru_maxrss}))
"""


# --- the dump -----------------------------------------------------------------------


def wmt_texts(path: Path, limit: int) -> list[str]:
    """News documents (human and machine) from the WMT data, paragraphs of three sentences."""
    from mtdetect.data import segments_to_text

    texts = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("domain") == "news" and len(record.get("segments", [])) >= 6:
                texts.append(segments_to_text(record["segments"]))
                if len(texts) >= limit:
                    break
    return texts


FIRST = "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth Wei Li Chen Ana Jose".split()
LAST = "Smith Johnson Brown Lee Wang Garcia Miller Davis Lopez Wilson Zhang Kim Martin Clark".split()
PLACES = "Washington Beijing London Brussels Tokyo Kyiv Nairobi Canberra Ottawa Madrid".split()
VERBS = "said announced warned argued confirmed denied suggested insisted added noted".split()
NOUNS = "talks agreement economy election budget ministry report inquiry market policy".split()


def generated_texts(count: int, seed: int = 7) -> list[str]:
    """News-like articles of 8 to 14 paragraphs with names, titles, quotes, numbers and brackets."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        paragraphs = []
        for _ in range(rng.randint(8, 14)):
            sentences = []
            for _ in range(rng.randint(2, 4)):
                person = f"{rng.choice(['Mr.', 'Ms.', 'Dr.', ''])} {rng.choice(FIRST)} {rng.choice(LAST)}".strip()
                sentence = (
                    f"{person} {rng.choice(VERBS)} that the {rng.choice(NOUNS)} in {rng.choice(PLACES)} "
                    f"would cost {rng.randint(2, 900)} million dollars (about {rng.randint(1, 99)} percent of the total) "
                    f'and that "the {rng.choice(NOUNS)} is not over yet," according to officials.'
                )
                sentences.append(sentence)
            paragraphs.append(" ".join(sentences))
        texts.append("\n\n".join(paragraphs))
    return texts


def write_dump(path: Path, texts: list[str], count: int) -> int:
    """`count` records cycling through `texts`; returns the MB of article text."""
    size = 0
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(count):
            text = texts[number % len(texts)]
            size += len(text.encode("utf-8"))
            handle.write(json.dumps({"id": f"doc-{number}", "url": f"https://news.example/{number}", "title": f"Story {number}", "text": text}, ensure_ascii=False) + "\n")
    return size


# --- measurements -------------------------------------------------------------------


def bare_pass(path: Path) -> dict:
    from mtdetect.text import Document

    wall, cpu = time.perf_counter(), time.process_time()
    documents = size = 0
    with open(path, "rb") as handle:
        for line in handle:
            text = json.loads(line)["text"]
            Document(text)
            documents += 1
            size += len(text.encode("utf-8"))
    return {"documents": documents, "mb": size / 1e6, "wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}


def run_scan(dump: Path, output: Path, model_args: list[str], extra: list[str]) -> dict:
    command = [sys.executable, "-c", RUNNER, "scan", str(dump), "--output", str(output), "--overwrite", "-q", *model_args, *extra]
    started = time.perf_counter()
    finished = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    memory = json.loads(finished.stderr.strip().splitlines()[-1])
    summary_path = output.with_name(output.name.removesuffix(".jsonl") + ".summary.json")
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    return {"summary": summary, "process_seconds": elapsed, **memory}


def peers_missing() -> str | None:
    """Why the Gopher filters cannot run here, or None."""
    import importlib.util

    missing = [name for name in ("datatrove", "spacy") if importlib.util.find_spec(name) is None]
    return f"{' and '.join(missing)} not installed" if missing else None


def run_gopher(dump: Path) -> dict:
    finished = subprocess.run([sys.executable, "-c", GOPHER_RUNNER, str(dump)], capture_output=True, text=True)
    if finished.returncode != 0:
        raise RuntimeError(f"the Gopher filters failed: {finished.stderr.strip()[-500:]}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


def model_arguments(args, folder: Path) -> tuple[list[str], str]:
    from mtdetect.model import bundled_model_path

    if args.model:
        return ["--model", args.model, "--trust-model"], args.model
    problem = _bundled_model_problem() if bundled_model_path().is_file() else "no bundled model found"
    if problem is None:
        return [], "bundled"
    # No usable bundled model: a throwaway one trained on the seeds; features cost the same.
    from mtdetect import model, training
    from mtdetect.data import Example
    from mtdetect.features import feature_names
    from mtdetect.text import Document

    texts, labels = [], []
    for row in (REPO / "seeds" / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        if row.strip():
            item = json.loads(row)
            doc = Document((REPO / "seeds" / item["file"]).read_text(encoding="utf-8"))
            for span in doc.paragraphs:
                texts.append(doc.text[span.start : span.end])
                labels.append(1 if item["label"] == "machine" else 0)
    names = feature_names()
    examples = [Example(t, y, f"seed paragraph {i}") for i, (t, y) in enumerate(zip(texts, labels))]
    detector = model.fit(training.featurise(examples, names).training_set(), names)
    path = folder / "seeds-model.joblib"
    model.save(detector, path, card={"name": "bench-seeds"})
    return ["--model", str(path), "--trust-model"], f"throwaway model trained on the seeds ({problem})"


def _bundled_model_problem() -> str | None:
    """Why the bundled model cannot be used (e.g. features changed since it was trained), or None."""
    from mtdetect.model import load

    try:
        load().score_text((REPO / "seeds" / "000_11376f5bce64fdf5.txt").read_text(encoding="utf-8"))
    except Exception as error:
        return f"bundled model unusable: {type(error).__name__}: {str(error)[:80]}"
    return None


def single_core_budget(texts: list[str], stages: dict[str, float], features: int, peer_rate: float) -> None:
    """What issue 11's one-job targets (8x and 4x the Gopher filters) leave per document, against
    the cost of the least a feature or the copies pass can do, on this machine."""
    import re

    from mtdetect import copies
    from mtdetect.copies.documents import PreparedDocument
    from mtdetect.frequency import zipfs
    from mtdetect.text import Document

    clock, count = time.process_time, len(texts)
    fixed = sum(stages[name] for name in ("read+parse JSON", "Document (bare pass)", "extract() bookkeeping", "classifier (batched)", "row JSON"))
    start = clock()
    for text in texts:
        re.findall(r"\w+", text)
    one_regex = (clock() - start) / count
    for doc in [Document(text) for text in texts]:  # the frequency table's recent words warmed, as in a long scan
        zipfs(doc.lower_words)
    fresh = [Document(text) for text in texts]
    start = clock()
    for doc in fresh:
        zipfs(doc.lower_words)
    word_table = (clock() - start) / count
    start = clock()
    for text in texts:
        prepared = PreparedDocument(text)
        prepared.wording, prepared.sentence_names  # what aligning and voting read of every document in a pair
    prepare = (clock() - start) / count
    index = copies.StoryIndex()
    for number, text in enumerate(texts):
        index.add(str(number), text)
    start = clock()
    report = index.finish()
    pass_alone = (clock() - start) / count
    pairs = report.stats.get("verified_pairs", 0)
    budget = 1.0 / (8 * peer_rate)
    print(f"\nWhat one job at 8x the Gopher filters ({peer_rate:,.0f} documents/s) leaves: {budget * 1e3:.3f} ms a document end to end.")
    print(f"  reading, the Document, the classifier and the rows take {fixed / count * 1e3:.3f} ms of it (above); "
          f"the {features} features would have {max(0.0, budget - fixed / count) / features * 1e6:.1f} us each")
    print(f"  one regular-expression pass over a document (\\w+): {one_regex * 1e6:.1f} us; "
          f"its words lower-cased and looked up in the frequency table: {word_table * 1e6:.1f} us")
    budget = 1.0 / (4 * peer_rate)
    print(f"With the copies pass at 4x: {budget * 1e3:.3f} ms a document. The copies pass in one process (StoryIndex) on these "
          f"documents: {pass_alone * 1e3:.3f} ms a document ({pairs:,} pairs aligned); preparing a document for it "
          f"(sentences, story keys, wording, names): {prepare * 1e3:.3f} ms")


def profile(dump: Path, model_path: str | None, trust: bool, limit: int, peer_rate: float | None = None) -> None:
    """Stage by stage, feature by feature, then cProfile over score_chunk; with the Gopher filters'
    documents/s, what the one-job targets leave (`single_core_budget`)."""
    from mtdetect.features import load_all
    from mtdetect.model import load
    from mtdetect.scan.engines import Job, ModelRef, remember, score_chunk
    from mtdetect.scan.readers import Shard, chunks
    from mtdetect.text import Document

    detector = load(model_path, trust=trust)
    registry = load_all()
    clock = time.process_time  # CPU time: other load on the machine hardly changes it
    gc.disable()  # as in score_chunk: many Documents alive at once
    lines = dump.read_bytes().splitlines(keepends=True)[:limit]
    stages = {"read+parse JSON": 0.0, "Document (bare pass)": 0.0, "features": 0.0, "extract() bookkeeping": 0.0, "classifier (batched)": 0.0, "row JSON": 0.0}
    per_feature = {name: 0.0 for name in detector.feature_names}
    texts = []
    start = clock()
    for line in lines:
        texts.append(json.loads(line)["text"])
    stages["read+parse JSON"] = clock() - start
    start = clock()
    docs = [Document(text) for text in texts]
    stages["Document (bare pass)"] = clock() - start
    for text in texts:
        doc = Document(text)  # fresh, so each document's cached analyses are paid once, by the first feature using them
        for name in detector.feature_names:
            feature = registry[name]
            began = clock()
            found = feature.function(doc)
            if feature.kind == "artifact":
                list(found)
            per_feature[name] += clock() - began
    stages["features"] = sum(per_feature.values())
    start = clock()
    featured = [Document(text) for text in texts]
    extractions = [detector.extract(doc) for doc in featured]
    extract_total = clock() - start
    stages["extract() bookkeeping"] = max(0.0, extract_total - stages["features"] - stages["Document (bare pass)"])
    start = clock()
    reports = []
    # Reported on the Documents the features read, as the scan does: a reason's detail reads their analyses.
    for offset in range(0, len(featured), 1000):
        reports.extend(detector.reports(featured[offset : offset + 1000], extractions[offset : offset + 1000], [None] * len(featured[offset : offset + 1000])))
    stages["classifier (batched)"] = clock() - start
    start = clock()
    for report in reports:
        json.dumps(report, ensure_ascii=False)
    stages["row JSON"] = clock() - start
    start = clock()
    for doc, extraction in zip(featured[:200], extractions[:200]):
        detector.report(doc, extraction)
    one_by_one = (clock() - start) / min(200, len(docs))

    total = sum(stages.values())
    count = len(texts)
    gc.enable()
    print(f"\nWhere the time goes ({count} documents, one process, CPU ms per document):")
    for name, seconds in stages.items():
        print(f"  {name:28s} {seconds / count * 1e3:8.3f} ms  {100 * seconds / total:5.1f} %")
    print(f"  (classifier one document at a time would be {one_by_one * 1e3:.3f} ms per document)")
    print("Features, most expensive first (ms per document; a shared analysis is charged to the first feature using it):")
    for name, seconds in sorted(per_feature.items(), key=lambda item: -item[1])[:12]:
        print(f"  {name:28s} {seconds / count * 1e3:8.3f} ms  {100 * seconds / total:5.1f} % of all")
    if peer_rate:
        single_core_budget(texts, stages, len(detector.feature_names), peer_rate)

    model = ModelRef(model_path, trust, detector.card.get("sha256", "unsaved"))
    remember(model, detector)
    job = Job(model)
    shard = Shard("lines", str(dump), "bench", path=str(dump))
    profiler = cProfile.Profile()
    done = 0
    profiler.enable()
    for chunk in chunks(shard, 0, 500, 1 << 30):
        score_chunk(job, chunk)
        done += len(chunk.items)
        if done >= limit:
            break
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(18)
    print("\ncProfile of score_chunk, by own time:")
    print("\n".join(line for line in stream.getvalue().splitlines() if line.strip())[:6000])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--source", choices=["auto", "wmt", "generated"], default="auto")
    parser.add_argument("--wmt", type=Path, default=WMT)
    parser.add_argument("--model", help="model file (default: the bundled model)")
    parser.add_argument("--scale", type=int, default=10, help="peak RSS of one job on 1,000 and on K x 1,000 documents (0: skip)")
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--skip-copies", action="store_true", help="leave out the runs with the copies pass")
    parser.add_argument("--keep", type=Path, help="keep the dump and outputs in this folder")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-scan-"))
    folder.mkdir(parents=True, exist_ok=True)
    source = args.source
    if source == "auto":
        source = "wmt" if args.wmt.is_file() else "generated"
        if source == "generated":
            print(f"bench_scan.py: {args.wmt} is not here (give --wmt): timing generated text instead", file=sys.stderr)
    texts = wmt_texts(args.wmt, args.documents) if source == "wmt" else generated_texts(min(args.documents, 2000))
    dump = folder / "dump.jsonl"
    text_bytes = write_dump(dump, texts, args.documents)
    model_args, model_name = model_arguments(args, folder)
    print(f"dump: {args.documents:,} documents from {source} ({len(texts):,} distinct), {text_bytes / 1e6:.1f} MB of text, "
          f"{text_bytes / args.documents / 1e3:.1f} kB per document; model: {model_name}; {os.cpu_count()} cores")

    bare = bare_pass(dump)
    print(f"\nbare pass (read JSONL, split, tokenise once): {bare['mb'] / bare['wall']:.2f} MB/s, "
          f"{bare['documents'] / bare['wall']:,.0f} documents/s (CPU {bare['mb'] / bare['cpu']:.2f} MB/s)")

    missing = peers_missing()
    gopher = None
    if missing:
        print(f"peers: {missing}, so datatrove's Gopher filters are not timed (pip install 'mtdetect[bench]')")
    else:
        gopher = run_gopher(dump)
        print(f"peers: datatrove's Gopher repetition + quality filters: {gopher['documents'] / gopher['wall']:,.0f} documents/s "
              f"(CPU {gopher['documents'] / gopher['cpu']:,.0f} documents/s), {gopher['kept']:,} of {gopher['documents']:,} kept, "
              f"peak RSS {gopher['rss_kb'] / 1024:.0f} MB")

    runs = [("1 job", ["-j", "1", "--no-copies"], 1), ("2 jobs", ["-j", "2", "--no-copies"], 2)]
    if not args.no_dask:
        runs.append(("dask, 2 workers", ["--engine", "dask", "-j", "2", "--no-copies"], 2))
    if not args.skip_copies:
        runs += [(f"{label} + copies", [a for a in extra if a != "--no-copies"], cores) for label, extra, cores in runs]
    results = {}
    print("\ndocs/s: wall clock, end to end. docs/CPU-s: documents per CPU-second of all the run's processes.")
    print("x Gopher: how many times the Gopher filters' documents/s (wall; CPU); 'main' is the scan's main process.")
    header = f"{'scan':24s} {'docs/s':>7s} {'MB/s/core':>9s} {'docs/CPU-s':>10s} {'x Gopher':>13s} {'vs bare':>7s} {'main CPU':>8s} {'start-up':>8s} {'peak RSS':>24s}"
    print(header)
    for label, extra, cores in runs:
        result = run_scan(dump, folder / f"out-{len(results)}.jsonl", model_args, extra)
        summary = result["summary"]
        results[label] = summary
        ratio = (bare["mb"] / bare["wall"]) / summary["mb_per_second"]
        rss = f"{result['rss_kb'] / 1024:.0f} MB" + (f" (+{result['children_rss_kb'] / 1024:.0f} MB/worker)" if cores > 1 else "")
        steady = summary["text_mb"] / max(1e-9, summary["wall_seconds"] - summary["startup_seconds"])
        results[label]["steady"] = steady
        per_cpu = summary["documents"] / max(1e-9, result["main_cpu"] + result["children_cpu"])
        results[label]["per_cpu"] = per_cpu
        main_cpu = result["main_cpu"] - (summary["this_run"]["worker_cpu_seconds"] if cores == 1 else 0.0)
        versus = "" if gopher is None else f"{summary['documents_per_second'] / (gopher['documents'] / gopher['wall']):5.1f}x;{per_cpu / (gopher['documents'] / gopher['cpu']):5.1f}x"
        print(
            f"{label:24s} {summary['documents_per_second']:7,.0f} {summary['mb_per_second'] / cores:9.2f} {per_cpu:10,.0f} {versus:>13s} "
            f"{ratio:6.1f}x {main_cpu:7.1f}s {summary['startup_seconds']:7.1f}s {rss:>24s}"
        )
    for copies in ("", " + copies"):
        one, two = results.get("1 job" + copies), results.get("2 jobs" + copies)
        if one is None or two is None:
            continue
        line = (f"\n{'copies on' if copies else 'copies off'}: 2 jobs over 1: {two['documents_per_second'] / one['documents_per_second']:.2f}x end to end, "
                f"{two['steady'] / one['steady']:.2f}x without worker start-up")
        dask = results.get("dask, 2 workers" + copies)
        if dask is not None:
            line += f"; dask with 2 local workers vs 2 jobs: {dask['documents_per_second'] / two['documents_per_second']:.2f}x end to end"
        print(line, end="")
    print()
    one, two, dask = (results.get(label + " + copies") for label in ("1 job", "2 jobs", "dask, 2 workers"))
    if one is not None and two is not None:
        got = two["documents_per_second"] / one["documents_per_second"]
        print(f"target (issue 11): a default scan (copies on) on 2 workers at least 1.8x one: {got:.2f}x, {'met' if got >= 1.8 else 'not met'}")
        if dask is not None:
            got = dask["documents_per_second"] / two["documents_per_second"]
            print(f"target (issue 11): Dask with 2 local workers within 15 % of 2 local processes: {got:.2f}x, {'met' if got >= 0.85 else 'not met'}")
    if gopher is not None:
        peer = gopher["documents"] / gopher["wall"]
        for label, target in (("1 job", 8.0), ("1 job + copies", 4.0)):
            if label in results:
                got = results[label]["documents_per_second"] / peer
                print(f"target (issue 11): {label} at least {target:.0f}x the Gopher filters' documents/s: {got:.1f}x, {'met' if got >= target else 'not met'}")

    if args.scale > 1:
        base = min(args.documents, 1000)
        small_dump, big_dump = folder / "dump-small.jsonl", folder / "dump-big.jsonl"
        write_dump(small_dump, texts, base)
        write_dump(big_dump, texts, base * args.scale)
        print(f"\npeak RSS per process, {base:,} documents and {base * args.scale:,} (the same texts again; one job):")
        memory = [("scan --no-copies", ["-j", "1", "--no-copies"])]
        if not args.skip_copies:
            memory.append(("scan (copies on)", ["-j", "1"]))
        for label, extra in memory:
            small = run_scan(small_dump, folder / "rss-small.jsonl", model_args, extra)
            large = run_scan(big_dump, folder / "rss-large.jsonl", model_args, extra)
            print(f"  {label:20s} {small['rss_kb'] / 1024:6.0f} MB  {large['rss_kb'] / 1024:6.0f} MB ({100 * (large['rss_kb'] / small['rss_kb'] - 1):+.1f} %)")
        if gopher is not None:
            small, large = run_gopher(small_dump), run_gopher(big_dump)
            print(f"  {'Gopher filters':20s} {small['rss_kb'] / 1024:6.0f} MB  {large['rss_kb'] / 1024:6.0f} MB ({100 * (large['rss_kb'] / small['rss_kb'] - 1):+.1f} %)")
    if args.profile:
        model_path = model_args[1] if model_args else None
        peer_rate = gopher["documents"] / gopher["wall"] if gopher is not None else None
        profile(dump, model_path, bool(model_args), min(args.documents, 2000), peer_rate)
    if not args.keep:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

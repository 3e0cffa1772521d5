"""Pairs of versions of one text, for the copy-direction model and its evaluation (cached in .cache/).

Three kinds, every text with quotes and dashes made plain (`data.plain_typography`):

* round_trip: an English news original and its round trip (English -> German by a person
  -> English by DeepL), from ../shared/data/roundtrip; group: the WMT year;
* one_way: the human translation and a machine translation of one WMT document (up to
  `SYSTEMS_PER_DOCUMENT` systems each); group: the source language;
* human_human: two human translations of one WMT document (ref-A, ref-B): neither is the
  machine's, so a verdict of "machine_rewritten" here is a false positive.

Each pair is aligned with `copies.compare_documents` exactly as the copies pass does it, and
keeps its sentence-pair differences oriented a -> b, where b is the machine's version.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import pickle
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtdetect import copies  # noqa: E402
from mtdetect.data import segments_to_text  # noqa: E402
from mtdetect.text import plain_typography  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
WMT = SHARED / "wmt" / "wmt-docs.jsonl.gz"
ROUND_TRIPS = SHARED / "roundtrip" / "roundtrip-dev.jsonl.gz"
CACHE = ROOT / ".cache"
SYSTEMS_PER_DOCUMENT = 2
DOMAINS = ("news",)


def read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        sys.exit(f"{path}: the data is not here; it lives in ../shared/data beside the repository")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def text_of(record: dict) -> str:
    return plain_typography(segments_to_text(record["segments"]))


def round_trip_versions() -> list[dict]:
    """{story, group (year), original, copies: [text]} per round-trip story."""
    by_story: dict[str, dict] = defaultdict(lambda: {"copies": []})
    for record in read_jsonl(ROUND_TRIPS):
        story = by_story[str(record["doc_id"])]
        story.update(story=f"rt:{record['doc_id']}", group=str(record["year"]))
        if record["kind"] == "original":
            story["original"] = text_of(record)
        else:
            story["copies"].append(text_of(record))
    return [s for s in by_story.values() if "original" in s and s["copies"]]


def wmt_versions(domains=DOMAINS, seed: int = 0) -> list[dict]:
    """{story, group (source language), humans: [text], machines: [(system, text)]} per WMT document."""
    by_story: dict[str, dict] = defaultdict(lambda: {"humans": [], "machines": []})
    for record in read_jsonl(WMT):
        if record["kind"] == "original" or (domains and record.get("domain") not in domains):
            continue
        story = by_story[f"{record['dataset']}:{record['doc_id']}"]
        story.update(story=f"wmt:{record['dataset']}:{record['doc_id']}", group=str(record["src_lang"]), year=record["dataset"])
        if record["kind"] == "human_translation":
            story["humans"].append((record["system"], text_of(record)))
        else:
            story["machines"].append((record["system"], text_of(record)))
    rng = random.Random(seed)
    stories = []
    for story in by_story.values():
        if not story["humans"] or not story["machines"]:
            continue
        story["humans"].sort()
        rng.shuffle(story["machines"])
        stories.append(story)
    return sorted(stories, key=lambda s: s["story"])


def _pair(kind: str, story: dict, a: str, b: str, system: str | None) -> dict:
    comparison = copies.compare_documents(a, b)
    return {
        "kind": kind,
        "story": story["story"],
        "group": story["group"],
        "system": system,
        "words": min(comparison.a.total_words, comparison.b.total_words),
        "relation": comparison.kind,
        "coverage": min(comparison.coverage_a, comparison.coverage_b),
        "differences": comparison.sentence_differences() if comparison.kind == "rewrite" else None,
        "word_pairs": _stock_pairs_only_here(comparison) if comparison.kind == "rewrite" else None,
        "drift": comparison.votes(),  # names spelled two ways: (on a's side, on b's side)
        "kept_speech": comparison.kept_speech,
        "reworded_speech": comparison.reworded_speech,
    }


def _stock_pairs_only_here(comparison) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Per aligned, reworded sentence pair (as in `differences`): the stock word pairs (on the
    list of common English bigrams) only a's sentence has, and only b's."""
    from mtdetect.frequency import common_bigrams

    stock = common_bigrams()
    a, b = comparison.a.wording, comparison.b.wording
    out = []
    for i, j, _, verbatim in comparison.sentence_pairs:
        if not verbatim:
            out.append((tuple(sorted(p for p in a.pairs[i] - b.pairs[j] if p in stock)), tuple(sorted(p for p in b.pairs[j] - a.pairs[i] if p in stock))))
    return out


def _pairs_of(story: dict) -> list[dict]:
    if "original" in story:
        return [_pair("round_trip", story, story["original"], copy, "deepl") for copy in story["copies"]]
    out = []
    human_system, human = story["humans"][0]
    for system, machine in story["machines"][:SYSTEMS_PER_DOCUMENT]:
        out.append(_pair("one_way", story, human, machine, system))
    if len(story["humans"]) > 1:
        out.append(_pair("human_human", story, human, story["humans"][1][1], None))
    return out


def all_pairs(jobs: int = -1) -> list[dict]:
    """Every pair, aligned; cached by the code of the copies package and the data files."""
    code = b"".join(p.read_bytes() for p in sorted((ROOT / "mtdetect" / "copies").glob("*.py")))
    code += (ROOT / "mtdetect" / "frequency.py").read_bytes() + Path(__file__).read_bytes()
    key = hashlib.sha256(code + str((WMT.stat().st_mtime, ROUND_TRIPS.stat().st_mtime)).encode()).hexdigest()[:16]
    path = CACHE / f"pairs-{key}.pkl"
    if path.is_file():
        return pickle.loads(path.read_bytes())
    from joblib import Parallel, delayed

    stories = round_trip_versions() + wmt_versions()
    batches = [stories[i : i + 50] for i in range(0, len(stories), 50)]
    results = Parallel(n_jobs=jobs)(delayed(lambda batch: [p for s in batch for p in _pairs_of(s)])(b) for b in batches)
    pairs = [p for batch in results for p in batch]
    CACHE.mkdir(exist_ok=True)
    path.write_bytes(pickle.dumps(pairs))
    return pairs


if __name__ == "__main__":
    from collections import Counter

    pairs = all_pairs()
    print(Counter((p["kind"], p["relation"]) for p in pairs))

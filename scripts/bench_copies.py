"""Time and memory of mtdetect.copies.StoryIndex on 100,000 generated news documents.

    python scripts/bench_copies.py [--documents 100000] [--fetch] [--seed 0]

The documents are generated at run time from the WMT data in ../shared/data (never
written to disk): every WMT document once as it is (so the machine translations of one
doc_id by different systems are real rewrites of each other), then variants of random
ones until the count is reached:

* syndicated: the same text under another site's header and footer;
* trimmed: the first paragraphs only;
* edited: one paragraph dropped and the numbers changed;
* aggregated: paragraphs of two or three unrelated documents in one page.

Each document is a recipe (which source, which variant, which random seed), so with
--fetch the index keeps no text at all and re-creates the few it aligns through its
`fetch` callback, as a scan would re-read them from the dump. Without --fetch the index
keeps them zlib-compressed. Reported: seconds per stage, peak memory (resident set) of
the whole process and what the index itself holds, pairs found and group sizes.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import random
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtdetect import copies  # noqa: E402
from mtdetect.data import segments_to_text  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "wmt" / "wmt-docs.jsonl.gz"
VARIANTS = (("syndicated", 0.3), ("trimmed", 0.2), ("edited", 0.2), ("aggregated", 0.3))
SITES = ("Daily Courier", "Metro Wire", "Evening Ledger", "World Desk", "Capital Post", "Harbor Times")
NUMBER_RE = re.compile(r"\d+")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def read_pool(path: Path = DATA) -> list[str]:
    if not path.is_file():
        sys.exit(f"{path}: the WMT data is not here; it lives in ../shared/data beside the repository")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [segments_to_text(json.loads(line)["segments"]) for line in handle]


def make_recipes(pool_size: int, total: int, seed: int) -> list[tuple]:
    """(variant, source, seed) per document: every pool document once, then variants."""
    rng = random.Random(seed)
    recipes: list[tuple] = [("as_is", i, 0) for i in range(min(pool_size, total))]
    names, weights = zip(*VARIANTS)
    while len(recipes) < total:
        recipes.append((rng.choices(names, weights)[0], rng.randrange(pool_size), rng.randrange(1 << 30)))
    rng.shuffle(recipes)
    return recipes


def build(recipe: tuple, pool: list[str]) -> str:
    variant, source, seed = recipe
    text = pool[source]
    if variant == "as_is":
        return text
    rng = random.Random(seed)
    paragraphs = text.split("\n\n")
    if variant == "syndicated":
        site = rng.choice(SITES)
        return f"{site} | News\n\n{text}\n\nShare this story. © {site}. All rights reserved."
    if variant == "trimmed":
        keep = max(1, round(len(paragraphs) * rng.uniform(0.5, 0.9)))
        return "\n\n".join(paragraphs[:keep])
    if variant == "edited":
        if len(paragraphs) > 2:
            del paragraphs[rng.randrange(len(paragraphs))]
        return NUMBER_RE.sub(lambda m: str(int(m.group()) + rng.randint(1, 9)), "\n\n".join(paragraphs))
    # aggregated: a page of excerpts from unrelated documents
    parts = []
    for other in [source] + [rng.randrange(len(pool)) for _ in range(rng.randint(1, 2))]:
        other_paragraphs = pool[other].split("\n\n")
        start = rng.randrange(len(other_paragraphs))
        parts.extend(other_paragraphs[start : start + 2])
    return "\n\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--fetch", action="store_true", help="keep no texts in the index; re-create them on demand")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    started = time.time()
    pool = read_pool()
    recipes = make_recipes(len(pool), args.documents, args.seed)
    ids = [f"d{i}" for i in range(len(recipes))]
    by_id = dict(zip(ids, recipes))
    baseline = peak_rss_mb()
    load_seconds = time.time() - started

    fetched = collections.Counter()

    def fetch(id: str) -> str:
        fetched["texts"] += 1
        return build(by_id[id], pool)

    index = copies.StoryIndex(fetch=fetch if args.fetch else None)
    started = time.time()
    characters = 0
    for id, recipe in zip(ids, recipes):
        text = build(recipe, pool)
        characters += len(text)
        index.add(id, text)
    add_seconds = time.time() - started
    held = index.memory_bytes()

    started = time.time()
    first, second, _ = index.candidate_pairs()
    candidate_seconds = time.time() - started
    started = time.time()
    report = index.finish()
    finish_seconds = time.time() - started  # includes the candidate stage again
    peak = peak_rss_mb()

    relations = collections.Counter(r["relation"] for r in report.documents.values())
    sizes = sorted((g["size"] for g in report.groups), reverse=True)
    figures = {
        "documents": len(recipes),
        "characters": characters,
        "mode": "fetch (no texts kept)" if args.fetch else "texts kept zlib-compressed",
        "seconds": {
            "load_and_generate": round(load_seconds, 1),
            "add (signatures)": round(add_seconds, 1),
            "candidates": round(candidate_seconds, 1),
            "finish (candidates + alignment)": round(finish_seconds, 1),
            "total_index": round(add_seconds + finish_seconds, 1),
        },
        "memory_mb": {
            "peak_rss": round(peak, 1),
            "rss_before_indexing": round(baseline, 1),
            "index_holds": round(held / 2**20, 1),
        },
        "pairs": {"candidates": int(first.size), **report.stats, "texts_fetched": fetched["texts"]},
        "relations": dict(relations),
        "groups": {"count": len(sizes), "largest": sizes[:5], "median": sizes[len(sizes) // 2] if sizes else 0},
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{figures['documents']:,} documents ({characters / 1e6:.0f} M characters), {figures['mode']}")
    for stage, seconds in figures["seconds"].items():
        print(f"  {stage:<34} {seconds:>7.1f} s")
    for name, value in figures["memory_mb"].items():
        print(f"  {name:<34} {value:>7.1f} MB")
    print(f"  pairs: {figures['pairs']}")
    print(f"  relations: {figures['relations']}")
    print(f"  groups: {figures['groups']}")


if __name__ == "__main__":
    main()

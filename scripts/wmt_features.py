"""Feature tables for the WMT data of ../shared/data, cached outside git.

Shared by train_default.py and evaluate.py. The cache key covers the feature names and
versions and the data file, so a changed feature is never read from a stale cache.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtdetect import training  # noqa: E402
from mtdetect.data import Example, read_examples  # noqa: E402
from mtdetect.features import REGISTRY, feature_names  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "wmt" / "wmt-docs.jsonl.gz"
SEEDS = ROOT / "seeds"
CACHE = ROOT / ".cache"


def wmt_examples(domains: tuple[str, ...] | None = None, path: Path = DATA) -> list[Example]:
    if not path.is_file():
        sys.exit(f"{path}: the WMT data is not here; it lives in ../shared/data beside the repository")
    return [e for e in read_examples(path) if domains is None or e.meta.get("domain") in domains]


def seed_examples() -> list[Example]:
    examples = []
    for line in (SEEDS / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            text = (SEEDS / row["file"]).read_text(encoding="utf-8")
            label = 1 if row["label"] == "machine" else 0
            meta = {"kind": "seed", "doc_id": "seed:" + row["file"], "domain": "news", "src_lang": "en", "system": "seed-round-trip" if label else None}
            examples.append(Example(text, label, str(SEEDS / row["file"]), meta))
    return examples


def table_for(examples: list[Example], tag: str, jobs: int = -1) -> training.FeatureTable:
    names = feature_names()
    key = hashlib.sha256(
        json.dumps([tag, [(n, REGISTRY[n].version) for n in names], len(examples), DATA.stat().st_mtime if DATA.exists() else 0]).encode()
    ).hexdigest()[:16]
    path = CACHE / f"features-{tag}-{key}.pkl"
    if path.is_file():
        with open(path, "rb") as handle:
            return pickle.load(handle)
    from tqdm import tqdm

    with tqdm(total=len(examples), unit=" docs", file=sys.stderr, mininterval=5) as bar:
        table = training.featurise(examples, names, jobs=jobs, progress=bar.update)
    CACHE.mkdir(exist_ok=True)
    with open(path, "wb") as handle:
        pickle.dump(table, handle)
    return table

"""Feature tables for the data of ../shared/data (WMT, round trips) and seeds/, cached outside git.

Shared by train_default.py and evaluate.py. Every text is read with quotes and dashes made
plain (typography says which tool set a text, not whether a machine wrote it). The cache
key covers the feature names and versions and a hash of the texts and labels, so a changed
feature or text is never read from a stale cache.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtdetect import training  # noqa: E402
from mtdetect.data import SENTENCES_PER_PARAGRAPH, Example, read_examples  # noqa: E402
from mtdetect.text import plain_typography  # noqa: E402
from mtdetect.features import REGISTRY, feature_names  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "wmt" / "wmt-docs.jsonl.gz"
ROUNDTRIP = ROOT.parent / "shared" / "data" / "roundtrip" / "roundtrip-dev.jsonl.gz"
SEEDS = ROOT / "seeds"
CACHE = ROOT / ".cache"


# Features that only measure quote style: with quotes made plain they carry nothing, and on
# real news they would read the site's CMS. They stay registered for `mtdetect train`.
TYPOGRAPHY_ONLY = ("mixed_quote_styles", "stray_quote")


def default_feature_names() -> list[str]:
    return [n for n in feature_names() if n not in TYPOGRAPHY_ONLY]


def wmt_examples(domains: tuple[str, ...] | None = None, path: Path = DATA) -> list[Example]:
    if not path.is_file():
        sys.exit(f"{path}: the WMT data is not here; it lives in ../shared/data beside the repository")
    examples = [e for e in read_examples(path) if domains is None or e.meta.get("domain") in domains]
    for e in examples:
        e.text = plain_typography(e.text)
        e.meta.update(task="one_way", corpus="wmt")
    return examples


def roundtrip_examples(path: Path = ROUNDTRIP) -> list[Example]:
    """English originals and their round trips (English -> German -> English by DeepL).

    An original and its round trip share doc_id; `group` puts a whole year of them on one
    side of every validation split (the check uses other documents, so years stand in)."""
    if not path.is_file():
        sys.exit(f"{path}: the round-trip data is not here; it lives in ../shared/data beside the repository")
    examples = list(read_examples(path))
    for e in examples:
        e.text = plain_typography(e.text)
        e.meta.update(doc_id=f"rt:{e.meta['doc_id']}", src_lang="en", domain="news", group=f"roundtrip-{e.meta['year']}", task="round_trip", corpus="roundtrip")
    return examples


def mixed_examples(path: Path = ROUNDTRIP, rewritten: int = 1) -> list[Example]:
    """Each original with every other paragraph (3 segments) replaced by its round trip: a story
    partly rewritten, to see whether paragraph scores tell the rewritten paragraphs from the
    untouched ones. `rewritten` 1: paragraphs 1, 3, 5... are the round trip's, the first
    (usually the headline) kept, as evaluate.py reads them; 0: paragraphs 0, 2, 4...
    meta["machine_paragraphs"] lists the rewritten paragraphs' indices."""
    pairs: dict[str, dict] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            pairs.setdefault(record["doc_id"], {})[record["kind"]] = record
    examples = []
    for doc_id, pair in sorted(pairs.items()):
        original, round_trip = pair["original"]["segments"], pair["round_trip"]["segments"]
        paragraphs, machine = [], []
        for index, start in enumerate(range(0, len(original), SENTENCES_PER_PARAGRAPH)):
            source = round_trip if index % 2 == rewritten else original
            paragraphs.append(" ".join(s.strip() for s in source[start : start + SENTENCES_PER_PARAGRAPH]))
            if index % 2 == rewritten:
                machine.append(index)
        year = pair["original"]["year"]
        meta = {"kind": "mixed", "doc_id": f"rt:{doc_id}", "year": year, "group": f"roundtrip-{year}", "corpus": "mixed", "machine_paragraphs": machine}
        examples.append(Example(plain_typography("\n\n".join(paragraphs)), 1, f"mixed-{rewritten}:{doc_id}", meta))
    return examples


def partly_rewritten_table(names: list[str], jobs: int = -1) -> training.FeatureTable:
    """Both partly rewritten versions of every round trip (odd paragraphs rewritten, and even),
    for the paragraph model: each paragraph labelled on its own, the headline rewritten in
    one version and kept in the other, so its place in the text says nothing."""
    return table_for(mixed_examples(rewritten=1) + mixed_examples(rewritten=0), "partly-rewritten", jobs, names)


def seed_examples() -> list[Example]:
    examples = []
    for line in (SEEDS / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            text = plain_typography((SEEDS / row["file"]).read_text(encoding="utf-8"))
            label = 1 if row["label"] == "machine" else 0
            meta = {"kind": "seed", "doc_id": "seed:" + row["file"], "domain": "news", "src_lang": "en", "system": "seed-round-trip" if label else None, "group": "seeds", "task": "round_trip", "corpus": "seeds"}
            examples.append(Example(text, label, str(SEEDS / row["file"]), meta))
    return examples


def table_for(
    examples: list[Example], tag: str, jobs: int = -1, names: list[str] | None = None, also_without: frozenset = frozenset()
) -> training.FeatureTable:
    """Feature rows of the examples; the extracted values are cached, the rows built fresh.

    `also_without`: direction-vote groups (("round_trip", year), ...) that the weights of every
    text's machine_word_choice and machine_word_pairs must not have seen either
    (scripts/check_word_choice_leak.py).
    """
    names = feature_names() if names is None else list(names)
    digest = hashlib.sha256(json.dumps([tag, [(n, REGISTRY[n].version) for n in names]]).encode())
    for e in examples:
        digest.update(f"{e.label}\0{e.meta.get('doc_id')}\0{e.text}\0".encode())
    path = CACHE / f"values-{tag}-{digest.hexdigest()[:16]}.pkl"
    if path.is_file():
        with open(path, "rb") as handle:
            values = pickle.load(handle)
    else:
        from tqdm import tqdm

        with tqdm(total=len(examples), unit=" docs", file=sys.stderr, mininterval=5) as bar:
            values = training.extract_values(examples, names, jobs=jobs, progress=bar.update)
        CACHE.mkdir(exist_ok=True)
        with open(path, "wb") as handle:
            pickle.dump(values, handle)
    if WORD_CHOICE in names or WORD_PAIRS in names:
        values = _word_choice_held_out(examples, names, values, also_without)
    return training.assemble(examples, names, values)


WORD_CHOICE = "machine_word_choice"
WORD_PAIRS = "machine_word_pairs"


def _direction_fold(example: Example) -> tuple[str, str] | None:
    """The group whose pairs the direction votes must not have seen when weighing this text's words."""
    meta = example.meta
    if meta.get("corpus") in ("roundtrip", "mixed"):
        return ("round_trip", str(meta["year"]))
    if meta.get("corpus") == "wmt":
        return ("one_way", str(meta.get("src_lang")))
    return None


def _word_choice_held_out(examples: list[Example], names: list[str], values: list, also_without: frozenset = frozenset()) -> list:
    """`values` with the machine_word_choice and machine_word_pairs columns made by fits that never saw the text's group.

    The bundled direction model was fitted on these very round trips and translations, so its
    weights would read each text's own word swaps back: the columns are made again, per text,
    with the weights fitted without its year (round trips) or its source language (WMT), and
    without the groups of `also_without`; texts of no group (the seeds) get the weights fitted
    on every other pair. Each text is split once for both columns.
    """
    from fit_direction import word_pair_weights_without, word_weights_without
    from pairs_data import all_pairs

    from mtdetect.features.word_choice import word_choice_lean, word_pair_lean
    from mtdetect.text import Document

    columns = [
        (names.index(name), fit, lean)
        for name, fit, lean in ((WORD_CHOICE, word_weights_without, word_choice_lean), (WORD_PAIRS, word_pair_weights_without, word_pair_lean))
        if name in names
    ]
    pairs, weights = all_pairs(), {}
    out = []
    for example, (document_values, paragraph_values) in zip(examples, values):
        fold = _direction_fold(example)
        excluded = also_without | ({fold} if fold else set())
        doc = Document(example.text)
        document_values = list(document_values)
        paragraph_values = [list(row) for row in paragraph_values]
        for column, fit, lean in columns:
            if (fit, excluded) not in weights:
                weights[fit, excluded] = fit(pairs, excluded)
            paragraphs, overall = lean(doc, weights[fit, excluded])
            document_values[column] = overall
            for row, value in zip(paragraph_values, paragraphs):
                row[column] = value
        out.append((document_values, paragraph_values))
    return out

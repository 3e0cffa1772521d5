"""How well does each registered feature separate machine from human English?

Reads the WMT documents (news only by default), runs every registered feature once per
document (over all cores), and prints per feature:

* how often it is non-zero, and its mean, on machine translations (MT), human
  translations (HT) and original English (OE);
* single-feature document AUCs, machine scored as the positive class, so a feature that is
  HIGHER on human text shows an AUC below 0.5:
    - mt/ht:   MT vs HT, pooled over the doc_ids that have both;
    - paired:  MT vs HT of the very same doc_id (the share of (MT, HT) pairs of one doc_id
               that the feature orders right, averaged over doc_ids): the story is held fixed;
    - mt/oe:   MT vs original English;
    - per source language (cs, de, ja, ...): the pooled mt/ht AUC within that language.

--combined adds a logistic regression over all features (document values and the largest
paragraph value of each), validated leave-one-source-language-out: trained on MT vs HT of
the other languages, scored on the held-out language; original English is never trained on.
--unseen-systems also drops from training every MT system that appears in the held-out
language, so the score is for machines never seen in training.

Nothing is cached and no data text is ever printed.

    python scripts/feature_auc.py [--data PATH] [--all-domains] [--features a,b] [--combined]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import types
from collections import defaultdict
from importlib import import_module
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mtdetect.data import read_wmt
from mtdetect.text import plain_typography

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/wmt/wmt-docs.jsonl.gz"
MT, HT, OE = "machine_translation", "human_translation", "original"
CHUNK = 64


def load_registry() -> dict:
    """Import every feature module; one that fails to import is reported and skipped, so a
    feature being written elsewhere cannot stop the measurement of the others."""
    from mtdetect import features

    for module in features.FEATURE_MODULES:
        name = f"{features.__name__}.{module}"
        try:
            import_module(name)
        except Exception as error:  # noqa: BLE001 - any failure: skip that module
            print(f"warning: feature module {module} failed to import ({type(error).__name__}: {error}); skipped", file=sys.stderr)
            sys.modules[name] = types.ModuleType(name)  # so load_all() does not retry it
    return features.REGISTRY


def extract_chunk(texts: list[str], names: list[str]) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Document values and peak paragraph values for each text; a feature that raises on a
    text gets NaN there and is counted, never stops the run."""
    from mtdetect.features import extract
    from mtdetect.text import Document

    load_registry()
    whole = np.full((len(texts), len(names)), np.nan)
    peak = np.full((len(texts), len(names)), np.nan)
    errors: dict[str, int] = defaultdict(int)
    for row, text in enumerate(texts):
        doc = Document(text)
        for column, name in enumerate(names):
            try:
                result = extract(doc, [name])
            except Exception:  # noqa: BLE001 - counted and reported
                errors[name] += 1
                continue
            whole[row, column] = result.document_values[0]
            peak[row, column] = max((p[0] for p in result.paragraph_values), default=0.0)
    return whole, peak, dict(errors)


def auc(positive: np.ndarray, negative: np.ndarray) -> float:
    positive, negative = positive[~np.isnan(positive)], negative[~np.isnan(negative)]
    if len(positive) == 0 or len(negative) == 0:
        return math.nan
    return float(roc_auc_score(np.r_[np.ones(len(positive)), np.zeros(len(negative))], np.r_[positive, negative]))


def paired_auc(values: np.ndarray, by_doc: dict[str, tuple[list[int], list[int]]]) -> float:
    """Mean over doc_ids of P(MT value > HT value) (+ half the ties) for that doc_id's pairs."""
    shares = []
    for machine, human in by_doc.values():
        a, b = values[machine][:, None], values[human][None, :]
        if np.isnan(a).any() or np.isnan(b).any():
            continue
        shares.append(float((a > b).mean() + 0.5 * (a == b).mean()))
    return float(np.mean(shares)) if shares else math.nan


def fmt(value: float) -> str:
    return "  -  " if math.isnan(value) else f"{value:.3f}"


def report_features(names, kinds, whole, meta, by_doc, languages) -> None:
    kinds_arr = np.array([m["kind"] for m in meta])
    lang_arr = np.array([str(m.get("src_lang")) for m in meta])
    both = np.array([m.get("doc_id") in by_doc for m in meta])
    mt, ht, oe = kinds_arr == MT, kinds_arr == HT, kinds_arr == OE
    header = f"{'feature':30} {'kind':4} {'nz MT':>6} {'nz HT':>6} {'nz OE':>6} {'mean MT':>9} {'mean HT':>9} {'mean OE':>9} {'mt/ht':>6} {'paired':>6} {'mt/oe':>6}  " + " ".join(f"{l:>5}" for l in languages)
    print(header)
    print("-" * len(header))
    for column, name in enumerate(names):
        v = whole[:, column]

        def nonzero(mask):
            x = v[mask]
            x = x[~np.isnan(x)]
            return float((x != 0).mean()) if len(x) else math.nan

        def mean(mask):
            x = v[mask]
            x = x[~np.isnan(x)]
            return float(x.mean()) if len(x) else math.nan

        per_language = [auc(v[mt & both & (lang_arr == l)], v[ht & both & (lang_arr == l)]) for l in languages]
        print(
            f"{name:30} {kinds[name][:4]:4} {nonzero(mt):6.3f} {nonzero(ht):6.3f} {nonzero(oe):6.3f} "
            f"{mean(mt):9.4g} {mean(ht):9.4g} {mean(oe):9.4g} {fmt(auc(v[mt & both], v[ht & both])):>6} "
            f"{fmt(paired_auc(v, by_doc)):>6} {fmt(auc(v[mt], v[oe])):>6}  " + " ".join(f"{fmt(a):>5}" for a in per_language)
        )


def combined(names, whole, peak, meta, by_doc, languages, unseen_systems: bool, C: float) -> np.ndarray:
    """Leave-one-source-language-out logistic regression; returns held-out scores for MT/HT
    rows and, for original English, the mean score of the per-fold models."""
    X = np.nan_to_num(np.hstack([whole, peak]), nan=0.0)
    kinds = np.array([m["kind"] for m in meta])
    lang = np.array([str(m.get("src_lang")) for m in meta])
    system = np.array([str(m.get("system")) for m in meta])
    y = (kinds == MT).astype(int)
    translated = kinds != OE
    scores = np.zeros(len(meta))
    original_scores = np.zeros(int((kinds == OE).sum()))
    for held_out in languages:
        test = lang == held_out
        train = translated & ~test
        if unseen_systems:
            train &= ~np.isin(system, np.unique(system[test & (kinds == MT)]))
        model = make_pipeline(StandardScaler(), LogisticRegression(C=C, class_weight="balanced", max_iter=5000))
        model.fit(X[train], y[train])
        scores[test] = model.decision_function(X[test])
        if original_scores.size:
            original_scores += model.decision_function(X[kinds == OE]) / len(languages)
        print(
            f"  fold {held_out}: trained on {int(train.sum())} docs ({int((train & (y == 1)).sum())} MT from "
            f"{len(np.unique(system[train & (y == 1)]))} systems), tested on {int(test.sum())}",
            file=sys.stderr,
        )
    scores[kinds == OE] = original_scores
    return scores


def report_combined(scores, meta, by_doc, languages, label: str) -> None:
    kinds = np.array([m["kind"] for m in meta])
    lang = np.array([str(m.get("src_lang")) for m in meta])
    both = np.array([m.get("doc_id") in by_doc for m in meta])
    mt, ht, oe = kinds == MT, kinds == HT, kinds == OE
    per_language = " ".join(f"{l}:{fmt(auc(scores[mt & both & (lang == l)], scores[ht & both & (lang == l)]))}" for l in languages)
    print(
        f"{label}: mt/ht {fmt(auc(scores[mt & both], scores[ht & both]))}  paired {fmt(paired_auc(scores, by_doc))}  "
        f"mt/oe {fmt(auc(scores[mt], scores[oe]))}  | {per_language}"
    )
    systems = sorted({m.get("system") for m in meta if m["kind"] == MT})
    rows = []
    for s in systems:
        mask = mt & both & np.array([m.get("system") == s for m in meta])
        docs = {m.get("doc_id") for m, keep in zip(meta, mask) if keep}
        human = ht & np.array([m.get("doc_id") in docs for m in meta])
        rows.append((auc(scores[mask], scores[human]), s, int(mask.sum())))
    print("  per MT system (vs HT of the same doc_ids): " + ", ".join(f"{s} {fmt(a)} (n={n})" for a, s, n in sorted(rows)))


def main() -> None:
    parser = argparse.ArgumentParser(description="Per-feature document AUCs on the WMT data.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--all-domains", action="store_true", help="all domains, not only news")
    parser.add_argument("--features", help="comma-separated feature names (default: all registered)")
    parser.add_argument("--combined", action="store_true", help="leave-one-language-out logistic regression over the features")
    parser.add_argument("--unseen-systems", action="store_true", help="with --combined: never train on a system of the held-out language")
    parser.add_argument("--C", type=float, default=1.0, help="inverse regularisation strength for --combined")
    parser.add_argument("--jobs", type=int, default=-1)
    args = parser.parse_args()

    registry = load_registry()
    names = args.features.split(",") if args.features else sorted(registry)
    unknown = [n for n in names if n not in registry]
    if unknown:
        parser.error(f"unknown features: {', '.join(unknown)}; known: {', '.join(sorted(registry))}")
    kinds = {n: registry[n].kind for n in names}

    started = time.time()
    examples = read_wmt(args.data, domains=None if args.all_domains else ("news",))
    meta = [e.meta for e in examples]
    texts = [plain_typography(e.text) for e in examples]  # quotes and dashes say which tool set a text: read them plain
    del examples
    chunks = [texts[i : i + CHUNK] for i in range(0, len(texts), CHUNK)]
    results = Parallel(n_jobs=args.jobs)(delayed(extract_chunk)(chunk, names) for chunk in chunks)
    whole = np.vstack([r[0] for r in results])
    peak = np.vstack([r[1] for r in results])
    errors: dict[str, int] = defaultdict(int)
    for _, _, chunk_errors in results:
        for name, count in chunk_errors.items():
            errors[name] += count
    words = sum(len(t.split()) for t in texts)
    elapsed = time.time() - started
    print(f"{len(texts)} documents ({'all domains' if args.all_domains else 'news'}), {words} words, {len(names)} features, {elapsed:.0f} s")
    for name, count in sorted(errors.items()):
        print(f"warning: {name} raised on {count} documents (left out of its figures)")

    by_doc: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for index, m in enumerate(meta):
        if m["kind"] in (MT, HT):
            by_doc[m.get("doc_id")][0 if m["kind"] == MT else 1].append(index)
    by_doc = {d: v for d, v in by_doc.items() if v[0] and v[1]}
    languages = sorted({str(m.get("src_lang")) for m in meta if m["kind"] != OE})
    counts = {k: sum(1 for m in meta if m["kind"] == k) for k in (MT, HT, OE)}
    print(f"MT {counts[MT]}, HT {counts[HT]}, OE {counts[OE]}; {len(by_doc)} doc_ids with both MT and HT")
    print("AUC: machine is the positive class (below 0.5: the feature is higher on human text)\n")
    report_features(names, kinds, whole, meta, by_doc, languages)

    if args.combined:
        print()
        scores = combined(names, whole, peak, meta, by_doc, languages, False, args.C)
        report_combined(scores, meta, by_doc, languages, "combined, leave-one-language-out")
        if args.unseen_systems:
            scores = combined(names, whole, peak, meta, by_doc, languages, True, args.C)
            report_combined(scores, meta, by_doc, languages, "combined, leave-one-language-out, unseen systems")


if __name__ == "__main__":
    main()

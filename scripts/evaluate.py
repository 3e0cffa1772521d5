"""The validation table: AUCs, flag rates at the threshold, per language and per system,
leave-one-system-out and leave-one-language-out, on the WMT data of ../shared/data.

    python scripts/evaluate.py [--domains news] [--classifier logistic] [--quick]

Every split keeps whole documents (doc_id) on one side; machine translations are compared
with the human translations of the same documents.
"""

from __future__ import annotations

import argparse
import json
import random
import sys

import numpy as np
from wmt_features import seed_examples, table_for, wmt_examples

from mtdetect import model, training


def fit_predict(table, train_idx, test_idx, classifier, threshold=None, fpr=training.HUMAN_FPR_TARGET):
    train, test = table.subset(train_idx), table.subset(test_idx)
    detector = model.fit(train.training_set(), table.names, classifier)
    doc_scores, par_scores = training.predict(detector, test)
    if threshold is None:  # threshold from the training documents' own human scores
        train_scores, _ = training.predict(detector, train)
        threshold = training.choose_threshold(train_scores[train.labels == 0], fpr)
    return training.metrics(test, doc_scores, par_scores, threshold)


def halves(table, seed=0):
    groups = sorted({training._group(m) for m in table.meta})
    random.Random(seed).shuffle(groups)
    first = set(groups[: len(groups) // 2])
    return [training._group(m) in first for m in table.meta]


def leave_one_out(table, key, classifier):
    """For each value of `key` (system or src_lang): train without it on half the documents,
    test it on the other half (its machine translations vs the human ones of those documents)."""
    in_first = halves(table)
    rows = {}
    values = sorted({str(m.get(key)) for m, y in zip(table.meta, table.labels) if y == 1 and m.get(key)})
    for value in values:
        scores = []
        for test_half in (True, False):
            train_idx = [i for i, m in enumerate(table.meta) if in_first[i] != test_half and str(m.get(key)) != value]
            test_docs = {training._group(m) for i, m in enumerate(table.meta) if in_first[i] == test_half and str(m.get(key)) == value and table.labels[i] == 1}
            test_idx = [i for i, m in enumerate(table.meta) if training._group(m) in test_docs and (table.labels[i] == 0 or str(m.get(key)) == value)]
            if key == "src_lang":  # hold the language out of training entirely
                train_idx = [i for i in train_idx if str(table.meta[i].get("src_lang")) != value]
            if len(set(table.labels[test_idx])) == 2 and len(set(table.labels[train_idx])) == 2:
                scores.append(fit_predict(table, train_idx, test_idx, classifier))
        if scores:
            rows[value] = {
                "auc_vs_human_translation": _mean(s["auc_vs_human_translation"] for s in scores),
                "machine_flagged": _mean(s["machine_flagged"] for s in scores),
                "human_flagged": _mean(s["human_flagged"] for s in scores),
                "machine": sum(s["machine"] for s in scores),
                "human": sum(s["human"] for s in scores),
            }
        print(f"  {key}={value}: {rows.get(value)}", file=sys.stderr)
    return rows


def _mean(values):
    values = [v for v in values if v is not None]
    return round(float(np.mean(values)), 4) if values else None


def seeds_verdicts(table, classifier):
    """Train on WMT only, score the seeds."""
    is_seed = [m.get("kind") == "seed" for m in table.meta]
    train_idx = [i for i, s in enumerate(is_seed) if not s]
    seed_idx = [i for i, s in enumerate(is_seed) if s]
    train = table.subset(train_idx)
    detector = model.fit(train.training_set(), table.names, classifier)
    train_scores, _ = training.predict(detector, train)
    threshold = training.choose_threshold(train_scores[train.labels == 0])
    seeds = table.subset(seed_idx)
    scores, _ = training.predict(detector, seeds)
    return {m["source"].split("/")[-1]: {"label": int(y), "score": round(float(s), 4), "flagged": bool(s >= threshold)} for m, y, s in zip(seeds.meta, seeds.labels, scores)}


def print_table(title, rows):
    print(f"\n{title}")
    print(f"{'':22} {'AUC MT/HT':>10} {'MT flagged':>11} {'HT flagged':>11} {'n MT':>6} {'n H':>5}")
    for name, r in rows.items():
        print(f"{name:22} {_fmt(r.get('auc_vs_human_translation', r.get('auc'))):>10} {_fmt(r.get('machine_flagged')):>11} {_fmt(r.get('human_flagged')):>11} {r.get('machine', ''):>6} {r.get('human', ''):>5}")


def _fmt(value):
    return "-" if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--domains", default="all")
    parser.add_argument("--classifier", default="logistic", choices=["logistic", "boosting"])
    parser.add_argument("--jobs", type=int, default=-1)
    parser.add_argument("--quick", action="store_true", help="grouped validation and seeds only")
    parser.add_argument("--json", help="also write all figures to this JSON file")
    args = parser.parse_args()

    domains = None if args.domains == "all" else tuple(args.domains.split(","))
    table = table_for(wmt_examples(domains) + seed_examples(), f"train-{args.domains}", args.jobs)
    wmt_idx = [i for i, m in enumerate(table.meta) if m.get("kind") != "seed"]
    wmt = table.subset(wmt_idx)

    figures = {}
    report, threshold = training.cross_validate(wmt, args.classifier)
    figures["grouped_validation"] = report
    print("grouped cross-validation (4 folds; documents and MT systems held out together; per-fold thresholds from the other folds):")
    for key in ("documents", "auc", "auc_vs_human_translation", "auc_vs_original", "paragraph_auc", "threshold", "machine_flagged", "human_flagged", "human_translation_flagged", "original_flagged"):
        print(f"  {key:28} {report.get(key)}")
    print_table("by source language (grouped cross-validation)", report["by_language"])
    print_table("by domain (grouped cross-validation)", report["by_domain"])
    figures["seeds"] = seeds_verdicts(table, args.classifier)
    print("\nseeds (model trained on WMT only):")
    for name, verdict in figures["seeds"].items():
        print(f"  {name:28} label {'machine' if verdict['label'] else 'human  '} score {verdict['score']:.3f} {'FLAGGED' if verdict['flagged'] else ''}")
    if not args.quick:
        figures["leave_one_language_out"] = leave_one_out(wmt, "src_lang", args.classifier)
        print_table("leave-one-language-out (the language never seen in training)", figures["leave_one_language_out"])
        figures["leave_one_system_out"] = leave_one_out(wmt, "system", args.classifier)
        print_table("leave-one-system-out (the system never seen in training)", figures["leave_one_system_out"])
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(figures, handle, indent=2)


if __name__ == "__main__":
    main()

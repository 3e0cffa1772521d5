"""Rebuild models/default.joblib and its card from ../shared/data and seeds/.

    python scripts/train_default.py [--domains news,...] [--classifier logistic|boosting]

Trains on WMT news (one-way machine translations into English against human translations
of the same documents and original English), the round trips of English news (against
their originals) and the seeds, every text with quotes and dashes made plain. The paragraph
model also learns from partly rewritten round trips (every other paragraph the round trip's),
each paragraph labelled on its own.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys

from wmt_features import (
    DATA,
    ROOT,
    ROUNDTRIP,
    default_feature_names,
    partly_rewritten_table,
    roundtrip_examples,
    seed_examples,
    table_for,
    wmt_examples,
)

from mtdetect import model, training
from mtdetect.copies.direction import DIRECTION_MODEL_FILE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--domains", default="news", help="comma-separated WMT domains to train on, or 'all'")
    parser.add_argument("--classifier", default="logistic", choices=["logistic", "boosting"])
    parser.add_argument("--fpr", type=float, default=training.HUMAN_FPR_TARGET)
    parser.add_argument("--jobs", type=int, default=-1)
    parser.add_argument("--out", default=str(ROOT / "models" / "default.joblib"))
    args = parser.parse_args()

    domains = None if args.domains == "all" else tuple(args.domains.split(","))
    examples = wmt_examples(domains) + roundtrip_examples() + seed_examples()
    table = table_for(examples, f"train-{args.domains}-roundtrip", args.jobs, default_feature_names())
    partly = partly_rewritten_table(table.names, args.jobs)
    detector, report = training.train(table, args.classifier, args.fpr, partly=partly)
    counts = collections.Counter((e.label, e.meta.get("corpus"), e.meta.get("kind")) for e in examples)
    groups = report["human_groups"]
    rates = [g["rate"] for g in groups.values() if g["human"] >= training.MIN_GROUP]
    card = {
        "name": "default",
        "description": "Default mtdetect model: artifact features and word statistics, calibrated classifiers.",
        "training": {
            "data": f"WMT newstest2021 + generaltest2022 English documents ({DATA.name}: machine translations into English "
            "by the submitted systems, human translations of the same documents, original English); round trips of "
            f"English news ({ROUNDTRIP.name}: WMT 2009-2014 English originals, to German by professional translators "
            "and back by DeepL, against their originals); seeds/. Quotes and dashes made plain on every text. "
            "The paragraph model also learns from both partly rewritten versions of every round trip (every other "
            "three-sentence paragraph the round trip's, the odd ones or the even ones), each paragraph labelled on its own.",
            "partly_rewritten_paragraphs": len(partly.paragraph_document),
            "partly_rewritten_share": training.PARTLY_REWRITTEN_SHARE,
            "domains": args.domains,
            "documents": len(examples),
            "by_kind": {f"{'machine' if k[0] else 'human'}/{k[1]}/{k[2]}": v for k, v in sorted(counts.items(), key=str)},
            "languages": sorted({str(e.meta.get('src_lang')) for e in examples}),
            "systems": len({e.meta.get("system") for e in examples if e.label == 1}),
            "weighting": "each task (one-way translation, round trip) gets half of each class's weight",
            "classifier": args.classifier,
            "artifact_weights": "never negative: artifacts and the pooled artifact counts only ever weigh towards the machine "
            "(mtdetect.classifiers)",
            "word_choice_weights": f"machine_word_choice and machine_word_pairs read the word weights and word pairs of "
            f"models/{DIRECTION_MODEL_FILE} (its SHA-256 is the card's word_choice_weights; loading checks it): refit this model "
            "after scripts/fit_direction.py. In training and validation each text's values came from weights fitted "
            "without its year (round trips) or its source language (WMT).",
            "terms": "WMT data is for research purposes; no text of it is stored in the model, only fitted weights.",
        },
        "validation": report,
        "threshold_fpr_target": args.fpr,
        "held_out_human_fpr_spread": {
            "groups": {name: g["rate"] for name, g in groups.items()},
            "min": min(rates) if rates else None,
            "max": max(rates) if rates else None,
            "note": f"out-of-fold rates at per-fold thresholds; groups under {training.MIN_GROUP} documents are noisy",
        },
        "intended_use": "Evidence for a person to weigh, not a verdict on an author.",
    }
    model.save(detector, args.out, card)
    summary = {k: report[k] for k in ("auc_vs_human_translation", "auc_vs_original", "paragraph_auc", "threshold", "machine_flagged", "human_flagged")}
    summary["same_documents"] = report["same_documents"]
    print(json.dumps(summary, indent=2))
    print(f"wrote {args.out} ({detector.signature})", file=sys.stderr)


if __name__ == "__main__":
    main()

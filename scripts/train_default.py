"""Rebuild models/default.joblib and its card from ../shared/data and seeds/.

    python scripts/train_default.py [--domains news,...] [--classifier logistic|boosting]
"""

from __future__ import annotations

import argparse
import collections
import json
import sys

from wmt_features import DATA, ROOT, seed_examples, table_for, wmt_examples

from mtdetect import model, training


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--domains", default="all", help="comma-separated WMT domains to train on, or 'all'")
    parser.add_argument("--classifier", default="logistic", choices=["logistic", "boosting"])
    parser.add_argument("--fpr", type=float, default=training.HUMAN_FPR_TARGET)
    parser.add_argument("--jobs", type=int, default=-1)
    parser.add_argument("--out", default=str(ROOT / "models" / "default.joblib"))
    args = parser.parse_args()

    domains = None if args.domains == "all" else tuple(args.domains.split(","))
    examples = wmt_examples(domains) + seed_examples()
    table = table_for(examples, f"train-{args.domains}", args.jobs)
    detector, report = training.train(table, args.classifier, args.fpr)
    counts = collections.Counter((e.label, e.meta.get("kind")) for e in examples)
    card = {
        "name": "default",
        "description": "Default mtdetect model: artifact features, calibrated classifier.",
        "training": {
            "data": f"WMT newstest2021 + generaltest2022 English documents ({DATA.name}: machine translations into English "
            "by the submitted systems, human translations of the same documents, original English), plus seeds/",
            "domains": args.domains,
            "documents": len(examples),
            "by_kind": {f"{'machine' if k[0] else 'human'}/{k[1]}": v for k, v in sorted(counts.items(), key=str)},
            "languages": sorted({str(e.meta.get('src_lang')) for e in examples}),
            "systems": len({e.meta.get("system") for e in examples if e.label == 1}),
            "classifier": args.classifier,
            "terms": "WMT data is for research purposes; no text of it is stored in the model, only fitted weights.",
        },
        "validation": report,
        "threshold_fpr_target": args.fpr,
        "intended_use": "Evidence for a person to weigh, not a verdict on an author.",
    }
    model.save(detector, args.out, card)
    print(json.dumps({k: report[k] for k in ("auc", "auc_vs_human_translation", "auc_vs_original", "paragraph_auc", "threshold", "machine_flagged", "human_flagged")}, indent=2))
    print(f"wrote {args.out} ({detector.signature})", file=sys.stderr)


if __name__ == "__main__":
    main()

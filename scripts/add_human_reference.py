"""Add what human news shows (per-feature medians) to a model card that lacks it.

    python scripts/add_human_reference.py [models/default.json] [--jobs -1]

Models trained by this mtdetect store `human_reference` in their card already
(model.fit); this is for a card written before that. Only the card changes: the
weights, and so their SHA-256, stay as they are. The medians come from the human news
documents of the WMT data and the round-trip originals in ../shared/data and the human
seeds, prepared as scripts/train_default.py prepares them.
"""

from __future__ import annotations

import argparse
import json
import sys

from wmt_features import ROOT, roundtrip_examples, seed_examples, wmt_examples

from mtdetect import model, training


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("card", nargs="?", default=str(ROOT / "models" / "default.json"))
    parser.add_argument("--domains", default="news", help="comma-separated WMT domains, or 'all'")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()

    with open(args.card, encoding="utf-8") as handle:
        card = json.load(handle)
    names = [feature["name"] for feature in card["features"]]
    domains = None if args.domains == "all" else tuple(args.domains.split(","))
    # The same human texts, prepared the same way, as scripts/train_default.py trains on.
    humans = [e for e in wmt_examples(domains) + roundtrip_examples() + seed_examples() if e.label == 0]
    table = training.featurise(humans, names, jobs=args.jobs)
    card["human_reference"] = model.human_reference(table.training_set(), names)
    card["human_reference"]["data"] = f"human WMT documents ({args.domains}), round-trip originals and human seeds, typography made plain"
    with open(args.card, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(card, indent=2) + "\n")
    print(f"{args.card}: human_reference from {len(humans)} human documents", file=sys.stderr)


if __name__ == "__main__":
    main()

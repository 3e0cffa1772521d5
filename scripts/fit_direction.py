"""Fit and validate the copy-direction model (sentence-pair votes), and write models/copy_direction.json.

    python scripts/fit_direction.py [--c 0.1] [--no-write] [--json]

Validation holds out whole groups: each year of the round trips in turn (the other years
and all one-way pairs train), and each source language of the one-way pairs in turn (all
round trips and the other languages train). The calibration factor of every fold is fitted
on the training pairs' own out-of-fold sums, so no held-out pair sets it. Printed: how often
the machine's version is called the machine's, per held-out year and per pair kind, the mean
calibrated probability, and how often two human translations of one document reach the
probability at which a rewrite is called machine-made. Every round trip is DeepL's, so the
year folds never hide the MT system: "round_trip/no round trip in training" reads them with
votes fitted on the one-way pairs alone, a system and a kind of pair the votes never saw.
"one_way/MT system held out" reads each MT system's one-way pairs with votes fitted without
that system (the kind of pair seen, the system not: the check's round trips come from a
system we do not have), with the word weights and without them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict

import numpy as np
from pairs_data import ROOT, all_pairs

from mtdetect.copies.direction import DIRECTION_MODEL_FILE, WORD_VOCABULARY, DirectionModel

HUMAN_PAIR_RATE = 0.05  # two people's versions of one text called machine-made at most this often (out-of-fold)
# The other levels the card records, for users who trade more human rewrites called machine-made
# for more machine copies found (`mtdetect scan --copies-false-alarms`).
OPERATING_RATES = (0.02, 0.05, 0.1, 0.2)
# Reworded sentence pairs per document: the votes add up over them, and one translator's steady
# habits add up too, so how often two human versions are called machine-made depends on length.
LENGTH_BINS = ((1, 10), (11, 15), (16, 25), (26, None))
MIN_SYSTEM_PAIRS = 40  # an MT system is held out on its own when it has this many one-way pairs


ROUND_TRIP_WEIGHT = 5.0  # the round trips are the target; there are 7x fewer of them than one-way pairs


def fit(pairs: list[dict], c: float, vocabulary_size: int = WORD_VOCABULARY) -> DirectionModel:
    """Weights from every sentence pair; the calibration from 3 inner folds' held-out votes."""
    weights = [ROUND_TRIP_WEIGHT if p["kind"] == "round_trip" else 1.0 for p in pairs]
    model = DirectionModel.fit([p["differences"] for p in pairs], weights, c=c, vocabulary_size=vocabulary_size)
    stories = sorted({p["story"] for p in pairs})
    fold = {s: i % 3 for i, s in enumerate(stories)}
    held_out_votes = []
    for k in range(3):
        inside = [i for i, p in enumerate(pairs) if fold[p["story"]] != k]
        inner = DirectionModel.fit([pairs[i]["differences"] for i in inside], [weights[i] for i in inside], c=c, vocabulary_size=vocabulary_size)
        held_out_votes += [inner.votes(p["differences"]) for p in pairs if fold[p["story"]] == k]
    return model.fit_calibration(held_out_votes)


def word_weights_without(pairs: list[dict], groups: frozenset, c: float = 0.1) -> dict[str, float]:
    """The word weights of votes fitted without the pairs of `groups` (("round_trip", year) or
    ("one_way", language)), for the detector's machine_word_choice column (scripts/wmt_features.py).

    A round trip's or a translation's word choice must be weighed by votes that never saw its
    group, or the detector would learn from values its own story set.
    """
    kept = [p for p in pairs if p["kind"] in ("round_trip", "one_way") and usable(p) and (p["kind"], p["group"]) not in groups]
    weights = [ROUND_TRIP_WEIGHT if p["kind"] == "round_trip" else 1.0 for p in kept]
    return dict(DirectionModel.fit([p["differences"] for p in kept], weights, c=c).word_weight)


MIN_WORD_PAIR_COUNT = 5  # a stock word pair gets a lean when this many training sentence pairs have it on one side


def word_pair_weights_without(pairs: list[dict], groups: frozenset, c: float = 0.1) -> dict[str, float]:
    """The lean of each stock word pair (positive: the machine's version has it and the other not),
    fitted like the votes' word weights on aligned, reworded sentence pairs, without the pairs of
    `groups`: for the detector's machine_word_pairs, which reads it on one text alone."""
    from collections import Counter

    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    kept = [p for p in pairs if p["kind"] in ("round_trip", "one_way") and usable(p) and (p["kind"], p["group"]) not in groups]
    seen = Counter(pair for p in kept for only_a, only_b in p["word_pairs"] for pair in only_a + only_b)
    index = {pair: k for k, pair in enumerate(sorted(pair for pair, n in seen.items() if n >= MIN_WORD_PAIR_COUNT))}
    rows, columns, values, weights = [], [], [], []
    for p in kept:
        for only_a, only_b in p["word_pairs"]:
            for sign, side in ((-1.0, only_a), (1.0, only_b)):
                for pair in side:
                    if pair in index:
                        rows.append(len(weights))
                        columns.append(index[pair])
                        values.append(sign)
            weights.append(ROUND_TRIP_WEIGHT if p["kind"] == "round_trip" else 1.0)
    x = sparse.csr_matrix((values, (rows, columns)), shape=(len(weights), len(index)))
    classifier = LogisticRegression(C=c, fit_intercept=False, max_iter=5000).fit(
        sparse.vstack([x, -x]), np.r_[np.ones(len(weights)), np.zeros(len(weights))], sample_weight=np.r_[weights, weights]
    )
    return dict(zip(index, classifier.coef_[0].tolist()))


def usable(pair: dict) -> bool:
    return pair["differences"] is not None and len(pair["differences"]) > 0


def cross_validate(pairs: list[dict], c: float) -> list[dict]:
    """Out-of-fold log-odds for every usable pair, with its year or language held out."""
    machine_pairs = [p for p in pairs if p["kind"] in ("round_trip", "one_way") and usable(p)]
    results = []
    folds = [("round_trip", g) for g in sorted({p["group"] for p in pairs if p["kind"] == "round_trip"})]
    folds += [("one_way", g) for g in sorted({p["group"] for p in pairs if p["kind"] == "one_way"})]
    for kind, group in folds:
        held = lambda p: p["group"] == group and (p["kind"] == kind or (kind == "one_way" and p["kind"] == "human_human"))  # noqa: E731
        model = fit([p for p in machine_pairs if not held(p)], c)
        for p in pairs:
            if held(p) and usable(p):
                results.append(dict(p, log_odds=model.log_odds(p["differences"]), fold=f"{kind}:{group}"))
    return results


def without_round_trips(pairs: list[dict], c: float, human_pair_rate: float = HUMAN_PAIR_RATE, vocabulary_size: int = WORD_VOCABULARY) -> dict:
    """The round trips read by votes fitted on one-way pairs alone: DeepL and round trips both unseen.

    The year folds hold out documents, not the MT system, and every round trip here is DeepL's;
    this says how far the votes carry to a system they never saw. Its own threshold comes from
    the human pairs with their language held out, as for the shipped model. With
    `vocabulary_size` 0, the votes weigh the counts alone, no word choices.
    """
    one_way = [p for p in pairs if p["kind"] == "one_way" and usable(p)]
    human = []
    for group in sorted({p["group"] for p in one_way}):
        model = fit([p for p in one_way if p["group"] != group], c, vocabulary_size)
        human += [abs(model.log_odds(p["differences"])) for p in pairs if p["kind"] == "human_human" and p["group"] == group and usable(p)]
    need = float(np.quantile(human, 1 - human_pair_rate))
    model = fit(one_way, c, vocabulary_size)
    z = np.asarray([model.log_odds(p["differences"]) for p in pairs if p["kind"] == "round_trip" and usable(p)])
    return {**_direction_rates(z, need), "needed_log_odds": round(need, 3)}


def systems_held_out(pairs: list[dict], c: float, need: float, vocabulary_size: int = WORD_VOCABULARY) -> dict:
    """The one-way pairs of each MT system read by votes fitted without that system (its other
    languages' pairs left out too), every round trip and every other system in training.

    The check reads round trips made by a system we do not have, through a pivot language we
    do have; this is the nearest measure of that here: the kind of pair seen, the system not.
    `need` is the log-odds the shipped level asks (from the human pairs, languages held out).
    With `vocabulary_size` 0, the votes weigh the counts alone, no word choices.
    """
    one_way = [p for p in pairs if p["kind"] == "one_way" and usable(p)]
    per_system = Counter(p["system"] for p in one_way)
    systems = sorted(s for s, n in per_system.items() if n >= MIN_SYSTEM_PAIRS)
    machine_pairs = [p for p in pairs if p["kind"] in ("round_trip", "one_way") and usable(p)]
    out: dict = {}
    everything = []
    for system in systems:
        model = fit([p for p in machine_pairs if p["system"] != system], c, vocabulary_size)
        z = np.asarray([model.log_odds(p["differences"]) for p in one_way if p["system"] == system])
        everything.append(z)
        out[system] = _direction_rates(z, need)
    return {"all": _direction_rates(np.concatenate(everything), need), "systems": len(systems), **out}


def _direction_rates(z: np.ndarray, need: float) -> dict:
    return {
        "pairs": int(z.size),
        "direction_right": round(float((z > 0).mean()), 4),
        "called_machine_rightly": round(float((z > need).mean()), 4),
        "original_called_copy": round(float((z < -need).mean()), 4),
    }


def summarise(results: list[dict], human_pair_rate: float = HUMAN_PAIR_RATE) -> dict:
    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    human = np.asarray([abs(r["log_odds"]) for r in results if r["kind"] == "human_human"])
    # The log-odds a rewrite needs before it is called machine-made: two human versions of one
    # text reach it at most `human_pair_rate` of the time (out-of-fold).
    need = float(np.quantile(human, 1 - human_pair_rate)) if human.size else 0.0
    table: dict = {"needed_log_odds": round(need, 3), "needed_probability": round(float(sigmoid(need)), 4), "human_pair_rate": human_pair_rate}
    round_trips = np.asarray([r["log_odds"] for r in results if r["kind"] == "round_trip"])
    table["trade_off"] = [
        {"human_pairs_called": rate, "needed_log_odds": round(q, 3), "round_trips_called": round(float((round_trips > q).mean()), 4),
         "originals_called_copy": round(float((round_trips < -q).mean()), 4)}
        for rate in OPERATING_RATES
        for q in [float(np.quantile(human, 1 - rate))]
    ]
    table["rising_with_length"] = _rising_threshold(results, need, human_pair_rate)
    by = defaultdict(list)
    for r in results:
        by[(r["kind"], "all")].append(r)
        by[(r["kind"], r["group"])].append(r)
        if r["kind"] in ("human_human", "round_trip"):
            by[(r["kind"], _length_bin(len(r["differences"])))].append(r)
    for (kind, group), rows in sorted(by.items(), key=lambda item: _table_order(*item[0])):
        z = np.asarray([r["log_odds"] for r in rows])
        entry = {"pairs": len(rows), "sentence_pairs": int(sum(len(r["differences"]) for r in rows))}
        if kind == "human_human":
            entry["called_machine"] = round(float((np.abs(z) > need).mean()), 4)
        else:
            entry["direction_right"] = round(float((z > 0).mean()), 4)
            entry["called_machine_rightly"] = round(float((z > need).mean()), 4)
            entry["original_called_copy"] = round(float((z < -need).mean()), 4)
            entry["mean_probability_right"] = round(float(sigmoid(z).mean()), 4)
        table[f"{kind}/{group}"] = entry
    return table


_LABELS = [f"{low}-{high} reworded sentences" if high else f"{low}+ reworded sentences" for low, high in LENGTH_BINS]


def _rising_threshold(results: list[dict], need: float, human_pair_rate: float, shortest: int = 6) -> dict:
    """The alternative not shipped: a rewrite needs max(need, c * sqrt(n)) for n reworded sentence pairs,
    c set so that `human_pair_rate` of the human pairs with `shortest` or more pairs reach it."""
    def n(r):
        return len(r["differences"])

    human = [r for r in results if r["kind"] == "human_human"]
    c = float(np.quantile([abs(r["log_odds"]) / np.sqrt(n(r)) for r in human if n(r) >= shortest], 1 - human_pair_rate))
    needed = lambda r: max(need, c * np.sqrt(n(r)))  # noqa: E731
    out = {"per_root_pair": round(c, 3)}
    out["round_trips_called"] = round(float(np.mean([r["log_odds"] > needed(r) for r in results if r["kind"] == "round_trip"])), 4)
    for label in _LABELS:
        band = [abs(r["log_odds"]) > needed(r) for r in human if _length_bin(n(r)) == label]
        out[f"human_pairs_called/{label}"] = round(float(np.mean(band)), 4) if band else None
    return out


def _table_order(kind: str, group: str) -> tuple:
    """Per kind: "all" and the held-out groups by name, then the length bins shortest first."""
    is_length = group in _LABELS
    return (kind, is_length, _LABELS.index(group) if is_length else 0, group)


def _length_bin(sentence_pairs: int) -> str:
    for (low, high), label in zip(LENGTH_BINS, _LABELS):
        if sentence_pairs >= low and (high is None or sentence_pairs <= high):
            return label
    return _LABELS[0]  # usable pairs have at least one


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--c", type=float, default=0.1, help="inverse regularisation of the sentence-pair model")
    parser.add_argument("--human-pair-rate", type=float, default=HUMAN_PAIR_RATE, help="how often two people's versions may be called machine-made")
    parser.add_argument("--no-write", action="store_true", help="validate only; leave models/ alone")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    pairs = all_pairs()
    results = cross_validate(pairs, args.c)
    table = summarise(results, args.human_pair_rate)
    table["round_trip/no round trip in training"] = without_round_trips(pairs, args.c, args.human_pair_rate)
    table["round_trip/no round trip in training, no word weights"] = without_round_trips(pairs, args.c, args.human_pair_rate, vocabulary_size=0)
    systems = systems_held_out(pairs, args.c, table["needed_log_odds"])
    plain = systems_held_out(pairs, args.c, table["needed_log_odds"], vocabulary_size=0)
    table["one_way/MT system held out"] = systems.pop("all")
    table["one_way/MT system held out, no word weights"] = plain.pop("all")
    for system, entry in systems.items():
        if isinstance(entry, dict):
            no_words = {f"{k}_no_word_weights": v for k, v in plain[system].items() if k != "pairs"}
            table[f"one_way/MT system held out: {system}"] = {**entry, **no_words}
    if args.json:
        print(json.dumps(table, indent=2))
    else:
        print(f"needed calibrated log-odds for 'machine_rewritten': {table['needed_log_odds']} (probability {table['needed_probability']})")
        for row in table["trade_off"]:
            print("trade-off: " + "  ".join(f"{k}={v}" for k, v in row.items()))
        for key, entry in table.items():
            if isinstance(entry, dict):
                print(f"{key:28s} " + "  ".join(f"{k}={v}" for k, v in entry.items()))
    if args.no_write:
        return
    machine_pairs = [p for p in pairs if p["kind"] in ("round_trip", "one_way") and usable(p)]
    model = fit(machine_pairs, args.c)
    model.word_pairs = word_pair_weights_without(pairs, frozenset(), args.c)
    model.card = {
        "fitted_on": "sentence pairs of round trips (../shared/data/roundtrip, all years) and of human vs machine translations "
        "of the same WMT news documents; quotes and dashes made plain, British and American spellings read as one, 'per cent' as 'percent', "
        "'U.S.' as 'US'",
        "pairs": len(machine_pairs),
        "sentence_pairs": int(sum(len(p["differences"]) for p in machine_pairs)),
        "machine_log_odds": table["needed_log_odds"],
        "human_pair_rate": args.human_pair_rate,
        "operating_points": {str(row["human_pairs_called"]): row["needed_log_odds"] for row in table["trade_off"]},
        "validation": {
            k: v for k, v in table.items()
            if isinstance(v, dict) and (k.endswith(("/all", "reworded sentences")) or k.startswith(("round_trip/", "one_way/MT system")))
        },
        "c": args.c,
    }
    path = ROOT / "models" / DIRECTION_MODEL_FILE
    path.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
    top = sorted(zip(model.features, model.weights), key=lambda x: -abs(x[1]))[:10]
    print("weights (toward the machine's side):", ", ".join(f"{n} {w:+.2f}" for n, w in top), file=sys.stderr)
    print(f"wrote {path} (calibration {model.calibration:.3f}); now run scripts/train_default.py: the detector reads its word weights", file=sys.stderr)


if __name__ == "__main__":
    main()

"""The copies pass as a scan runs it, on dumps that hold originals and their copies, with groups held out.

    python scripts/eval_copies.py [--json] [--with-detector | --held-out-detector] [--human-pair-rate 0.2]

For every held-out group a direction model is fitted on the pairs of all other groups
(`fit_direction.fit`), and the held-out group's documents go into one `StoryIndex`,
exactly as `mtdetect scan` feeds it:

* round trips, one copy per story: each held-out YEAR's originals and round trips;
* one-way, one copy: each held-out source LANGUAGE's human translations and one machine
  translation per document; two copies: the same with two systems' translations of each
  document (two content farms, one story);
* human pairs: the two human translations of a document (ref-A, ref-B): neither is a
  machine's, so "machine_rewritten" is a false positive; counted also per length band
  (reworded sentence pairs), since long pairs are called more often;
* round trips, two copies per story: each original with its round trip and a half round trip
  (below), as two content farms' copies of one story (`round_trip_2`);
* copies rewritten in part: each original with every other paragraph its round trip's
  (`round_trip_half`, half word for word), and ref-A with every other paragraph ref-B's
  (`human_half`, a person's partial rewrite: "machine_rewritten" is a false positive), each
  parity in its own dump, without detector scores (no fold scored these made-up texts).

Counted per story: the copy linked to its original as `machine_rewritten` (`linked`), the
original called a machine-rewritten copy (`original_called_copy`), and the human pairs
called machine-rewritten. By default no detector scores enter (the bundled detector saw
these documents in training); `--with-detector` adds the bundled detector's scores to show
what they add, which is an optimistic figure; `--held-out-detector` adds instead each
document's out-of-fold score from `training.out_of_fold` (the detector of the fold that never
saw its year, document or system; documents it could not score get none). `--human-pair-rate`
calls rewrites machine-made at another of the levels the bundled card measured, as
`mtdetect scan --copies-false-alarms` does.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from fit_direction import _length_bin, fit, usable
from pairs_data import all_pairs, round_trip_versions, wmt_versions

from mtdetect import copies, model


def _index(members: list[tuple[str, str]], direction, detector, scores: dict | None = None) -> dict:
    index = copies.StoryIndex(detector=detector, direction=direction, threshold=getattr(detector, "threshold", None) or (scores or {}).get("threshold"))
    for id, text in members:
        index.add(id, text, machine_score=(scores or {}).get(id))
    return index.finish().documents


def held_out_detector_scores() -> dict:
    """Out-of-fold detector scores keyed by this script's document ids, and the validated threshold."""
    import math

    from wmt_features import default_feature_names, roundtrip_examples, seed_examples, table_for, wmt_examples

    from mtdetect import training

    examples = wmt_examples(("news",)) + roundtrip_examples() + seed_examples()
    table = table_for(examples, "train-news-roundtrip", -1, default_feature_names())
    oof = training.out_of_fold(table, "logistic")
    scores: dict = {"threshold": oof.threshold}
    for meta, score in zip(table.meta, oof.document_scores):
        if math.isnan(score):
            continue
        if meta.get("corpus") == "roundtrip":
            role = "original" if meta.get("kind") == "original" else "copy"
            scores[f"{meta['doc_id']}:{role}"] = float(score)
        elif meta.get("corpus") == "wmt":
            scores[("wmt", meta.get("dataset"), str(meta.get("doc_id")), meta.get("system"))] = float(score)
    return scores


def _count_copies(documents: dict, original: str, copy_ids: list[str], counts: Counter, prefix: str) -> None:
    counts[prefix + "stories"] += 1
    counts[prefix + "copies"] += len(copy_ids)
    for copy_id in copy_ids:
        row = documents[copy_id]
        counts[prefix + "linked"] += row["relation"] == "machine_rewritten" and row["copy_of"] == original
    counts[prefix + "original_called_copy"] += documents[original]["relation"] == "machine_rewritten"


def evaluate(with_detector: bool = False, held_out_detector: bool = False, human_pair_rate: float | None = None) -> dict:
    pairs = [p for p in all_pairs() if p["kind"] in ("round_trip", "one_way") and usable(p)]
    # The human pairs' length band (reworded sentence pairs): long ones are called machine-made more often.
    human_band = {p["story"]: "human_pairs " + _length_bin(len(p["differences"])) for p in all_pairs() if p["kind"] == "human_human" and usable(p)}
    detector = model.load() if with_detector else None
    # The shipped level (or the one asked for), the same for every fold, as a scan uses it.
    level = copies.bundled_direction_at(human_pair_rate)
    scores = held_out_detector_scores() if held_out_detector else None
    counts: Counter = Counter()
    per_group: dict[str, Counter] = {}

    stories = round_trip_versions()
    for year in sorted({s["group"] for s in stories}):
        direction = fit([p for p in pairs if not (p["kind"] == "round_trip" and p["group"] == year)], c=0.1)
        direction.card.update(machine_log_odds=level.machine_log_odds, human_pair_rate=level.human_pair_rate)
        held = [s for s in stories if s["group"] == year]
        members = [(f"{s['story']}:original", s["original"]) for s in held] + [(f"{s['story']}:copy", s["copies"][0]) for s in held]
        documents = _index(members, direction, detector, scores)
        group = per_group.setdefault(f"round_trip/{year}", Counter())
        for s in held:
            for target in (counts, group):
                _count_copies(documents, f"{s['story']}:original", [f"{s['story']}:copy"], target, "round_trip_1|")
        # Half round-tripped: the original with every other paragraph the round trip's (each parity
        # in its own dump). No detector scores: no fold scored these made-up texts.
        for parity in (0, 1):
            halves = _halves([(s, s["original"], s["copies"][0]) for s in held], parity)
            members = [(f"{s['story']}:original", s["original"]) for s, _ in halves] + [(f"{s['story']}:half", text) for s, text in halves]
            documents = _index(members, direction, detector, None)
            for s, _ in halves:
                for target in (counts, group):
                    _count_copies(documents, f"{s['story']}:original", [f"{s['story']}:half"], target, "round_trip_half|")
        # Two machine copies of one original (two content farms): the whole round trip and a half one
        # (the last parity's halves).
        members = [(f"{s['story']}:{role}", text) for s, half in halves for role, text in (("original", s["original"]), ("copy", s["copies"][0]), ("half", half))]
        documents = _index(members, direction, detector, None)
        for s, _ in halves:
            for target in (counts, group):
                _count_copies(documents, f"{s['story']}:original", [f"{s['story']}:copy", f"{s['story']}:half"], target, "round_trip_2|")

    wmt = wmt_versions()
    for language in sorted({s["group"] for s in wmt}):
        direction = fit([p for p in pairs if not (p["kind"] == "one_way" and p["group"] == language)], c=0.1)
        direction.card.update(machine_log_odds=level.machine_log_odds, human_pair_rate=level.human_pair_rate)
        held = [s for s in wmt if s["group"] == language]
        group = per_group.setdefault(f"one_way/{language}", Counter())
        for copies_per_story in (1, 2):
            members, plan = [], []
            for s in held:
                if len(s["machines"]) < copies_per_story:
                    continue
                original = f"{s['story']}:human"
                members.append((original, s["humans"][0][1]))
                copy_ids = [f"{s['story']}:machine{k}" for k in range(copies_per_story)]
                members += [(cid, s["machines"][k][1]) for k, cid in enumerate(copy_ids)]
                plan.append((original, copy_ids))
            documents = _index(members, direction, detector, _wmt_scores(scores, held, copies_per_story))
            for original, copy_ids in plan:
                for target in (counts, group):
                    _count_copies(documents, original, copy_ids, target, f"one_way_{copies_per_story}|")
        members = [(f"{s['story']}:ref{k}", s["humans"][k][1]) for s in held if len(s["humans"]) > 1 for k in (0, 1)]
        documents = _index(members, direction, detector, _wmt_scores(scores, held, 0))
        for s in held:
            if len(s["humans"]) > 1:
                called = any(documents[f"{s['story']}:ref{k}"]["relation"] == "machine_rewritten" for k in (0, 1))
                prefixes = ["human_pairs"] + ([human_band[s["story"]]] if s["story"] in human_band else [])
                for target in (counts, group):
                    for prefix in prefixes:
                        target[prefix + "|stories"] += 1
                        target[prefix + "|called_machine"] += called
        # A person's partial rewrite: ref-A with every other paragraph ref-B's, beside ref-A.
        for parity in (0, 1):
            halves = _halves([(s, s["humans"][0][1], s["humans"][1][1]) for s in held if len(s["humans"]) > 1], parity)
            members = [(f"{s['story']}:ref0", s["humans"][0][1]) for s, _ in halves] + [(f"{s['story']}:half", text) for s, text in halves]
            documents = _index(members, direction, detector, None)
            for s, _ in halves:
                called = any(documents[f"{s['story']}:{k}"]["relation"] == "machine_rewritten" for k in ("ref0", "half"))
                for target in (counts, group):
                    target["human_half|stories"] += 1
                    target["human_half|called_machine"] += called
    return {"all": _rates(counts), **{name: _rates(c) for name, c in sorted(per_group.items())}}


def _half(text: str, other: str, parity: int) -> str | None:
    """`text` with every other paragraph (those of this parity) taken from `other`, its paragraph-by-paragraph
    counterpart; None when the two have not the same number of paragraphs, or fewer than 4."""
    mine, theirs = text.split("\n\n"), other.split("\n\n")
    if len(mine) != len(theirs) or len(mine) < 4:
        return None
    return "\n\n".join(b if k % 2 == parity else a for k, (a, b) in enumerate(zip(mine, theirs)))


def _halves(versions: list[tuple[dict, str, str]], parity: int) -> list[tuple[dict, str]]:
    """(story, _half(text, other, parity)) for each (story, text, other) that can be made so."""
    made = [(story, _half(text, other, parity)) for story, text, other in versions]
    return [(story, text) for story, text in made if text is not None]


def _wmt_scores(scores: dict | None, stories: list[dict], copies_per_story: int) -> dict | None:
    """This script's ids of the WMT versions -> their held-out detector scores."""
    if scores is None:
        return None
    out = {"threshold": scores["threshold"]}
    for s in stories:
        _, dataset, doc_id = s["story"].split(":", 2)
        for k, (system, _) in enumerate(s["humans"][:2]):
            value = scores.get(("wmt", dataset, doc_id, system))
            if value is not None:
                out[f"{s['story']}:human" if k == 0 else f"{s['story']}:ref1"] = value
                if k == 0:
                    out[f"{s['story']}:ref0"] = value
        for k, (system, _) in enumerate(s["machines"][:copies_per_story]):
            value = scores.get(("wmt", dataset, doc_id, system))
            if value is not None:
                out[f"{s['story']}:machine{k}"] = value
    return out


def _rates(counts: Counter) -> dict:
    out = {}
    for prefix in sorted({key.split("|")[0] for key in counts}):
        if prefix.startswith(("human_pairs", "human_half")):
            stories = counts[prefix + "|stories"]
            out[prefix] = {"stories": stories, "called_machine": round(counts[prefix + "|called_machine"] / max(1, stories), 4)}
            continue
        out[prefix] = {
            "stories": counts[prefix + "|stories"],
            "linked": round(counts[prefix + "|linked"] / max(1, counts[prefix + "|copies"]), 4),
            "original_called_copy": round(counts[prefix + "|original_called_copy"] / max(1, counts[prefix + "|stories"]), 4),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--with-detector", action="store_true", help="add the bundled detector's scores (it saw these documents)")
    parser.add_argument("--held-out-detector", action="store_true", help="add each document's out-of-fold detector score")
    parser.add_argument("--human-pair-rate", type=float, default=None, help="the level of the bundled card to call rewrites at (default: the shipped one)")
    args = parser.parse_args()
    table = evaluate(args.with_detector, args.held_out_detector, args.human_pair_rate)
    if args.json:
        print(json.dumps(table, indent=2))
        return
    for group, entries in table.items():
        for kind, entry in entries.items():
            print(f"{group:18s} {kind:12s} " + "  ".join(f"{k}={v}" for k, v in entry.items()))
    sys.stdout.flush()


if __name__ == "__main__":
    main()

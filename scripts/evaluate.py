"""The validation table: round trips of English news first, then one-way WMT translation.

    python scripts/evaluate.py [--domains news] [--classifier logistic] [--fpr 0.02] [--quick] [--json OUT]

Data as scripts/train_default.py reads it (WMT news, round trips, seeds; quotes and dashes
made plain on every text). Every split keeps whole documents (doc_id) on one side, round
trips by whole year (an original and its round trip always together), and machine texts
are compared with the human texts of the same documents, so topic cannot stand in for
machine-ness. Printed:

* grouped cross-validation (4 folds; years, documents and MT systems held out): round trip
  document and paragraph AUC per held-out year, one-way MT vs human translation of the same
  documents per source language, false-positive rate per held-out human group at thresholds
  chosen on the other folds, and the held-out seeds;
* one-way AUC per source language with the language AND every system that translated it
  left out of training (unseen machines), unless --quick;
* leave-one-system-out on WMT, unless --quick.

`--fpr` sets the thresholds' target (the share of each human group flagged); the default is
the shipped model's. A stricter one shows what a margin would cost and buy.
"""

from __future__ import annotations

import argparse
import json
import random
import sys

import numpy as np
from pairs_data import all_pairs
from wmt_features import default_feature_names, mixed_examples, partly_rewritten_table, roundtrip_examples, seed_examples, table_for, wmt_examples

from mtdetect import model, training


def fit_predict(table, train_idx, test_idx, classifier, threshold=None, fpr=training.HUMAN_FPR_TARGET):
    train, test = table.subset(train_idx), table.subset(test_idx)
    detector = model.fit(train.training_set(), table.names, classifier)
    doc_scores, par_scores = training.predict(detector, test)
    if threshold == "out_of_fold":  # as the shipped threshold is set: on held-out human scores of the training documents
        threshold = training.out_of_fold(train, classifier, fpr).threshold
    elif threshold is None:  # threshold from the training documents' own human scores (cheaper, set lower: they score lower than unseen ones)
        train_scores, _ = training.predict(detector, train)
        humans = train.labels == 0
        threshold = training.choose_group_threshold(train_scores[humans], [training.human_group(m) for m, h in zip(train.meta, humans) if h], fpr)
    return training.metrics(test, doc_scores, par_scores, threshold)


def halves(table, seed=0):
    groups = sorted({training._group(m) for m in table.meta})
    random.Random(seed).shuffle(groups)
    first = set(groups[: len(groups) // 2])
    return [training._group(m) in first for m in table.meta]


def leave_one_system_out(table, classifier, fpr=training.HUMAN_FPR_TARGET):
    """For each WMT system: train without it on half the documents, test it on the other half
    (its machine translations vs the human ones of those documents)."""
    in_first = halves(table)
    rows = {}
    systems = sorted({str(m.get("system")) for m, y in zip(table.meta, table.labels) if y == 1 and m.get("corpus") == "wmt"})
    for value in systems:
        scores = []
        for test_half in (True, False):
            train_idx = [i for i, m in enumerate(table.meta) if in_first[i] != test_half and str(m.get("system")) != value]
            test_docs = {training._doc(m) for i, m in enumerate(table.meta) if in_first[i] == test_half and str(m.get("system")) == value and table.labels[i] == 1}
            test_idx = [i for i, m in enumerate(table.meta) if training._doc(m) in test_docs and (table.labels[i] == 0 or str(m.get("system")) == value)]
            if len(set(table.labels[test_idx])) == 2 and len(set(table.labels[train_idx])) == 2:
                scores.append(fit_predict(table, train_idx, test_idx, classifier, fpr=fpr))
        if scores:
            rows[value] = {
                "auc": _mean(s["auc_vs_human_translation"] for s in scores),
                "machine_flagged": _mean(s["machine_flagged"] for s in scores),
                "human_flagged": _mean(s["human_flagged"] for s in scores),
                "machine": sum(s["machine"] for s in scores),
                "human": sum(s["human"] for s in scores),
            }
        print(f"  system={value}: {rows.get(value)}", file=sys.stderr)
    return rows


def unseen_language(table, classifier, fpr=training.HUMAN_FPR_TARGET):
    """Per WMT source language: train on everything else minus every system that translated
    that language (round trips and other languages stay), test its MT vs its human translations.
    The threshold is set as the shipped one is, on the training documents' out-of-fold human
    scores, so the flag rates say how the shipped rule carries to a language it never saw."""
    rows = {}
    wmt_machine = [(i, m) for i, m in enumerate(table.meta) if m.get("corpus") == "wmt" and table.labels[i] == 1]
    for language in sorted({str(m.get("src_lang")) for _, m in wmt_machine}):
        systems = {str(m.get("system")) for _, m in wmt_machine if str(m.get("src_lang")) == language}
        test_idx = [i for i, m in enumerate(table.meta) if m.get("corpus") == "wmt" and str(m.get("src_lang")) == language and m.get("kind") != "original"]
        train_idx = [
            i for i, m in enumerate(table.meta)
            if str(m.get("src_lang")) != language and not (table.labels[i] == 1 and str(m.get("system")) in systems)
        ]
        result = fit_predict(table, train_idx, test_idx, classifier, threshold="out_of_fold", fpr=fpr)
        rows[language] = {
            "auc": result["auc_vs_human_translation"],
            "machine_flagged": result["machine_flagged"],
            "human_flagged": result["human_flagged"],
            "machine": result["machine"],
            "human": result["human"],
            "systems_left_out": len(systems),
        }
        print(f"  language={language}: {rows[language]}", file=sys.stderr)
    return rows


def _mean(values):
    values = [v for v in values if v is not None]
    return round(float(np.mean(values)), 4) if values else None


def _fmt(value):
    return "   -" if value is None else f"{value:.3f}"


def by_year(table, oof):
    """Round trips vs their originals, per held-out year: document and paragraph AUC."""
    rows = {}
    paragraph_labels = table.labels[table.paragraph_document]
    years = sorted({m.get("year") for m in table.meta if m.get("corpus") == "roundtrip"})
    for year in years + ["all"]:
        docs = np.asarray([m.get("corpus") == "roundtrip" and (year == "all" or m.get("year") == year) for m in table.meta])
        paragraphs = docs[table.paragraph_document]
        rows[str(year)] = {
            "documents": int(docs.sum()),
            "auc": training._round(training.auc(table.labels[docs], oof.document_scores[docs])),
            "paragraph_auc": training._round(training.auc(paragraph_labels[paragraphs], oof.paragraph_scores[paragraphs])),
            "round_trips_flagged": training._round(float(oof.flagged[docs & (table.labels == 1)].mean())),
            "originals_flagged": training._round(float(oof.flagged[docs & (table.labels == 0)].mean())),
        }
    return rows


def mixed_documents(table, oof, jobs):
    """Originals with every other paragraph round-tripped, each scored by the fold model that
    never saw its year: do paragraph scores tell the rewritten paragraphs from the untouched?"""
    examples = mixed_examples()
    mixed = table_for(examples, "mixed", jobs, table.names)
    fold_of = {training._doc(m): int(f) for m, f in zip(table.meta, oof.folds) if m.get("corpus") == "roundtrip"}
    labels, scores, within, within_below, headlines = [], [], [], [], []
    for i, m in enumerate(mixed.meta):
        detector = oof.detectors[fold_of[training._doc(m)]]
        rows = mixed.paragraph_rows[mixed.paragraph_document == i]
        p = detector.paragraph_model.predict_proba(rows)[:, 1]
        y = np.isin(np.arange(len(p)), m["machine_paragraphs"]).astype(int)
        labels.extend(y)
        scores.extend(p)
        headlines.append(p[0])
        if 0 < y.sum() < len(y):
            within.append(training.auc(y, p))
        if 0 < y[1:].sum() < len(y) - 1:  # the same below the headline paragraph, which is always kept
            within_below.append(training.auc(y[1:], p[1:]))
    return {
        "documents": len(examples),
        "paragraph_auc_pooled": training._round(training.auc(labels, scores)),
        "paragraph_auc_within_document_mean": training._round(float(np.mean(within))),
        "paragraph_auc_within_document_below_headline": training._round(float(np.mean(within_below))),
        "headline_median": training._round(float(np.median(headlines))),
        "headline_max": training._round(float(np.max(headlines))),
    }


def one_way_by_language(table, oof):
    rows = {}
    kinds = np.asarray([m.get("kind") for m in table.meta])
    langs = np.asarray([str(m.get("src_lang")) for m in table.meta])
    held = ~np.isnan(oof.document_scores)
    paragraph_labels = table.labels[table.paragraph_document]
    for language in sorted(set(langs[kinds == "machine_translation"].tolist())):
        machine = held & (kinds == "machine_translation") & (langs == language)
        docs = {training._doc(m) for m, keep in zip(table.meta, machine) if keep}
        human = held & (kinds == "human_translation") & np.asarray([training._doc(m) in docs for m in table.meta])
        mask = machine | human
        paragraphs = mask[table.paragraph_document]
        rows[language] = {
            "auc": training._round(training.auc(table.labels[mask], oof.document_scores[mask])),
            "paragraph_auc": training._round(training.auc(paragraph_labels[paragraphs], oof.paragraph_scores[paragraphs])),
            "machine_flagged": training._round(float(oof.flagged[machine].mean())),
            "human_flagged": training._round(float(oof.flagged[human].mean())),
            "machine": int(machine.sum()),
            "human": int(human.sum()),
        }
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--domains", default="news")
    parser.add_argument("--classifier", default="logistic", choices=["logistic", "boosting"])
    parser.add_argument("--jobs", type=int, default=-1)
    parser.add_argument("--fpr", type=float, default=training.HUMAN_FPR_TARGET, help="share of each human group the thresholds may flag")
    parser.add_argument("--quick", action="store_true", help="grouped cross-validation only")
    parser.add_argument("--json", help="also write all figures to this JSON file")
    args = parser.parse_args()

    domains = None if args.domains == "all" else tuple(args.domains.split(","))
    examples = wmt_examples(domains) + roundtrip_examples() + seed_examples()
    table = table_for(examples, f"train-{args.domains}-roundtrip", args.jobs, default_feature_names())
    oof = training.out_of_fold(table, args.classifier, args.fpr, partly=partly_rewritten_table(table.names, args.jobs))
    scored = np.flatnonzero(~np.isnan(oof.document_scores))
    keep = np.isin(table.paragraph_document, scored)
    report = training.metrics(table.subset(scored), oof.document_scores[scored], oof.paragraph_scores[keep], oof.threshold, flagged=oof.flagged[scored])
    figures = {"grouped_validation": report, "round_trip_by_year": by_year(table, oof), "one_way_by_language": one_way_by_language(table, oof)}
    figures["mixed"] = mixed_documents(table, oof, args.jobs)

    print("grouped cross-validation, 4 folds: round trips by whole year, WMT by whole document and MT system;")
    print("quotes and dashes made plain; thresholds for each fold chosen on the other folds' human documents")
    print(f"\nround trips vs their originals (held-out year)   {'doc AUC':>8} {'par AUC':>8} {'RT flagged':>10} {'orig flagged':>12} {'n':>4}")
    for year, r in figures["round_trip_by_year"].items():
        print(f"  {year:46} {_fmt(r['auc']):>8} {_fmt(r['paragraph_auc']):>8} {_fmt(r['round_trips_flagged']):>10} {_fmt(r['originals_flagged']):>12} {r['documents']:>4}")
    r = figures["mixed"]
    print(
        f"  partly rewritten originals (every other paragraph round-tripped, n={r['documents']}): paragraph AUC rewritten vs untouched "
        f"{_fmt(r['paragraph_auc_pooled'])} pooled, {_fmt(r['paragraph_auc_within_document_mean'])} within a document "
        f"({_fmt(r['paragraph_auc_within_document_below_headline'])} below the headline paragraph); "
        f"untouched headline paragraph median {_fmt(r['headline_median'])}, max {_fmt(r['headline_max'])}"
    )
    print(f"\none-way MT vs human translation, same documents  {'doc AUC':>8} {'par AUC':>8} {'MT flagged':>10} {'HT flagged':>12} {'n MT':>5} {'n HT':>5}")
    for language, r in figures["one_way_by_language"].items():
        print(f"  {language:46} {_fmt(r['auc']):>8} {_fmt(r['paragraph_auc']):>8} {_fmt(r['machine_flagged']):>10} {_fmt(r['human_flagged']):>12} {r['machine']:>5} {r['human']:>5}")
    same = report["same_documents"].get("machine_translation", {})
    print(f"  {'all':46} {_fmt(same.get('auc')):>8} {_fmt(same.get('paragraph_auc')):>8} {_fmt(report['machine_flagged']):>10}")
    print(f"  MT vs original English news: doc AUC {_fmt(report['auc_vs_original'])}")
    print(f"\nhuman documents flagged, per held-out group (target <= {args.fpr:.1%})")
    for group, r in report["human_groups"].items():
        print(f"  {group:46} {r['flagged']:>3}/{r['human']:<4} {r['rate']:.3f}")
    print(f"  final threshold {oof.threshold:.4f} (worst group of {training.MIN_GROUP}+ documents at the target), paragraph threshold {oof.paragraph_threshold:.4f}")

    seeds = [i for i, m in enumerate(table.meta) if m.get("kind") == "seed"]
    shipped = model.load()
    figures["seeds"] = {}
    print("\nseeds: held out (their fold's threshold) | shipped model")
    for i in seeds:
        name = table.meta[i]["source"].split("/")[-1]
        text = examples[i].text
        verdict = shipped.score_text(text)
        figures["seeds"][name] = {"label": int(table.labels[i]), "held_out_score": round(float(oof.document_scores[i]), 4), "held_out_flagged": bool(oof.flagged[i]), "shipped_score": verdict["score"], "shipped_flagged": verdict["flagged"]}
        s = figures["seeds"][name]
        print(f"  {name:28} {'machine' if s['label'] else 'human  '}  {s['held_out_score']:.3f} {'FLAGGED' if s['held_out_flagged'] else '       '} | {s['shipped_score']:.3f} {'FLAGGED' if s['shipped_flagged'] else ''}")

    if not args.quick:
        figures["unseen_language"] = unseen_language(table, args.classifier, args.fpr)
        print(f"\none-way, source language and all its systems left out of training  {'doc AUC':>8} {'MT flagged':>10} {'HT flagged':>10} {'systems out':>11}")
        for language, r in figures["unseen_language"].items():
            print(f"  {language:64} {_fmt(r['auc']):>8} {_fmt(r['machine_flagged']):>10} {_fmt(r['human_flagged']):>10} {r['systems_left_out']:>11}")
        wmt = table.subset([i for i, m in enumerate(table.meta) if m.get("corpus") == "wmt"])
        figures["leave_one_system_out"] = leave_one_system_out(wmt, args.classifier, args.fpr)
        aucs = [r["auc"] for r in figures["leave_one_system_out"].values() if r["auc"] is not None]
        if aucs:
            print(f"\nleave-one-system-out (WMT, {len(aucs)} systems): AUC MT/HT median {np.median(aucs):.3f}, min {min(aucs):.3f}, max {max(aucs):.3f}")
    if not args.quick:
        figures["copies"] = copies_figures()
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(figures, handle, indent=2)


def copies_figures() -> dict:
    """The copies pass: sentence-vote direction per held-out year / language, then scans of held-out dumps."""
    from eval_copies import evaluate as evaluate_copies
    from fit_direction import cross_validate, summarise, systems_held_out

    from mtdetect.copies import bundled_direction_model

    pairs = all_pairs()
    direction = summarise(cross_validate(pairs, c=0.1))
    # The round trips are all DeepL's: each WMT system held out says how the votes carry to a system never seen.
    direction["one_way/MT system held out"] = systems_held_out(pairs, 0.1, direction["needed_log_odds"])["all"]
    print(f"\ncopies: which version is the machine's, from aligned sentence pairs (held out)  {'right':>6} {'called':>6} {'reversed':>8} {'pairs':>5}")
    for key, entry in direction.items():
        if isinstance(entry, dict) and "direction_right" in entry:
            print(f"  {key:78} {entry['direction_right']:>6.3f} {entry['called_machine_rightly']:>6.3f} {entry['original_called_copy']:>8.3f} {entry['pairs']:>5}")
        elif isinstance(entry, dict) and "called_machine" in entry:
            print(f"  {key + ' (two human versions called machine-made)':78} {entry['called_machine']:>6.3f} {'':>6} {'':>8} {entry['pairs']:>5}")
    print(f"  a rewrite is called machine-made at log-odds {bundled_direction_model().machine_log_odds:.2f} (two human versions reach it {direction['human_pair_rate']:.0%} of the time)")
    scans = evaluate_copies(held_out_detector=True)
    print(f"\ncopies pass over dumps holding originals and copies (held-out year / language)  {'linked':>6} {'original called copy':>20} {'stories':>7}")
    for kind, entry in scans["all"].items():
        if kind == "human_pairs":
            print(f"  {'two human translations of one document: called machine-rewritten':78} {entry['called_machine']:>6.3f} {'':>20} {entry['stories']:>7}")
        elif kind == "human_half":
            print(f"  {'a human translation half replaced by the other: called machine-rewritten':78} {entry['called_machine']:>6.3f} {'':>20} {entry['stories']:>7}")
        elif kind.startswith("human_pairs "):
            print(f"  {'  of them, ' + kind.removeprefix('human_pairs '):78} {entry['called_machine']:>6.3f} {'':>20} {entry['stories']:>7}")
        else:
            print(f"  {kind:78} {entry['linked']:>6.3f} {entry['original_called_copy']:>20.3f} {entry['stories']:>7}")
    return {"direction": direction, "scans": scans}


if __name__ == "__main__":
    main()

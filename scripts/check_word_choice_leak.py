"""How much the round trips' held-out AUC owes to word and word-pair weights that saw the held-out year.

    python scripts/check_word_choice_leak.py [--jobs 2]

In validation (train_default.py, evaluate.py) each text's machine_word_choice and
machine_word_pairs come from direction fits without its own year or source language, but the training rows of
fold k come from votes that did see fold k's round trips. Here every text's value in fold
k's run is made without fold k's years as well (nested), so nothing fold k's detector sees
was fitted on fold k's round trips. Prints the round trips' document AUC both ways, and each
feature's own (its validated whole-document value, no classifier).
"""

from __future__ import annotations

import argparse

import numpy as np
from sklearn.metrics import roc_auc_score
from wmt_features import WORD_CHOICE, WORD_PAIRS, default_feature_names, mixed_examples, roundtrip_examples, seed_examples, table_for, wmt_examples

from mtdetect import model, training


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=-1)
    args = parser.parse_args()

    examples = wmt_examples(("news",)) + roundtrip_examples() + seed_examples()
    partly_examples = mixed_examples(rewritten=1) + mixed_examples(rewritten=0)
    names = default_feature_names()
    table = table_for(examples, "train-news-roundtrip", args.jobs, names)
    partly = table_for(partly_examples, "partly-rewritten", args.jobs, names)
    round_trip = np.asarray([m.get("corpus") == "roundtrip" for m in table.meta])

    usual = training.out_of_fold(table, "logistic", partly=partly).document_scores
    doc_folds, sys_folds = training.fold_assignments(table, 4, 0)
    fold_of_group = {training._group(m): int(f) for m, f in zip(table.meta, doc_folds)}
    partly_folds = np.asarray([fold_of_group.get(training._group(m), -1) for m in partly.meta])
    nested = np.full(len(examples), np.nan)
    for k in sorted(set(doc_folds.tolist())):
        years = frozenset(("round_trip", str(m["year"])) for m, f, rt in zip(table.meta, doc_folds, round_trip) if f == k and rt)
        fold_table = table_for(examples, "train-news-roundtrip", args.jobs, names, also_without=years)
        fold_partly = table_for(partly_examples, "partly-rewritten", args.jobs, names, also_without=years)
        train = fold_table.subset(np.flatnonzero((doc_folds != k) & ((sys_folds < 0) | (sys_folds != k))))
        extra = training.partly_rewritten_set(fold_partly, np.flatnonzero((partly_folds != k) & (partly_folds >= 0)), train)
        detector = model.fit(train.training_set(), names, "logistic", extra_paragraphs=extra)
        test = np.flatnonzero((doc_folds == k) & round_trip)
        nested[test], _ = training.predict(detector, fold_table.subset(test))
        print(f"fold {k}: round-trip years {', '.join(sorted(y for _, y in years)) or 'none'} held out of every text's word and word-pair weights")

    columns = model.document_columns(names)
    alone = [(f"{name} alone, as validated", table.document_rows[:, columns.index((name, "document"))]) for name in (WORD_CHOICE, WORD_PAIRS)]
    for label, scores in [
        ("as validated (train_default.py, evaluate.py)", usual),
        ("nested: no word or word-pair weight saw the fold's years", nested),
        *alone,
    ]:
        kept = round_trip & ~np.isnan(scores)
        print(f"round trips vs originals, document AUC, {label}: {roc_auc_score(table.labels[kept], scores[kept]):.3f} ({kept.sum()} documents)")


if __name__ == "__main__":
    main()

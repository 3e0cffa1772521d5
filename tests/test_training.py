"""Grouped validation, task weights and the group threshold (training.py), on synthetic tables."""

import numpy as np

from mtdetect import training
from mtdetect.features import Extraction
from mtdetect.model import paragraph_row_width, paragraph_rows


def _table(meta, labels):
    n = len(labels)
    return training.FeatureTable(["x"], np.zeros((n, 6)), np.zeros((n, 4)), np.arange(n), np.asarray(labels), meta)


def test_paired_documents_and_years_share_a_fold_and_systems_of_groups_are_not_held_out():
    meta, labels = [], []
    for year in range(2009, 2015):
        for doc in range(5):
            for label in (0, 1):
                meta.append({"doc_id": f"rt:{year}-{doc}", "group": f"roundtrip-{year}", "system": "deepl" if label else None, "year": year})
                labels.append(label)
    for doc in range(40):
        meta.append({"doc_id": f"wmt-{doc}"})
        labels.append(0)
        meta.append({"doc_id": f"wmt-{doc}", "system": f"sys{doc % 5}"})
        labels.append(1)
    doc_folds, sys_folds = training.fold_assignments(_table(meta, labels), folds=4)
    by_doc, by_year = {}, {}
    for m, f in zip(meta, doc_folds):
        by_doc.setdefault(m["doc_id"], set()).add(int(f))
        if "year" in m:
            by_year.setdefault(m["year"], set()).add(int(f))
    assert all(len(f) == 1 for f in by_doc.values()) and all(len(f) == 1 for f in by_year.values())
    assert len({next(iter(f)) for f in by_year.values()}) == 4  # every fold holds out some years
    assert all(s == -1 for m, s in zip(meta, sys_folds) if "group" in m)
    assert all(s >= 0 for m, s, y in zip(meta, sys_folds, labels) if "group" not in m and y == 1)


def test_each_task_gets_an_equal_share_of_its_class():
    meta = [{"task": "one_way"}] * 90 + [{"task": "round_trip"}] * 10 + [{"task": "one_way"}] * 20 + [{"task": "round_trip"}] * 20
    labels = np.asarray([1] * 100 + [0] * 40)
    weights = training.example_weights(meta, labels)
    assert np.isclose(weights[:90].sum(), weights[90:100].sum())
    assert np.isclose(weights[100:120].sum(), weights[120:].sum())
    assert np.isclose(weights[:100].mean(), 1) and np.isclose(weights[100:].mean(), 1)
    assert np.all(training.example_weights([{}] * 4, np.asarray([0, 1, 0, 1])) == 1)


def test_group_threshold_is_set_by_the_worst_group():
    rng = np.random.default_rng(0)
    calm, wild = rng.uniform(0, 0.5, 200), rng.uniform(0, 1.0, 200)
    scores = np.r_[calm, wild]
    groups = ["calm"] * 200 + ["wild"] * 200
    cut = training.choose_group_threshold(scores, groups, 0.02)
    assert np.mean(wild >= cut) <= 0.02 + 1e-9 and cut > training.choose_threshold(scores, 0.02) - 1e-9
    # Groups too small to measure a rate are pooled, not dropped.
    small = training.choose_group_threshold(np.r_[calm, [0.99] * 3], ["calm"] * 200 + ["tiny"] * 3, 0.02)
    assert small > 0.9


def test_paragraph_rows_keep_document_artifacts_out():
    names = ["name_drift", "word_commonness"]  # an artifact and a statistic
    extraction = Extraction(names, [], [[3.0, 5.0], [0.0, 4.0]], [1.5, 4.5])
    rows = paragraph_rows(extraction)
    assert rows.shape == (2, paragraph_row_width(names)) == (2, 2 + 2 + 1)
    assert rows[1, 0] == 0 and rows[1, -1] == 4.5  # the untouched paragraph does not get the document's artifact


def test_partly_rewritten_paragraphs_are_labelled_one_by_one_and_held_out_with_their_year(monkeypatch):
    from mtdetect import model
    from mtdetect.model import row_width

    names = ["name_drift", "word_commonness"]
    rng = np.random.default_rng(0)
    meta, labels = [], []
    for year in range(2009, 2013):
        for doc in range(6):
            for label in (0, 1):
                meta.append({"doc_id": f"rt:{year}-{doc}", "group": f"roundtrip-{year}", "task": "round_trip", "year": year})
                labels.append(label)
    n = len(labels)
    table = training.FeatureTable(
        names, rng.uniform(size=(n, row_width(names))), rng.uniform(size=(n, paragraph_row_width(names))), np.arange(n), np.asarray(labels), meta
    )
    partly_meta = [{"doc_id": f"rt:{year}-0", "group": f"roundtrip-{year}", "year": year, "machine_paragraphs": [1, 3]} for year in range(2009, 2013)]
    partly = training.FeatureTable(
        names, np.zeros((4, row_width(names))), rng.uniform(size=(16, paragraph_row_width(names))), np.repeat(np.arange(4), 4), np.ones(4, dtype=int), partly_meta
    )
    assert training.paragraph_labels(partly).tolist() == [0, 1, 0, 1] * 4

    seen = []
    fit = model.fit

    def remember(training_set, names, classifier="logistic", threshold=0.5, extra_paragraphs=None):
        seen.append(sorted({partly_meta[d]["year"] for d in extra_paragraphs.paragraph_document}))
        return fit(training_set, names, classifier, threshold, extra_paragraphs=extra_paragraphs)

    monkeypatch.setattr(model, "fit", remember)
    oof = training.out_of_fold(table, "logistic", partly=partly)
    for k, years in enumerate(seen):
        held_out = {m["year"] for m, f in zip(meta, oof.folds) if f == k}
        assert years and not held_out & set(years)  # a fold never learns from its own years' partly rewritten versions

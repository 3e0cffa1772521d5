"""Reasons: contributions read from the model itself, human references from training, plain words."""

import json

import numpy as np
import pytest

from mtdetect import model, training
from mtdetect.data import Example
from mtdetect.features import feature_names, load_all
from mtdetect.reasons import Explainer, linear_contributions, short_description
from mtdetect.text import Document


@pytest.fixture(scope="module")
def tiny(tiny_model_path):
    return model.load(tiny_model_path, trust=True)


@pytest.fixture(scope="module")
def seed_text(seeds_dir):
    return (seeds_dir / "001_eefadc6c23d78545.txt").read_text(encoding="utf-8")


def test_contributions_add_up_to_the_models_decision(tiny, seed_text):
    """coef x transformed value, summed with the intercept, is each estimator's own decision function."""
    extraction = tiny.extract(Document(seed_text))
    for fitted, rows in ((tiny.paragraph_model, model.paragraph_rows(extraction)), (tiny.document_model, model.document_row(extraction)[None, :])):
        contributions = linear_contributions(fitted, rows)
        estimators = [c.estimator for c in fitted.calibrated_classifiers_]
        decision = np.mean([e.decision_function(rows) for e in estimators], axis=0)
        intercept = np.mean([e.steps[-1][1].intercept_[0] for e in estimators])
        assert contributions.shape == rows.shape
        assert np.allclose(contributions.sum(axis=1) + intercept, decision)


def test_every_paragraph_and_document_has_reasons_with_a_direction(tiny, seed_text):
    report = tiny.score_text(seed_text, id="x")
    assert report["reasons"], "a document score without reasons"
    for reason in report["reasons"] + [r for p in report["paragraphs"] for r in p["reasons"]]:
        assert reason["towards"] == ("machine" if reason["effect"] > 0 else "human")
        assert reason["message"].endswith(f"towards {reason['towards']}")
    effects = [abs(r["effect"]) for r in report["reasons"]]
    assert effects == sorted(effects, reverse=True)


def test_card_stores_what_human_news_shows_and_reasons_quote_it(tiny_model_path, tiny, seed_text):
    card = json.loads(model.card_path(tiny_model_path).read_text())
    reference = card["human_reference"]
    names = feature_names()
    assert set(names) <= set(reference["document"]) and set(names) <= set(reference["paragraph"])
    assert reference["documents"] > 0
    statistics = [r for r in tiny.score_text(seed_text)["reasons"] if r["kind"] == "statistic"]
    for reason in statistics:
        assert reason["human_reference"] == reference["document"][reason["feature"]]
        assert "human news documents:" in reason["message"]


def test_a_statistic_at_the_human_median_is_said_against_the_point_the_model_weighs_from(tiny, seed_text):
    """At the median of human news a push still has a direction: the message names the model's
    midpoint, the value at which the column pushes neither way."""
    explainer = Explainer(tiny, load_all())
    extraction = tiny.extract(Document(seed_text))
    row = model.document_row(extraction)
    layout = explainer.document_layout
    for i, name in enumerate(layout.names):
        midpoint = explainer.document_midpoint[name]
        moved = row.copy()
        moved[layout.own_column[i]] = midpoint
        assert abs(linear_contributions(tiny.document_model, moved[None, :])[0, layout.own_column[i]]) < 1e-9, name

    name = next(n for n in layout.names if explainer._kind(n) == "statistic")
    midpoint = explainer.document_midpoint[name]
    at_median = explainer._message(name, "document", 0.25, None, "strongest paragraph", 0.25, 0.2, midpoint)
    assert at_median.endswith(f"(median), the model's midpoint {explainer._quantity(name, midpoint)} — pushes slightly towards machine")
    elsewhere = explainer._message(name, "document", 0.5, None, "strongest paragraph", 0.25, 0.2, midpoint)
    assert "midpoint" not in elsewhere


def test_a_card_without_references_still_explains(tiny, seed_text):
    bare = model.Detector(tiny.paragraph_model, tiny.document_model, tiny.feature_names, tiny.threshold, card={})
    report = bare.score_text(seed_text)
    assert report["reasons"] and all(r["human_reference"] is None for r in report["reasons"])
    assert not any("human news" in r["message"] for r in report["reasons"])
    assert report["false_positive_rate"] is None  # nothing measured: the report says so rather than invent it


def test_a_model_without_weights_explains_by_its_evidence(seeds_dir):
    """A tree model (as boosting is) has no coefficients: the reasons are the evidence found, by feature."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    names = feature_names()
    texts = []
    for name, label in (("000_11376f5bce64fdf5.txt", 0), ("001_eefadc6c23d78545.txt", 1)):
        text = (seeds_dir / name).read_text(encoding="utf-8")
        texts += [(p, label) for p in text.split("\n\n") if p.strip()]
    table = training.featurise([Example(t, y, f"p{i}") for i, (t, y) in enumerate(texts)], names).training_set()
    tree = lambda: make_pipeline(StandardScaler(), DecisionTreeClassifier(max_depth=3, random_state=0))  # noqa: E731
    detector = model.Detector(
        tree().fit(table.paragraph_rows, table.paragraph_labels), tree().fit(table.document_rows, table.document_labels), names, 0.5
    )
    report = detector.score_text((seeds_dir / "001_eefadc6c23d78545.txt").read_text(encoding="utf-8"))
    features = {e["feature"] for p in report["paragraphs"] for e in p["evidence"]}
    assert report["reasons"] and {r["feature"] for r in report["reasons"]} <= features
    assert all(r["effect"] is None and "no per-feature weights" in r["message"] for r in report["reasons"])


def test_reasons_are_limited_unless_everything_is_explained(tiny_model_path, seed_text):
    detector = model.load(tiny_model_path, trust=True)
    limited = detector.score_text(seed_text)
    assert len(limited["reasons"]) <= detector.reason_limit
    for paragraph in limited["paragraphs"]:
        explained = paragraph["flagged"] or bool(paragraph["evidence"])
        assert (len(paragraph["reasons"]) > 0) <= explained and len(paragraph["reasons"]) <= detector.paragraph_reason_limit
    detector.explain_everything()
    everything = detector.score_text(seed_text)
    assert len(everything["reasons"]) >= len(limited["reasons"])
    assert sum(map(len, (p["reasons"] for p in everything["paragraphs"]))) > sum(map(len, (p["reasons"] for p in limited["paragraphs"])))


def test_paragraph_reasons_say_the_document_once(tiny_model_path, seed_text):
    """The document's push on a paragraph is one reason, not one per document-level column."""
    detector = model.load(tiny_model_path, trust=True)
    detector.explain_everything()
    report = detector.score_text(seed_text)
    for paragraph in report["paragraphs"]:
        kinds = [r["feature"] for r in paragraph["reasons"]]
        assert kinds.count("document_context") <= 1
        assert len(kinds) == len(set(kinds))


def test_short_descriptions_name_the_measurement():
    registry = load_all()
    for feature in registry.values():
        words = short_description(feature.description)
        assert 0 < len(words) <= 60 and ":" not in words
        assert words.count("(") == words.count(")"), f"{feature.name}: {words!r} ends inside a bracket"


def test_short_description_reads_past_colons_and_stops_inside_brackets_and_quotes():
    # A ':' inside an aside, and a '. ' inside a quoted example, do not end the measurement's name.
    assert short_description("words ending '-ing' (gerunds: 'saying') per 100 words: the way back drops them") == "words ending '-ing' (gerunds: 'saying') per 100 words"
    assert short_description("A person called 'Mr. X' here and 'X' there") == "A person called 'Mr. X' here and 'X' there"
    # "'s" named on its own is the possessive, not a quotation that would hide the ':'.
    assert short_description("possessive 's per 100 words: English writes 'the city's mayor'") == "possessive 's per 100 words"
    # Too long: the asides go first, then the trailing clause.
    long = "modal verbs and hedges ('might', 'could', 'perhaps', 'reportedly') per 100 words, as people who write the news by hand use them"
    assert short_description(long) == "modal verbs and hedges per 100 words"


def test_explainer_ignores_a_model_laid_out_differently(tiny):
    """Contributions that cannot be mapped back to features give evidence reasons, not wrong ones."""
    explainer = Explainer(tiny, load_all())
    rows = np.zeros((1, len(explainer.document_layout.columns)))
    explainer.document_layout.columns = explainer.document_layout.columns[:3]  # as if this mtdetect laid out 3 columns
    assert explainer.document_contributions(rows) is None


def test_column_names_follow_the_row_layout(tiny, seed_text):
    """Reasons map columns back to features by these names: they must match the rows one for one."""
    extraction = tiny.extract(Document(seed_text))
    assert len(model.paragraph_columns(tiny.feature_names)) == model.paragraph_rows(extraction).shape[1]
    assert len(model.document_columns(tiny.feature_names)) == model.document_row(extraction).shape[0]

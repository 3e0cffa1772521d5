"""The model card round trip and the refusals on load."""

import json
import shutil

import pytest

from mtdetect import model
from mtdetect.features import REGISTRY


@pytest.fixture
def copy_of_model(tiny_model_path, tmp_path):
    target = tmp_path / "m.joblib"
    shutil.copy(tiny_model_path, target)
    shutil.copy(model.card_path(tiny_model_path), model.card_path(target))
    return target


def test_card_round_trip(copy_of_model):
    detector = model.load(copy_of_model, trust=True)
    card = json.loads(model.card_path(copy_of_model).read_text())
    assert card["sha256"] == model.file_sha256(copy_of_model)
    assert [f["name"] for f in card["features"]] == detector.feature_names
    assert all(f["version"] == REGISTRY[f["name"]].version for f in card["features"])
    assert card["threshold"] == detector.threshold and "scikit-learn" in card["packages"]
    assert card["sha256"][:12] in detector.signature


def test_tampered_weights_are_refused(copy_of_model):
    with open(copy_of_model, "ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(model.ModelError, match="SHA-256"):
        model.load(copy_of_model, trust=True)


def test_unknown_feature_is_refused(copy_of_model):
    path = model.card_path(copy_of_model)
    card = json.loads(path.read_text())
    card["features"].append({"name": "no_such_feature", "version": 1})
    path.write_text(json.dumps(card))
    with pytest.raises(model.ModelError, match="not registered.*train"):
        model.load(copy_of_model, trust=True)


def test_feature_version_mismatch_is_refused(copy_of_model):
    path = model.card_path(copy_of_model)
    card = json.loads(path.read_text())
    card["features"][0]["version"] += 1
    path.write_text(json.dumps(card))
    with pytest.raises(model.ModelError, match="version"):
        model.load(copy_of_model, trust=True)


def test_a_model_is_refused_when_the_word_choice_weights_it_learnt_with_have_changed(copy_of_model, monkeypatch):
    """machine_word_choice reads models/copy_direction.json: refitting that file alone would
    silently move every score the detector learnt to read."""
    from mtdetect.copies import direction

    card = json.loads(model.card_path(copy_of_model).read_text())
    assert card["word_choice_weights"] == {"file": "copy_direction.json", "sha256": direction.bundled_direction_sha256()}
    assert len(card["word_choice_weights"]["sha256"]) == 64
    model.load(copy_of_model, trust=True)

    monkeypatch.setattr(direction, "bundled_direction_sha256", lambda: "0" * 64)
    with pytest.raises(model.ModelError, match=r"copy_direction\.json, which has changed since .*train"):
        model.load(copy_of_model, trust=True)
    monkeypatch.setattr(direction, "bundled_direction_sha256", lambda: None)
    with pytest.raises(model.ModelError, match=r"copy_direction\.json, which is missing"):
        model.load(copy_of_model, trust=True)

    # A card written before the record was kept cannot be checked, and still loads.
    del card["word_choice_weights"]
    model.card_path(copy_of_model).write_text(json.dumps(card))
    model.load(copy_of_model, trust=True)


def test_missing_card_and_untrusted_file(copy_of_model):
    with pytest.raises(model.ModelError, match="--trust-model"):
        model.load(copy_of_model)
    model.card_path(copy_of_model).unlink()
    with pytest.raises(model.ModelError, match="card"):
        model.load(copy_of_model, trust=True)


def test_bundled_default_model_loads_and_scores():
    if not model.bundled_model_path().is_file():
        pytest.skip("no bundled model built yet")
    detector = model.load()
    report = detector.score_text("A short paragraph of text.\n\nAnother one here.", id="x")
    assert report["id"] == "x" and len(report["paragraphs"]) == 2


def test_typography_is_not_a_signal(seeds_dir):
    """Curly quotes and dashes say which CMS a site runs: the score and the evidence spans stay the same."""
    from mtdetect.text import plain_typography

    detector = model.load()
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        curly = plain_typography(text).replace(' "', " \u201c").replace('" ', "\u201d ").replace(" - ", " \u2014 ")
        plain, styled = detector.score_text(plain_typography(text)), detector.score_text(curly)
        assert styled["score"] == plain["score"]
        assert [(e["start"], e["end"], e["feature"]) for p in styled["paragraphs"] for e in p["evidence"]] == [
            (e["start"], e["end"], e["feature"]) for p in plain["paragraphs"] for e in p["evidence"]
        ]


def test_curly_text_is_split_once_and_quoted_as_written(monkeypatch):
    """score_text reads a curly text's plain reading once; the evidence context quotes the text as given."""
    from mtdetect import text as text_module

    detector = model.load()
    curly = "\u201cWe are pleased,\u201d said Mr. Lin (\u201cthe\u201d boss) \u2014 and Mr. Lin\u2019s wife , too.\n\nLater , Mr. Lynn said so."
    expected = detector.score_document(text_module.Document(curly))  # the Document as given, read again plain
    built = []
    original_init = text_module.Document.__post_init__
    monkeypatch.setattr(text_module.Document, "__post_init__", lambda self, *rest: (built.append(self.text), original_init(self, *rest))[1])
    report = detector.score_text(curly)
    assert built == [text_module.plain_typography(curly)]
    assert report == expected
    contexts = [e["context"]["text"] for p in report["paragraphs"] for e in p["evidence"]]
    assert contexts and all(c in curly.replace("\n", " ") for c in contexts)


def test_batch_rows_are_the_one_document_rows():
    """reports() builds a batch's rows at once: row for row what paragraph_rows and document_row give."""
    import numpy as np

    from mtdetect.features import extract, feature_names
    from mtdetect.text import Document

    texts = [
        "Mr. Lin said the talks went well.\n\nMr. Lynn , who leads the team , agreed ( after a pause ).",
        "",  # no paragraph at all
        "One short heading",
        "A first paragraph with \u201cquotes\u201d.\n\nA second one.\n\nAnd a third , with a comma.",
    ]
    extractions = [extract(Document(text), feature_names()) for text in texts]
    paragraphs, documents = model.batch_rows(extractions)
    assert np.array_equal(paragraphs, np.vstack([model.paragraph_rows(e) for e in extractions]))
    assert np.array_equal(documents, np.vstack([model.document_row(e) for e in extractions]))

"""Shared fixtures: a small model trained in the test session, and the seed articles."""

import json
from pathlib import Path

import pytest

from mtdetect import model, training
from mtdetect.data import Example
from mtdetect.features import feature_names
from mtdetect.text import Document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed_labels() -> dict[str, str]:
    rows = [json.loads(line) for line in (SEEDS / "labels.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return {row["file"]: row["label"] for row in rows}


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def tiny_model_path(tmp_path_factory) -> Path:
    """A model trained on the seeds' paragraphs, each paragraph taken as a document.

    It is only for exercising the plumbing (scoring, scanning, loading), never for accuracy.
    """
    texts, labels = [], []
    for name, label in sorted(seed_labels().items()):
        doc = Document((SEEDS / name).read_text(encoding="utf-8"))
        for span in doc.paragraphs:
            texts.append(doc.text[span.start : span.end])
            labels.append(1 if label == "machine" else 0)
    names = feature_names()
    examples = [Example(t, y, f"seed paragraph {i}") for i, (t, y) in enumerate(zip(texts, labels))]
    detector = model.fit(training.featurise(examples, names).training_set(), names)
    path = tmp_path_factory.mktemp("model") / "tiny.joblib"
    model.save(detector, path, card={"name": "tiny", "training": {"note": "seed paragraphs, tests only"}})
    return path


@pytest.fixture(scope="session")
def model_args(tiny_model_path) -> list[str]:
    """Command-line options that load the tiny model."""
    return ["--model", str(tiny_model_path), "--trust-model"]


@pytest.fixture(scope="session")
def detector(tiny_model_path):
    return model.load(tiny_model_path, trust=True)

"""The case table: per feature, texts that must be flagged (with their spans), texts that
must not be, and known failures run as strict xfail so that a fix is noticed.

Each feature has tests/cases/<feature>.json:
    {"flag": [{"text": "...", "spans": ["exact artifact text", ...]}],
     "pass": ["text that must yield no evidence of this feature", ...],
     "known_failures": [{"text": "...", "spans": [...], "why": "..."}]}
For statistics (no spans), "flag" holds {"text", "higher_than": "text"} pairs instead.
"""

import json
from pathlib import Path

import pytest

from mtdetect.features import REGISTRY, extract, load_all
from mtdetect.text import Document

CASES = Path(__file__).parent / "cases"
load_all()


def _load(feature):
    return json.loads((CASES / f"{feature}.json").read_text(encoding="utf-8"))


def _evidence(feature, text):
    return [e for e in extract(Document(text), [feature]).evidence]


def _params(section):
    params = []
    for path in sorted(CASES.glob("*.json")):
        for i, case in enumerate(_load(path.stem).get(section, [])):
            params.append(pytest.param(path.stem, case, id=f"{path.stem}-{i}"))
    return params


def test_every_feature_has_cases():
    missing = [name for name in REGISTRY if not (CASES / f"{name}.json").is_file()]
    assert not missing, f"features without a case file in tests/cases: {missing}"


def _assert_flagged(feature, case):
    if REGISTRY[feature].kind == "statistic":
        high = extract(Document(case["text"]), [feature]).document_values[0]
        low = extract(Document(case["higher_than"]), [feature]).document_values[0]
        assert high > low, f"{feature}: {high} should exceed {low}"
        return
    found = _evidence(feature, case["text"])
    seen = [case["text"][e.start : e.end] for e in found]
    assert found, f"{feature} found nothing in {case['text']!r}"
    for span in case.get("spans", []):
        assert span in seen, f"{feature}: expected span {span!r}, saw {seen}"


@pytest.mark.parametrize("feature,case", _params("flag"))
def test_must_flag(feature, case):
    _assert_flagged(feature, case)


@pytest.mark.parametrize("feature,case", _params("pass"))
def test_must_not_flag(feature, case):
    text = case if isinstance(case, str) else case["text"]
    if REGISTRY[feature].kind == "statistic":
        pytest.skip("statistics have no must-not-flag texts")
    found = _evidence(feature, text)
    assert not found, f"{feature} wrongly flagged {[text[e.start:e.end] for e in found]} in {text!r}"


@pytest.mark.parametrize("feature,case", _params("known_failures"))
@pytest.mark.xfail(strict=True, reason="known failure: see the case's 'why'")
def test_known_failures(feature, case):
    if "spans" in case or "higher_than" in case:
        _assert_flagged(feature, case)
    else:
        assert not _evidence(feature, case["text"])

"""The feature registry.

A feature has one snake_case name used everywhere: registry key, model column, the JSON
`feature` field and its test case file. There are two kinds:

* an *artifact* reads a Document and yields Evidence, each pointing at the characters
  that look machine-made; its paragraph value is the evidence weight per 100 words;
* a *statistic* (lexical variety, function-word profile, ...) measures a paragraph and
  the whole document without pointing at single characters.

Register with the decorators below; modules in this package register on import.
"""

from __future__ import annotations

from math import isfinite
from dataclasses import dataclass, field
from importlib import import_module
from typing import Callable, Iterable

from ..text import Document

# Paragraph rates use at least this many words, so a two-word heading with one
# artifact does not outweigh a long paragraph.
MIN_WORDS_FOR_RATE = 25
FEATURE_MODULES = ("honorifics", "pronouns", "brackets", "punctuation", "names", "statistics", "phrasing", "connectives", "foreign_script", "cohesion", "word_choice")


@dataclass(frozen=True)
class Evidence:
    """One artifact: `text[start:end]` is exactly what was seen."""

    feature: str
    start: int
    end: int
    message: str
    weight: float = 1.0

    def to_dict(self) -> dict:
        return {"feature": self.feature, "start": self.start, "end": self.end, "message": self.message}


@dataclass(frozen=True)
class Feature:
    name: str
    version: int
    description: str
    kind: str  # "artifact" or "statistic"
    function: Callable
    # A statistic's words for a reason about it: detail(doc, paragraph index or None for the
    # whole document) -> a short text naming what in the text made the value, or "".
    detail: Callable[[Document, int | None], str] | None = None


@dataclass
class Extraction:
    """What every registered feature found in one document."""

    names: list[str]
    evidence: list[Evidence]
    paragraph_values: list[list[float]]  # [paragraph][feature]
    document_values: list[float]  # [feature]
    paragraph_evidence: list[list[Evidence]] = field(default_factory=list)


REGISTRY: dict[str, Feature] = {}


def artifact(name: str, version: int, description: str):
    """Register `function(doc) -> Iterable[Evidence]`."""
    return _register(name, version, description, "artifact")


def statistic(name: str, version: int, description: str, detail: Callable[[Document, int | None], str] | None = None):
    """Register `function(doc) -> (per-paragraph values, document value)`; `detail`, see Feature."""
    return _register(name, version, description, "statistic", detail)


def _register(name: str, version: int, description: str, kind: str, detail: Callable | None = None):
    def decorate(function: Callable) -> Callable:
        if name in REGISTRY:
            raise ValueError(f"feature {name!r} is registered twice")
        REGISTRY[name] = Feature(name, version, description, kind, function, detail)
        return function

    return decorate


_loaded = False  # every feature module imported: extract() and each report ask, once per document


def load_all() -> dict[str, Feature]:
    """Import every feature module so that all features are registered."""
    global _loaded
    if not _loaded:
        for module in FEATURE_MODULES:
            import_module(f"{__name__}.{module}")
        _loaded = True
    return REGISTRY


def feature_names() -> list[str]:
    return sorted(load_all())


def extract(doc: Document, names: Iterable[str] | None = None) -> Extraction:
    """Run the named features (all by default) over one document."""
    registry = load_all()
    names = sorted(registry) if names is None else list(names)
    n_paragraphs = len(doc.paragraphs)
    word_counts = doc.paragraph_word_counts
    rate_bases = [max(count, MIN_WORDS_FOR_RATE) for count in word_counts]
    document_base = max(sum(word_counts), MIN_WORDS_FOR_RATE)
    nothing = [0.0] * n_paragraphs  # an artifact feature that found nothing (most of them, most of the time)
    columns: list[list[float]] = []  # per feature, its paragraph values: turned into rows at the end
    document_values: list[float] = []
    paragraph_evidence: list[list[Evidence]] = [[] for _ in range(n_paragraphs)]
    all_evidence: list[Evidence] = []

    for name in names:
        feature = registry[name]
        if feature.kind == "artifact":
            found = sorted(feature.function(doc), key=_span)
            if not found:
                columns.append(nothing)
                document_values.append(0.0)
                continue
            weights = [0.0] * n_paragraphs
            for item in found:
                paragraph = doc.paragraph_of(item.start)
                weights[paragraph] += item.weight
                paragraph_evidence[paragraph].append(item)
            all_evidence.extend(found)
            columns.append([100.0 * weight / base for weight, base in zip(weights, rate_bases)])
            document_values.append(100.0 * sum(weights) / document_base)
        else:
            per_paragraph, whole = feature.function(doc)
            if len(per_paragraph) < n_paragraphs:
                raise ValueError(f"feature {name!r} gave {len(per_paragraph)} paragraph values for {n_paragraphs} paragraphs")
            columns.append([v if isfinite(v) else 0.0 for v in map(float, per_paragraph[:n_paragraphs])])
            document_values.append(_finite(whole))
    paragraph_values = [list(row) for row in zip(*columns)] if columns else [[] for _ in range(n_paragraphs)]

    all_evidence.sort(key=lambda e: (e.start, e.end, e.feature))
    for items in paragraph_evidence:
        items.sort(key=lambda e: (e.start, e.end, e.feature))
    return Extraction(names, all_evidence, paragraph_values, document_values, paragraph_evidence)


def _span(item: Evidence) -> tuple[int, int]:
    return item.start, item.end


def _finite(value: float) -> float:
    value = float(value)
    return value if isfinite(value) else 0.0

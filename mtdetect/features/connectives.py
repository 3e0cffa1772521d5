"""Stock sentence openers that machine translation reaches for.

Source languages mark discourse relations with particles and set phrases that neural MT
renders with the same few English formulas at the head of a sentence: "In addition,",
"On the other hand,", "Therefore,", "It is said that", "Among them,". English news writers
rarely open sentences this way, and professional translators vary the wording.

The list is data-driven (WMT news, per 1,000 sentences, machine vs human translation of the
same documents vs original English): "In addition" 10.1 / 5.2 / 1.4, "On the other hand"
3.3 / 1.3 / 0, "Therefore" 3.0 / 1.6 / 0, "It is said that" 0.8 / 0 / 0, "Among them"
0.8 / 0 / 0. Connectives often assumed to be machine-like ("Additionally", "Furthermore",
"Moreover", "Besides") are in fact used MORE by human translators there, so they are left out.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..text import Document
from . import Evidence, artifact

STOCK_OPENERS = (
    "In addition",
    "On the other hand",
    "Therefore",
    "At the same time",
    "It is said that",
    "It is reported that",
    "Among them",
    "At that time",
    "In particular",
    "In this regard",
    "First of all",
    "After all",
    "Nevertheless",
)
# Anchored at a sentence start (after an optional opening quote); the phrase must end at a
# word boundary and, except for the "It is ... that" clauses, be followed by a comma.
OPENER_RE = re.compile(
    r"[\"“‘']?(?P<phrase>"
    + "|".join(re.escape(p) for p in STOCK_OPENERS if p.endswith(" that"))
    + r")\b"
    + r"|[\"“‘']?(?P<adverbial>"
    + "|".join(re.escape(p) for p in STOCK_OPENERS if not p.endswith(" that"))
    + r")(?=,)"
)


@artifact(
    "stock_connective",
    1,
    "sentence opened with a stock connective ('In addition,', 'On the other hand,', 'It is said "
    "that') that machine translation uses far more than English writers",
)
def stock_connective(doc: Document) -> Iterable[Evidence]:
    for sentence in doc.sentences:
        match = OPENER_RE.match(doc.text, sentence.start, sentence.end)
        if match is None:
            continue
        group = "phrase" if match.group("phrase") else "adverbial"
        start, end = match.span(group)
        yield Evidence(
            "stock_connective",
            start,
            end,
            f"sentence opens with '{match.group(group)}': a stock connective that machine translation "
            "puts at the head of sentences far more often than English news writers do",
        )

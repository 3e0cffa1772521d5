"""Deciding the relation of a compared pair: verbatim copy, machine-rewritten copy or independent report."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .tunables import FINDING_FACTOR, MACHINE_PROBABILITY, NAME_DRIFT_LOG_ODDS

if TYPE_CHECKING:  # annotations only: importing at run time would be circular
    from .alignment import Comparison
    from .direction import DirectionModel


# --- deciding which is the copy -----------------------------------------------------------


@dataclass
class Verdict:
    """The relation of a compared pair, oriented: `copy` is "a" or "b", None for independent reports."""

    relation: str | None  # one of RELATIONS, or None when the two do not tell one story
    copy: str | None
    log_odds: float  # that b (not a) is the machine's version: style + detector + name drift
    probability: float  # that the side called the copy is the machine's version
    score_a: float | None
    score_b: float | None
    reasons: list[str]
    findings: int = 0  # reworded quotes and respelled names

    @property
    def original(self) -> str | None:
        return None if self.copy is None else ("a" if self.copy == "b" else "b")

    @property
    def copy_score(self) -> float:
        """How sure the pair makes us that the copy is machine-rewritten (0 unless it is called so).

        The direction's probability, raised by every reworded quote and respelled name (what a
        person copying a story does not do), and never below the detector's own score.
        """
        if self.relation != "machine_rewritten":
            return 0.0
        detector = (self.score_b if self.copy == "b" else self.score_a) or 0.0
        combined = 1.0 - (1.0 - self.probability) * FINDING_FACTOR ** min(self.findings, 10)
        return min(0.99, max(detector, combined))


def _logit(p: float) -> float:
    p = min(max(p, 0.01), 0.99)
    return math.log(p / (1.0 - p))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def decide(
    comparison: Comparison,
    score_a: float | None = None,
    score_b: float | None = None,
    threshold: float = 0.5,
    a_first: bool = True,
    direction: DirectionModel | None = None,
) -> Verdict:
    """Relation and direction of a compared pair.

    `score_a`/`score_b` are the detector's document scores (None without a detector);
    `direction` compares how the two versions are written; `a_first` says a was seen
    first, which settles who copied whom between verbatim twins.
    """
    kind = comparison.kind
    if kind is None:
        lined_up = len(comparison.sentence_pairs)
        return Verdict(None, None, 0.0, 0.0, score_a, score_b, [f"only {lined_up} sentence(s) line up: too little to say they tell one story"])
    toward_a, toward_b = comparison.votes()
    # Only a rewrite needs to know which version reads like the machine's.
    style = 0.0 if direction is None or kind != "rewrite" else direction.log_odds(comparison.a.style, comparison.b.style)
    detector = 0.0 if score_a is None or score_b is None else _logit(score_b) - _logit(score_a)
    log_odds = style + detector + NAME_DRIFT_LOG_ODDS * (toward_b - toward_a)  # > 0: b is the machine's
    reworded = sum(1 for link in comparison.links if link.feature == "reworded_quote")
    respelled = sum(1 for link in comparison.links if link.feature == "respelled_name")
    if kind == "verbatim":
        # The side more fully found in the other is the copy (a republisher trims); twins: the later one.
        if abs(comparison.verbatim_a - comparison.verbatim_b) > 0.1:
            copy = "a" if comparison.verbatim_a > comparison.verbatim_b else "b"
        else:
            copy = "b" if a_first else "a"
        share = max(comparison.verbatim_a, comparison.verbatim_b)
        reasons = [f"{share:.0%} of the copy is word for word in the other text"]
        return Verdict("verbatim", copy, log_odds, 0.0, score_a, score_b, reasons)
    if kind == "independent":
        reasons = [f"tells the same story, but only {min(comparison.coverage_a, comparison.coverage_b):.0%} of it lines up sentence by sentence"]
        return Verdict("independent", None, log_odds, 0.0, score_a, score_b, reasons)
    copy = "b" if log_odds > 0 or (log_odds == 0 and a_first) else "a"
    probability = _sigmoid(abs(log_odds))
    copy_detector = score_b if copy == "b" else score_a
    drift = toward_b if copy == "b" else toward_a
    reasons = [
        f"{min(comparison.coverage_a, comparison.coverage_b):.0%} of both texts lines up sentence by sentence, in order, "
        f"but only {max(comparison.verbatim_a, comparison.verbatim_b):.0%} word for word"
    ]
    if direction is not None:
        reasons.append(f"function words and punctuation say {'this' if style * (1 if copy == 'b' else -1) > 0 else 'the other'} version is the machine's (log-odds {abs(style):.1f})")
    if score_a is not None and score_b is not None:
        other = score_a if copy == "b" else score_b
        reasons.append(f"detector score {copy_detector:.2f} against {other:.2f} for the other text")
    if reworded or respelled:
        reasons.append(f"{reworded} quote(s) reworded and {respelled} name(s) respelled")
    if drift:
        reasons.append(f"{drift} name(s) spelled two ways on the copy's side only")
    machine = (
        probability >= MACHINE_PROBABILITY
        or drift > 0
        or (copy_detector is not None and copy_detector >= threshold and log_odds != 0)
    )
    if comparison.kept_speech >= 2 and comparison.kept_speech > comparison.reworded_speech and not drift:
        # The first signal of all: a person rewriting a story keeps what people said word for word.
        reasons.append(
            f"{comparison.kept_speech} quoted statement(s) kept word for word against {comparison.reworded_speech} reworded: a person's rewrite"
        )
        return Verdict("independent", None, log_odds, probability, score_a, score_b, reasons, reworded + respelled)
    if not machine:
        reasons.append(f"a rewrite, but neither version reads clearly as the machine's (probability {probability:.2f})")
        return Verdict("independent", None, log_odds, probability, score_a, score_b, reasons, reworded + respelled)
    return Verdict("machine_rewritten", copy, log_odds, probability, score_a, score_b, reasons, reworded + respelled)



"""Numbers for people: a probability beside its threshold, and what the threshold means."""

from __future__ import annotations

MAX_DIGITS = 6


def probability_pair(score: float, threshold: float, digits: int = 2) -> tuple[str, str]:
    """Score and threshold printed with as many digits as it takes to show which side the score is on.

    0.9412 next to 0.9374 prints "0.941" and "0.937", never "0.94" and "0.94"; the
    comparison itself is always made on the unrounded numbers.
    """
    for d in range(digits, MAX_DIGITS + 1):
        shown_score, shown_threshold = f"{score:.{d}f}", f"{threshold:.{d}f}"
        same_side = (score >= threshold) == (float(shown_score) >= float(shown_threshold))
        # Different numbers must look different: "0.94 ≥ threshold 0.94" hides how close it was.
        distinct = shown_score != shown_threshold or score == threshold
        if same_side and distinct and _honest(score, shown_score):
            return shown_score, shown_threshold
    return probability(score, MAX_DIGITS), f"{threshold:.{MAX_DIGITS}f}"


def probability(score: float, digits: int = 2) -> str:
    """A probability that never reads as certainty it is not: 0.999986 is "0.99999", not "1.00"."""
    for d in range(digits, MAX_DIGITS + 1):
        shown = f"{score:.{d}f}"
        if _honest(score, shown):
            return shown
    return f"> {1 - 10 ** -MAX_DIGITS:.{MAX_DIGITS}f}" if score > 0.5 else f"< {10 ** -MAX_DIGITS:.{MAX_DIGITS}f}"


def _honest(score: float, shown: str) -> bool:
    value = float(shown)
    return (value < 1.0 or score >= 1.0) and (value > 0.0 or score <= 0.0)


def comparison(score: float, threshold: float) -> str:
    shown_score, shown_threshold = probability_pair(score, threshold)
    return f"{shown_score} {'≥' if score >= threshold else '<'} threshold {shown_threshold}"


def percent(rate: float) -> str:
    return f"{100 * rate:.1f} %"


def threshold_meaning(report: dict) -> str:
    """What the document threshold means, from the model card's validation."""
    rate = report.get("false_positive_rate")
    if rate is None:
        return "a threshold whose false-positive rate on human news was not measured"
    return f"at this threshold {percent(rate)} of human news documents were flagged in validation"


def flag_summary(report: dict) -> str:
    """Which score flagged the document, and how many paragraphs are over their own threshold."""
    paragraphs = report["paragraphs"]
    over = sum(p["flagged"] for p in paragraphs)
    threshold = report.get("paragraph_threshold")
    at = f" (paragraph threshold {threshold:.4f})" if threshold is not None else ""
    if report["flagged"]:
        if over:
            return f"flagged by the document score; {over} of {len(paragraphs)} paragraphs are over the paragraph threshold{at} on their own"
        return f"flagged by the document score (the whole text's evidence together); no single paragraph is over the paragraph threshold{at}"
    if over:
        return f"not flagged as a whole, but {over} of {len(paragraphs)} paragraphs are over the paragraph threshold{at}"
    return f"none of {len(paragraphs)} paragraphs is over the paragraph threshold{at}"

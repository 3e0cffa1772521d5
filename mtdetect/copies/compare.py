"""The `mtdetect compare` analysis of two texts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .alignment import compare_documents
from .direction import _resolve_direction
from .evidence import copy_evidence
from .verdicts import decide

if TYPE_CHECKING:  # annotations only: importing at run time would be circular
    from .direction import DirectionModel


def compare_texts(
    text_a: str, text_b: str, detector=None, id_a: str = "A", id_b: str = "B", direction: DirectionModel | None | str = "bundled"
) -> dict:
    """The `mtdetect compare` analysis of two texts, as a JSON-ready dict."""
    comparison = compare_documents(text_a, text_b)
    score_a = score_b = None
    if detector is not None:
        score_a = float(detector.score_document(comparison.a.doc)["score"])
        score_b = float(detector.score_document(comparison.b.doc)["score"])
    threshold = getattr(detector, "threshold", 0.5)
    verdict = decide(comparison, score_a, score_b, threshold, direction=_resolve_direction(direction))
    side = verdict.copy or "b"
    ids = {"a": id_a, "b": id_b}
    return {
        "a": id_a,
        "b": id_b,
        "relation": verdict.relation,
        "copy": ids[verdict.copy] if verdict.copy else None,
        "copy_side": verdict.copy,  # "a", "b" or None
        "copy_of": ids[verdict.original] if verdict.original else None,
        "score_a": None if score_a is None else round(score_a, 4),
        "score_b": None if score_b is None else round(score_b, 4),
        "copy_score": round(verdict.copy_score, 4),
        "probability": round(verdict.probability, 4),
        "coverage_a": round(comparison.coverage_a, 4),
        "coverage_b": round(comparison.coverage_b, 4),
        "verbatim_share_a": round(comparison.verbatim_a, 4),
        "verbatim_share_b": round(comparison.verbatim_b, 4),
        "kept_quotes": comparison.kept_quotes,
        "reasons": verdict.reasons,
        "evidence_side": side,  # copy_evidence offsets: start/end in this side, original_* in the other
        "copy_evidence": [e.to_dict() for e in copy_evidence(comparison, verdict, side)],
        "aligned_paragraphs": [
            {"a": pa, "b": pb, "a_start": comparison.a.paragraphs[pa].start, "a_end": comparison.a.paragraphs[pa].end,
             "b_start": comparison.b.paragraphs[pb].start, "b_end": comparison.b.paragraphs[pb].end, "similarity": s}
            for pa, pb, s in comparison.paragraph_pairs
        ],
        "model": getattr(detector, "signature", None),
    }

"""What a copy changed, as evidence with offsets in both texts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..text import Span
from .wording import is_word_swap

if TYPE_CHECKING:  # annotations only: importing at run time would be circular
    from .alignment import Comparison, _Link
    from .verdicts import Verdict


# --- evidence -------------------------------------------------------------------------


@dataclass(frozen=True)
class CopyEvidence:
    """What the copy changed (or kept): `copy[start:end]` against `original[original_start:original_end]`."""

    feature: str
    start: int
    end: int
    original_start: int
    original_end: int
    message: str

    def to_dict(self) -> dict:
        return {
            "feature": self.feature,
            "start": self.start,
            "end": self.end,
            "original_start": self.original_start,
            "original_end": self.original_end,
            "message": self.message,
        }


def quote_evidence(comparison: Comparison, side: str) -> list[CopyEvidence]:
    """Only the quotes told two ways, seen from `side`: all an independent version is shown."""
    items = []
    for link in comparison.links:
        if link.feature == "reworded_quote":
            cspan, ospan = (link.b, link.a) if side == "b" else (link.a, link.b)
            ctext, otext = (link.b_text, link.a_text) if side == "b" else (link.a_text, link.b_text)
            items.append(CopyEvidence(link.feature, cspan.start, cspan.end, ospan.start, ospan.end, _message(link, ctext, otext, side)))
    return items


def copy_evidence(comparison: Comparison, verdict: Verdict, copy: str | None = None) -> list[CopyEvidence]:
    """The evidence for the copy side (`copy` "a"/"b"; default the verdict's copy, else "b")."""
    side = copy or verdict.copy or "b"
    copy_doc = comparison.b if side == "b" else comparison.a
    original_doc = comparison.a if side == "b" else comparison.b
    items: list[CopyEvidence] = []
    for link in comparison.links:
        if verdict.relation == "independent" and link.feature != "reworded_quote":
            continue  # independent reports differ everywhere; only a quote told two ways is worth showing
        cspan, ospan = (link.b, link.a) if side == "b" else (link.a, link.b)
        ctext, otext = (link.b_text, link.a_text) if side == "b" else (link.a_text, link.b_text)
        items.append(CopyEvidence(link.feature, cspan.start, cspan.end, ospan.start, ospan.end, _message(link, ctext, otext, side)))
    # Runs of paragraphs that follow the other text's paragraphs one for one, in order.
    for (first_c, first_o), (last_c, last_o), similarity in _paragraph_runs(comparison.paragraph_pairs, side):
        cspan = Span(copy_doc.paragraphs[first_c].start, copy_doc.paragraphs[last_c].end)
        ospan = Span(original_doc.paragraphs[first_o].start, original_doc.paragraphs[last_o].end)
        if first_c == last_c:
            what = f"paragraph {first_c + 1} says what paragraph {first_o + 1} of the other text says"
        else:
            what = f"paragraphs {first_c + 1}-{last_c + 1} follow paragraphs {first_o + 1}-{last_o + 1} of the other text one for one, in order"
        items.append(CopyEvidence("aligned_paragraphs", cspan.start, cspan.end, ospan.start, ospan.end, f"{what} ({similarity:.0%} of the content words shared)"))
    share = comparison.verbatim_b if side == "b" else comparison.verbatim_a
    for run in _verbatim_runs(comparison, side):
        (cs, ce), (os_, oe) = run
        items.append(
            CopyEvidence(
                "verbatim_share",
                cs,
                ce,
                os_,
                oe,
                f"copied word for word ({share:.0%} of this text is found word for word in the other)",
            )
        )
    items.extend(_machine_wording(comparison, verdict, side))
    items.sort(key=lambda e: (e.start, e.end, e.feature))
    return items


WORDING_EVIDENCE = 3  # the sentence pairs whose votes are shown with offsets


def _machine_wording(comparison: Comparison, verdict: Verdict, side: str) -> list[CopyEvidence]:
    """The sentences whose votes say most clearly that the copy is the machine's version."""
    if verdict.relation != "machine_rewritten" or verdict.copy != side:
        return []
    sign = 1.0 if side == "b" else -1.0
    strongest = sorted(verdict.sentence_votes, key=lambda vote: -vote[2] * sign)[:WORDING_EVIDENCE]
    items = []
    for i, j, vote in strongest:
        if vote * sign <= 0:
            break
        copy_index, original_index = (j, i) if side == "b" else (i, j)
        copy_doc, original_doc = (comparison.b, comparison.a) if side == "b" else (comparison.a, comparison.b)
        cspan, ospan = copy_doc.sentences[copy_index], original_doc.sentences[original_index]
        swaps = _word_swaps(original_doc.sentence_texts(original_index), copy_doc.sentence_texts(copy_index))
        said = f": {swaps}" if swaps else ""
        items.append(
            CopyEvidence(
                "machine_wording",
                cspan.start,
                cspan.end,
                ospan.start,
                ospan.end,
                f"reads like a machine's rewording of the other text's sentence (vote {vote * sign:+.1f} on a scale of -3 to +3){said}",
            )
        )
    return items


def _word_swaps(original_texts: list[str], copy_texts: list[str], limit: int = 3) -> str:
    """Up to `limit` short word replacements, as "'customers' for 'savers'" (the sentences' token texts)."""
    from rapidfuzz.distance import Levenshtein

    original = [t for t in original_texts if t[0].isalnum()]
    copy = [t for t in copy_texts if t[0].isalnum()]
    swaps = []
    for op in Levenshtein.opcodes(original, copy):
        old, new = " ".join(original[op.src_start : op.src_end]), " ".join(copy[op.dest_start : op.dest_end])
        if op.tag == "replace" and op.src_end - op.src_start <= 2 and op.dest_end - op.dest_start <= 2 and is_word_swap(old, new):
            swaps.append(f"'{new}' for '{old}'")
        if len(swaps) == limit:
            break
    return ", ".join(swaps)


def _paragraph_runs(pairs: list[tuple[int, int, float]], side: str):
    """((first copy paragraph, first original paragraph), (last, last), mean similarity) per run."""
    runs: list[list] = []
    for pa, pb, similarity in pairs:
        c, o = (pb, pa) if side == "b" else (pa, pb)
        if runs and c == runs[-1][1][0] + 1 and o == runs[-1][1][1] + 1:
            runs[-1][1] = (c, o)
            runs[-1][2].append(similarity)
        else:
            runs.append([(c, o), (c, o), [similarity]])
    return [(first, last, sum(values) / len(values)) for first, last, values in runs]


def _verbatim_runs(comparison: Comparison, side: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    runs = []
    copy_doc = comparison.b if side == "b" else comparison.a
    original_doc = comparison.a if side == "b" else comparison.b
    current = None
    for i, j, _, verbatim in comparison.sentence_pairs:
        ci, oi = (j, i) if side == "b" else (i, j)
        if not verbatim:
            current = None
            continue
        cs, os_ = copy_doc.sentences[ci], original_doc.sentences[oi]
        if current is not None and current[0] == ci - 1 and current[1] == oi - 1:
            runs[-1] = ((runs[-1][0][0], cs.end), (runs[-1][1][0], os_.end))
        else:
            runs.append(((cs.start, cs.end), (os_.start, os_.end)))
        current = (ci, oi)
    return runs


def _message(link: _Link, copy_text: str, original_text: str, side: str) -> str:
    if link.feature == "reworded_quote":
        described = []
        for words_a, words_b in link.changes:
            new, old = (words_b, words_a) if side == "b" else (words_a, words_b)
            if new and old:
                described.append(f"{new!r} for {old!r}")
            elif new:
                described.append(f"{new!r} added")
            else:
                described.append(f"{old!r} dropped")
        changes = f" ({_short('; '.join(described), 120)})" if described else ""
        return (
            f"quote reworded{changes}: whoever republishes or rewrites a story keeps direct quotes word "
            f"for word; a round trip through another language does not"
        )
    if link.feature == "respelled_name":
        sounds = link.detail == "sounds alike"
        why = "sounds like it" if sounds else "stands in the same place of the aligned sentence"
        drift = ""
        if link.points_to == side:
            drift = f", and this text also writes {original_text!r} elsewhere"
        # A name in another name's place ("Hata" for "Qin", "Conservatives" for "Tories") was read back as another word, not respelled.
        what = "a round trip respells names" if sounds else "a round trip can read a name back as another word"
        return f"{copy_text!r} where the other text has {original_text!r} ({why}{drift}): {what}"
    if link.feature == "restyled_number":
        return f"{copy_text!r} where the other text writes {original_text!r}: the number was restyled"
    return link.detail


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"



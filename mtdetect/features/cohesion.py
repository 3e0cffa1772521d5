"""Document cohesion: what ties sentences together in human writing, measured across sentences.

A human writer chains sentences by taking up the key terms of the sentence before; a
sentence-level translation chooses each sentence's words afresh (and, measured on WMT news,
packs fewer content words into a sentence), so neighbouring sentences share fewer of them.

Measured on WMT news and kept here only when the signal held across source languages:
adjacent_content_overlap (MT vs HT of the same documents: 0.40 paired AUC, every source
language below 0.5). Tried and dropped (same-story AUC within 0.03 of 0.5, or inconsistent
across languages, or no gain in the combined model): past/present tense switching between
adjacent sentences, "says"/"said" mixing, "a X" after "the X", a sentence opening with the
previous sentence's name, British/American spelling mixing.

The features read the content words of each sentence that lie outside quotations (quoted
speech keeps the speaker's words, not the writer's choices), built once per document from
its tokens.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import compress
from operator import not_

from ..text import CLOSING_QUOTE_MARKS, DOUBLE_QUOTE_CHARACTERS, OPENING_QUOTE_MARKS, Document, char_positions
from . import statistic


def _quoted_runs(doc: Document) -> tuple[list[int], list[int]]:
    """Token index ranges [start, end) inside quotations, as two sorted lists of starts and ends.

    A quotation left open at a paragraph end is not carried on: one stray mark must not hide
    the rest of the document. Only the quote marks and the paragraph starts change the state,
    so the walk visits those alone."""
    text, texts, starts = doc.text, doc.token_texts, doc.token_starts
    # The marks found in the text in C, each the token starting where it stands (a quotation
    # mark is always a token of its own): a Python test of every token cost more than the rest of the walk.
    events: list[tuple[int, str | None]] = [(bisect_left(starts, p), text[p]) for p in char_positions(text, DOUBLE_QUOTE_CHARACTERS)]
    # A paragraph start (None) comes before a quote mark at the same token.
    for start in doc.paragraphs[1:]:
        events.append((doc.token_range(start.start, start.start + 1).start, None))
    events.sort(key=lambda event: (event[0], event[1] is not None))
    starts, ends = [], []
    inside = False
    for index, mark in events:
        if mark is None:
            opens = False
        elif mark in OPENING_QUOTE_MARKS:
            opens = True
        elif mark in CLOSING_QUOTE_MARKS:
            opens = False
        else:
            opens = not inside
        if opens and not inside:
            starts.append(index + 1)  # the mark itself is no word
        elif inside and not opens:
            ends.append(index)
        inside = opens
    if inside:
        ends.append(len(texts))
    return starts, ends


# --- lexical chaining -----------------------------------------------------------------------

# Function words and reporting verbs carry no topic, so they do not tie sentences together.
NOT_CONTENT = frozenset(
    """the a an of to in and or for on at by with from as is are was were be been being has
    have had that this these those it its he she his her they their them we our you your i my
    not no but if then than so also will would can could should may might must do does did
    which who whom what when where while there here about into over after before up out more
    most other some such only just very all any each both said says""".split()
)
MIN_CONTENT_LENGTH = 4


def _content_sets(doc: Document) -> list[frozenset[str]]:
    """Per sentence: its lower-cased content words outside quotations (quoted speech keeps the speaker's words)."""
    cached = doc.__dict__.get("_cohesion_content_sets")
    if cached is not None:
        return cached
    # The content words of the whole document first, with their token indices.
    content = [len(word) >= MIN_CONTENT_LENGTH and word not in NOT_CONTENT for word in doc.lower_words]
    positions = list(compress(doc.word_token_indices, content))
    words = list(compress(doc.lower_words, content))
    quoted_starts, quoted_ends = _quoted_runs(doc)
    if quoted_starts:
        # The quoted runs [start, end) are sorted and disjoint: mark their tokens once, rather
        # than bisect the runs for every word.
        inside = bytearray(len(doc.token_texts))
        for start, end in zip(quoted_starts, quoted_ends):
            inside[start:end] = b"\x01" * (end - start)
        narrative = list(map(not_, map(inside.__getitem__, positions)))
        positions = list(compress(positions, narrative))
        words = list(compress(words, narrative))
    # The sentences are in order: each one's slice of `positions` is searched from the last one's end.
    sets, end = [], 0
    for tokens in doc.sentence_token_ranges:
        start = bisect_left(positions, tokens.start, end)
        end = bisect_left(positions, tokens.stop, start)
        sets.append(frozenset(words[start:end]))
    doc.__dict__["_cohesion_content_sets"] = sets
    return sets


@statistic(
    "adjacent_content_overlap",
    1,
    "Mean share of a sentence's content words that the next sentence uses again (over the "
    "smaller of the two sets). Human writing chains sentences by repeating its key terms; "
    "machine output is lower, both because each sentence's words are chosen afresh and "
    "because it carries fewer content words per sentence.",
)
def adjacent_content_overlap(doc: Document) -> tuple[list[float], float]:
    sets = _content_sets(doc)
    sums = [0.0] * len(doc.paragraphs)
    counts = [0] * len(doc.paragraphs)
    for index in range(1, len(sets)):
        before, after = sets[index - 1], sets[index]
        if not before or not after:
            continue
        share = len(before & after) / min(len(before), len(after))
        # The pair belongs to the paragraph of its second sentence, where the chain holds or breaks.
        paragraph = doc.sentence_paragraph(index)
        sums[paragraph] += share
        counts[paragraph] += 1
    per_paragraph = [total / count if count else 0.0 for total, count in zip(sums, counts)]
    whole = sum(sums) / sum(counts) if sum(counts) else 0.0
    return per_paragraph, whole

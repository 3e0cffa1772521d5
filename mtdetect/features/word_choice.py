"""Word choice: which common words a text uses, weighed by what machines choose when they reword one text.

The copy-direction model (`copies.direction`) learns, from aligned sentences of the same
story (a round trip and its original, a machine and a human translation of one document),
a weight for each of English's 5,000 commonest words: positive where the machine's version
has the word and the other does not ("explained", "thus", "companies"), negative the other
way ("across", "hoping", "toward"). The two versions tell one story, so the weights are
word choice, not topic. Read on one text alone, their sum over its distinct words (over the
square root of their number) says how far its wording leans the machine's way, which a round
trip keeps even without its original.
"""

from __future__ import annotations

import math
from itertools import compress
from typing import Mapping

from ..frequency import one_spelling
from ..text import Document
from . import statistic
from .statistics import Values, _cached, _lower_case, _lower_words, _paragraph_word_bounds


def _distinct_forms(doc: Document) -> tuple[list[set], set]:
    """Each paragraph's distinct lower-case words, each spelling made locale-free, and the document's.

    Made once per document: the feature and the reason about it (leaning_words) both read them.
    """

    def build(doc: Document) -> tuple[list[set], set]:
        spelling = one_spelling().get
        words, lower = _lower_words(doc), _lower_case(doc)
        paragraphs, seen = [], set()
        for first, end in _paragraph_word_bounds(doc):
            # Each distinct word once, then its spelling folded: the same set as folding every word first.
            here = {spelling(word, word) for word in set(compress(words[first:end], lower[first:end]))}
            paragraphs.append(here)
            seen |= here
        return paragraphs, seen

    return _cached(doc, "_word_choice_forms", build)


def word_choice_lean(doc: Document, weights: Mapping[str, float]) -> Values:
    """The lean of the distinct lower-case words (spelling made locale-free) that have a weight, per paragraph and overall.

    Distinct words: a text that repeats one word says less about its choices than one that uses many.
    """
    paragraphs, seen = _distinct_forms(doc)
    return [_lean(here, weights) for here in paragraphs], _lean(seen, weights)


def _lean(words: set, weights: Mapping[str, float]) -> float:
    """logistic(sum of the words' weights / sqrt(how many)): 0.5 with none, towards 1 the machine's way.

    The sum over the square root grows with the evidence, as a mean would not (measured on round
    trips against their originals, each weighed by votes fitted without its year: AUC 0.712
    against 0.700 for the mean); the logistic curve keeps the value in 0..1, as the classifier's
    log1p needs.
    """
    found = [weights[w] for w in words if w in weights]
    if not found:
        return 0.5
    # fsum: one correctly rounded sum, whatever order the set is read in.
    return 1 / (1 + math.exp(-math.fsum(found) / math.sqrt(len(found))))


def bundled_weights() -> Mapping[str, float]:
    """The shipped direction model's word weights (none when it is missing)."""
    from ..copies.direction import bundled_direction_model

    direction = bundled_direction_model()
    return direction.word_weight if direction is not None else {}


DETAIL_WORDS = 3  # words named on each side in a reason
DETAIL_MIN_WEIGHT = 0.3  # a word that leans less says little on its own


_STRONG: list = [None, {}]  # the weights last asked about, and their words that lean DETAIL_MIN_WEIGHT or more


def _strong_words(weights: Mapping[str, float]) -> dict[str, float]:
    if _STRONG[0] is not weights:  # one set of weights in a scan: built once
        _STRONG[:] = [weights, {w: x for w, x in weights.items() if abs(x) >= DETAIL_MIN_WEIGHT}]
    return _STRONG[1]


def leaning_words(doc: Document, paragraph: int | None, weights: Mapping[str, float] | None = None) -> str:
    """The words of a paragraph (None: the document) that lean most each way, for the reason about the lean."""
    strong = _strong_words(bundled_weights() if weights is None else weights)
    paragraphs, seen = _distinct_forms(doc)
    words = seen if paragraph is None else paragraphs[paragraph]
    found = sorted((strong[w], w) for w in words & strong.keys())
    machine = [f"'{w}'" for _, w in reversed(found[-DETAIL_WORDS:]) if _ > 0]
    human = [f"'{w}'" for _, w in found[:DETAIL_WORDS] if _ < 0]
    sides = [f"{', '.join(words)} ({side})" for words, side in ((machine, "machine"), (human, "human")) if words]
    return "words that lean most: " + "; ".join(sides) if sides else ""


@statistic(
    "machine_word_choice",
    1,
    "machine lean of the common words a text uses (0.5 neutral, higher leans machine): the weights the copy-direction "
    "model learnt from machine and human versions of the same stories ('explained', 'thus' lean machine; 'across', "
    "'hoping' human), summed over the distinct words, over the square root of their number, through a logistic curve; "
    "word choice that a round trip keeps even without its original",
    detail=leaning_words,
)
def machine_word_choice(doc: Document) -> Values:
    return word_choice_lean(doc, bundled_weights())

"""Word choice: which common words and stock word pairs a text uses, weighed by what machines choose when they reword one text.

The copy-direction model (`copies.direction`) learns, from aligned sentences of the same
story (a round trip and its original, a machine and a human translation of one document),
a weight for each of English's 5,000 commonest words: positive where the machine's version
has the word and the other does not ("explained", "thus", "companies"), negative the other
way ("across", "hoping", "toward"); and, fitted the same way but casting no vote, a lean
for each stock word pair ("so that", "thanks to" against "much of", "hoping to"). The two
versions tell one story, so these are word choice, not topic. Read on one text alone, their
sum over its distinct words or word pairs (over the square root of their number) says how
far its wording leans the machine's way, which a round trip keeps even without its original.
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
    return _leans(_distinct_forms(doc), weights)


def _leans(sets: tuple[list[set], set], weights: Mapping[str, float]) -> Values:
    """_lean of each paragraph's set and of the document's."""
    paragraphs, seen = sets
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


def _distinct_word_pairs(doc: Document) -> tuple[list[set], set]:
    """Each paragraph's distinct pairs of adjacent words ("first second", as the votes read the
    words: lower case, spelling locale-free), and the document's. Made once per document."""

    def build(doc: Document) -> tuple[list[set], set]:
        from ..copies.wording import word_forms

        forms, at = word_forms(doc.word_texts), doc.word_token_indices
        # The pair that starts at each word, None where the next word is not the next token ("them, so").
        starting = [f"{first} {second}" if j == i + 1 else None for first, second, i, j in zip(forms, forms[1:], at, at[1:])]
        paragraphs, seen = [], set()
        for first, end in _paragraph_word_bounds(doc):
            here = set(starting[first : max(first, end - 1)])
            here.discard(None)
            paragraphs.append(here)
            seen |= here
        return paragraphs, seen

    return _cached(doc, "_word_choice_pairs", build)


def word_pair_lean(doc: Document, weights: Mapping[str, float]) -> Values:
    """The lean of the distinct adjacent word pairs that have a weight, per paragraph and overall (see _lean)."""
    return _leans(_distinct_word_pairs(doc), weights)


def bundled_pair_weights() -> Mapping[str, float]:
    """The shipped direction model's stock word pairs and their lean (none when it is missing)."""
    from ..copies.direction import bundled_direction_model

    direction = bundled_direction_model()
    return direction.word_pairs if direction is not None else {}


# The features that read the bundled direction model's weights: a detector trained with them
# only holds while that file is the one it was trained with (model.save records it, load checks it).
READS_DIRECTION_WEIGHTS = ("machine_word_choice", "machine_word_pairs")


DETAIL_WORDS = 3  # words named on each side in a reason
DETAIL_MIN_WEIGHT = 0.3  # a word that leans less says little on its own


_STRONG: dict = {}  # id of a set of weights -> (those weights, their items that lean DETAIL_MIN_WEIGHT or more)


def _strong_items(weights: Mapping[str, float]) -> dict[str, float]:
    kept = _STRONG.get(id(weights))
    if kept is None or kept[0] is not weights:  # the scan's two sets of weights: each built once
        if len(_STRONG) > 8:
            _STRONG.clear()
        kept = _STRONG[id(weights)] = (weights, {w: x for w, x in weights.items() if abs(x) >= DETAIL_MIN_WEIGHT})
    return kept[1]


def leaning_words(doc: Document, paragraph: int | None, weights: Mapping[str, float] | None = None) -> str:
    """The words of a paragraph (None: the document) that lean most each way, for the reason about the lean."""
    return _leaning("words", _distinct_forms(doc), paragraph, bundled_weights() if weights is None else weights)


def leaning_word_pairs(doc: Document, paragraph: int | None, weights: Mapping[str, float] | None = None) -> str:
    """The word pairs of a paragraph (None: the document) that lean most each way, for the reason about their lean."""
    return _leaning("word pairs", _distinct_word_pairs(doc), paragraph, bundled_pair_weights() if weights is None else weights)


def _leaning(what: str, sets: tuple[list[set], set], paragraph: int | None, weights: Mapping[str, float]) -> str:
    strong = _strong_items(weights)
    paragraphs, seen = sets
    items = seen if paragraph is None else paragraphs[paragraph]
    found = sorted((strong[w], w) for w in items & strong.keys())
    machine = [f"'{w}'" for _, w in reversed(found[-DETAIL_WORDS:]) if _ > 0]
    human = [f"'{w}'" for _, w in found[:DETAIL_WORDS] if _ < 0]
    sides = [f"{', '.join(named)} ({side})" for named, side in ((machine, "machine"), (human, "human")) if named]
    return f"{what} that lean most: " + "; ".join(sides) if sides else ""


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


@statistic(
    "machine_word_pairs",
    1,
    "machine lean of the stock word pairs a text uses (0.5 neutral, higher leans machine): the lean the copy-direction "
    "fit gave each adjacent word pair on the list of common English bigrams, from machine and human versions of the same "
    "stories, summed over the distinct pairs, over the square root of their number, through a logistic curve; phrasing "
    "that a round trip keeps even without its original",
    detail=leaning_word_pairs,
)
def machine_word_pairs(doc: Document) -> Values:
    return word_pair_lean(doc, bundled_pair_weights())

"""Stock phrasing: how many of a text's word pairs are among the commonest pairs of English.

A round trip rewrites toward stock phrasing ("in order to", "as well as", "at the same
time") because the machine, going back into English, chooses the likeliest wording for
each sentence. The list is symspellpy's English bigrams (Google Books; see
mtdetect.frequency), not our training data, so it cannot encode the topics we train on.
"""

from __future__ import annotations

from ..frequency import common_bigrams
from ..text import Document
from . import statistic


def _stock_pairs_per_paragraph(doc: Document) -> list[tuple[int, int]]:
    """Per paragraph: (word pairs on the list, word pairs). A pair is two words with only a space between them."""
    stock = common_bigrams()
    text, lower, starts, texts = doc.text, doc.lower_words, doc.word_starts, doc.word_texts
    result, first = [], 0
    for count in doc.paragraph_word_counts:
        hits = pairs = 0
        for i in range(first, first + count - 1):
            end = starts[i] + len(texts[i])
            if starts[i + 1] == end + 1 and text[end] == " ":  # nothing between them: no comma, number or line break
                pairs += 1
                hits += f"{lower[i]} {lower[i + 1]}" in stock
        result.append((hits, pairs))
        first += count
    return result


@statistic(
    "stock_phrasing",
    1,
    "share of adjacent word pairs that are among the commonest English word pairs (symspellpy's "
    "Google Books bigrams): a round trip rewrites toward the likeliest wording",
)
def stock_phrasing(doc: Document):
    counts = _stock_pairs_per_paragraph(doc)
    hits, pairs = sum(h for h, _ in counts), sum(p for _, p in counts)
    return [h / p if p else 0.0 for h, p in counts], (hits / pairs if pairs else 0.0)

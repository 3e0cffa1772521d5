"""Translationese statistics: the properties their design relies on."""

import random

from mtdetect.features import extract
from mtdetect.features.statistics import WORD_RANKS, lexical_repetitiveness, word_commonness
from mtdetect.text import Document

VOCABULARY = (
    "river bridge council budget mayor school harbour winter market railway doctor museum garden "
    "factory teacher festival library theatre village island journey weather station farmer "
    "painter election hospital lawyer soldier tourist orchestra"
).split()


def _text(words: int, seed: int) -> str:
    rng = random.Random(seed)
    sentences, sentence = [], []
    for _ in range(words):
        sentence.append(rng.choice(VOCABULARY))
        if len(sentence) == 10:
            sentences.append(" ".join(sentence).capitalize() + ".")
            sentence = []
    return " ".join(sentences)


def test_lexical_repetitiveness_does_not_depend_on_length():
    short, long = _text(200, 1), _text(1000, 1)
    _, short_value = lexical_repetitiveness(Document(short))
    _, long_value = lexical_repetitiveness(Document(long))
    assert abs(short_value - long_value) < 0.03


def test_lexical_repetitiveness_gives_every_paragraph_a_value():
    doc = Document(_text(120, 2) + "\n\n" + _text(120, 3) + "\n\nShort last one.")
    paragraphs, whole = lexical_repetitiveness(doc)
    assert len(paragraphs) == 3
    assert all(0 < v < 1 for v in paragraphs) and 0 < whole < 1


def test_word_ranks_are_common_lower_case_words():
    assert WORD_RANKS["the"] == 1
    assert len(WORD_RANKS) > 3000
    assert all(word == word.lower() for word in WORD_RANKS)


def test_word_commonness_is_zero_for_unlisted_words():
    paragraphs, whole = word_commonness(Document("Zqxv blorft wuggle."))
    assert whole == 0 and paragraphs == [0.0]


def test_statistics_on_degenerate_texts_are_zero_or_finite():
    names = ["lexical_repetitiveness", "word_commonness", "fronted_adverbial_share", "sentence_length_variation", "comma_rate"]
    for text in ["", "   ", "word", "!!!", "12 34", "\n\n\n"]:
        extraction = extract(Document(text), names)
        assert all(v >= 0 for v in extraction.document_values)

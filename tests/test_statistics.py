"""Translationese statistics: the properties their design relies on."""

import math
import random
import re

from mtdetect.features import extract
from mtdetect.features.statistics import (
    content_word_commonness,
    lexical_repetitiveness,
    rare_word_share,
    unknown_word_share,
    word_commonness,
)
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


def test_word_commonness_reads_the_broad_table_not_our_data():
    _, common = word_commonness(Document("The people said that the government will pay."))
    _, rare = word_commonness(Document("Archaeologists catalogued obsidian blades."))
    assert common > 5 > rare > 0


def test_content_words_skip_names_and_function_words():
    # "Chelmsford" is a name (capitalised) and "the" a function word: only "savers" counts.
    paragraphs, whole = content_word_commonness(Document("The Chelmsford savers."))
    assert whole == paragraphs[0] > 0
    _, alone = content_word_commonness(Document("savers"))
    assert whole == alone


def test_rare_word_share_counts_rare_known_words():
    _, share = rare_word_share(Document("The galling verdict angered the people."))
    assert share == 0.5  # galling (2.5) and angered (3.3) of galling, verdict, angered, people


def test_unknown_word_share_ignores_known_compounds():
    _, none = unknown_word_share(Document("A well-known cost-cutting plan."))
    _, some = unknown_word_share(Document("A wuggle plan."))
    assert none == 0 and some == 0.5


def test_word_commonness_is_zero_for_unlisted_words():
    paragraphs, whole = word_commonness(Document("Zqxv blorft wuggle."))
    assert whole == 0 and paragraphs == [0.0]


def test_statistics_on_degenerate_texts_are_zero_or_finite():
    names = ["lexical_repetitiveness", "word_commonness", "fronted_adverbial_share", "sentence_length_variation", "comma_rate"]
    for text in ["", "   ", "word", "!!!", "12 34", "\n\n\n"]:
        extraction = extract(Document(text), names)
        assert all(v >= 0 for v in extraction.document_values)


def test_word_choice_lean_weighs_each_distinct_lower_case_word_once_per_paragraph():
    from mtdetect.features.word_choice import word_choice_lean

    def lean(*weights):
        return 1 / (1 + math.exp(-sum(weights) / math.sqrt(len(weights))))

    weights = {"explained": 0.4, "said": -0.2, "organization": 0.1}
    doc = Document("He explained it. He explained it again.\n\nShe said the Organisation's organisation grew.\n\nNothing here.")
    paragraphs, overall = word_choice_lean(doc, weights)
    # "explained" twice counts once; "Organisation's" is capitalised (a name's place) and skipped;
    # "organisation" reads as "organization", whichever spelling the site's locale uses.
    assert abs(paragraphs[0] - lean(0.4)) < 1e-12
    assert abs(paragraphs[1] - lean(-0.2, 0.1)) < 1e-12
    assert paragraphs[2] == 0.5  # no weighted word: neutral
    assert abs(overall - lean(0.4, -0.2, 0.1)) < 1e-12
    # More words leaning the same way are more evidence, where a mean would stay put.
    assert word_choice_lean(Document("He explained."), weights)[1] < word_choice_lean(Document("He explained and organization."), {"explained": 0.4, "organization": 0.4})[1]


def test_the_word_choice_reason_names_the_words_that_lean_most():
    from mtdetect.features.word_choice import leaning_words
    from mtdetect.model import load

    weights = {"explained": 0.9, "thus": 0.5, "said": -0.6, "the": 0.01}
    doc = Document("He explained it, thus.\n\nShe said so.")
    assert leaning_words(doc, None, weights) == "words that lean most: 'explained', 'thus' (machine); 'said' (human)"
    assert leaning_words(doc, 1, weights) == "words that lean most: 'said' (human)"
    assert leaning_words(Document("The the the."), None, weights) == ""  # 'the' leans too little to name
    # In a report, the reason about the lean carries the words of its own paragraph or document.
    detector = load()
    detector.explain_everything()
    report_text = "The companies explained the trend in prison insurance, thus the relations.\n\nHoping across the low paper subject."
    report = detector.score_text(report_text)
    reasons = [r for r in report["reasons"] + report["paragraphs"][1]["reasons"] if r["feature"] == "machine_word_choice"]
    assert reasons and all(r["detail"] in r["message"] for r in reasons)
    named = re.findall(r"'(\w+)'", reasons[0]["detail"])  # the document's reason: words of the whole text
    assert named and all(word in report_text.lower() for word in named)


def test_word_pair_lean_reads_adjacent_words_within_a_paragraph_as_the_votes_read_them():
    from mtdetect.features.word_choice import word_pair_lean

    def lean(*weights):
        return 1 / (1 + math.exp(-sum(weights) / math.sqrt(len(weights))))

    weights = {"so that": 0.8, "thanks to": 0.5, "much of": -0.6, "to the": 0.0}
    doc = Document("So that was it. Thanks to them, so that...\n\nMuch, of course.\n\nMuch of it")
    paragraphs, overall = word_pair_lean(doc, weights)
    # "So that" twice counts once, read in lower case; "them, so" and "Much, of" are not adjacent words.
    assert abs(paragraphs[0] - lean(0.8, 0.5)) < 1e-12
    assert paragraphs[1] == 0.5  # no weighted pair
    assert abs(paragraphs[2] - lean(-0.6)) < 1e-12
    assert abs(overall - lean(0.8, 0.5, -0.6)) < 1e-12


def test_the_word_pair_reason_names_the_pairs_that_lean_most():
    from mtdetect.features.word_choice import leaning_word_pairs

    weights = {"so that": 0.8, "thanks to": 0.5, "much of": -0.6, "to the": 0.01}
    doc = Document("Thanks to them, so that was it.\n\nMuch of it went to the sea.")
    assert leaning_word_pairs(doc, None, weights) == "word pairs that lean most: 'so that', 'thanks to' (machine); 'much of' (human)"
    assert leaning_word_pairs(doc, 1, weights) == "word pairs that lean most: 'much of' (human)"

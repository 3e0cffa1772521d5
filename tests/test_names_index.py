"""The stand-alone word index of the names feature answers exactly as str.find does."""

from hypothesis import given, settings
from hypothesis import strategies as st

from mtdetect.features.names import (
    LowerCaseWords,
    _indexable,
    occurs_standalone,
    standalone_words,
)

ALPHABET = "abAB '’-.²İi̇\n"
texts = st.text(alphabet=ALPHABET, max_size=40)
words = st.text(alphabet="abi'’-²̇", min_size=1, max_size=5)


@settings(max_examples=400, deadline=None)
@given(texts, st.lists(words, max_size=8))
def test_index_answers_as_find(text, asked):
    index = standalone_words(text)
    for word in asked + [text[i:j] for i in range(len(text)) for j in range(i + 1, min(len(text), i + 6) + 1)]:
        if _indexable(word):
            assert (word in index) == occurs_standalone(text, word), (text, word)


def test_many_lookups_switch_to_the_index():
    letters = [chr(ord("a") + i % 26) + chr(ord("a") + i // 26) for i in range(100)]
    text = " ".join(letters) + " state o’neill's"
    common = LowerCaseWords(text)
    asked = ["state", "o’neill", "o’neill's", "absent"] + [f"word{letter}" for letter in letters[:40]] + letters[:40]
    answers = {word: occurs_standalone(text, word) for word in asked}
    assert {word: word in common for word in asked} == answers
    assert common.index is not None

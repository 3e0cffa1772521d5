"""Invariants for arbitrary text: spans inside the text and sorted, values finite."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from mtdetect.features import extract
from mtdetect.text import Document

ALPHABET = st.sampled_from(list("abcXYZ Mr.Ms.Lin Lynn\"“”‘’()[]!?,;:-\n\n 0123éß") + ["Mr. ", "Ms. ", " he ", " she ", "Lee", "Li ", "\n\n"])
TEXTS = st.one_of(st.text(max_size=300), st.lists(ALPHABET, max_size=120).map("".join))


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_document_spans_are_ordered_and_inside(text):
    doc = Document(text)
    for spans in (doc.paragraphs, doc.sentences, doc.tokens):
        for item in spans:
            assert 0 <= item.start < item.end <= len(text)
        starts = [s.start for s in spans]
        assert starts == sorted(starts)
    for sentence in doc.sentences:
        paragraph = doc.paragraphs[doc.paragraph_of(sentence.start)]
        assert paragraph.start <= sentence.start and sentence.end <= paragraph.end


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_evidence_inside_text_and_values_finite(text):
    doc = Document(text)
    extraction = extract(doc)
    for evidence in extraction.evidence:
        assert 0 <= evidence.start < evidence.end <= len(text), evidence
        assert evidence.message
    keys = [(e.start, e.end) for e in extraction.evidence]
    assert keys == sorted(keys)
    for row in extraction.paragraph_values + [extraction.document_values]:
        assert all(math.isfinite(v) and v >= 0 for v in row)
    assert len(extraction.paragraph_values) == len(doc.paragraphs)

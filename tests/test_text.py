"""The Document: paragraphs, sentences and tokens with offsets."""

from mtdetect.text import Document, plain_typography


def test_blank_line_paragraphs_and_offsets():
    text = "First para here.\n\n  Second one.\nStill second.\n\n\nThird."
    doc = Document(text)
    assert [text[s.start : s.end] for s in doc.paragraphs] == ["First para here.", "Second one.\nStill second.", "Third."]


def test_one_paragraph_per_line_when_no_blank_lines():
    text = "Headline\nFirst paragraph.\nSecond paragraph."
    assert len(Document(text).paragraphs) == 3


def test_abbreviations_do_not_end_sentences():
    text = "Mr. Smith met Gov. Jones in the U.S. capital. Dr. Who said no. The U.S. Army left."
    doc = Document(text)
    sentences = [text[s.start : s.end] for s in doc.sentences]
    assert sentences == ["Mr. Smith met Gov. Jones in the U.S. capital.", "Dr. Who said no.", "The U.S. Army left."]


def test_abbreviation_at_sentence_end_before_an_opener():
    text = "He moved to the U.S. The move was hard."
    assert len(Document(text).sentences) == 2


def test_full_stop_before_lower_case_does_not_split():
    text = "They were imprisoned in China. people, and exchanges."
    assert len(Document(text).sentences) == 1


def test_quotes_close_sentences():
    text = "“We will go,” he said. “Now.” She left."
    sentences = [text[s.start : s.end] for s in Document(text).sentences]
    assert sentences == ["“We will go,” he said.", "“Now.”", "She left."]


def test_tokens_keep_initialisms_and_numbers():
    text = "The U.S. paid $1,000.50 to Lin’s group."
    tokens = [t.text for t in Document(text).tokens]
    assert tokens == ["The", "U.S.", "paid", "$", "1,000.50", "to", "Lin’s", "group", "."]
    doc = Document(text)
    assert all(text[t.start : t.end] == t.text for t in doc.tokens)


def test_paragraph_of_and_tokens_in():
    text = "One two.\n\nThree four five."
    doc = Document(text)
    assert doc.paragraph_of(text.index("four")) == 1
    assert [t.text for t in doc.tokens_in(doc.paragraphs[1])] == ["Three", "four", "five", "."]
    assert doc.paragraph_word_counts == [2, 3]


def test_empty_text():
    doc = Document("")
    assert doc.paragraphs == [] and doc.sentences == [] and doc.tokens == []


def test_read_plain_splits_the_plain_reading_and_keeps_the_original():
    text = "\u201cWe won\u201d \u2014 he said.\n\nThe team\u2019s coach\u2014Ms. Lee\u2014agreed."
    doc = Document.read_plain(text)
    assert doc.text == plain_typography(text) and doc.shown_text == text
    assert doc.tokens == Document(plain_typography(text)).tokens
    assert doc.paragraphs == Document(text).paragraphs  # one character for one: the same offsets
    untouched = "Nothing curly here.\n\nAt all."
    assert Document.read_plain(untouched).original is None and Document.read_plain(untouched).shown_text is untouched


def test_word_views_match_the_tokens():
    doc = Document("U.S. troops, 1,000 of them, left at 10:30.\n\nThe O\u2019Neill-led team x\u00b2 arrived.")
    assert doc.token_texts == [t.text for t in doc.tokens]
    assert doc.words == [t for t in doc.tokens if t.text[0].isalpha()]
    assert doc.word_texts == [t.text for t in doc.words] and doc.word_starts == [t.start for t in doc.words]
    assert doc.paragraph_word_counts == [sum(1 for w in doc.words if doc.paragraph_of(w.start) == p) for p in range(2)]
    assert doc.words_between(0, doc.paragraphs[0].end) == doc.paragraph_word_counts[0]

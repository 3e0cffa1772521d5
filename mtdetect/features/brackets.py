"""Brackets and quotation marks that a translation system misplaced.

Machine translation handles brackets and quotes as tokens to carry over, not as
typography: from languages written without spaces it glues brackets to the words
around them ("presidents[U.S. ...]agreed") or pads them inside ("( GDP )"), it may
turn round brackets square, and when it translates sentence by sentence it drops one
half of a quotation or leaves a stray mark behind ("in Bali.” ‘ said."). English
news uses square brackets only for editorial insertions inside quotations and closes
every quotation within its paragraph, unless the quotation carries on into the next
paragraph, which then opens with a quotation mark; none of that is flagged here.

The quotation features (unclosed_quote, stray_quote, square_brackets) share one scan
of the document's quotation marks.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Iterator, NamedTuple

from ..text import DOUBLE_QUOTE_CHARACTERS, Document, Span, char_positions
from . import Evidence, artifact

# A bracket glued to the word before it ("s[") or after it ("]a").
GLUED_OPEN_RE = re.compile(r"(?<=[^\W\d_]{2})[(\[]")
GLUED_CLOSE_RE = re.compile(r"[)\]](?=[^\W\d_])")
# The pair each glued bracket belongs to; contents stay on one line and short.
ROUND_OR_SQUARE_PAIR_RE = re.compile(r"\(([^()\[\]\n]{1,300})\)|\[([^()\[\]\n]{1,300})\]")
# Programs and markup glue brackets on purpose: f(x), items[0], a_b(c), [text](url).
CODE_HINT_RE = re.compile(r"[=;{}<>\\|`_#$@*/]|\w\.\w+\(|\+\+|->|::")
CODE_AFTER_RE = re.compile(r"[(\[]|[.:]\w")
# A call's argument list, "map(a, b)": single words separated by commas.
CALL_ARGUMENTS_RE = re.compile(r"\s*\w+(?:\s*,\s*\w+)*\s*")
# Word pieces in brackets: "(s)", "(es)", "(re)", "(un)" as in "name(s)" or "(re)start".
AFFIX_RE = re.compile(r"[a-z]{1,3}")

# Space just inside a bracket: "( GDP )". Empty or blank pairs ("[ ]" check boxes) are not prose.
INNER_SPACE_OPEN_RE = re.compile(r"[(\[][ \t]+(?=[^\s)\]])")
INNER_PADDING = (" ", "\t")
INNER_SPACE_CLOSE_RE = re.compile(r"(?<=[^\s(\[])[ \t]+[)\]]")

SQUARE_TAG_AFTER = frozenset(["", ".", "!", "?", "…", ":", "|", "-", "–", "—"])
SQUARE_PAIR_RE = re.compile(r"\[([^\[\]\n]{1,300})\]")
# Square brackets that hold no aside: [sic], obfuscated e-mail addresses, wiki marks. Citations
# [1], omissions […] and check boxes hold no word, and links [text](url) are followed by "(".
SQUARE_NOT_PROSE_RE = re.compile(r"\s*(?:sic\.?|e-?mail.*|citation needed|edit)\s*", re.IGNORECASE)

# Quotation marks. Straight marks get their direction from the characters beside them.
SINGLE_OPEN_RE = re.compile(r"‘")
CURLY_DOUBLE_RE = re.compile(r"[“”]")
STRAIGHT_DOUBLE_RE = re.compile(r"\"")
SPACED_CLOSE_AFTER = frozenset(".!?…,")
NEVER_CLOSED = "opens a quotation that is never closed"
SENTENCE_END_MARKS = frozenset(".!?…")
OPENS_AFTER = frozenset("([{—–-/")  # a straight quote after these (or a space) opens
CLOSES_BEFORE = frozenset(".,;:!?)]}—–-/…")  # a straight quote before these (or a space) closes


@artifact(
    "bracket_spacing",
    1,
    "A bracket glued to the word outside it ('presidents[U.S.', 'Jinping]agreed'): translation from "
    "languages written without spaces drops the space English puts outside brackets.",
)
def bracket_spacing(doc: Document) -> Iterator[Evidence]:
    text = doc.text
    for match in ROUND_OR_SQUARE_PAIR_RE.finditer(text):
        inside = match.group(1) if match.group(1) is not None else match.group(2)
        start, end = match.start(), match.end()
        if _looks_like_code(text, start, end, inside):
            continue
        glued_before = GLUED_OPEN_RE.match(text, start) is not None
        glued_after = GLUED_CLOSE_RE.match(text, end - 1) is not None
        if AFFIX_RE.fullmatch(inside):
            continue  # "name(s)", "(re)start": a word piece, not an aside
        if glued_before and (glued_after or (" " in inside.strip() and not CALL_ARGUMENTS_RE.fullmatch(inside))):
            # A single glued word in brackets ("coach(HC)") is a common house style; an
            # aside of several words glued on is not.
            yield Evidence(
                "bracket_spacing",
                start - 1,
                start + 1,
                f"no space between {text[start - 1]!r} and the bracket it opens: English puts a space "
                "before a bracketed aside; translation from unspaced scripts loses it",
            )
        if glued_after:
            yield Evidence(
                "bracket_spacing",
                end - 1,
                end + 1,
                f"no space between the closing bracket and {text[end]!r}: English puts a space "
                "after a bracketed aside; translation from unspaced scripts loses it",
            )


def _looks_like_code(text: str, start: int, end: int, inside: str) -> bool:
    if CODE_HINT_RE.search(inside):
        return True
    word_start = start
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    before = text[word_start:start]
    if CODE_HINT_RE.search(before) or ("." in before and not before.endswith(".")):
        return True  # obj.method(...), a_b(...)
    return CODE_AFTER_RE.match(text, end) is not None  # [text](url), f(x)(y), a[1].b


@artifact(
    "bracket_inner_space",
    1,
    "A space just inside a bracket ('( GDP )'): translation systems pad brackets as separate tokens; "
    "English sets them tight against their contents.",
)
def bracket_inner_space(doc: Document) -> Iterator[Evidence]:
    text = doc.text
    if not _padded_bracket(text):
        return  # a look beside each bracket is far cheaper than the regexes below
    for match in INNER_SPACE_OPEN_RE.finditer(text):
        if _has_partner(text, match.start(), forward=True):
            yield Evidence(
                "bracket_inner_space",
                match.start(),
                match.end(),
                "space after an opening bracket: English sets brackets tight against their contents, "
                "translation systems pad them as separate tokens",
            )
    for match in INNER_SPACE_CLOSE_RE.finditer(text):
        if _has_partner(text, match.end() - 1, forward=False):
            yield Evidence(
                "bracket_inner_space",
                match.start(),
                match.end(),
                "space before a closing bracket: English sets brackets tight against their contents, "
                "translation systems pad them as separate tokens",
            )


def _padded_bracket(text: str) -> bool:
    """Whether a space or tab stands just inside any bracket ("( ", " ]"): a few brackets are found in C."""
    if any(text[position + 1 : position + 2] in INNER_PADDING for position in char_positions(text, "([")):
        return True
    return any(position and text[position - 1] in INNER_PADDING for position in char_positions(text, ")]"))


def _has_partner(text: str, position: int, forward: bool) -> bool:
    """Whether the bracket at `position` is paired on the same line (a lone '(' is a list marker or a smiley)."""
    mark = text[position]
    partner = {"(": ")", "[": "]", ")": "(", "]": "["}[mark]
    if forward:
        line_end = text.find("\n", position)
        found = text.find(partner, position + 1, len(text) if line_end < 0 else line_end)
    else:
        line_start = text.rfind("\n", 0, position) + 1
        found = text.rfind(partner, line_start, position)
    return found >= 0


class QuoteScan(NamedTuple):
    """Where a document's double quotations are, and the marks that do not pair up."""

    quoted: list[Span]  # from an opening mark to its closing one (or to the end of the text)
    stray: list[tuple[int, str]]  # (offset of the mark, why it does not pair)


# Three features read the same scan; keep the last document's (one entry, so nothing piles up).
_last_scan: tuple[Document | None, QuoteScan | None] = (None, None)


def scan_quotes(doc: Document) -> QuoteScan:
    """The document's quotation scan, computed once for the features that share it."""
    global _last_scan
    cached_doc, cached_scan = _last_scan
    if cached_doc is doc and cached_scan is not None:
        return cached_scan
    scan = _scan_quotes(doc)
    _last_scan = (doc, scan)
    return scan


def _scan_quotes(doc: Document) -> QuoteScan:
    """Pair the document's double quotation marks left to right.

    A quotation may nest inside another in its paragraph, and may run on into the next
    paragraph when that one opens with a quotation mark (the news convention). A quotation
    still open when a later paragraph opens a new one was never closed; a closing mark with
    nothing open closes nothing. A quotation that simply runs on and closes paragraphs later
    is left alone: text whose paragraph breaks were lost or invented (our training data joins
    sentences three to a paragraph) does that without any translation error.
    """
    text = doc.text
    quoted: list[Span] = []
    stray: list[tuple[int, str]] = []
    marks = char_positions(text, DOUBLE_QUOTE_CHARACTERS)
    if not marks:
        return QuoteScan(quoted, stray)  # no quotation mark: nothing to pair (many documents)
    any_german = "„" in text
    stack: list[int] = []  # offsets of the open marks
    stack_paragraph = -1  # paragraph where the innermost open quotation began
    for index, paragraph in enumerate(doc.paragraphs):
        # Looked up in place: slicing copied every paragraph.
        german = any_german and text.find("„", paragraph.start, paragraph.end) >= 0
        for position in marks[bisect_left(marks, paragraph.start) : bisect_left(marks, paragraph.end)]:
            direction = _direction(text, paragraph, position, bool(stack), german)
            if direction == "stray":
                stray.append((position, "stands alone between spaces"))
                continue
            if direction == "ignore":
                continue
            if direction == "open" and stack:
                # A new sentence that opens a quotation while one is open carries it on (a quoted
                # passage of several paragraphs reopens each one); elsewhere in the paragraph it
                # nests; a later paragraph opening a new one means the old one never closed.
                continues = _at_sentence_start(text, paragraph, position) and stack_paragraph >= index - 1
                if continues or stack_paragraph < index:
                    if not continues:
                        stray.append((stack[0], NEVER_CLOSED))
                    quoted.append(Span(stack[0], position))
                    stack.clear()
            if direction == "open":
                stack.append(position)
                stack_paragraph = index
            elif stack:
                quoted.append(Span(stack.pop(), position + 1))
            # A closing mark with nothing open is not judged: human translations and scraped
            # originals lose opening marks as often as machine output does (measured on WMT).
    if stack:
        stray.append((stack[0], NEVER_CLOSED))
        quoted.append(Span(stack[0], len(text)))
    stray.sort()
    return QuoteScan(quoted, stray)


def _at_sentence_start(text: str, paragraph: Span, position: int) -> bool:
    before = text[paragraph.start : position].rstrip()
    return not before or before[-1] in SENTENCE_END_MARKS


def _direction(text: str, paragraph: Span, position: int, inside: bool, german: bool) -> str:
    """'open', 'close', 'stray' or 'ignore' for the double quotation mark at `position`."""
    mark = text[position]
    before = text[position - 1] if position > paragraph.start else " "
    after = text[position + 1] if position + 1 < paragraph.end else " "
    if before.isspace() and after.isspace():
        # A curly mark between spaces quotes nothing; straight ones are spaced by some house
        # styles, and guillemets also serve as separators ("Home » News").
        if mark in "«»":
            return "ignore"
        if mark in "“”„":
            # "said. ” Then" is a typist's spaced closing mark (common in human translations);
            # a mark between words or after another mark quotes nothing.
            previous = text[paragraph.start : position].rstrip()[-1:]
            return "close" if inside and previous in SPACED_CLOSE_AFTER else "stray"
        return "close" if inside else "open"
    opens_by_context = (before.isspace() or before in OPENS_AFTER) and not after.isspace()
    closes_by_context = not before.isspace() and (after.isspace() or after in CLOSES_BEFORE)
    if mark == "“":
        if german and inside:
            return "close"
        return "close" if closes_by_context and inside else "open"  # "a “heated topic“ for" closes
    if mark == "”":
        return "open" if opens_by_context and not inside else "close"  # ”Quoted” style opens
    if mark in "„«":
        return "open"
    if mark == "»":
        return "close"
    if opens_by_context:
        return "open"
    if not inside and before == "s" and after == " " and text[position + 2 : position + 3].islower():
        return "ignore"  # an apostrophe turned straight double quote: "the workers" union"
    if closes_by_context:
        return "close"
    return "close" if inside else "open"


@artifact(
    "unclosed_quote",
    1,
    "A quotation opened and never closed: not in its paragraph, not carried on by the next paragraph "
    "opening with a quotation mark, not anywhere later. Sentence-by-sentence translation drops the "
    "closing half of a quotation that spans sentences.",
)
def unclosed_quote(doc: Document) -> Iterator[Evidence]:
    text = doc.text
    for position, why in scan_quotes(doc).stray:
        if why == NEVER_CLOSED:
            yield Evidence(
                "unclosed_quote",
                position,
                position + 1,
                f"quotation mark {text[position]!r} {why}: a translation system dropped its closing half",
            )


@artifact(
    "stray_quote",
    1,
    "A curly quotation mark standing alone between spaces, not as a spaced closing mark after a "
    "sentence ('Bali.” ‘ said', 'the “ historic'): translation leaves marks behind when it moves or "
    "drops the words they enclosed.",
)
def stray_quote(doc: Document) -> Iterator[Evidence]:
    text = doc.text
    for position, why in scan_quotes(doc).stray:
        if why != NEVER_CLOSED:
            yield Evidence(
                "stray_quote",
                position,
                position + 1,
                f"quotation mark {text[position]!r} {why}: translation left it behind when it moved or "
                "dropped what it enclosed",
            )
    if "‘" in text:  # most texts have none (and none at all once typography is plain)
        for paragraph in doc.paragraphs:
            yield from _stray_single_quotes(text, paragraph)


def _stray_single_quotes(text: str, paragraph: Span) -> Iterator[Evidence]:
    # "’" doubles as the apostrophe, so only an opening "‘" with nothing after it is judged.
    for match in SINGLE_OPEN_RE.finditer(text, paragraph.start, paragraph.end):
        position = match.start()
        after = position + 1
        if after >= paragraph.end or text[after].isspace():
            yield Evidence(
                "stray_quote",
                position,
                after,
                "opening quotation mark '‘' followed by nothing it could quote: a stray mark left by translation",
            )


@artifact(
    "square_brackets",
    1,
    "Square brackets around prose outside any quotation: English news uses them only for editorial "
    "insertions inside quotes, while translation from Chinese or Japanese turns their brackets square.",
)
def square_brackets(doc: Document) -> Iterator[Evidence]:
    text = doc.text
    if "[" not in text:
        return
    double_quoted = scan_quotes(doc).quoted
    for paragraph in doc.paragraphs:
        if "[" not in text[paragraph.start : paragraph.end]:
            continue
        quoted = double_quoted + _single_quoted(text, paragraph)
        for match in SQUARE_PAIR_RE.finditer(text, paragraph.start, paragraph.end):
            start, end = match.start(), match.end()
            inside = match.group(1)
            if SQUARE_NOT_PROSE_RE.fullmatch(inside) or not _has_word(inside):
                continue  # a citation, an omission
            if text[paragraph.start : start].rstrip()[-1:] in SQUARE_TAG_AFTER:
                continue  # a "[Photo]" or "[Video]" tag opening a paragraph or sentence, a "| [Site]" label
            if end < paragraph.end and text[end] in "(:":
                continue  # a markdown link or a "[label]:" reference
            if CODE_HINT_RE.search(inside) or any(span.start < start < span.end for span in quoted):
                continue
            if start > 0 and text[start - 1].isalnum() and " " not in inside:
                continue  # an index or a key: "values[index]", "row[2]"
            yield Evidence(
                "square_brackets",
                start,
                end,
                "square brackets around an aside outside any quotation: English uses round brackets here "
                "and keeps square ones for insertions into quotes; translation turned them square",
            )


SINGLE_QUOTED_RE = re.compile(r"‘[^‘\n]*?’(?![^\W\d_])")
WORD_RE = re.compile(r"[^\W\d_]{2,}")


def _single_quoted(text: str, paragraph: Span) -> list[Span]:
    return [Span(m.start(), m.end()) for m in SINGLE_QUOTED_RE.finditer(text, paragraph.start, paragraph.end)]


def _has_word(inside: str) -> bool:
    return WORD_RE.search(inside) is not None


@artifact(
    "mixed_quote_styles",
    1,
    "Straight (\") and curly (“ ”) double quotes in one document: an edited article keeps one style; "
    "machine output mixes what the system produced with what it copied.",
)
def mixed_quote_styles(doc: Document) -> Iterator[Evidence]:
    text = doc.text
    curly = text.count("“") + text.count("”")
    straight = text.count('"')
    if not curly or not straight:
        return
    minority_re, minority, majority = (
        (STRAIGHT_DOUBLE_RE, "straight", "curly") if straight <= curly else (CURLY_DOUBLE_RE, "curly", "straight")
    )
    # One piece of evidence per paragraph where the rarer style appears.
    for paragraph in doc.paragraphs:
        match = minority_re.search(text, paragraph.start, paragraph.end)
        if match:
            yield Evidence(
                "mixed_quote_styles",
                match.start(),
                match.end(),
                f"{minority} double quote in a document that otherwise uses {majority} ones: "
                "an edited article keeps one style",
            )

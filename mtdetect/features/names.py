"""Name drift: one person or place spelled two ways in the same document.

A machine that translates each sentence on its own transliterates a name afresh every
time, so a round trip turns "Lin" into "Lynn" in one sentence and keeps "Lin" in the
next, or "Guesthouse" into "Guest House". A human writer picks one spelling and keeps it.

Everything is found inside the document itself, never from a list of names: capitalised
words are collected once, each is reduced to a *sound skeleton* that forgets the
spelling choices a transliteration makes (l/r, y/i, ee/i, doubled letters, c/k, ...),
and two different spellings with the same skeleton are a candidate pair. The words
around each mention (its "slot": the given name before a surname, the surname after a
given name) then tell one person spelled twice from two people with similar names.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import eq, itemgetter, not_
from typing import Callable, Iterable, NamedTuple

from ..text import Document, Span
from . import Evidence, artifact

# Courtesy titles and office words stand before names but are not given names, so they
# say nothing about which person a surname belongs to.
TITLE_WORDS = frozenset(
    """mr mrs ms miss mx dr prof professor sir dame lord lady madam madame monsieur herr frau
    president vice prime minister secretary state foreign deputy chancellor premier governor
    senator representative congressman congresswoman ambassador envoy director chief general
    colonel major captain lieutenant sergeant admiral commander officer commissioner chairman
    chairwoman chair speaker mayor judge justice attorney king queen prince princess emperor
    empress pope bishop archbishop cardinal father reverend saint st coach manager spokesman
    spokeswoman spokesperson head leader senior assistant acting former late
    mister doctor agent inspector detective superintendent marshal patriarch rabbi imam sheikh""".split()
)
# Capitalised words that are not names, though they sound alike ("July" / "Julie").
NOT_NAMES = frozenset(
    """January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday""".split()
)
# Capitalised only because they open a sentence: "When Lin said" gives Lin no given name.
FUNCTION_WORDS = frozenset(
    """The A An This That These Those There Here It Its He She His Her They Their Them We Our
    You Your I My Me Us Who What When Where Why How Which While After Before Since Until As At
    By For From In Into On Of Off Over Under With Without About Against Between Through During
    And But Or Nor So Yet If Then Than Though Although Because Unless Whether Also Still Now
    Only Even Just Not No Yes All Both Each Every Some Many Most Much More Such Other Another
    According Meanwhile However Instead Today Yesterday Tomorrow Later Earlier Last Next""".split()
)
# Letters that Unicode does not split into a base letter and an accent.
_LETTERS_WITHOUT_ACCENT = str.maketrans({"ð": "d", "þ": "th", "æ": "ae", "ø": "o", "ł": "l", "ß": "ss", "đ": "d", "ı": "i"})
_APOSTROPHES_RE = re.compile(r"[’‘`´]")
_PIECES_RE = re.compile(r"[ \-]")
# A sentence this title-cased is a heading, where every word is capitalised anyway.
HEADING_CAPITALISED_SHARE = 0.6

# Ordered rewrites that map the spelling choices of a transliteration onto one skeleton. A
# rule is a regex, or a plain string that str.replace rewrites the same way (and several
# times faster: every new name in a document runs all the rules).
_SKELETON_RULES: list[tuple[re.Pattern | str, str]] = [
    (re.compile(r"[^a-z]"), ""),  # hyphens, apostrophes, spaces
    ("kh", "h"),  # "Khabib" / "Habib", "Mikhail" / "Mihail"
    ("ph", "f"),
    (re.compile(r"(?<=[bdgpt])h"), ""),  # th/t, gh/g, dh/d (not ch): "Anthony" / "Antony"
    (re.compile(r"ck|q|c"), "k"),
    ("x", "ks"),
    ("w", "v"),
    ("z", "s"),
    (re.compile(r"ee|ie$|y"), "i"),  # "Lee" / "Li", "Haynes" / "Haines", "Sergey" / "Sergei"
    ("ei", "ai"),  # "Weintrub" / "Vaintrub"
    ("ou", "o"),
    (re.compile(r"ao$"), "au"),  # "Macao" / "Macau"
    (re.compile(r"(?<=[aeiou])h(?![aeiou])"), ""),  # "Ohtani" / "Otani"
    ("r", "l"),  # "Brinken" / "Blinken": l and r are one sound in Japanese
    (re.compile(r"(.)(?=\1)"), ""),  # "Lynn" / "Lin", "Hannover" / "Hanover": a run keeps its last letter
    (re.compile(r"f$"), "v"),  # "Tinkoff" / "Tinkov"
]


@lru_cache(maxsize=1 << 16)
def skeleton(form: str) -> str:
    """The sound of a name with spelling choices forgotten: 'Lynn' and 'Lin' -> 'lin'."""
    text = plain(form)
    for rule, replacement in _SKELETON_RULES:
        text = text.replace(rule, replacement) if type(rule) is str else rule.sub(replacement, text)
    return text


class Mention(NamedTuple):
    """A capitalised word, with the capitalised words next to it in the same name."""

    form: str
    start: int
    end: int
    left: str | None  # the capitalised word just before, inside the same name run
    right: str | None
    sentence_initial: bool


def _character_class(predicate: Callable[[str], bool]) -> str:
    """A regex character class of the Basic Multilingual Plane characters that satisfy predicate."""
    ranges: list[str] = []
    run_start = None
    for code in range(0x10001):
        inside = code < 0x10000 and predicate(chr(code))
        if inside and run_start is None:
            run_start = code
        elif not inside and run_start is not None:
            first, last = re.escape(chr(run_start)), re.escape(chr(code - 1))
            ranges.append(first if run_start == code - 1 else f"{first}-{last}")
            run_start = None
    return "[" + "".join(ranges) + "]"


_LETTER = r"[^\W\d_]"
# A capitalised word token as text.TOKEN_RE cuts it: "Lin", "O’Neill", "Akasaka-tei", "Lin’s".
# The capital comes first and the look-behinds (shifted by one character) after it, so the
# regex engine scans for capitals instead of trying the look-behinds at every position.
CAPITALISED_WORD_RE = re.compile(
    rf"{_character_class(str.isupper)}(?<!{_LETTER}.)(?<!{_LETTER}['’\-].){_LETTER}*(?:['’\-]{_LETTER}+)*",
    re.DOTALL,
)
# Between two words of one name: spaces only, never a line break or punctuation.
NAME_GAP_RE = re.compile(r"[ \t\u00a0]+")
SENTENCE_END_PUNCTUATION = frozenset(".!?…\"”’»)")
# What may stand before the first word of a sentence.
SENTENCE_OPENING_RE = re.compile(r"[\s\"“‘'(«\[—–-]*")


# The same words as a split, [gap, word, gap, word, ..., gap]: offsets come from the part
# lengths in C, where finditer makes a match object per word.
CAPITALISED_SPLIT_RE = re.compile(f"({CAPITALISED_WORD_RE.pattern})", re.DOTALL)


def mentions(doc: Document) -> list[Mention]:
    """Every capitalised word outside headings, collected once per document.

    A regex finds the capitalised words (a small share of the tokens); neighbours that
    only spaces separate form one name ("Diaoyutai State Guesthouse").
    """
    cached = doc.__dict__.get("_names_mentions")
    if cached is not None:
        return cached
    text = doc.text
    parts = _capitalised_split(doc)
    doc.__dict__.pop("_names_split", None)  # read once, here
    words = parts[1::2]
    found: list[Mention] = []
    if words:
        offsets = list(accumulate(map(len, parts), initial=0))
        starts = offsets[1 : 2 * len(words) : 2]
        # Every word lies inside one sentence (only white space is outside them), so each
        # sentence's words are one slice of the sorted starts.
        low = 0
        for span in doc.sentences:
            if low == len(starts):
                break
            high = bisect_left(starts, span.end, low)
            if high > low:
                _sentence_mentions(text, span, words[low:high], starts[low:high], found)
                low = high
    doc.__dict__["_names_mentions"] = found
    return found


def _capitalised_split(doc: Document) -> list[str]:
    """CAPITALISED_SPLIT_RE.split of the text, made once for may_drift and mentions."""
    parts = doc.__dict__.get("_names_split")
    if parts is None:
        parts = doc.__dict__["_names_split"] = CAPITALISED_SPLIT_RE.split(doc.text)
    return parts


def may_drift(doc: Document) -> bool:
    """False when no name can drift in the document, from its capitalised words alone.

    Every mention's form is a capitalised word, or one without its apostrophe-s. A drift
    needs two forms with one skeleton, or two neighbouring words that together are, in
    lower case, another form; when no capitalised words (with or without apostrophe-s)
    do, neither can the forms kept as names (seven in eight WMT news documents), and the
    mentions, the vocabulary and the tables need not be made.
    """
    parts = _capitalised_split(doc)
    words = parts[1::2]
    if len(words) < 2:
        return False
    # Each word's possible forms, as _sentence_mentions makes them.
    bare = [word[:-2] if len(word) > 2 and word[-1] in "sS" and word[-2] in "'’" else word for word in words]
    forms = set(words).union(bare)
    keys = [key for key in map(skeleton, forms) if len(key) >= 2]
    if len(set(keys)) < len(keys):
        return True  # two spellings (the forms are distinct) with one skeleton
    lowered = {form.lower() for form in forms}
    # split_table's pairs: neighbours one space apart (parts[2 * i + 2] is the gap after word i);
    # its test: the pair's lower case without the space is another form's.
    spaced = map(eq, parts[2::2], repeat(" "))
    for here, after, after_bare in compress(zip(words, words[1:], bare[1:]), spaced):
        if f"{here} {after}".lower().replace(" ", "") in lowered:
            return True
        if after_bare is not after and f"{here} {after_bare}".lower().replace(" ", "") in lowered:
            return True
    return False


def _sentence_mentions(text: str, span: Span, words: list[str], starts: list[int], found: list[Mention]) -> None:
    """The name mentions among one sentence's capitalised words (their texts and start offsets)."""
    if (
        len(words) >= 3
        and text[span.end - 1] not in SENTENCE_END_PUNCTUATION
        and len(words) > HEADING_CAPITALISED_SHARE * (text.count(" ", span.start, span.end) + 1)
    ):
        return  # a title-cased heading ("Americans Held Abroad Speak Out") capitalises every word
    run: list[tuple[str, int, int, bool]] = []
    run_end = -1
    # A word opens the sentence when only opening punctuation and spaces stand before it.
    opening_end = SENTENCE_OPENING_RE.match(text, span.start, span.end).end()
    for word, start in zip(words, starts):
        # One space is the usual gap between two words of a name; the regex decides the rest.
        if run and not (start == run_end + 1 and text[run_end] == " ") and not NAME_GAP_RE.fullmatch(text, run_end, start):
            _close_run(run, found)
        if word.isupper() or len(word) < 2:
            _close_run(run, found)  # acronyms ("US") and initials are not spellings to compare
            continue
        initial = start <= opening_end
        # An apostrophe-s possessive ends a name mention: "Lin's family" mentions "Lin".
        # Checked by hand rather than with a regex, since this runs for every capitalised word.
        possessive = word[-1] in "sS" and word[-2] in "'’"
        form = word[:-2] if possessive else word
        if len(form) > 1:
            run.append((form, start, start + len(form), initial))
            run_end = start + len(form)
        if possessive:
            _close_run(run, found)
    _close_run(run, found)


def _close_run(run: list[tuple[str, int, int, bool]], found: list[Mention]) -> None:
    if not run:
        return
    if len(run) == 1:  # most names are one word
        form, start, end, initial = run[0]
        found.append(tuple.__new__(Mention, (form, start, end, None, None, initial)))
    else:
        forms = [item[0] for item in run]
        # tuple.__new__ skips NamedTuple's argument handling, as text.Document does for tokens.
        found.extend(
            tuple.__new__(Mention, (form, start, end, left, right, initial))
            for (form, start, end, initial), left, right in zip(run, [None, *forms], [*forms[1:], None])
        )
    run.clear()


class LowerCaseWords:
    """Whether a word also occurs in lower case in the document ("state" beside "State").

    The first few words are looked up with str.find (most documents ask about a handful
    of forms); after that one pass over the text builds the set of every stand-alone
    word, so a document of tens of thousands of names costs a pass, not a pass per name.
    Both ways give the same answer (tests/test_names_index.py).
    """

    FIND_LOOKUPS = 32  # beyond this many str.find passes, one indexing pass is cheaper

    def __init__(self, text: str) -> None:
        self.text = text
        self.known: dict[str, bool] = {}
        self.finds = 0
        self.index: set[str] | None = None

    def __contains__(self, word: str) -> bool:
        found = self.known.get(word)
        if found is None:
            found = self.known[word] = self._occurs(word)
        return found

    def _occurs(self, word: str) -> bool:
        if self.index is None and self.finds >= self.FIND_LOOKUPS and _indexable(word):
            self.index = standalone_words(self.text)
        if self.index is not None and _indexable(word):
            return word in self.index
        self.finds += 1
        return occurs_standalone(self.text, word)


def occurs_standalone(text: str, word: str) -> bool:
    """Whether `word` occurs in `text` with no letter (nor a joining hyphen or apostrophe) glued to it."""
    size = len(word)
    position = text.find(word)
    while position >= 0:
        before = text[position - 1] if position else " "
        after = text[position + size] if position + size < len(text) else " "
        if not before.isalpha() and not after.isalpha() and before not in "-'’" and after != "-":
            return True
        position = text.find(word, position + 1)
    return False


_JOINERS = "-'’"
_WITHOUT_JOINERS = str.maketrans("", "", _JOINERS)
# Runs of letters and joiners; [^\W\d_] also takes numerals such as "²", which are not
# letters to str.isalpha, so runs holding them are cut again by hand (rare).
_LETTER_RUN_RE = re.compile(r"(?:[^\W\d_]|['’\-])+")


def _indexable(word: str) -> bool:
    """Words made of letters and joiners only: the ones standalone_words can answer for."""
    return word.translate(_WITHOUT_JOINERS).isalpha()


def standalone_words(text: str) -> set[str]:
    """Every word of letters and joiners that occurs_standalone would find in `text`.

    Such an occurrence starts where a run of letters and joiners starts (the character
    before it may be neither) and ends where the run ends or at an apostrophe inside it
    (the character after it may be an apostrophe, but not a letter or a hyphen).
    """
    words: set[str] = set()
    for run in set(_LETTER_RUN_RE.findall(text)):  # each distinct run once
        if run.isalpha():
            words.add(run)  # no joiner in it: the run is the only word
        elif run.translate(_WITHOUT_JOINERS).isalpha():
            _add_run(run, words)
        else:
            for piece in _letter_pieces(run):
                _add_run(piece, words)
    return words


def _add_run(run: str, words: set[str]) -> None:
    words.add(run)
    for apostrophe in "'’":
        position = run.find(apostrophe)
        while position >= 0:
            words.add(run[:position])
            position = run.find(apostrophe, position + 1)


def _letter_pieces(run: str) -> list[str]:
    """A run cut at its characters that are neither letters nor joiners."""
    pieces, current = [], []
    for character in run:
        if character.isalpha() or character in _JOINERS:
            current.append(character)
        elif current:
            pieces.append("".join(current))
            current = []
    if current:
        pieces.append("".join(current))
    return pieces


@dataclass
class FormStats:
    """What the document says about one spelling (one word, or two that may be one)."""

    form: str
    mentions: list[Mention]
    lefts: set[str]  # given names or other words before it that tell whose name it is
    rights: set[str]

    @property
    def first(self) -> int:
        return self.mentions[0].start


@dataclass
class Vocabulary:
    """The document's names (capitalised mid-sentence, never in lower case) and its common words."""

    names: set[str]
    common: LowerCaseWords
    # Answers of is_companion, which is asked about the same neighbours again and again.
    companions: dict[str | None, bool] = field(default_factory=lambda: {None: False}, repr=False)

    def is_companion(self, word: str | None) -> bool:
        """A word next to a name that tells whose name it is: a given name, not a title or "When"."""
        known = self.companions.get(word)
        if known is None:
            known = self.companions[word] = self._is_companion(word)
        return known

    def _is_companion(self, word: str) -> bool:
        if word.lower() in TITLE_WORDS:
            return False
        if word in self.names:
            return True
        return word not in FUNCTION_WORDS and word.lower() not in self.common


def form_table(doc: Document) -> tuple[dict[str, FormStats], Vocabulary]:
    """Spellings that occur capitalised somewhere other than the start of a sentence.

    A word seen only at sentence starts ("When", "The") or also in lower case ("state")
    is an ordinary word, neither a candidate nor a given name next to one.
    """
    common = LowerCaseWords(doc.text)
    items = mentions(doc)
    # The forms of the mentions that do not open a sentence (Mention fields 0 and 5), found in C.
    mid_sentence = set(compress(map(itemgetter(0), items), map(not_, map(itemgetter(5), items))))
    names = {form for form in mid_sentence if form not in NOT_NAMES and form.lower() not in common}
    vocabulary = Vocabulary(names, common)
    # Only the kept spellings get a FormStats (about half of them), in order of first mention.
    kept: dict[str, FormStats] = {}
    for mention in items:
        form = mention.form
        if form in names:
            stats = kept.get(form)
            if stats is None:
                stats = kept[form] = FormStats(form, [], set(), set())
            stats.mentions.append(mention)
    for stats in kept.values():  # only the kept spellings need their companions
        for mention in stats.mentions:
            if vocabulary.is_companion(mention.left):
                stats.lefts.add(mention.left)
            if vocabulary.is_companion(mention.right):
                stats.rights.add(mention.right)
    return kept, vocabulary


def split_table(doc: Document, vocabulary: Vocabulary) -> dict[str, FormStats]:
    """Two capitalised words side by side ("Guest House"), as one candidate spelling."""
    found: dict[str, FormStats] = {}
    text = doc.text
    items = mentions(doc)
    for here, after in zip(items, items[1:]):
        if here.right != after.form or after.start - here.end != 1 or text[here.end] != " ":
            continue
        if here.form in FUNCTION_WORDS or here.form.lower() in TITLE_WORDS:
            continue
        form = f"{here.form} {after.form}"
        stats = found.get(form)
        if stats is None:
            stats = found[form] = FormStats(form, [], set(), set())
        stats.mentions.append(Mention(form, here.start, after.end, here.left, after.right, here.sentence_initial))
        if vocabulary.is_companion(here.left):
            stats.lefts.add(here.left)
        if vocabulary.is_companion(after.right):
            stats.rights.add(after.right)
    return found


@dataclass(frozen=True, slots=True)
class Drift:
    kept: FormStats  # the spelling seen first
    drifted: FormStats  # the later spelling, where evidence points
    difference: str  # "respelling", "accent", "split"
    slot: str  # "same": both fill one slot (David Lin / David Lynn); "bare": nothing tells


def drifts(doc: Document) -> list[Drift]:
    """Every name spelled two ways in the document, computed once per document."""
    cached = doc.__dict__.get("_names_drifts")
    if cached is not None:
        return cached
    if not may_drift(doc):
        doc.__dict__.pop("_names_split", None)  # no mentions() to read it: not kept with the document
        doc.__dict__["_names_drifts"] = []
        return []
    table, vocabulary = form_table(doc)
    groups: dict[str, list[FormStats]] = {}
    for form, stats in table.items():
        key = skeleton(form)
        if len(key) >= 2:
            groups.setdefault(key, []).append(stats)
    found: list[Drift] = []
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda s: s.first)
        kept = group[0]
        for later in group[1:]:
            difference = _difference(kept.form, later.form)
            slot = _slot_relation(kept, later)
            if difference is not None and slot is not None:
                found.append(Drift(kept, later, difference, slot))
    for form, split in split_table(doc, vocabulary).items():
        for whole in groups.get(skeleton(form), ()):
            if whole.form.lower() != form.lower().replace(" ", ""):
                continue  # a split keeps the letters: "Guest House" for "Guesthouse"
            kept, drifted = (whole, split) if whole.first < split.first else (split, whole)
            slot = _slot_relation(kept, drifted)
            if slot is not None and drifted.form not in {d.drifted.form for d in found}:
                found.append(Drift(kept, drifted, "split", slot))
    doc.__dict__["_names_drifts"] = found
    return found


def plain(form: str) -> str:
    """Lower case without accents: 'Reykjavík' -> 'reykjavik'."""
    if form.isascii():
        return form.lower()  # nothing to translate, decompose or drop
    text = unicodedata.normalize("NFKD", form.lower().translate(_LETTERS_WITHOUT_ACCENT))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _difference(a: str, b: str) -> str | None:
    """How two spellings differ; None when only case or apostrophes do, which is typography."""
    if a.lower() == b.lower() or _APOSTROPHES_RE.sub("'", a) == _APOSTROPHES_RE.sub("'", b):
        return None
    if plain(a) == plain(b):
        return "accent"
    if a.replace("-", "").lower() == b.replace("-", "").lower():
        return "split"
    return "respelling"


def _slot_relation(a: FormStats, b: FormStats) -> str | None:
    """'same' when both spellings fill one slot, 'bare' when nothing tells, None for two people."""
    if a.lefts & b.lefts or a.rights & b.rights:
        return "same"
    if (a.lefts or a.rights) and (b.lefts or b.rights):
        # Each spelling keeps its own company and never shares it: two people, "Harrison
        # Lee" and "Wei Li", "Antony Blinken" and "Anthony Zurcher", "Li Qiang" and "Bo Lee".
        return None
    return "bare"


def _message(drift: Drift) -> str:
    kept, drifted = drift.kept.form, drift.drifted.form
    where = f"'{kept}' used at {drift.kept.first}"
    if drift.difference == "accent":
        seen = f"'{drifted}' writes {where} with other accents"
    elif drift.difference == "split":
        pieces = len(_PIECES_RE.findall(drifted)) > len(_PIECES_RE.findall(kept))
        seen = f"'{drifted}' {'splits' if pieces else 'joins'} {where}"
    else:
        seen = f"'{drifted}' respells {where}"
    if drift.slot == "same":
        shared = sorted(drift.kept.lefts & drift.drifted.lefts) or sorted(drift.kept.rights & drift.drifted.rights)
        seen += f" (both beside '{shared[0]}')"
    return seen + ": names drift when each sentence is translated on its own"


def _evidence(feature: str, drift: Drift) -> Iterable[Evidence]:
    """Every mention of the later spelling; one drifted name weighs 1 in all."""
    message = _message(drift)
    share = 1.0 / len(drift.drifted.mentions)
    for mention in drift.drifted.mentions:
        yield Evidence(feature, mention.start, mention.end, message, weight=share)


@artifact(
    "name_drift",
    1,
    "One name spelled two ways in a document (Lin/Lynn, Blinken/Brinken, Reykjavík/Reykjavik), "
    "as when each sentence is transliterated on its own",
)
def name_drift(doc: Document) -> Iterable[Evidence]:
    for drift in drifts(doc):
        if drift.difference in ("respelling", "accent"):
            yield from _evidence("name_drift", drift)


@artifact(
    "name_split_drift",
    1,
    "One compound name written as one word and as two or hyphenated in a document "
    "(Guesthouse/Guest House, Akasakatei/Akasaka-tei)",
)
def name_split_drift(doc: Document) -> Iterable[Evidence]:
    for drift in drifts(doc):
        if drift.difference == "split":
            yield from _evidence("name_split_drift", drift)

"""What the people analysis finds: person mentions, what each sentence says about people,
the words that give a gender, and the cues that contradict it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...text import Token
from .words import COURTESY_TITLES


@dataclass(slots=True)
class Mention:
    """A capitalised name: `text[start:end]` is the word its key comes from."""

    key: str
    start: int
    end: int
    sentence: int
    quoted: bool
    tokens: int  # capitalised words in the name ("David Lin" = 2)
    given: str | None = None  # a given name whose gender is known
    first_name: str | None = None  # the first word of a name of two or more words, known or not
    title: str | None = None  # courtesy title before the name, without its full stop
    title_start: int = -1
    title_end: int = -1  # includes the full stop when there is one
    office: bool = False  # an office word stood before it ("Secretary Blinken")
    strong: str | None = None  # gender from the given name, a rank or a role noun
    strong_cue: str = ""
    attached: bool = False  # a role noun belongs to it ("pastor David Lin")
    speaker: bool = False  # "said Lin", "Lin told", "Lin's family" (places speak too: "Beijing said")
    place: bool = False  # after "in", "from", ... or made of place words

    @property
    def title_gender(self) -> str | None:
        return COURTESY_TITLES.get(self.title) if self.title else None

    @property
    def bare(self) -> bool:
        """A surname on its own: no given name, no title, no office word."""
        return self.tokens == 1 and self.given is None and self.title is None and not self.office

    @property
    def surely_person(self) -> bool:
        return bool(self.given or self.title or self.office or self.strong or self.attached)


@dataclass(slots=True)
class SentenceFacts:
    """What one sentence says about people, collected in one pass over its tokens."""

    mentions: list[Mention] = field(default_factory=list)  # people (after who_is_who)
    unknown: list[Mention] = field(default_factory=list)  # capitalised runs that may be people
    nouns: list[tuple[int, str | None]] = field(default_factory=list)  # (token index, gender)
    pronouns: list[tuple[Token, str]] = field(default_factory=list)  # outside quotations
    possessors: list[str] = field(default_factory=list)  # 'her' in "her husband, Tom Roe"


@dataclass(slots=True)
class Cue:
    """A word that tells a person's gender: a title, or a pronoun resolved to that person."""

    key: str
    gender: str
    start: int
    end: int
    kind: str  # "title" or "pronoun"
    sentence: int


@dataclass(slots=True)
class Clash:
    """A cue contradicting the gender the document had already given the same person."""

    cue: Cue
    established: str  # the gender established before
    because: str  # the words that established it, for the message
    because_at: int


@dataclass
class People:
    mentions: list[Mention]  # people only, in document order
    sentences: list[SentenceFacts]
    person_keys: set[str]
    strong_gender: dict[str, str | None]  # key -> gender; None when it may be two people
    strong_source: dict[str, tuple[str, int]]
    clashes: list[Clash] = field(default_factory=list)

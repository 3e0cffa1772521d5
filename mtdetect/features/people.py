"""Who is who in a document: person mentions, their titles, and the gender the text gives them.

Shared by the honorific and pronoun extractors (and open to any other). One linear pass
over the tokens of each sentence finds runs of capitalised words, strips the office words
in front ("Chinese Foreign Minister"), and keeps the courtesy title before the run
("Ms.", "Mr"). A mention is filed under its surname *key*: "David Lin", "Mr. Lin" and
"Lin's" all file under "Lin". Gender comes from what the text itself says:

* strong cues: a given name ("David"), a gendered role noun attached to the name
  ("actress Jane Roe", "her husband, Tom Roe", "Ann Roe is the daughter of"), a gendered
  rank ("Queen", "Sir"), a feminine surname ("-ová", "-dóttir");
* courtesy titles ("Mr.", "Ms."), which a machine translating from a language with
  gender-free honorifics (Japanese "-san", "-shi", Korean "-ssi") has to guess;
* third-person pronouns, only where the sentence (or the one before, if this one names
  nobody) names exactly one person and no person noun ("his lawyer", "the mother") or
  capitalised word that might be someone.

A surname that may belong to two people ("David Lin" and "Alice Lin"; "Mr. Hart" and
"Mrs. Hart") gets no gender at all. `analyse(doc).clashes` lists, in text order, each
title or pronoun whose gender contradicts what the document had already established for
that person. The analysis is cached for the last document seen, so that the features
sharing it pay once per document. Every name list here is a list of facts (common given
names by gender, courtesy titles, office words), never of particular stories' people.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import is_not, itemgetter

from ..text import Document, Token, char_positions

MALE, FEMALE = "male", "female"

# Common given names whose gender is clear in the languages WMT-style news is written or
# translated from. Names used for both sexes (Alex, Jean, Jan, Kim, Andrea, Nikola, Yuki, ...)
# are left out on purpose: a wrong guess here would turn into a false alarm.
MALE_GIVEN_NAMES = frozenset(
    """
    Aaron Abdullah Abraham Adam Adrian Ahmad Ahmed Akio Alan Albert Alberto Aleksandr Aleksandar
    Alessandro Alexander Alexandre Alexei Alexey Alfred Ali Alistair Aleš Anatoly Andre André
    Andreas Andrei Andrej Andrew Andrey Andriy Angelo Anthony Antoine Anton Antonio Antony
    Anatoli Arnold Arthur Atsushi Barack Barry Ben Benjamin Bernard Bernd Bill Bob Bogdan Boris
    Brad Bradley Brandon Brendan Brett Brian Bruce Bruno Bryan Carl Carlo Carlos Charles Christian
    Christoph Christopher Claudio Clint Colin Craig Dan Daniel Daisuke  Damian Damien Daniele
    Danny Dave David Dean Denis Dennis Derek Diego Dieter Dmitri Dmitriy Dmitry Dominic Donald
    Doug Douglas Duncan Dustin Dwight Edgar Eduard Eduardo Edward Edwin Eiji Emil Emmanuel Enrique
    Eric Erik Ernest Ernst Esteban Ethan Eugene Evan Evgeny Fabian Felix Fernando Filip Florian
    Francesco Francis Francisco Franco Frank Franz František Fred Frederick Friedrich Fumio
    Gabriel Gareth Gary Gavin Geoffrey George Georg Gerald Gerhard Giorgio Giovanni Giuseppe
    Gordon Graham Greg Gregory Guillaume Günter Gustav Hans Harald Harold Harrison Harry Haruki
    Hassan Hayato Heinz Helmut Henri Henry Herbert Hideki Hideo Hiroki Hiroshi Hirofumi Horst
    Howard Hugh Hugo Hussein Ian Ibrahim Ichiro Igor Ilya Isaac Ivan Jack Jacob Jakub Jacques
     James Jaroslav Jason Javier Jeff Jeffrey Jens Jeremy Jerome Jiro Jiří Joachim Joe
    Johann Johannes John Johnny Jon Jonas Jonathan Jorge José Josef Joseph Joshua Juan Julian
    Julius Junichiro Jürgen Justin Kamil Karel Karl Kazuki Kazuo Keisuke Keith Ken Kenichi
    Kenji Kenneth Kenta Kentaro Kevin Khalid Kirill Klaus Koichi Koji Konstantin Kosuke Kurt
    Larry Lars Leon Leonard Leonardo Leonid Lewis Liam Lorenzo Louis Luboš Luca Lucas Luigi Luis
    Lukas Lukáš Luke Mahmoud Manuel Marcel Marco Marcus Mario Mark Marko Markus Martin Masahiro
    Masao Matej Matěj Mateusz Mathias Matt Matteo Matthew Matthias Max Maxim Maxime Michael
    Michal Michel Miguel Mikhail Milan Milos Miloš Miroslav Mohamed Mohammad Mohammed Muhammad
    Mustafa Naoki Naoya Nathan Neil Nicholas Nick Nicolas Nikolai Nikolay Noah Nobuo Norbert
    Olaf Oleg Oleksandr Oleksiy Oliver Omar Ondřej Oscar Osamu Oskar Otto Owen Pablo Patrick
    Paul Paulo Pavel Pedro Peter Petr Petro Philip Philipp Philippe Pierre Pietro Piotr Rafael
    Ralph Ramon Randy Raul Raymond Recep Reinhard Ricardo Richard Rick Robert Roberto Rodrigo
    Roger Roland Roman Ronald Ross Rudolf Russell Ryan Ryota Ryosuke Salman Samuel Satoshi Scott
    Sean Sebastian Sebastián Seiji Serge Sergei Sergey Sergio Sergiy Seth Shigeru Shinichi Shinji
    Shinzo Shohei Shota Shunsuke Sigmar Simon Stanislav Stefan Stephen Steve Steven Stuart
    Sven Sylvester Tadashi Takahiro Takashi Takeshi Takuya Taro Tatsuya Ted Tetsuya Theodore
    Thomas Tim Timothy Tobias Todd Tom Tomas Tomasz Tomáš Tomoya Tony Toshiaki Toshihiro Toshio
    Travis Tyler Uwe Václav Valentin Vasily Viktor Vincent Vitaly Vitali Vladimir Vladimír
    Vladislav Volker Volodymyr Vojtěch Walter Warren Wayne Werner Wilhelm William Wolfgang
    Xavier Yaroslav Yasuo Yevgeny Yoichi Yoshiaki Yoshihide Yoshihiko Yoshio Youssef Yukio
      Yusuke Yuto Yuzuru Zach Zachary Zdeněk Zbigniew
    """.split()
)
FEMALE_GIVEN_NAMES = frozenset(
    """
    Abigail Ada Adéla Adriana Agnes Agnieszka Aiko Aisha Akiko Alena Alexandra Alessandra Alice
    Alicia Alina Alison Allison Alla Amanda Amelia Amy Ana Anastasia Anastasiya Angela Angelika
    Angelina Anita Ann Anna Annalena Anne Annette Annie Antonia Asuka Aya Ayaka Ayumi Barbara
    Barbora Beatrice Beatriz Becky Bettina Betty Beverly Birgit Brenda Bridget Brigitte Camila
    Carla Carmen Carolina Caroline Catherine Cecilia Celine Charlotte Chiara Christina Christine
    Cindy Claire Clara Claudia Colette Cristina Cynthia Dagmar Daniela Deborah Denise Diana Diane
    Dolores Donna Doris Dorothy Edith Ekaterina Elena Eleanor Elisabeth Elisa Eliška Elizabeth
    Ella Ellen Elsa Elzbieta Emiko Emilia Emily Emma Erika Erin Esther Eva  Evgenia Fatima
    Francesca Gabriela  Galina Gisela Giulia Gloria Grace Gudrun Hana Hanna Hannah
    Haruka Heather Heidi Heike Helen Helena Helga  Hillary Hiroko Hitomi Ilse Ingrid
    Irena Irene Irina Isabel Isabella Isabelle Ivana Iveta Jacqueline Jana Jane Janet Janice
    Jaroslava Jennifer Jenny Jessica Jill Jitka Joanna Joanne Johanna Josephine Joyce Judith Judy
    Julia Julie Juliet Junko Justyna  Karin Karina Karolína Katarzyna Kate Kateřina
    Katherine Kathleen Kathryn Katie Katja Katrin Katrina Kazuko Keiko  Klára Kristina
    Kristýna Kseniya Ksenia Kumiko Kyoko Larisa Laura Lauren Lea Leah Lena Lenka Lilia Lily Linda
    Lisa Liudmila Liz Lorena Louise Lucia Lucie Lucy Ludmila Luisa Lydia Lyudmila Madeleine
    Magdalena  Mallory Malgorzata Margaret Margarita Maria María Mariana Marianne Marie Marina
    Mariko Marilyn Marina  Marisa Markéta Marta Martha Martina Mary Masako Mayumi Megan
    Megumi Melanie Melissa Mia Michaela Michelle Michiko Milena Miriam Misaki Monica Monika Nadia
    Nadezhda Nancy Nanami Naoko Naomi Natalia Natalie Natalya Natasha Nicole Nina Noriko Oksana
    Olena Olga Olivia Pamela Patricia Paula Pauline Pavla Petra Polina Rachel Radka Rebecca
    Regina Reiko Renata Rina Rita Rosa Rosemary Ruth Sabine Sachiko Sakura Sally Samantha Sandra
    Sara Sarah Sharon Sheila Shirley Silvia Simona  Sofia Sofía Sonia Sophia Sophie
    Stephanie Susan Susanne Suzanne Svetlana Sylvia Šárka Tamara Tanya Tatiana Tatyana Teresa
    Tereza Theresa Tiffany Tomoko Ursula Valentina Valeria Vanessa Vera Věra Veronica Veronika
    Victoria Viktoria Viktoriya Virginia  Wanda Wendy Yekaterina Yelena Yoko Yuka Yuko
    Yulia Yuliya Yumiko Yuriko Zoe Zofia Zuzana Chloe Ava Amelie Scarlett Abby Alexa Alyssa Brooke
    Caitlin Danielle Gabrielle Jasmine Kayla Kylie Leila Melania Meghan Paige Priyanka Selena Serena
    Kamala Ilhan Greta Jacinda Sanna Mette Giorgia Camilla Beyoncé Rihanna Madeleine Agathe
    Ingeborg Ulrike Annegret Franziska Kerstin Manuela Nadine Susanna Ewa Anja Daria Darya Alisa
    Yana Zhanna Inna Alla Lilia Raisa Zinaida Lyubov Nadya Valeriya Kristina Anastasia Vasilisa
    """.split()
)
# Courtesy titles: gendered ones carry a gender, the others only say "this is a person".
COURTESY_TITLES = {
    "Mr": MALE, "Mister": MALE, "Messrs": None, "Mrs": FEMALE, "Ms": FEMALE, "Miss": FEMALE,
    "Mme": FEMALE, "Mlle": FEMALE, "Madam": FEMALE, "Madame": FEMALE, "Mx": None, "Dr": None, "Prof": None,
}
# Courtesy titles whose dotted and undotted spellings are a house-style choice.
DOTTABLE_TITLES = frozenset({"Mr", "Mrs", "Ms", "Mx", "Dr"})
# Ranks and religious titles that fix a gender as firmly as a given name does.
GENDERED_RANKS = {
    "King": MALE, "Prince": MALE, "Duke": MALE, "Emperor": MALE, "Pope": MALE, "Sheikh": MALE,
    "Sir": MALE, "Lord": MALE, "Brother": MALE, "Father": MALE, "Archduke": MALE, "Tsar": MALE,
    "Queen": FEMALE, "Princess": FEMALE, "Duchess": FEMALE, "Empress": FEMALE, "Sheikha": FEMALE,
    "Lady": FEMALE, "Dame": FEMALE, "Sister": FEMALE, "Mother": FEMALE, "Archduchess": FEMALE,
    "Tsarina": FEMALE,
}
# Capitalised office words that stand before a name ("Foreign Minister Qin", "Secretary of
# State Blinken") and are not part of it.
OFFICE_WORDS = frozenset(
    """President Vice Prime Minister Secretary State Foreign Deputy Chancellor Premier Governor
    Gov Senator Sen Representative Rep Congressman Congresswoman Ambassador Envoy Director Chief
    General Gen Colonel Col Major Maj Captain Capt Lieutenant Lt Sergeant Sgt Admiral Adm Commander
    Officer Commissioner Chairman Chairwoman Chair Speaker Mayor Judge Justice Attorney Pastor
    Bishop Archbishop Cardinal Reverend Rev Saint Coach Manager Spokesman Spokeswoman Spokesperson
    Head Leader Senior Assistant Acting Former Late Doctor Professor Agent Inspector Detective
    Superintendent Marshal Patriarch Rabbi Imam Councillor Councilor Minister Secretary-General
    Defense Defence Finance Interior Trade Health Education Justice National Security Executive
    Managing Mr Mrs Ms Miss Mx Dr Prof Mme Mlle Madam Madame Mister Messrs Chairperson
    Opposition Party Communist Democratic Republican Labour Conservative Liberal Green""".split()
) | frozenset(GENDERED_RANKS)
# Words that make a capitalised run a place, body or event rather than a person, wherever
# they stand in it. Words that are also common surnames (Park, Hall, Church, Green) are left out.
NON_PERSON_WORDS = frozenset(
    """House Department Ministry University College School Street Road Avenue Square Party
    Council Committee Commission Company Corporation Corp Inc Ltd Co Group Holdings News Times
    Herald Journal Daily Weekly Review Press Media Network Agency Office Museum Stadium Hotel
    Club Team Union Republic Kingdom States City County Province Prefecture Island Islands Sea
    Ocean Mountain Mountains Mount River Valley Gulf Coast Strait Channel Port Airport Station
    Hospital Temple Cathedral Mosque Center Centre Institute Association Federation Foundation
    Fund Forum Organization Organisation Guesthouse Palace Garden Gardens Airlines Airways Motors
    Express Systems Technologies Energy Financial Capital Partners Award Awards Cup League
    Championship Championships Games Olympics Festival Conference Summit Day Week War Act Law
    Bill Treaty Agreement Accord Program Programme Project Campaign Initiative Service Services
    System Force Forces Army Navy Police Guard Command Region District Village Town Peninsula
    Desert Empire Dynasty Federal Supreme Royal International Global World Europe Asia Africa
    America Americas Pacific Atlantic Arctic Nations Reserve Exchange Market Index Cabinet
    Parliament Congress Senate Assembly Government Administration Embassy Consulate Board
    Authority Bureau Laboratory Prize Medal Trophy Show Series Film Movie Album Song Magazine
    Radio Online Facebook Twitter Google Microsoft Amazon Covid Coronavirus Omicron""".split()
)
# Words that make a run a place only when they open it ("North Korea", "New York"), since
# they are surnames at its end ("Kanye West", "Bob Newhart" aside).
PLACE_PREFIX_WORDS = frozenset(
    """North South East West Central New Saint San Santa Los Las United Great Upper Lower
    Northern Southern Eastern Western Hong St""".split()
)
# A capitalised word after these is a place ("in Beijing", "from Tokyo"), not a person.
LOCATIVES = frozenset("in at from near across throughout outside inside into toward towards via".split())
# Capitalised words that are never names: sentence openers, months, days.
NOT_NAME_WORDS = frozenset(
    """The A An This That These Those There Here It Its He She His Her Him They Their Them We Our
    Us I My Me You Your But And Or Nor So Yet For In On At By To From With Without Of As If When
    While After Before Since Although Though However Meanwhile Still Also Now Then Some Many Most
    All Any Each Every Both Either Neither No Not Only Even Just What Which Who Whom Whose Where
    Why How Yes Oh Thus Therefore Moreover Furthermore Besides Instead Otherwise Indeed According
    During Under Over Into Onto Upon Between Among Against Through Across Around About Above Below
    Until Unless Because Whether Despite Including Following Such Another Other Last Next First
    Second Third One Two Three Four Five Six Seven Eight Nine Ten Several Few More Less Much
    Mr Mrs Ms Miss Mx Dr Prof Mme Mlle Mister Messrs
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Today Tomorrow Yesterday""".split()
)
# Lower-case particles that may sit inside a name ("Ursula von der Leyen").
NAME_PARTICLES = frozenset("von van der den de del della di da dos das du le la bin ibn al el".split())
SPEECH_VERBS = frozenset(
    """said says say told tells added adds noted notes explained explains stated states wrote
    writes asked asks replied replies argued argues insisted insists stressed stresses warned
    warns claimed claims admitted admits recalled recalls tweeted tweets commented comments
    announced announces confirmed confirms emphasised emphasized emphasizes emphasises pointed
    continued continues believes believed thinks thought hopes hoped urged urges""".split()
)
# Role nouns with a gender. Directly before a name ("actress Jane Roe") or predicated of it
# ("Ann Roe is the daughter of") they are a cue for that person; elsewhere they are another
# person the pronoun might mean.
FEMALE_NOUNS = frozenset(
    """woman girl lady mother mom mum daughter sister wife aunt grandmother grandma granddaughter
    niece girlfriend bride widow queen princess duchess actress waitress hostess heiress nun
    businesswoman chairwoman spokeswoman congresswoman policewoman sportswoman stepmother
    stepdaughter fiancée empress goddess housewife schoolgirl landlady madam mistress
    grandmother sisters-in-law sister-in-law daughter-in-law mother-in-law""".split()
)
MALE_NOUNS = frozenset(
    """man boy gentleman father dad son brother husband uncle grandfather grandpa grandson nephew
    boyfriend groom bridegroom widower king prince duke emperor monk businessman congressman
    policeman sportsman stepfather stepson fiancé schoolboy landlord brother-in-law son-in-law
    father-in-law""".split()
)
# Person nouns without a gender: any of them near a pronoun makes its antecedent unsure.
NEUTRAL_PERSON_NOUNS = frozenset(
    """person child kid baby toddler infant teenager teen youngster parent relative sibling cousin
    spouse partner friend colleague neighbor neighbour lawyer attorney official officer spokesman
    spokesperson chairman chairperson chair president minister leader chief head director manager
    employee worker member citizen resident patient doctor nurse teacher student pupil player
    coach athlete fan owner founder author writer reporter journalist correspondent editor expert
    analyst economist scientist researcher professor academic candidate judge prosecutor
    defendant suspect victim witness soldier pilot driver passenger customer client user visitor
    tourist guest host mayor governor senator lawmaker legislator politician diplomat ambassador
    envoy secretary premier chancellor executive boss actor singer artist musician star celebrity
    model dancer designer chef farmer seller buyer investor entrepreneur engineer activist
    protester volunteer survivor refugee migrant immigrant prisoner detainee inmate hostage
    captain commander general sergeant agent spy detective inspector guard firefighter paramedic
    surgeon physician pastor priest bishop cardinal imam rabbi principal dean mentor graduate
    intern individual adult youth local native opponent rival ally winner loser champion runner
    rider swimmer skier boxer fighter wrestler striker midfielder defender goalkeeper pitcher
    batter hitter rookie veteran newcomer successor predecessor deputy aide adviser advisor
    assistant consultant contractor representative delegate counterpart someone anyone everyone
    somebody anybody nobody whoever year-old baker photographer producer director presenter
    commentator blogger owner boss ceo chairman heir orphan pensioner retiree shopkeeper vendor
    worker staffer manager supervisor hero villain character narrator protagonist""".split()
)
# Nouns that bring in a person without naming one ("the marriage": a spouse).
NEUTRAL_PERSON_NOUNS |= frozenset("marriage divorce wedding engagement affair relationship breakup romance".split())
PERSON_NOUNS: dict[str, str | None] = {w: None for w in NEUTRAL_PERSON_NOUNS}
PERSON_NOUNS.update({w: FEMALE for w in FEMALE_NOUNS})
PERSON_NOUNS.update({w: MALE for w in MALE_NOUNS})

PRONOUNS = {
    "he": MALE, "him": MALE, "his": MALE, "himself": MALE,
    "she": FEMALE, "her": FEMALE, "hers": FEMALE, "herself": FEMALE,
}
KIN_NOUNS = frozenset(
    """family wife husband son daughter mother father brother sister parents children kids dad
    mom mum girlfriend boyfriend fiancé fiancée widow widower uncle aunt nephew niece grandson
    granddaughter grandmother grandfather spouse relatives lawyer lawyers attorney""".split()
)
COPULAS = frozenset({"is", "was", "became", "becomes"})
DETERMINERS = frozenset({"the", "a", "an", "his", "her", "their", "its", "our", "my", "your"})
OPEN_QUOTES = frozenset("“«„")
CLOSE_QUOTES = frozenset("”»")
# Surname endings that only women carry: Czech "-ová"/"-ská" and Icelandic "-dóttir" on
# their own; Russian "-ova"/"-eva"/"-skaya" only after a given name (Casanova, Geneva).
FEMININE_SURNAME_RE = re.compile(r"(?:ová|ská|dóttir)$")
FEMININE_FULL_NAME_SURNAME_RE = re.compile(r"(?:ová|ská|dóttir|ova|eva|yeva|skaya)$")
# Person nouns the lists miss: "the rapper", "a saxophonist", "the co-star".
PERSON_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "ee", "ess", "man", "star", "year-old")
NOT_PERSON_SUFFIXED = frozenset(
    """other after under over never ever however whether either neither rather further together
    number water power paper letter matter order border center centre later former latter major
    minor error color colour floor door factor sector mirror horror honor honour labor labour
    favor favour flavor flavour terror government statement development moment event content
    percent agreement department parliament management environment investment equipment
    treatment payment movement element comment segment fragment incident accident current
    recent present talent intent extent different important permanent quarter winter summer
    river corner computer weather chapter register semester cancer dinner member meter metre
    offer answer disaster theater theatre monster poster cluster shelter letter filter""".split()
)
# "co-star", "ex-wife", "stepson", "great-grandmother": the noun after the prefix decides.
PERSON_PREFIXES = ("co-", "ex-", "step", "great-", "grand")
PERSON_PREFIX_RE = re.compile("(?:" + "|".join(PERSON_PREFIXES) + r")(\w[\w-]*)$")
_NOT_A_PERSON = "not a person"
DETERMINERS_BEFORE_NOUN = frozenset("the a an this that his her their its our my your another one each every".split())
POSSESSIVE_PRONOUNS = {"his": MALE, "her": FEMALE}
# Each quotation mark is a token of its own (text.TOKEN_RE never puts one inside a word).
QUOTE_MARKS = "".join(sorted(OPEN_QUOTES | CLOSE_QUOTES)) + '"'
# Sentences ending without full stop, question or exclamation mark are headings or captions.
SENTENCE_END_RE = re.compile(r"[.!?…][\"”’')\]]*\s*$")




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


_cache_lock = threading.Lock()
_cache: tuple[Document, People] | None = None


def analyse(doc: Document) -> People:
    """The people of `doc`, cached for the last document so the features sharing it pay once."""
    global _cache
    cached = _cache
    if cached is not None and cached[0] is doc:
        return cached[1]
    people = _analyse(doc)
    with _cache_lock:
        _cache = (doc, people)
    return people


# A Mention has a title only where a token is a courtesy title, and a pronoun cue only where
# a word is 'he', 'she', 'his', ... (in any case). A document with neither (two in five WMT
# news documents) can give the title features and the pronoun clash nothing, so they ask
# these first and skip the analysis.
_TITLE_TOKENS = frozenset(COURTESY_TITLES)
_PRONOUN_WORDS = frozenset(PRONOUNS)


def has_courtesy_title(doc: Document) -> bool:
    """Whether any token is a courtesy title ("Mr", "Ms", "Dr", ...): without one no mention has a title."""
    found = doc.__dict__.get("_people_has_title")
    if found is None:
        found = doc.__dict__["_people_has_title"] = not _TITLE_TOKENS.isdisjoint(doc.token_texts)
    return found


def _strong_cue_tokens(gender: str) -> frozenset[str]:
    """Every token that can give a mention a strong cue of `gender`: a given name, a rank or a
    role noun (with the prefixes _person_noun takes), each also with the possessive endings
    strip_possessive takes off. The feminine surname endings are looked for in the text."""
    given = MALE_GIVEN_NAMES if gender == MALE else FEMALE_GIVEN_NAMES
    nouns = [noun for noun, noun_gender in PERSON_NOUNS.items() if noun_gender == gender]
    bases = [*given, *(rank for rank, rank_gender in GENDERED_RANKS.items() if rank_gender == gender)]
    bases += [prefix + noun for noun in nouns for prefix in ("", *PERSON_PREFIXES)]
    return frozenset(base + ending for base in bases for ending in ("", "'s", "’s", "'S", "’S", "'", "’"))


_STRONG_CUE_TOKENS = {MALE: _strong_cue_tokens(MALE), FEMALE: _strong_cue_tokens(FEMALE)}
# Where a token (possessive taken off or not) ends as a feminine surname may: the full-name
# endings include the ones that stand alone. A token ends where no letter follows.
FEMININE_ENDING_RE = re.compile(FEMININE_FULL_NAME_SURNAME_RE.pattern.removesuffix("$") + r"(?![^\W\d_])")


def pronoun_clash_possible(doc: Document) -> bool:
    """False when no pronoun can clash with an established gender, whatever the analysis finds.

    A clash needs a pronoun cue, so a gendered pronoun word. Without a courtesy title, a
    gender is established only by a strong cue or a pronoun: when every pronoun has one
    gender and no token can be a strong cue of the other, nothing contradicts them (four in
    five WMT news documents)."""
    genders = {PRONOUNS[word] for word in _PRONOUN_WORDS.intersection(doc.lower_words)}
    if not genders:
        return False
    if len(genders) > 1 or has_courtesy_title(doc):
        return True
    other = FEMALE if MALE in genders else MALE
    if not _STRONG_CUE_TOKENS[other].isdisjoint(doc.token_texts):
        return True
    return other == FEMALE and FEMININE_ENDING_RE.search(doc.text) is not None


def gender_of_given_name(name: str) -> str | None:
    if name in MALE_GIVEN_NAMES:
        return MALE
    if name in FEMALE_GIVEN_NAMES:
        return FEMALE
    return None


def strip_possessive(word: str) -> str:
    last = word[-1]
    if last in "sS":
        if len(word) > 2 and word[-2] in "'’":
            return word[:-2]
    elif last in "'’" and len(word) > 1:
        return word[:-1]
    return word


def _is_name_word(text: str) -> bool:
    if not text[0].isupper():
        return False
    if len(text) > 1 and text.isupper():
        return False  # acronyms: VOA, NATO
    return strip_possessive(text) not in NOT_NAME_WORDS


# Courtesy titles that are no name words ("Mr"; not "Madam"): with the name words, the tokens _word_kind calls _NAME_START.
_TITLES_NOT_NAME_WORDS = frozenset(title for title in COURTESY_TITLES if not _is_name_word(title))


def _person_noun(text: str) -> tuple[bool, str | None]:
    """Is this lower-case word a person noun, and of which gender?"""
    word = strip_possessive(text)
    gender = PERSON_NOUNS.get(word, _NOT_A_PERSON)
    if gender is not _NOT_A_PERSON:
        return True, gender
    prefixed = PERSON_PREFIX_RE.match(word)
    if prefixed and prefixed.group(1) in PERSON_NOUNS:
        return True, PERSON_NOUNS[prefixed.group(1)]
    return False, None


def _quote_flags(doc: Document) -> list[bool]:
    """Per token: is it inside a quotation? Straight quotes toggle; the state resets per paragraph.

    Every quotation mark is a token of its own, so a search in C finds them and the quoted runs
    between them are filled in as slices instead of visiting every token.
    """
    texts = doc.token_texts
    flags = [False] * len(texts)
    text = doc.text
    marks = [doc.token_range(position, position + 1).start for position in char_positions(text, QUOTE_MARKS)]
    if not marks:
        return flags
    next_mark = 0
    for start, end in doc.paragraphs:
        r = doc.token_range(start, end)
        inside_from = -1  # the first token of the open quotation, or -1 when outside one
        while next_mark < len(marks) and marks[next_mark] < r.stop:
            index = marks[next_mark]
            next_mark += 1
            if inside_from >= 0:
                flags[inside_from:index] = [True] * (index - inside_from)
            flags[index] = True
            mark = texts[index]
            if mark in OPEN_QUOTES:
                inside = True
            elif mark in CLOSE_QUOTES:
                inside = False
            else:
                inside = inside_from < 0  # a straight quote toggles
            inside_from = index + 1 if inside else -1
        if inside_from >= 0:
            flags[inside_from : r.stop] = [True] * (r.stop - inside_from)
    return flags


# What a token can say about people by its text alone: _NAME_START (a capitalised name word
# or a courtesy title), (_PRONOUN, gender), (_PERSON_NOUN, gender or None), (_SUFFIXED_NOUN,
# None) for a word like "rapper" that is a person only after a determiner, or _OTHER_WORD.
# Cached across documents (the main loop of _analyse looks up every token); cleared when it
# grows too big.
_PRONOUN, _PERSON_NOUN, _SUFFIXED_NOUN = "pronoun", "person noun", "suffixed noun"
_NAME_START = ("name", None)
_OTHER_WORD = ("other", None)
_WORD_KINDS: dict[str, tuple[str, str | None]] = {}
_WORD_KINDS_LIMIT = 200_000


def _word_kind(text: str) -> tuple[str, str | None]:
    """Classify a token for _analyse, and cache the answer."""
    if text[0].isupper():
        if _is_name_word(text) or text in COURTESY_TITLES:
            kind = _NAME_START
        elif text.lower() in PRONOUNS:  # "He": a capitalised word is never lower case
            kind = (_PRONOUN, PRONOUNS[text.lower()])
        else:
            kind = _OTHER_WORD
    elif text in PRONOUNS:
        kind = (_PRONOUN, PRONOUNS[text])
    elif text.islower():
        gender = PERSON_NOUNS.get(text, _NOT_A_PERSON)
        if gender is _NOT_A_PERSON and (text[-1] in "sS'’-" or text[:2] in ("co", "ex", "st", "gr")):
            is_person, gender = _person_noun(text)
            if not is_person:
                gender = _NOT_A_PERSON
        if gender is not _NOT_A_PERSON:
            kind = (_PERSON_NOUN, gender)
        elif (
            len(text) > 4 and text.endswith(PERSON_SUFFIXES) and strip_possessive(text) not in NOT_PERSON_SUFFIXED
        ):
            kind = (_SUFFIXED_NOUN, None)
        else:
            kind = _OTHER_WORD
    else:
        kind = _OTHER_WORD
    if len(_WORD_KINDS) >= _WORD_KINDS_LIMIT:
        _WORD_KINDS.clear()
    _WORD_KINDS[text] = kind
    return kind


def _token_kinds(texts: list[str]) -> list[tuple[str, str | None]]:
    """_word_kind of every token: one dictionary lookup each, the cache filled where it misses."""
    kinds = list(map(_WORD_KINDS.get, texts))
    index = -1
    try:
        while True:  # list.index finds the few misses in C
            index = kinds.index(None, index + 1)
            kinds[index] = _word_kind(texts[index])
    except ValueError:
        return kinds


def _analyse(doc: Document) -> People:
    # Token texts and starts, not doc.tokens: the Token tuples need not be built for this.
    texts, starts = doc.token_texts, doc.token_starts
    quoted = _quote_flags(doc)
    sentence_ranges = doc.sentence_token_ranges
    kinds = _token_kinds(texts)
    # Most tokens say nothing about people: the loop below visits the others alone.
    telling = list(compress(range(len(kinds)), map(is_not, kinds, repeat(_OTHER_WORD))))

    # A capitalised word that opens a sentence is a name only if it is capitalised mid-sentence too.
    sentence_starts = {r.start for r in sentence_ranges}
    mid_sentence_capitals: set[str] = set()
    for i in compress(range(len(texts)), map(str.isupper, map(itemgetter(0), texts))):
        if i not in sentence_starts:
            before = texts[i - 1]
            if before not in OPEN_QUOTES and before != '"':
                mid_sentence_capitals.add(strip_possessive(texts[i]))

    reader = _NameReader(doc, quoted, mid_sentence_capitals, kinds)
    sentences: list[SentenceFacts] = []
    runs: list[Mention] = []
    for s_index, (span, r) in enumerate(zip(doc.sentences, sentence_ranges)):
        facts = SentenceFacts()
        sentences.append(facts)
        if not SENTENCE_END_RE.search(doc.text, span.start, span.end):
            continue  # a heading or caption: title case says nothing about names
        attached: set[int] = set()
        skipped_pronouns: set[int] = set()
        found: list[Mention] = []
        after = r.start  # the first token not yet read (a name read runs over several)
        for position in range(bisect_left(telling, r.start), bisect_left(telling, r.stop)):
            i = telling[position]
            if i < after:
                continue
            kind = kinds[i]
            if kind is _NAME_START:
                after = reader.read(i, r, s_index, found, attached, skipped_pronouns, facts)
                continue
            what, gender = kind
            if what is _PRONOUN:
                if not quoted[i] and not _generic_pronoun(texts, i, r):
                    facts.pronouns.append((Token(starts[i], starts[i] + len(texts[i]), texts[i]), gender))
            elif what is _PERSON_NOUN or _after_determiner(texts, i, r):
                facts.nouns.append((i, gender))
        # A noun claimed by a name ("her husband, Tom Roe") is that person, not another one,
        # and the 'her' before it is someone else again.
        if attached:
            facts.nouns[:] = [n for n in facts.nouns if n[0] not in attached]
        if skipped_pronouns:
            facts.pronouns[:] = [p for p in facts.pronouns if p[0].start not in skipped_pronouns]
        runs.extend(found)
        facts.mentions = found

    person_keys, places = _people_and_places(runs)
    for facts in sentences:
        everyone = facts.mentions
        facts.mentions = [m for m in everyone if m.key in person_keys]
        facts.unknown = [m for m in everyone if m.key not in person_keys and m.key not in places and not m.place]
    mentions = [m for facts in sentences for m in facts.mentions]
    strong_gender, strong_source = _strong_genders(mentions)
    people = People(mentions, sentences, person_keys, strong_gender, strong_source)
    people.clashes = _track_gender(people, doc.text)
    return people


def _generic_pronoun(texts: list[str], i: int, r: range) -> bool:
    """'he or she', 'his/her': a generic person, not anyone in particular."""
    for j in (i - 1, i + 1):
        if r.start <= j < r.stop and texts[j].lower() in ("or", "/"):
            return True
    return False


def _after_determiner(texts: list[str], i: int, r: range) -> bool:
    """'the rapper', 'a famous saxophonist': a determiner one or two words before."""
    for j in (i - 1, i - 2):
        if j < r.start:
            return False
        text = texts[j].lower()
        if text in DETERMINERS_BEFORE_NOUN:
            return True
        if not texts[j].islower():
            return False
    return False


class _NameReader:
    """Reads one capitalised run (with its title and office words) into a Mention."""

    def __init__(self, doc: Document, quoted: list[bool], mid_sentence_capitals: set[str], kinds: list) -> None:
        self.doc = doc
        self.texts, self.starts = doc.token_texts, doc.token_starts  # a token ends at start + len(text)
        self.kinds = kinds  # _token_kinds of the document: a name word is a _NAME_START
        self.quoted = quoted
        self.mid_sentence_capitals = mid_sentence_capitals

    def read(
        self,
        i: int,
        r: range,
        s_index: int,
        found: list[Mention],
        attached: set[int],
        skipped_pronouns: set[int],
        facts: SentenceFacts,
    ) -> int:
        """Read the run starting at token i, append its Mention to `found`, return the next index."""
        texts, starts, kinds = self.texts, self.starts, self.kinds
        start = i
        title: str | None = None
        title_start = title_end = -1
        rank: str | None = None
        office = False
        words: list[int] = []  # token indices of the name's words
        stripped: list[str] = []  # strip_possessive of each of words, asked for several times below
        while i < r.stop:
            text = texts[i]
            if text in COURTESY_TITLES and not words:
                title, title_start, title_end = text, starts[i], starts[i] + len(text)
                if i + 1 < r.stop and texts[i + 1] == "." and starts[i + 1] == title_end:
                    title_end += 1  # the full stop
                    i += 1
                i += 1
                continue
            if text in OFFICE_WORDS and not any(gender_of_given_name(texts[w]) for w in words):
                # An office word after capitalised modifiers ("Chinese Foreign Minister") starts the name afresh.
                words = []
                stripped = []
                office = True
                if text in GENDERED_RANKS:
                    rank = text
                i += 1
                # "Secretary of State Blinken": an office runs on through "of".
                if i + 1 < r.stop and texts[i] == "of" and texts[i + 1][0].isupper():
                    i += 1
                continue
            # _is_name_word(text), read from the token's kind (a title that is no name word is a _NAME_START too).
            if kinds[i] is _NAME_START and text not in _TITLES_NOT_NAME_WORDS:
                words.append(i)
                bare = strip_possessive(text)
                stripped.append(bare)
                i += 1
                if bare != text:
                    break  # "Lin's family": the name ends at the possessive
                continue
            if text in NAME_PARTICLES and words and i + 1 < r.stop and _is_name_word(texts[i + 1]):
                i += 1
                continue
            if text == "." and words and len(texts[words[-1]]) == 1:
                i += 1  # an initial: "J. Smith"
                continue
            break
        if not words:
            return max(i, start + 1)
        first, last = words[0], words[-1]
        first_text, last_text = stripped[0], stripped[-1]
        # "Okafor's family", "Reyes' lawyer": only people have families.
        kin_after = last_text != texts[last] and i < r.stop and texts[i] in KIN_NOUNS
        if len(words) == 1 and first == r.start and title is None and not office and not kin_after:
            if first_text not in self.mid_sentence_capitals:
                return i  # a capitalised sentence opener, not a name
        place = (
            not NON_PERSON_WORDS.isdisjoint(stripped)
            or first_text in PLACE_PREFIX_WORDS
            or (start > r.start and texts[start - 1].lower() in LOCATIVES and last_text == texts[last])
        )
        given: str | None = None
        key, key_token = last_text, last
        if len(words) >= 2:
            if gender_of_given_name(first_text):
                given = first_text
            elif len(words) == 2 and gender_of_given_name(last_text):
                # Family name first, as Japanese, Chinese and Hungarian names are often written.
                given, key, key_token = last_text, first_text, first
        elif title is None and gender_of_given_name(first_text):
            given = first_text  # a person called by the given name alone
        # Positional arguments, in field order (key, start, end, sentence, quoted, tokens, given,
        # first_name, title, title_start, title_end, office): keywords cost more, once per name.
        # The key is its token's text without a possessive, so the end is start + len(key).
        mention = Mention(
            key,
            starts[key_token],
            starts[key_token] + len(key),
            s_index,
            self.quoted[start],
            len(words),
            given,
            (given if given != key else None) or (first_text if len(words) >= 2 else None),
            title,
            title_start,
            title_end,
            office,
            place=place and not (given or title),
        )
        name_text = self.doc.text[starts[first] : starts[last] + len(last_text)]
        if given:
            mention.strong, mention.strong_cue = gender_of_given_name(given), name_text
        elif rank is not None:
            mention.strong, mention.strong_cue = GENDERED_RANKS[rank], f"{rank} {name_text}"
        elif FEMININE_SURNAME_RE.search(last_text) or (
            len(words) >= 2 and FEMININE_FULL_NAME_SURNAME_RE.search(last_text)
        ):
            mention.strong, mention.strong_cue = FEMALE, name_text
        # The role readers' first tests are made here: most names have no role noun beside them.
        before = start - 1
        if before >= r.start and texts[before] == ",":
            before -= 1
        if before >= r.start and texts[before].islower():
            self._role_before(before, r, mention, last, last_text, attached, skipped_pronouns, facts)
        if last_text == texts[last]:
            if i < r.stop:
                following = texts[i]
                if following in COPULAS or following == ",":
                    self._role_after(i, r, mention, first, attached)
                mention.speaker = following in SPEECH_VERBS
            else:
                mention.speaker = False
        if kin_after or (start > r.start and texts[start - 1] in ("said", "says", "told")):
            mention.speaker = True
        found.append(mention)
        return i

    def _role_before(
        self,
        before: int,
        r: range,
        mention: Mention,
        last: int,
        last_text: str,
        attached: set[int],
        skipped_pronouns: set[int],
        facts: SentenceFacts,
    ) -> None:
        """A role noun right before the name: "actress Jane Roe", "her husband, Tom Roe".

        `before` is the lower-case word before the name (or before the comma after it)."""
        texts, starts = self.texts, self.starts
        is_person, gender = _person_noun(texts[before])
        if not is_person:
            return
        attached.add(before)
        mention.attached = True
        if gender and mention.strong is None:
            mention.strong = gender
            mention.strong_cue = self.doc.text[starts[before] : starts[last] + len(last_text)]
        owner = before - 1
        if owner >= r.start and texts[owner].lower() in POSSESSIVE_PRONOUNS:
            # "her husband, Tom Roe": 'her' is someone other than Tom Roe.
            skipped_pronouns.add(starts[owner])
            facts.possessors.append(POSSESSIVE_PRONOUNS[texts[owner].lower()])

    def _role_after(self, i: int, r: range, mention: Mention, first: int, attached: set[int]) -> None:
        """A role predicated of the name: "Ann Roe is the daughter of", "Tom Roe, the father of".

        Token i, after the name, is a copula or a comma."""
        texts, starts = self.texts, self.starts
        j = i + 1
        if not (j < r.stop and texts[j] in DETERMINERS):
            return
        j += 1
        if j + 1 < r.stop and texts[j].islower() and not _person_noun(texts[j])[0]:
            j += 1  # one adjective: "the eldest daughter"
        if j < r.stop and texts[j].islower():
            is_person, gender = _person_noun(texts[j])
            if is_person:
                attached.add(j)
                mention.attached = True
                if gender and mention.strong is None:
                    mention.strong = gender
                    mention.strong_cue = self.doc.text[starts[first] : starts[j] + len(texts[j])]


def _people_and_places(runs: list[Mention]) -> tuple[set[str], set[str]]:
    """Keys that are people, and keys that are places.

    A given name, title, office, gendered cue or role noun makes a person whatever else is
    said; a two-word name or a speech verb does only if the key never stands after "in",
    "from", ... ("Beijing said", "Hong Kong").
    """
    sure: set[str] = set()
    likely: set[str] = set()
    places: set[str] = set()
    for m in runs:
        if len(m.key) == 1:
            continue  # an initial ("Svetlana S."), too little to tell people apart
        if m.surely_person:
            sure.add(m.key)
            if m.first_name and m.first_name != m.key:
                sure.add(m.first_name)  # "Guðrún" after "Guðrún Helga Lárusdóttir"
        elif m.place:
            places.add(m.key)
        elif m.speaker or m.tokens >= 2:
            likely.add(m.key)
            if m.first_name and m.tokens == 2:
                likely.add(m.first_name)  # "Qin" after "Qin Gang"
    return sure | (likely - places), places - sure


def _strong_genders(mentions: list[Mention]) -> tuple[dict[str, str | None], dict[str, tuple[str, int]]]:
    """The gender each key's strong cues agree on; None when the key may be two people.

    A key may be two people when strong cues disagree, when it has two first names of
    which one has no known gender ("Kai Li", "Chen-Yu Li"), or both "Mr." and "Mrs." (a couple).
    """
    genders: dict[str, set[str]] = {}
    first_names: dict[str, set[str]] = {}
    titles: dict[str, set[str]] = {}
    source: dict[str, tuple[str, int]] = {}
    for m in mentions:
        if m.first_name:
            first_names.setdefault(m.key, set()).add(m.first_name)
        if m.title_gender:
            titles.setdefault(m.key, set()).add(m.title_gender)
        if m.strong:
            genders.setdefault(m.key, set()).add(m.strong)
            source.setdefault(m.key, (m.strong_cue, m.start))
    # "Adams said Mrs. Adams would join later": one surname twice in a sentence, once with
    # another title or given name, is two people.
    seen: dict[tuple[int, str], tuple[str | None, str | None]] = {}
    pairs: set[str] = set()
    for m in mentions:
        form = (m.title, m.first_name)
        earlier = seen.setdefault((m.sentence, m.key), form)
        if earlier != form:
            pairs.add(m.key)
    strong: dict[str, str | None] = {}
    for key in genders.keys() | titles.keys() | first_names.keys() | pairs:
        found = genders.get(key, set())
        names = first_names.get(key, set())
        if key in pairs or len(titles.get(key, ())) > 1 or len(found) > 1:
            strong[key] = None
        elif len(names) > 1 and any(gender_of_given_name(n) is None for n in names):
            strong[key] = None
        elif found:
            strong[key] = next(iter(found))
    return strong, source


def _track_gender(people: People, text: str) -> list[Clash]:
    """Walk the sentences in order; report cues that contradict a person's established gender.

    A person's gender is established by the strong cues anywhere in the document, else by
    the first title or resolved pronoun. A pronoun is resolved to a person only when its
    sentence names that person alone, with no person noun and no capitalised word that
    might be someone, or names nobody and follows such a sentence; a sentence with
    pronouns of both genders speaks of two people and resolves none. A clashing pronoun
    is reported only if no other person of its gender (or of unknown gender) is named,
    described or referred to by a pronoun in the sentence that names its antecedent, the
    one before that, or its own.
    """
    undecided = {key for key, gender in people.strong_gender.items() if gender is None}
    established: dict[str, tuple[str, str, int]] = {}  # key -> (gender, what said so, where)
    for key, gender in people.strong_gender.items():
        if gender:
            cue, at = people.strong_source[key]
            established[key] = (gender, cue, at)
    clashes: list[Clash] = []
    # Per sentence: (gender, the person it was resolved to, or None) for each pronoun.
    referents: list[list[tuple[str, str | None]]] = []
    previous_sole: str | None = None
    for s_index, facts in enumerate(people.sentences):
        if not facts.mentions and not facts.pronouns:
            # No cue and no antecedent: what the full pass below would do for it (most sentences).
            referents.append([])
            previous_sole = None
            continue
        keys = {m.key for m in facts.mentions}
        crowded = bool(facts.nouns or facts.unknown or facts.possessors)
        target: str | None = None
        if not crowded:
            if len(keys) == 1:
                target = next(iter(keys))
            elif not keys:
                target = previous_sole
        # The antecedent is in this sentence, or in the previous one when this names nobody.
        window = range(max(0, s_index - (2 if not keys else 1)), s_index + 1)
        pronoun_genders = {gender for _, gender in facts.pronouns}
        resolved = target is not None and target not in undecided and len(pronoun_genders) == 1
        cues = [
            Cue(m.key, m.title_gender, m.title_start, m.title_end, "title", s_index)
            for m in facts.mentions
            if m.title_gender and m.key not in undecided
        ]
        if resolved:
            cues.extend(
                Cue(target, gender, token.start, token.end, "pronoun", s_index) for token, gender in facts.pronouns
            )
        cues.sort(key=lambda c: c.start)
        sentence_referents = [(gender, None) for _, gender in facts.pronouns] if not resolved else []
        for cue in cues:
            known = established.get(cue.key)
            referent: str | None = cue.key
            if known is None:
                established[cue.key] = (cue.gender, text[cue.start : cue.end], cue.start)
            elif known[0] != cue.gender:
                if cue.kind == "pronoun" and _someone_else(cue, established, people.sentences, window, referents):
                    referent = None
                else:
                    clashes.append(Clash(cue, known[0], known[1], known[2]))
            if cue.kind == "pronoun":
                sentence_referents.append((cue.gender, referent))
        referents.append(sentence_referents)
        previous_sole = next(iter(keys)) if len(keys) == 1 and not crowded else None
    return clashes


def _someone_else(
    cue: Cue,
    established: dict[str, tuple[str, str, int]],
    sentences: list[SentenceFacts],
    window: range,
    referents: list[list[tuple[str, str | None]]],
) -> bool:
    """Could the pronoun mean another person named, described or referred to in the window?"""
    for index in window:
        sentence = sentences[index]
        for m in sentence.mentions:
            if m.key != cue.key and established.get(m.key, (cue.gender,))[0] == cue.gender:
                return True
        if sentence.unknown or cue.gender in sentence.possessors:
            return True
        if any(gender is None or gender == cue.gender for _, gender in sentence.nouns):
            return True
        if index < len(referents) and any(
            gender == cue.gender and referent != cue.key for gender, referent in referents[index]
        ):
            return True  # 'he' continues an earlier 'he' about someone else
    return False

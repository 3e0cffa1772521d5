"""mtdetect.copies: story groups, copy relations and cross-copy evidence; `mtdetect compare`."""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtdetect import copies, model
from mtdetect.cli import main
from mtdetect.data import segments_to_text
from mtdetect.text import Document, plain_typography

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
WMT = ROOT.parent / "shared" / "data" / "wmt" / "wmt-docs.jsonl.gz"
ORIGINAL_SEED, MACHINE_SEED = "000_11376f5bce64fdf5.txt", "001_eefadc6c23d78545.txt"

# A small story of our own, and versions of it.
STORY = """Harbour council approves new ferry link

The city council voted on Tuesday to fund a ferry link between the old harbour and the northern islands, a project first proposed in 2019 by a group of island residents.

"This is the 3rd time we have asked for this, and my dad ran the last ferry," said councillor Maria Haines, who led the campaign for the new service.

The ferry will carry up to 240 passengers and is expected to start service next spring, according to the regional transport office.

Opponents said the money should go to road repairs instead. "We cannot afford a boat that nobody needs," said shop owner Peter Lindqvist.

Haines said the vote showed that the islands were no longer forgotten by the city."""

ROUND_TRIP = """Harbour council approves new ferry link

On Tuesday, the city council voted to fund a ferry connection between the old harbour and the northern islands, a project that was first proposed in 2019 by a group of island residents.

"This is the third time we have requested this, and my father operated the last ferry," councillor Maria Haynes, who led the campaign for the new service, said.

The ferry will carry up to 240 passengers and is expected to begin service next spring, according to the regional transport office.

Opponents said that the money should instead go to road repairs. "We can not afford a ship that no one needs," shop owner Peter Lindkvist said.

Afterwards Haines said that the vote showed that the islands were not forgotten by the city any more."""

HUMAN_REWRITE = """Harbour council backs ferry link

On Tuesday the city council voted to fund a new ferry link between the old harbour and the northern islands, a project that island residents first proposed in 2019.

"This is the 3rd time we have asked for this, and my dad ran the last ferry," councillor Maria Haines, who led the campaign for the new service, told the council.

According to the regional transport office, the ferry will carry up to 240 passengers and is expected to start service next spring.

Opponents wanted the money spent on road repairs. "We cannot afford a boat that nobody needs," shop owner Peter Lindqvist said.

For Haines, the vote showed that the city had not forgotten the islands."""

SYNDICATED = "Coastal Daily | Local news\n\n" + STORY + "\n\nShare this article. All rights reserved."

UNRELATED = """Orchestra opens season with new conductor

The regional orchestra opened its autumn season on Friday with a programme of Czech and Finnish music under its new principal conductor.

Tickets for the opening night sold out within two days, the orchestra's manager said, and a second performance was added for Sunday.

The conductor, who joined from a chamber ensemble abroad, said she wanted to bring younger audiences to the concert hall."""


def seed_texts() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="module")
def tiny_detector(tiny_model_path):
    return model.load(tiny_model_path, trust=True)


@pytest.fixture(scope="module")
def seed_report(tiny_detector):
    index = copies.StoryIndex(detector=tiny_detector)
    for name, text in seed_texts().items():
        index.add(name, text)
    return index.finish()


def evidence_texts(report_entry: dict, copy_text: str, original_text: str, feature: str) -> list[tuple[str, str]]:
    return [
        (original_text[e["original_start"] : e["original_end"]], copy_text[e["start"] : e["end"]])
        for e in report_entry["copy_evidence"]
        if e["feature"] == feature
    ]


# --- the seeds ---------------------------------------------------------------------------


def test_seed_001_is_a_machine_rewritten_copy_of_000(seed_report):
    texts = seed_texts()
    entry = seed_report.documents[MACHINE_SEED]
    assert entry["relation"] == "machine_rewritten" and entry["copy_of"] == ORIGINAL_SEED
    assert seed_report.documents[ORIGINAL_SEED]["relation"] == "original"
    assert entry["group"] is not None and entry["group"] == seed_report.documents[ORIGINAL_SEED]["group"]
    assert entry["copy_score"] >= 0.9
    copy_text, original_text = texts[MACHINE_SEED], texts[ORIGINAL_SEED]
    names = set(evidence_texts(entry, copy_text, original_text, "respelled_name"))
    for pair in [("Qin", "Hata"), ("Lin", "Lynn"), ("Li", "Lee"), ("Haines", "Haynes"), ("Blinken", "Brinken")]:
        assert pair in names, f"{pair} not among the respelled names {sorted(names)}"
    quotes = evidence_texts(entry, copy_text, original_text, "reworded_quote")
    assert any("7th time" in old and "seventh time" in new for old, new in quotes)
    assert any("my dad" in old and "my father" in new for old, new in quotes)
    assert ("7th", "seventh") in evidence_texts(entry, copy_text, original_text, "restyled_number")
    assert evidence_texts(entry, copy_text, original_text, "aligned_paragraphs")


def test_no_other_seed_is_called_a_machine_rewritten_copy(seed_report):
    for name, entry in seed_report.documents.items():
        if name != MACHINE_SEED:
            assert entry["relation"] != "machine_rewritten", (name, entry["relation"], entry["copy_of"])
            assert entry["copy_score"] == 0.0


def test_seed_evidence_offsets_and_messages(seed_report):
    texts = seed_texts()
    for name, entry in seed_report.documents.items():
        other = entry["compared_with"]
        for item in entry["copy_evidence"]:
            assert set(item) == {"feature", "start", "end", "original_start", "original_end", "message"}
            assert item["feature"] in copies.FEATURES
            assert 0 <= item["start"] < item["end"] <= len(texts[name])
            assert 0 <= item["original_start"] < item["original_end"] <= len(texts[other])
            assert item["message"]
            if item["feature"] in ("respelled_name", "reworded_quote"):
                assert texts[name][item["start"] : item["end"]] != texts[other][item["original_start"] : item["original_end"]]


def test_group_summary(seed_report):
    groups = seed_report.groups
    seeds_group = next(g for g in groups if MACHINE_SEED in g["members"])
    assert ORIGINAL_SEED in seeds_group["members"] and seeds_group["machine_rewritten"] == 1
    assert seeds_group["original"] == ORIGINAL_SEED and seeds_group["headline"]
    table = copies.render_group_table(groups)
    assert "machine" in table.splitlines()[0] and ORIGINAL_SEED[:10] in table
    assert copies.render_group_table([]).startswith("No story groups")


def test_adjusted_score(seed_report):
    assert copies.adjusted_score(0.2, seed_report.documents[MACHINE_SEED]) >= 0.9
    assert copies.adjusted_score(0.2, seed_report.documents[ORIGINAL_SEED]) == 0.2
    assert copies.adjusted_score(0.2, None) == 0.2


# --- small stories of our own ----------------------------------------------------------------


def test_round_trip_rewrite_evidence():
    comparison = copies.compare_documents(STORY, ROUND_TRIP)
    assert comparison.kind == "rewrite"
    assert comparison.votes() == (0, 1)  # "Haines" and "Haynes" both in b
    # One drifted name and no wording votes is not enough to call a machine: two people's versions
    # of a story differ in names too.
    assert copies.decide(comparison, direction=None).relation == "independent"
    called = copies.Verdict("machine_rewritten", "b", 3.0, 0.95, None, None, [])
    found = {(e.feature, ROUND_TRIP[e.start : e.end], STORY[e.original_start : e.original_end]) for e in copies.copy_evidence(comparison, called)}
    assert ("respelled_name", "Haynes", "Haines") in found
    assert ("respelled_name", "Lindkvist", "Lindqvist") in found
    assert ("restyled_number", "third", "3rd") in found
    quotes = [(new, old) for feature, new, old in found if feature == "reworded_quote"]
    assert any("my father" in new and "my dad" in old for new, old in quotes)


def test_syndicated_copy_is_verbatim():
    comparison = copies.compare_documents(STORY, SYNDICATED)
    verdict = copies.decide(comparison)
    assert verdict.relation == "verbatim" and verdict.copy == "b"
    assert comparison.verbatim_a > 0.95
    assert not [link for link in comparison.links if link.feature in ("reworded_quote", "respelled_name")]


def test_unrelated_stories_are_not_grouped():
    assert copies.compare_documents(STORY, UNRELATED).kind is None
    index = copies.StoryIndex(direction=None)
    for id, text in [("story", STORY), ("copy", SYNDICATED), ("concert", UNRELATED)]:
        index.add(id, text)
    report = index.finish()
    assert report.documents["copy"]["relation"] == "verbatim" and report.documents["copy"]["copy_of"] == "story"
    assert report.documents["concert"]["group"] is None and report.documents["concert"]["relation"] is None


def test_a_quote_kept_word_for_word_is_not_evidence():
    # A person rewriting the story rewords the sentences around the quotes, never the quotes.
    rewritten = STORY.replace("said councillor Maria Haines, who led the campaign for the new service", "councillor Maria Haines, who led the new service's campaign, told reporters")
    rewritten = rewritten.replace("Opponents said the money should go to road repairs instead.", "Critics want the money spent on road repairs instead.")
    rewritten = rewritten.replace("said shop owner Peter Lindqvist", "shop owner Peter Lindqvist argued")
    comparison = copies.compare_documents(STORY, rewritten)
    assert not [link for link in comparison.links if link.feature in ("reworded_quote", "respelled_name")]
    assert comparison.kept_quotes == 2
    # A person's rewrite, sentence by sentence: not called machine-made, even against the detector.
    comparison = copies.compare_documents(STORY, HUMAN_REWRITE)
    assert comparison.kind == "rewrite" and comparison.kept_quotes == 2
    verdict = copies.decide(comparison, 0.2, 0.9)
    assert verdict.relation == "independent" and any("kept word for word" in reason for reason in verdict.reasons)
    # A quote cut short is still kept.
    shortened = STORY.replace('"We cannot afford a boat that nobody needs,"', '"a boat that nobody needs,"')
    assert not [link for link in copies.compare_documents(STORY, shortened).links if link.feature == "reworded_quote"]


def _respelled(x: str, y: str) -> list[tuple[str, str]]:
    """The respelled names found between two one-paragraph texts (an unrelated paragraph after each, so they align)."""
    links = copies.compare_documents(x + "\n\n" + UNRELATED, y + "\n\n" + UNRELATED).links
    return [(link.a_text, link.b_text) for link in links if link.feature == "respelled_name"]


def test_inflections_months_and_compounds_are_not_respelled_names():
    a = "Officials in Beijing said China would send a delegation to Geneva in June, the ministry said on Monday evening."
    b = "Officials in Beijing said Chinese envoys would go to Geneva in June, the ministry said on Tuesday evening."
    c = "Officials in Beijing said US-China talks would go ahead in Geneva in June, the ministry said on Monday evening."
    # The same letters hyphenated otherwise: a house style, not a name respelled.
    d = "Officials in the South-East said the Kabukiza theatre would reopen in June, the ministry said on Monday evening."
    e = "Officials in the Southeast said the Kabuki-za theatre would reopen in June, the ministry said on Monday evening."
    # Words capitalised where the other text has a kindred word, and a locale's spelling: not names.
    f = "Election officials in the Centre said the vote was fair, the ministry said on Monday evening. The election was calm."
    g = "Electoral officials in the Center said the vote was fair, the ministry said on Monday evening. The election was calm."
    # Two words built on one stem part by more than a letter or two after it: not a respelling.
    h = "The Hydrometeorological Institute warned Portugal of storms, the ministry said on Monday evening."
    i = "The Hydrometeocenter warned the Portuguese of storms, the ministry said on Monday evening."
    for x, y in [(a, b), (a, c), (d, e), (f, g), (h, i)]:
        assert _respelled(x, y) == []
    # A name respelled after a long shared beginning is still one.
    j = "Officials said Degtyarev would visit Geneva in June, the ministry said on Monday evening. Degtyarev agreed."
    k = "Officials said Degtyaryov would visit Geneva in June, the ministry said on Monday evening. Degtyarev agreed."
    assert _respelled(j, k) == [("Degtyarev", "Degtyaryov")]


def test_places_and_their_adjectives_abbreviations_and_letter_compounds_are_not_respelled_names():
    # A place or its people and its adjective, a compound holding a form of the other word, an abbreviation
    # spelled out, two compounds a letter apart, and acronyms' plurals: not a name read back wrong.
    pairs = [
        ("Ministers said Britain would host the summit in June, Haines told reporters on Monday.",
         "Ministers said British officials would host the summit in June, Haines told reporters on Monday."),
        ("Ministers said the Malaysian team won the cup in June, Haines told reporters on Monday.",
         "Ministers said the UN-Malaysia team won the cup in June, Haines told reporters on Monday."),
        ("Ministers said the Swedes would host the summit in June, Haines told reporters on Monday.",
         "Ministers said the Swedish would host the summit in June, Haines told reporters on Monday."),
        ("Ministers said Haines Snr won the medal in June, the ministry told reporters on Monday.",
         "Ministers said Haines Senior won the medal in June, the ministry told reporters on Monday."),
        ("Ministers said the B-team would play in June, Haines told reporters on Monday.",
         "Ministers said the A-team would play in June, Haines told reporters on Monday."),
        ("Ministers said the NGOs would meet in June, Haines told reporters on Monday.",
         "Ministers said the NGAs would meet in June, Haines told reporters on Monday."),
    ]
    for x, y in pairs:
        assert _respelled(x, y) == []
    # A short name with two letters swapped is still a name respelled.
    x = "Ministers said Wei would host the summit in June, Haines told reporters on Monday. Wei agreed."
    y = "Ministers said Wie would host the summit in June, Haines told reporters on Monday. Wei agreed."
    assert _respelled(x, y) == [("Wei", "Wie")]


def test_dates_numbers_and_common_words_in_the_same_slot_are_not_respelled_names():
    """'May' where the other text has 'September' is a date changed, not a name read back wrong."""
    pairs = [
        ("The council will vote in May on the plan, Haines told reporters.", "The council will vote in September on the plan, Haines told reporters."),
        ("The council met on Monday to discuss the plan, Haines told reporters.", "The council met on Friday to discuss the plan, Haines told reporters."),
        ("The council chose Seven Oaks as the site, Haines told reporters.", "The council chose Nine Oaks as the site, Haines told reporters."),
        ("The council sent White to the talks, Haines told reporters.", "The council sent Young to the talks, Haines told reporters."),
    ]
    for x, y in pairs:
        assert _respelled(x, y) == []


def test_direction_votes_are_antisymmetric_and_ignore_typography():
    texts = seed_texts()
    direction = copies.bundled_direction_model()
    original, copy = texts[ORIGINAL_SEED], texts[MACHINE_SEED]
    forward = copies.compare_documents(original, copy).sentence_differences()
    assert direction.log_odds(forward) > 0
    assert direction.log_odds(forward.swapped()) == pytest.approx(-direction.log_odds(forward))
    # Curly quotes and dashes on one side only say which CMS set the text: the votes must not move.
    curly = copy.replace('"', "\u201d").replace(" - ", " \u2014 ").replace("'", "\u2019")
    restyled = copies.compare_documents(original, curly).sentence_differences()
    assert direction.log_odds(restyled) == pytest.approx(direction.log_odds(forward), abs=1e-6)


def test_direction_differences_are_the_same_under_every_hash_seed():
    # A set's order follows the interpreter's hash seed; the sums over the words one side alone has must not.
    script = (
        "import sys; from mtdetect import copies; "
        "a, b = (open(path, encoding='utf-8').read() for path in sys.argv[1:]); "
        "print(copies.compare_documents(a, b).sentence_differences().counts.tobytes().hex())"
    )
    paths = [str(SEEDS / name) for name in (ORIGINAL_SEED, MACHINE_SEED)]
    outputs = {
        subprocess.run([sys.executable, "-c", script, *paths], env=dict(os.environ, PYTHONHASHSEED=seed), capture_output=True, text=True, check=True).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(outputs) == 1 and len(next(iter(outputs))) > 100


def test_a_prepared_document_builds_the_document_its_text_gives():
    # The copies pass splits a text first and tokenises it later, from the same split.
    from mtdetect.copies.documents import PreparedDocument

    texts = list(seed_texts().values()) + ["One line.\nAnother line, no blank between.", "Dr. Who?  Yes!\n\n\nThree blank lines.", ""]
    for text in texts:
        built, direct = PreparedDocument(text).doc, Document(text)
        assert (built.paragraphs, built.sentences, built.token_texts, built.token_starts) == (direct.paragraphs, direct.sentences, direct.token_texts, direct.token_starts)
        assert [built.sentence_paragraph(i) for i in range(len(built.sentences))] == [direct.sentence_paragraph(i) for i in range(len(direct.sentences))]


def test_british_and_american_spellings_are_no_vote():
    # Which spelling a text uses says which locale its site or MT system is set to, as quotes do.
    from mtdetect.copies.wording import DocumentWording

    def wording(text):
        doc = Document(text)
        return DocumentWording.of(doc.token_texts, doc.token_starts, doc.sentence_token_ranges)

    british = wording("The organisation said the colour of the theatre was grey and 5 per cent of the programme was cancelled.")
    american = wording("The organization said the color of the theater was gray and 5 percent of the program was canceled.")
    reworded = wording("The group said the color of the theater was gray and 5 percent of the show was canceled.")
    same = copies.PairDifferences.between(british, american, [(0, 0)])
    assert not same.counts.any() and same.words == [((), ())]
    # "U.S." or "US" is a house style (AP dots its abbreviations), as a spelling is a locale.
    dotted = wording("The U.S. and the U.N. met in the U.K. on Monday. The talks moved to the U.S.")
    plain = wording("The US and the UN met in the UK on Monday. The talks moved to the US.")
    same = copies.PairDifferences.between(dotted, plain, [(0, 0), (1, 1)])
    assert not same.counts.any() and same.words == [((), ()), ((), ())]
    assert copies.PairDifferences.between(british, reworded, [(0, 0)]).words == [(("organization", "program"), ("group", "show"))]


def test_wording_reasons_say_what_the_copy_has_whatever_the_sign_of_the_weight():
    # Whichever way the weight on sentence length points (so whichever way the count pushes),
    # the reason says what the copy has: "shorter sentences" when its sentences are shorter.
    import numpy as np

    from mtdetect.copies.direction import DirectionModel
    from mtdetect.copies.verdicts import decide
    from mtdetect.copies.wording import feature_names

    texts = seed_texts()
    comparison = copies.compare_documents(texts[ORIGINAL_SEED], texts[MACHINE_SEED])
    differences = comparison.sentence_differences()
    names = feature_names()
    words = names.index("words")
    b_minus_a = differences.counts[:, words].sum()
    assert b_minus_a != 0
    for weight in (-1.0, 1.0):
        weights = np.zeros(len(names))
        weights[words] = weight
        model = DirectionModel(names, np.ones(len(names)), weights, card={"machine_log_odds": 0.5})
        verdict = decide(comparison, direction=model)
        assert verdict.relation == "machine_rewritten"
        copy_minus_original = b_minus_a if verdict.copy == "b" else -b_minus_a
        said = next(reason for reason in verdict.reasons if "reworded sentence pairs" in reason)
        assert ("shorter sentences" if copy_minus_original < 0 else "longer sentences") in said, said


def test_word_swaps_are_two_words_of_one_kind():
    # "has" against "government" is a sentence built otherwise, not a word a machine swapped.
    import numpy as np

    from mtdetect.copies.direction import DirectionModel
    from mtdetect.copies.wording import feature_names

    names = feature_names()
    model = DirectionModel(names, np.ones(len(names)), np.zeros(len(names)), ["government", "that", "father"], np.ones(3))
    words = [(("has",), ("government",)), (("which",), ("that",)), (("dad",), ("father",))]
    swaps = model.machine_words(copies.PairDifferences(np.zeros((3, len(names))), words))
    assert sorted(swaps) == [("father", "dad"), ("that", "which")]


def test_evidence_lists_words_swapped_only_when_they_are_of_one_kind():
    # "the" where the other text has "presented" is a sentence built otherwise, and "th" for
    # "seventh" a number restyled ("7th"): neither is a word a machine swapped.
    from mtdetect.copies.wording import is_word_swap
    from mtdetect.copies.evidence import _word_swaps

    assert is_word_swap("kids", "children") and is_word_swap("which", "that") and is_word_swap("rates picked", "rate increased")
    assert not is_word_swap("presented", "the") and not is_word_swap("seventh", "th") and not is_word_swap("", "the")
    assert not is_word_swap("Although", "hand") and is_word_swap("although", "though")
    assert _word_swaps(["He", "presented", "films", "to", "kids"], ["He", "the", "films", "to", "children"]) == "'children' for 'kids'"


def test_a_copy_half_round_tripped_is_machine_rewritten_not_verbatim():
    # Every other paragraph of the original replaced by the round trip's: half of it is word
    # for word, so it is a verbatim copy by its share, but the rest is reworded as a machine rewords.
    texts = seed_texts()
    original, machine = texts[ORIGINAL_SEED], texts[MACHINE_SEED]
    theirs = dict((i, j) for i, j, _ in copies.compare_documents(original, machine).paragraph_pairs)
    paragraphs, replacements = original.split("\n\n"), machine.split("\n\n")
    half = "\n\n".join(replacements[theirs[i]] if i in theirs and i % 2 else p for i, p in enumerate(paragraphs))
    comparison = copies.compare_documents(original, half)
    assert comparison.kind == "verbatim"
    verdict = copies.decide(comparison, direction=copies.bundled_direction_model())
    assert (verdict.relation, verdict.copy) == ("machine_rewritten", "b")
    assert "a partial rewrite" in verdict.reasons[0]
    # Without the votes there is no evidence of the machine: a verbatim copy, as before.
    assert copies.decide(comparison).relation == "verbatim"


def test_direction_model_fitted_without_word_weights_votes_by_counts_alone():
    # fit_direction.py compares the shipped votes with votes that weigh no word choices.
    texts = seed_texts()
    differences = copies.compare_documents(texts[ORIGINAL_SEED], texts[MACHINE_SEED]).sentence_differences()
    plain = copies.DirectionModel.fit([differences], vocabulary_size=0)
    with_words = copies.DirectionModel.fit([differences], vocabulary_size=200)
    assert plain.vocabulary == [] and len(plain.word_weights) == 0
    assert len(with_words.vocabulary) > 100 and any(with_words.word_weights)
    by_counts = differences.counts / plain.scale @ plain.weights
    assert plain.votes(differences) == pytest.approx(by_counts.clip(-3.0, 3.0))


def test_direction_model_round_trips_through_its_json():
    direction = copies.bundled_direction_model()
    again = copies.DirectionModel.from_dict(json.loads(json.dumps(direction.to_dict())))
    differences = copies.compare_documents(*[seed_texts()[k] for k in (ORIGINAL_SEED, MACHINE_SEED)]).sentence_differences()
    assert again.log_odds(differences) == pytest.approx(direction.log_odds(differences), rel=1e-4)
    assert again.machine_log_odds == direction.machine_log_odds > 0


def test_a_higher_false_alarm_level_calls_weaker_rewrites_machine_made():
    # The card's operating points are thresholds measured on human pairs; here two are set around
    # the seed pair's own log-odds, so the pair is a machine's rewrite at one level and not the other.
    from dataclasses import replace

    comparison = copies.compare_documents(*[seed_texts()[k] for k in (ORIGINAL_SEED, MACHINE_SEED)])
    shipped = copies.bundled_direction_model()
    strength = abs(copies.decide(comparison, direction=shipped).log_odds)
    direction = replace(shipped, card=dict(shipped.card, operating_points={"0.05": strength + 1.0, "0.2": strength - 1.0}))
    strict = copies.decide(comparison, direction=direction.at_human_pair_rate(0.05))
    lenient = copies.decide(comparison, direction=direction.at_human_pair_rate(0.2))
    assert (strict.relation, lenient.relation) == ("independent", "machine_rewritten")
    assert "a level 5 % of the pairs of human translations" in strict.reasons[-1]
    with pytest.raises(ValueError, match="measured: 0.05, 0.2"):
        direction.at_human_pair_rate(0.07)


def test_the_bundled_card_measured_every_false_alarm_level():
    from mtdetect.cli.common import FALSE_ALARM_CHOICES, human_pair_rate

    shipped = copies.bundled_direction_model()
    needed = [copies.bundled_direction_at(human_pair_rate(level)).machine_log_odds for level in FALSE_ALARM_CHOICES]
    assert needed == sorted(needed, reverse=True)  # more false alarms allowed: less evidence needed
    assert copies.bundled_direction_at(shipped.human_pair_rate).machine_log_odds == shipped.machine_log_odds


def test_three_versions_are_decided_as_a_group():
    """Two machine copies of one original: the copy-copy pair must not make either the other's original."""
    from mtdetect.copies.index import PairOutcome, _copy_side, _group_originals

    def pair(x, y, log_odds, relation="machine_rewritten"):
        return PairOutcome(x, y, "rewrite", False, relation, "b" if log_odds > 0 else "a", log_odds, 0.99, (), 0.8, {"a": [], "b": []})

    original, first, second = 0, 1, 2
    pairs = [pair(original, first, 4.0), pair(original, second, 3.5), pair(first, second, 4.5)]
    originals = _group_originals(pairs)
    assert originals == {0: original, 1: original, 2: original}
    assert [_copy_side(p, originals) for p in pairs] == ["b", "b", None]
    # A pair that calls the group's original the copy gives no verdict either way.
    weakly_reversed = pair(original, first, -0.5)
    group = _group_originals([weakly_reversed, pair(original, second, 4.0), pair(first, second, 0.5)])
    assert group[first] == original and _copy_side(weakly_reversed, group) is None


def test_a_partial_rewrite_joins_its_story_group():
    """An original, its round trip, and a copy half of whose paragraphs are the round trip's: the half
    copy is word for word in part with both. Its pair with the whole round trip must not make
    either the other's original: the group's original is the one the others derive from."""
    from mtdetect.copies.index import PairOutcome, settle

    def pair(x, y, kind, log_odds, strength):
        return PairOutcome(x, y, kind, False, "machine_rewritten", "b" if log_odds > 0 else "a", log_odds, 0.99, (), strength, {"a": [], "b": []})

    original, whole, half = 0, 1, 2
    # The whole round trip reads as the machine's against the half copy too, and the two share
    # half their text word for word: that pair is the strongest of all.
    pairs = [pair(original, whole, "rewrite", 4.0, 0.6), pair(original, half, "verbatim", 3.8, 0.7), pair(whole, half, "verbatim", -3.6, 0.8)]
    documents, _ = settle(lambda: pairs, str, str)
    assert documents[original]["relation"] == "original"
    assert (documents[whole]["relation"], documents[whole]["copy_of"]) == ("machine_rewritten", "0")
    assert (documents[half]["relation"], documents[half]["copy_of"]) == ("machine_rewritten", "0")


def test_three_seed_versions_in_one_index():
    """The original and two copies of it: both copies link to the original, which is never called a copy."""
    texts = seed_texts()
    second_copy = texts[MACHINE_SEED].replace("Lynn", "Linn").replace("Brinken", "Blinkin")
    index = copies.StoryIndex()
    for id, text in [("original", texts[ORIGINAL_SEED]), ("copy-1", texts[MACHINE_SEED]), ("copy-2", second_copy)]:
        index.add(id, text)
    documents = index.finish().documents
    assert documents["original"]["relation"] == "original"
    assert documents["copy-1"]["copy_of"] == "original" and documents["copy-1"]["relation"] == "machine_rewritten"


def test_direction_does_not_depend_on_argument_order(tiny_detector):
    texts = seed_texts()
    direction = copies.bundled_direction_model()
    forward = copies.decide(copies.compare_documents(texts[ORIGINAL_SEED], texts[MACHINE_SEED]), 0.3, 0.6, direction=direction)
    backward = copies.decide(copies.compare_documents(texts[MACHINE_SEED], texts[ORIGINAL_SEED]), 0.6, 0.3, direction=direction)
    assert forward.copy == "b" and backward.copy == "a"
    assert forward.log_odds == pytest.approx(-backward.log_odds, rel=1e-6)


def test_index_with_fetch_keeps_no_text_and_agrees():
    texts = {"story": STORY, "round_trip": ROUND_TRIP, "syndicated": SYNDICATED, "concert": UNRELATED}
    kept = copies.StoryIndex(direction=None)
    fetched = copies.StoryIndex(direction=None, fetch=texts.__getitem__)
    for id, text in texts.items():
        kept.add(id, text)
        fetched.add_signature(id, copies.story_signature(text))
    assert fetched.memory_bytes() < kept.memory_bytes()
    assert kept.finish().documents == fetched.finish().documents
    with pytest.raises(ValueError, match="added twice"):
        kept.add("story", STORY)
    with pytest.raises(ValueError, match="needs the text"):
        copies.StoryIndex().add_signature("x", copies.story_signature(STORY))


def test_signature_is_compact_and_picklable():
    import pickle

    signature = copies.story_signature(STORY)
    assert signature.minhash.dtype.name == "uint16" and signature.minhash.size == copies.NUM_PERM
    assert pickle.loads(pickle.dumps(signature)).minhash.tolist() == signature.minhash.tolist()
    # Keys survive rewording: numbers, number words and stems.
    assert {"3", "240", "2019", "ferry", "haine"} <= copies.story_keys(STORY)
    assert "3" in copies.story_keys(ROUND_TRIP)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=0, max_size=8), st.integers(min_value=0, max_value=1000))
def test_evidence_offsets_stay_inside_both_texts(dropped, seed):
    texts = seed_texts()
    original = texts[ORIGINAL_SEED]
    doc = Document(texts[MACHINE_SEED])
    rng = random.Random(seed)
    kept = [doc.text[s.start : s.end] for i, s in enumerate(doc.sentences) if i not in set(dropped)]
    head = rng.randrange(1, 4)
    moved = kept[:head]
    rng.shuffle(moved)  # a few sentences out of order, as an editor might leave them
    copy = " ".join(moved + kept[head:])
    comparison = copies.compare_documents(original, copy)
    verdict = copies.decide(comparison)
    for side in ("a", "b"):
        copy_text, original_text = (copy, original) if side == "b" else (original, copy)
        for item in copies.copy_evidence(comparison, verdict, side):
            assert 0 <= item.start < item.end <= len(copy_text)
            assert 0 <= item.original_start < item.original_end <= len(original_text)


# --- mtdetect compare -------------------------------------------------------------------------


@pytest.fixture
def compare(tiny_model_path):
    def invoke(*args, input=None):
        return CliRunner().invoke(main, ["compare", "--model", str(tiny_model_path), "--trust-model", *args], input=input)

    return invoke


def test_compare_cli_json(compare):
    a, b = SEEDS / ORIGINAL_SEED, SEEDS / MACHINE_SEED
    result = compare("--format", "json", str(a), str(b))
    assert result.exit_code == 1, result.output
    [report] = json.loads(result.stdout)
    assert report["relation"] == "machine_rewritten" and report["copy"] == str(b) and report["copy_of"] == str(a)
    assert "mtdetect:" in report["model"]
    text_a, text_b = a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
    assert {e["feature"] for e in report["copy_evidence"]} >= {"reworded_quote", "respelled_name", "aligned_paragraphs"}
    for item in report["copy_evidence"]:
        assert text_b[item["start"] : item["end"]] and text_a[item["original_start"] : item["original_end"]]
    for pair in report["aligned_paragraphs"]:
        assert text_a[pair["a_start"] : pair["a_end"]].strip() and text_b[pair["b_start"] : pair["b_end"]].strip()


def test_compare_cli_side_by_side(compare):
    result = compare("--width", "120", str(SEEDS / ORIGINAL_SEED), str(SEEDS / MACHINE_SEED))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "machine-rewritten copy" in lines[0]
    # The respelled name is marked on both sides of the same paragraph row.
    qin = [n for n, line in enumerate(lines) if "⟦Qin⟧" in line.split("│")[0]]
    hata = [n for n, line in enumerate(lines) if "│" in line and "⟦Hata⟧" in line.split("│")[1]]
    assert qin and hata and min(abs(q - h) for q in qin for h in hata) <= 2
    assert any("respelled_name" in line and "'Hata'" in line for line in lines)
    assert max(len(line) for line in lines if "│" in line) <= 120


def test_compare_cli_independent_report_and_stdin(compare):
    text = (SEEDS / "004_60cf788c8bc8659d.txt").read_text(encoding="utf-8")
    result = compare("--format", "json", str(SEEDS / ORIGINAL_SEED), "-", input=text)
    assert result.exit_code == 0, result.output
    [report] = json.loads(result.stdout)
    assert report["b"] == "<stdin>" and report["relation"] != "machine_rewritten"


def test_compare_cli_errors(compare, tmp_path):
    assert compare(str(tmp_path / "missing.txt"), str(SEEDS / ORIGINAL_SEED)).exit_code == 2
    assert compare("-", "-").exit_code == 2
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    assert compare(str(empty), str(SEEDS / ORIGINAL_SEED)).exit_code == 2
    assert CliRunner().invoke(main, ["compare", str(SEEDS / ORIGINAL_SEED)]).exit_code == 2


# --- WMT: a human and a machine translation of one document ---------------------------------------

MIN_WORDS = 400  # news articles, not headlines or chat lines: the direction needs some text to read
SYSTEMS_PER_STORY = 5
TRAINING_PAIRS = 250  # per half: enough for the sentence votes, cheap enough for the suite
MIN_DIRECTION_RIGHT = 0.87
MAX_HUMAN_PAIRS_CALLED = 0.15


def wmt_news():
    """The WMT news documents of ../shared/data, with their text (quotes and dashes made plain) in "text"."""
    if not WMT.is_file():
        pytest.skip(f"{WMT} is missing: the WMT pair tests read ../shared/data beside the repository")
    with gzip.open(WMT, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("domain") == "news":
                record["text"] = plain_typography(segments_to_text(record.pop("segments")))
                yield record


@pytest.fixture(scope="module")
def wmt_pairs():
    """(human translation, machine translation, direction model) of news stories with 400+ words.

    Cross-fitted over two halves of the stories: the direction model that judges a story's
    pairs was fitted on pairs of the other half only, so no tested story was seen.
    """
    stories: dict[str, list[dict]] = {}
    for record in wmt_news():
        stories.setdefault(f"{record['dataset']}:{record['doc_id']}", []).append(record)
    rng = random.Random(5)
    tested: dict[int, list] = {0: [], 1: []}
    training: dict[int, list] = {0: [], 1: []}
    for story, records in sorted(stories.items()):
        human = [r for r in records if r["kind"] == "human_translation"]
        machine = [r for r in records if r["kind"] == "machine_translation"]
        if not human or not machine:
            continue
        half = zlib.crc32(story.encode()) % 2
        training[half].append((human[0]["text"], rng.choice(machine)["text"]))
        if len(human[0]["text"].split()) >= MIN_WORDS:
            tested[half].extend((human[0]["text"], m["text"]) for m in rng.sample(machine, min(SYSTEMS_PER_STORY, len(machine))))
    judged = []
    for half in (0, 1):
        sample = rng.sample(training[1 - half], min(TRAINING_PAIRS, len(training[1 - half])))
        differences = [copies.compare_documents(h, m).sentence_differences() for h, m in sample]
        differences = [d for d in differences if len(d)]
        direction = copies.DirectionModel.fit(differences)
        judged.extend((human, machine, direction) for human, machine in tested[half])
    return judged


def test_wmt_machine_translation_reads_as_the_machine_side(wmt_pairs):
    pairs = wmt_pairs
    assert len(pairs) >= 200
    grouped = right = 0
    for human, machine, direction in pairs:
        comparison = copies.compare_documents(human, machine)
        grouped += comparison.kind is not None
        right += comparison.kind == "rewrite" and direction.log_odds(comparison.sentence_differences()) > 0
    print(f"\nWMT news pairs ({MIN_WORDS}+ words): grouped {grouped}/{len(pairs)}, machine side read as the machine's {right}/{len(pairs)} = {right / len(pairs):.1%}")
    assert grouped / len(pairs) >= 0.97
    # The figures of record are scripts/fit_direction.py's, with whole languages and years held out;
    # this sample of ~500 pairs from ~100 stories, fitted on 250 pairs of the other half, measured 91.7 %.
    assert right / len(pairs) >= MIN_DIRECTION_RIGHT


def test_wmt_pairs_are_grouped_in_one_index(wmt_pairs):
    """One human and one machine translation per story, all stories in one index."""
    direction = wmt_pairs[0][2]  # fitted on one half: the figures of the other half are the clean ones
    index = copies.StoryIndex(direction=direction)
    seen = set()
    for number, (human, machine, _) in enumerate(wmt_pairs):
        if human not in seen:
            seen.add(human)
            index.add(f"h{number}", human)
            index.add(f"m{number}", machine)
    report = index.finish()
    numbers = [key[1:] for key in report.documents if key.startswith("h")]
    together = sum(
        report.documents[f"h{n}"]["group"] is not None and report.documents[f"h{n}"]["group"] == report.documents[f"m{n}"]["group"]
        for n in numbers
    )
    print(f"\nWMT news stories in one index: HT and MT grouped together {together}/{len(numbers)}")
    assert together / len(numbers) >= 0.95
    assert all(len(group["members"]) <= 4 for group in report.groups), "stories that should stay apart were merged"


def test_two_human_translations_of_one_document_stay_human():
    """Two people's versions of one text: a rewrite, but no evidence that either is a machine's."""
    versions: dict[str, list[str]] = {}
    for record in wmt_news():
        if record["kind"] == "human_translation":
            versions.setdefault(f"{record['dataset']}:{record['doc_id']}", []).append(record["text"])
    pairs = [texts[:2] for _, texts in sorted(versions.items()) if len(texts) >= 2][:80]
    direction = copies.bundled_direction_model()
    called = sum(copies.decide(copies.compare_documents(a, b), direction=direction).relation == "machine_rewritten" for a, b in pairs)
    print(f"\nhuman translation pairs called machine-rewritten: {called}/{len(pairs)}")
    # scripts/eval_copies.py measures 9 % with whole languages held out; today's code called 93 %.
    assert called / len(pairs) <= MAX_HUMAN_PAIRS_CALLED

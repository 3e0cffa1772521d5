"""Publication dates in the copies decision: a copy stated to be published before its
supposed original needs much stronger text evidence, and the reasons say when the dates
decided (issue 10)."""

from pathlib import Path

from mtdetect import copies
from mtdetect.copies.tunables import EARLIER_COPY_LOG_ODDS

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ORIGINAL = (SEEDS / "000_11376f5bce64fdf5.txt").read_text(encoding="utf-8")
COPY = (SEEDS / "001_eefadc6c23d78545.txt").read_text(encoding="utf-8")


def _weak_pair():
    """A small round trip with one drifted name, judged without the wording model: weak evidence."""
    from test_copies import ROUND_TRIP, STORY

    comparison = copies.compare_documents(STORY, ROUND_TRIP)
    return comparison, dict(score_a=0.2, score_b=0.97, threshold=0.9, direction=None)


def test_without_dates_the_detector_calls_the_copy():
    comparison, scores = _weak_pair()
    verdict = copies.decide(comparison, **scores)
    assert verdict.relation == "machine_rewritten" and verdict.copy == "b"
    assert verdict.metadata_reasons == ()
    assert abs(verdict.log_odds) < 2.0 + EARLIER_COPY_LOG_ODDS  # weak enough for the dates to matter


def test_a_copy_dated_before_its_original_needs_stronger_evidence():
    comparison, scores = _weak_pair()
    verdict = copies.decide(comparison, **scores, published=("2023-06-19T10:00:00Z", "2023-06-18"))
    assert verdict.relation == "independent"
    [said] = verdict.metadata_reasons
    assert said.startswith("the copy states it was published 2023-06-18, before its supposed original (2023-06-19)")
    assert "metadata decided" in said and said in verdict.reasons


def test_dates_in_the_expected_order_change_nothing():
    comparison, scores = _weak_pair()
    verdict = copies.decide(comparison, **scores, published=("2023-06-18", "2023-06-19"))
    assert verdict.relation == "machine_rewritten" and verdict.metadata_reasons == ()


def test_unreadable_dates_are_ignored():
    comparison, scores = _weak_pair()
    verdict = copies.decide(comparison, **scores, published=("June 19", None))
    assert verdict.relation == "machine_rewritten"


def test_dates_decide_which_verbatim_twin_is_the_copy():
    comparison = copies.compare_documents(ORIGINAL, ORIGINAL)
    assert copies.decide(comparison).copy == "b"  # without dates: the one seen later
    verdict = copies.decide(comparison, published=("2023-06-20", "2023-06-18"))
    assert verdict.relation == "verbatim" and verdict.copy == "a"
    assert verdict.metadata_reasons and verdict.metadata_reasons[0].startswith("metadata decided which is the copy")


def test_scan_rows_carry_the_metadata_reasons(tmp_path):
    import json

    from click.testing import CliRunner

    from mtdetect.cli import main

    dump = tmp_path / "dated.jsonl"
    rows = [{"id": "orig", "date_publish": "2023-06-19 10:00:00", "text": ORIGINAL}, {"id": "copy", "date_publish": "2023-06-18 08:00:00", "text": COPY}]
    dump.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["scan", str(dump), "--output", str(out), "-q"])
    assert result.exit_code in (0, 1), result.stderr
    copy = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()][1]
    # The seed copy's wording evidence is strong: the dates are weighed, said, and overruled.
    assert copy["relation"] == "machine_rewritten" and copy["copy_of"] == "orig"
    assert "before its supposed original (2023-06-19); the text evidence is strong enough all the same" in copy["copy_reasons"][0]

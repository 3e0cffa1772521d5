"""`mtdetect scan` with the copies pass: story groups and copy links in the rows."""

import json
import shutil

from click.testing import CliRunner

from mtdetect import copies
from mtdetect.cli import main


def _scan(tmp_path, source):
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["scan", str(source), "--output", str(out), "-q"])
    assert result.exit_code in (0, 1), result.output + result.stderr
    rows = {r["id"].rsplit("/", 1)[-1]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    summary = json.loads((tmp_path / "out.summary.json").read_text(encoding="utf-8"))
    return rows, summary


def test_seeds_round_trip_copy_is_linked_to_its_original(tmp_path, seeds_dir):
    articles = tmp_path / "articles"
    articles.mkdir()
    for path in seeds_dir.glob("*.txt"):
        shutil.copy(path, articles / path.name)
    rows, summary = _scan(tmp_path, articles)
    copy = rows["001_eefadc6c23d78545.txt"]
    assert copy["relation"] == "machine_rewritten"
    assert copy["copy_of"].endswith("000_11376f5bce64fdf5.txt")
    features = {e["feature"] for e in copy["copy_evidence"]}
    assert {"reworded_quote", "respelled_name"} <= features
    text = (seeds_dir / "001_eefadc6c23d78545.txt").read_text(encoding="utf-8")
    original = (seeds_dir / "000_11376f5bce64fdf5.txt").read_text(encoding="utf-8")
    for item in copy["copy_evidence"]:
        assert 0 <= item["start"] < item["end"] <= len(text)
        if item.get("original_start") is not None:
            assert 0 <= item["original_start"] < item["original_end"] <= len(original)
    others = [r for name, r in rows.items() if name != "001_eefadc6c23d78545.txt"]
    assert all(r["relation"] != "machine_rewritten" for r in others)
    assert rows["000_11376f5bce64fdf5.txt"]["story_group"] == copy["story_group"]
    assert summary["copies"]["stats"]["groups"] >= 1
    assert any(g["machine_rewritten"] == 1 for g in summary["copies"]["groups"])


def test_no_copies_flag_leaves_rows_plain(tmp_path, seeds_dir):
    out = tmp_path / "plain.jsonl"
    result = CliRunner().invoke(main, ["scan", str(seeds_dir / "000_11376f5bce64fdf5.txt"), "--output", str(out), "--no-copies", "-q"])
    assert result.exit_code == 0, result.stderr
    row = json.loads(out.read_text(encoding="utf-8"))
    assert "relation" not in row and "copy_of" not in row
    assert "copies" not in json.loads((tmp_path / "plain.summary.json").read_text(encoding="utf-8"))


def test_copies_pass_shows_progress_when_asked(tmp_path, seeds_dir, capsys):
    """The CLI turns it on for a terminal; here it is turned on by hand and read from stderr."""
    from mtdetect.model import load
    from mtdetect.scan import ScanOptions, scan
    from mtdetect.scan.stories import StoryHook

    detector = load()
    hook = StoryHook(detector.threshold)
    hook.progress = True
    inputs = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    scan(inputs, ScanOptions(output=str(tmp_path / "out.jsonl")), detector=detector, hooks=[hook])
    assert "copies" in capsys.readouterr().err


def test_copies_false_alarm_level_is_one_of_the_measured(tmp_path, seeds_dir):
    articles = tmp_path / "articles"
    articles.mkdir()
    for path in seeds_dir.glob("*.txt"):
        shutil.copy(path, articles / path.name)
    out = tmp_path / "out.jsonl"
    refused = CliRunner().invoke(main, ["scan", str(articles), "--output", str(out), "-q", "--copies-false-alarms", "7"])
    assert refused.exit_code == 2 and "--copies-false-alarms" in refused.stderr and not out.exists()
    result = CliRunner().invoke(main, ["scan", str(articles), "--output", str(out), "--copies-false-alarms", "20"])
    assert result.exit_code in (0, 1), result.stderr
    assert "a level 20 % of pairs of human translations reach" in result.stderr  # the summary on stderr says which level
    rows = {r["id"].rsplit("/", 1)[-1]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert rows["001_eefadc6c23d78545.txt"]["relation"] == "machine_rewritten"
    summary = json.loads((tmp_path / "out.summary.json").read_text(encoding="utf-8"))["copies"]
    assert summary["human_pair_rate"] == 0.2 and summary["machine_log_odds"] < copies.bundled_direction_model().machine_log_odds


def test_an_interrupted_copies_pass_resumed_at_another_level_decides_its_pairs_again(tmp_path):
    from types import SimpleNamespace

    from mtdetect.scan.copies_tasks import _plan, _start
    from mtdetect.scan.stories import StoryHook

    context = SimpleNamespace(notes=[(0, 0, "part", 10)], hook=0, folder=tmp_path)
    decided = tmp_path / "d000000.jsonl"  # a batch of pairs the interrupted pass had decided
    _start(context, _plan(context, StoryHook(0.5, 0.05)))
    decided.write_text("null\n", encoding="utf-8")
    _start(context, _plan(context, StoryHook(0.5, 0.05)))
    assert decided.exists()
    _start(context, _plan(context, StoryHook(0.5, 0.2)))
    assert not decided.exists()


def test_a_verbatim_twin_of_a_machine_copy_is_a_machine_copy_of_the_same_original(tmp_path, seeds_dir):
    """Two content farms ran one story through one MT system: both copies link to the original."""
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(seeds_dir / "000_11376f5bce64fdf5.txt", articles / "original.txt")
    shutil.copy(seeds_dir / "001_eefadc6c23d78545.txt", articles / "farm_a.txt")
    copied = (seeds_dir / "001_eefadc6c23d78545.txt").read_text(encoding="utf-8")
    (articles / "farm_b.txt").write_text("Reposted from our partners\n\n" + copied, encoding="utf-8")
    rows, _ = _scan(tmp_path, articles)
    for farm in ("farm_a.txt", "farm_b.txt"):
        assert rows[farm]["relation"] == "machine_rewritten" and rows[farm]["copy_of"].endswith("original.txt") and rows[farm]["flagged"]
    farm_b = rows["farm_b.txt"]
    assert {e["feature"] for e in farm_b["copy_evidence"]} >= {"reworded_quote", "respelled_name"}  # its own pair's evidence
    assert any("farm_a.txt" in reason and "machine-rewritten copy of" in reason and "original.txt" in reason for reason in farm_b["copy_reasons"])
    assert rows["original.txt"]["relation"] == "original"


def test_reasons_name_documents_by_their_own_ids_when_the_index_keys_are_the_callers(seeds_dir):
    """The scan's in-process copies pass keys documents by row ("0/4/2"); a reason must show the id."""
    original = (seeds_dir / "000_11376f5bce64fdf5.txt").read_text(encoding="utf-8")
    copied = (seeds_dir / "001_eefadc6c23d78545.txt").read_text(encoding="utf-8")
    ids = {"0/0/0": "original.txt", "0/0/1": "farm_a.txt", "0/0/2": "farm_b.txt"}
    index = copies.StoryIndex(direction="bundled")
    for key, text in zip(ids, (original, copied, "Reposted from our partners\n\n" + copied)):
        index.add(key, text)
    documents = index.finish(label=ids.__getitem__).documents
    reasons = [reason for result in documents.values() for reason in result.get("copy_reasons", [])]
    assert any("machine-rewritten copy of" in reason for reason in reasons)
    assert not any("0/0/" in reason for reason in reasons)
    assert any("farm_a.txt" in reason and "original.txt" in reason for reason in reasons)

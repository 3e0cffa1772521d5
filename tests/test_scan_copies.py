"""`mtdetect scan` with the copies pass: story groups and copy links in the rows."""

import json
import shutil

from click.testing import CliRunner

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

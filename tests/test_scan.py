"""`mtdetect scan`: rows and errors, every record exactly once, resuming, engines, formats."""

from __future__ import annotations

import csv
import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtdetect.cli import main
from mtdetect.scan import ScanOptions, _in_order, scan
from mtdetect.scan.readers import Fields, Shard, chunks, decode_line, text_hash
from mtdetect.text import Document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


# --- building test dumps ------------------------------------------------------------


def seed_paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted(SEEDS.glob("*.txt")):
        doc = Document(path.read_text(encoding="utf-8"))
        paragraphs.extend(doc.text[p.start : p.end] for p in doc.paragraphs)
    return paragraphs


def article(number: int, paragraphs: list[str]) -> str:
    """A distinct article of 4 to 8 seed paragraphs."""
    size = 4 + number % 5
    start = (number * 7) % len(paragraphs)
    return "\n\n".join(paragraphs[(start + k) % len(paragraphs)] for k in range(size)) + f"\n\nStory number {number}."


def write_dump(path: Path, count: int, first: int = 0) -> list[str]:
    paragraphs = seed_paragraphs()
    ids = []
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as handle:
        for number in range(first, first + count):
            ids.append(f"doc-{number}")
            handle.write(json.dumps({"id": ids[-1], "url": f"https://news.example/{number}", "title": f"Title {number}", "text": article(number, paragraphs)}) + "\n")
    return ids


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_scan(args: list[str], model_args: list[str], input: str | None = None):
    return CliRunner().invoke(main, ["scan", *args, "-q", *model_args], input=input, catch_exceptions=False)


# --- rows, metadata and the summary -------------------------------------------------


def test_scan_jsonl_rows_match_score_and_keep_metadata(tmp_path, model_args, detector):
    dump = tmp_path / "in.jsonl"
    ids = write_dump(dump, 12)
    # The copies pass may raise scores with cross-copy evidence (tests/test_scan_copies.py); off here.
    result = run_scan([str(dump), "--output", str(tmp_path / "out.jsonl"), "--no-copies"], model_args)
    rows = read_jsonl(tmp_path / "out.jsonl")
    assert [row["id"] for row in rows] == ids
    assert result.exit_code == (1 if any(row["flagged"] for row in rows) else 0)
    inputs = read_jsonl(dump)
    for record, row in zip(inputs, rows):  # batched scoring gives what scoring one text gives
        expected = detector.score_text(record["text"], record["id"])
        assert row["paragraphs"] == expected["paragraphs"]
        assert (row["score"], row["flagged"], row["model"]) == (expected["score"], expected["flagged"], detector.signature)
        assert row["url"] == record["url"] and row["title"] == record["title"] and "text" not in row

    summary = json.loads((tmp_path / "out.summary.json").read_text(encoding="utf-8"))
    assert summary["documents"] == 12 and summary["errors"] == 0 and summary["records"] == 12
    assert summary["flagged"] == sum(row["flagged"] for row in rows)
    assert summary["model"] == detector.signature
    assert summary["mb_per_second"] > 0 and summary["wall_seconds"] > 0
    assert (tmp_path / "out.errors.jsonl").read_text() == ""
    assert not (tmp_path / "out.parts").exists()


def test_bad_record_corpus_every_record_once(tmp_path, model_args):
    good = "The minister met Mr. Lee in Beijing on Monday.\n\nThey talked for two hours about trade."
    lines = [
        json.dumps({"id": "ok-1", "text": good}).encode(),
        b'{"id": "broken", "text": "no closing brace"',
        json.dumps({"id": "no-text", "body": good}).encode(),
        json.dumps({"url": "https://x/null", "maintext": None}).encode(),
        json.dumps({"id": "number", "text": 42}).encode(),
        b'{"id": "latin1", "text": "caf\xe9 au lait"}',
        json.dumps({"id": "empty", "text": "  \n "}).encode(),
        b"",  # a blank line is not a record
        json.dumps(["a", "list"]).encode(),
        b'{"id": "surrogate", "text": "half a pair \\ud800 here"}',
        json.dumps({"url": "https://x/main", "maintext": good}).encode(),  # news-please
        json.dumps({"text": good + " Again."}).encode(),  # no id: a hash of the text
    ]
    dump = tmp_path / "bad.jsonl"
    dump.write_bytes(b"\n".join(lines) + b"\n")
    result = run_scan([str(dump), "--output", str(tmp_path / "out.jsonl"), "--chunk-size", "4"], model_args)
    assert result.exit_code == 2, result.output  # records failed: 2, with the flagged count still said
    assert "flagged" in result.stderr and "could not be scored" in result.stderr
    rows = read_jsonl(tmp_path / "out.jsonl")
    errors = read_jsonl(tmp_path / "out.errors.jsonl")
    assert [row["id"] for row in rows] == ["ok-1", "https://x/main", text_hash(good + " Again.")]
    assert rows[1]["url"] == "https://x/main" and "maintext" not in rows[1]
    reasons = {error["line"]: error for error in errors}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 9, 10]
    assert "malformed JSON" in reasons[2]["reason"] and reasons[2]["id"] is None
    assert "no text field" in reasons[3]["reason"] and reasons[3]["id"] == "no-text"
    assert "'maintext' is null" in reasons[4]["reason"] and reasons[4]["id"] == "https://x/null"
    assert "not a string" in reasons[5]["reason"]
    assert "not valid UTF-8" in reasons[6]["reason"]
    assert "empty text" in reasons[7]["reason"]
    assert "not an object" in reasons[9]["reason"]
    assert "surrogate" in reasons[10]["reason"]
    assert all(error["source"] == str(dump) for error in errors)
    summary = json.loads((tmp_path / "out.summary.json").read_text())
    assert (summary["documents"], summary["errors"], summary["records"]) == (3, 8, 11)


def test_every_record_failing_is_a_usage_error(tmp_path, model_args):
    dump = tmp_path / "in.jsonl"
    dump.write_text(json.dumps({"id": "a", "body": "Some text."}) + "\n", encoding="utf-8")
    result = run_scan([str(dump), "--output", str(tmp_path / "out.jsonl")], model_args)
    assert result.exit_code == 2
    assert "no record could be scored" in result.output and "--text-field" in result.output
    fixed = run_scan([str(dump), "--output", str(tmp_path / "fixed.jsonl"), "--text-field", "body", "--id-field", "id"], model_args)
    assert fixed.exit_code in (0, 1)
    assert read_jsonl(tmp_path / "fixed.jsonl")[0]["id"] == "a"


def test_decode_line_ids_and_fields():
    fields = Fields.choose(None, None)
    record = decode_line(json.dumps({"url": "u", "maintext": "Text.", "id": None}).encode(), fields)
    assert record.id == "u" and record.text == "Text."
    assert decode_line(b"   \n", fields) is None
    chosen = Fields.choose("body", "guid")
    record = decode_line(json.dumps({"guid": 7, "body": "Body text.", "text": "not this"}).encode(), chosen)
    assert record.id == 7 and record.text == "Body text." and record.meta["text"] == "not this"
    assert decode_line(json.dumps({"body": "Same."}).encode(), chosen).id == text_hash("Same.")


# --- inputs: folders, stdin, gzip ----------------------------------------------------


def test_folder_scan_ids_are_paths_and_folder_output_mirrors_shards(tmp_path, model_args):
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    paragraphs = seed_paragraphs()
    for number in range(3):
        (folder / f"a{number}.txt").write_text(article(number, paragraphs), encoding="utf-8")
    (folder / "sub" / "story.json").write_text(json.dumps({"title": "T", "maintext": article(9, paragraphs)}), encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    ids = write_dump(folder / "sub" / "dump.jsonl.gz", 5)
    (folder / "notes.md").write_text("not an input", encoding="utf-8")

    result = run_scan([str(folder), "--output", str(tmp_path / "all.jsonl")], model_args)
    assert result.exit_code == 2, result.output  # the empty file is an error
    rows = read_jsonl(tmp_path / "all.jsonl")
    assert {row["id"] for row in rows} == {str(folder / f"a{n}.txt") for n in range(3)} | {str(folder / "sub" / "story.json")} | set(ids)
    errors = read_jsonl(tmp_path / "all.errors.jsonl")
    assert [(e["source"], e["line"], e["reason"]) for e in errors] == [(str(folder / "empty.txt"), None, "empty text")]
    assert json.loads((tmp_path / "all.summary.json").read_text())["ignored_files"] == 1

    result = run_scan([str(folder), "--output", str(tmp_path / "out") + "/"], model_args)
    assert result.exit_code == 2
    made = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*.jsonl"))
    assert made == ["articles.jsonl", "sub.jsonl", "sub/dump.jsonl"]
    assert [row["id"] for row in read_jsonl(tmp_path / "out" / "sub" / "dump.jsonl")] == ids
    assert (tmp_path / "out.errors.jsonl").exists() and (tmp_path / "out.summary.json").exists()


def test_stdin(tmp_path, model_args):
    dump = tmp_path / "in.jsonl"
    ids = write_dump(dump, 4)
    result = run_scan(["-", "--output", str(tmp_path / "out.jsonl")], model_args, input=dump.read_text(encoding="utf-8"))
    assert result.exit_code in (0, 1), result.output
    assert [row["id"] for row in read_jsonl(tmp_path / "out.jsonl")] == ids


def test_truncated_gzip_keeps_what_was_read_and_reports_the_rest(tmp_path, model_args):
    whole = tmp_path / "whole.jsonl.gz"
    write_dump(whole, 40)
    data = whole.read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) * 2 // 3])
    result = run_scan([str(cut), "--output", str(tmp_path / "out.jsonl")], model_args)
    assert result.exit_code == 2, result.output
    rows = read_jsonl(tmp_path / "out.jsonl")
    errors = read_jsonl(tmp_path / "out.errors.jsonl")
    assert 0 < len(rows) < 40
    assert len(errors) == 1 and "truncated" in errors[0]["reason"] and errors[0]["line"] == len(rows) + 1


def test_chunks_are_cut_the_same_way_every_time(tmp_path):
    dump = tmp_path / "in.jsonl"
    dump.write_text("".join(f'{{"text": "line {n}"}}\n' for n in range(25)) + "\n", encoding="utf-8")
    shard = Shard("lines", str(dump), "in", path=str(dump))
    cuts = [[(c.index, c.first_line, len(c.items)) for c in chunks(shard, 0, 10, 1 << 20)] for _ in range(2)]
    assert cuts[0] == cuts[1] == [(0, 1, 10), (1, 11, 10), (2, 21, 6)]


# --- output formats -----------------------------------------------------------------


def test_csv_and_parquet(tmp_path, model_args):
    dump = tmp_path / "in.jsonl"
    ids = write_dump(dump, 6)
    run_scan([str(dump), "--output", str(tmp_path / "out.jsonl")], model_args)
    jsonl_rows = read_jsonl(tmp_path / "out.jsonl")
    run_scan([str(dump), "--output", str(tmp_path / "out.csv")], model_args)
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert [row["id"] for row in table] == ids
    assert table[0]["url"] == jsonl_rows[0]["url"]
    assert json.loads(table[0]["metadata"]) == {"title": jsonl_rows[0]["title"]}
    assert [int(row["paragraphs"]) for row in table] == [len(row["paragraphs"]) for row in jsonl_rows]
    pq = pytest.importorskip("pyarrow.parquet")
    run_scan([str(dump), "--output", str(tmp_path / "out.parquet")], model_args)
    parquet = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [row["id"] for row in parquet] == ids
    assert parquet[0]["paragraphs"] == _with_nulls(jsonl_rows[0]["paragraphs"], parquet[0]["paragraphs"])
    assert parquet[0]["reasons"] == _with_nulls(jsonl_rows[0]["reasons"], parquet[0]["reasons"])
    assert [row["score"] for row in parquet] == [row["score"] for row in jsonl_rows]


def _with_nulls(value, like):
    """`value` with the keys a Parquet struct adds as null (a field only some reasons have)."""
    if isinstance(value, list):
        return [_with_nulls(v, l) for v, l in zip(value, like)]
    if isinstance(value, dict):
        return {key: _with_nulls(value.get(key), like[key]) for key in like}
    return value


# --- nothing lost, nothing twice ----------------------------------------------------


def test_kill_minus_nine_and_rerun_gives_every_record_once(tmp_path, tiny_model_path, model_args):
    dump = tmp_path / "in.jsonl"
    ids = write_dump(dump, 600)
    with open(dump, "a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    output = tmp_path / "out.jsonl"
    parts = tmp_path / "out.parts"
    command = [str(dump), "--output", str(output), "--chunk-size", "10"]
    child = subprocess.Popen(
        [sys.executable, "-c", "from mtdetect.cli import main; main()", "scan", *command, "-q", *model_args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if len(list(parts.glob("*.done.json"))) >= 3:
            break
        time.sleep(0.01)
    assert child.poll() is None, "the scan finished before it could be killed; make the dump bigger"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    committed = len(list(parts.glob("*.done.json")))
    assert 3 <= committed < 61 and not output.exists()

    result = run_scan(command, model_args)
    assert result.exit_code == 2  # the broken last line is an error
    rows = read_jsonl(output)
    assert [row["id"] for row in rows] == ids  # each once, in input order
    errors = read_jsonl(tmp_path / "out.errors.jsonl")
    assert [(e["line"], e["id"]) for e in errors] == [(601, None)]
    summary = json.loads((tmp_path / "out.summary.json").read_text())
    assert summary["this_run"]["resumed_chunks"] >= committed
    assert summary["documents"] == 600 and summary["errors"] == 1
    assert not parts.exists()
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name or ".trash-" in p.name]


def test_rerun_of_finished_scan_overwrite_and_changed_options(tmp_path, model_args):
    dump = tmp_path / "in.jsonl"
    write_dump(dump, 5)
    args = [str(dump), "--output", str(tmp_path / "out.jsonl")]
    first = run_scan(args, model_args)
    before = (tmp_path / "out.jsonl").read_bytes()
    again = CliRunner().invoke(main, ["scan", *args, *model_args])
    assert again.exit_code == first.exit_code and "already complete" in again.output
    assert (tmp_path / "out.jsonl").read_bytes() == before
    other = run_scan(args + ["--text-field", "title"], model_args)
    assert other.exit_code == 2 and "--overwrite" in other.output
    replaced = run_scan(args + ["--text-field", "title", "--overwrite"], model_args)
    assert replaced.exit_code in (0, 1)
    assert all(row["paragraphs"][0]["end"] < 12 for row in read_jsonl(tmp_path / "out.jsonl"))


def test_interrupted_scan_with_other_options_is_refused(tmp_path, tiny_model_path, detector):
    dump = tmp_path / "in.jsonl"
    write_dump(dump, 30)
    options = ScanOptions(output=str(tmp_path / "out.jsonl"), chunk_records=5, model_path=str(tiny_model_path), trust_model=True)

    class Stop(Exception):
        pass

    def stop_after_two(*args, **kwargs):
        calls.append(1)
        if len(calls) > 2:
            raise Stop
        return real_commit(*args, **kwargs)

    from mtdetect.scan.writers import PartStore

    calls: list[int] = []
    real_commit = PartStore.commit
    PartStore.commit = stop_after_two
    try:
        with pytest.raises(Stop):
            scan([str(dump)], options, detector=detector)
    finally:
        PartStore.commit = real_commit
    changed = ScanOptions(**{**options.__dict__, "chunk_records": 7})
    with pytest.raises(Exception, match="interrupted scan"):
        scan([str(dump)], changed, detector=detector)
    summary = scan([str(dump)], options, detector=detector)
    assert summary["this_run"]["resumed_chunks"] == 2 and summary["documents"] == 30


def test_shards_split_the_work_without_overlap(tmp_path, model_args):
    dump = tmp_path / "in.jsonl"
    ids = write_dump(dump, 23)
    seen = []
    for part in ("1/3", "2/3", "3/3"):
        result = run_scan([str(dump), "--output", str(tmp_path / f"out-{part[0]}.jsonl"), "--shard", part, "--chunk-size", "4"], model_args)
        assert result.exit_code in (0, 1)
        got = [row["id"] for row in read_jsonl(tmp_path / f"out-{part[0]}.jsonl")]
        assert got  # each machine gets a share
        seen.extend(got)
    assert sorted(seen) == sorted(ids)
    bad = run_scan([str(dump), "--output", str(tmp_path / "x.jsonl"), "--shard", "4/3"], model_args)
    assert bad.exit_code == 2


def test_in_flight_chunks_are_bounded():
    """Memory stays flat: the reader never runs more than `window` chunks ahead of the writer."""

    class Recording:
        def __init__(self):
            self.outstanding = 0
            self.peak = 0

        def submit(self, item):
            self.outstanding += 1
            self.peak = max(self.peak, self.outstanding)
            engine = self

            class Future:
                def result(self):
                    engine.outstanding -= 1
                    return item

            return Future()

    engine = Recording()
    consumed = []

    def work():
        for number in range(1000):
            consumed.append(number)
            yield number

    results = _in_order(engine, work(), window=5)
    assert [next(results) for _ in range(3)] == [0, 1, 2]
    assert len(consumed) <= 8  # lazily read, not the whole input
    assert list(results) == list(range(3, 1000)) and engine.peak <= 5


# --- engines ------------------------------------------------------------------------


def test_two_local_jobs_and_a_dask_local_cluster_give_the_same_rows(tmp_path, model_args):
    pytest.importorskip("distributed")
    dump = tmp_path / "in.jsonl"
    write_dump(dump, 40)
    outputs = {}
    for name, extra in (("serial", []), ("jobs", ["-j", "2"]), ("dask", ["--engine", "dask", "-j", "2"])):
        result = run_scan([str(dump), "--output", str(tmp_path / f"{name}.jsonl"), "--chunk-size", "5", *extra], model_args)
        assert result.exit_code in (0, 1), result.output
        outputs[name] = (tmp_path / f"{name}.jsonl").read_bytes()
        summary = json.loads((tmp_path / f"{name}.summary.json").read_text())
        assert summary["documents"] == 40
        if name != "serial":
            assert summary["workers"] == 2 and summary["engine"] == ("dask" if name == "dask" else "local")
    assert outputs["jobs"] == outputs["serial"] == outputs["dask"]


def test_forked_workers_start_with_the_model_already_loaded(tmp_path, tiny_model_path):
    """On Linux the local workers are forked from the scan, which has loaded the model: they
    do not load it again (here they could not: the file is gone once the scan has it)."""
    import shutil

    from mtdetect.model import card_path, load
    from mtdetect.scan import engines

    if not engines._can_fork():
        pytest.skip("workers are forked on Linux only")
    model_file = tmp_path / "model.joblib"
    shutil.copy(tiny_model_path, model_file)
    shutil.copy(card_path(tiny_model_path), card_path(model_file))
    detector = load(model_file, trust=True)
    model_file.unlink()
    card_path(model_file).unlink()
    dump = tmp_path / "in.jsonl"
    write_dump(dump, 12)
    options = ScanOptions(output=str(tmp_path / "out.jsonl"), jobs=2, chunk_records=3, model_path=str(model_file), trust_model=True)
    summary = scan([str(dump)], options, detector=detector, hooks=[])
    assert summary["documents"] == 12 and summary["errors"] == 0 and summary["workers"] == 2


def test_missing_dask_gives_a_clear_message(tmp_path, model_args, monkeypatch):
    dump = tmp_path / "in.jsonl"
    write_dump(dump, 2)
    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.delitem(sys.modules, "mtdetect.scan.cluster", raising=False)
    result = run_scan([str(dump), "--output", str(tmp_path / "out.jsonl"), "--engine", "dask"], model_args)
    assert result.exit_code == 2
    assert "pip install 'mtdetect[dask]'" in result.output and "Traceback" not in result.output


# --- the post-pass hook (for copy linking) ------------------------------------------


class SameTitleHook:
    """Links rows whose input title was seen before: a stand-in for copy detection."""

    name = "same_title"
    fields = ("copy_of", "relation")

    def observe(self, id, text, row):
        return {"id": id, "title": row.get("title"), "length": len(text)}

    def finalize(self, notes, fetch):
        first_by_title, added, lengths = {}, {}, {}
        for key, note in notes:
            lengths[key] = note["length"]
            if note["title"] in first_by_title:
                added[key] = {"copy_of": first_by_title[note["title"]], "relation": "same title"}
            else:
                first_by_title[note["title"]] = note["id"]
        texts = dict(fetch(added))  # the texts are read again from the input, not kept
        assert {key: len(text) for key, text in texts.items()} == {key: lengths[key] for key in added}
        return added


def test_hook_adds_fields_after_the_scan(tmp_path, tiny_model_path, detector):
    dump = tmp_path / "in.jsonl"
    paragraphs = seed_paragraphs()
    with open(dump, "w", encoding="utf-8") as handle:
        for number in range(9):
            handle.write(json.dumps({"id": f"d{number}", "title": f"T{number % 3}", "text": article(number, paragraphs)}) + "\n")
            if number == 4:
                handle.write("{broken\n")  # positions in a chunk are not row numbers
    for fmt in ("jsonl", "csv"):
        options = ScanOptions(output=str(tmp_path / f"out.{fmt}"), chunk_records=2, model_path=str(tiny_model_path), trust_model=True)
        scan([str(dump)], options, detector=detector, hooks=[SameTitleHook()])
    rows = read_jsonl(tmp_path / "out.jsonl")
    assert [row.get("copy_of") for row in rows] == [None, None, None, "d0", "d1", "d2", "d0", "d1", "d2"]
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert [row["copy_of"] for row in table][3:] == ["d0", "d1", "d2", "d0", "d1", "d2"]
    assert table[4]["relation"] == "same title"

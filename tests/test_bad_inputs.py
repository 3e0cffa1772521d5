"""The bad-input corpus (issue 12): poison records, special files, broken outputs, changed inputs.

Every input is generated here in tmp_path (nothing large is committed). For each case
the tests assert the exit code, that no traceback reaches the user, the reason given,
that every good record is in the output exactly once, and that no input file changed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import socket
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_scan import read_jsonl

from mtdetect.cli import main
from mtdetect.report import neutralised
from mtdetect.scan import ScanError, ScanOptions, readers, scan
from mtdetect.scan.writers import ScanLock

GOOD = "The minister met Mr. Lee in Beijing on Monday.\n\nThey talked for two hours about trade and ports."


def good_record(number: int, **fields) -> bytes:
    return json.dumps({"id": f"good-{number}", "text": f"{GOOD}\n\nStory {number}.", **fields}).encode()


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# (what it is, the raw line, a piece of the reason); ids are checked separately.
POISON = [
    ("surrogate in id", b'{"id": "bad\\ud800id", "text": "Some text here."}', "surrogate"),
    ("surrogate in url", b'{"url": "https://x/\\udfff", "text": "Some text here."}', "surrogate"),
    ("surrogate in text", b'{"id": "s-text", "text": "half a pair \\ud800 here"}', "surrogate"),
    ("surrogate in a field name", b'{"id": "s-key", "\\ud800": 1, "text": "Some text."}', "surrogate"),
    ("text nested 1,500 deep", b'{"id": "deep-text", "text": ' + nested(1500).encode() + b"}", "nested"),
    ("metadata nested 1,500 deep", b'{"id": "deep-meta", "text": "Some text.", "m": ' + nested(1500).encode() + b"}", "nested"),
    ("metadata nested 100 deep", b'{"id": "deep-100", "text": "Some text.", "m": ' + nested(100).encode() + b"}", "nested"),
    ("whole line nested 5,000 deep", nested(5000).encode(), "nested"),
    ("NaN", b'{"id": "nan", "text": "Some text.", "x": NaN}', "NaN is not a JSON number"),
    ("1e999", b'{"id": "inf", "text": "Some text.", "x": 1e999}', "too large for JSON"),
    ("malformed", b'{"id": "broken", "text": "no closing brace"', "malformed JSON"),
    ("latin-1", b'{"id": "latin1", "text": "caf\xe9"}', "not valid UTF-8"),
    ("many one-word paragraphs", json.dumps({"id": "lines", "text": "a\n" * 25_000}).encode(), "paragraphs"),
    ("a line of 1.2 million characters", json.dumps({"id": "long", "text": "word " * 240_000}).encode(), "not an article paragraph"),
]


def sha256s(folder: Path) -> dict[str, str]:
    """A hash of every file under folder: inputs must come out of a scan unchanged."""
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def invoke(args: list[str], input=None):
    result = CliRunner().invoke(main, args, input=input)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("mtdetect:")]


class DieOnCrashText:
    """A scan hook that kills its worker process on a record saying CRASH, as an out-of-memory kill would."""

    name = "die"
    fields = ()

    def observe(self, id, text, row):
        if "CRASH" in text:
            os._exit(9)
        return None

    def finalize(self, notes, fetch):
        list(notes)
        return {}


# --- poison records: every one becomes a reason, every good record a row -------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_poison_records_are_reasons_and_good_records_rows(tmp_path, model_args, detector, jobs):
    inputs = tmp_path / "in"
    inputs.mkdir()
    lines = []
    for number, (_, raw, _) in enumerate(POISON):
        lines += [good_record(number), raw]
    expected_ids = [f"good-{n}" for n in range(len(POISON))]
    if jobs == 2:  # and a record that kills its worker process (with -j 1, the scan's own: see below)
        lines += [good_record(len(POISON)), json.dumps({"id": "crash", "text": GOOD + " CRASH"}).encode()]
        expected_ids.append(f"good-{len(POISON)}")
    (inputs / "dump.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    before = sha256s(inputs)
    out = tmp_path / "out.jsonl"
    if jobs == 1:
        result = invoke(["scan", str(inputs / "dump.jsonl"), "-o", str(out), "-q", "-j", "1", "--chunk-size", "5", *model_args])
        assert result.exit_code == 2, result.output  # records failed: exit 2, the flagged still counted on stderr
        assert "could not be scored" in result.stderr
    else:
        import cloudpickle

        cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this test module
        options = ScanOptions(output=str(out), jobs=2, chunk_records=5)
        scan([str(inputs / "dump.jsonl")], options, detector=detector, hooks=[DieOnCrashText()])
    rows, errors = read_jsonl(out), read_jsonl(tmp_path / "out.errors.jsonl")
    assert [row["id"] for row in rows] == expected_ids
    assert [error["line"] for error in errors][: len(POISON)] == [2 * n + 2 for n in range(len(POISON))]
    for (case, _, reason), error in zip(POISON, errors):
        assert reason in error["reason"], (case, error)
        assert "\n" not in error["reason"]
    assert errors[0]["id"] == "bad\\ud800id"  # shown with the escape, writable as UTF-8
    if jobs == 2:
        assert len(errors) == len(POISON) + 1 and errors[-1]["line"] == len(lines)
        assert "worker process died" in errors[-1]["reason"]
    assert sha256s(inputs) == before


def test_an_internal_error_costs_one_record_and_is_reported(tmp_path, detector, monkeypatch):
    dump = tmp_path / "in.jsonl"
    dump.write_bytes(b"\n".join([good_record(1), json.dumps({"id": "boom", "text": GOOD + " BOOM"}).encode(), good_record(2)]) + b"\n")
    real_extract = type(detector).extract

    def extract(self, doc):
        if "BOOM" in doc.text:
            raise KeyError("a feature broke")
        return real_extract(self, doc)

    monkeypatch.setattr(type(detector), "extract", extract)
    summary = scan([str(dump)], ScanOptions(output=str(tmp_path / "out.jsonl")), detector=detector)
    assert (summary["documents"], summary["errors"]) == (2, 1)
    (error,) = read_jsonl(tmp_path / "out.errors.jsonl")
    assert error["id"] == "boom" and "internal error" in error["reason"] and "please report" in error["reason"]


def test_a_record_over_the_time_budget_is_reported(tmp_path, detector, monkeypatch):
    import time

    dump = tmp_path / "in.jsonl"
    dump.write_bytes(b"\n".join([good_record(1), json.dumps({"id": "slow", "text": GOOD + " SLOW"}).encode()]) + b"\n")
    real_extract = type(detector).extract

    def extract(self, doc):
        if "SLOW" in doc.text:
            time.sleep(30)
        return real_extract(self, doc)

    monkeypatch.setattr(type(detector), "extract", extract)
    started = time.perf_counter()
    summary = scan([str(dump)], ScanOptions(output=str(tmp_path / "out.jsonl"), time_budget=0.5), detector=detector)
    assert time.perf_counter() - started < 20
    assert (summary["documents"], summary["errors"]) == (1, 1)
    assert "time budget of 0.5 s" in read_jsonl(tmp_path / "out.errors.jsonl")[0]["reason"]


def test_records_over_the_size_limit_are_reported_unread(tmp_path, model_args):
    dump = tmp_path / "in.jsonl"
    big = json.dumps({"id": "big", "text": "A sentence of news. " * 2_000}).encode()  # 40 kB
    dump.write_bytes(b"\n".join([good_record(1), big, good_record(2)]) + b"\n")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "big.txt").write_text("A sentence of news. " * 2_000)
    (folder / "small.txt").write_text(GOOD)
    out = tmp_path / "out.jsonl"
    result = invoke(["scan", str(dump), str(folder), "-o", str(out), "-q", "--max-record-mb", "0.02", *model_args])
    assert result.exit_code == 2, result.output  # two records failed
    assert sorted(row["id"] for row in read_jsonl(out)) == sorted(["good-1", "good-2", str(folder / "small.txt")])
    errors = read_jsonl(tmp_path / "out.errors.jsonl")
    assert len(errors) == 2 and all("over the 0.02 MB limit" in error["reason"] for error in errors)
    assert errors[0]["line"] == 2


# --- rows cannot be forged; CSV and JSON stay safe ------------------------------------


def test_input_fields_cannot_forge_the_scans_own_fields(tmp_path, model_args):
    forged = {
        "relation": "machine_rewritten",
        "copy_of": "innocent-paper-123",
        "story_group": 7,
        "detector_score": 1.0,
        "score": 0.99,
        "flagged": True,
        "copy_evidence": ["made up"],
        "input_score": "kept too",
    }
    dump = tmp_path / "in.jsonl"
    dump.write_bytes(good_record(1, **forged) + b"\n")
    out = tmp_path / "out.jsonl"
    result = invoke(["scan", str(dump), "-o", str(out), "-q", *model_args])
    assert result.exit_code in (0, 1)
    (row,) = read_jsonl(out)
    for name in ("relation", "copy_of", "story_group", "detector_score", "copy_evidence"):
        assert name not in row and row[f"input_{name}"] == forged[name]
    assert row["input_input_score"] == 0.99 and row["input_score"] == "kept too" and row["input_flagged"] is True


def test_csv_cells_are_neutralised(tmp_path, model_args, monkeypatch):
    assert [neutralised(cell) for cell in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "ok", 0.5, None)] == [
        "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "ok", 0.5, None,
    ]
    dump = tmp_path / "in.jsonl"
    dump.write_bytes(json.dumps({"id": '=HYPERLINK("http://evil","x")', "url": "@evil", "title": "+cmd", "text": GOOD}).encode() + b"\n")
    out = tmp_path / "out.csv"
    assert invoke(["scan", str(dump), "-o", str(out), "-q", *model_args]).exit_code in (0, 1)
    (row,) = list(csv.DictReader(out.open(encoding="utf-8")))
    assert row["id"].startswith("'=") and row["url"] == "'@evil"
    assert all(not value.startswith(("=", "+", "-", "@")) for value in row.values())
    # score's CSV too: a file name is a cell the user did not write
    article = tmp_path / "=cmd.txt"
    article.write_text(GOOD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["score", "--format", "csv", *model_args, article.name])
    assert result.exit_code in (0, 1), result.output
    assert all(row["id"].startswith("'") for row in csv.DictReader(io.StringIO(result.stdout)))


# --- folders and special files ----------------------------------------------------------


def test_folder_with_links_special_files_and_bad_names(tmp_path, model_args):
    folder = tmp_path / "dumps"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.jsonl").write_bytes(good_record(1) + b"\n")
    (folder / "sub" / "b.jsonl").write_bytes(good_record(2) + b"\n")
    os.symlink("sub", folder / "again")  # the same folder twice: followed once
    os.symlink("..", folder / "sub" / "up")  # a loop
    os.symlink("loop.jsonl", folder / "loop.jsonl")  # a link to itself
    os.symlink("nowhere.jsonl", folder / "dangling.jsonl")
    os.mkfifo(folder / "pipe.jsonl")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "sock.jsonl"))
    undecodable = os.fsencode(str(folder)) + b"/bad\xff.jsonl"
    with open(undecodable, "wb") as handle:
        handle.write(good_record(3) + b"\n")
    before = sha256s(folder)
    out = tmp_path / "out.jsonl"
    try:
        result = invoke(["scan", str(folder), "-o", str(out), "-q", "--no-copies", *model_args])
    finally:
        server.close()
    assert result.exit_code in (0, 1), result.output
    assert sorted(row["id"] for row in read_jsonl(out)) == ["good-1", "good-2"]
    said = "\n".join(error_lines(result))
    for name, reason in [
        ("again", "already scanned"),
        ("up", "already scanned"),
        ("loop.jsonl", "loop"),
        ("dangling.jsonl", "dangling"),
        ("pipe.jsonl", "FIFO"),
        ("sock.jsonl", "socket"),
        ("bad\\xff.jsonl", "not valid UTF-8"),
    ]:
        assert any(name in line and reason in line for line in said.splitlines()), (name, said)
    summary = json.loads((tmp_path / "out.summary.json").read_text())
    assert len(summary["skipped"]) == 7
    assert sha256s(folder) == before


def test_an_unreadable_folder_is_reported(tmp_path, model_args, monkeypatch):
    folder = tmp_path / "dumps"
    (folder / "locked").mkdir(parents=True)
    (folder / "a.jsonl").write_bytes(good_record(1) + b"\n")
    (folder / "locked" / "b.jsonl").write_bytes(good_record(2) + b"\n")
    real_scandir = os.scandir

    def scandir(path="."):  # root reads any folder, so the refusal is staged
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = invoke(["scan", str(folder), "-o", str(tmp_path / "out.jsonl"), "-q", "--no-copies", *model_args])
    assert result.exit_code in (0, 1)
    assert any("locked" in line and "cannot read this folder" in line for line in error_lines(result))


def test_special_files_given_to_score_compare_and_scan(tmp_path, model_args):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    article = tmp_path / "a.txt"
    article.write_text(GOOD)
    link = tmp_path / "gone.txt"
    os.symlink("nowhere.txt", link)
    for args, reason in [
        (["score", str(fifo), str(article)], "FIFO"),
        (["score", str(link)], "dangling"),
        (["compare", str(fifo), str(article)], "FIFO"),
        (["scan", str(fifo), "-o", str(tmp_path / "o.jsonl")], "FIFO"),
        (["scan", str(link), "-o", str(tmp_path / "o.jsonl")], "dangling"),
    ]:
        result = invoke([*args, *model_args])
        assert result.exit_code == 2, (args, result.output)
        assert any(reason in line for line in error_lines(result)), (args, result.stderr)


def test_file_names_that_are_not_utf8_through_score_and_compare(tmp_path, model_args):
    named = os.fsencode(str(tmp_path)) + b"/bad\xff.txt"
    with open(named, "wb") as handle:
        handle.write(GOOD.encode())
    name = os.fsdecode(named)
    other = tmp_path / "other.txt"
    other.write_text(GOOD + "\n\nAnd one more line.")
    result = invoke(["score", "--format", "json", name, *model_args])
    assert result.exit_code in (0, 1) and json.loads(result.stdout)[0]["id"].endswith("bad\\xff.txt")
    assert invoke(["compare", name, str(other), *model_args]).exit_code in (0, 1)
    os.mkfifo(os.fsencode(str(tmp_path)) + b"/pipe\xfe.txt")
    result = invoke(["score", os.fsdecode(os.fsencode(str(tmp_path)) + b"/pipe\xfe.txt"), *model_args])
    assert result.exit_code == 2 and "pipe\\xfe.txt: a FIFO" in result.stderr


# --- outputs: locks, full disks, read-only places, files and folders -----------------


def test_a_second_scan_on_one_output_is_refused_and_a_released_lock_does_not_stick(tmp_path, model_args):
    dump = tmp_path / "in.jsonl"
    dump.write_bytes(good_record(1) + b"\n")
    out = tmp_path / "out.jsonl"
    held = ScanLock(tmp_path / "out.parts").acquire()  # as a running scan holds it
    try:
        result = invoke(["scan", str(dump), "-o", str(out), "-q", *model_args])
    finally:
        held.handle.close()  # what the OS does when the holder dies
    assert result.exit_code == 2 and "another scan" in result.output
    assert not out.exists()
    again = invoke(["scan", str(dump), "-o", str(out), "-q", *model_args])
    assert again.exit_code in (0, 1) and [row["id"] for row in read_jsonl(out)] == ["good-1"]
    assert not (tmp_path / "out.parts").exists()


def test_a_full_disk_stops_with_one_line_and_the_rerun_finishes(tmp_path, detector, monkeypatch, model_args):
    import errno

    from mtdetect.scan.writers import PartStore

    dump = tmp_path / "in.jsonl"
    dump.write_bytes(b"\n".join(good_record(n) for n in range(6)) + b"\n")
    out = tmp_path / "out.jsonl"
    real_commit = PartStore.commit
    calls = []

    def commit(self, *args):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(self.folder / "x"))
        return real_commit(self, *args)

    monkeypatch.setattr(PartStore, "commit", commit)
    args = ["scan", str(dump), "-o", str(out), "-q", "--chunk-size", "2", *model_args]
    result = invoke(args)
    assert result.exit_code == 2 and len(error_lines(result)) == 1 and "free some space" in result.output
    assert not out.exists() and not list(tmp_path.glob("*.tmp-*"))
    monkeypatch.setattr(PartStore, "commit", real_commit)
    again = invoke(args)
    assert again.exit_code in (0, 1) and [row["id"] for row in read_jsonl(out)] == [f"good-{n}" for n in range(6)]


@pytest.mark.parametrize(
    "output, reason",
    [("/dev/full", "device"), ("FILE/", "is a file"), ("/sys/mtdetect-test/out.jsonl", "/sys/mtdetect-test")],
)
def test_outputs_that_cannot_be_written_are_one_line(tmp_path, model_args, output, reason):
    dump = tmp_path / "in.jsonl"
    dump.write_bytes(good_record(1) + b"\n")
    (tmp_path / "FILE").write_text("a file, not a folder")
    result = invoke(["scan", str(dump), "-o", output.replace("FILE", str(tmp_path / "FILE")), "-q", *model_args])
    assert result.exit_code == 2 and len(error_lines(result)) == 1 and reason in result.output, result.output


def test_score_to_a_full_device_is_one_line(tmp_path, model_args):
    article = tmp_path / "a.txt"
    article.write_text(GOOD)
    result = invoke(["score", str(article), "-o", "/dev/full", *model_args])
    assert result.exit_code == 2 and error_lines(result) == ["mtdetect: error: /dev/full: cannot write (No space left on device); free some space or choose another -o"]


# --- resume by content ---------------------------------------------------------------


def _interrupt_after(monkeypatch, chunks_done: int):
    from mtdetect.scan.writers import PartStore

    class Stop(Exception):
        pass

    real_commit = PartStore.commit
    calls = []

    def commit(self, *args):
        calls.append(1)
        if len(calls) > chunks_done:
            raise Stop
        return real_commit(self, *args)

    monkeypatch.setattr(PartStore, "commit", commit)
    return Stop, lambda: monkeypatch.setattr(PartStore, "commit", real_commit)


def test_a_same_size_edit_with_its_mtime_restored_is_refused(tmp_path, detector, monkeypatch):
    monkeypatch.setattr(readers, "FINGERPRINT_BYTES", 16)  # the edit is in the middle, past what the fingerprint reads
    dump = tmp_path / "in.jsonl"
    dump.write_bytes(b"\n".join(good_record(n) for n in range(10)) + b"\n")
    options = ScanOptions(output=str(tmp_path / "out.jsonl"), chunk_records=2)
    stop, restore = _interrupt_after(monkeypatch, 3)
    with pytest.raises(stop):
        scan([str(dump)], options, detector=detector)
    restore()
    stat = dump.stat()
    data = dump.read_bytes()
    dump.write_bytes(data.replace(b"Story 3.", b"Story 9."))
    os.utime(dump, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(ScanError, match="changed since the interrupted scan"):
        scan([str(dump)], options, detector=detector)
    summary = scan([str(dump)], ScanOptions(**{**options.__dict__, "overwrite": True}), detector=detector)
    assert summary["documents"] == 10


def test_an_edit_inside_a_file_finished_before_the_interruption_is_refused(tmp_path, detector, monkeypatch):
    monkeypatch.setattr(readers, "FINGERPRINT_BYTES", 16)
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_bytes(b"\n".join(good_record(n) for n in range(4)) + b"\n")
    second.write_bytes(b"\n".join(good_record(n) for n in range(4, 10)) + b"\n")
    options = ScanOptions(output=str(tmp_path / "out.jsonl"), chunk_records=2)
    stop, restore = _interrupt_after(monkeypatch, 3)  # a.jsonl done, b.jsonl begun
    with pytest.raises(stop):
        scan([str(first), str(second)], options, detector=detector)
    restore()
    stat = first.stat()
    first.write_bytes(first.read_bytes().replace(b"Story 1.", b"Story 7."))
    os.utime(first, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(ScanError, match="a.jsonl: changed since the interrupted scan"):
        scan([str(first), str(second)], options, detector=detector)


def test_a_renamed_file_is_not_taken_for_the_old_one(tmp_path, detector, monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    for n in range(6):
        (folder / f"{n}.txt").write_text(f"{GOOD}\n\nStory {n}.")
    options = ScanOptions(output=str(tmp_path / "out.jsonl"), chunk_records=2)
    stop, restore = _interrupt_after(monkeypatch, 1)
    with pytest.raises(stop):
        scan([str(folder)], options, detector=detector)
    restore()
    (folder / "0.txt").rename(folder / "9.txt")
    with pytest.raises(ScanError, match="--overwrite"):
        scan([str(folder)], options, detector=detector)


# --- stdin with the copies pass ------------------------------------------------------------


def test_stdin_with_copies_finishes_and_a_failed_run_does_not_block_the_next(tmp_path, model_args, seeds_dir, monkeypatch):
    lines = "".join(json.dumps({"id": path.name, "text": path.read_text(encoding="utf-8")}) + "\n" for path in sorted(seeds_dir.glob("*.txt")))
    out = tmp_path / "out.jsonl"
    _, restore = _interrupt_after(monkeypatch, 0)
    failed = CliRunner().invoke(main, ["scan", "-", "-o", str(out), "-q", "--chunk-size", "2", *model_args], input=lines)
    assert failed.exit_code == 3 and "internal error: Stop" in failed.output  # a crash, as if killed mid-scan
    restore()
    result = invoke(["scan", "-", "-o", str(out), "-q", "--no-copies", *model_args], input=lines)  # other options, no --overwrite
    assert result.exit_code in (0, 1), result.output
    out.unlink()
    result = invoke(["scan", "-", "-o", str(out), "-q", *model_args], input=lines)
    assert result.exit_code in (0, 1), result.output
    rows = read_jsonl(out)
    assert sorted(row["id"] for row in rows) == sorted(path.name for path in seeds_dir.glob("*.txt"))
    assert any("story_group" in row for row in rows)
    assert not (tmp_path / "out.parts").exists()


# --- options and model files -----------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "NaN", "-0.1", "1.5", "inf", "abc"])
def test_threshold_outside_zero_one_is_refused(tmp_path, model_args, value):
    article = tmp_path / "a.txt"
    article.write_text(GOOD)
    result = invoke(["score", "--threshold", value, str(article), *model_args])
    assert result.exit_code == 2 and "between 0 and 1" in result.output or "not a number" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["score", "--time-budget", "nan", "A"],
        ["scan", "--max-record-mb", "nan", "A", "-o", "OUT"],
        ["scan", "--time-budget", "nan", "A", "-o", "OUT"],
        ["scan", "--max-record-mb", "-1", "A", "-o", "OUT"],
        ["train", "--fpr", "nan", "A", "--out", "OUT"],
    ],
)
def test_numbers_out_of_range_or_nan_are_usage_errors(tmp_path, args):
    article = tmp_path / "a.txt"
    article.write_text(GOOD)
    args = [str(article) if arg == "A" else str(tmp_path / "out.jsonl") if arg == "OUT" else arg for arg in args]
    result = invoke(args)
    assert result.exit_code == 2 and "Invalid value" in result.output


def _damage_card(path: Path, change) -> None:
    from mtdetect import model

    card_file = model.card_path(path)
    card = json.loads(card_file.read_text())
    card_file.write_text(json.dumps(change(card)))


@pytest.mark.parametrize(
    "case",
    ["card is an array", "entry without version", "no features", "features emptied", "weights damaged, hash updated", "weights not a model"],
)
def test_malformed_models_get_the_rebuild_message(tmp_path, tiny_model_path, case):
    import shutil

    import joblib

    from mtdetect import model

    path = tmp_path / "m.joblib"
    shutil.copy(tiny_model_path, path)
    shutil.copy(model.card_path(tiny_model_path), model.card_path(path))
    if case == "card is an array":
        _damage_card(path, lambda card: [card])
    elif case == "entry without version":
        _damage_card(path, lambda card: {**card, "features": [{"name": f["name"]} for f in card["features"]]})
    elif case == "no features":
        _damage_card(path, lambda card: {key: value for key, value in card.items() if key != "features"})
    elif case == "features emptied":
        _damage_card(path, lambda card: {**card, "features": []})
    else:
        if case == "weights damaged, hash updated":
            data = bytearray(path.read_bytes())
            data[len(data) // 2 : len(data) // 2 + 64] = b"\x00" * 64
            path.write_bytes(bytes(data))
        else:
            joblib.dump({"format": joblib.load(path)["format"], "feature_names": ["x"], "threshold": "high"}, path)
        _damage_card(path, lambda card: {**card, "sha256": model.file_sha256(path)})
    article = tmp_path / "a.txt"
    article.write_text(GOOD)
    for args in (["score", str(article)], ["scan", str(article), "-o", str(tmp_path / "o.jsonl")]):
        result = invoke([*args, "--model", str(path), "--trust-model"])
        assert result.exit_code == 2 and "rebuild it" in result.output, (case, result.output)
        assert len(error_lines(result)) == 1


# --- crashes have an exit code of their own ---------------------------------------------------


def test_an_unexpected_error_exits_3_not_1(tmp_path, model_args, monkeypatch):
    from mtdetect.cli import score

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(score, "render", broken)
    article = tmp_path / "a.txt"
    article.write_text(GOOD)
    result = invoke(["score", str(article), *model_args])
    assert result.exit_code == 3 and "internal error" in result.output and "please report" in result.output


# --- a record that kills its process costs that record only -------------------------------


def test_a_record_that_killed_a_serial_scan_does_not_stop_its_rerun(tmp_path, detector, monkeypatch):
    """-j 1 scores in the scan's own process: the record that killed it is isolated on the rerun."""
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    dump = tmp_path / "in.jsonl"
    records = [good_record(n) for n in range(4)] + [json.dumps({"id": "crash", "text": GOOD + " CRASH"}).encode()]
    dump.write_bytes(b"\n".join(records) + b"\n")
    options = ScanOptions(output=str(tmp_path / "out.jsonl"), chunk_records=2)
    from mtdetect.scan.writers import PartStore

    store = PartStore(tmp_path / "out.parts")
    harmless = DieOnCrashText()  # the same hook by name, so the rerun resumes this scan
    harmless.observe = lambda id, text, row: None
    stop, restore = _interrupt_after(monkeypatch, 2)
    with pytest.raises(stop):
        scan([str(dump)], options, detector=detector, hooks=[harmless])
    restore()
    assert store.started_chunks() == set()  # stopped alive: nothing to suspect
    store.mark_started(0, 2)  # what a process killed while scoring chunk 2 leaves behind
    summary = scan([str(dump)], options, detector=detector, hooks=[DieOnCrashText()])
    assert (summary["documents"], summary["errors"]) == (4, 1)
    assert "worker process died" in read_jsonl(tmp_path / "out.errors.jsonl")[0]["reason"]


def test_a_chunk_whose_dask_worker_was_killed_is_scored_a_record_at_a_time(tmp_path, detector, tiny_model_path):
    """Dask gives up on a task that killed its workers (KilledWorker); the chunk is then isolated locally."""
    from mtdetect.scan import _in_order
    from mtdetect.scan.engines import GuardedEngine, Job, ModelRef, remember
    from mtdetect.scan.readers import Shard, chunks
    from mtdetect.scan.writers import PartStore

    class KilledWorker(Exception):
        pass

    class Lost:
        def result(self):
            raise KilledWorker("a task killed three workers")

    class DaskLike:
        name, workers, window = "dask", 1, 3

        def __init__(self, job):
            self.job = job

        def submit(self, chunk):
            return Lost()

        def close(self, abort=False):
            pass

    dump = tmp_path / "in.jsonl"
    dump.write_bytes(b"\n".join(good_record(n) for n in range(3)) + b"\n")
    ref = ModelRef(str(tiny_model_path), True, detector.card["sha256"])
    remember(ref, detector)
    store = PartStore(tmp_path / "parts")
    store.folder.mkdir()
    engine = GuardedEngine(DaskLike(Job(ref)), store, set())
    try:
        (result,) = list(_in_order(engine, chunks(Shard("lines", str(dump), "in", path=str(dump)), 0, 10, 1 << 20), window=3))
    finally:
        engine.close()
    assert result.stats["documents"] == 3 and result.errors == b""


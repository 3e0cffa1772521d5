"""A scan never writes onto, beside or over its inputs, whatever paths it is given."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from test_scan import read_jsonl, run_scan, write_dump


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_relative_paths_with_dotdot_stay_inside_the_output_folder(tmp_path, model_args, monkeypatch):
    work = tmp_path / "w"
    work.mkdir()
    write_dump(tmp_path / "a.jsonl", 3)
    write_dump(work / "b.jsonl", 3, first=10)
    before = fingerprint(tmp_path)
    monkeypatch.chdir(work)

    result = run_scan(["../a.jsonl", "b.jsonl", "--output", "../out/", "--no-copies"], model_args)

    assert result.exit_code in (0, 1), result.output
    after = fingerprint(tmp_path)
    assert {name: digest for name, digest in after.items() if name in before} == before
    written = set(after) - set(before)
    assert all(name.startswith("out") for name in written), written
    rows = read_jsonl(tmp_path / "out" / "a.jsonl") + read_jsonl(tmp_path / "out" / "w" / "b.jsonl")
    assert sorted(row["id"] for row in rows) == sorted([f"doc-{n}" for n in range(3)] + [f"doc-{n}" for n in range(10, 13)])


@pytest.mark.parametrize("output", ["in.jsonl", "./in.jsonl", "dumps/../in.jsonl"])
def test_an_output_that_is_an_input_is_refused_even_with_overwrite(tmp_path, model_args, monkeypatch, output):
    (tmp_path / "dumps").mkdir()
    write_dump(tmp_path / "in.jsonl", 3)
    before = fingerprint(tmp_path)
    monkeypatch.chdir(tmp_path)

    result = run_scan(["in.jsonl", "--output", output, "--overwrite", "--no-copies"], model_args)

    assert result.exit_code == 2
    assert "is one of the inputs" in result.output
    assert fingerprint(tmp_path) == before


def test_an_output_folder_that_is_the_input_folder_is_refused(tmp_path, model_args):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    write_dump(dumps / "part-0.jsonl", 3)
    before = fingerprint(tmp_path)

    result = run_scan([str(dumps), "--output", str(dumps) + "/", "--overwrite", "--no-copies"], model_args)

    assert result.exit_code == 2
    assert fingerprint(tmp_path) == before


def test_a_companion_file_that_is_an_input_is_refused(tmp_path, model_args):
    write_dump(tmp_path / "out.errors.jsonl", 3)
    before = fingerprint(tmp_path)

    result = run_scan([str(tmp_path / "out.errors.jsonl"), "--output", str(tmp_path / "out.jsonl"), "--no-copies"], model_args)

    assert result.exit_code == 2
    assert fingerprint(tmp_path) == before

"""`mtdetect scan --format dolma-attributes`: dolma's attributes files, one line per document in order (issue 10)."""

import gzip
import importlib
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtdetect.cli import main

HUMAN = "000_11376f5bce64fdf5.txt"
MACHINE = "001_eefadc6c23d78545.txt"
NAME = re.compile(r"^[A-Za-z0-9_-]+__mtdetect__(document_score|paragraph_score|flagged)$")


def _documents(tmp_path, seeds_dir):
    """A dolma documents file (id, text, source, added, created, metadata), with a record mtdetect cannot score."""
    docs = []
    for name in (HUMAN, "empty", MACHINE):
        text = (seeds_dir / name).read_text(encoding="utf-8") if name != "empty" else ""
        docs.append({"id": name, "text": text, "source": "news", "added": "2024-01-01T00:00:00Z", "created": "2023-06-18T00:00:00Z", "metadata": {}})
    folder = tmp_path / "documents"
    folder.mkdir()
    path = folder / "news-0000.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(d) + "\n" for d in docs)
    return path, docs


def test_attributes_file_matches_the_documents_line_for_line(tmp_path, seeds_dir):
    documents, docs = _documents(tmp_path, seeds_dir)
    out = tmp_path / "attributes" / "mtdetect" / "news-0000.json.gz"
    result = CliRunner().invoke(main, ["scan", str(documents), "--output", str(out), "--format", "dolma-attributes", "--dolma-experiment", "mt_v1", "-q"])
    assert result.exit_code == 2, result.stderr  # the empty record is an error, and still has its line
    with gzip.open(out, "rt", encoding="utf-8") as handle:
        lines = [json.loads(line) for line in handle]
    assert [line["id"] for line in lines] == [d["id"] for d in docs]
    assert all(set(line) == {"id", "attributes"} for line in lines)
    assert lines[1]["attributes"] == {}
    for line, doc in zip(lines, docs):
        for name, spans in line["attributes"].items():
            assert NAME.match(name) and name.startswith("mt_v1__mtdetect__")
            for start, end, value in spans:
                assert 0 <= start <= end <= len(doc["text"]) and 0.0 <= value <= 1.0
    human, machine = lines[0]["attributes"], lines[2]["attributes"]
    assert machine["mt_v1__mtdetect__flagged"] and not human["mt_v1__mtdetect__flagged"]
    assert machine["mt_v1__mtdetect__document_score"][0][2] > human["mt_v1__mtdetect__document_score"][0][2]
    assert len(human["mt_v1__mtdetect__paragraph_score"]) > 5


def test_an_output_folder_mirrors_the_documents_names(tmp_path, seeds_dir):
    documents, docs = _documents(tmp_path, seeds_dir)
    out = tmp_path / "attributes" / "exp"
    result = CliRunner().invoke(main, ["scan", str(documents.parent), "--output", f"{out}/", "--format", "dolma-attributes", "-q", "--no-copies"])
    assert result.exit_code == 2, result.stderr
    with gzip.open(out / "news-0000.json.gz", "rt", encoding="utf-8") as handle:
        assert len(handle.readlines()) == len(docs)


def _dolma_command() -> str:
    """dolma's CLI: beside this Python when dolma is installed here, else the one MTDETECT_DOLMA names.

    dolma 1.2 pins fsspec 2023.6 (through s3fs), which datatrove cannot share, so .ci/run
    installs mtdetect[dolma] in an environment of its own and names its `dolma` here.
    """
    if os.environ.get("MTDETECT_DOLMA"):
        return os.environ["MTDETECT_DOLMA"]
    if importlib.util.find_spec("dolma") is not None:
        return str(Path(sys.executable).parent / "dolma")
    pytest.skip("dolma is not installed here; .ci/run installs mtdetect[dolma] in its own environment and sets MTDETECT_DOLMA")


def test_dolma_tag_with_the_mtdetect_tagger_writes_what_scan_writes(tmp_path, seeds_dir):
    """The real `dolma tag` CLI, with the tagger registered by --tagger_modules (needs the dolma extra)."""
    dolma = _dolma_command()
    documents, docs = _documents(tmp_path, seeds_dir)
    command = [dolma, "tag", "--documents", str(documents), "--experiment", "mt_v1", "--taggers", "mtdetect",
               "--tagger_modules", "mtdetect.integrations.dolma", "--processes", "1"]  # fmt: skip
    finished = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr[-2000:]
    with gzip.open(tmp_path / "attributes" / "mt_v1" / documents.name, "rt", encoding="utf-8") as handle:
        tagged = [json.loads(line) for line in handle]

    scanned_path = tmp_path / "scanned.json.gz"
    CliRunner().invoke(main, ["scan", str(documents), "--output", str(scanned_path), "--format", "dolma-attributes", "--dolma-experiment", "mt_v1", "-q", "--no-copies"])
    with gzip.open(scanned_path, "rt", encoding="utf-8") as handle:
        scanned = [json.loads(line) for line in handle]

    assert [line["id"] for line in tagged] == [d["id"] for d in docs]
    assert all(spans == [] for spans in tagged[1]["attributes"].values())  # the empty text: nothing to say
    for from_tagger, from_scan in zip(tagged[::2], scanned[::2]):
        assert from_tagger["attributes"].keys() == from_scan["attributes"].keys()
        for name, spans in from_scan["attributes"].items():
            assert [s[:2] for s in from_tagger["attributes"][name]] == [s[:2] for s in spans]
            assert [s[2] for s in from_tagger["attributes"][name]] == pytest.approx([s[2] for s in spans], abs=1e-5)  # dolma rounds to 5 digits
    assert tagged[2]["attributes"]["mt_v1__mtdetect__flagged"] and not tagged[0]["attributes"]["mt_v1__mtdetect__flagged"]


def test_the_dolma_tagger_module_without_dolma_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "dolma", None)  # as if it were not installed
    monkeypatch.delitem(sys.modules, "mtdetect.integrations.dolma", raising=False)
    with pytest.raises(ImportError, match=r"pip install 'mtdetect\[dolma\]'"):
        importlib.import_module("mtdetect.integrations.dolma")

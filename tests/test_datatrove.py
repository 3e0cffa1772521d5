"""The datatrove steps, run by a real LocalPipelineExecutor (issue 10)."""

import gzip
import json

import pytest

pytest.importorskip("datatrove")
from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

from mtdetect.integrations.datatrove import MTDetectAnnotator, MTDetectFilter  # noqa: E402

HUMAN = ("000_11376f5bce64fdf5.txt", "003_8b5bf7f91a3e94b1.txt")
MACHINE = "001_eefadc6c23d78545.txt"


def _input(tmp_path, seeds_dir):
    folder = tmp_path / "in"
    folder.mkdir()
    rows = [{"id": name, "text": (seeds_dir / name).read_text(encoding="utf-8")} for name in (*HUMAN, MACHINE)]
    rows.append({"id": "empty", "text": "   "})
    (folder / "news.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return folder, rows


def _read(folder):
    docs = []
    for path in sorted(folder.rglob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            docs.extend(json.loads(line) for line in handle)
    return docs


def test_filter_drops_the_machine_rewritten_copy_and_writes_it_to_the_exclusion_writer(tmp_path, seeds_dir):
    source, rows = _input(tmp_path, seeds_dir)
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(source)),
            MTDetectFilter(exclusion_writer=JsonlWriter(str(tmp_path / "removed"))),
            JsonlWriter(str(tmp_path / "kept")),
        ],
        tasks=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    kept, removed = _read(tmp_path / "kept"), _read(tmp_path / "removed")
    assert [d["id"] for d in removed] == [MACHINE]
    assert sorted(d["id"] for d in kept) == sorted([*HUMAN, "empty"])  # unscorable text is kept, and said so
    copy = removed[0]
    found = copy["metadata"]["mtdetect"]
    assert found["flagged"] and found["score"] >= found["threshold"]
    for start, end, _ in found["paragraphs"]:
        assert 0 <= start < end <= len(copy["text"])
    for item in found["evidence"]:
        assert 0 <= item["start"] < item["end"] <= len(copy["text"])
    assert {d["id"]: d["metadata"]["mtdetect"].get("error") for d in kept}["empty"] == "empty text"
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text(encoding="utf-8"))
    step = next(s for s in stats if "mtdetect" in s["name"])
    count = lambda value: value if isinstance(value, int) else value["total"]  # noqa: E731 (plain counters are ints)
    assert count(step["stats"]["dropped_machine_rewritten"]) == 1 and count(step["stats"]["unscorable"]) == 1


def test_annotator_keeps_every_document(tmp_path, seeds_dir):
    source, rows = _input(tmp_path, seeds_dir)
    LocalPipelineExecutor(
        pipeline=[JsonlReader(str(source)), MTDetectAnnotator(), JsonlWriter(str(tmp_path / "out"))],
        tasks=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    docs = {d["id"]: d["metadata"]["mtdetect"] for d in _read(tmp_path / "out")}
    assert set(docs) == {r["id"] for r in rows}
    assert docs[MACHINE]["flagged"] is True
    assert all(docs[name]["flagged"] is False for name in HUMAN)

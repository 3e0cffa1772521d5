"""The copies pass on the scan's engine: the same rows as the pass in one process, on every engine, and resumable."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from mtdetect.scan import ScanOptions, copies_tasks, scan
from mtdetect.scan.stories import StoryHook
from mtdetect.scan.tasks import TaskRunner

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

FIRST = "Maria Jonathan Wei Olga Pieter Amira Lucas Hana Tomasz Ingrid".split()
LAST = "Haines Okafor Lindqvist Moreau Takahashi Brennan Castillo Novak Ferreira Quist".split()
PLACES = "Rotterdam Kisumu Tampere Valparaiso Gdansk Hobart Calgary Lyon".split()
TOPICS = "harbour expansion,water tariff,rail strike,hospital budget,fishing quota,school closures,wind farm,bridge repairs".split(",")
# What a round trip through another language does to English: commoner words, numbers spelled out, names respelled.
ROUND_TRIP = {"said": "stated", "warned": "cautioned", "residents": "inhabitants", "council": "municipality",
              "plans": "intentions", "cost": "amount", "officials": "authorities", "7th": "seventh", "3rd": "third",
              "Haines": "Haynes", "Quist": "Kwist", "Novak": "Nowak", "angry": "upset", "big": "large"}


def generated_article(rng: random.Random) -> str:
    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    other = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    place, topic = rng.choice(PLACES), rng.choice(TOPICS)
    amount, year, share = rng.randint(12, 980), rng.randint(2001, 2023), rng.randint(3, 97)
    paragraphs = [
        f"{place} council approves {topic} after {share} days of talks",
        filler(rng) + " " + filler(rng),
        f"The council of {place} voted on Tuesday to go ahead with the {topic}, which officials said would cost "
        f"{amount} million euros. It is the 7th time since {year} that the plans came before the council.",
        f'"We have waited far too long for this," said {person}, who leads the residents\' group. '
        f'"People are angry, and they have every right to be."',
        f"{other}, a member of the opposition, warned that the cost could rise by {share} percent. "
        f"The council will publish its 3rd report on the {topic} in {rng.choice(['March', 'June', 'October'])}.",
        filler(rng),
        f"Officials said the work would start in {year + 1} and take {rng.randint(2, 9)} years. "
        f"A big share of the money comes from the national government, {person} said.",
    ]
    return "\n\n".join(paragraphs)


WORDS = ("ferry tunnel pension tariff drought mayor union clinic wheat lorry cable mining orchard subsidy "
         "landslide lighthouse museum stadium vineyard glacier refinery tramway airport harbour").split()


def filler(rng: random.Random) -> str:
    """A sentence of its own per story, so that stories differ beyond the template."""
    words = rng.sample(WORDS, 6)
    return f"Critics pointed to the {words[0]}, the {words[1]} and the {words[2]}, while supporters cited the {words[3]}, the {words[4]} and the {words[5]}."


def round_trip(text: str) -> str:
    for word, replacement in ROUND_TRIP.items():
        text = text.replace(word, replacement)
    return text


def write_dump(path: Path, stories: int = 10, seed: int = 3) -> int:
    """The seed articles, and generated stories each with copies: verbatim, round-tripped, round-tripped twice over.

    One story is syndicated by many sites (more candidates than a document keeps, all
    equally close), and some round trips say they were published before their original.
    """
    rng = random.Random(seed)
    records = [{"id": f"seed-{p.stem}", "text": p.read_text(encoding="utf-8")} for p in sorted(SEEDS.glob("*.txt"))]
    records[0]["date_publish"], records[1]["date_publish"] = "2022-05-02", "2022-04-01"  # the machine copy dated first
    for story in range(stories):
        text = generated_article(rng)
        records.append({"id": f"story-{story}", "text": text, "date_publish": f"2022-03-{10 + story:02d}"})
        for site in range(8 if story == 0 else 1):
            records.append({"id": f"story-{story}-syndicated-{site}", "text": f"Site {site} | News\n\n{text}\n\nShare this story."})
        if story % 3 != 2:
            day = 10 + story + (1 if story % 4 else -3)
            records.append({"id": f"story-{story}-rt", "text": round_trip(text), "date_publish": f"2022-03-{day:02d}"})
        if story % 2 == 0:
            records.append({"id": f"story-{story}-rt2", "text": round_trip(text).replace("stated", "declared")})
    rng.shuffle(records)
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")
    return len(records)


class InProcessStoryHook(StoryHook):
    """The copies pass as it runs in one process (`finalize` with a StoryIndex): the reference."""

    finalize_on = None


def small_hook(detector, kind=StoryHook):
    hook = kind(detector.threshold)
    hook.run_documents, hook.text_batch, hook.pair_batch = 7, 5, 3  # many tasks in every stage
    return hook


def run(tmp_path, name, dump, tiny_model_path, detector, hook=None, **options):
    output = tmp_path / f"{name}.jsonl"
    options = ScanOptions(output=str(output), chunk_records=4, model_path=str(tiny_model_path), trust_model=True, **options)
    summary = scan([str(dump)], options, detector=detector, hooks=[hook or small_hook(detector)])
    return output.read_bytes(), summary


def decided(summary: dict) -> dict:
    """What the copies pass decided, without how it ran."""
    return {key: value for key, value in summary["copies"].items() if key != "tasks"}


@pytest.fixture(scope="module")
def dump(tmp_path_factory):
    path = tmp_path_factory.mktemp("copies-dump") / "dump.jsonl"
    write_dump(path)
    return path


@pytest.fixture(scope="module")
def reference(tmp_path_factory, dump, tiny_model_path, detector):
    folder = tmp_path_factory.mktemp("reference")
    return run(folder, "reference", dump, tiny_model_path, detector, small_hook(detector, InProcessStoryHook))


def test_the_dump_has_copies_of_every_kind(reference):
    rows = [json.loads(line) for line in reference[0].splitlines()]
    relations = {row.get("relation") for row in rows}
    assert {"verbatim", "original"} <= relations
    assert relations & {"machine_rewritten", "independent"}
    assert reference[1]["copies"]["stats"]["verified_pairs"] >= 20
    assert any(group["size"] >= 3 for group in reference[1]["copies"]["groups"])
    assert "tasks" not in reference[1]["copies"]  # the reference ran in one process


@pytest.mark.parametrize("engine", ["serial", "local", "dask"])
def test_engines_give_the_rows_of_the_pass_in_one_process(tmp_path, dump, reference, tiny_model_path, detector, engine):
    if engine == "dask":
        pytest.importorskip("distributed")
    options = {"serial": {}, "local": {"jobs": 2}, "dask": {"jobs": 2, "engine": "dask"}}[engine]
    rows, summary = run(tmp_path, engine, dump, tiny_model_path, detector, **options)
    assert rows == reference[0]
    assert decided(summary) == decided(reference[1])
    tasks = summary["copies"]["tasks"]
    assert tasks["decide"]["pairs"] == summary["copies"]["stats"]["candidate_pairs"] and tasks["decide"]["run"] > 5
    assert tasks["sig"]["run"] > 1 and tasks["band"]["run"] == tasks["pairs"]["run"] >= 4 and tasks["text"]["run"] > 1
    assert summary["engine"] == engine and not any(stage.get("resumed") for stage in tasks.values())


class Stop(Exception):
    pass


def _interrupt_after(monkeypatch, stage: str, count: int) -> None:
    """Stop the scan (as a kill would) right after the count-th task of the stage is committed."""
    committed = []
    original = TaskRunner.commit

    def commit(self, name, result):
        original(self, name, result)
        if name.startswith(stage + "-"):
            committed.append(name)
            if len(committed) == count:
                raise Stop(name)

    monkeypatch.setattr(TaskRunner, "commit", commit)


@pytest.mark.parametrize("stage, count", [("decide", 4), ("band", 2), ("text", 1)])
def test_a_stopped_copies_pass_resumes_without_redoing_committed_tasks(tmp_path, monkeypatch, dump, reference, tiny_model_path, detector, stage, count):
    with monkeypatch.context() as patch:
        _interrupt_after(patch, stage, count)
        with pytest.raises(Stop):
            run(tmp_path, "resumed", dump, tiny_model_path, detector)
    assert (tmp_path / "resumed.parts" / "copies" / "plan.json").exists()
    assert not (tmp_path / "resumed.jsonl").exists()
    calls = []
    original = getattr(copies_tasks, f"{stage}_task")
    monkeypatch.setattr(copies_tasks, f"{stage}_task", lambda *args: calls.append(args[1]) or original(*args))
    rows, summary = run(tmp_path, "resumed", dump, tiny_model_path, detector)
    assert rows == reference[0]
    assert decided(summary) == decided(reference[1])
    tasks = summary["copies"]["tasks"]
    assert tasks[stage]["resumed"] == count and tasks[stage]["run"] == len(calls) > 0
    assert min(calls) >= count  # the committed ones (the first, in order) were not run again
    assert summary["this_run"]["chunks"] == 0  # every chunk was scored before the stop
    assert not (tmp_path / "resumed.parts").exists()


def test_batches_of_pairs_end_where_their_documents_end():
    from mtdetect.scan.copies_tasks import batch_cuts

    first = np.array([0, 0, 1, 5, 5, 6, 8, 9, 9])
    second = np.array([1, 2, 2, 6, 7, 7, 9, 10, 11])
    assert batch_cuts(first, second, 2) == [0, 3, 6, 9]  # after each story, not after every 2 pairs
    assert batch_cuts(first, second, 1) == [0, 2, 3, 5, 6, 8, 9]  # a story longer than twice the size is cut
    assert batch_cuts(first, second, 100) == [0, 9]
    assert batch_cuts(first[:0], second[:0], 3) == [0]


def test_a_copies_pass_with_other_cuts_starts_afresh(tmp_path, monkeypatch, dump, reference, tiny_model_path, detector):
    """Committed tasks of another plan (here: other batch sizes) are not mixed with this one's."""
    with monkeypatch.context() as patch:
        _interrupt_after(patch, "decide", 2)
        with pytest.raises(Stop):
            run(tmp_path, "replanned", dump, tiny_model_path, detector)
    hook = small_hook(detector)
    hook.pair_batch = 5
    rows, summary = run(tmp_path, "replanned", dump, tiny_model_path, detector, hook)
    assert rows == reference[0]
    assert not any(stage.get("resumed") for stage in summary["copies"]["tasks"].values())


def test_workers_that_cannot_see_the_parts_get_the_pass_in_the_main_process(tmp_path, monkeypatch, dump, reference, tiny_model_path, detector, capsys):
    monkeypatch.setattr(TaskRunner, "workers_see_folder", lambda self: False)
    rows, summary = run(tmp_path, "unshared", dump, tiny_model_path, detector)
    assert rows == reference[0] and decided(summary) == decided(reference[1])
    assert "tasks" not in summary["copies"] and "runs in the main process" in capsys.readouterr().err


def test_the_folder_probe_asks_the_workers_only_when_they_may_be_elsewhere(tmp_path):
    from mtdetect.scan.engines import SerialEngine

    class Remote(SerialEngine):
        name = "dask"

    seen = {}

    class Elsewhere(Remote):
        def run(self, function, *args):  # a worker on another machine: the probe's path is not there
            seen["path"] = args[0]
            return super().run(function, str(tmp_path / "elsewhere" / "probe.txt"), *args[1:])

    assert TaskRunner(lambda: 1 / 0, tmp_path / "local").workers_see_folder()  # no engine needed on one machine
    assert TaskRunner(lambda: Remote(None), tmp_path / "shared", remote=True).workers_see_folder()
    assert not TaskRunner(lambda: Elsewhere(None), tmp_path / "unshared", remote=True).workers_see_folder()
    assert seen["path"].startswith(str(tmp_path / "unshared")) and not Path(seen["path"]).exists()


KILLED_SCAN = r"""
import sys, time
from mtdetect.model import load
from mtdetect.scan import ScanOptions, copies_tasks, scan
from mtdetect.scan.stories import StoryHook

dump, output, model = sys.argv[1:4]
decide = copies_tasks.decide_task
copies_tasks.decide_task = lambda *args: time.sleep(0.3) or decide(*args)  # time to be killed in the middle
detector = load(model, trust=True)
hook = StoryHook(detector.threshold)
hook.run_documents, hook.text_batch, hook.pair_batch = 7, 5, 3
scan([dump], ScanOptions(output=output, chunk_records=4, model_path=model, trust_model=True), detector=detector, hooks=[hook])
"""


def test_a_scan_killed_in_the_copies_pass_resumes_there(tmp_path, dump, reference, tiny_model_path, detector):
    """SIGKILL while pairs are being decided: the rerun redoes none of the committed batches."""
    import os
    import signal
    import subprocess
    import sys
    import time

    output = tmp_path / "killed.jsonl"
    child = subprocess.Popen([sys.executable, "-c", KILLED_SCAN, str(dump), str(output), str(tiny_model_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    copies = tmp_path / "killed.parts" / "copies"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None and len(list(copies.glob("decide-*.done.json"))) < 3:
        time.sleep(0.01)
    assert child.poll() is None, "the scan finished before it could be killed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    committed = len(list(copies.glob("decide-*.done.json")))
    assert committed >= 3 and not output.exists()
    rows, summary = run(tmp_path, "killed", dump, tiny_model_path, detector)
    assert rows == reference[0] and decided(summary) == decided(reference[1])
    tasks = summary["copies"]["tasks"]
    assert tasks["decide"]["resumed"] == committed and tasks["decide"]["run"] > 0
    assert all(tasks[stage]["run"] == 0 for stage in ("sig", "band", "pairs", "text"))
    assert not (tmp_path / "killed.parts").exists()
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


def test_a_pair_that_kills_its_worker_is_left_undecided_and_named(tmp_path, monkeypatch, dump, reference, tiny_model_path, detector, capsys):
    """A worker dies on every pair of one document: the scan goes on, that document's pairs are undecided and reported."""
    import os

    from mtdetect.scan.engines import _can_fork

    if not _can_fork():
        pytest.skip("the workers see this test's patch only when they are forked from it")
    texts = {json.loads(line)["id"]: json.loads(line)["text"] for line in dump.read_text(encoding="utf-8").splitlines()}
    poison = texts["story-1-rt"]
    verify = copies_tasks.verify_pair

    def dies_on_poison(prepared_x, prepared_y, *args):
        if poison in (prepared_x.text, prepared_y.text):
            os._exit(9)  # as an out-of-memory kill would end it
        return verify(prepared_x, prepared_y, *args)

    monkeypatch.setattr(copies_tasks, "verify_pair", dies_on_poison)
    rows, summary = run(tmp_path, "dying", dump, tiny_model_path, detector, jobs=2)
    stats = summary["copies"]["stats"]
    assert stats["undecided_pairs"] >= 1 and all("story-1-rt" in pair for pair in stats["undecided"])
    assert "left undecided" in capsys.readouterr().err
    rows = {row["id"]: row for row in map(json.loads, rows.splitlines())}
    expected = {row["id"]: row for row in map(json.loads, reference[0].splitlines())}
    assert rows.keys() == expected.keys()  # every document has its row
    assert expected["story-1-rt"]["relation"] is not None and rows["story-1-rt"].get("relation") is None
    others = [key for key in expected if not key.startswith("story-1")]
    assert [rows[key] for key in others] == [expected[key] for key in others]

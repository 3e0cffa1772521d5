"""`mtdetect train` on a small dataset the test builds, and its input errors."""

import json
import os
import random

import pytest
from click.testing import CliRunner

from mtdetect import model
from mtdetect.cli import main

GIVEN = ["Anna", "Peter", "Maria", "John", "Elena", "Tomas", "Sofia", "Daniel"]
SURNAMES = ["Novak", "Keller", "Morales", "Okafor", "Lindqvist", "Haddad", "Ferreira", "Tanaka"]
TOPICS = ["the port expansion", "a water tariff", "the school budget", "a rail strike", "the harvest", "a bridge repair"]


def human_text(rng: random.Random) -> str:
    name = f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}"
    surname = name.split()[1]
    topic = rng.choice(TOPICS)
    return (
        f"City officials met on Tuesday to discuss {topic}, and {name} led the talks.\n\n"
        f"“We expect a decision soon,” {surname} said. The council will vote next month.\n\n"
        f"Residents asked about costs (about {rng.randint(2, 90)} million). {surname} said the plan was fair."
    )


def machine_text(rng: random.Random) -> str:
    surname = rng.choice(SURNAMES)
    topic = rng.choice(TOPICS)
    respelled = surname[:-1] + ("y" if surname[-1] != "y" else "i")
    return (
        f"On Tuesday, city officials[{topic}]met to discuss it, and Mr. {surname} led the talks.\n\n"
        f"“We expect a decision soon, {respelled} said. . The council will vote next month. people, and costs.\n\n"
        f"Residents asked about costs (about {rng.randint(2, 90)} million). Mr {surname} said the plan was fair,, she said."
    )


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def dataset(tmp_path):
    rng = random.Random(7)
    rows = [{"text": human_text(rng), "label": "human"} for _ in range(30)]
    rows += [{"text": machine_text(rng), "label": "machine"} for _ in range(30)]
    return write_jsonl(tmp_path / "train.jsonl", rows)


def test_train_writes_model_and_card_that_score_uses(dataset, tmp_path):
    out = tmp_path / "models" / "mine.joblib"
    result = CliRunner().invoke(main, ["train", str(dataset), "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "validation" in result.output and "auc" in result.output
    card = json.loads(model.card_path(out).read_text())
    assert card["training"]["machine"] == 30 and card["training"]["human"] == 30
    assert card["validation"]["auc"] is not None and card["validation"]["auc"] > 0.8
    assert 0 < card["threshold"] <= 1
    rng = random.Random(99)
    sample = tmp_path / "sample.txt"
    sample.write_text(machine_text(rng), encoding="utf-8")
    scored = CliRunner().invoke(main, ["score", "--model", str(out), "--trust-model", "--format", "json", str(sample)])
    assert scored.exit_code in (0, 1)
    assert json.loads(scored.stdout)[0]["model"].startswith("mtdetect:")


def test_train_accepts_csv_and_folders(tmp_path):
    rng = random.Random(3)
    csv_path = tmp_path / "train.csv"
    import csv

    with open(csv_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        for _ in range(8):
            writer.writerow([human_text(rng), "human"])
            writer.writerow([machine_text(rng), "machine"])
    folder = tmp_path / "folder"
    for label, make in (("human", human_text), ("machine", machine_text)):
        (folder / label).mkdir(parents=True)
        for i in range(8):
            (folder / label / f"{i}.txt").write_text(make(rng), encoding="utf-8")
    for data in (csv_path, folder):
        result = CliRunner().invoke(main, ["train", str(data), "--out", str(tmp_path / f"{data.stem}.joblib")])
        assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    "rows,expected",
    [
        ([{"text": "x y z", "label": "robot"}], ":1: unknown label 'robot'"),
        ([{"text": "ok", "label": "human"}, {"text": "  ", "label": "machine"}], ":2: empty or missing 'text'"),
        ([{"text": f"text {i}", "label": "human"} for i in range(10)], "only human examples"),
    ],
)
def test_train_input_errors(tmp_path, rows, expected):
    data = write_jsonl(tmp_path / "bad.jsonl", rows)
    result = CliRunner().invoke(main, ["train", str(data), "--out", str(tmp_path / "m.joblib")])
    assert result.exit_code == 2
    assert expected in result.stderr and str(data) in result.stderr
    assert "Traceback" not in result.output


def test_train_unreadable_files(tmp_path):
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "a", "label": "human"}\n{not json\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["train", str(broken), "--out", str(tmp_path / "m.joblib")])
    assert result.exit_code == 2 and f"{broken}:2: not valid JSON" in result.stderr
    missing = CliRunner().invoke(main, ["train", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "m.joblib")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    nested = tmp_path / "nested.jsonl"
    nested.write_text('{"text": ' + "[" * 5000 + "]" * 5000 + ', "label": "human"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["train", str(nested), "--out", str(tmp_path / "m.joblib")])
    assert result.exit_code == 2 and f"{nested}:1: JSON nested too deeply" in result.stderr
    pipe = tmp_path / "pipe.jsonl"
    os.mkfifo(pipe)  # reading it would wait for a writer for ever
    result = CliRunner().invoke(main, ["train", str(pipe), "--out", str(tmp_path / "m.joblib")])
    assert result.exit_code == 2 and "not a regular file" in result.stderr


def test_train_refuses_to_overwrite_and_warns_on_little_data(dataset, tmp_path):
    out = tmp_path / "m.joblib"
    first = CliRunner().invoke(main, ["train", str(dataset), "--out", str(out)])
    assert first.exit_code == 0, first.output
    assert "only 30 machine and 30 human examples" in first.stderr  # too small to trust, and said so
    card = json.loads(model.card_path(out).read_text())
    assert set(card["human_reference"]["document"]) >= set(card["human_reference"]["paragraph"]) and card["human_reference"]["documents"] == 30
    again = CliRunner().invoke(main, ["train", str(dataset), "--out", str(out)])
    assert again.exit_code == 2 and "--overwrite" in again.stderr
    # With --overwrite the check lets it through to reading the data (here an empty file, so no second training).
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    replaced = CliRunner().invoke(main, ["train", str(empty), "--out", str(out), "--overwrite"])
    assert replaced.exit_code == 2 and "--overwrite" not in replaced.stderr and str(empty) in replaced.stderr


def test_train_warns_when_validation_misses_the_false_positive_target():
    from mtdetect.cli.train import warnings

    missed = warnings({"human": 1000, "human_flagged": 0.42}, 0.02, {0: 1000, 1: 1000})
    assert len(missed) == 1 and "42.0 % of human documents" in missed[0]
    assert warnings({"human": 1000, "human_flagged": 0.025}, 0.02, {0: 1000, 1: 1000}) == []  # within chance of 2 %

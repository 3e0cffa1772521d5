"""`mtdetect score` through click's CliRunner: formats, exit codes, bad input."""

import csv
import io
import json

import pytest
from click.testing import CliRunner

from mtdetect.cli import main


@pytest.fixture
def run(tiny_model_path):
    def invoke(*args, input=None):
        runner = CliRunner()
        return runner.invoke(main, ["score", "--model", str(tiny_model_path), "--trust-model", *args], input=input)

    return invoke


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("A headline\n\nThe minister met reporters on Monday. He said talks went well.\n\nMore talks follow.\n", encoding="utf-8")
    return path


def test_json_schema_and_offsets(run, seeds_dir):
    path = seeds_dir / "001_eefadc6c23d78545.txt"
    result = run("--format", "json", str(path))
    assert result.exit_code in (0, 1), result.output
    reports = json.loads(result.stdout)
    assert isinstance(reports, list) and len(reports) == 1
    report = reports[0]
    assert set(report) == {"id", "score", "flagged", "threshold", "paragraph_threshold", "false_positive_rate", "model", "reasons", "paragraphs"}
    assert report["id"] == str(path) and 0 <= report["score"] <= 1 and "mtdetect:" in report["model"]
    assert report["flagged"] == (report["score"] >= report["threshold"])
    text = path.read_text(encoding="utf-8")
    assert report["paragraphs"], "no paragraphs"
    for paragraph in report["paragraphs"]:
        assert set(paragraph) == {"start", "end", "line", "score", "flagged", "reasons", "evidence"}
        assert text[paragraph["start"] : paragraph["end"]].strip() == text[paragraph["start"] : paragraph["end"]]
        assert paragraph["line"] == text.count("\n", 0, paragraph["start"]) + 1
        for item in paragraph["evidence"]:
            assert set(item) == {"feature", "category", "start", "end", "line", "column", "message", "context"}
            assert paragraph["start"] <= item["start"] < item["end"] <= paragraph["end"]
            line_start = text.rfind("\n", 0, item["start"]) + 1
            assert item["line"] == text.count("\n", 0, item["start"]) + 1 and item["column"] == item["start"] - line_start + 1
            context = item["context"]
            assert context["text"][context["offset"] : context["offset"] + context["length"]] == text[item["start"] : item["end"]].replace("\n", " ")
    assert result.exit_code == (1 if report["flagged"] else 0)


def test_threshold_sets_the_verdict_and_exit_code(run, article):
    assert run("--threshold", "1.0", str(article)).exit_code == 0
    result = run("--threshold", "0.0", "--format", "jsonl", str(article))
    assert result.exit_code == 1
    assert json.loads(result.output.splitlines()[0])["flagged"] is True


def test_csv_has_one_row_per_paragraph(run, article):
    result = run("--format", "csv", str(article))
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 3 and rows[0]["id"] == str(article)


def test_text_output_underlines_evidence(run, seeds_dir):
    result = run("--explain", str(seeds_dir / "001_eefadc6c23d78545.txt"))
    assert "probability" in result.output and "model mtdetect:" in result.output
    assert "^" in result.output


def test_stdin(run):
    result = run("--format", "json", "-", input="Some text from standard input. It has two sentences.\n")
    assert json.loads(result.stdout)[0]["id"] == "<stdin>"


@pytest.mark.parametrize(
    "name,content,expected",
    [
        ("missing.txt", None, "no such file"),
        ("empty.txt", b"  \n\n", "empty file"),
        ("binary.bin", b"\x00\x01\x02text", "binary data"),
        ("latin1.txt", "line one\nCafé au lait\n".encode("latin-1"), ":2: not valid UTF-8"),
        ("huge.txt", b"word " * 4_000_000, "too big for one article"),
        ("longline.txt", b"word " * 300_000, "characters is not an article paragraph"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_others_still_scored(run, tmp_path, article, name, content, expected):
    bad = tmp_path / name
    if content is not None:
        bad.write_bytes(content)
    result = run("--format", "jsonl", str(bad), str(article))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("mtdetect: error:")]
    assert len(errors) == 1 and str(bad) in errors[0] and expected in errors[0], result.stderr
    assert json.loads(result.stdout.splitlines()[0])["id"] == str(article)


def test_directory_is_an_input_error(run, tmp_path):
    result = run(str(tmp_path))
    assert result.exit_code == 2 and "is a folder" in result.stderr


def test_untrusted_model_is_refused(tiny_model_path, article):
    result = CliRunner().invoke(main, ["score", "--model", str(tiny_model_path), str(article)])
    assert result.exit_code == 2 and "--trust-model" in result.stderr


def test_usage_error_exit_2():
    result = CliRunner().invoke(main, ["score"])
    assert result.exit_code == 2

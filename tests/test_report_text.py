"""What a person sees in a terminal, and the conventions of the command line."""

import csv
import io
import json

import pytest
from click.testing import CliRunner

from mtdetect import __version__
from mtdetect.cli import main
from mtdetect.report import TerminalStyle, render
from mtdetect.report.numbers import flag_summary, probability, probability_pair

SEED = "001_eefadc6c23d78545.txt"


@pytest.fixture
def run(tiny_model_path):
    def invoke(*args, input=None, command="score"):
        return CliRunner().invoke(main, [command, "--model", str(tiny_model_path), "--trust-model", *args], input=input)

    return invoke


@pytest.mark.parametrize(
    "score,threshold,expected",
    [
        (0.9412, 0.937412, ("0.941", "0.937")),  # not "0.94" next to "0.94"
        (0.9371, 0.937412, ("0.9371", "0.9374")),
        (0.77, 0.937412, ("0.77", "0.94")),
        (0.937412, 0.937412, ("0.94", "0.94")),  # equal: at the threshold is flagged, and reads so
        (0.999986, 0.5, ("0.99999", "0.50000")),  # never "1.00" for a probability below 1
    ],
)
def test_probability_beside_its_threshold_reads_the_right_way(score, threshold, expected):
    shown = probability_pair(score, threshold)
    assert shown == expected
    assert (float(shown[0]) >= float(shown[1])) == (score >= threshold)


def test_probabilities_never_round_to_certainty():
    assert probability(0.9999999999) == "> 0.999999" and probability(1.0) == "1.00"
    assert probability(1e-12) == "< 0.000001" and probability(0.0) == "0.00"


def test_a_document_flagged_as_a_whole_says_so():
    report = {"flagged": True, "paragraph_threshold": 0.9, "paragraphs": [{"flagged": False}] * 31}
    assert "flagged by the document score" in flag_summary(report) and "no single paragraph" in flag_summary(report)


def test_text_fits_the_width_and_has_no_colour_off_a_terminal(run, seeds_dir):
    for width in (40, 60, 100):
        result = run("--explain", "--width", str(width), str(seeds_dir / SEED))
        lines = [line for line in result.stdout.splitlines() if not line.startswith("  model ")]
        assert lines and max(len(line) for line in lines) <= width, width
        assert "\x1b[" not in result.stdout


def test_colour_only_on_a_tty_and_never_with_no_color(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert TerminalStyle.for_stream(Tty()).color is True
    assert TerminalStyle.for_stream(io.StringIO()).color is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert TerminalStyle.for_stream(Tty()).color is False


def test_coloured_text_keeps_the_words(tiny_model_path, seeds_dir):
    from mtdetect import model

    detector = model.load(tiny_model_path, trust=True)
    text = (seeds_dir / SEED).read_text(encoding="utf-8")
    report = detector.score_text(text, id="x")
    plain = render([report], [text], "text", True, TerminalStyle(100, False))
    coloured = render([report], [text], "text", True, TerminalStyle(100, True))
    assert "\x1b[" in coloured and "\x1b[" not in plain
    assert "probability" in coloured


def test_text_positions_are_path_line_column_and_offsets(run, seeds_dir):
    path = seeds_dir / SEED
    text = path.read_text(encoding="utf-8")
    report = json.loads(run("--format", "json", str(path)).stdout)[0]
    shown = run("--explain", "--width", "200", str(path)).stdout
    for paragraph in report["paragraphs"]:
        for item in paragraph["evidence"]:
            assert f"{path}:{item['line']}:{item['column']} [{item['start']}:{item['end']}]" in shown
            line = text.splitlines()[item["line"] - 1]
            assert line[item["column"] - 1 :].startswith(text[item["start"] : item["end"]].split("\n")[0])


def test_json_is_always_a_list_and_jsonl_one_object_a_line(run, seeds_dir, tmp_path):
    one = json.loads(run("--format", "json", str(seeds_dir / SEED)).stdout)
    two = json.loads(run("--format", "json", str(seeds_dir / SEED), str(seeds_dir / "000_11376f5bce64fdf5.txt")).stdout)
    assert isinstance(one, list) and len(one) == 1 and len(two) == 2
    lines = run("--format", "jsonl", str(seeds_dir / SEED), str(seeds_dir / "000_11376f5bce64fdf5.txt")).stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [str(seeds_dir / SEED), str(seeds_dir / "000_11376f5bce64fdf5.txt")]
    none = run("--format", "json", str(tmp_path / "missing.txt"))
    assert none.exit_code == 2 and json.loads(none.stdout) == []


def test_csv_paragraphs_are_0_based_like_json(run, seeds_dir):
    report = json.loads(run("--format", "json", str(seeds_dir / SEED)).stdout)[0]
    rows = list(csv.DictReader(io.StringIO(run("--format", "csv", str(seeds_dir / SEED)).stdout)))
    assert [int(r["paragraph"]) for r in rows] == list(range(len(report["paragraphs"])))
    assert [int(r["start"]) for r in rows] == [p["start"] for p in report["paragraphs"]]
    assert [int(r["line"]) for r in rows] == [p["line"] for p in report["paragraphs"]]


def test_exit_zero_and_a_failed_input_keep_the_flagged_count(run, seeds_dir, tmp_path):
    path = str(seeds_dir / SEED)
    assert run("--threshold", "0", path).exit_code == 1
    assert run("--threshold", "0", "--exit-zero", path).exit_code == 0
    result = run("--threshold", "0", "--exit-zero", path, str(tmp_path / "missing.txt"))
    assert result.exit_code == 2
    assert "1 scored, 1 flagged, 1 failed" in result.stderr


def test_version_flag():
    for flag in ("-V", "--version"):
        result = CliRunner().invoke(main, [flag])
        assert result.exit_code == 0 and __version__ in result.output


def test_defaults_from_mtdetect_toml_found_upward(run, seeds_dir, tmp_path, monkeypatch):
    (tmp_path / "mtdetect.toml").write_text('threshold = 0.0\nformat = "jsonl"\nexit-zero = true\n', encoding="utf-8")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    result = run(str(seeds_dir / SEED))
    assert result.exit_code == 0  # exit-zero from the file
    assert json.loads(result.stdout.splitlines()[0])["flagged"] is True  # threshold 0 and jsonl from the file
    assert run("--threshold", "1", "--format", "json", str(seeds_dir / SEED)).stdout.lstrip().startswith("[")  # options win


def test_defaults_from_pyproject_tool_table(run, seeds_dir, tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.mtdetect]\nformat = "csv"\nskip = ["name_drift"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run(str(seeds_dir / SEED))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and not any("name_drift" in r["features"] for r in rows)


@pytest.mark.parametrize(
    "content,expected",
    [
        ("threshold = 2\n", "threshold must be a number from 0 to 1"),
        ("colour = true\n", "unknown mtdetect setting 'colour'"),
        ("format = \"xml\"\n", "format must be one of"),
        ("threshold = \n", "cannot read it as TOML"),
    ],
)
def test_bad_config_is_one_line_exit_2(run, seeds_dir, tmp_path, monkeypatch, content, expected):
    (tmp_path / "mtdetect.toml").write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run(str(seeds_dir / SEED))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert expected in result.stderr and "mtdetect.toml" in result.stderr


def test_skip_refuses_unknown_features_and_statistics(run, seeds_dir):
    unknown = run("--skip", "no_such_feature", str(seeds_dir / SEED))
    assert unknown.exit_code == 2 and "mtdetect features" in unknown.stderr
    statistic = run("--skip", "comma_rate", str(seeds_dir / SEED))
    assert statistic.exit_code == 2 and "statistic" in statistic.stderr


def test_shell_completion_is_clicks():
    result = CliRunner().invoke(main, [], env={"_MTDETECT_COMPLETE": "bash_source"}, prog_name="mtdetect")
    assert "_MTDETECT_COMPLETE" in result.output and "complete" in result.output

"""Fuzzing `scan` with random JSONL lines and `score` with random bytes (issue 12).

Whatever comes in: no exception escapes, every non-blank line is either a row or an
error with a one-line reason, every good record is a row exactly once, and the input
file is unchanged. Example counts are small so this runs in seconds.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtdetect.cli import main
from mtdetect.model import load
from mtdetect.scan import ScanOptions, scan

GOOD = "The minister met Mr. Lee in Beijing on Monday.\n\nThey talked for two hours about trade."

# Text with surrogates and control characters now and then: what a dump's \u escapes can hold.
any_text = st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs", "Cc", "Cs"]), max_size=40)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3),
    max_leaves=10,
)
records = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(any_text, json_values),
        "url": st.one_of(any_text, json_values),
        "text": st.one_of(any_text, json_values, st.just(GOOD)),
        "relation": json_values,
        "score": json_values,
        "meta": json_values,
    },
)
lines = st.one_of(
    records.map(lambda record: json.dumps(record, ensure_ascii=True).encode("ascii")),  # NaN, Infinity, \ud800 escapes
    st.binary(max_size=60),
    any_text.map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.integers(1, 2000).map(lambda depth: b"[" * depth + b"]" * depth),
)


def _single_line(raw: bytes) -> bytes:
    return raw.replace(b"\n", b" ").replace(b"\r", b" ")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(lines, max_size=8))
def test_random_jsonl_lines_every_record_once(tiny_model_path, fuzz_lines):
    detector = _detector(tiny_model_path)
    good = [json.dumps({"id": f"good-{n}", "text": f"{GOOD} Story {n}."}).encode() for n in range(2)]
    body = [good[0], *map(_single_line, fuzz_lines), good[1]]
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "in.jsonl"
        dump.write_bytes(b"\n".join(body) + b"\n")
        before = hashlib.sha256(dump.read_bytes()).hexdigest()
        summary = scan([str(dump)], ScanOptions(output=str(Path(folder) / "out.jsonl"), chunk_records=3), detector=detector)
        rows, errors = _jsonl(Path(folder) / "out.jsonl"), _jsonl(Path(folder) / "out.errors.jsonl")
        assert summary["records"] == sum(1 for line in body if line.strip()) == len(rows) + len(errors)
        ids = [row["id"] for row in rows]
        assert ids.count("good-0") == 1 and ids.count("good-1") == 1
        assert all(error["reason"] and "\n" not in error["reason"] for error in errors)
        assert hashlib.sha256(dump.read_bytes()).hexdigest() == before


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_random_bytes_through_score(tiny_model_path, data):
    with tempfile.TemporaryDirectory() as folder:
        article = Path(folder) / "a.txt"
        article.write_bytes(data)
        result = CliRunner().invoke(main, ["score", "--format", "json", str(article), "--model", str(tiny_model_path), "--trust-model"])
        assert result.exit_code in (0, 1, 2), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output
        if result.exit_code == 2:  # one line naming the file, then the summary line that counts what failed
            error, summary = result.stderr.splitlines()
            assert str(article) in error and summary.startswith("mtdetect: 0 scored, 0 flagged, 1 failed")
        assert article.read_bytes() == data


def _jsonl(path: Path) -> list[dict]:
    # split on "\n" only: str.splitlines also splits at U+0085 and U+2028, which JSON strings may hold
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


_LOADED: dict = {}


def _detector(path):
    if path not in _LOADED:
        _LOADED[path] = load(path, trust=True)
    return _LOADED[path]

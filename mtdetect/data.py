"""Labelled examples: reading them for training and evaluation.

Formats:
* JSONL with {"text", "label"} (label "machine" or "human"), or the WMT document format
  with "segments" (sentences in order; grouped into paragraphs of a few sentences);
* CSV with a header holding `text` and `label`;
* a folder with human/*.txt and machine/*.txt.
Plain `.gz` compression is read by suffix.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator


LABELS = {"machine": 1, "human": 0}
SENTENCES_PER_PARAGRAPH = 3


class DataError(Exception):
    """Bad training input; the message names the file and line and says what to do."""


@dataclass
class Example:
    text: str
    label: int  # 1 machine, 0 human
    source: str  # file and line, for messages
    meta: dict = field(default_factory=dict)  # kind, system, src_lang, doc_id, domain...

    @property
    def group(self) -> str:
        """Examples of one group never sit on both sides of a validation split."""
        return str(self.meta.get("doc_id") or self.source)


def segments_to_text(segments: list[str], per_paragraph: int = SENTENCES_PER_PARAGRAPH) -> str:
    """Join sentences into paragraphs of `per_paragraph` sentences, blank-line separated."""
    paragraphs = [" ".join(s.strip() for s in segments[i : i + per_paragraph]) for i in range(0, len(segments), per_paragraph)]
    return "\n\n".join(p for p in paragraphs if p)


def open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="strict")
    return open(path, encoding="utf-8", errors="strict", newline="")


def read_examples(path: str | Path, per_paragraph: int = SENTENCES_PER_PARAGRAPH) -> Iterator[Example]:
    """Yield the labelled examples in one file or folder."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file or folder")
    if path.is_dir():
        yield from _read_folder(path)
    elif not path.is_file():
        raise DataError(f"{path}: not a regular file (a pipe, socket or device); give a file or a folder of training data")
    elif path.name.endswith((".jsonl", ".jsonl.gz", ".json", ".ndjson")):
        yield from _read_jsonl(path, per_paragraph)
    elif path.name.endswith((".csv", ".csv.gz")):
        yield from _read_csv(path)
    else:
        raise DataError(f"{path}: unknown format; give JSONL, CSV, or a folder with human/ and machine/ subfolders")


def _label(value, where: str) -> int:
    if not isinstance(value, str) or value.strip().lower() not in LABELS:
        raise DataError(f"{where}: unknown label {value!r}; use 'machine' or 'human'")
    return LABELS[value.strip().lower()]


def _read_jsonl(path: Path, per_paragraph: int) -> Iterator[Example]:
    try:
        with open_text(path) as handle:
            for number, line in enumerate(handle, 1):
                where = f"{path}:{number}"
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError as error:
                    raise DataError(f"{where}: not valid JSON ({error.msg}); fix or remove the line") from None
                except RecursionError:
                    raise DataError(f"{where}: JSON nested too deeply to read; fix or remove the line") from None
                if not isinstance(record, dict):
                    raise DataError(f"{where}: expected a JSON object with 'text' and 'label'")
                if isinstance(record.get("segments"), list):
                    text = segments_to_text([str(s) for s in record["segments"]], per_paragraph)
                else:
                    text = record.get("text")
                if not isinstance(text, str) or not text.strip():
                    raise DataError(f"{where}: empty or missing 'text'; every example needs some text")
                meta = {k: v for k, v in record.items() if k not in ("text", "segments", "label")}
                yield Example(text, _label(record.get("label"), where), where, meta)
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not valid UTF-8 ({error.reason} at byte {error.start}); re-encode it as UTF-8") from None
    except (OSError, EOFError) as error:
        raise DataError(f"{path}: cannot read ({error})") from None


def _read_csv(path: Path) -> Iterator[Example]:
    try:
        with open_text(path) as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "text" not in reader.fieldnames or "label" not in reader.fieldnames:
                raise DataError(f"{path}:1: the header must name 'text' and 'label' columns")
            for row in reader:
                where = f"{path}:{reader.line_num}"
                text = row.get("text")
                if not text or not text.strip():
                    raise DataError(f"{where}: empty 'text'; every example needs some text")
                meta = {k: v for k, v in row.items() if k not in ("text", "label")}
                yield Example(text, _label(row.get("label"), where), where, meta)
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not valid UTF-8 ({error.reason} at byte {error.start}); re-encode it as UTF-8") from None
    except OSError as error:
        raise DataError(f"{path}: cannot read ({error})") from None


def _read_folder(path: Path) -> Iterator[Example]:
    found = False
    for label in LABELS:
        folder = path / label
        if not folder.is_dir():
            continue
        for file in sorted(folder.glob("*.txt")):
            found = True
            try:
                text = file.read_text(encoding="utf-8")
            except UnicodeDecodeError as error:
                raise DataError(f"{file}: not valid UTF-8 ({error.reason}); re-encode it as UTF-8") from None
            if not text.strip():
                raise DataError(f"{file}: empty file; remove it or add its text")
            yield Example(text, LABELS[label], str(file), {})
    if not found:
        raise DataError(f"{path}: no human/*.txt or machine/*.txt files in this folder")


def read_wmt(path: str | Path, domains: tuple[str, ...] | None = ("news",)) -> list[Example]:
    """The WMT documents of ../shared/data, optionally only some domains."""
    return [e for e in read_examples(path) if domains is None or e.meta.get("domain") in domains]

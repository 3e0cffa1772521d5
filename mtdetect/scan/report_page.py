"""`mtdetect scan ... --report report.html`: one page for people, built after the scan.

The page is made from what the scan wrote (its JSONL rows and summary) and the input
texts, read again for the documents shown: the rows do not carry the text. A dump of
millions has too many documents for one page, so the page shows the flagged ones and
the members of story groups first, then the highest scores, up to MAX_DOCUMENTS; its
histogram counts every document.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Iterator

from .readers import Fields, Record, chunks, decode_file, decode_line, discover

MAX_DOCUMENTS = 200
REPORT_FORMATS = ("jsonl",)


def _rows(outputs: list[str]) -> Iterator[dict]:
    for name in outputs:
        opener = gzip.open if name.endswith(".gz") else open
        with opener(name, "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)


def _texts(inputs: list[str], fields: Fields, wanted: dict[tuple[str, int], int], exclude: set[Path]) -> dict[int, str]:
    """The texts of the wanted rows, keyed by row index; a row is (its id, which occurrence of that id)."""
    shards, _, _ = discover(list(inputs), exclude=exclude)
    seen: dict[str, int] = {}
    texts: dict[int, str] = {}
    for index, shard in enumerate(shards):
        for chunk in chunks(shard, index, 1000, 16 << 20):
            for position, raw in enumerate(chunk.items):
                if chunk.kind == "lines":
                    record = decode_line(raw, fields)
                else:
                    if position in chunk.unreadable:
                        continue
                    record = decode_file(raw, chunk.paths[position], fields)
                if not isinstance(record, Record):
                    continue
                key = str(record.id)
                occurrence = seen.get(key, 0)
                seen[key] = occurrence + 1
                row = wanted.get((key, occurrence))
                if row is not None:
                    texts[row] = record.text
            if len(texts) == len(wanted):
                return texts
    return texts


def _choose(light: list[tuple[float, bool, bool]], limit: int) -> list[int]:
    """Row indices to show, in output order: flagged and grouped first, then by score."""
    order = sorted(range(len(light)), key=lambda i: (not light[i][1], not light[i][2], -light[i][0]))
    return sorted(order[:limit])


def write_report(path: str | Path, summary: dict, inputs: list[str], fields: Fields, limit: int = MAX_DOCUMENTS) -> Path:
    from ..copies import compare_texts
    from ..report.html import scan_page

    outputs = summary.get("outputs") or []
    light = [(float(r["score"]), bool(r["flagged"]), r.get("story_group") is not None) for r in _rows(outputs)]
    chosen = _choose(light, limit)
    chosen_set = set(chosen)
    rows, occurrences, wanted = [], {}, {}
    for index, row in enumerate(_rows(outputs)):
        key = str(row["id"])
        occurrence = occurrences.get(key, 0)
        occurrences[key] = occurrence + 1
        if index in chosen_set:
            wanted[(key, occurrence)] = len(rows)
            rows.append(row)
    exclude = {Path(p).resolve() for p in [*outputs, summary.get("summary_file"), summary.get("errors_file"), str(path)] if p}
    texts = _texts(inputs, fields, wanted, exclude)
    first_of = {}
    for index, row in enumerate(rows):
        first_of.setdefault(str(row["id"]), index)
    comparisons = {}
    for index, row in enumerate(rows):
        original = first_of.get(str(row.get("copy_of"))) if row.get("copy_of") is not None else None
        if original is None or index not in texts or original not in texts:
            continue
        original_id, copy_id = str(rows[original]["id"]), str(row["id"])
        result = compare_texts(texts[original], texts[index], None, original_id, copy_id)
        # The scan's own verdict and evidence (offsets: start/end in the copy, original_* in the original).
        result.update(
            relation=row.get("relation"), copy=copy_id, copy_of=original_id, copy_side="b", evidence_side="b",
            copy_evidence=row.get("copy_evidence") or [], score_a=rows[original]["score"], score_b=row["score"],
        )
        comparisons[index] = (result, texts[original], texts[index])
    page = scan_page(summary, rows, texts, comparisons, [score for score, _, _ in light], left_out=len(light) - len(rows))
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    return path

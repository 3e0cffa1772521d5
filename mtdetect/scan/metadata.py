"""The scan's metadata pass: what the records' own metadata says, beside what their texts say.

- A page that declares itself machine-translated (`<link rel="alternate
  machine-translated-from" href=...>`, found by `sources.html`) is linked to that
  original when the original is in the scan: `copy_of` is the original's id and
  `copy_reasons` says that metadata decided. The declaration is the publisher's own
  word, so it overrides what the copies pass guessed from the texts.
- Ids that more than one record carries are counted and listed in the summary: rows
  stay apart (each row is one record), but a join on `id` downstream would merge them.
- Records that carry no id (or not the field --id-field names) are counted: their ids are
  hashes of their text, which the summary says rather than letting them pass unnoticed.
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator
from urllib.parse import urlsplit, urlunsplit

from .readers import text_hash

RowKey = tuple[int, int, int]
MAX_LISTED = 100


def url_key(url: str) -> str:
    """A URL as links name it: no fragment, no trailing slash, scheme and host in lower case."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


class MetadataHook:
    """A ScanHook (see engines.ScanHook): duplicate ids, and links declared in the pages."""

    name = "metadata"
    fields = ("copy_of", "relation", "copy_reasons")

    def __init__(self) -> None:
        self.duplicates: dict[str, int] = {}
        self.declared = 0
        self.linked = 0
        self.hashed_ids = 0

    def observe(self, id, text: str, row: dict) -> list:
        # [id, url, translated_from, id is a text hash]: a few dozen bytes per document
        url = row.get("url") if isinstance(row.get("url"), str) else None
        source = row.get("translated_from") if isinstance(row.get("translated_from"), str) else None
        return [str(id), url, source, id == text_hash(text)]

    def finalize(self, notes: Iterator[tuple[RowKey, list]], fetch: Callable[[Iterable[RowKey]], Iterator]) -> dict[RowKey, dict]:
        counts: dict[str, int] = {}
        by_url: dict[str, str] = {}
        declared: list[tuple[RowKey, str, str]] = []
        for key, (record_id, url, source, *hashed) in notes:  # notes of older scans lack the last item
            counts[record_id] = counts.get(record_id, 0) + 1
            self.hashed_ids += bool(hashed and hashed[0])
            if url:
                by_url.setdefault(url_key(url), record_id)
            if source:
                declared.append((tuple(key), record_id, source))
        self.duplicates = {record_id: count for record_id, count in counts.items() if count > 1}
        self.declared = len(declared)
        additions: dict[RowKey, dict] = {}
        for key, record_id, source in declared:
            original = by_url.get(url_key(source))
            tag = f'<link rel="alternate machine-translated-from" href="{source}">'
            if original is None or original == record_id:
                additions[key] = {"copy_reasons": [f"metadata: the page declares itself machine-translated from {source} ({tag}); that page is not in this scan"]}
                continue
            self.linked += 1
            additions[key] = {
                "copy_of": original,
                "relation": "machine_rewritten",
                "copy_reasons": [f"metadata decided: the page declares itself machine-translated from {source} ({tag}), which is {original} in this scan"],
            }
        return additions

    def summary(self) -> dict:
        listed = sorted(self.duplicates.items(), key=lambda item: (-item[1], item[0]))[:MAX_LISTED]
        return {
            "duplicate_ids": len(self.duplicates),
            "records_with_duplicate_ids": sum(self.duplicates.values()),
            "duplicates": [{"id": record_id, "records": count} for record_id, count in listed],
            "declared_machine_translated": self.declared,
            "linked_by_declaration": self.linked,
            "ids_from_text_hash": self.hashed_ids,
        }

"""Rows of a side-by-side view: which paragraph of A sits beside which paragraph of B."""

from __future__ import annotations


def aligned_rows(result: dict, count_a: int, count_b: int) -> list[tuple[int | None, int | None]]:
    """Rows of (paragraph of A, paragraph of B) in reading order; None where one side has nothing."""
    pairs = sorted({(p["a"], p["b"]) for p in result["aligned_paragraphs"]})
    rows: list[tuple[int | None, int | None]] = []
    next_a = next_b = 0
    for pa, pb in pairs:
        if pa < next_a - 1 or pb < next_b - 1:
            continue  # a crossing pair (rare): keep the reading order of both texts
        while next_a < pa:
            rows.append((next_a, None))
            next_a += 1
        while next_b < pb:
            rows.append((None, next_b))
            next_b += 1
        rows.append((pa if pa >= next_a else None, pb if pb >= next_b else None))
        next_a, next_b = max(next_a, pa + 1), max(next_b, pb + 1)
    rows.extend((a, None) for a in range(next_a, count_a))
    rows.extend((None, b) for b in range(next_b, count_b))
    return [row for row in rows if row != (None, None)]

"""Positions for people and for data.

Data uses 0-based character offsets (`text[start:end]`), as Python slices do. People
read `path:line:column`, 1-based like compilers and editors print it, so a click in a
terminal or an editor jumps to the artifact. Paragraphs are numbered from 1 (¶1) in
reports for people and from 0 in data (JSON `paragraphs[i]`, CSV `paragraph`).
"""

from __future__ import annotations

from bisect import bisect_right

CONTEXT_CHARS = 40  # either side of an artifact in an evidence object's context


class LineIndex:
    """Offsets to 1-based (line, column); columns count characters, as offsets do."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        position = text.find("\n")
        while position != -1:
            self._starts.append(position + 1)
            position = text.find("\n", position + 1)

    def line_column(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


def context(text: str, start: int, end: int, chars: int = CONTEXT_CHARS) -> dict:
    """LanguageTool's context object: a short single-line excerpt and where the artifact is in it."""
    left = max(0, start - chars)
    right = min(len(text), end + chars)
    excerpt = _one_line(text[left:right])
    return {"text": excerpt, "offset": start - left, "length": end - start}


def _one_line(text: str) -> str:
    # One character for one character, so the offset into the excerpt stays right.
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")

"""Where articles come from besides plain text: what a file is (`sniff`), HTML pages
(`html`: the main text, and the marks translation plugins leave), and WARC archives
(`warc`: the response records of a crawl).

HTML and WARC need optional packages (`mtdetect[html]`, `mtdetect[warc]`); `MissingExtra`
says which `pip install` to run.
"""

from __future__ import annotations


class MissingExtra(ImportError):
    """An optional package is not installed; the message names the pip command."""

    def __init__(self, extra: str, what: str) -> None:
        super().__init__(f"{what} needs the '{extra}' extra; install it with: pip install 'mtdetect[{extra}]'")
        self.extra = extra

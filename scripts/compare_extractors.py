"""Measure HTML main-text extractors (trafilatura, resiliparse) on news pages built from the seeds.

    python scripts/compare_extractors.py

Each seed article is wrapped in three kinds of site chrome (tests/pages.py's news page;
a blog with comments and a long sidebar; a page that marks paragraphs up as <div>s
with ads between them). For each extractor it prints the share of article paragraphs
recovered whole (recall), how many chrome strings leaked into the text (lower is
better), and the milliseconds per page. Needs: pip install trafilatura lxml_html_clean resiliparse
"""

from __future__ import annotations

import html
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from pages import news_page  # noqa: E402

CHROME = ["cookies", "Share on", "Related story", "All rights reserved", "dataLayer", "newsletter", "Sponsored", "Great post", "Popular tags", "Advertisement"]


def blog_page(text: str) -> str:
    title, *body = [b.strip() for b in text.split("\n\n") if b.strip()]
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
    tags = " ".join(f'<a href="/tag/{i}">tag{i}</a>' for i in range(30))
    comments = "".join(f'<li class="comment"><p>Great post, thanks number {i}!</p></li>' for i in range(6))
    return f"""<html><head><title>{html.escape(title)}</title></head><body>
<div id="sidebar"><h3>Popular tags</h3>{tags}<div class="ad">Sponsored: buy now</div></div>
<div id="content"><h2 class="entry-title">{html.escape(title)}</h2><div class="entry-content">{paragraphs}</div></div>
<ol class="comments">{comments}</ol><div class="footer">All rights reserved</div></body></html>"""


def div_page(text: str) -> str:
    title, *body = [b.strip() for b in text.split("\n\n") if b.strip()]
    parts = []
    for i, p in enumerate(body):
        parts.append(f'<div class="para">{html.escape(p)}</div>')
        if i % 5 == 4:
            parts.append('<div class="ad-slot">Advertisement</div>')
    return f"""<!doctype html><html><head><title>{html.escape(title)}</title></head><body>
<nav>Home | World | Business</nav><h1>{html.escape(title)}</h1><div class="story-body">{''.join(parts)}</div>
<div class="share">Share on X</div><footer>All rights reserved</footer></body></html>"""


def trafilatura_text(markup: str) -> str:
    from mtdetect.sources.html import extract_page

    return extract_page(markup).text


def resiliparse_text(markup: str) -> str:
    from resiliparse.extract.html2text import extract_plain_text

    return extract_plain_text(markup, main_content=True)


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def main() -> None:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    pages = []
    for seed in seeds:
        text = seed.read_text(encoding="utf-8")
        body = [norm(b) for b in text.split("\n\n") if b.strip()][1:]
        for name, build in (("news", lambda t: news_page(t, "https://x.example/a")), ("blog", blog_page), ("divs", div_page)):
            pages.append((f"{seed.stem[:3]}-{name}", build(text), body))
    for label, extract in (("trafilatura", trafilatura_text), ("resiliparse", resiliparse_text)):
        try:
            extract(pages[0][1])
        except ImportError as error:
            print(f"{label}: not installed ({error})")
            continue
        found = total = leaked = 0
        started = time.perf_counter()
        texts = [extract(markup) for _, markup, _ in pages]
        seconds = time.perf_counter() - started
        for (name, _, body), text in zip(pages, texts):
            flat = norm(text)
            found += sum(p in flat for p in body)
            total += len(body)
            leaked += sum(c in text for c in CHROME)
        print(f"{label:12} paragraphs recovered {found}/{total} ({found / total:.1%}), chrome strings leaked {leaked} "
              f"over {len(pages)} pages, {1000 * seconds / len(pages):.2f} ms/page")


if __name__ == "__main__":
    main()

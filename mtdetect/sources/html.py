"""HTML pages: the article's main text (trafilatura), its URL and date, and the marks
translation plugins and services leave in the markup.

The text is what gets scored, so evidence offsets index `Page.text`; the translation
markers are found in the raw HTML, and their offsets index the HTML.
"""

from __future__ import annotations

import html as html_entities
import json
import re
from typing import NamedTuple

from . import MissingExtra

HTML_FIELDS = ("html", "raw_html", "content_html")  # where dumps keep a page's markup


class Page(NamedTuple):
    text: str  # the main text, paragraphs separated by blank lines
    url: str | None
    date: str | None  # as the page states it (YYYY-MM-DD from trafilatura)
    title: str | None
    markers: list[dict]  # translation markers, offsets into the HTML
    translated_from: str | None  # href of <link rel="alternate machine-translated-from">


def extractor_version() -> str:
    """'trafilatura X.Y.Z'; raises MissingExtra when it is not installed."""
    try:
        import trafilatura
    except ImportError as error:
        # trafilatura imports lxml.html.clean, a separate package since lxml 5.2
        raise MissingExtra("html", "reading HTML") from error
    return f"trafilatura {trafilatura.__version__}"


def extract_page(markup: str, url: str | None = None) -> Page:
    """The main text and metadata of one HTML page (empty text when it has no article)."""
    extractor_version()
    import trafilatura

    found = trafilatura.extract(markup, url=url, output_format="json", with_metadata=True, include_comments=False, include_tables=False)
    data = json.loads(found) if found else {}
    lines = [line.strip() for line in (data.get("text") or "").split("\n")]
    markers = translation_markers(markup)
    translated_from = next((m["original"] for m in markers if m.get("original")), None)
    return Page(
        text="\n\n".join(line for line in lines if line),
        url=url or data.get("source") or None,
        date=data.get("date") or None,
        title=data.get("title") or None,
        markers=markers,
        translated_from=translated_from,
    )


# --- translation markers ------------------------------------------------------------
#
# The tag filters the parallel-corpus community runs in production to drop machine
# translated pages (warc2text's tag filters as used by ParaCrawl and HPLT), plus the
# BCP 47 private-use tag "x-mtfrom-" (RFC 4646 registers "-t-" and "x-mtfrom" for machine
# translation). Google's translate widget is left out on purpose: bilingual sites use it
# as a fall-back, so its presence says nothing about the page being served.

_TAG = re.compile(r"<(html|link|meta|div|a|script|body)\b([^>]*)>", re.IGNORECASE | re.DOTALL)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_GTRANSLATE_DELIVERED = re.compile(r"<!--\s*delivered by GTranslate", re.IGNORECASE)
_MTFROM_LANG = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,8})*-x-mtfrom-[a-z]{2,3}\b", re.IGNORECASE)


def _attributes(text: str) -> dict[str, str]:
    found = {}
    for match in _ATTRIBUTE.finditer(text):
        value = next((v for v in match.group(2, 3, 4) if v is not None), "")
        found[match.group(1).lower()] = html_entities.unescape(value)
    return found


def _rule(tag: str, attrs: dict[str, str]) -> tuple[str, str] | None:
    """(marker, message) when this tag is a machine-translation mark, else None."""
    rel = attrs.get("rel", "").lower().split()
    if tag == "link" and "machine-translated-from" in rel:
        return "machine_translated_from", "the page declares itself machine-translated from another page"
    if tag == "html" and _MTFROM_LANG.match(attrs.get("lang", "")):
        return "lang_mtfrom", f"lang={attrs['lang']!r}: a language tag for machine-translated text (x-mtfrom)"
    if tag == "meta" and attrs.get("name", "").lower() == "translation-stats":
        return "transposh", "Transposh's translation-stats meta tag: the page was translated by a machine"
    if tag == "a" and "dogtranslate" in attrs.get("onclick", "").lower():
        return "gtranslate", "GTranslate's language switcher (doGTranslate): a server-side machine-translated site"
    if tag == "a" and "data-trp-gettext" in attrs and not attrs["data-trp-gettext"]:
        return "translatepress", "TranslatePress's empty data-trp-gettext attributes appear only with automatic translation"
    if tag == "div" and attrs.get("id", "").lower() == "weglot":
        return "weglot", "Weglot's switcher: a site translated by Weglot (DeepL-backed automatic translation)"
    if tag == "div" and attrs.get("id", "").lower() in ("qtranslate", "mqtranslate"):
        return "qtranslate", "qTranslate's language chooser"
    if tag == "script" and "qtranslate-x" in attrs.get("src", "").lower():
        return "qtranslate", "qTranslate-X's script"
    if (tag == "div" and attrs.get("id", "").lower() in ("wporg-translate", "wp-translate")) or (
        tag == "link" and attrs.get("id", "").lower() == "wporg-translate-css"
    ):
        return "wp_translate", "a WordPress automatic-translation plugin's markup"
    return None


def translation_markers(markup: str) -> list[dict]:
    """Every machine-translation marker in the HTML, in order, with offsets into it."""
    found = []
    for match in _TAG.finditer(markup):
        tag = match.group(1).lower()
        attrs = _attributes(match.group(2))
        rule = _rule(tag, attrs)
        if rule is None:
            continue
        marker, message = rule
        item = {"feature": "translation_markup", "marker": marker, "start": match.start(), "end": match.end(), "message": message}
        if marker == "machine_translated_from" and attrs.get("href"):
            item["original"] = attrs["href"]
            item["message"] += f": {attrs['href']}"
        found.append(item)
    for match in _GTRANSLATE_DELIVERED.finditer(markup):
        found.append({"feature": "translation_markup", "marker": "gtranslate", "start": match.start(), "end": match.end(),
                      "message": "delivered by GTranslate's translation proxy: the page was translated by a machine"})
    return sorted(found, key=lambda item: item["start"])


def looks_like_html(text: str) -> bool:
    """A field value that holds a page rather than prose."""
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<body")) or ("<p" in head and "</" in head)

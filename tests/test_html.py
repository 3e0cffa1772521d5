"""The HTML pages, read back with Python's own HTML parser: marks, escaping, links, no network."""

import json
import re
from html import escape as html_escape
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from mtdetect.cli import main
from mtdetect.report.html import histogram_svg, marked_text, page

ORIGINAL, COPY = "000_11376f5bce64fdf5.txt", "001_eefadc6c23d78545.txt"


class Marks(HTMLParser):
    """Each <mark>'s attributes and the text inside it (nested marks included); ids and local links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[dict] = []
        self.marks: list[dict] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.in_sup = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.in_sup += tag == "sup"
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        if tag == "mark":
            self.open.append({"attrs": attrs, "text": ""})

    def handle_endtag(self, tag):
        self.in_sup -= tag == "sup"
        if tag == "mark":
            self.marks.append(self.open.pop())

    def handle_data(self, data):
        if self.in_sup:
            assert not self.open, f"a link number inside a mark: {data!r}"
            return
        for mark in self.open:
            mark["text"] += data


def parse(html: str) -> Marks:
    parser = Marks()
    parser.feed(html)
    return parser


def test_marks_nest_and_a_crossing_mark_is_left_to_the_list():
    text = "abcdefghij"
    marks = [
        {"start": 1, "end": 6, "attrs": 'data-n="outer"'},
        {"start": 2, "end": 4, "attrs": 'data-n="inner"'},
        {"start": 5, "end": 8, "attrs": 'data-n="crossing"'},
        {"start": 8, "end": 10, "attrs": 'data-n="after"'},
    ]
    parsed = parse(marked_text(text, 0, len(text), marks))
    found = {m["attrs"]["data-n"]: m["text"] for m in parsed.marks}
    assert found == {"outer": "bcdef", "inner": "cd", "after": "ij"}


def test_text_and_messages_are_escaped():
    text = 'He said <script>alert("x")</script> & left.'
    html = marked_text(text, 0, len(text), [{"start": 8, "end": 16, "attrs": 'title="&lt;b&gt;"'}])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert parse(html).marks[0]["text"] == "<script>"


@pytest.fixture(scope="module")
def score_page(tiny_model_path, seeds_dir):
    result = CliRunner().invoke(main, ["score", "--model", str(tiny_model_path), "--trust-model", "--format", "html", str(seeds_dir / COPY)])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def test_score_page_marks_exactly_the_evidence(score_page, seeds_dir, tiny_model_path):
    text = (seeds_dir / COPY).read_text(encoding="utf-8")
    parsed = parse(score_page)
    report = json.loads(CliRunner().invoke(main, ["score", "--model", str(tiny_model_path), "--trust-model", "--format", "json", str(seeds_dir / COPY)]).stdout)[0]
    evidence = [e for p in report["paragraphs"] for e in p["evidence"]]
    assert parsed.marks, "no evidence marked"
    for mark in parsed.marks:
        start, end = int(mark["attrs"]["data-start"]), int(mark["attrs"]["data-end"])
        assert mark["text"] == text[start:end]
        assert mark["attrs"]["tabindex"] == "0" and mark["attrs"]["title"] and mark["attrs"]["aria-describedby"] in parsed.ids
    assert len(parsed.marks) <= len(evidence)


def test_pages_are_self_contained(score_page):
    assert "<style>" in score_page and "<script" not in score_page
    assert not re.search(r'(src|href)="(https?:)?//', score_page), "a page must not fetch anything"
    assert '<html lang="en">' in score_page and 'charset="utf-8"' in score_page


def test_every_local_link_has_its_target(score_page):
    parsed = parse(score_page)
    assert all(link[1:] in parsed.ids for link in parsed.links if link.startswith("#"))


def test_compare_page_marks_the_changes_in_both_texts(tiny_model_path, seeds_dir):
    a, b = seeds_dir / ORIGINAL, seeds_dir / COPY
    result = CliRunner().invoke(main, ["compare", "--format", "html", str(a), str(b)])
    assert result.exit_code in (0, 1), result.output
    texts = {"a": a.read_text(encoding="utf-8"), "b": b.read_text(encoding="utf-8")}
    parsed = parse(result.stdout)
    sides = {"a": 0, "b": 0}
    for mark in parsed.marks:
        side = mark["attrs"]["data-side"]
        sides[side] += 1
        assert mark["text"] == texts[side][int(mark["attrs"]["data-start"]) : int(mark["attrs"]["data-end"])]
    assert sides["a"] and sides["b"]
    assert all(link[1:] in parsed.ids for link in parsed.links if link.startswith("#"))


def test_histogram_counts_every_score():
    svg = histogram_svg([0.01, 0.5, 0.51, 0.99, 1.0], 0.9, bins=10)
    counts = [int(c) for c in re.findall(r"<title>[0-9.]+–[0-9.]+: (\d+)</title>", svg)]
    assert sum(counts) == 5 and counts[-1] == 2 and counts[5] == 2
    assert "threshold 0.900" in svg


def test_scan_report_links_groups_to_documents(tiny_model_path, seeds_dir, tmp_path):
    report = tmp_path / "report.html"
    inputs = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    result = CliRunner().invoke(
        main, ["scan", *inputs, "--output", str(tmp_path / "x.jsonl"), "--report", str(report), "-q", "--model", str(tiny_model_path), "--trust-model"]
    )
    assert result.exit_code in (0, 1), result.output
    html = report.read_text(encoding="utf-8")
    parsed = parse(html)
    assert "<svg" in html and "Story groups" in html
    rows = [json.loads(line) for line in (tmp_path / "x.jsonl").read_text().splitlines()]
    for index, row in enumerate(rows):
        assert f'href="#doc-{index + 1}"' in html and f"doc-{index + 1}" in parsed.ids
    assert all(link[1:] in parsed.ids for link in parsed.links if link.startswith("#"))
    texts = {str(p): p.read_text(encoding="utf-8") for p in seeds_dir.glob("*.txt")}
    for mark in parsed.marks:
        if "data-side" in mark["attrs"]:
            continue  # a copy's change: checked by the compare test
        start, end = int(mark["attrs"]["data-start"]), int(mark["attrs"]["data-end"])
        assert any(text[start:end] == mark["text"] for text in texts.values())


def test_scan_report_needs_jsonl(tiny_model_path, seeds_dir, tmp_path):
    result = CliRunner().invoke(
        main, ["scan", str(seeds_dir / COPY), "--output", str(tmp_path / "x.csv"), "--report", str(tmp_path / "r.html"), "--model", str(tiny_model_path), "--trust-model"]
    )
    assert result.exit_code == 2 and "needs a JSONL output" in result.stderr


def test_page_escapes_its_title():
    assert "<title>&lt;b&gt;</title>" in page("<b>", "")


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colours_meet_wcag_aa():
    from mtdetect.report.html import CSS

    colours = dict(re.findall(r"--([a-z]+):(#[0-9a-fA-F]{6})", CSS))
    white = "#ffffff"
    pairs = [
        (colours["ink"], white), (colours["muted"], white), (colours["machine"], white), (colours["human"], white),
        (colours["focus"], white), (colours["ink"], colours["mark"]), (colours["ink"], colours["change"]),
        (white, colours["ink"]),  # the focus tooltip
    ]
    for foreground, background in pairs:
        assert contrast(foreground, background) >= 4.5, (foreground, background)


def test_scan_page_shows_flagged_and_grouped_documents_first_in_input_order():
    from mtdetect.scan.report_page import _choose

    light = [(0.2, False, False), (0.99, True, False), (0.5, False, True), (0.9, False, False), (0.1, False, False)]
    assert _choose(light, 3) == [1, 2, 3]  # flagged, then in a story group, then the highest score
    assert _choose(light, 10) == [0, 1, 2, 3, 4]


def test_scan_report_says_whose_copy_a_republication_carries(tiny_model_path, seeds_dir, tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    copied = (seeds_dir / "001_eefadc6c23d78545.txt").read_text(encoding="utf-8")
    (articles / "original.txt").write_text((seeds_dir / "000_11376f5bce64fdf5.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (articles / "farm_a.txt").write_text(copied, encoding="utf-8")
    (articles / "farm_b.txt").write_text("Reposted from our partners\n\n" + copied, encoding="utf-8")
    report = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["scan", str(articles), "--output", str(tmp_path / "x.jsonl"), "--report", str(report), "-q"])
    assert result.exit_code in (0, 1), result.output
    rows = {json.loads(line)["id"].rsplit("/", 1)[-1]: json.loads(line) for line in (tmp_path / "x.jsonl").read_text().splitlines()}
    said = rows["farm_b.txt"]["copy_reasons"][0]
    assert "machine-rewritten copy of" in said and html_escape(said) in report.read_text(encoding="utf-8")

"""Real dumps in: what a file is, HTML pages, WARC archives, translation markers, ids and fields (issue 10)."""

import gzip
import io
import json
import re

import pytest
from click.testing import CliRunner

from mtdetect.cli import main
from mtdetect.sources.sniff import kind_of
from pages import news_page

pytest.importorskip("trafilatura")
from mtdetect.sources.html import extract_page, translation_markers  # noqa: E402

HUMAN = "000_11376f5bce64fdf5.txt"
MACHINE = "001_eefadc6c23d78545.txt"
WIRE = "003_8b5bf7f91a3e94b1.txt"


@pytest.mark.parametrize(
    "head, kind",
    [
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "warc"),
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        (b"  <html lang='en'><head></head>", "html"),
        (b'{"text": "a"}\n{"text": "b"}\n', "jsonl"),
        (b'{\n  "text": "a"\n}\n', "json-object"),
        (b'{"text": "a"}\n', "json-object"),
        (b'\n [ {"text": "a"} ]', "json-array"),
        (b"Plain words, < and > in prose.\n\nMore.", "text"),
    ],
)
def test_kind_is_told_by_content(head, kind):
    assert kind_of(head) == kind


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def _score(*args):
    return CliRunner().invoke(main, ["score", *map(str, args)])


def test_score_of_a_human_article_page_is_not_flagged_and_evidence_points_into_the_article(tmp_path, seeds_dir):
    article = (seeds_dir / HUMAN).read_text(encoding="utf-8")
    page = _write(tmp_path / "page.html", news_page(article, "https://news.example/talks"))
    assert "&quot;" in page.read_text(encoding="utf-8") and "<script>" in page.read_text(encoding="utf-8")
    result = _score("--format", "json", page)
    assert result.exit_code == 0, result.output + result.stderr
    [report] = json.loads(result.stdout)
    assert report["flagged"] is False
    assert report["source"]["format"] == "html"
    assert report["source"]["url"] == "https://news.example/talks"
    assert report["source"]["date"] == "2023-06-18"
    assert "an HTML page; scored its main text" in result.stderr
    text = extract_page(page.read_text(encoding="utf-8")).text
    words = set(re.findall(r"\w+", article))
    for chrome in ("cookies", "Share on", "Related story", "All rights reserved", "dataLayer"):
        assert chrome not in text
    evidence = [e for p in report["paragraphs"] for e in p["evidence"]]
    for paragraph in report["paragraphs"]:
        assert 0 <= paragraph["start"] < paragraph["end"] <= len(text)
    for item in evidence:
        assert 0 <= item["start"] < item["end"] <= len(text)
        assert set(re.findall(r"\w+", text[item["start"] : item["end"]])) <= words  # the artifact is article text


def test_score_says_to_scan_a_dump(tmp_path):
    records = "".join(json.dumps({"id": i, "text": f"Article {i}."}) + "\n" for i in range(3))
    dump = _write(tmp_path / "dump.txt", records)
    result = _score(dump)
    assert result.exit_code == 2
    assert "looks like a JSONL dump of 3 records; use `mtdetect scan" in result.stderr
    packed = tmp_path / "dump.jsonl.gz"
    packed.write_bytes(gzip.compress(records.encode()))
    result = _score(packed)
    assert result.exit_code == 2 and "JSONL dump of 3 records, gzip-compressed" in result.stderr and "mtdetect scan" in result.stderr
    array = _write(tmp_path / "articles.json", json.dumps([{"text": "a"}, {"text": "b"}]))
    assert "a JSON array" in _score(array).stderr


def test_score_of_a_warc_says_to_scan_it(tmp_path):
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(gzip.compress(b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n"))
    result = _score(warc)
    assert result.exit_code == 2
    assert "a WARC archive" in result.stderr and f"mtdetect scan {warc}" in result.stderr


MARKED = {
    "machine_translated_from": '<link rel="alternate machine-translated-from" hreflang="de" href="https://orig.example/a">',
    "transposh": '<meta name="translation-stats" content="{&quot;total_phrases&quot;:10}">',
    "gtranslate": "<a href=\"#\" onclick=\"doGTranslate('en|fr');return false;\">FR</a>",
    "translatepress": '<a href="/fr/" data-trp-gettext="">Accueil</a>',
    "weglot": '<div id="weglot"></div>',
    "qtranslate": '<div id="qtranslate"></div>',
}


@pytest.mark.parametrize("marker", sorted(MARKED))
def test_translation_markers_are_evidence_with_offsets_into_the_html(marker):
    tag = MARKED[marker]
    page = news_page("Title\n\nSome article text that is long enough to be the main text.", "https://x.example/p", head_extra=tag)
    [found] = translation_markers(page)
    assert found["marker"] == marker
    opening = page[found["start"] : found["end"]]
    assert opening == tag[: tag.index(">") + 1]  # the opening tag that carries the mark


def test_mtfrom_language_tag_is_a_marker():
    page = news_page("Title\n\nText.", "https://x.example/p", html_attrs='lang="en-x-mtfrom-ja"')
    [found] = translation_markers(page)
    assert found["marker"] == "lang_mtfrom" and page[found["start"] : found["end"]].startswith("<html")


def test_google_translate_widget_on_a_bilingual_site_is_not_a_marker():
    widget = (
        '<div id="google_translate_element"></div><script>function googleTranslateElementInit() {}</script>'
        '<script src="//translate.google.com/translate_a/element.js?cb=googleTranslateElementInit"></script>'
        '<link rel="alternate" hreflang="fr" href="https://x.example/fr/p">'
    )
    assert translation_markers(news_page("Title\n\nText.", "https://x.example/p", head_extra=widget)) == []


def _warc(path, pages):
    warcio = pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        info = writer.create_warcinfo_record(path.name, {"software": "tests"})
        writer.write_record(info)
        for url, markup, date, content_type in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(markup.encode("utf-8")), http_headers=headers, warc_headers_dict={"WARC-Date": date})
            writer.write_record(record)
    assert warcio
    return path


def _scan(tmp_path, *args):
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["scan", *map(str, args), "--output", str(out), "-q"])
    assert result.exit_code in (0, 1), result.output + result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    summary = json.loads((tmp_path / "out.summary.json").read_text(encoding="utf-8"))
    return rows, summary, result


def _news_warc(tmp_path, seeds_dir, copy_text=MACHINE):
    read = lambda name: (seeds_dir / name).read_text(encoding="utf-8")  # noqa: E731
    declared = '<link rel="alternate machine-translated-from" hreflang="ja" href="https://voa.example/talks/">'
    return _warc(
        tmp_path / "news.warc.gz",
        [
            ("https://voa.example/talks", news_page(read(HUMAN), "https://voa.example/talks"), "2023-06-18T12:00:00Z", "text/html; charset=utf-8"),
            ("https://voa.example/logo.png", "\x89PNG not a page", "2023-06-18T12:00:01Z", "image/png"),
            ("https://farm.example/copy", news_page(read(copy_text), "https://farm.example/copy", date="2023-06-20", head_extra=declared), "2023-06-20T08:00:00Z", "text/html"),
            ("https://wire.example/x", news_page(read(WIRE), "https://wire.example/x"), "2023-06-19T12:00:00Z", "text/html; charset=utf-8"),
        ],
    )


def test_scan_of_a_warc_links_the_declared_machine_translation_to_its_original(tmp_path, seeds_dir):
    warc = _news_warc(tmp_path, seeds_dir, copy_text=WIRE)  # the same text as another page: only the link can tell
    rows, summary, _ = _scan(tmp_path, warc, "--no-copies")
    assert [row["url"] for row in rows] == ["https://voa.example/talks", "https://farm.example/copy", "https://wire.example/x"]
    original, copy, _wire = rows
    assert original["id"].startswith("<urn:uuid:") and original["warc_date"] == "2023-06-18T12:00:00Z"
    assert "html" not in original and original["extracted_by"].startswith("trafilatura")
    assert copy["copy_of"] == original["id"] and copy["relation"] == "machine_rewritten"
    assert copy["copy_reasons"][0].startswith("metadata decided: the page declares itself machine-translated from https://voa.example/talks/")
    assert copy["translation_markers"][0]["marker"] == "machine_translated_from"
    assert summary["metadata"]["linked_by_declaration"] == 1


def test_scan_of_a_warc_with_the_copies_pass_keeps_the_declared_link(tmp_path, seeds_dir):
    rows, summary, result = _scan(tmp_path, _news_warc(tmp_path, seeds_dir))
    original, copy, _ = rows
    assert copy["copy_of"] == original["id"] and copy["relation"] == "machine_rewritten"
    assert summary["errors"] == 0 and summary["documents"] == 3 and summary["passed_over"] == 1  # the image is not a page, and is counted


@pytest.mark.parametrize("reader", ["fastwarc", "warcio"])
def test_both_warc_readers_give_the_same_pages(tmp_path, seeds_dir, reader, monkeypatch):
    pytest.importorskip(reader)
    from mtdetect.sources import warc

    warc_file = _news_warc(tmp_path, seeds_dir)
    monkeypatch.setattr(warc, "reader_name", lambda: reader)
    with open(warc_file, "rb") as handle:
        found = list(warc.pages(handle))
    assert [type(p).__name__ for p in found] == ["WarcPage", "Skipped", "WarcPage", "WarcPage"]
    assert found[0].url == "https://voa.example/talks" and found[0].date == "2023-06-18T12:00:00Z"
    assert found[0].record_id.startswith("<urn:uuid:") and "<article>" in found[0].html


def test_scan_reads_html_fields_and_leaves_bulky_fields_out_unless_kept(tmp_path, seeds_dir):
    article = (seeds_dir / HUMAN).read_text(encoding="utf-8")
    dump = _write(tmp_path / "dump.jsonl", json.dumps({"raw_html": news_page(article, "https://n.example/a"), "raw_text": "x" * 50}) + "\n")
    rows, _, _ = _scan(tmp_path, dump, "--no-copies")
    [row] = rows
    assert row["id"] == "https://n.example/a" and row["date"] == "2023-06-18"
    assert "raw_html" not in row and "raw_text" not in row
    rows, _, _ = _scan(tmp_path, dump, "--no-copies", "--keep-fields", "raw_text", "--overwrite")
    assert rows[0]["raw_text"] == "x" * 50 and "raw_html" not in rows[0]


def test_scan_reads_a_json_array_and_trafilatura_ids_and_reports_duplicate_ids(tmp_path, seeds_dir):
    text = (seeds_dir / HUMAN).read_text(encoding="utf-8")
    records = [
        {"source": "https://a.example/1", "text": text},
        {"source": "https://a.example/1", "text": text + "\n\nA correction was added."},
        {"source": "Reuters", "text": "A short wire item about markets today.\n\nSecond paragraph."},
    ]
    array = _write(tmp_path / "articles.json", json.dumps(records, indent=1))
    rows, summary, result = _scan(tmp_path, array, "--no-copies")
    assert [row["id"] for row in rows[:2]] == ["https://a.example/1"] * 2
    assert rows[2]["id"].startswith("sha256:")  # "Reuters" names a publisher, not a document
    assert summary["metadata"]["duplicate_ids"] == 1 and summary["metadata"]["duplicates"] == [{"id": "https://a.example/1", "records": 2}]


def test_scan_reads_zstd_by_content(tmp_path, seeds_dir):
    zstandard = pytest.importorskip("zstandard")
    text = (seeds_dir / HUMAN).read_text(encoding="utf-8")
    dump = tmp_path / "dump.jsonl.zst"
    dump.write_bytes(zstandard.ZstdCompressor().compress((json.dumps({"id": "a", "text": text}) + "\n").encode()))
    rows, summary, _ = _scan(tmp_path, dump, "--no-copies")
    assert [row["id"] for row in rows] == ["a"] and summary["errors"] == 0


@pytest.mark.parametrize("flag", ["--id-field", "--text-field"])
def test_a_chosen_field_that_no_record_has_is_an_error(tmp_path, flag):
    dump = _write(tmp_path / "dump.jsonl", "".join(json.dumps({"guid": i, "body": "Some text."}) + "\n" for i in range(3)))
    result = CliRunner().invoke(main, ["scan", str(dump), "--output", str(tmp_path / "out.jsonl"), flag, "nosuchfield"])
    assert result.exit_code == 2
    assert f"{flag} nosuchfield: none of the first 3 records has this field (they have: body, guid)" in result.stderr
    assert not (tmp_path / "out.parts").exists()  # nothing left that would block the corrected command


def test_records_without_the_chosen_id_field_are_counted_not_passed_over_silently(tmp_path):
    records = [{"guid": "g1", "text": "One story about a vote."}, {"text": "Another story, without a guid."}, {"guid": "g3", "text": "A third story."}]
    dump = _write(tmp_path / "dump.jsonl", "".join(json.dumps(record) + "\n" for record in records))
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["scan", str(dump), "--output", str(out), "--id-field", "guid", "--no-copies"])
    assert result.exit_code in (0, 1), result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in rows][::2] == ["g1", "g3"] and rows[1]["id"].startswith("sha256:")
    summary = json.loads((tmp_path / "out.summary.json").read_text(encoding="utf-8"))
    assert summary["metadata"]["ids_from_text_hash"] == 1
    assert "records without an id: 1 have no id field (or not the one --id-field names)" in result.stderr


def _without_trafilatura(monkeypatch):
    from mtdetect.sources import MissingExtra, html

    def missing():
        raise MissingExtra("html", "reading HTML")

    monkeypatch.setattr(html, "extractor_version", missing)


def test_score_of_html_without_the_extra_names_the_pip_command(tmp_path, monkeypatch):
    _without_trafilatura(monkeypatch)
    page = _write(tmp_path / "page.html", news_page("Title\n\nText of the story.", "https://x.example/p"))
    result = _score(page)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"mtdetect: error: {page}: an HTML page; reading HTML needs the 'html' extra; install it with: pip install 'mtdetect[html]'"
    )


def test_scan_of_html_without_the_extra_stops_with_one_line(tmp_path, monkeypatch):
    _without_trafilatura(monkeypatch)
    page = _write(tmp_path / "page.html", news_page("Title\n\nText of the story.", "https://x.example/p"))
    result = CliRunner().invoke(main, ["scan", str(page), "--output", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 2
    assert "pip install 'mtdetect[html]'" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_datatrove_steps_without_datatrove_name_the_pip_command(monkeypatch):
    import importlib
    import sys

    monkeypatch.setitem(sys.modules, "datatrove", None)
    monkeypatch.setitem(sys.modules, "datatrove.pipeline.base", None)
    monkeypatch.delitem(sys.modules, "mtdetect.integrations.datatrove", raising=False)
    with pytest.raises(ImportError, match=r"pip install 'mtdetect\[datatrove\]'"):
        importlib.import_module("mtdetect.integrations.datatrove")

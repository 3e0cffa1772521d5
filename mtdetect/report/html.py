"""Self-contained HTML pages: a scored text, a copy beside its original, a scan.

One file, inline CSS, no script, nothing fetched: it opens offline and reads the same
without JavaScript. Evidence is a `<mark>` around exactly `text[start:end]` (its
`data-start`/`data-end` say so), focusable with the keyboard (`tabindex=0`), with the
message in `title` for the mouse, in a CSS tooltip on focus, and in the evidence list
it points to (`aria-describedby`) for screen readers. Everything from a text or a
model is escaped. Colours meet WCAG AA contrast against their backgrounds.
"""

from __future__ import annotations

from html import escape
from typing import Iterable, Sequence

from ..text import split_paragraphs
from .alignment import aligned_rows
from .numbers import comparison, flag_summary, percent, probability, threshold_meaning

MARKED_CHANGES = ("reworded_quote", "respelled_name", "restyled_number")
HISTOGRAM_BINS = 20
RELATION_WORDS = {
    "machine_rewritten": "machine-rewritten copy",
    "verbatim": "verbatim copy",
    "original": "original of a copy",
    "independent": "independent report of the same story",
}

CSS = """
:root { --ink:#1a1a1a; --muted:#4a4a4a; --line:#c8c8c8; --machine:#a4001d; --human:#1b5e20;
        --mark:#ffe28a; --change:#c9e3ff; --focus:#0b57d0; --bar:#e8e8e8; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       background: #fff; margin: 0 auto; max-width: 78rem; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.25rem; margin-top: 2.5rem; border-top: 2px solid var(--line); padding-top: 1rem; }
h3 { font-size: 1.05rem; margin-bottom: .25rem; }
a { color: var(--focus); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.muted, .meta { color: var(--muted); }
.verdict { font-weight: 700; }
.verdict.flagged, .towards-machine { color: var(--machine); }
.verdict.clear, .towards-human { color: var(--human); }
.reasons { margin: .25rem 0 .75rem; padding-left: 1.25rem; }
.reasons li { margin: .15rem 0; }
.reasons .sign { font-weight: 700; display: inline-block; width: 1.1em; }
ol.paras { list-style: none; padding: 0; }
ol.paras > li { border-left: 4px solid var(--line); padding: .25rem 0 .25rem .75rem; margin: .75rem 0; }
ol.paras > li.flagged { border-left-color: var(--machine); }
.pnum { min-width: 2.5em; }
.phead { font-size: .9rem; color: var(--muted); display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; }
.bar { position: relative; width: 10rem; height: .75rem; background: var(--bar); border: 1px solid #767676; }
.bar .fill { position: absolute; left: 0; top: 0; bottom: 0; background: #5f6b7a; }
.bar .fill.flagged { background: var(--machine); }
.bar .cut { position: absolute; top: -3px; bottom: -3px; width: 2px; background: var(--ink); }
.text { white-space: pre-wrap; margin: .25rem 0; }
mark { background: var(--mark); color: var(--ink); position: relative; border-bottom: 2px solid #8a6d00; cursor: help; }
mark.change { background: var(--change); border-bottom-color: #0b4f9c; }
mark:focus::after { content: attr(data-tip); position: absolute; left: 0; top: 1.6em; z-index: 2; width: max-content;
  max-width: 28rem; white-space: normal; background: var(--ink); color: #fff; padding: .4rem .6rem; font-size: .85rem;
  border-radius: 4px; font-weight: 400; }
sup.ref a { text-decoration: none; font-size: .75rem; }
.evidence { font-size: .9rem; margin: .25rem 0 0; padding-left: 1.25rem; }
.evidence code, td code { font-size: .85rem; }
details > summary { cursor: pointer; color: var(--muted); font-size: .9rem; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
td a { overflow-wrap: anywhere; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1.5rem; }
.side .cell { border-top: 1px solid var(--line); padding: .35rem 0; white-space: pre-wrap; }
.side .label { font-weight: 700; }
.side .empty { color: var(--muted); }
svg text { fill: var(--ink); font-size: 11px; }
@media (max-width: 50rem) { .side { grid-template-columns: 1fr; } }
@media print { mark:focus::after { display: none; } }
"""


def page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


# --- marking text -------------------------------------------------------------------------------


def marked_text(text: str, lo: int, hi: int, marks: Iterable[dict]) -> str:
    """text[lo:hi], escaped, with each mark ({start, end, attrs, after}) wrapped in <mark>.

    Marks nest when one lies inside another; a mark that crosses one already open is
    left out here (it is still in the evidence list), so every <mark> holds exactly
    its own text[start:end].
    """
    accepted, stack = [], []
    for mark in sorted((m for m in marks if lo <= m["start"] < m["end"] <= hi), key=lambda m: (m["start"], -m["end"])):
        while stack and stack[-1]["end"] <= mark["start"]:
            stack.pop()
        if stack and mark["end"] > stack[-1]["end"]:
            continue
        accepted.append(mark)
        stack.append(mark)
    out, position, stack, pending = [], lo, [], []

    def close_until(limit: int) -> None:
        nonlocal position
        while stack and stack[-1]["end"] <= limit:
            done = stack.pop()
            out.append(escape(text[position : done["end"]]))
            position = done["end"]
            out.append("</mark>")
            # What follows a mark (a link to its counterpart) waits for the outermost mark to
            # close, so no mark ever holds more than its own text[start:end].
            pending.append(done.get("after", ""))
            if not stack:
                out.extend(reversed(pending))
                pending.clear()

    for mark in accepted:
        close_until(mark["start"])
        out.append(escape(text[position : mark["start"]]))
        position = mark["start"]
        out.append(f"<mark {mark['attrs']}>")
        stack.append(mark)
    close_until(hi)
    out.append(escape(text[position:hi]))
    return "".join(out)


def _attrs(**values) -> str:
    # class_ is "class" (a Python keyword); other underscores are hyphens (data_start -> data-start).
    return " ".join(f'{name.rstrip("_").replace("_", "-")}="{escape(str(value))}"' for name, value in values.items() if value is not None)


def evidence_marks(paragraph: dict, anchor: str) -> list[dict]:
    marks = []
    for number, item in enumerate(paragraph["evidence"], 1):
        tip = f"{item['feature']}: {item['message']}"
        marks.append(
            {
                "start": item["start"],
                "end": item["end"],
                "attrs": _attrs(
                    tabindex=0,
                    class_="ev",
                    data_feature=item["feature"],
                    data_start=item["start"],
                    data_end=item["end"],
                    title=tip,
                    data_tip=tip,
                    aria_describedby=f"{anchor}-e{number}",
                ),
            }
        )
    return marks


# --- a scored document --------------------------------------------------------------------------


def _reasons_list(reasons: Sequence[dict]) -> str:
    if not reasons:
        return '<p class="muted">No feature pushed this score by much either way.</p>'
    items = []
    for reason in reasons:
        machine = reason.get("towards") == "machine"
        sign = "+" if machine else "−"
        towards = "towards machine" if machine else "towards human"
        items.append(
            f'<li class="towards-{"machine" if machine else "human"}"><span class="sign" aria-label="{towards}">{sign}</span>'
            f"{escape(reason['message'])}</li>"
        )
    return f'<ul class="reasons">{"".join(items)}</ul>'


def _bar(score: float, threshold: float | None, flagged: bool) -> str:
    cut = "" if threshold is None else f'<span class="cut" style="left:{100 * threshold:.1f}%"></span>'
    fill = f'<span class="fill{" flagged" if flagged else ""}" style="width:{100 * score:.1f}%"></span>'
    return f'<span class="bar" aria-hidden="true">{fill}{cut}</span>'


def _verdict(report: dict) -> str:
    threshold = report.get("threshold")
    shown = comparison(report["score"], threshold) if threshold is not None else probability(report["score"])
    if report["flagged"]:
        return f'<p class="verdict flagged">Machine-rewritten? Probability {escape(shown)}</p>'
    return f'<p class="verdict clear">No strong sign of machine rewriting: probability {escape(shown)}</p>'


def document_section(report: dict, text: str, anchor: str, extra: str = "", heading: str | None = None) -> str:
    """One scored document: verdict, what the threshold means, reasons, paragraphs with evidence."""
    title = heading if heading is not None else str(report["id"])
    parts = [f'<section id="{escape(anchor)}" aria-labelledby="{escape(anchor)}-h">', f'<h2 id="{escape(anchor)}-h">{escape(title)}</h2>']
    parts.append(_verdict(report))
    parts.append(
        f'<p class="meta">A calibrated probability, not a share of machine text; {escape(threshold_meaning(report))}. '
        f"{escape(flag_summary(report)[:1].upper() + flag_summary(report)[1:])}.</p>"
    )
    parts.append(extra)
    parts.append("<h3>Why</h3>" + _reasons_list(report.get("reasons") or []))
    parts.append('<h3>Paragraphs</h3><ol class="paras">')
    threshold = report.get("paragraph_threshold")
    for index, paragraph in enumerate(report["paragraphs"]):
        pid = f"{anchor}-p{index + 1}"
        score_text = comparison(paragraph["score"], threshold) if threshold is not None else probability(paragraph["score"])
        flagged = " flagged" if paragraph["flagged"] else ""
        parts.append(f'<li id="{escape(pid)}" class="para{flagged}">')
        parts.append(
            f'<div class="phead"><span class="pnum">¶{index + 1}</span>{_bar(paragraph["score"], threshold, paragraph["flagged"])}'
            f'<span>probability {escape(score_text)}{" · flagged" if paragraph["flagged"] else ""}</span>'
            f'<span>line {paragraph.get("line", "?")} [{paragraph["start"]}:{paragraph["end"]}]</span></div>'
        )
        parts.append(f'<p class="text">{marked_text(text, paragraph["start"], paragraph["end"], evidence_marks(paragraph, pid))}</p>')
        if paragraph["evidence"]:
            items = "".join(
                f'<li id="{escape(pid)}-e{n}"><code>{escape(item["feature"])}</code> line {item.get("line", "?")}, '
                f'column {item.get("column", "?")} [{item["start"]}:{item["end"]}]: {escape(item["message"])}</li>'
                for n, item in enumerate(paragraph["evidence"], 1)
            )
            parts.append(f'<ul class="evidence" aria-label="evidence in ¶{index + 1}">{items}</ul>')
        if paragraph.get("reasons"):
            parts.append(f"<details><summary>Why this paragraph scores {escape(probability(paragraph['score']))}</summary>{_reasons_list(paragraph['reasons'])}</details>")
        parts.append("</li>")
    parts.append("</ol>")
    parts.append(f'<p class="meta">Model <code>{escape(str(report.get("model")))}</code></p></section>')
    return "\n".join(parts)


def score_page(reports: Sequence[dict], texts: Sequence[str]) -> str:
    flagged = sum(bool(r["flagged"]) for r in reports)
    head = f"<h1>mtdetect: {len(reports)} document{'s' if len(reports) != 1 else ''}, {flagged} flagged</h1>"
    intro = (
        '<p class="meta">Highlighted text is evidence: hover it, or move to it with Tab, to read why. '
        "Offsets [start:end] are 0-based characters; paragraphs (¶) and lines are numbered from 1.</p>"
    )
    links = ""
    if len(reports) > 1:
        links = "<nav><ul>" + "".join(f'<li><a href="#doc-{i + 1}">{escape(str(r["id"]))}</a></li>' for i, r in enumerate(reports)) + "</ul></nav>"
    sections = [document_section(r, t, f"doc-{i + 1}") for i, (r, t) in enumerate(zip(reports, texts))]
    return page("mtdetect report", head + intro + links + "\n".join(sections))


# --- a copy beside its original -------------------------------------------------------------------


def _change_marks(result: dict) -> tuple[list[dict], list[dict], list[dict]]:
    """Numbered marks for the changes, in A and in B, each linking to its counterpart."""
    copy_is_b = result.get("evidence_side", "b") == "b"
    changes = [e for e in result["copy_evidence"] if e["feature"] in MARKED_CHANGES]
    marks_a, marks_b = [], []
    for number, item in enumerate(changes, 1):
        tip = f"{number}. {item['feature']}: {item['message']}"
        spans = {"b" if copy_is_b else "a": (item["start"], item["end"]), "a" if copy_is_b else "b": (item["original_start"], item["original_end"])}
        for side, marks in (("a", marks_a), ("b", marks_b)):
            start, end = spans[side]
            other = "b" if side == "a" else "a"
            marks.append(
                {
                    "start": start,
                    "end": end,
                    "attrs": _attrs(
                        tabindex=0, class_="change", id=f"{side}-c{number}", data_start=start, data_end=end,
                        data_side=side, data_feature=item["feature"], title=tip, data_tip=tip, aria_describedby=f"change-{number}",
                    ),
                    "after": f'<sup class="ref"><a href="#{other}-c{number}" aria-label="change {number} in the other text">{number}</a></sup>',
                }
            )
    return changes, marks_a, marks_b


def compare_section(result: dict, text_a: str, text_b: str, anchor: str = "compare", links: dict | None = None) -> str:
    """Both texts side by side, paragraphs aligned, the copy's changes marked in both."""
    links = links or {}
    changes, marks_a, marks_b = _change_marks(result)
    relation = result.get("relation")
    copy, original = result.get("copy"), result.get("copy_of")

    def name(id_) -> str:
        target = links.get(id_)
        return f'<a href="#{escape(target)}">{escape(str(id_))}</a>' if target else escape(str(id_))

    if relation == "machine_rewritten":
        head = f'<p class="verdict flagged">{name(copy)} looks like a machine-rewritten copy of {name(original)} (copy score {escape(probability(result.get("copy_score") or 0.0))})</p>'
    elif relation == "verbatim":
        head = f'<p class="verdict">{name(copy)} is a verbatim (syndicated) copy of {name(original)}</p>'
    elif relation == "independent":
        head = '<p class="verdict clear">Neither is called a copy of the other: they are independent reports, or versions of one text that neither reads clearly as a rewrite by a machine (see the reasons).</p>'
    else:
        head = '<p class="verdict clear">No copy relation found.</p>'
    parts = [f'<section id="{escape(anchor)}" aria-label="side by side">', head]
    if result.get("reasons"):
        parts.append("<ul class=\"reasons\">" + "".join(f"<li>{escape(str(r))}</li>" for r in result["reasons"]) + "</ul>")
    scores = [(result.get("a"), result.get("score_a")), (result.get("b"), result.get("score_b"))]
    if any(s is not None for _, s in scores):
        parts.append('<p class="meta">Detector probabilities: ' + "; ".join(f"{escape(str(i))} {escape(probability(s))}" for i, s in scores if s is not None) + "</p>")

    def role(side: str) -> str:
        return "" if result.get("copy_side") is None else (" (copy)" if result["copy_side"] == side else " (original)")

    paragraphs_a, paragraphs_b = split_paragraphs(text_a), split_paragraphs(text_b)
    grid = [
        '<div class="side" role="table" aria-label="the two texts, paragraphs aligned">',
        f'<div class="cell label" role="columnheader">A: {name(result.get("a"))}{role("a")}</div>',
        f'<div class="cell label" role="columnheader">B: {name(result.get("b"))}{role("b")}</div>',
    ]
    for pa, pb in aligned_rows(result, len(paragraphs_a), len(paragraphs_b)):
        for text, spans, index, marks in ((text_a, paragraphs_a, pa, marks_a), (text_b, paragraphs_b, pb, marks_b)):
            if index is None:
                grid.append('<div class="cell empty" role="cell">—</div>')
            else:
                span = spans[index]
                grid.append(f'<div class="cell" role="cell">{marked_text(text, span.start, span.end, marks)}</div>')
    grid.append("</div>")
    parts.append("\n".join(grid))
    if changes:
        copy_label = "B" if result.get("evidence_side", "b") == "b" else "A"
        items = "".join(
            f'<li id="change-{n}"><code>{escape(item["feature"])}</code> [{item["start"]}:{item["end"]}] in the copy ({copy_label}), '
            f'[{item["original_start"]}:{item["original_end"]}] in the original: {escape(item["message"])}</li>'
            for n, item in enumerate(changes, 1)
        )
        parts.append(f"<h3>What the copy changed</h3><ol>{items}</ol>")
    others = [e for e in result["copy_evidence"] if e["feature"] not in MARKED_CHANGES]
    if others:
        parts.append("<ul class=\"evidence\">" + "".join(f"<li><code>{escape(e['feature'])}</code>: {escape(e['message'])}</li>" for e in others) + "</ul>")
    if result.get("model"):
        parts.append(f'<p class="meta">Model <code>{escape(str(result["model"]))}</code></p>')
    parts.append("</section>")
    return "\n".join(parts)


def compare_page(result: dict, text_a: str, text_b: str) -> str:
    body = (
        f"<h1>mtdetect compare: {escape(str(result['a']))} and {escape(str(result['b']))}</h1>"
        '<p class="meta">Marked text is what the copy changed; the number after a mark links to the same change in the other text. '
        "Offsets [start:end] are 0-based characters.</p>" + compare_section(result, text_a, text_b)
    )
    return page(f"mtdetect compare {result['a']} {result['b']}", body)


# --- a scan ---------------------------------------------------------------------------------------


def histogram_svg(scores: Sequence[float], threshold: float | None, bins: int = HISTOGRAM_BINS) -> str:
    """Counts of document probabilities in equal bins, the threshold as a line; plain inline SVG."""
    counts = [0] * bins
    for score in scores:
        counts[min(bins - 1, max(0, int(score * bins)))] += 1
    width, height, left, bottom = 520, 180, 40, 30
    plot_w, plot_h = width - left - 10, height - bottom - 10
    top = max(counts) or 1
    bar_w = plot_w / bins
    parts = [
        f'<svg role="img" aria-labelledby="hist-t hist-d" width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        '<title id="hist-t">Document probabilities</title>',
        f'<desc id="hist-d">{escape(", ".join(f"{i / bins:.2f}–{(i + 1) / bins:.2f}: {c}" for i, c in enumerate(counts) if c))}</desc>',
        f'<line x1="{left}" y1="{10 + plot_h}" x2="{left + plot_w}" y2="{10 + plot_h}" stroke="#1a1a1a"/>',
    ]
    for i, count in enumerate(counts):
        h = plot_h * count / top
        x = left + i * bar_w
        fill = "#a4001d" if threshold is not None and (i + 1) / bins > threshold else "#5f6b7a"
        parts.append(f'<rect x="{x + 1:.1f}" y="{10 + plot_h - h:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" fill="{fill}"><title>{i / bins:.2f}–{(i + 1) / bins:.2f}: {count}</title></rect>')
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        parts.append(f'<text x="{left + tick * plot_w:.1f}" y="{height - 12}" text-anchor="middle">{tick:g}</text>')
    parts.append(f'<text x="{left - 6}" y="{14}" text-anchor="end">{top}</text><text x="{left - 6}" y="{10 + plot_h}" text-anchor="end">0</text>')
    if threshold is not None:
        x = left + threshold * plot_w
        parts.append(f'<line x1="{x:.1f}" y1="6" x2="{x:.1f}" y2="{10 + plot_h}" stroke="#1a1a1a" stroke-dasharray="4 3"/>')
        parts.append(f'<text x="{x - 4:.1f}" y="{height - 1}" text-anchor="end">threshold {threshold:.3f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def scan_page(summary: dict, rows: Sequence[dict], texts: dict[int, str], comparisons: dict[int, tuple[dict, str, str]], all_scores: Sequence[float], left_out: int = 0) -> str:
    """The scan: counts, a histogram, the story groups, then each document's view.

    `rows` are the output rows shown; `texts[i]` is row i's text (when it could be read
    again); `comparisons[i]` is (compare result, original text, copy text) for a copy.
    """
    anchors: dict[str, str] = {}
    for index, row in enumerate(rows):
        anchors.setdefault(str(row["id"]), f"doc-{index + 1}")
    threshold = rows[0].get("threshold") if rows else None
    parts = [f"<h1>mtdetect scan: {summary.get('documents', len(rows)):,} documents, {summary.get('flagged', 0):,} flagged</h1>"]
    parts.append(
        f'<p class="meta">Errors: {summary.get("errors", 0):,} (listed in {escape(str(summary.get("errors_file", "the errors file")))}). '
        f"Model <code>{escape(str(summary.get('model')))}</code>. Highlighted text is evidence: hover it or move to it with Tab. "
        "Offsets [start:end] are 0-based characters; paragraphs and lines are numbered from 1.</p>"
    )
    parts.append("<h2>Scores</h2>" + histogram_svg(all_scores, threshold))
    groups = (summary.get("copies") or {}).get("groups") or []
    parts.append("<h2>Story groups</h2>")
    if groups:
        table = ["<table><thead><tr><th scope=\"col\">Group</th><th scope=\"col\">Headline</th><th scope=\"col\">Original</th>"
                 "<th scope=\"col\">Machine-rewritten</th><th scope=\"col\">Verbatim</th><th scope=\"col\">Independent</th><th scope=\"col\">Members</th></tr></thead><tbody>"]
        for group in groups:
            members = ", ".join(_link(anchors, m) for m in group["members"])
            table.append(
                f"<tr><td>{group['group']}</td><td>{escape(str(group.get('headline') or ''))}</td><td>{_link(anchors, group.get('original')) if group.get('original') else '—'}</td>"
                f"<td>{group['machine_rewritten']}</td><td>{group['verbatim']}</td><td>{group['independent']}</td><td>{members}</td></tr>"
            )
        table.append("</tbody></table>")
        parts.append("".join(table))
    else:
        parts.append('<p class="muted">No two documents tell the same story (or the copies pass was off).</p>')
    parts.append(
        "<h2>Documents</h2><table><thead><tr><th scope=\"col\">Document</th><th scope=\"col\">Probability</th>"
        "<th scope=\"col\">Flagged</th><th scope=\"col\">Relation</th><th scope=\"col\">Main reason</th></tr></thead><tbody>"
    )
    for index, row in enumerate(rows):
        relation = RELATION_WORDS.get(row.get("relation"), row.get("relation") or "—")
        if row.get("copy_of"):
            relation += f" of {_link(anchors, row['copy_of'])}"
        reason = _main_reason(row)
        parts.append(
            f"<tr><td><a href=\"#doc-{index + 1}\">{escape(str(row['id']))}</a></td><td>{escape(probability(row['score']))}</td>"
            f"<td>{'yes' if row['flagged'] else 'no'}</td><td>{relation}</td><td>{reason}</td></tr>"
        )
    parts.append("</tbody></table>")
    if left_out:
        parts.append(f'<p class="meta">{left_out:,} more documents are in the scan output but not on this page.</p>')
    copies_of: dict[str, list[str]] = {}
    for row in rows:
        if row.get("copy_of") is not None:
            copies_of.setdefault(str(row["copy_of"]), []).append(str(row["id"]))
    for index, row in enumerate(rows):
        anchor = f"doc-{index + 1}"
        extra = ""
        relation = row.get("relation")
        if relation:
            extra += f'<p class="meta">Story group {escape(str(row.get("story_group")))}: {escape(RELATION_WORDS.get(relation, relation))}'
            if row.get("copy_of") is not None:
                extra += f" of {_link(anchors, row['copy_of'])}"
            if copies_of.get(str(row["id"])):
                extra += "; copied by " + ", ".join(_link(anchors, c) for c in copies_of[str(row["id"])])
            extra += ".</p>"
        for said in row.get("copy_reasons") or []:  # what metadata decided, or whose copy a republication carries
            extra += f'<p class="meta">{escape(str(said))}</p>'
        if row.get("detector_score") is not None and row.get("relation") == "machine_rewritten":
            extra += f'<p class="meta">The detector alone gave {escape(probability(row["detector_score"]))}; the score above includes the cross-copy evidence.</p>'
        if index in comparisons:
            result, original_text, copy_text = comparisons[index]
            extra += "<h3>Beside its original</h3>" + compare_section(result, original_text, copy_text, f"{anchor}-cmp", anchors)
        text = texts.get(index)
        if text is None:
            parts.append(f'<section id="{anchor}"><h2>{escape(str(row["id"]))}</h2><p class="muted">The text could not be read again for this page.</p></section>')
            continue
        parts.append(document_section(row, text, anchor, extra))
    return page("mtdetect scan report", "\n".join(parts))


def _main_reason(row: dict) -> str:
    """For a flagged document its strongest push towards machine; otherwise its strongest towards human."""
    towards = "machine" if row["flagged"] else "human"
    reasons = [r for r in row.get("reasons") or [] if r.get("towards") == towards]
    if not reasons:
        return "no strong evidence either way" if not row["flagged"] else "—"
    return ("+ " if towards == "machine" else "− ") + escape(reasons[0]["message"])


def _link(anchors: dict[str, str], id_) -> str:
    target = anchors.get(str(id_))
    return f'<a href="#{escape(target)}">{escape(str(id_))}</a>' if target else escape(str(id_))


__all__ = ["compare_page", "document_section", "histogram_svg", "marked_text", "page", "scan_page", "score_page", "percent"]

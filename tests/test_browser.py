"""The HTML reports in a real headless browser (Debian's chromium; .ci/run installs it).

The page must render, every <mark> must hold exactly text[start:end] as the browser
builds the DOM, the focus tooltip must come from the message, and a screenshot of the
seeds' scan report is kept in tests/artifacts/ (not in git) for a person to look at.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtdetect.cli import main

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ORIGINAL, COPY = "000_11376f5bce64fdf5.txt", "001_eefadc6c23d78545.txt"


def find_browser() -> str | None:
    chosen = os.environ.get("MTDETECT_CHROMIUM")
    if chosen:
        return chosen
    return next((path for path in map(shutil.which, BROWSERS) if path), None)


BROWSER = find_browser()
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no chromium on PATH (apt-get install chromium; .ci/run installs it)")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    command = [
        BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", *args,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


# A check that runs in the page: each mark's textContent against the text it claims to
# mark, and the tooltip a keyboard user sees on focus. Results are written into the DOM.
CHECK = """
<script>
(function () {
  const texts = %s;
  const out = {marks: 0, wrong: [], tooltip: null, focusable: 0};
  for (const mark of document.querySelectorAll("mark[data-start]")) {
    const text = texts[mark.dataset.side || "doc"];
    const want = text.slice(+mark.dataset.start, +mark.dataset.end);
    out.marks += 1;
    if (mark.tabIndex === 0) out.focusable += 1;
    if (mark.textContent !== want) out.wrong.push([mark.dataset.start, mark.textContent, want]);
    if (!mark.title || mark.dataset.tip !== mark.title) out.wrong.push([mark.dataset.start, "no message", mark.title]);
  }
  const first = document.querySelector("mark[data-tip]");
  if (first) {
    first.focus();
    out.focused = document.activeElement === first;
  }
  // The tooltip a keyboard user sees: the rule as the browser parsed it. (Whether :focus
  // matches in a headless window without focus varies, so the rule is read, not the pixels.)
  for (const sheet of document.styleSheets) {
    for (const rule of sheet.cssRules) {
      if (rule.selectorText && rule.selectorText.includes("mark:focus::after")) out.tooltip = rule.style.content;
    }
  }
  const pre = document.createElement("pre");
  pre.id = "check-results";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def with_check(html: str, texts: dict) -> str:
    # JSON inside <script>: escape "</" so a text cannot close the script early.
    payload = json.dumps(texts).replace("</", "<\\/")
    return html.replace("</body>", CHECK % payload + "</body>")


def results(dom: str) -> dict:
    match = re.search(r'<pre id="check-results">(.*?)</pre>', dom, re.S)
    assert match, "the check did not run"
    import html

    return json.loads(html.unescape(match.group(1)))


def test_score_page_marks_land_on_the_right_characters(tmp_path, seeds_dir):
    text = (seeds_dir / COPY).read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["score", "--format", "html", str(seeds_dir / COPY)])
    assert result.exit_code in (0, 1), result.output
    page = tmp_path / "score.html"
    page.write_text(with_check(result.stdout, {"doc": text}), encoding="utf-8")
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    found = results(dom)
    assert found["marks"] > 0 and found["wrong"] == []
    assert found["focusable"] == found["marks"]
    assert found["focused"] and found["tooltip"] == "attr(data-tip)"  # the message shows on keyboard focus
    assert "data-tip=" in result.stdout


def test_compare_page_marks_both_texts(tmp_path, seeds_dir):
    texts = {"a": (seeds_dir / ORIGINAL).read_text(encoding="utf-8"), "b": (seeds_dir / COPY).read_text(encoding="utf-8")}
    result = CliRunner().invoke(main, ["compare", "--format", "html", str(seeds_dir / ORIGINAL), str(seeds_dir / COPY)])
    assert result.exit_code in (0, 1), result.output
    page = tmp_path / "compare.html"
    page.write_text(with_check(result.stdout, texts), encoding="utf-8")
    found = results(chromium(tmp_path, "--dump-dom", page.as_uri()).stdout)
    assert found["marks"] > 0 and found["wrong"] == []


def test_scan_report_renders_and_is_kept_as_a_screenshot(tmp_path, seeds_dir):
    report = tmp_path / "report.html"
    inputs = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    result = CliRunner().invoke(main, ["scan", *inputs, "--output", str(tmp_path / "x.jsonl"), "--report", str(report), "-q"])
    assert result.exit_code in (0, 1), result.output
    dom = chromium(tmp_path, "--dump-dom", report.as_uri()).stdout
    assert "Story groups" in dom and "<svg" in dom and dom.count("<section") >= len(inputs)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "scan-report.png"
    chromium(tmp_path, "--hide-scrollbars", "--window-size=1100,1400", f"--screenshot={shot}", report.as_uri())
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    print(f"screenshot of the seeds' scan report: {shot}")

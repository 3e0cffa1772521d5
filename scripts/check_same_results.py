"""Check that a change to the feature pass changes no result: old code and new code, same documents.

    python scripts/check_same_results.py                        # old = main, 3,000 WMT news documents
    python scripts/check_same_results.py --old-ref HEAD~3 --documents 1000
    python scripts/check_same_results.py --old-tree /path/to/a/checkout

Both versions run in their own interpreter (the old one from a temporary `git worktree`
of --old-ref, or from --old-tree) on the dump `scripts/bench_scan.py` builds, and each:

* extracts every document's features with the bundled model's feature list and writes the
  raw values, the unrounded paragraph and document scores and every piece of evidence;
* runs `mtdetect scan -j 1` with the copies pass on, so the rows carry copy_of, relation,
  copy_evidence, story_group and the copy-adjusted scores.

Then it asserts: feature values and scores equal within 1e-9, the same evidence (feature,
start, end, message), and identical scan rows (floats within 1e-9, everything else equal).
Exit code 0 when all agree, 1 with the first differences listed otherwise.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

TOLERANCE = 1e-9

# Run inside each version's interpreter: features, raw scores and evidence of every document.
EXTRACTOR = r"""
import json, sys
from mtdetect.model import load
from mtdetect.text import Document
detector = load()
out = open(sys.argv[2], "w", encoding="utf-8")
for line in open(sys.argv[1], encoding="utf-8"):
    record = json.loads(line)
    doc = Document(record["text"])
    extraction = detector.extract(doc)
    paragraph_scores = detector.paragraph_probabilities(extraction).tolist()
    document_score = detector.document_probability(extraction)
    out.write(json.dumps({
        "id": record["id"],
        "document_values": extraction.document_values,
        "paragraph_values": extraction.paragraph_values,
        "evidence": [[e.feature, e.start, e.end, e.message, e.weight] for e in extraction.evidence],
        "paragraph_scores": paragraph_scores,
        "document_score": document_score,
    }) + "\n")
out.close()
print(__import__("mtdetect").__file__, file=sys.stderr)
"""


def run_version(tree: Path, dump: Path, folder: Path, label: str) -> tuple[Path, Path]:
    """Features and scan rows of one version of the code; returns (features file, rows file)."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    features = folder / f"{label}.features.jsonl"
    rows = folder / f"{label}.rows.jsonl"
    # cwd: `python -c` puts the working directory first on the path, ahead of PYTHONPATH.
    done = subprocess.run([sys.executable, "-c", EXTRACTOR, str(dump), str(features)], env=env, capture_output=True, text=True, cwd=folder)
    if done.returncode != 0:
        raise SystemExit(f"{label}: feature extraction failed:\n{done.stderr[-3000:]}")
    loaded_from = done.stderr.strip().splitlines()[-1]
    if not loaded_from.startswith(str(tree)):
        raise SystemExit(f"{label}: mtdetect came from {loaded_from}, not from {tree}")
    scan = [sys.executable, "-c", "import sys; from mtdetect.cli import main; main(sys.argv[1:])", "scan", str(dump), "--output", str(rows), "--overwrite", "-q", "-j", "1"]
    done = subprocess.run(scan, env=env, capture_output=True, text=True, cwd=folder)
    if done.returncode not in (0, 1):  # 1: something flagged
        raise SystemExit(f"{label}: scan failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return features, rows


def differences(old, new, path: str = "") -> list[str]:
    """Where two JSON values differ; floats may differ by TOLERANCE."""
    if isinstance(old, bool) or isinstance(new, bool) or old is None or new is None:
        return [] if old == new and type(old) is type(new) else [f"{path}: {old!r} != {new!r}"]
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        if math.isclose(old, new, rel_tol=0.0, abs_tol=TOLERANCE):
            return []
        return [f"{path}: {old!r} != {new!r}"]
    if isinstance(old, dict) and isinstance(new, dict):
        found = [f"{path}: keys {sorted(set(old) ^ set(new))} on one side only"] if old.keys() != new.keys() else []
        for key in old.keys() & new.keys():
            found += differences(old[key], new[key], f"{path}.{key}")
        return found
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return [f"{path}: {len(old)} items != {len(new)} items"]
        found = []
        for index, (a, b) in enumerate(zip(old, new)):
            found += differences(a, b, f"{path}[{index}]")
        return found
    return [] if old == new else [f"{path}: {old!r} != {new!r}"]


def compare_files(old: Path, new: Path, what: str) -> tuple[int, list[str]]:
    old_lines = old.read_text(encoding="utf-8").splitlines()
    new_lines = new.read_text(encoding="utf-8").splitlines()
    if len(old_lines) != len(new_lines):
        return len(old_lines), [f"{what}: {len(old_lines)} lines before, {len(new_lines)} after"]
    found = []
    for number, (a, b) in enumerate(zip(old_lines, new_lines), 1):
        if a != b:  # identical JSON text needs no closer look
            found += [f"{what} line {number}{d}" for d in differences(json.loads(a), json.loads(b))]
    identical = sum(a == b for a, b in zip(old_lines, new_lines))
    print(f"  {what}: {identical:,} of {len(old_lines):,} lines identical to the last digit")
    return len(old_lines), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old-ref", default="main", help="git ref of the old code (default: main)")
    parser.add_argument("--old-tree", type=Path, help="a checkout of the old code (instead of --old-ref)")
    parser.add_argument("--new-tree", type=Path, default=REPO, help="the new code (default: this checkout)")
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--wmt", type=Path, default=None, help="the WMT documents (default: ../shared/data beside this checkout)")
    parser.add_argument("--keep", type=Path, help="keep the dump and outputs in this folder")
    args = parser.parse_args()

    from bench_scan import WMT, generated_texts, wmt_texts, write_dump

    folder = args.keep or Path(tempfile.mkdtemp(prefix="same-results-"))
    folder.mkdir(parents=True, exist_ok=True)
    old_tree, made_worktree = args.old_tree, False
    if old_tree is None:
        old_tree = folder / "old-tree"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-f", str(old_tree), args.old_ref], check=True, capture_output=True)
        made_worktree = True
    try:
        wmt = args.wmt or WMT
        source = "WMT news" if wmt.is_file() else "generated text (no WMT data found)"
        texts = wmt_texts(wmt, args.documents) if wmt.is_file() else generated_texts(min(args.documents, 2000))
        dump = folder / "dump.jsonl"
        write_dump(dump, texts, args.documents)
        print(f"{args.documents:,} documents of {source}; old code: {old_tree}; new code: {args.new_tree}")
        old_features, old_rows = run_version(old_tree.resolve(), dump, folder, "old")
        new_features, new_rows = run_version(args.new_tree.resolve(), dump, folder, "new")
        count, problems = compare_files(old_features, new_features, "features")
        print(f"features, raw scores and evidence: {count:,} documents, {len(problems)} differences")
        rows, row_problems = compare_files(old_rows, new_rows, "scan rows")
        print(f"scan rows (-j 1, copies on): {rows:,} rows, {len(row_problems)} differences")
        problems += row_problems
        for problem in problems[:30]:
            print("  " + problem)
        if problems:
            raise SystemExit(1)
        print("same results")
    finally:
        if made_worktree:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(old_tree)], capture_output=True)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Build mtdetect/resources/english_word_ranks.txt: the commonest lower-case English words, by rank.

The list feeds the `word_commonness` statistic. It is a feature statistic, not text: one
word a line, commonest first, nothing else. It is derived from HUMAN English only
(professional translations and original English of the training data; machine output is
never read), and it must not encode topics, so a word enters only if it is

* written in lower case where it is not the first word of a sentence (names drop out),
* seen in at least MIN_DOCUMENTS documents translated from at least MIN_LANGUAGES source
  languages (or original English), so one story's vocabulary cannot make the list.

    python scripts/build_word_ranks.py [--data PATH] [--size 5000]
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

from mtdetect.data import read_wmt
from mtdetect.text import Document

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/wmt/wmt-docs.jsonl.gz"
OUTPUT = Path(__file__).resolve().parents[1] / "mtdetect/resources/english_word_ranks.txt"
MIN_DOCUMENTS = 5
MIN_LANGUAGES = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()

    counts: Counter[str] = Counter()
    documents: dict[str, set[str]] = defaultdict(set)
    languages: dict[str, set[str]] = defaultdict(set)
    for example in read_wmt(args.data, domains=None):
        if example.label != 0:
            continue  # human English only
        doc = Document(example.text)
        sentence_starts = {s.start for s in doc.sentences}
        seen: set[str] = set()
        for token in doc.words:
            word = token.text.replace("’", "'")
            if token.start in sentence_starts or not word[0].islower():
                continue
            counts[word] += 1
            seen.add(word)
        for word in seen:
            documents[word].add(example.meta.get("id") or example.source)
            languages[word].add(str(example.meta.get("src_lang")))

    eligible = [w for w in counts if len(documents[w]) >= MIN_DOCUMENTS and len(languages[w]) >= MIN_LANGUAGES]
    eligible.sort(key=lambda w: (-counts[w], w))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(eligible[: args.size]) + "\n", encoding="utf-8")
    print(f"wrote {min(len(eligible), args.size)} words to {args.output}")


if __name__ == "__main__":
    main()

"""Build ``server/paperls/core/title_words.tsv``: for each word common in abstracts, in how many
of the corpora's abstracts it occurs and in how many of those the paper's real title has it too.
What the hover headline keeps a word by: "straightforward", "extensive" or "continues" almost
never reach a title, "underwater" or "segmentation" often do.

Counts come from one half of the papers in ../shared/corpora (by a hash of the paper's id), so
that bench/headlines.py --held-out measures the headline on the other half. Only these counts
are written, never a text or a title.

With ``--fit``, it then fits ``headline_words.COEFFICIENTS`` (a logistic model of "the title has
this word of the abstract") on 10,000 abstracts of the same half and prints them.

    python3 scripts/title_lexicon.py [--fit]
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))

from paperls.core.headline_words import OUT, held_out, word_keys  # noqa: E402

CORPORA = (ROOT.parent / "shared" / "corpora").resolve()
MIN_ABSTRACTS = 20  # rarer words are left out: the headline gives unknown words the benefit


def counted_half() -> list[tuple[str, str]]:
    """(abstract, title) of every paper of the half the table is counted on."""
    files = sorted(CORPORA.glob("*/index.tsv"))
    if not files:
        raise SystemExit(f"no corpora under {CORPORA}")
    out = []
    for tsv in files:
        lines: dict[Path, list[str]] = {}
        with tsv.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh, delimiter="\t"):
                if held_out(r) or not r["title"].strip():
                    continue
                path = tsv.parent / r["file"]
                if path not in lines:
                    lines[path] = path.read_text(encoding="utf-8").split("\n")
                text = lines[path][int(r["line"]) - 1]
                if text.startswith("Abstract:"):
                    out.append((text[len("Abstract:"):], r["title"]))
    return out


def fit(papers: list[tuple[str, str]], n: int = 10_000) -> list[float]:
    """Logistic regression by gradient descent (NumPy) of "the title has this word"."""
    import random

    import numpy as np

    from paperls.core.headline_words import features
    from paperls.core.summary import (
        _CLAIM,
        HEADLINE_TOPICS,
        _titled,
        contribution_object,
        introduced_name,
        sentences,
    )
    from paperls.core.topics import extract

    rows, labels = [], []
    for text, title in random.Random(1).sample(papers, min(n, len(papers))):
        sents = sentences(text)
        claim = next((s for s in sents if _CLAIM.search(s)), "")
        own = introduced_name(text)
        obj = _titled(contribution_object(text, own, sents))
        gold = word_keys(title)
        for k, f in features(text, sents, claim, own, obj, extract(text, HEADLINE_TOPICS)).items():
            rows.append((1.0, *f))
            labels.append(float(k in gold))
    x, y = np.array(rows), np.array(labels)
    w = np.zeros(x.shape[1])
    for _ in range(3000):
        p = 1 / (1 + np.exp(-x @ w))
        w -= x.T @ (p - y) / len(y)
    return [round(float(v), 3) for v in w]


def main() -> None:
    papers = counted_half()
    seen: Counter[str] = Counter()
    titled: Counter[str] = Counter()
    for text, title in papers:
        words = word_keys(text)
        seen.update(words)
        titled.update(words & word_keys(title))
    papers_n = len(papers)
    rows = sorted((w for w, n in seen.items() if n >= MIN_ABSTRACTS), key=lambda w: (-seen[w], w))
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write(f"# word\tabstracts\tin their titles; from {papers_n} papers of ../shared/corpora"
                 " (scripts/title_lexicon.py)\n")
        for w in rows:
            fh.write(f"{w}\t{seen[w]}\t{titled[w]}\n")
    print(f"{len(rows)} words from {papers_n} papers -> {OUT}")
    if "--fit" in sys.argv[1:]:
        print("COEFFICIENTS =", tuple(fit(papers)))


if __name__ == "__main__":
    main()

"""Hover headlines against the papers' real titles (../shared/corpora/*/index.tsv).

For a sample of corpus abstracts: the share of the title's content words (stemmed, stop words
dropped) that the headline contains (title-word recall), and the headline's length in content
words; beside two baselines cut to the same number of content words: the abstract's first words,
and its top TF-IDF words (document frequencies over the whole corpora). Prints a JSON report.

    python3 bench/headlines.py [--sample 2000] [--seed 7] [--held-out]

The headline keeps words by how often such a word reaches a title (core/title_words.tsv,
counted on one half of the corpora's papers): ``--held-out`` samples only the other half.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
import sys
from collections import Counter

from corpus import CORPORA
from paperls.core.headline_words import held_out
from paperls.core.parse import parse
from paperls.core.summary import _FIGURE, figures, gist, introduced_name, sentences
from paperls.core.workspace import Workspace
from paperls.features.papers import paper_title

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]*|\d+[A-Za-z]+\w*")
STOP = set("""a an the of for and or in on to with by from at as via is are be we our this that
these those its it into using use based towards toward over under new novel approach method
methods model models study analysis paper""".split())


def stem(w: str) -> str:
    """A light suffix stripper (the same for headlines and baselines)."""
    w = w.casefold()
    for suf in ("ations", "ation", "ings", "ing", "ies", "es", "s", "ed", "al"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)] + ("y" if suf == "ies" else "")
    return w


def content(text: str) -> list[str]:
    out = []
    for w in _WORD.findall(text):
        for part in w.split("-"):
            if part and part.casefold() not in STOP and len(part) > 1:
                out.append(stem(part))
    return out


def recall(title: list[str], guess: list[str]) -> float:
    t = set(title)
    return len(t & set(guess)) / len(t) if t else 0.0


def sample(n: int, seed: int, held_out_only: bool = False) -> list[tuple[str, str]]:
    """(abstract text, real title) pairs from every corpus folder; with ``held_out_only``, only
    from the half of the papers that core/title_words.tsv was not counted on."""
    rows = []
    for tsv in sorted(CORPORA.glob("*/index.tsv")):
        with tsv.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh, delimiter="\t"):
                if held_out_only and not held_out(r):
                    continue
                rows.append((tsv.parent / r["file"], int(r["line"]), r["title"]))
    random.Random(seed).shuffle(rows)
    out, cache = [], {}
    for path, line, title in rows[:n]:
        if path not in cache:
            cache[path] = path.read_text(encoding="utf-8").split("\n")
        text = cache[path][line - 1]
        if text.startswith("Abstract:") and title.strip():
            out.append((text[len("Abstract:"):], title))
    return out


def run(n: int = 2000, seed: int = 7, held_out_only: bool = False) -> dict:
    pairs = sample(n, seed, held_out_only)
    ws = Workspace()
    df: Counter[str] = Counter()
    for text, _ in pairs:
        df.update(set(content(text)))
    doc_n = len(pairs)
    scores = {"headline": [], "first_words": [], "tfidf": []}
    gists = {"gist": [], "first_sentence": []}
    lengths = []
    for i, (text, title) in enumerate(pairs):
        doc = f"d{i}"
        parsed = parse("H\nAbstract:" + text)
        ws.set_document(doc, parsed)
        a = parsed.abstracts[0]
        head = content(paper_title(ws, doc, a))
        ws.remove_document(doc)
        k = max(1, len(head))
        lengths.append(len(head))
        words = content(text)
        tf = Counter(words)
        top = sorted(tf, key=lambda w: -tf[w] * math.log(doc_n / (1 + df[w])))[:k]
        gold = content(title)
        scores["headline"].append(recall(gold, head))
        scores["first_words"].append(recall(gold, words[:k]))
        scores["tfidf"].append(recall(gold, top))
        sents = sentences(text)
        gists["gist"].append(recall(gold, content(gist(text, ws_topics(text)))))
        gists["first_sentence"].append(recall(gold, content(sents[0] if sents else "")))
    mean = {k: round(sum(v) / len(v), 4) for k, v in scores.items()}
    return {"abstracts": len(pairs), "title_word_recall": mean,
            "headline_vs_tfidf": round(mean["headline"] / mean["tfidf"], 3),
            "headline_content_words": round(sum(lengths) / len(lengths), 2),
            "gist_title_word_recall": {k: round(sum(v) / len(v), 4) for k, v in gists.items()},
            "key_figures": figure_report([t for t, _ in pairs])}


def ws_topics(text: str):
    from paperls.core.topics import extract
    return extract(text, 8)


_UNIT_WORDS = set("""percent percentage points pp ms milliseconds millisecond seconds second hours
hour days day times billion million thousand trillion""".split())


def _says_what(fig: str) -> bool:
    """A figure names what it measures: a word beyond the number and its unit."""
    return any(w.casefold() not in _UNIT_WORDS for w in re.findall(r"[A-Za-z][A-Za-z\-]{2,}", fig))


def figure_report(texts: list[str]) -> dict:
    """The hover's key figures (the first five of an abstract) against the bare matches of the
    same figure pattern (what the hover showed before they said what they measure): how many,
    and the share that name what they measure."""
    ours, bare = [], []
    for text in texts:
        ours += figures(text, own=introduced_name(text))
        got = [" ".join(m.group(0).split()) for m in _FIGURE.finditer(text)]
        bare += [f for f in got if not re.fullmatch(r"\d{4}\s*s?", f)][:5]
    return {"figures": len(ours), "says_what_it_measures": round(
                sum(map(_says_what, ours)) / max(1, len(ours)), 4),
            "bare_matches": len(bare), "bare_says_what_it_measures": round(
                sum(map(_says_what, bare)) / max(1, len(bare)), 4)}


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--held-out", action="store_true",
                    help="sample only the papers core/title_words.tsv was not counted on")
    a = ap.parse_args()
    report = run(a.sample, a.seed, a.held_out)
    report["sample"] = "held-out half" if a.held_out else "all papers"
    json.dump(report, sys.stdout, indent=2)
    print()

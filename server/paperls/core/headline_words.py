"""How likely a word of an abstract is to be in the paper's title: what a headline keeps.

``title_words.tsv`` (scripts/title_lexicon.py) counts, for each word common in the corpora's
abstracts, in how many abstracts it occurs and in how many of those the real title has it.
Connectives, adverbs, verbs and praise ("however", "significantly", "demonstrate",
"straightforward", "comprehensive") almost never reach a title; the subject's words
("underwater", "segmentation", "parsing") often do. A word the table lacks is rare in abstracts
(a name, a technical term) and gets the benefit of the doubt.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from pathlib import Path

from . import languages
from .topics import _frequencies, is_name

OUT = Path(__file__).with_name("title_words.tsv")
UNKNOWN = 0.3  # a word too rare to be counted: most often a name or a term of the field
_WORD = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=1 << 16)  # ~270 calls a headline, on few distinct words
def key(word: str) -> str:
    """One form of a word for both sides: casefolded, a plural "s" dropped."""
    w = word.casefold()
    return w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w


def word_keys(text: str, zh: bool = False) -> set[str]:
    return {key(w) for w in words_of(text, zh) if not w.isdigit()}


def words_of(text: str, zh: bool = False) -> list[str]:
    """The words of ``text``; with ``zh`` (an abstract in Chinese), its runs of Han characters
    cut into words as its topics are (``languages.segmented``), not each run one word."""
    words = _WORD.findall(text)
    if zh and not text.isascii():
        words = languages.segmented(words, _frequencies("zh"))
    return words


def held_out(row: dict[str, str]) -> bool:
    """Whether a paper (a row of a corpus's ``index.tsv``) is in the half the table is not
    built from (bench/headlines.py --held-out measures on it); by its arXiv or Anthology id."""
    paper = row.get("arxiv_id") or row.get("anthology_id") or row["title"]
    return hashlib.blake2b(paper.encode(), digest_size=1).digest()[0] & 1 == 1


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, float]:
    out: dict[str, float] = {}
    try:
        lines = OUT.read_text(encoding="utf-8").splitlines()
    except OSError:
        return out
    for line in lines:
        if line.startswith("#"):
            continue
        w, n, t = line.split("\t")
        out[w] = (int(t) + 0.5) / (int(n) + 5)
    return out


@functools.lru_cache(maxsize=1 << 16)
def title_odds(word: str) -> float:
    """The share of abstracts with ``word`` whose title has it too (0 to 1); a word of several
    parts ("high-fidelity", "text-to-image") counts by its most title-like part."""
    parts = [key(p) for p in _WORD.findall(word) if not p.isdigit()]
    if not parts:
        return 0.0
    table = _table()
    return max(table.get(p, UNKNOWN) for p in parts)


# A logistic model of "the title has this word of the abstract", fitted by
# scripts/title_lexicon.py --fit on 10,000 abstracts of the counted half: intercept, then the
# weights of log title odds, log count in the abstract, in the first sentence, in the
# contribution sentence, written as a name, relative position of its first use, in the
# contribution's object, in the paper's own name, 1/(1 + rank of the first topic with it), in
# a topic at all.
COEFFICIENTS = (-1.25, 0.873, 0.701, 0.217, 0.746, -0.581, -1.207, 0.925, 2.064, 1.02, 0.547)


def word_odds(text: str, sents: list[str], claim: str, name: str | None, obj: str,
              topics, only: set[str] | None = None, zh: bool = False) -> dict[str, float]:
    """How likely the paper's title is to have each word of ``text`` (by ``key``), from where
    and how often the abstract uses it, how often titles have it (``title_odds``), and whether
    the abstract's name, contribution or topics hold it. ``sents``: the text's sentences;
    ``claim``: its contribution sentence ("We propose ..."); ``topics``: its key phrases, best
    first; ``only``: the words wanted (all when None)."""
    c0, *c = COEFFICIENTS
    out = {}
    for k, f in features(text, sents, claim, name, obj, topics, only, zh).items():
        z = c0
        for w, x in zip(c, f, strict=True):
            z += w * x
        out[k] = 1.0 / (1.0 + math.exp(-z))
    return out


def features(text: str, sents: list[str], claim: str, name: str | None, obj: str,
             topics, only: set[str] | None = None,
             zh: bool = False) -> dict[str, tuple[float, ...]]:
    """Each word's features for ``word_odds``, in ``COEFFICIENTS`` order (of the words in
    ``only``, when given: a headline weighs a few dozen of an abstract's words)."""
    first = word_keys(sents[0], zh) if sents else set()
    in_claim, in_obj = word_keys(claim, zh), word_keys(obj, zh)
    in_name = word_keys(name or "", zh)
    rank: dict[str, int] = {}
    for i, p in enumerate(topics):
        for k in word_keys(p.text, zh):
            rank.setdefault(k, i)
    toks = words_of(text, zh)
    n = max(1, len(toks))
    raw: dict[str, int] = {}  # each written form once: how often, and where first
    first_at: dict[str, int] = {}
    for i, t in enumerate(toks):
        if t in raw:
            raw[t] += 1
        elif not t.isdigit():
            raw[t] = 1
            first_at[t] = i
    count: dict[str, int] = {}
    at: dict[str, float] = {}
    named: set[str] = set()
    for t, f in raw.items():
        k = key(t)
        if only is not None and k not in only:
            continue
        count[k] = count.get(k, 0) + f
        at[k] = min(at.get(k, 1.0), first_at[t] / n)
        if is_name(t):
            named.add(k)
    return {k: (math.log(max(1e-3, title_odds(k))), math.log1p(f), float(k in first),
                float(k in in_claim), float(k in named), at[k], float(k in in_obj),
                float(k in in_name), 1.0 / (1 + rank[k]) if k in rank else 0.0,
                float(k in rank))
            for k, f in count.items()}

"""Benchmark data: the real corpora in ../shared/corpora, synthetic workspaces built from them,
planted variants with known originals, and a reference set of natural duplicates.

Everything is read in place and generated in memory (or in a scratch folder); nothing from the
corpora is copied into the project.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from paperls.core.normalize import normalize, tokens
from paperls.core.parse import parse
from paperls.core.summary import sentences

ROOT = Path(__file__).resolve().parents[1]
CORPORA = (ROOT.parent / "shared" / "corpora").resolve()


def corpus_files() -> list[Path]:
    files = sorted(CORPORA.glob("*/*.txt"))
    if not files:
        raise SystemExit(f"no corpora under {CORPORA}: the benchmarks need ../shared beside the project")
    return files


def load_lists(copies: int = 1, limit: int | None = None) -> list[tuple[str, str]]:
    """(document name, text) of the corpora; ``copies`` > 1 repeats every list under another
    name (another curator's list of the same papers), ``limit`` caps the number of abstracts."""
    out: list[tuple[str, str]] = []
    n = 0
    for c in range(copies):
        for f in corpus_files():
            text = f.read_text(encoding="utf-8")
            k = text.count("\nAbstract:")
            if limit is not None and n + k > limit:
                lines = text.split("\n")[: 1 + max(0, limit - n)]
                text, k = "\n".join(lines), len(lines) - 1
            out.append((f"copy{c}/{f.parent.name}/{f.name}", text))
            n += k
            if limit is not None and n >= limit:
                return out
    return out


@dataclass(frozen=True, slots=True)
class Planted:
    kind: str
    doc: str
    line: int  # 0-based line of the variant
    original: tuple[str, int]  # (doc, 0-based line) of the abstract it was made from


KINDS = ("words", "sentence_added", "sentence_dropped", "surface", "truncated")


def _words_changed(text: str, rng: random.Random, vocab: list[str]) -> str:
    words = text.split(" ")
    k = max(2, round(len(words) * rng.uniform(0.04, 0.10)))
    for i in rng.sample(range(len(words)), k):
        words[i] = rng.choice(vocab)
    return " ".join(words)


def _surface(text: str, rng: random.Random) -> str:
    out = text.replace("%", "\\%").replace(" ", "  ", 3)
    words = out.split(" ")
    i = rng.randrange(len(words))
    words[i] = words[i].upper()
    return " ".join(words) + " "


def planted_set(lists: list[tuple[str, str]], per_kind: int = 200, seed: int = 1,
                files: int = 10) -> tuple[list[tuple[str, str]], list[Planted]]:
    """Variants of real abstracts, in ``files`` extra lists; returns the lists and the truth."""
    rng = random.Random(seed)
    pool: list[tuple[str, int, str]] = []
    for doc, text in lists:
        for a in parse(text).abstracts:
            if len(a.text.split()) >= 80 and len(sentences(a.text)) >= 4:
                pool.append((doc, a.line, a.text))
    vocab = [w for _, _, t in rng.sample(pool, 200) for w in t.split(" ") if w.isalpha()]
    picks = rng.sample(pool, per_kind * len(KINDS))
    out_lines: list[list[str]] = [[f"Planted {i}"] for i in range(files)]
    truth: list[Planted] = []
    for i, (doc, line, text) in enumerate(picks):
        kind = KINDS[i % len(KINDS)]
        sents = sentences(text)
        if kind == "words":
            v = _words_changed(text, rng, vocab)
        elif kind == "sentence_added":
            other = sentences(rng.choice(pool)[2])
            v = text + " " + rng.choice(other)
        elif kind == "sentence_dropped":
            j = rng.randrange(1, len(sents) - 1)
            v = " ".join(sents[:j] + sents[j + 1:])
        elif kind == "surface":
            v = _surface(text, rng)
        else:
            v = " ".join(sents[: max(2, len(sents) // 3)])
            if len(v.split()) < 35:
                v = " ".join(sents[:3])
        f = i % files
        out_lines[f].append("Abstract:" + v)
        truth.append(Planted(kind, f"planted/{f:02d}.txt", len(out_lines[f]) - 1, (doc, line)))
    return [(f"planted/{i:02d}.txt", "\n".join(ls)) for i, ls in enumerate(out_lines)], truth


def _shingles(text: str, n: int) -> set[tuple[str, ...]]:
    t = tokens(normalize(text))
    return {tuple(t[i:i + n]) for i in range(max(1, len(t) - n + 1))}


def natural_reference(lists: list[tuple[str, str]], min_jaccard: float = 0.9
                      ) -> set[tuple[tuple[str, int], tuple[str, int]]]:
    """Pairs of different abstracts (distinct normalised texts) whose word 3-gram Jaccard is at
    least ``min_jaccard``, found exactly: any such pair shares an 8-word shingle, so every pair
    sharing one is scored. The corpora READMEs describe the same scan."""
    where: dict[str, tuple[str, int]] = {}
    texts: dict[tuple[str, int], str] = {}
    for doc, text in lists:
        for a in parse(text).abstracts:
            norm = normalize(a.text)
            if norm not in where:
                where[norm] = (doc, a.line)
                texts[(doc, a.line)] = a.text
    post: dict[tuple[str, ...], list[tuple[str, int]]] = {}
    for loc, text in texts.items():
        for s in _shingles(text, 8):
            if len(s) == 8:
                post.setdefault(s, []).append(loc)
    cands = set()
    for locs in post.values():
        if 1 < len(locs) <= 50:
            for i in range(len(locs)):
                for j in range(i + 1, len(locs)):
                    cands.add(tuple(sorted((locs[i], locs[j]))))
    out = set()
    for a, b in cands:
        sa, sb = _shingles(texts[a], 3), _shingles(texts[b], 3)
        if len(sa & sb) / len(sa | sb) >= min_jaccard:
            out.add((a, b))
    return out


_ID = re.compile(r"\s+")

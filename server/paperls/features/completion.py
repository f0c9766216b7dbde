"""Completion of paper topics (and of the ``Abstract:`` prefix at the start of a line).

The words before the cursor (up to three) are matched against the topic catalogue: phrases
that start with them first, then fuzzy matches (rapidfuzz), each ranked by how useful it is to
type: how many abstracts have it, and longer phrases above single words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..core.catalog import Topic
from ..core.parse import PREFIX
from ..core.summary import sentences
from ..core.topics import MAX_CHARS, is_name
from ..core.workspace import Workspace

MAX_ITEMS = 50
FUZZY_BELOW = 10  # fuzzy matching only when prefixes find fewer offers than this
_WORD_BEFORE = re.compile(r"([^\W_][\w\-'’.+]*)\s*$")


@dataclass(frozen=True, slots=True)
class CompletionResult:
    label: str
    insert_text: str
    start: int  # column where the replaced text starts (cursor is the end)
    detail: str
    documentation: str
    rank: int  # 0 best: the order the user should see the items in
    kind: str  # "topic" or "prefix"


def _typed_words(before: str, n: int) -> tuple[str, int] | None:
    """The last ``n`` words before the cursor and the column where they start."""
    end = len(before)
    start = end
    for _ in range(n):
        m = _WORD_BEFORE.search(before[:start])
        if not m:
            return None
        start = m.start(1)
    if start == end:
        return None
    return before[start:end], start


def complete(ws: Workspace, doc: str, line_text: str, line: int, col: int,
             max_items: int = MAX_ITEMS) -> list[CompletionResult]:
    col = max(0, min(col, len(line_text)))
    before = line_text[:col]
    out: list[CompletionResult] = []
    if line > 0 and PREFIX.casefold().startswith(before.casefold()) \
            and not line_text.startswith(PREFIX):
        out.append(CompletionResult(PREFIX, PREFIX, 0, "start an abstract",
                                    "Each abstract is one line that starts with `Abstract:`.",
                                    0, "prefix"))
        if not before:
            return out
    offers: dict[str, tuple[tuple, Topic, int]] = {}
    for n in (3, 2, 1):
        typed = _typed_words(before, n)
        if typed is None:
            continue
        text, start = typed
        q = " ".join(text.casefold().split())
        if len(q) < 2:
            continue
        here = (doc, line)
        for topic in ws.catalog.with_prefix(q, 400):
            _offer(offers, topic, start, 2, n, q, here)
        if n == 1 and len(offers) < FUZZY_BELOW and len(q) >= 3:
            for key, score, _ in process.extract(q, ws.catalog.frequent_keys(),
                                                 scorer=fuzz.partial_ratio, limit=100,
                                                 score_cutoff=85):
                topic = ws.catalog.get(key)  # the list may be a little stale: check
                if topic is not None:
                    _offer(offers, topic, start, 1 if score >= 95 else 0, n, q, here)
    ranked = _shorter_first(sorted(offers.values(), key=lambda r: r[0]))
    for i, (_, topic, start) in enumerate(ranked[: max_items - len(out)]):
        detail = f"topic · in {topic.abstracts} abstract{'s' if topic.abstracts != 1 else ''}"
        docs = _snippet(ws, topic) if i < 20 else f"**{topic.text}**"
        text = in_typed_case(topic.text, before[start:])
        out.append(CompletionResult(text, text, start, detail, docs, i + 1, "topic"))
    return out


def in_typed_case(phrase: str, typed: str) -> str:
    """The phrase as the user is writing it: a first word capitalised only because it opened a
    sentence somewhere ("Sparse autoencoders") goes in lower case after "We train sparse auto",
    and a phrase starts with a capital where the user typed one (a sentence start). Names and
    acronyms keep their form (GPT-4o, HumanEval)."""
    first, sep, rest = phrase.partition(" ")
    lead = typed.lstrip()[:1]
    if not first or not lead or is_name(first):
        return phrase
    if lead.islower() and first[0].isupper():
        first = first[0].lower() + first[1:]
    elif lead.isupper() and first[0].islower():
        first = first[0].upper() + first[1:]
    return first + sep + rest


def _shorter_first(ranked: list) -> list:
    """Put an offered phrase right before the longer offers it begins ("GPT-4o" before
    "GPT-4o System Card"), as a trie would, keeping the ranking otherwise."""
    by_key = {r[1].key: r for r in ranked}
    out, done = [], set()
    for r in ranked:
        words = r[1].key.split()
        for n in range(1, len(words)):
            head = by_key.get(" ".join(words[:n]))
            if head is not None and head[1].key not in done:
                done.add(head[1].key)
                out.append(head)
        if r[1].key not in done:
            done.add(r[1].key)
            out.append(r)
    return out


def _offer(offers: dict, topic: Topic, start: int, quality: int, n: int, q: str,
           here: tuple[str, int]) -> None:
    if topic.abstracts <= 0 or topic.key == q:
        return
    if topic.abstracts == 1 and topic.example == here:
        return  # only in the line being typed: offering the user's own words back is noise
    words = len(topic.key.split())
    usefulness = topic.abstracts * (1.0 + 0.5 * (words - 1))
    rank = (-quality, -n, -usefulness, topic.key)
    prev = offers.get(topic.key)
    if prev is None or rank < prev[0]:
        offers[topic.key] = (rank, topic, start)


def _snippet(ws: Workspace, topic: Topic) -> str:
    """Documentation: the phrase in a sentence of one abstract that has it."""
    n = topic.abstracts
    head = f"**{topic.text}** — topic of {n} abstract{'s' if n != 1 else ''}"
    doc, line = topic.example
    d = ws.index.document(doc)
    a = d.parsed.abstract_at(line) if d else None
    if a is None:
        return head
    low = topic.text.casefold()
    for s in sentences(a.text[:MAX_CHARS]):
        if low in s.casefold():
            return f"{head}\n\n> {s}\n\n`{ws.namer(doc)}` line {line + 1}"
    return f"{head}\n\n`{ws.namer(doc)}` line {line + 1}"

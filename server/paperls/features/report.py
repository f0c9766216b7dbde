"""The data behind ``paperls report``: the whole collection at a glance, as plain values.

- papers with more than one copy, largest first, each copy with how it differs from the first
  (and the changed words, for near copies);
- the curator overlap: for every pair of lists, how many papers they share (lists ordered so
  that those that share most stand together);
- the top topics, with how many abstracts have each and which lists hold them;
- the format problems of each list.

At scale the page stays usable by aggregation: at most ``max_papers`` papers (the rest counted),
the ``max_lists`` lists that share most in the matrix, topics from a sample of abstracts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import combinations

from ..core.codes import DUPLICATE_CODES
from ..core.workspace import Workspace
from .diagnostics import document_diagnostics
from .papers import papers, text_at, word_diff

TOPIC_SAMPLE = 3000  # abstracts whose topics the map is built from, when not extracted yet


def build(ws: Workspace, name: Callable[[str], str], max_papers: int = 500,
          max_lists: int = 40, max_topics: int = 40, sample: bool = True) -> dict:
    """The report's data. ``sample``: extract topics of a sample of abstracts when none are
    extracted yet (the command line; the server has them, and must not write off its loop)."""
    found = papers(ws)
    found.sort(key=lambda p: (-len(p.members), -p.lists, p.members[0].doc, p.members[0].line))
    out_papers = []
    for p in found[:max_papers]:
        first = text_at(ws, p.members[0].doc, p.members[0].line) or ""
        members = []
        for m in p.members:
            entry = {"list": name(m.doc), "line": m.line + 1, "relation": m.relation}
            if m.relation not in ("first copy", "exact copy"):
                other = text_at(ws, m.doc, m.line) or ""
                entry["diff"] = [{"before": c.before, "deleted": c.deleted,
                                  "inserted": c.inserted, "after": c.after}
                                 for c in word_diff(first, other, limit=4)]
            members.append(entry)
        out_papers.append({"cluster": p.cluster, "title": p.title, "first_words": p.first_words,
                           "lists": p.lists, "copies": len(p.members), "members": members})
    return {
        "lists": len(ws.index.docs),
        "abstracts": ws.index.abstract_count,
        "papers_with_copies": len(found),
        "papers_in_several_lists": sum(1 for p in found if p.lists > 1),
        "papers_twice_in_a_list": sum(1 for p in found if p.twice_in_a_list),
        "papers": out_papers,
        "papers_not_shown": max(0, len(found) - max_papers),
        "overlap": overlap(found, name, max_lists),
        "topics": topic_map(ws, name, max_topics, sample),
        "problems": problems(ws, name),
    }


def overlap(found, name: Callable[[str], str], max_lists: int) -> dict:
    """Shared papers for every pair of lists, with the clusters behind each count."""
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    shared: Counter[str] = Counter()
    for p in found:
        docs = sorted({m.doc for m in p.members})
        for a, b in combinations(docs, 2):
            pairs[(a, b)].append(p.cluster)
            shared[a] += 1
            shared[b] += 1
    # The lists that share most, ordered greedily so that neighbours share most with each other.
    top = [d for d, _ in shared.most_common(max_lists)]
    order: list[str] = []
    rest = set(top)
    while rest:
        if not order:
            nxt = max(rest, key=lambda d: (shared[d], d))
        else:
            last = order[-1]
            nxt = max(rest, key=lambda d: (len(pairs.get(tuple(sorted((last, d))), [])),
                                           shared[d], d))
        order.append(nxt)
        rest.discard(nxt)
    index = {d: i for i, d in enumerate(order)}
    cells = [{"a": min(index[a], index[b]), "b": max(index[a], index[b]), "papers": len(cs),
              "clusters": cs[:50]}
             for (a, b), cs in sorted(pairs.items()) if a in index and b in index]
    return {"lists": [name(d) for d in order], "cells": cells,
            "lists_not_shown": max(0, len(shared) - len(order))}


def topic_map(ws: Workspace, name: Callable[[str], str], max_topics: int,
              sample: bool = True) -> dict:
    """The topics found in most abstracts, and the lists that hold them."""
    sampled = 0
    if len(ws.catalog) == 0 and sample:
        todo = ws.missing_texts()
        if len(todo) > TOPIC_SAMPLE:
            sampled = TOPIC_SAMPLE  # said on the page: the map is of a sample
        ws.fill_topics(todo[:TOPIC_SAMPLE])
    # A topic of the map names something: letters, not a bare figure ("10x", "2013"), and,
    # when any are, one that more than one abstract has.
    named = [t for t in ws.catalog.topics.values()
             if sum(ch.isalpha() for ch in t.text) >= 3 and not t.text[:1].isdigit()]
    if any(t.abstracts > 1 for t in named):
        named = [t for t in named if t.abstracts > 1]
    ranked = sorted(named, key=lambda t: (-t.abstracts, t.key))
    out = []
    for t in ranked[:max_topics]:
        lists: Counter[str] = Counter()
        for tid in t.members:
            for doc, _ in ws.index.occurrences(tid):
                lists[name(doc)] += 1
        out.append({"topic": t.text, "abstracts": t.abstracts,
                    "lists": [{"list": k, "abstracts": v} for k, v in lists.most_common(8)],
                    "lists_total": len(lists)})
    return {"topics": out, "sampled_abstracts": sampled}


def problems(ws: Workspace, name: Callable[[str], str]) -> list[dict]:
    out = []
    for doc in sorted(ws.index.docs):
        found = [d for d in document_diagnostics(ws, doc) if d.code not in DUPLICATE_CODES]
        if found:
            out.append({"list": name(doc), "problems": [
                {"line": d.line + 1, "code": d.code, "message": d.message} for d in found[:200]],
                "total": len(found)})
    return out

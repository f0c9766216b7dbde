"""Related abstracts (other papers on the same topics, never copies) and workspace symbols
(any abstract found by its topics, fuzzily)."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..core.workspace import Workspace
from .papers import real_title


@dataclass(frozen=True, slots=True)
class Place:
    doc: str
    line: int
    start: int
    end: int
    score: float
    label: str


def _place(ws: Workspace, tid: int, score: float) -> Place | None:
    where = ws.index.first_occurrence(tid)
    if where is None:
        return None
    d = ws.index.document(where[0])
    a = d.parsed.abstract_at(where[1]) if d else None
    if a is None:
        return None
    return Place(where[0], where[1], a.start, a.end, score,
                 real_title(ws, *where) or ws.labels.get(tid, a.text[:60]))


def related(ws: Workspace, doc: str, line: int, limit: int = 20) -> list[Place]:
    out = []
    for tid, score in ws.related(doc, line, limit):
        p = _place(ws, tid, round(score, 3))
        if p is not None:
            out.append(p)
    return out


def workspace_symbols(ws: Workspace, query: str, limit: int = 100) -> list[Place]:
    """Abstracts whose topics match the query (all of them, up to ``limit``, for no query)."""
    tids = list(ws.search)
    if ws.refs.files:  # a real title and a citation key find a paper too
        ws.refs.link(ws.index, tids)
        texts = [" · ".join([ws.search[t], *(f"{x.ref.title} {x.ref.cite}"
                                             for x in ws.refs.links(ws.index, t))])
                 for t in tids]
    else:
        texts = [ws.search[t] for t in tids]
    if not query.strip():
        hits = [(x, 100.0, i) for i, x in enumerate(texts[:limit])]
    else:
        hits = process.extract(query, texts, scorer=fuzz.partial_ratio, limit=limit,
                               score_cutoff=70, processor=str.casefold)
    out = []
    for _, score, i in hits:
        p = _place(ws, tids[i], round(score / 100, 3))
        if p is not None:
            out.append(p)
    return out

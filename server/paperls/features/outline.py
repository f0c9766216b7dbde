"""Document symbols (the outline of a list) and document links (URLs, arXiv ids, DOIs)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.workspace import Workspace
from .papers import paper_title

_URL = re.compile(r"\bhttps?://[^\s<>\"'`]+")
_ARXIV = re.compile(r"\barXiv:\s?(\d{4}\.\d{4,5}(?:v\d+)?)\b|\barxiv\.org/abs/(\d{4}\.\d{4,5})", re.I)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)")
_TRAILING = ".,;:)]}'\""


@dataclass(frozen=True, slots=True)
class Symbol:
    name: str
    detail: str
    line: int
    start: int
    end: int
    children: tuple[Symbol, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    line: int
    start: int
    end: int
    target: str


def outline(ws: Workspace, doc: str) -> list[Symbol]:
    """The curator (the header) with one child per abstract, named by its title-like line."""
    d = ws.index.document(doc)
    if d is None:
        return []
    kids = []
    for a in d.parsed.abstracts:
        name = paper_title(ws, doc, a)
        kids.append(Symbol(name, f"line {a.line + 1}", a.line, 0, a.end))
    if d.parsed.header is None:
        return kids
    header_line = d.parsed.lines[0]
    n = len(d.parsed.abstracts)
    return [Symbol(d.parsed.header, f"{n} abstract{'s' if n != 1 else ''}", 0, 0,
                   len(header_line), tuple(kids))]


def links(ws: Workspace, doc: str) -> list[Link]:
    d = ws.index.document(doc)
    if d is None:
        return []
    out: list[Link] = []
    for a in d.parsed.abstracts:
        text = a.source
        taken: list[tuple[int, int]] = []
        for m in _URL.finditer(text, a.start, a.end):
            s, e = m.start(), m.end()
            while e > s and text[e - 1] in _TRAILING:
                e -= 1
            out.append(Link(a.line, s, e, text[s:e]))
            taken.append((s, e))
        for m in _ARXIV.finditer(text, a.start, a.end):
            if any(s <= m.start() < e for s, e in taken):
                continue
            ident = m.group(1) or m.group(2)
            out.append(Link(a.line, m.start(), m.end(), f"https://arxiv.org/abs/{ident}"))
        for m in _DOI.finditer(text, a.start, a.end):
            if any(s <= m.start() < e for s, e in taken):
                continue
            s, e = m.start(1), m.end(1)
            while e > s and text[e - 1] in _TRAILING:
                e -= 1
            out.append(Link(a.line, s, e, f"https://doi.org/{text[s:e]}"))
    return out

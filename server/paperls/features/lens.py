"""Code lenses (where else a paper is; the list's counts) and inlay hints (topic tags)."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.workspace import Workspace
from .papers import distinct_papers


@dataclass(frozen=True, slots=True)
class Lens:
    line: int
    title: str
    targets: tuple[tuple[str, int], ...]  # (doc, line) the lens opens as references


@dataclass(frozen=True, slots=True)
class Hint:
    line: int
    col: int
    label: str


def lenses(ws: Workspace, doc: str) -> list[Lens]:
    d = ws.index.document(doc)
    if d is None:
        return []
    out = []
    findings = ws.index.findings(doc)
    if d.parsed.header is not None:
        shared = {c.doc for f in findings for c in f.copies if c.doc != doc}
        inside = sum(1 for f in findings if any(c.doc == doc for c in f.copies))
        n = distinct_papers(ws, doc)
        lists = (f"papers shared with {len(shared)} other list{'s' if len(shared) != 1 else ''}"
                 if ws.ready else "indexing the workspace…")
        out.append(Lens(0, f"{n} paper{'s' if n != 1 else ''} · {inside} with a copy here · "
                           + lists, tuple((c.doc, c.line) for f in findings for c in f.copies)))
    for f in findings:
        others = {c.doc for c in f.copies if c.doc != doc}
        here = sum(1 for c in f.copies if c.doc == doc)
        parts = []
        if others:
            parts.append(f"in {len(others)} other list{'s' if len(others) != 1 else ''}")
        if here:
            parts.append(f"{here} more cop{'ies' if here != 1 else 'y'} in this list")
        out.append(Lens(f.line, " · ".join(parts), tuple((c.doc, c.line) for c in f.copies)))
    return out


def inlay_hints(ws: Workspace, doc: str, first: int, last: int, max_len: int = 60) -> list[Hint]:
    d = ws.index.document(doc)
    if d is None:
        return []
    if not ws.ready:  # one hint on the header, not tags that the index may still change
        return [Hint(0, len(d.parsed.lines[0]), " ⟨paperls: indexing…⟩")] \
            if d.parsed.header is not None and first == 0 else []
    out = []
    for a in d.parsed.abstracts:
        if first <= a.line <= last:
            tags = ", ".join(p.text for p in ws.topics(doc, a, 3))
            if len(tags) > max_len:
                tags = tags[: max_len - 1].rsplit(" ", 1)[0] + "…"
            if tags:
                out.append(Hint(a.line, len(a.source), f" ⟨{tags}⟩"))
    return out

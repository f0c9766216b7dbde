"""Go to matching abstract: the other copies of the paper under the cursor."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.workspace import Workspace
from .papers import real_title


@dataclass(frozen=True, slots=True)
class Target:
    doc: str
    line: int
    start: int
    end: int
    exact: bool
    similarity: float


def _target(ws: Workspace, doc: str, line: int, exact: bool, sim: float) -> Target | None:
    d = ws.index.document(doc)
    a = d.parsed.abstract_at(line) if d else None
    return Target(doc, line, a.start, a.end, exact, sim) if a else None


def definition(ws: Workspace, doc: str, line: int) -> list[Target]:
    """Other copies: exact first, then near ones, best first; then the reference entries the
    abstract is (a .bib, .ris or CSL JSON file of the workspace)."""
    out = []
    for c in ws.index.copies(doc, line):
        t = _target(ws, c.doc, c.line, c.exact, c.similarity)
        if t is not None:
            out.append(t)
    for x in ws.references_of(doc, line):
        out.append(Target(x.doc, x.ref.line, 0, ws.refs.files[x.doc].line_end(x.ref.line),
                          x.exact, x.similarity))
    return out


def references(ws: Workspace, doc: str, line: int, include_declaration: bool) -> list[Target]:
    others = definition(ws, doc, line)
    if not others and ws.index.text_id(doc, line) is None:
        return []
    if include_declaration:
        me = _target(ws, doc, line, True, 1.0)
        if me is not None:
            return [me, *others]
    return others


def title_of(ws: Workspace, t: Target) -> str:
    """A title-like line of the paper at a target (its three best topics)."""
    d = ws.index.document(t.doc)
    a = d.parsed.abstract_at(t.line) if d else None
    if a is None:  # a reference entry: its title
        e = ws.refs.entry_at(t.doc, t.line)
        return f"{e.title} ({e.cite})" if e else ""
    return real_title(ws, t.doc, t.line) or " · ".join(p.text for p in ws.topics(t.doc, a, 3))

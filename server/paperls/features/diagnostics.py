"""Duplicate and format findings of one document, as plain diagnostics.

Each duplicate finding names every other copy in its message (Neovim shows no related
information) and lists them as ``related`` too. Codes are stable; severities come from settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..core.codes import (  # noqa: F401  (re-exported: the codes belong to the findings)
    DEFAULT_SEVERITY,
    DUPLICATE_ACROSS_LISTS,
    DUPLICATE_CODES,
    DUPLICATE_IN_LIST,
    FORMAT_CODES,
    NEAR_DUPLICATE_ACROSS_LISTS,
    NEAR_DUPLICATE_IN_LIST,
    POSSIBLE_DUPLICATE_ACROSS_LISTS,
    POSSIBLE_DUPLICATE_IN_LIST,
    SEVERITIES,
)
from ..core.index import Copy, Finding
from ..core.workspace import Workspace
from .papers import how, paper_title, text_at

MAX_NAMED = 5


@dataclass(frozen=True, slots=True)
class Related:
    doc: str
    line: int
    start: int
    end: int
    message: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    line: int
    start: int
    end: int
    severity: str
    code: str
    message: str
    related: tuple[Related, ...] = ()
    similarity: float | None = None
    paper: str | None = None  # the paper's headline, for duplicates
    data: dict = field(default_factory=dict)


def code_of(finding: Finding) -> str:
    """In-list beats across-lists; exact beats near (the graver mistake names the finding)."""
    same = [c for c in finding.copies if c.doc == finding.doc]
    pool = same or list(finding.copies)
    exact = any(c.exact for c in pool)
    certain = exact or any(not c.possible for c in pool)
    if same:
        return DUPLICATE_IN_LIST if exact else NEAR_DUPLICATE_IN_LIST if certain \
            else POSSIBLE_DUPLICATE_IN_LIST
    return DUPLICATE_ACROSS_LISTS if exact else NEAR_DUPLICATE_ACROSS_LISTS if certain \
        else POSSIBLE_DUPLICATE_ACROSS_LISTS


def describe_copy(ws: Workspace, doc: str, c: Copy, mine: str | None = None) -> str:
    """ "at line 12 of this list (exact)" or "in b.txt:3 (91% similar)": "this list" only for
    copies in this list."""
    where = f"at line {c.line + 1} of this list" if c.doc == doc \
        else f"in {ws.namer(c.doc)}:{c.line + 1}"
    return f"{where} ({how(c, mine, text_at(ws, c.doc, c.line))})"


SQUIGGLE_WORDS = 12


def squiggle_end(line: str, start: int, end: int) -> int:
    """Where a duplicate's underline ends: after the first sentence, or its first dozen words
    if that is shorter. A 1,400-character abstract underlined whole is a wall of squiggles; the
    related locations still span each other copy whole."""
    text = line[start:end]
    stop = len(text)
    words = 0
    for i, ch in enumerate(text):
        if ch in ".!?" and (i + 1 == len(text) or text[i + 1] == " ") and i > 20:
            stop = i + 1
            break
        if ch == " " and i and text[i - 1] != " ":
            words += 1
            if words >= SQUIGGLE_WORDS:
                stop = i
                break
    return start + stop


def severity_for(code: str, severities: Mapping[str, str]) -> str:
    key = code if code in DUPLICATE_CODES else "format"
    sev = severities.get(key, DEFAULT_SEVERITY[key])
    return sev if sev in SEVERITIES else DEFAULT_SEVERITY[key]


def reference_diagnostics(ws: Workspace, doc: str,
                          severities: Mapping[str, str]) -> list[Diagnostic]:
    """What could not be read of a reference file: each bad entry, or the file as a whole."""
    refs = ws.refs.files.get(doc)
    out = []
    for p in refs.problems if refs else ():
        sev = severity_for(p.code, severities)
        if sev != "off":
            line = min(p.line, max(0, len(refs.lines) - 1))  # type: ignore[union-attr]
            out.append(Diagnostic(line, 0, refs.line_end(line), sev, p.code,  # type: ignore[union-attr]
                                  p.message))
    return out


def document_diagnostics(ws: Workspace, doc: str,
                         severities: Mapping[str, str] | None = None) -> list[Diagnostic]:
    severities = severities or {}
    out: list[Diagnostic] = []
    d = ws.index.document(doc)
    if d is None:
        return reference_diagnostics(ws, doc, severities)
    for p in d.parsed.problems:
        sev = severity_for(p.code.value, severities)
        if sev != "off":
            out.append(Diagnostic(p.line, p.start, p.end, sev, p.code.value, p.message))
    for f in ws.index.findings(doc):
        code = code_of(f)
        sev = severity_for(code, severities)
        if sev == "off":
            continue
        a = d.parsed.abstract_at(f.line)
        mine = a.text if a else None
        title = paper_title(ws, doc, a) if a else ""
        named = [describe_copy(ws, doc, c, mine) for c in f.copies[:MAX_NAMED]]
        more = len(f.copies) - MAX_NAMED
        linked = ws.references_of(doc, f.line)
        msg = (f"{title}: also " + ", ".join(named)
               + (f", and {more} more" if more > 0 else "")
               + "".join(f"; in {ws.namer(x.doc)} as {x.ref.cite}" for x in linked[:2]))
        near = [c.similarity for c in f.copies if not c.exact]
        similarity = 1.0 if f.exact and code in (DUPLICATE_IN_LIST, DUPLICATE_ACROSS_LISTS) \
            else (max(near) if near else 1.0)
        related = []
        for c in f.copies:
            other = ws.index.document(c.doc)
            oa = other.parsed.abstract_at(c.line) if other else None
            if oa is not None:
                related.append(Related(c.doc, c.line, oa.start, oa.end,
                                       "exact copy" if c.exact
                                       else f"another version, {how(c, mine, oa.text)}"))
        for x in linked:
            related.append(Related(x.doc, x.ref.line, 0, ws.refs.files[x.doc].line_end(x.ref.line),
                                   f"reference entry {x.ref.cite}"))
        out.append(Diagnostic(
            f.line, f.start, squiggle_end(d.parsed.lines[f.line], f.start, f.end), sev, code, msg,
            tuple(related), similarity, title,
            {"copies": [{"doc": c.doc, "line": c.line, "similarity": c.similarity,
                         "exact": c.exact} for c in f.copies]},
        ))
    out.sort(key=lambda x: (x.line, x.start, x.code))
    return out

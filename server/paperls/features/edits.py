"""Formatting of a list and the quick fixes, as plain text edits (line, start, end, new text).

Invariant (tested as a property): no edit changes the words of an abstract or drops a distinct
abstract; removing a duplicate keeps exactly one copy of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.parse import PREFIX, ProblemCode
from ..core.workspace import Workspace


@dataclass(frozen=True, slots=True)
class Edit:
    doc: str
    start_line: int
    start_col: int
    end_line: int
    end_col: int
    text: str


@dataclass(frozen=True, slots=True)
class Action:
    title: str
    kind: str  # "quickfix" or "source"
    edits: tuple[Edit, ...]
    codes: tuple[str, ...] = ()  # diagnostic codes it fixes
    line: int = -1  # the line whose diagnostic it fixes
    preferred: bool = False


def _delete_lines(ws: Workspace, doc: str, which: set[int]) -> list[Edit]:
    """Delete whole lines with their line breaks (the break before, for a run that ends the
    document), as non-overlapping edits: one per run of consecutive lines."""
    lines = ws.index.document(doc).parsed.lines  # type: ignore[union-attr]
    out, run = [], sorted(which)
    i = 0
    while i < len(run):
        j = i
        while j + 1 < len(run) and run[j + 1] == run[j] + 1:
            j += 1
        first, last = run[i], run[j]
        if last + 1 < len(lines):
            out.append(Edit(doc, first, 0, last + 1, 0, ""))
        elif first > 0:
            out.append(Edit(doc, first - 1, len(lines[first - 1]), last, len(lines[last]), ""))
        else:
            out.append(Edit(doc, first, 0, last, len(lines[last]), ""))
        i = j + 1
    return out


def format_document(ws: Workspace, doc: str) -> list[Edit]:
    """`Abstract:` written one way, no space after it, whitespace inside an abstract collapsed,
    trailing whitespace trimmed; the words stay as they are."""
    d = ws.index.document(doc)
    if d is None:
        return []
    edits = []
    for a in d.parsed.abstracts:
        text = " ".join(a.text.split())
        new = PREFIX + text
        if a.source != new:
            edits.append(Edit(doc, a.line, 0, a.line, len(a.source), new))
    for no, line in enumerate(d.parsed.lines):
        if d.parsed.abstract_at(no) is None and line != line.rstrip():
            edits.append(Edit(doc, no, len(line.rstrip()), no, len(line), ""))
    return sorted(edits, key=lambda e: e.start_line)


def actions(ws: Workspace, doc: str, line: int) -> list[Action]:
    """Quick fixes for the line: prefix problems, a wrapped tail, duplicate copies."""
    d = ws.index.document(doc)
    if d is None or not 0 <= line < len(d.parsed.lines):
        return []
    out: list[Action] = []
    raw = d.parsed.lines[line]
    for p in d.parsed.problems:
        if p.line != line:
            continue
        if p.code == ProblemCode.MISCASED_PREFIX:
            out.append(Action(f"Write the prefix as `{PREFIX}`", "quickfix",
                              (Edit(doc, line, 0, line, p.end, PREFIX),), (p.code.value,), line,
                              True))
        elif p.code == ProblemCode.MISSING_PREFIX:
            out.append(Action(f"Add the `{PREFIX}` prefix", "quickfix",
                              (Edit(doc, line, 0, line, p.start, PREFIX),), (p.code.value,), line,
                              True))
        elif p.code == ProblemCode.WRAPPED_LINE:
            above = line - 1
            while above > 0 and not d.parsed.lines[above].strip():
                above -= 1
            prev = d.parsed.lines[above]
            joined = prev.rstrip() + " " + raw.strip()
            out.append(Action("Join this line to the abstract above", "quickfix",
                              (Edit(doc, above, 0, line, len(raw), joined),), (p.code.value,), line,
                              True))
    copies = ws.index.copies(doc, line)
    exact = [c for c in copies if c.exact]
    if exact:
        out.append(Action("Remove this duplicate copy", "quickfix",
                          tuple(_delete_lines(ws, doc, {line})),
                          ("duplicate-in-list", "duplicate-across-lists"), line,
                          any(c.doc == doc for c in exact)))
        by_doc: dict[str, set[int]] = {}
        for c in exact:
            by_doc.setdefault(c.doc, set()).add(c.line)
        n = len(exact)
        out.append(Action(
            f"Keep this copy and remove the other {n} exact cop{'ies' if n > 1 else 'y'}",
            "quickfix", tuple(e for o, ls in sorted(by_doc.items())
                              for e in _delete_lines(ws, o, ls)),
            ("duplicate-in-list", "duplicate-across-lists"), line))
    return out

"""Formatting of a list and the quick fixes, as plain text edits (line, start, end, new text).

Invariant (tested as a property): no edit changes the words of an abstract or drops a distinct
abstract; removing a duplicate keeps exactly one copy of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..core.codes import DUPLICATE_CODES
from ..core.index import Finding
from ..core.parse import PREFIX, ProblemCode
from ..core.workspace import Workspace
from .diagnostics import code_of, severity_for
from .papers import first_words, text_at, word_diff


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


def actions(ws: Workspace, doc: str, line: int, severities: Mapping[str, str] | None = None,
            other_lists: bool = False) -> list[Action]:
    """Quick fixes for the line: format problems, then the paper's copies.

    A fix that edits another list (another curator's) names that list in its title, is never
    the preferred fix, and is offered on an information-level finding only with
    ``other_lists`` (the setting ``paperls.quickFix.otherLists``).
    """
    d = ws.index.document(doc)
    if d is None or not 0 <= line < len(d.parsed.lines):
        return []
    out = _format_fixes(ws, doc, line)
    a = d.parsed.abstract_at(line)
    copies = ws.index.copies(doc, line)
    if a is None or not copies:
        return out
    code = code_of(Finding(doc, line, a.start, a.end, tuple(copies)))
    elsewhere_ok = other_lists or severity_for(code, severities or {}) in ("error", "warning")
    exact = [c for c in copies if c.exact]
    if exact:
        out.append(Action("Remove this duplicate copy", "quickfix",
                          tuple(_delete_lines(ws, doc, {line})), DUPLICATE_CODES, line,
                          any(c.doc == doc for c in exact)))
        by_doc: dict[str, set[int]] = {}
        for c in exact:
            by_doc.setdefault(c.doc, set()).add(c.line)
        if elsewhere_ok or set(by_doc) == {doc}:
            places = "; ".join(
                ("this list" if o == doc else ws.namer(o)) + " (line"
                + ("s " if len(ls) > 1 else " ") + ", ".join(str(x + 1) for x in sorted(ls)) + ")"
                for o, ls in sorted(by_doc.items(), key=lambda x: (x[0] != doc, x[0])))
            out.append(Action(f"Keep this copy and remove the others: {places}", "quickfix",
                              tuple(e for o, ls in sorted(by_doc.items())
                                    for e in _delete_lines(ws, o, ls)), DUPLICATE_CODES, line))
    for c in copies:
        if c.exact:
            continue
        other = text_at(ws, c.doc, c.line)
        if other is None:
            continue
        where = f"line {c.line + 1}" if c.doc == doc else f"{ws.namer(c.doc)}:{c.line + 1}"
        if c.contained and len(a.text) < len(other):
            # Lossless: this short text is contained in the long one.
            out.append(Action(f"Replace with the full version from {where}", "quickfix",
                              (Edit(doc, line, a.start, line, a.end, other),), DUPLICATE_CODES,
                              line))
        elif c.doc == doc:
            shown = _shown(a.text, other)
            out.append(Action(f"Remove this version and keep line {c.line + 1}'s: {shown}",
                              "quickfix", tuple(_delete_lines(ws, doc, {line})),
                              DUPLICATE_CODES, line))
    return out


def _shown(mine: str, other: str, width: int = 80) -> str:
    """The other version where it first differs from this one, as a title can show it."""
    changes = word_diff(mine, other, context=3, limit=1)
    if not changes:
        return "“" + first_words(other, 10) + "”"
    ch = changes[0]
    text = " ".join(x for x in (ch.before, ch.inserted, ch.after) if x)
    if len(text) > width:
        text = text[:width - 1].rsplit(" ", 1)[0]
    return f"“…{text}…”"


def _format_fixes(ws: Workspace, doc: str, line: int) -> list[Action]:
    d = ws.index.document(doc)
    assert d is not None
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
        elif p.code == ProblemCode.EMPTY_ABSTRACT:
            out.append(Action("Remove this empty abstract", "quickfix",
                              tuple(_delete_lines(ws, doc, {line})), (p.code.value,), line, True))
    return out

"""What every handler does first: the document as the user sees it, positions in, places out."""

from __future__ import annotations

from lsprotocol import types

from ...core.parse import ParsedList
from .. import convert, documents, publishing
from ..state import PaperServer


def doc(ls: PaperServer, uri: str) -> tuple[str, ParsedList | None]:
    """The canonical URI and the document as the user sees it now: pending edits applied,
    indexed if it was not."""
    uri = documents.canonical(uri)
    publishing.flush(ls, uri)
    return uri, documents.ensure(ls, uri)


def at(ls: PaperServer, uri: str, pos: types.Position):
    """(canonical URI, parse, line, code-point column), or None when there is no list."""
    uri, parsed = doc(ls, uri)
    if parsed is None:
        return None
    line, col = convert.from_client(parsed.lines, pos, ls.workspace.position_codec)
    return uri, parsed, line, col


def rng(ls: PaperServer, uri: str, line: int, start: int, end: int) -> types.Range | None:
    lines = documents.lines_of(ls, uri)
    if lines is None:
        return None
    return convert.range_to_client(lines, line, start, end, ls.workspace.position_codec)


def location(ls: PaperServer, uri: str, line: int, start: int, end: int) -> types.Location | None:
    r = rng(ls, uri, line, start, end)
    return types.Location(documents.to_client(ls, uri), r) if r is not None else None


def locations(ls: PaperServer, targets) -> list[types.Location]:
    out = [location(ls, t.doc, t.line, t.start, t.end) for t in targets]
    return [x for x in out if x is not None]


def workspace_edit(ls: PaperServer, es) -> types.WorkspaceEdit:
    codec = ls.workspace.position_codec
    changes: dict[str, list[types.TextEdit]] = {}
    for e in es:
        lines = documents.lines_of(ls, e.doc) or [""]
        changes.setdefault(documents.to_client(ls, e.doc), []).append(types.TextEdit(
            range=types.Range(convert.to_client(lines, e.start_line, e.start_col, codec),
                              convert.to_client(lines, e.end_line, e.end_col, codec)),
            new_text=e.text))
    return types.WorkspaceEdit(changes=changes)

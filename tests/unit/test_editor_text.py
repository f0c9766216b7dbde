"""The server's copy of an open document follows the editor's edits by the LSP's rules: lines
end at \\n, \\r\\n or \\r only (U+2028, form feeds and the like stay inside a line), columns count
the client's units, and positions past a line's or the document's end are clamped to it."""

import random
import re

import pytest
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from paperls.lsp.editor_text import EditorDocument

UNITS = {"utf-8": lambda c: len(c.encode("utf-8", "surrogatepass")),
         "utf-16": lambda c: 2 if ord(c) > 0xFFFF else 1, "utf-32": lambda c: 1}


def by_the_spec(text: str, change, encoding: str) -> str:
    """The edit as the LSP specifies it, written out the slow, obvious way."""
    parts = re.split(r"(\r\n|\r|\n)", text)
    lines, breaks = parts[0::2], parts[1::2] + [""]

    def offset(p) -> int:
        if p.line >= len(lines):
            return len(text)
        at = sum(len(lines[i]) + len(breaks[i]) for i in range(p.line))
        units = 0
        for i, c in enumerate(lines[p.line]):
            if units >= p.character:
                return at + i
            units += UNITS[encoding](c)
        return at + len(lines[p.line])

    a = offset(change.range.start)
    b = max(a, offset(change.range.end))
    return text[:a] + change.text + text[b:]


def edit(text, l1, c1, l2, c2, new):
    return types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(l1, c1), types.Position(l2, c2)), text=new)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
def test_edits_land_where_the_editor_made_them(encoding):
    rng = random.Random(7)
    chars = "ab c\n\r\u2028\u2029\x0c\x85é🧬Z"
    for _ in range(2000):
        text = "".join(rng.choice(chars) for _ in range(rng.randrange(40)))
        l1, c1 = rng.randrange(6), rng.randrange(12)
        change = edit(text, l1, c1, l1 + rng.choice([0, 0, 1, 2]), rng.randrange(12),
                      rng.choice(["", "X", "Y\nZ", "\u2028"]))
        doc = EditorDocument("file:///l.txt", text, sync_kind=types.TextDocumentSyncKind.Incremental,
                             position_codec=PositionCodec(encoding))
        doc.apply_change(change)
        assert doc.source == by_the_spec(text, change, encoding), (text, change)


def test_a_line_separator_pasted_from_a_pdf_is_not_a_line_break():
    doc = EditorDocument("file:///l.txt", "Me\nAbstract:a\u2028b\nAbstract:c\n",
                         sync_kind=types.TextDocumentSyncKind.Incremental)
    doc.apply_change(edit(doc.source, 2, 9, 2, 10, "X"))
    assert doc.source == "Me\nAbstract:a\u2028b\nAbstract:X\n"

"""Semantic tokens: the header, the prefix, topic phrases, numbers and LaTeX fragments."""

from __future__ import annotations

import re

from ..core.workspace import Workspace

HEADER, PREFIX, TOPIC, NUMBER, LATEX = range(5)  # roles; the protocol layer names their token types
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?:\s?%)?")
_LATEX = re.compile(r"(?<!\\)\$[^$]{1,200}?\$|\\[A-Za-z]+|\\[%&_#$]")


def tokens(ws: Workspace, doc: str) -> list[tuple[int, int, int, int]]:
    """(line, start, length, role), role one of HEADER ... LATEX, sorted, non-overlapping, in code points."""
    d = ws.index.document(doc)
    if d is None:
        return []
    out: list[tuple[int, int, int, int]] = []
    if d.parsed.header is not None and d.parsed.lines and d.parsed.lines[0].strip():
        out.append((0, 0, len(d.parsed.lines[0]), HEADER))
    for a in d.parsed.abstracts:
        spans: list[tuple[int, int, int]] = []
        for m in _LATEX.finditer(a.source, a.start, a.end):
            spans.append((m.start(), m.end(), LATEX))
        for m in _NUMBER.finditer(a.source, a.start, a.end):
            spans.append((m.start(), m.end(), NUMBER))
        low = a.source.casefold()
        for p in ws.topics(doc, a, 5):
            i = low.find(p.text.casefold(), a.start, a.end)
            if i >= 0:
                spans.append((i, i + len(p.text), TOPIC))
        taken = [(0, a.start)]
        out.append((a.line, 0, a.start, PREFIX))
        for s, e, t in sorted(spans):
            if e <= s or any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            out.append((a.line, s, e - s, t))
    return sorted(out)

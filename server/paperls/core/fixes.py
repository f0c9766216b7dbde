"""Safe rewrites of a list's text: remove exact duplicate abstracts inside the list (the first
copy stays) and write miscased prefixes as ``Abstract:``.

Invariant: every distinct abstract of the list survives (only a later exact copy of an earlier
abstract is removed); every other line is kept byte for byte, with its own line ending; the
header, blank lines and malformed lines are never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import normalize
from .parse import PREFIX, parse_lines

_PIECE = re.compile(r"([^\r\n]*)(\r\n|\n|\r|$)")


@dataclass(frozen=True, slots=True)
class Change:
    line: int  # 0-based line of the original text
    what: str


def split_keep_ends(text: str) -> list[tuple[str, str]]:
    """(line, its ending) pairs; joining them gives the text back exactly."""
    out = []
    pos = 0
    while pos <= len(text):
        m = _PIECE.match(text, pos)
        out.append((m.group(1), m.group(2)))
        if not m.group(2):
            break
        pos = m.end()
    return out


def fix_text(text: str) -> tuple[str, list[Change]]:
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    pieces = split_keep_ends(text[len(bom):])
    parsed = parse_lines([p[0] for p in pieces])
    changes: list[Change] = []
    drop: set[int] = set()
    rewrite: dict[int, str] = {}
    first_at: dict[str, int] = {}
    for a in parsed.abstracts:
        norm = normalize(a.text)
        if norm in first_at:
            drop.add(a.line)
            changes.append(Change(a.line, f"removed an exact copy of line {first_at[norm] + 1}"))
            continue
        first_at[norm] = a.line
        if not a.prefix_ok:
            rewrite[a.line] = PREFIX + a.source[a.start:]
            changes.append(Change(a.line, f"wrote the prefix `{a.source[:a.start].strip()}` "
                                          f"as `{PREFIX}`"))
    if not changes:
        return text, []
    out = []
    for i, (line, end) in enumerate(pieces):
        if i in drop:
            # The line goes with its ending; a last line without one takes the previous ending.
            if not end and out:
                prev_line, _ = out[-1]
                out[-1] = (prev_line, "")
            continue
        out.append((rewrite.get(i, line), end))
    return bom + "".join(a + b for a, b in out), changes

"""Lossless rewrites of a list's text, the ones ``paperls check --fix`` makes: a prefix written
as ``Abstract:`` (miscased, or missing on a line of text), a wrapped tail joined to the abstract
above, an empty ``Abstract:`` line removed, and exact duplicate abstracts inside the list
removed (the first copy stays).

Invariant: no word is lost (every line's text ends up in the new text, except later exact
copies of an earlier abstract and empty prefixes); every untouched line is kept byte for byte,
with its own line ending; the header and blank lines are never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import normalize
from .parse import PREFIX, ProblemCode, parse_lines

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


def _drop(pieces: list[tuple[str, str]], drop: set[int]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for i, (line, end) in enumerate(pieces):
        if i in drop:
            # The line goes with its ending; a last line without one takes the previous ending.
            if not end and out:
                out[-1] = (out[-1][0], "")
            continue
        out.append((line, end))
    return out


def _line_fixes(pieces: list[tuple[str, str]]) -> tuple[list[str], set[int], list[Change]]:
    """Prefixes, wrapped tails and empty abstracts: the new text of each line, and the lines
    to drop (a tail joined above, an empty prefix)."""
    lines = [p[0] for p in pieces]
    parsed = parse_lines(lines)
    cur = list(lines)
    drop: set[int] = set()
    changes: list[Change] = []
    for p in parsed.problems:
        raw = cur[p.line]
        if p.code == ProblemCode.MISCASED_PREFIX:
            cur[p.line] = PREFIX + raw[p.end:]
            changes.append(Change(p.line, f"wrote the prefix `{raw[:p.end].strip()}` as `{PREFIX}`"))
        elif p.code == ProblemCode.MISSING_PREFIX:
            cur[p.line] = PREFIX + raw[p.start:]
            changes.append(Change(p.line, f"added the `{PREFIX}` prefix"))
        elif p.code == ProblemCode.WRAPPED_LINE:
            above = p.line - 1
            while above > 0 and (above in drop or not cur[above].strip()):
                above -= 1
            cur[above] = cur[above].rstrip() + " " + raw.strip()
            drop.add(p.line)
            changes.append(Change(p.line, f"joined this wrapped line to the abstract on line "
                                          f"{above + 1}"))
        elif p.code == ProblemCode.EMPTY_ABSTRACT:
            drop.add(p.line)
            changes.append(Change(p.line, "removed an empty abstract"))
    return cur, drop, changes


def fix_text(text: str) -> tuple[str, list[Change]]:
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    pieces = split_keep_ends(text[len(bom):])
    cur, drop, changes = _line_fixes(pieces)
    pieces = [(line, end) for line, (_, end) in zip(cur, pieces, strict=True)]
    origin = [i for i in range(len(pieces)) if i not in drop]  # new line -> original line
    pieces = _drop(pieces, drop)
    # Then exact copies inside the list, on the lines as they now are.
    parsed = parse_lines([p[0] for p in pieces])
    first_at: dict[str, int] = {}
    dupes: set[int] = set()
    for a in parsed.abstracts:
        norm = normalize(a.text)
        if norm in first_at:
            dupes.add(a.line)
            changes.append(Change(origin[a.line], f"removed an exact copy of line "
                                                  f"{origin[first_at[norm]] + 1}"))
        else:
            first_at[norm] = a.line
    if not changes:
        return text, []
    changes.sort(key=lambda c: c.line)
    return bom + "".join(a + b for a, b in _drop(pieces, dupes)), changes

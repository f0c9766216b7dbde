"""The "not a duplicate" marks file: one line per pair a user decided are different papers.

    not-duplicate 3f2a9c0d1e4b5a67 9c1d2e3f4a5b6c7d  # lists/a.txt:12 | lists/b.txt:40

The two hexadecimal keys are the content keys of the two normalised abstracts (``exact_key``):
the mark survives edits elsewhere in the lists and lapses when either text changes. Unknown or
malformed lines are ignored (and kept: the file is the user's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FILE_NAME = ".paperls-marks"
_LINE = re.compile(r"^\s*not-duplicate\s+([0-9a-fA-F]{1,16})\s+([0-9a-fA-F]{1,16})\b")


def parse_marks(text: str) -> set[tuple[int, int]]:
    out = set()
    for line in text.splitlines():
        m = _LINE.match(line)
        if m:
            a, b = int(m.group(1), 16), int(m.group(2), 16)
            out.add((min(a, b), max(a, b)))
    return out


def mark_line(ka: int, kb: int, note: str = "") -> str:
    a, b = sorted((ka, kb))
    return f"not-duplicate {a:016x} {b:016x}" + (f"  # {note}" if note else "")


@dataclass(frozen=True, slots=True)
class Entry:
    """One mark line: its line number in the file, the two keys, and the user's note."""

    line: int
    a: int
    b: int
    note: str


def entries(text: str) -> list[Entry]:
    out = []
    for no, line in enumerate(text.splitlines()):
        m = _LINE.match(line)
        if m:
            a, b = sorted((int(m.group(1), 16), int(m.group(2), 16)))
            note = line.split("#", 1)[1].strip() if "#" in line else ""
            out.append(Entry(no, a, b, note))
    return out


def without_lines(text: str, lines: set[int]) -> str:
    """The file's text without these lines (each with its line ending); the rest byte for byte."""
    return "".join(piece for no, piece in enumerate(text.splitlines(keepends=True))
                   if no not in lines)

"""The "not a duplicate" marks file (``.paperls-marks`` at the top of each workspace root) on
disk: the one reader used by the server and ``paperls check``. The line format is
``core.marks``'s."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ..core.marks import FILE_NAME, Entry, entries, parse_marks, without_lines


def marks_path(root: Path) -> Path:
    return root / FILE_NAME


def read_marks(roots: list[Path], texts: Mapping[Path, str] | None = None) -> set[tuple[int, int]]:
    """The marked pairs of every root. ``texts`` gives the editor's text of a marks file that
    is open (it wins over the disk, like every open document)."""
    pairs: set[tuple[int, int]] = set()
    for root in roots:
        path = marks_path(root)
        text = (texts or {}).get(path)
        if text is None:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
        pairs |= parse_marks(text)
    return pairs


def read_entries(root: Path) -> list[Entry]:
    try:
        return entries(marks_path(root).read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return []


def remove_entries(root: Path, numbers: set[int]) -> int:
    """Remove the marks numbered ``numbers`` (1-based, in file order), through a temporary
    file and an atomic rename; every other line stays as it is. Returns how many went."""
    path = marks_path(root)
    text = path.read_text(encoding="utf-8", errors="replace")
    found = entries(text)
    gone = {e.line for i, e in enumerate(found, 1) if i in numbers}
    if not gone:
        return 0
    fd, tmp = tempfile.mkstemp(prefix=".paperls-marks.", dir=root)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(without_lines(text, gone))
    os.replace(tmp, path)
    return len(gone)

"""The "not a duplicate" marks file (``.paperls-marks`` at the top of each workspace root) on
disk: the one reader used by the server and ``paperls check``. The line format is
``core.marks``'s."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..core.marks import FILE_NAME, parse_marks


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

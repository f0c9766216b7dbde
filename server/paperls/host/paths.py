"""How a list's path is shown to a user: relative to the workspace root that holds it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def display_name(path: Path, roots: list[Path]) -> str:
    """``path`` relative to the first root (as given, or as resolved) that holds it, else its
    name. Roots reached through a symlink are matched both ways, so a list shows the same
    name whichever form of its path the caller holds."""
    for root in roots:
        if root.is_file():
            if path == root or path.resolve() == root.resolve():
                return root.name
            continue
        for base in (root, root.resolve()):
            try:
                return path.relative_to(base).as_posix()
            except ValueError:
                continue
    return path.name


def roots_key(roots: list[Path]) -> str:
    """A short name for a set of workspace roots (however they are given or ordered): each
    cache of that workspace is named by it."""
    return hashlib.blake2b("\n".join(sorted(str(r.resolve()) for r in roots)).encode(),
                           digest_size=8).hexdigest()


def default_cache_directory() -> Path:
    """``$XDG_CACHE_HOME/paperls`` (``~/.cache/paperls``): where the index cache lives unless a
    setting says otherwise."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "paperls"

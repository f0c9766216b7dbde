"""Rewriting a list on disk with its lossless fixes (``core.fixes``): through a temporary file
and an atomic rename, with a backup, and only if the file is still what was read; or, as a
preview, a unified diff and no change at all.

Invariant: a file that cannot be decoded, or that changed since it was read, is never written.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..core.fixes import Change, fix_text
from ..core.parse import decode


@dataclass(slots=True)
class Rewrite:
    path: Path
    changes: list[Change] = field(default_factory=list)
    diff: str = ""
    written: bool = False
    refused: str | None = None  # why the file was left alone


def rewrite(path: Path, backup: bool = True, preview: bool = False) -> Rewrite:
    out = Rewrite(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        out.refused = f"not read: {err.strerror or err}"
        return out
    decoded = decode(data)
    if decoded.problem is not None:
        out.refused = f"not fixed: {decoded.problem.message}"
        return out
    new, out.changes = fix_text(decoded.text)
    if not out.changes:
        return out
    if preview:
        out.diff = "".join(difflib.unified_diff(
            decoded.text.splitlines(keepends=True), new.splitlines(keepends=True),
            fromfile=f"a/{path.as_posix().lstrip('/')}", tofile=f"b/{path.as_posix().lstrip('/')}"))
        return out
    digest = hashlib.blake2b(data).digest()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".paperls", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(new.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        if hashlib.blake2b(path.read_bytes()).digest() != digest:
            out.refused = "changed since it was read; not touched"
            os.unlink(tmp)
            return out
        if backup:
            Path(f"{path}.bak").write_bytes(data)
        os.replace(tmp, path)
        out.written = True
    except OSError as err:
        out.refused = f"not fixed: {err}"
        Path(tmp).unlink(missing_ok=True)
    return out

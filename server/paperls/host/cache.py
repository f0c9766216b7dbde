"""On-disk cache of the index (SQLite): a restart on an unchanged workspace skips normalising,
sketching and confirming.

One database per set of workspace roots, in a cache folder (a setting; by default
``$XDG_CACHE_HOME/paperls``). A file's entry is used only if its path, size, modification time and
content digest all match, and only if the schema and sketch parameters match this build. A cache
that cannot be read (corrupt, locked, another version) is deleted and rebuilt, never trusted.

Invariant: the cache holds derived data only (keys, band keys, pair verdicts), never a user's
text, and nothing here writes outside the cache folder.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core import sketch
from ..core.index import Sketched
from ..core.similarity import Verdict
from .paths import roots_key

log = logging.getLogger(__name__)

SCHEMA = 5  # 5: file digests are XXH3-128 (4: verdicts say whether a name was swapped)
PARAMS = (f"schema={SCHEMA};shingle={sketch.SHINGLE};bins={sketch.BINS};rows={sketch.ROWS};"
          f"edge={sketch.EDGE_WORDS};min={sketch.MIN_WORDS};openings={sketch.OPENINGS};"
          f"short={sketch.SHORT_WORDS};dense=2;bins=even;lookup=uncut")
_WIDTH = sketch.KEYS * 8


@dataclass(frozen=True, slots=True)
class Entry:
    size: int
    mtime_ns: int
    digest: bytes
    sketches: list[Sketched]


def _signed(k: int) -> int:
    return k - (1 << 64) if k >= 1 << 63 else k


def _unsigned(k: int) -> int:
    return k + (1 << 64) if k < 0 else k


class IndexCache:
    def __init__(self, directory: Path, roots: list[Path]) -> None:
        self.path = directory / f"index-{roots_key(roots)}.sqlite"

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return sqlite3.connect(self.path, timeout=2)

    def load(self) -> tuple[dict[str, Entry], dict[tuple[int, int], Verdict]]:
        """Cached entries by path and verdicts by key pair; empty (and the file removed) when
        the cache is missing, of another version, or unreadable."""
        if not self.path.exists():
            return {}, {}
        try:
            with self._connect() as db:
                row = db.execute("SELECT value FROM meta WHERE key = 'params'").fetchone()
                if row is None or row[0] != PARAMS:
                    # Another version of paperls wrote it: expected after an upgrade, no fault.
                    log.info("index cache %s is from another version of paperls; rebuilding it",
                             self.path)
                    self.clear()
                    return {}, {}
                entries: dict[str, Entry] = {}
                for path, size, mtime, digest, keys, bands in db.execute(
                        "SELECT path, size, mtime_ns, digest, keys, bands FROM files"):
                    ks = np.frombuffer(keys, dtype="<u8").tolist()
                    if len(bands) != len(ks) * _WIDTH:
                        raise ValueError(f"cache entry of {path} is truncated")
                    entries[path] = Entry(size, mtime, digest, [
                        Sketched(k, bands[i * _WIDTH:(i + 1) * _WIDTH]) for i, k in enumerate(ks)])
                verdicts = {
                    (_unsigned(a), _unsigned(b)): Verdict(sim, ratio, cont, bool(c), bool(o),
                                                          bool(op), bits, bool(yd), bool(rn))
                    for a, b, sim, ratio, cont, c, o, op, bits, yd, rn in db.execute(
                        "SELECT ka, kb, similarity, ratio, containment, contained, other, "
                        "opening, bits, years_differ, renamed FROM verdicts")}
                return entries, verdicts
        except (sqlite3.Error, ValueError, OSError) as err:
            log.warning("index cache %s not used (%s); it will be rebuilt", self.path, err)
            self.clear()
            return {}, {}

    def save(self, entries: dict[str, Entry], verdicts: dict[tuple[int, int], Verdict]) -> None:
        """Write the whole cache through a temporary file of its own and an atomic rename:
        several writers (a server and a ``paperls check`` on the same folders, or two index
        runs) each publish a complete cache, and the last rename wins."""
        tmp: Path | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=self.path.stem + ".", suffix=".tmp",
                                        dir=self.path.parent)
            os.close(fd)
            tmp = Path(name)
            with sqlite3.connect(tmp) as db:
                db.executescript(
                    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
                    "CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER,"
                    " digest BLOB, keys BLOB, bands BLOB);"
                    "CREATE TABLE verdicts (ka INTEGER, kb INTEGER, similarity REAL, ratio REAL,"
                    " containment REAL, contained INTEGER, other INTEGER, opening INTEGER,"
                    " bits REAL, years_differ INTEGER, renamed INTEGER);")
                db.execute("INSERT INTO meta VALUES ('params', ?)", (PARAMS,))
                db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)", (
                    (p, e.size, e.mtime_ns, e.digest,
                     np.array([s.key for s in e.sketches], dtype="<u8").tobytes(),
                     b"".join(s.bands for s in e.sketches))
                    for p, e in entries.items()))
                db.executemany("INSERT INTO verdicts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (
                    (_signed(a), _signed(b), v.similarity, v.ratio, v.containment,
                     int(v.contained), int(v.other_edition), int(v.opening), v.bits,
                     int(v.years_differ), int(v.renamed)) for (a, b), v in verdicts.items()))
            db.close()
            os.replace(tmp, self.path)  # readers see the old cache or the new one, never half
        except (sqlite3.Error, OSError) as err:
            log.warning("could not write the index cache %s: %s", self.path, err)
            if tmp is not None:
                tmp.unlink(missing_ok=True)

    def clear(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass

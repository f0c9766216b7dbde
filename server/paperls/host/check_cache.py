"""The last ``paperls check``'s report, kept per workspace revision: a check of a workspace in
which nothing changed prints it again without reading a list.

A revision is what a walk of the roots sees without reading: every file that could be a list,
a reference file or a marks file, with its size, modification and change times, inode and
device (git's index trusts the same stat fields), beside the request (roots, working folder,
options, settings) and the build (this package's files, the libraries that shape findings).

A file touched in the last ``FRESH_NS`` before the walk is "racily clean" (git's term): a write
in the same clock tick leaves its times as they were. Such a list is trusted by the digest of
the bytes the check read, and is read and hashed again to be trusted; any other fresh file
means the report is not kept at all. A list whose times changed since (saved without a change,
checked out again) is read and hashed too: the same bytes keep the report, which is then kept
with the new times.

Invariant: the report is what the check printed (findings, with the papers' headlines) and
nothing of a list's text beyond that; it is written through a private temporary file and an
atomic rename, and a report that cannot be read is ignored, never trusted.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import logging
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from . import scan
from .marks import marks_path
from .paths import roots_key

log = logging.getLogger(__name__)

SCHEMA = 3  # 3: digests are XXH3-128 (2: every list's digest kept, and whether it was fresh)
FRESH_NS = 2_000_000_000  # past FAT's 2 s and any coarse kernel clock
REPORT_KEYS = {"findings", "papers", "warnings", "lists", "abstracts", "references"}
# The libraries whose upgrade can change a finding or a headline.
LIBRARIES = ("numpy", "rapidfuzz", "wordfreq", "pathspec", "pylatexenc", "bibtexparser", "rispy",
             "xxhash")


@dataclass(frozen=True, slots=True)
class Revision:
    taken_ns: int  # wall clock just before the walk
    files: list[list]  # [path, size, mtime_ns, ctime_ns, inode, device], or [path] if unstatable
    said: list[str]  # what the walk warned


def _stat(path: str) -> list:
    try:
        st = os.stat(path)
    except OSError:
        return [path]
    return [path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def revision(roots: list[Path], globs: list[str], exclude: list[str]) -> Revision:
    """The revision of every file matching ``globs`` under ``roots``, and each root's marks."""
    taken = time.time_ns()
    said: list[str] = []
    paths = [str(p) for p in scan.iter_candidates(roots, globs, exclude, said.append)]
    paths += [str(marks_path(r)) for r in roots if r.is_dir()]
    return Revision(taken, [_stat(p) for p in paths], said)


@functools.lru_cache(maxsize=1)
def build() -> str:
    """This build: the package's own files (an editable install changes without a new version
    number) and the versions of the libraries that shape findings, found without importing."""
    h = hashlib.blake2b(f"{SCHEMA};{__version__};{sys.version}".encode(), digest_size=16)
    package = Path(__file__).resolve().parent.parent
    for p in sorted(package.rglob("*")):
        if p.suffix in (".py", ".tsv", ".json", ".txt", ".c", ".so", ".pyd") \
                and "__pycache__" not in p.parts:
            st = p.stat()
            h.update(f"{p.relative_to(package)};{st.st_size};{st.st_mtime_ns}\n".encode())
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        stamp = os.stat(origin).st_mtime_ns if origin and os.path.exists(origin) else None
        h.update(f"{name};{origin};{stamp}\n".encode())
    return h.hexdigest()


def _digest(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return scan.digest(fh.read()).hex()
    except OSError:
        return None


class CheckCache:
    """One report per set of roots, beside the index cache."""

    def __init__(self, directory: Path, roots: list[Path]) -> None:
        self.path = directory / f"check-{roots_key(roots)}.json"

    def load(self, request: dict, rev: Revision) -> dict | None:
        """The report kept for this request and revision, or None."""
        try:
            with open(self.path, encoding="utf-8") as fh:
                kept = json.load(fh)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as err:
            log.info("check cache %s not used: %s", self.path, err)
            return None
        try:
            if (kept["request"] != request or kept["build"] != build()
                    or kept["said"] != rev.said or len(kept["files"]) != len(rev.files)):
                return None
            rehashed = False
            for old, now in zip(kept["files"], rev.files, strict=True):
                if len(old) == 1 or len(now) == 1:  # not there, or not statable
                    if old != now:
                        return None
                    continue
                path, stat, digest, fresh = old[0], old[1:6], old[6], old[7]
                if path != now[0]:
                    return None
                if not fresh and stat == now[1:6]:
                    continue
                # Written just before that check, or touched since (a save without a change,
                # a checkout): the bytes decide, where the check read them.
                if digest is None or _digest(path) != digest:
                    return None
                rehashed = True
            report = kept["report"]
            if not (isinstance(report, dict) and REPORT_KEYS <= report.keys()):
                return None
            if rehashed:  # the next check trusts the files' times again
                self.save(request, rev, {f[0]: bytes.fromhex(f[6]) for f in kept["files"]
                                         if len(f) > 1 and f[6]}, report)
            return report
        except (KeyError, TypeError, IndexError, ValueError):
            return None

    def save(self, request: dict, rev: Revision, digests: dict[str, bytes], report: dict,
             fresh_ns: int | None = None) -> bool:
        """Keep ``report`` for this request and revision (``digests``: of each list's bytes as
        the check read them). Not kept, and False, when a file other than a read list changed
        too recently to be trusted by its times."""
        fresh_ns = FRESH_NS if fresh_ns is None else fresh_ns
        files = []
        for f in rev.files:
            if len(f) > 1:
                digest = digests.get(f[0])
                fresh = max(f[2], f[3]) >= rev.taken_ns - fresh_ns
                if fresh and digest is None:
                    log.debug("check cache not kept: %s changed within %d s", f[0],
                              fresh_ns // 1_000_000_000)
                    return False
                f = [*f, digest.hex() if digest is not None else None, fresh]
            files.append(f)
        kept = {"request": request, "build": build(), "said": rev.said, "files": files,
                "report": report}
        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=self.path.stem + ".", suffix=".tmp",
                                       dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(kept, fh, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, self.path)  # readers see the old report or the new one
            return True
        except OSError as err:
            log.warning("could not write the check cache %s: %s", self.path, err)
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            return False

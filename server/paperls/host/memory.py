"""Returning freed memory to the system after a load.

A load frees several hundred MB (file texts, normalised texts, sketch temporaries) in blocks
that glibc's allocator keeps for reuse rather than returning: after indexing the 98.8k corpora
the server held 940 MB resident of which 430 MB was free. ``malloc_trim`` hands it back. Other
C libraries (macOS, Windows, musl) have no such call, or return memory themselves: nothing is
done there.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def _trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


def give_back() -> None:
    """Return the allocator's free memory to the system, where the C library can (glibc)."""
    trim = _trim()
    if trim is not None:
        try:
            trim(0)
        except OSError as err:  # never worth failing a load for
            log.debug("malloc_trim failed: %s", err)

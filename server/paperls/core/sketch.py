"""Vectorised sketches of normalised texts for near-duplicate candidate search.

Each text becomes a one-permutation MinHash signature (``BINS`` bins) over hashed word
``SHINGLE``-grams, computed for a whole batch of texts at once with NumPy: a polynomial prefix
hash over the batch's bytes gives every shingle's hash in a few array passes, so no Python code
runs per shingle. Signatures are cut into bands of ``ROWS`` bins; two texts that agree on any band
become a candidate pair (locality-sensitive banding). Two more keys, the first and the last
``EDGE_WORDS`` words, catch a copy truncated after its first sentences (or missing its first
ones), whose shingle overlap with the full text is small.

``keys`` gives every key of each text. Where the C kernel (``_sketch.c``, built by setup.py) is
installed it computes them, bit for bit the same as this module's NumPy code, ~7x faster and
without the interpreter lock; the NumPy code is the reference and the fallback (an install
without a C compiler, or ``PAPERLS_SKETCH=numpy``).

Hashes are stable across processes (no use of Python's salted ``hash``), so signatures can be
cached on disk.

Invariant: a bin no shingle fell into holds a value unique to its text (high bit set), so empty
bins never make two short texts look alike; texts under ``MIN_WORDS`` words get no band keys
at all and can only match exactly.
"""

from __future__ import annotations

import os
import threading

import numpy as np

try:
    from . import _sketch as _native
except ImportError:  # built where a C compiler was found (setup.py); NumPy otherwise
    _native = None
if os.environ.get("PAPERLS_SKETCH") == "numpy":
    _native = None

SHINGLE = 3  # words per shingle
BINS = 96  # one-permutation MinHash bins
ROWS = 3  # bins per band
BANDS = BINS // ROWS
MIN_WORDS = 12  # shorter texts only match exactly ("Invited talk" must not match everything)
EDGE_WORDS = 24  # words in the prefix/suffix keys
# Opening keys: the first L words, for each L here that the text has. A short text (a copy cut
# after its first words) looks up its longest one among the other texts' (never the other way
# round, so that the many abstracts that open alike are never paired with each other).
OPENINGS = (6, 8, 10, 12, 15, 18, 21, 25)
SHORT_WORDS = 30  # texts under this many words look their openings up (truncated copies)
KEYS = BANDS + 2 + len(OPENINGS) + 1  # per text: bands, edges, openings, its own lookup
BATCH = 1000  # texts the NumPy sketch takes at once: ~1.4 MB of text, ~50 MB of temporaries
# (2000: +105 MB at the corpora's peak, no faster); the C kernel needs none

def _word_bytes(raw: np.ndarray) -> np.ndarray:
    """Which bytes belong to words: ASCII letters and digits, and the bytes of non-ASCII
    characters except the common punctuation and symbols, found by their UTF-8 lead bytes:
    U+00A0-00BF (no-break space, guillemets, degree), U+00D7/00F7 (multiplication, division),
    U+2000-206F (dashes, quotes, ellipsis) and U+2190-22FF (arrows, operators)."""
    isword = _IS_WORD[raw]
    lead = np.flatnonzero(raw[:-1] >= 0xC2)
    if len(lead):
        b0, b1 = raw[lead], raw[lead + 1]
        two = lead[((b0 == 0xC2) & (b1 >= 0xA0)) | ((b0 == 0xC3) & ((b1 == 0x97) | (b1 == 0xB7)))]
        three = lead[(b0 == 0xE2) & (((b1 >= 0x80) & (b1 <= 0x81)) | ((b1 >= 0x86) & (b1 <= 0x8B)))]
        three = three[three + 2 < len(raw)]
        for k in (0, 1):
            isword[two + k] = False
        for k in (0, 1, 2):
            isword[three + k] = False
    return isword
_P = np.uint64(0x100000001B3)  # odd, so it has an inverse modulo 2**64
_PINV = np.uint64(pow(0x100000001B3, -1, 1 << 64))
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_HIGH = np.uint64(1 << 63)
_EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)
_VALMASK = np.uint64((1 << 57) - 1)
_HIGH_HALF = np.uint64(32)

_tables: tuple[np.ndarray, np.ndarray] = (np.ones(1, dtype=np.uint64),) * 2
_tables_lock = threading.Lock()


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """P**i and P**-i modulo 2**64 for i < n, grown on demand and kept.

    Sketches run on several threads: both tables are swapped in as one tuple, under a lock, so
    no thread ever pairs a new table with an old one.
    """
    global _tables
    pw, pinv = _tables
    if len(pw) < n:
        with _tables_lock:
            pw, pinv = _tables
            if len(pw) < n:
                size = max(n + n // 4, 1 << 20)  # a batch's bytes and some slack
                with np.errstate(over="ignore"):
                    pw = np.cumprod(np.full(size, _P, dtype=np.uint64)) * _PINV
                    pinv = np.cumprod(np.full(size, _PINV, dtype=np.uint64)) * _P
                _tables = (pw, pinv)
    return pw[:n], pinv[:n]


def mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads a polynomial hash over all 64 bits."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * _M1
        x = x ^ (x >> np.uint64(27))
        x = x * _M2
        return x ^ (x >> np.uint64(31))


def _word_bytes_table() -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    for c in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789":
        table[c] = True
    table[128:] = True  # bytes of non-ASCII characters; their punctuation is removed beforehand
    return table


_IS_WORD = _word_bytes_table()


def _prefix(buf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Powers of P and the prefix sums that give any span's hash in O(1)."""
    pw, pinv = _powers(len(buf) + 1)
    pref = np.zeros(len(buf) + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        np.cumsum(buf * pinv[: len(buf)], out=pref[1:])
    return pw, pref


def _span_hash(pw: np.ndarray, pref: np.ndarray, s: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Polynomial hash of bytes ``[s, e)``; depends only on those bytes, not on where they are."""
    with np.errstate(over="ignore"):
        return pw[e - 1] * (pref[e] - pref[s])


_PROBES = 48  # densification attempts per empty bin (a miss: (1 - fill)^48)
_PROBE = (np.arange(BINS)[:, None] * 0x9E3779B1 + np.arange(_PROBES)[None, :] * 0x85EBCA77
          + 0x27D4EB2F) % 0xFFFFFFFB % BINS  # bin j's k-th probe, the same for every text


def _densify(sig: np.ndarray) -> None:
    """Fill each empty bin from a filled bin found by the bin's own fixed probe sequence, mixed
    with the bin's number: one-permutation hashing with optimal densification (Shrivastava,
    2017). Without it a text of 60 words leaves half of the 96 bins empty, and two versions of
    it agree on few whole bands (their estimated similarity was half their shingle Jaccard).
    Probing, not the neighbouring bin, keeps the filled values of two texts from spreading
    alike: short texts that share one common shingle do not share bands."""
    empty = sig == _EMPTY
    if not empty.any():
        return
    rows, cols = np.nonzero(empty)
    src = np.full(len(rows), -1, dtype=np.int64)
    todo = np.arange(len(rows))
    for k in range(_PROBES):  # most bins find a filled one in the first two or three probes
        p = _PROBE[cols[todo], k]
        ok = ~empty[rows[todo], p]
        src[todo[ok]] = p[ok]
        todo = todo[~ok]
        if not len(todo):
            break
    found = src >= 0
    r, c, src = rows[found], cols[found], src[found]
    with np.errstate(over="ignore"):
        sig[r, c] = mix(sig[r, src] + c.astype(np.uint64) * _M2) & _VALMASK


def signatures(normalized: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sketch a batch of normalised texts.

    Returns ``(sig, nwords, edges)``: ``sig`` is ``(n, BINS)`` uint64, ``nwords`` the word count
    of each text, ``edges`` ``(n, KEYS - BANDS)``: keys of the first and last ``EDGE_WORDS``
    words, the opening keys, and a short text's lookup key (0 where there is none). Words are maximal runs of letters and digits; punctuation and spacing between
    them do not matter.
    """
    n = len(normalized)
    sig = np.full((n, BINS), _EMPTY, dtype=np.uint64)
    edges = np.zeros((n, 2), dtype=np.uint64)
    if n == 0:
        return sig, np.zeros(0, dtype=np.int64), np.zeros((0, KEYS - BANDS), dtype=np.uint64)
    raw = np.frombuffer("\n".join(normalized).encode("utf-8", "surrogatepass"), dtype=np.uint8)
    lengths = np.fromiter((len(t) if t.isascii() else len(t.encode("utf-8", "surrogatepass"))
                           for t in normalized), dtype=np.int64, count=n)
    text_start = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    isword = _word_bytes(raw)
    prev = np.concatenate(([False], isword[:-1]))
    starts_orig = np.flatnonzero(isword & ~prev)
    owner_word = np.searchsorted(text_start, starts_orig, side="right") - 1
    nwords = np.bincount(owner_word, minlength=n).astype(np.int64)
    # Compress: words separated by exactly one space, whatever stood between them.
    keep = isword | prev
    buf = np.where(isword, raw, np.uint8(32))[keep].astype(np.uint64)
    cw = buf != 32
    cprev = np.concatenate(([False], cw[:-1]))
    cnext = np.concatenate((cw[1:], [False]))
    word_start = np.flatnonzero(cw & ~cprev)
    word_end = np.flatnonzero(cw & ~cnext) + 1
    pw, pref = _prefix(buf)
    first_word = np.concatenate(([0], np.cumsum(nwords)[:-1]))
    nsh = np.where(nwords >= SHINGLE, nwords - SHINGLE + 1, (nwords > 0).astype(np.int64))
    owner = np.repeat(np.arange(n), nsh)
    offset = np.arange(int(nsh.sum())) - np.repeat(np.cumsum(nsh) - nsh, nsh)
    first = first_word[owner] + offset
    last = first + np.minimum(nwords[owner], SHINGLE) - 1
    h = mix(_span_hash(pw, pref, word_start[first], word_end[last]))
    # The bin, from the hash's high half by multiply-shift: every bin equally likely (the top 7
    # bits modulo BINS gave a third of them twice the share).
    bins = ((h >> _HIGH_HALF) * np.uint64(BINS)) >> _HIGH_HALF
    flat = owner * BINS + bins.astype(np.int64)
    np.minimum.at(sig.reshape(-1), flat, h & _VALMASK)
    has = nwords > 0
    whole = np.zeros(n, dtype=np.uint64)
    fw, lw = first_word[has], first_word[has] + nwords[has] - 1
    whole[has] = _span_hash(pw, pref, word_start[fw], word_end[lw])
    _densify(sig)
    empty = sig == _EMPTY  # left only in texts without a single shingle
    if empty.any():  # sentinels unique to each text (seeded by its whole-text hash)
        rows, cols = np.nonzero(empty)
        with np.errstate(over="ignore"):
            sig[rows, cols] = mix(whole[rows] + cols.astype(np.uint64)) | _HIGH
    long = nwords > EDGE_WORDS
    if long.any():
        fw, lw = first_word[long], first_word[long] + nwords[long] - 1
        with np.errstate(over="ignore"):
            head = _span_hash(pw, pref, word_start[fw], word_end[fw + EDGE_WORDS - 1])
            tail = _span_hash(pw, pref, word_start[lw - EDGE_WORDS + 1], word_end[lw])
            edges[long, 0] = mix(head + np.uint64(1)) | np.uint64(1)
            edges[long, 1] = mix(tail + np.uint64(2)) | np.uint64(1)
    openings = np.zeros((n, len(OPENINGS)), dtype=np.uint64)
    for col, size in enumerate(OPENINGS):
        has = nwords >= size
        if has.any():
            fw = first_word[has]
            with np.errstate(over="ignore"):
                head = _span_hash(pw, pref, word_start[fw], word_end[fw + size - 1])
                openings[has, col] = mix(head + np.uint64(0x100 + size)) | np.uint64(1)
    # A short text's lookup key: its longest opening key without its last word, which a
    # database may have cut mid-word ("... statistical methods. Syn-"); none for long texts.
    lookup = np.zeros((n, 1), dtype=np.uint64)
    short = (nwords >= OPENINGS[0]) & (nwords < SHORT_WORDS)
    if short.any():
        col = np.maximum(np.searchsorted(np.asarray(OPENINGS), nwords[short] - 1,
                                         side="right") - 1, 0)
        lookup[short, 0] = openings[np.flatnonzero(short), col]
    return sig, nwords, np.concatenate((edges, openings, lookup), axis=1)


def keys(normalized: list[str]) -> np.ndarray:
    """Every key of each text, ``(n, KEYS)`` uint64: its band keys, then the edge, opening and
    lookup keys of ``signatures``; 0 = no key."""
    out = np.empty((len(normalized), KEYS), dtype=np.uint64)
    if _native is not None:
        _native.keys(normalized, out)
        return out
    for i in range(0, len(normalized), BATCH):
        sig, nwords, edges = signatures(normalized[i:i + BATCH])
        out[i:i + BATCH] = np.concatenate((band_keys(sig, nwords), edges), axis=1)
    return out


def native() -> bool:
    """Whether the C kernel computes the keys."""
    return _native is not None


def band_keys(sig: np.ndarray, nwords: np.ndarray) -> np.ndarray:
    """``(n, BANDS)`` uint64 band keys; rows of texts under ``MIN_WORDS`` words are zero (no key)."""
    n = sig.shape[0]
    acc = np.zeros((n, BANDS), dtype=np.uint64)
    bands = sig.reshape(n, BANDS, ROWS)
    with np.errstate(over="ignore"):
        for r in range(ROWS):
            acc = mix(acc ^ bands[:, :, r] + np.uint64(r + 1))
        keys = mix(acc + np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))
    keys[keys == 0] = 1  # 0 means "no key"
    keys[nwords < MIN_WORDS] = 0
    return keys


def estimated_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> np.ndarray:
    """Share of equal bins, row by row: an estimate of the shingle Jaccard similarity."""
    return (sig_a == sig_b).mean(axis=-1)


def warm_up() -> None:
    """Build the hash tables now (a first sketch otherwise pays ~0.1 s for them), as large as
    a batch of ``index`` needs (1.4 MB of text; the 64 MB they took before was a tenth of the
    corpora's peak). The C kernel needs none."""
    if _native is not None:
        return
    _powers(1 << 21)
    signatures(["warm up the sketch tables with a short text of a dozen words or so"])

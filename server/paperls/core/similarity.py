"""Confirmation of near-duplicate candidates: is this pair another version of the same abstract?

Scores are word-level, computed with rapidfuzz on token lists (punctuation and case do not count):

- ``ratio``: Indel similarity of the two word sequences, ``2·LCS / (|a| + |b|)``. Real versions of
  one abstract (a few words changed, a sentence added or dropped) score 0.8 and above.
- ``containment``: ``LCS / min(|a|, |b|)``. A copy truncated after its first sentences scores near
  1.0 here while its ``ratio`` is low.

Templated abstracts of different papers (yearly shared-task overviews: WMT 2018 / WMT 2019,
NTIRE 2025 / 2026) score as high as real versions on both. What tells them apart is that the
words that differ name a different edition: another year or an edition ordinal. Such a pair is
"related", never a duplicate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Indel, Levenshtein

DEFAULT_THRESHOLD = 0.8
CONTAINMENT = 0.92  # share of the shorter text found in order in the longer one
MIN_CONTAINED_WORDS = 30  # a truncated copy must still be this long to count
TRUNCATED_LENGTH = 0.8  # ... and at most this share of the other's length (else it is a version)

# A year (2018), an event with its year (wmt18, wat2016, semeval2018) or an ordinal (3rd).
_YEARLIKE = re.compile(
    r"^(?:(?:19|20)\d\d|[a-z]{2,7}(?:19|20)\d\d|[a-z]{2,5}[12]\d|\d{1,2}(?:st|nd|rd|th))$"
)
_ORDINALS = frozenset(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split()
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """How alike two abstracts are. ``similarity`` is the score that decided (0 to 1)."""

    similarity: float
    ratio: float
    containment: float
    contained: bool  # a truncated copy (judged by containment) rather than a version
    other_edition: bool  # the differing words name another year or edition


def compare(a: list[str], b: list[str]) -> Verdict:
    """Score two token lists (``normalize.tokens`` output)."""
    if not a or not b:
        return Verdict(0.0, 0.0, 0.0, False, False)
    dist = Indel.distance(a, b)
    total = len(a) + len(b)
    lcs = (total - dist) / 2
    ratio = 1.0 - dist / total
    containment = lcs / min(len(a), len(b))
    other = _other_edition(a, b) if ratio < 1.0 else False
    short, long = sorted((len(a), len(b)))
    # A truncated copy: much shorter, and nearly all of it found in order in the longer text.
    truncated = (containment >= CONTAINMENT and short >= MIN_CONTAINED_WORDS
                 and short / long <= TRUNCATED_LENGTH)
    sim = containment if truncated else ratio
    return Verdict(round(sim, 4), ratio, containment, truncated, other)


def is_near_duplicate(v: Verdict, threshold: float = DEFAULT_THRESHOLD) -> bool:
    if v.other_edition:
        return False
    return v.ratio >= threshold or v.contained


def _other_edition(a: list[str], b: list[str]) -> bool:
    """Whether a replaced stretch swaps one year/edition marker for another."""
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(a, b).as_list():
        if tag != "replace":
            continue
        left = {t for t in a[i1:i2] if _YEARLIKE.match(t) or t in _ORDINALS}
        right = {t for t in b[j1:j2] if _YEARLIKE.match(t) or t in _ORDINALS}
        if left and right and left != right:
            return True
    return False

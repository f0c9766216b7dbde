"""Confirmation of near-duplicate candidates: is this pair another version of the same abstract?

Scores are word-level, computed with rapidfuzz on token lists (punctuation and case do not count):

- ``ratio``: Indel similarity of the two word sequences, ``2·LCS / (|a| + |b|)``. Real versions of
  one abstract (a few words changed, a sentence added or dropped) score 0.8 and above.
- ``containment``: ``LCS / min(|a|, |b|)``. A copy truncated after its first sentences scores near
  1.0 here while its ``ratio`` is low.

- ``opening``: the shorter text is the opening of the longer one (its first words, the last one
  perhaps cut), as databases truncate abstracts after a sentence or two. A short opening is the
  same paper only if it is specific: ``bits`` is its information in English (wordfreq). In the
  98.8k-abstract corpora (bench/near_duplicates.py's notes), an opening of 160 bits or more is
  shared with exactly one other paper's abstract for 0.19% of abstracts; of 130-160 bits, 1.1%;
  of 75-100 bits, 3.2% (and with several for 6.3%: such an opening is ambiguous, and the index
  links a short text to no one when it opens more than one paper).

Templated abstracts of different papers (yearly shared-task overviews: WMT 2018 / WMT 2019,
NTIRE 2025 / 2026) score as high as real versions on both. What tells them apart is that the
words that differ name a different edition: another year, an edition ordinal, another task's
number ("SemEval-2018 Task 1" / "Task 3"), or the two open on different years or ordinals (the
CoNLL 2017 and 2018 overviews, whose later text recalls the earlier edition). Likewise one text
carried over to another subject: two or more terms each substituted throughout ("airport" ->
"railway stations" four times and "flight" -> "train" twice). In the 98.8k corpora the task and
subject rules unlink 3 of the 32 pairs the engine linked, each a different paper by its title;
the opening-edition rule holds apart the CoNLL overviews; none of them touches a labelled
version of the development pairs. Such a pair is "related", never a duplicate. A year in a
citation ("Johnson et al. 2006" corrected to 2007) is not an edition; nor is "second" written
"2nd".

Two levels of confidence, each with its own codes and settings:
- a *near duplicate* (almost certainly the same paper): word similarity at least the threshold
  (0.8), a truncated copy of at least 30 words, or a specific opening (>= 160 bits);
- a *possible duplicate* (probably the same paper; the finding says why): a shorter opening
  (>= 75 bits) that opens no other paper; and a revised version: similarity at least the lower
  threshold (0.58, see POSSIBLE_THRESHOLD; 1 turns it off), no year or edition traded for
  another, no name swapped for another in place ("the ADI shared task" / "the GDI shared task")
  and no earlier edition recalled in the opening ("Following the WMT 2018 shared task, ...").
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from rapidfuzz.distance import Indel, Levenshtein

DEFAULT_THRESHOLD = 0.8
# A revised version below the near threshold: probably the same paper. Every labelled version
# of the development pairs from 0.58 to 0.8 is one (their different papers' nearest neighbours
# reach 0.38). In the 98.8k corpora the band also holds papers by the same authors that reuse
# their own text: yearly overviews and system papers of other editions, tasks or names are held
# apart by the edition and name rules; what stays is mostly a conference and a journal version of
# one study, or an arXiv paper retitled (bench/near_duplicates.py --corpora lists them).
POSSIBLE_THRESHOLD = 0.58
OPENING_MIN_WORDS = 6  # a shorter opening is never taken for a paper
NAMED_WORDS = 30  # texts this short are told apart by a name swapped for another
NAME_BITS = 19.9  # a word this rare in English (zipf under 3, once a million words) is a name
CERTAIN_BITS = 160.0  # an opening this specific is almost certainly the same paper
POSSIBLE_BITS = 75.0  # ... and this specific, probably (if no other text opens alike)
CONTAINMENT = 0.92  # share of the shorter text found in order in the longer one
MIN_CONTAINED_WORDS = 30  # a truncated copy must still be this long to count
TRUNCATED_LENGTH = 0.8  # ... and at most this share of the other's length (else it is a version)
OWN_EDITION_WORDS = 60  # a year or ordinal this early names the text's own edition
SWAP_WORDS = 6  # ... when it was swapped for the other's in an edit this short
SWAPPED_NAME_BITS = 18.3  # a word swapped alone for another this rare (zipf under 3.5) is a name

# A year (2018), an event with its year (wmt18, wat2016, semeval2018) or an ordinal (3rd).
_YEARLIKE = re.compile(
    r"^(?:(?:19|20)\d\d|[a-z]{2,7}(?:19|20)\d\d|[a-z]{2,5}[12]\d|\d{1,2}(?:st|nd|rd|th))$"
)
# What can name a text's own edition: a year, an event with its year, an ordinal.
_EDITION = re.compile(r"^(?:[a-z]{0,7}(?:19|20)\d\d|\d{1,2}(?:st|nd|rd|th))$")
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
    opening: bool = False  # the shorter text opens the longer one (a truncated copy)
    bits: float = 0.0  # the opening's information, when ``opening``
    years_differ: bool = False  # a year or edition differs anywhere (outside citations)
    renamed: bool = False  # a name renamed throughout, or an earlier edition recalled as it opens


def compare(a: list[str], b: list[str]) -> Verdict:
    """Score two token lists (``normalize.tokens`` output)."""
    if not a or not b:
        return Verdict(0.0, 0.0, 0.0, False, False)
    dist = Indel.distance(a, b)
    total = len(a) + len(b)
    if 2 * dist < total or (total - dist) / 2 >= 0.8 * min(len(a), len(b)):  # alike enough to matter
        ra, rb = _rejoined(a, b)
        if ra is not a or rb is not b:
            a, b = ra, rb
            dist = Indel.distance(a, b)
            total = len(a) + len(b)
    lcs = (total - dist) / 2
    ratio = 1.0 - dist / total
    containment = lcs / min(len(a), len(b))
    short, long = sorted((len(a), len(b)))
    other = differ = renamed = False
    if ratio < 1.0:
        ops = Levenshtein.opcodes(a, b).as_list()
        ma, mb = _positions(a), _positions(b)
        sa, sb = {m for _, m in ma}, {m for _, m in mb}
        other = (_other_edition(ma, mb, ops) or _own_editions_differ(ma, mb, sa, sb, ops)
                 or _other_subject(a, b, ops)
                 or (long <= NAMED_WORDS and _other_name(a, b, ops)))
        if ratio >= 0.5:  # any lower threshold a user sets
            differ = _years_differ(sa, sb)
            another, renamed = _swaps(a, b, ops)
            other = other or another
            renamed = renamed or _edition_recalled(ma, mb, sa, sb, ops)
    # A truncated copy: much shorter, and nearly all of it found in order in the longer text.
    truncated = (containment >= CONTAINMENT and short >= MIN_CONTAINED_WORDS
                 and short / long <= TRUNCATED_LENGTH
                 and _cut(*((a, b) if len(a) <= len(b) else (b, a))))
    opening = short >= OPENING_MIN_WORDS and short / long <= TRUNCATED_LENGTH \
        and _opens(*((a, b) if len(a) <= len(b) else (b, a)))
    bits = information(a if len(a) <= len(b) else b) if opening else 0.0
    sim = containment if truncated or opening else ratio
    return Verdict(round(sim, 4), ratio, containment, truncated or (opening and short >= 30),
                   other, opening, round(bits, 1), differ, renamed)


def _rejoined(a: list[str], b: list[str]) -> tuple[list[str], list[str]]:
    """The two texts with PDF artefacts undone: a word split by a hyphenated line break ("cor-
    pus") or two words glued ("theWMT", "arebased"). Two adjacent words of one text are joined
    where the other writes them as one word, never has the two apart, and the first never has
    the word whole."""
    sa, sb = set(a), set(b)
    return _join(a, sb, sa, b), _join(b, sa, sb, a)


def _join(t: list[str], other: set[str], own: set[str], other_words: list[str]) -> list[str]:
    # Only a word the other text has and this one lacks can be two of this one's words joined:
    # split those first (a few words), and walk the text only if a split is two of its words.
    splits = {(w[:k], w[k:]) for w in other - own if len(w) > 3 for k in range(1, len(w))
              if w[:k] in own and w[k:] in own}
    if not splits:
        return t
    splits -= set(zip(other_words, other_words[1:], strict=False))  # the other has them apart
    out: list[str] = []
    i = 0
    while i < len(t):
        if i + 1 < len(t) and (t[i], t[i + 1]) in splits:
            out.append(t[i] + t[i + 1])
            i += 2
            continue
        out.append(t[i])
        i += 1
    return out if len(out) < len(t) else t


def is_near_duplicate(v: Verdict, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """Almost certainly the same paper."""
    if v.other_edition:
        return False
    return v.ratio >= threshold or v.contained or (v.opening and v.bits >= CERTAIN_BITS)


def is_possible_duplicate(v: Verdict, threshold: float = DEFAULT_THRESHOLD,
                          lower: float = POSSIBLE_THRESHOLD) -> bool:
    """Probably the same paper, and not already a near duplicate: a revised version, or a
    shorter opening (see ``why``)."""
    if v.other_edition or v.renamed or is_near_duplicate(v, threshold):
        return False
    if v.opening:
        return v.bits >= POSSIBLE_BITS
    return lower < 1.0 and v.ratio >= lower and not v.years_differ


def why(v: Verdict, threshold: float = DEFAULT_THRESHOLD) -> str:
    """What kind of version a linked pair is, in a curator's words."""
    if v.opening or v.contained:
        return "truncated copy"
    if v.ratio >= threshold:
        return "near copy"
    return "revised version"


def information(tokens_: list[str]) -> float:
    """Bits of the words in English (rare words and names carry more): what makes a short
    opening specific to one paper."""
    return sum(_bits(t) for t in tokens_)


@functools.lru_cache(maxsize=100_000)
def _bits(word: str) -> float:
    from wordfreq import zipf_frequency

    z = zipf_frequency(word, "en")
    return (9.0 - z) * _LOG2_10 if z > 0 else 9.0 * _LOG2_10


_LOG2_10 = math.log2(10)


def _cut(short: list[str], long: list[str]) -> bool:
    """Whether ``long`` adds its extra words after ``short`` ends (a copy cut short), not all
    through it: a later edition that retells the earlier one ("In 2017, the task ..." inside
    the 2018 overview) contains it too, with its new words spread between the old ones."""
    inside = 0
    last = 0
    ops = Indel.opcodes(short, long).as_list()
    for tag, i1, i2, _, _ in ops:
        if tag != "insert" and i2 > i1:
            last = i2
    for tag, i1, _, j1, j2 in ops:
        if tag == "insert" and i1 < last:
            inside += j2 - j1
    return inside <= 0.25 * len(short)


def _opens(short: list[str], long: list[str]) -> bool:
    """Whether ``short`` is the opening of ``long``: the same first words, the last one perhaps
    cut mid-word ("... in an" / "... in an interactive"), with at most one word edited."""
    n = len(short)
    head = long[:n]
    if head[:-1] == short[:-1]:
        return head[-1].startswith(short[-1])
    if n < 12:
        return False
    return Levenshtein.distance(short[:-1], head[:-1]) <= 1 and head[-1].startswith(short[-1])


def _marker(t: str) -> str | None:
    """The edition a token names ("2018", "wmt18", "2nd", "second" -> "2nd"), or None."""
    if t in _ORDINALS:
        return _ORDINAL_NUMBER[t]
    if not (t[0].isdigit() or t[-1].isdigit()):  # every other marker starts or ends so
        return None
    return t if _YEARLIKE.match(t) else None


_SEEN: dict[tuple[str, ...], list[tuple[int, str]]] = {}


def _positions(toks: list[str]) -> list[tuple[int, str]]:
    """``_marker_positions``, remembered for the last few hundred texts: a templated abstract
    is in hundreds of candidate pairs (8,918 lookups, 2,468 computed, in the 98.8k corpora), and
    the tuple to look one up costs a tenth of finding them."""
    key = tuple(toks)
    got = _SEEN.get(key)
    if got is None:
        if len(_SEEN) >= 512:
            _SEEN.clear()
        got = _SEEN[key] = _marker_positions(toks)
    return got


def _marker_positions(toks: list[str]) -> list[tuple[int, str]]:
    """Every edition marker of ``toks`` with its position, leaving out years of citations ("et
    al 2006", "hayes and wilson 2006"): a corrected citation year is not another edition. A
    two-digit number after a short name is one too ("SR'19" is "sr 19" once punctuation is
    gone), and so is a task's number ("task 1" / "task 3": a system for another task). Found
    once per text: only tokens that start or end with a digit, or are ordinals, can be one."""
    out = []
    for i, t in enumerate(toks):
        if len(t) == 1 and i > 0 and toks[i - 1] in _NUMBERED and t.isalpha():
            out.append((i, toks[i - 1] + "#" + t))  # "subtask a" / "subtask b"
            continue
        if not (t[0] in _DIGITS or t[-1] in _DIGITS or t in _ORDINALS):
            continue
        m = _marker(t)
        if m is None and i > 0 and t.isdigit() and len(t) <= 2 and toks[i - 1] in _NUMBERED:
            m = toks[i - 1] + "#" + t
        if m is None and i > 0 and len(t) == 2 and t.isdigit() \
                and toks[i - 1].isalpha() and 2 <= len(toks[i - 1]) <= 7 \
                and toks[i - 1] not in _NOT_NAMES:
            m = toks[i - 1] + t
        if m is None or (m.isdigit() and _cited(toks, i)):
            continue
        out.append((i, m))
    return out


def _markers(pos: list[tuple[int, str]], lo: int, hi: int) -> set[str]:
    """The markers of positions ``lo`` to ``hi`` (see ``_marker_positions``)."""
    return {m for i, m in pos if lo <= i < hi}


_DIGITS = frozenset("0123456789")


def _cited(toks: list[str], i: int) -> bool:
    """Whether the year at ``i`` closes a citation: "... et al 2006", "hayes and wilson 2006"
    (two names joined by "and"; "wmt 2017 and wmt 2018" is not one: a marker stands there)."""
    before = toks[max(0, i - 3):i]
    if before[-1:] == ["al"]:
        return True
    return (len(before) == 3 and before[1] == "and" and before[0].isalpha()
            and before[2].isalpha() and _marker(before[0]) is None
            and _marker(before[2]) is None)


def _other_edition(ma: list[tuple[int, str]], mb: list[tuple[int, str]], ops: list) -> bool:
    """Whether a replaced stretch swaps one year/edition marker for another."""
    if not (ma and mb):
        return False
    for tag, i1, i2, j1, j2 in ops:
        if tag != "replace":
            continue
        left, right = _markers(ma, i1, i2), _markers(mb, j1, j2)
        if left and right and left != right:
            return True
    return False


def _own_editions_differ(ma: list[tuple[int, str]], mb: list[tuple[int, str]],
                         sa: set[str], sb: set[str], ops: list) -> bool:
    """Whether the two texts open on different editions: the first year or ordinal each names
    in its opening words is its own ("In 2017, the task was ..." / "Every year ... In 2018, one
    of two tasks ..."), they differ, and one of them the other text never names. A later
    overview may recall the earlier edition further on ("the first one took place in 2017"),
    which hides the swap from a word-by-word alignment. Only years and ordinals count here, not
    a task's number or a figure ("solves 28.8%"). ``sa`` and ``sb``: every marker of each.

    The two must stand where the alignment puts each other, in a short edit: a version that
    dropped the sentence naming a year ("Since 2015, ...") opens on a later year, but its year
    went with a whole sentence, not in a swap."""
    own_a = next(((i, m) for i, m in ma if i < OWN_EDITION_WORDS and _EDITION.match(m)), None)
    own_b = next(((i, m) for i, m in mb if i < OWN_EDITION_WORDS and _EDITION.match(m)), None)
    if own_a is None or own_b is None or own_a[1] == own_b[1]:
        return False
    if own_a[1] in sb and own_b[1] in sa:
        return False
    (ia, _), (jb, _) = own_a, own_b
    for tag, i1, i2, j1, j2 in ops:
        if i1 <= ia < i2:
            return (tag != "equal" and i2 - i1 <= SWAP_WORDS and j2 - j1 <= SWAP_WORDS
                    and j1 - SWAP_WORDS <= jb <= j2 + SWAP_WORDS)
    return False


def _other_subject(a: list[str], b: list[str], ops: list) -> bool:
    """Whether the text was carried over to another subject: two or more terms each replaced
    by another throughout ("airport" -> "railway stations" and "flight" -> "train";
    "Cocktail" -> "WindowQuant" and "chunk" -> "window"). A revision may rename one thing
    everywhere (a method's new name, "combination" -> "mix"); a different paper written from
    the same text swaps its whole vocabulary. Inflections and spellings of one word
    ("focuses" -> "focused", "iput" -> "input") are not substitutions."""
    seen: set[tuple[str, str]] = set()
    recurring: set[tuple[str, str]] = set()
    for tag, i1, i2, j1, j2 in ops:
        if tag != "replace" or i2 - i1 > 3 or j2 - j1 > 3:
            continue
        left = " ".join(w for w in a[i1:i2] if w not in _FUNCTION)
        right = " ".join(w for w in b[j1:j2] if w not in _FUNCTION)
        if not left or not right or _variants(left, right):
            continue
        if (left, right) in seen:
            recurring.add((left, right))
        seen.add((left, right))
    return len(recurring) >= 2


def _variants(x: str, y: str) -> bool:
    """Two spellings or forms of one word or phrase: a shared start, one inside the other, or
    a letter or two apart ("spräkbanken" / "språkbanken")."""
    return (x[:4] == y[:4] or x in y or y in x
            or Levenshtein.distance(x, y, score_cutoff=2) <= min(2, len(x) // 5))


def _other_name(a: list[str], b: list[str], ops: list) -> bool:
    """Whether a short text swaps one name for another ("our system in the GDI shared task"
    against "... the ILI shared task"): in a text that short, the name is what tells the
    papers apart. Names are words English hardly uses (acronyms, systems, datasets)."""
    for tag, i1, i2, j1, j2 in ops:
        if tag == "replace" and i2 - i1 == 1 and j2 - j1 == 1 and _bits(a[i1]) > NAME_BITS \
                and _bits(b[j1]) > NAME_BITS and not (a[i1].startswith(b[j1])
                                                      or b[j1].startswith(a[i1])):
            return True
    return False


def _swaps(a: list[str], b: list[str], ops: list) -> tuple[bool, bool]:
    """(another paper, renamed): what an edit that trades a name for another in place says.

    - A name swapped where it stands once ("our system in the ADI shared task" / "... the GDI
      shared task", "such as μTC, TextCategorization" / "B4MSA, FastText"), or what names a
      task or a team ("the WMT20 News Translation Task" / "... Biomedical Translation Task",
      "by the UFRGS team" / "by the BSC team"): the text of another paper.
    - A name swapped wherever it stands ("BePo" -> "ODG" three times, "EuroLLM-9B" -> "22B"):
      the paper's method renamed, or another model's report. A near copy stays one; a text
      that also rewrites sentences is no revised version.

    A name is a word English hardly uses that the other text never has, one or two swapped
    for one or two. A revision rewords phrases ("subcategorization frames" -> "syntactic
    forms") and adds names in new sentences, but does not trade one for another. Figures are
    not names: results change between versions."""
    other = renamed = False
    for i1, i2, j1, j2 in _edits(ops):
        left = [w for w in a[i1:i2] if w not in _FUNCTION and w not in b]
        right = [w for w in b[j1:j2] if w not in _FUNCTION and w not in a]
        if not left or not right or any(_variants(x, y) for x in left for y in right):
            continue
        if (len(left) <= 2 and len(right) <= 2 and i2 - i1 <= 4 and j2 - j1 <= 4
                and all(map(_named, left + right))):
            renamed = True
            other = other or all(a.count(w) == 1 for w in left)
        elif (len(left) <= SWAP_WORDS and len(right) <= SWAP_WORDS and i1 > 0 and j1 > 0
                and a[i1 - 1] == b[j1 - 1] and (a[i1 - 1] in _DETERMINERS or _marker(a[i1 - 1]))
                and _names_task(a, i2, b, j2)):
            other = True
    return other, renamed


def _names_task(a: list[str], i: int, b: list[str], j: int) -> bool:
    """Whether both texts go on, from ``i`` and ``j``, with the same few words up to a task or
    a team ("... translation shared task"): what came before named it, between "the" (or the
    event: "WMT20") and that word ("multi-task learning" names no task)."""
    for k in range(3):
        if i + k >= len(a) or j + k >= len(b) or a[i + k] != b[j + k] or a[i + k] in _FUNCTION:
            return False
        if a[i + k] in _TASK_HEADS:
            return True
    return False


def _named(w: str) -> bool:
    return not w.isdigit() and _bits(w) > SWAPPED_NAME_BITS


def _edits(ops: list) -> list[tuple[int, int, int, int]]:
    """The stretches an alignment changes, adjacent edits merged ("the adi" -> "gdi" comes as
    a replace and a delete)."""
    out: list[list[int]] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        if out and out[-1][1] == i1 and out[-1][3] == j1:
            out[-1][1], out[-1][3] = i2, j2
        else:
            out.append([i1, i2, j1, j2])
    return [(i1, i2, j1, j2) for i1, i2, j1, j2 in out]


def _edition_recalled(ma: list[tuple[int, str]], mb: list[tuple[int, str]],
                      sa: set[str], sb: set[str], ops: list) -> bool:
    """Whether one text's opening adds a year the other never names ("Following the WMT 2018
    shared task on parallel corpus filtering, we posed ..." in the 2019 findings): a later
    edition recalling the earlier one. A revision adds years later on ("published at NAACL
    2021") or as a span ("decisions from 2008-2013", "1965 to 2019")."""
    return _recalls(ma, sb, ops, 0) or _recalls(mb, sa, ops, 2)


def _recalls(pos: list[tuple[int, str]], others: set[str], ops: list, side: int) -> bool:
    """``_edition_recalled`` for one side (``side`` 0: a's positions in ``ops``, 2: b's)."""
    years = [i for i, m in pos if m.isdigit() and len(m) == 4]
    for tag, *span in ops:
        if tag == "equal":
            continue
        lo, hi = span[side], min(span[side + 1], OWN_EDITION_WORDS)
        for i, m in pos:
            if (lo <= i < hi and m not in others and i in years
                    and not any(0 < abs(j - i) <= 2 for j in years)):  # not a span of years
                return True
    return False


def _years_differ(sa: set[str], sb: set[str]) -> bool:
    """Whether each text names a year or edition the other does not (citations left out):
    "In 2017, the task ..." against "In 2018, one of two tasks ...". A revised version may add
    years ("from 1965 to 2019"), but not trade one for another."""
    return bool(sa - sb) and bool(sb - sa)


# Words whose number names which one: SemEval's Task 1 and Task 3 are different papers.
_NUMBERED = frozenset("task subtask track".split())
# Short words that carry no subject: a substitution of one for another is an edit.
_FUNCTION = frozenset("""a an the of and or to in on at by for from with as is are was were be
been this that these those it its we our their they which who what when where how into over
under about also such both each more most less very can may will would should could not no""".split())

# Words after what names a task or a team ("news translation task", "the UFRGS team").
_TASK_HEADS = frozenset("task tasks subtask track challenge competition campaign team".split())
_DETERMINERS = frozenset("the this our their".split())
# Words before a two-digit number that make it a count or a figure, not an edition.
_NOT_NAMES = frozenset("""of and or to in on at by for from with than over under about
top table figure fig section chapter step steps level layer layers task tasks track subtask
dataset datasets class classes language languages team teams system systems model models
only all up nearly around approximately least most were was are is be""".split())

_ORDINAL_NUMBER = {w: f"{i}{'st' if i % 10 == 1 and i != 11 else 'nd' if i % 10 == 2 and i != 12 else 'rd' if i % 10 == 3 and i != 13 else 'th'}"
                   for i, w in enumerate("first second third fourth fifth sixth seventh eighth "
                                         "ninth tenth eleventh twelfth thirteenth fourteenth "
                                         "fifteenth sixteenth seventeenth eighteenth nineteenth "
                                         "twentieth".split(), start=1)}

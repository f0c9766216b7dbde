"""Completion of paper topics (and of the ``Abstract:`` prefix at the start of a line).

The words before the cursor (up to three, the longest run that some phrase starts with first)
are matched against what the workspace writes: the vocabulary of every phrase of every abstract
with its document frequency, so "We use large lang" offers "large language models". Items rank
by how often the workspace writes them (a key phrase of some abstract counts double, a longer
phrase a little more); a phrase that is mostly the start of a longer one ("large language" of
"large language models") gives way to it; singular and plural are two items (the user picks). Every item matches
the typed text, and the client filters on the item itself as the user types on.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..core.catalog import Topic
from ..core.parse import PREFIX
from ..core.summary import sentences
from ..core.topics import MAX_CHARS, VERBS, analyse, is_name, key_of, written_forms
from ..core.workspace import Workspace

MAX_ITEMS = 50
ONE_WORD_SCAN, ONE_WORD_COMMON = 200, 600  # keys read for a one-word prefix (rare, common)
SNIPPETS = 8  # items whose documentation quotes a sentence (each reads its abstract again)
STUB = 0.8  # a phrase whose longer form is written in this share of its abstracts is a stub
KEY_PHRASE_WEIGHT = 2.0  # a phrase that is some abstract's key phrase, against one merely written
_WORD_BEFORE = re.compile(r"([^\W_][\w\-'’.+]*)\s*$")


@dataclass(frozen=True, slots=True)
class CompletionResult:
    label: str
    insert_text: str
    start: int  # column where the replaced text starts (cursor is the end)
    detail: str
    documentation: str  # Markdown; "" for none
    rank: int  # 0 best: the order the user should see the items in
    kind: str  # "topic" or "prefix"


@dataclass(slots=True)
class _Offer:
    key: str  # the vocabulary's key (case folded)
    form: str | None  # the most written form; looked up for the shown items only
    abstracts: int
    words: int
    typed: int  # how many typed words it continues
    start: int
    topic: Topic | None  # the catalogue's entry, when it is some abstract's key phrase

    @property
    def score(self) -> float:
        weight = KEY_PHRASE_WEIGHT if self.topic is not None else 1.0
        return self.abstracts * weight * (1.0 + 0.5 * (self.words - 1))


def _typed_words(before: str, n: int) -> tuple[str, int] | None:
    """The last ``n`` words before the cursor and the column where they start."""
    end = len(before)
    start = end
    for _ in range(n):
        m = _WORD_BEFORE.search(before[:start])
        if not m:
            return None
        start = m.start(1)
    if start == end:
        return None
    return before[start:end], start


def complete(ws: Workspace, doc: str, line_text: str, line: int, col: int,
             max_items: int = MAX_ITEMS) -> list[CompletionResult]:
    col = max(0, min(col, len(line_text)))
    before = line_text[:col]
    out: list[CompletionResult] = []
    if line > 0 and PREFIX.casefold().startswith(before.casefold()) \
            and not line_text.startswith(PREFIX):
        out.append(CompletionResult(PREFIX, PREFIX, 0, "start an abstract",
                                    "Each abstract is one line that starts with `Abstract:`.",
                                    0, "prefix"))
        if not before:
            return out
    own = _own_phrases(ws, doc, line)
    offers: dict[str, _Offer] = {}
    for n in (3, 2, 1):
        typed = _typed_words(before, n)
        if typed is None:
            continue
        text, start = typed
        q = " ".join(text.casefold().split())
        if len(q) < 2:
            continue
        # One word matches thousands of keys: the common ones, and a few rare ones, are what
        # ranks first anyway (20k corpus abstracts: p99 68 -> 20 ms).
        scan, common = (2000, 2000) if n > 1 else (ONE_WORD_SCAN, ONE_WORD_COMMON)
        for key, df in ws.vocabulary.with_prefix(q, scan, common):
            df -= key in own  # the line being typed is no evidence for its own words
            if df > 0 and key != q and not (n == 1 and _verb_led(key)):
                _offer(ws, offers, key, df, n, start)
    if not offers:
        _loose(ws, offers, before, {key_of(k) for k in own})
    ranked = _shorter_first(_without_stubs(sorted(
        offers.values(), key=lambda o: (-o.typed, -o.score, o.key))), max_items - len(out))
    for i, o in enumerate(ranked):
        if o.form is None:
            o.form = ws.vocabulary.form(o.key)
        n = o.abstracts
        what = "topic" if o.topic is not None else "phrase"
        detail = f"{what} · in {n} abstract{'s' if n != 1 else ''}"
        docs = _snippet(ws, o) if i < SNIPPETS else ""  # the label and detail say the rest
        text = in_typed_case(o.form, before[o.start:])
        out.append(CompletionResult(text, text, o.start, detail, docs, i + 1, "topic"))
    return out


def _own_phrases(ws: Workspace, doc: str, line: int) -> set[str]:
    """What the abstract being typed added to the vocabulary (if its phrases are in yet)."""
    d = ws.index.document(doc)
    a = d.parsed.abstract_at(line) if d else None
    tid = ws.index.text_id(doc, line)
    if a is None or tid is None or not ws.has_topics(tid):
        return set()
    return {f.casefold() for f in written_forms(analyse(a.text))}


def _offer(ws: Workspace, offers: dict[str, _Offer], key: str, df: int, typed: int,
           start: int) -> None:
    """One vocabulary key as an offer (singular and plural are two: the user picks)."""
    o = offers.get(key)
    if o is None:
        offers[key] = _Offer(key, None, df, len(key.split()), typed, start,
                             ws.catalog.get(key_of(key)))
    elif typed > o.typed:
        o.typed, o.start = typed, start


def _verb_led(key: str) -> bool:
    """A phrase of several words led by a verb that is no participle ("propose using k-sparse",
    offered after "pro"). Not kept from the vocabulary itself: after two typed words such a
    phrase is what was meant ("help desk", "address format")."""
    first, sep, _ = key.partition(" ")
    return bool(sep) and first in VERBS and not first.endswith(("ed", "ing"))


def _loose(ws: Workspace, offers: dict[str, _Offer], before: str, own: set[str]) -> None:
    """A mistyped word ("trasnformer"): the frequent topics close to it, kept only where the
    typed letters appear in order, as an editor's own filter would keep them."""
    typed = _typed_words(before, 1)
    if typed is None or len(typed[0]) < 3:
        return
    q = typed[0].casefold()
    # Only keys with the typed first letter can be kept (``_in_order``): the others are not
    # scored at all (22 -> 2 ms for "trasnformer" at 98.8k abstracts), nor take a place of
    # the 20.
    for key, _, _ in process.extract(q, ws.catalog.frequent_keys(q[:1]), scorer=fuzz.partial_ratio,
                                     limit=20, score_cutoff=85):
        topic = ws.catalog.get(key)  # the list may be a little stale: check
        if topic is not None and topic.abstracts - (key in own) > 0 and _in_order(q, key):
            offers[key] = _Offer(key, topic.text, topic.abstracts, len(key.split()), 1,
                                 typed[1], topic)  # a catalogue key: plural folded


def _in_order(q: str, key: str) -> bool:
    """The typed letters occur in the key in order, the first one first (VS Code's rule)."""
    if not key.startswith(q[:1]):
        return False
    it = iter(key)
    return all(ch in it for ch in q)


def _without_stubs(ranked: list[_Offer]) -> list[_Offer]:
    """Drop a phrase that the workspace mostly writes as the start of longer offered ones
    ("graph neural" of "graph neural network(s)", "large language" of "large language
    models"): where its one-word-longer offers cover ``STUB`` of its abstracts and one of them
    is written in several. A phrase of one abstract may run on into a verb or an adverbial
    ("SBC Communications last week", where "SBC Communications" is the topic): then both
    are offered, the shorter first. A single word is whole ("GPT-4o")."""
    longer: dict[str, list[int]] = {}
    for o in ranked:
        head, _, _ = o.key.rpartition(" ")
        if " " in head:
            longer.setdefault(head, []).append(o.abstracts)
    key_phrase_ext = {o.key.rpartition(" ")[0] for o in ranked
                      if o.topic is not None and o.typed == 1}

    def stub(o: _Offer) -> bool:
        ext = longer.get(o.key)
        if not ext:
            return False
        if max(ext) >= 2 and sum(ext) >= STUB * o.abstracts:
            return True
        # After one typed word, a phrase that is no key phrase and is written only inside a
        # longer key phrase ("auto" offering "autoregressive omni" of "autoregressive omni
        # model"). Not after two: Inspec's keyphrases are as often such heads ("enzyme fer"
        # for "enzyme fermentation" of "enzyme fermentation process").
        return o.typed == 1 and o.topic is None and o.key in key_phrase_ext \
            and max(ext) >= o.abstracts
    return [o for o in ranked if not stub(o)]


def in_typed_case(phrase: str, typed: str) -> str:
    """The phrase as the user is writing it: a first word capitalised only because it opened a
    sentence somewhere ("Sparse autoencoders") goes in lower case after "We train sparse auto",
    and a phrase starts with a capital where the user typed one (a sentence start). Names and
    acronyms keep their form (GPT-4o, HumanEval)."""
    first, sep, rest = phrase.partition(" ")
    lead = typed.lstrip()[:1]
    if not first or not lead or is_name(first):
        return phrase
    if lead.islower() and first[0].isupper():
        first = first[0].lower() + first[1:]
    elif lead.isupper() and first[0].islower():
        first = first[0].upper() + first[1:]
    return first + sep + rest


def _shorter_first(ranked: list[_Offer], limit: int) -> list[_Offer]:
    """The first ``limit`` offers, each offered phrase right before the longer offers it
    begins ("GPT-4o" before "GPT-4o System Card"), as a trie would, keeping the ranking
    otherwise."""
    by_key = {o.key: o for o in ranked}
    out: list[_Offer] = []
    done: set[str] = set()
    for o in ranked:
        if len(out) >= limit:
            break  # the rest is never shown (a common word offers hundreds)
        words = o.key.split()
        for n in range(1, len(words)):
            head = by_key.get(" ".join(words[:n]))
            if head is not None and head.key not in done and head.typed == o.typed:
                done.add(head.key)
                out.append(head)
        if o.key not in done:
            done.add(o.key)
            out.append(o)
    return out[:limit]


def _snippet(ws: Workspace, o: _Offer) -> str:
    """Documentation: the phrase in a sentence of one abstract that has it (a key phrase's
    catalogue entry says which)."""
    n = o.abstracts
    head = f"**{o.form}** — in {n} abstract{'s' if n != 1 else ''}"
    if o.topic is None:
        return head
    doc, line = o.topic.example
    d = ws.index.document(doc)
    a = d.parsed.abstract_at(line) if d else None
    if a is None:
        return head
    low = o.form.casefold()
    for s, folded in _sentences(a.text[:MAX_CHARS]):
        if low in folded:
            return f"{head}\n\n> {s}\n\n`{ws.namer(doc)}` line {line + 1}"
    return f"{head}\n\n`{ws.namer(doc)}` line {line + 1}"


@functools.lru_cache(maxsize=1024)
def _sentences(text: str) -> tuple[tuple[str, str], ...]:
    """An abstract's sentences, each with its case-folded form: the snippets of one keystroke's
    list quote the same few abstracts as the last one's (a sixth of a completion's time went
    to splitting them again)."""
    return tuple((s, s.casefold()) for s in sentences(text))

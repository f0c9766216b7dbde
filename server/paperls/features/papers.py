"""Papers, not lines: what to call a paper, which copies form one paper, and what differs
between two copies.

A paper is a connected group of abstracts linked by the index's copies (exact or near); its
``cluster`` id is stable across runs (from the smallest text key of its copies), so that JSON
and SARIF consumers can follow a paper from one run to the next.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..core.index import Copy
from ..core.normalize import normalize, tokens
from ..core.parse import Abstract
from ..core.references import Link
from ..core.workspace import Workspace

FIRST_WORDS = 12


def first_words(text: str, n: int = FIRST_WORDS) -> str:
    words = text.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


def paper_title(ws: Workspace, doc: str, a: Abstract, parts: int = 3) -> str:
    """The paper's headline (the name the outline, hover and every finding use): its real
    title when a reference file has it, else its own name if it gives one, then its best
    topics; its first words when it has no topics."""
    real = real_title(ws, doc, a.line)
    if real:
        return real
    return ws.headline(doc, a, parts) or first_words(a.text, 8) or "(empty abstract)"


def real_title(ws: Workspace, doc: str, line: int) -> str:
    """The title of the reference entry this abstract is, if any ("" without one)."""
    return next((x.ref.title for x in ws.references_of(doc, line) if x.ref.title), "")


def differs(a: str, b: str) -> str:
    """How two near-identical texts differ, in words a curator reads: "differs only in
    punctuation", "differs only in case and spacing", "differs in 2 words"."""
    if a == b:
        return "identical"
    na, nb = normalize(a), normalize(b)
    if na == nb:
        return "differs only in case and spacing"
    ta, tb = tokens(na), tokens(nb)
    if ta == tb:
        return "differs only in punctuation"
    changed = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        if op != "equal":
            changed += max(i2 - i1, j2 - j1)
    return f"differs in {changed} word{'s' if changed != 1 else ''}"


def how(c: Copy, mine: str | None = None, theirs: str | None = None) -> str:
    """A copy's relation to this abstract: "exact", "91% similar", "truncated copy, 98%
    contained"; a near copy that rounds to 100% says what differs instead."""
    if c.exact:
        return "exact"
    if c.possible:
        if c.contained and mine is not None and theirs is not None:
            short, long = sorted((len(mine.split()), len(theirs.split())))
            which = "this is" if len(mine.split()) == short else "that is"
            return f"probably the same paper: {which} its first {short} of {long} words"
        if c.contained:
            return "probably the same paper: a truncated copy"
        return f"probably the same paper: a revised version, {c.similarity:.0%} similar"
    if c.contained:
        return f"truncated copy, {c.similarity:.0%} contained"
    if round(c.similarity * 100) >= 100 and mine is not None and theirs is not None:
        return differs(mine, theirs)
    return f"{c.similarity:.0%} similar"


def text_at(ws: Workspace, doc: str, line: int) -> str | None:
    d = ws.index.document(doc)
    a = d.parsed.abstract_at(line) if d else None
    return a.text if a else None


_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Change:
    """One changed stretch of a word diff, with a little context on each side."""

    before: str  # context words before the change
    deleted: str
    inserted: str
    after: str


def word_diff(old: str, new: str, context: int = 3, limit: int = 6) -> list[Change]:
    """The changed stretches from ``old`` to ``new``, word by word (case and punctuation as
    written), as a merge view shows them; at most ``limit`` stretches."""
    a, b = _WORD.findall(old), _WORD.findall(new)
    key = [w.casefold() for w in a], [w.casefold() for w in b]
    out: list[Change] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, *key, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        out.append(Change(" ".join(a[max(0, i1 - context):i1]), " ".join(a[i1:i2]),
                          " ".join(b[j1:j2]), " ".join(a[i2:i2 + context])))
        if len(out) >= limit:
            break
    return out


@dataclass(frozen=True, slots=True)
class Member:
    doc: str
    line: int
    relation: str  # to the paper's first copy: "first copy", "exact", "91% similar", ...
    kind: str = "first"  # first, exact, near, truncated, possible, or linked (via another copy)
    similarity: float | None = 1.0  # to the first copy (None when linked through another)


@dataclass(frozen=True, slots=True)
class Paper:
    cluster: str
    title: str
    first_words: str
    members: tuple[Member, ...]  # first copy first, then by list and line
    reference: Link | None = None  # the reference entry any copy is, when a file has it

    @property
    def lists(self) -> int:
        return len({m.doc for m in self.members})

    @property
    def twice_in_a_list(self) -> bool:
        return self.lists < len(self.members)


def papers(ws: Workspace, docs: list[str] | None = None) -> list[Paper]:
    """Every paper with more than one copy among ``docs`` (all lists by default), in the order
    of its first copy."""
    docs = sorted(ws.index.docs) if docs is None else docs
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    copies: dict[tuple[str, int], list[Copy]] = {}
    for doc in docs:
        for f in ws.index.findings(doc):
            me = (f.doc, f.line)
            copies[me] = list(f.copies)
            for c in f.copies:
                parent[find((c.doc, c.line))] = find(me)
    groups: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for node in list(parent):
        groups.setdefault(find(node), []).append(node)
    out = []
    for nodes in groups.values():
        nodes.sort()
        first = nodes[0]
        first_text = text_at(ws, *first) or ""
        by_place = {(c.doc, c.line): c for c in copies.get(first, [])}
        members = [Member(*first, "first copy")]
        for node in nodes[1:]:
            c = by_place.get(node)
            if c is not None:
                relation = "exact copy" if c.exact else how(c, first_text, text_at(ws, *node))
                kind = "exact" if c.exact else "possible" if c.possible \
                    else "truncated" if c.contained else "near"
                members.append(Member(*node, relation, kind, c.similarity))
            else:  # linked through another copy
                best = (copies.get(node) or [None])[0]
                relation = f"via {ws.namer(best.doc)}:{best.line + 1}" if best else "linked"
                members.append(Member(*node, relation, "linked", None))
        keys = [k for k in (ws.index.key_of(d, ln) for d, ln in nodes) if k is not None]
        d = ws.index.document(first[0])
        a = d.parsed.abstract_at(first[1]) if d else None
        # Any copy a reference file knows gives the paper its real title.
        ref = next((x for n in nodes for x in ws.references_of(*n)), None)
        title = (ref.ref.title if ref and ref.ref.title else "") \
            or (paper_title(ws, first[0], a) if a else "(unknown)")
        out.append(Paper(f"{min(keys):016x}"[:12] if keys else "0" * 12, title,
                         first_words(first_text), tuple(members), ref))
    out.sort(key=lambda p: (p.members[0].doc, p.members[0].line))
    return out


def distinct_papers(ws: Workspace, doc: str) -> int:
    """Abstract lines minus the later copies of a paper inside this list."""
    d = ws.index.document(doc)
    if d is None:
        return 0
    parent = {a.line: a.line for a in d.parsed.abstracts}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for f in ws.index.findings(doc):
        for c in f.copies:
            if c.doc == doc and c.line in parent:
                parent[find(c.line)] = find(f.line)
    return len({find(x) for x in parent})

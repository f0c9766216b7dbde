"""What the workspace really says: every candidate phrase of every abstract (the runs of content
words ``topics.analyse`` finds, one to four words), with how many abstracts write it. Completion
offers from here, so that "large lang" finds "large language models" even where no abstract
ranks it among its key phrases.

Entries are keyed by the case-folded phrase; a display form is kept only for phrases that some
abstract writes with capitals, and it is the form most abstracts write (a majority vote in
constant space, lower case included: "reinforcement learning", though some write "Reinforcement
Learning"; "BERT" wherever it is written so). Keys live in a ``SortedList`` for prefix ranges,
and the keys written in ``COMMON`` or more abstracts in a second one, so that a one-word prefix
with thousands of continuations still finds the common ones.

Memory is bounded: a large workspace writes millions of distinct phrases, most of them once.
When the vocabulary passes ``CAP`` entries, the phrases written in fewest abstracts are dropped
(first those written once, then twice, ..., until half the cap is left), as lossy counting does:
in a workspace of 100k abstracts a phrase of one or two of them is no completion anyone waits
for, and a phrase that comes back is counted again from then on.
"""

from __future__ import annotations

from collections.abc import Iterable

from sortedcontainers import SortedList

CAP = 400_000  # entries (~70 MB) before the rarest phrases are dropped
COMMON = 8  # abstracts that make a phrase common (the second list)


class Vocabulary:
    def __init__(self, cap: int = CAP) -> None:
        self.df: dict[str, int] = {}
        self._forms: dict[str, tuple[str, int]] = {}  # key -> (capitalised form, its votes)
        self._keys = SortedList()
        self._cap = cap
        self.floor = 0
        """Phrases written in this many abstracts or fewer may have been dropped (0: none)."""
        self._common = SortedList()

    def __len__(self) -> int:
        return len(self.df)

    def form(self, key: str) -> str:
        got = self._forms.get(key)
        return got[0] if got else key

    # ----- changes -------------------------------------------------------------------------

    def add(self, forms: Iterable[str]) -> None:
        """One abstract's phrases (each once, as ``topics.written_forms`` gives them)."""
        df, votes = self.df, self._forms
        for form in forms:
            key = form.casefold()
            n = df.get(key)
            if n is None:
                df[key] = 1
                self._keys.add(key)
            else:
                df[key] = n + 1
                if n + 1 == COMMON:
                    self._common.add(key)
            if form != key or key in votes:
                self._vote(key, form, n or 0)
        if len(df) > self._cap:
            self._prune()

    def remove(self, forms: Iterable[str]) -> None:
        """Take back what ``add`` counted for one abstract (a form's vote stays: it is only a
        display preference)."""
        df = self.df
        for form in forms:
            key = form.casefold()
            n = df.get(key)
            if n is None:
                continue
            if n == COMMON:
                self._common.discard(key)
            if n <= 1:
                del df[key]
                self._forms.pop(key, None)
                self._keys.discard(key)
            else:
                df[key] = n - 1

    def _vote(self, key: str, form: str, before: int) -> None:
        """Boyer-Moore majority vote over the forms written; ``before``: how many abstracts
        wrote the key before it had a vote, all in lower case."""
        cur = self._forms.get(key)
        if cur is None:
            cur = (key, before)
        if cur[1] == 0:
            self._forms[key] = (form, 1)
        elif cur[0] == form:
            self._forms[key] = (form, cur[1] + 1)
        else:
            self._forms[key] = (cur[0], cur[1] - 1)

    def _prune(self) -> None:
        """Drop the phrases of fewest abstracts until at most half the cap is left."""
        df = self.df
        below = 0
        while len(df) > self._cap // 2:
            below += 1
            for key in [k for k, n in df.items() if n <= below]:
                del df[key]
                self._forms.pop(key, None)
        self.floor = max(self.floor, below)
        # The kept keys in the order they had: sorting a sorted list is one linear pass.
        self._keys = SortedList([k for k in self._keys if k in df])
        self._common = SortedList([k for k in self._common if k in df])

    # ----- queries -------------------------------------------------------------------------

    def with_prefix(self, prefix: str, scan: int = 2000,
                    common: int = 2000) -> list[tuple[str, int]]:
        """(key, abstracts) of keys that start with ``prefix``: the first ``scan`` in
        alphabetical order, and the first ``common`` of the common ones (so that "neu" finds
        "neural network" however many rarer keys come first)."""
        out: dict[str, int] = {}
        for keys, limit in ((self._keys, scan), (self._common, common)):
            taken = 0
            for key in keys.irange(minimum=prefix):
                if not key.startswith(prefix) or taken >= limit:
                    break
                taken += 1
                out[key] = self.df[key]
        return list(out.items())

"""The topic catalogue behind completion: every phrase of every indexed abstract, with how many
abstracts have it and its usual spelling, searchable by prefix in milliseconds at 100k abstracts.

Keys live in a ``sortedcontainers.SortedList`` (insertions in O(log n), prefix ranges by bisection),
so the catalogue grows while the background extraction runs without ever re-sorting.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sortedcontainers import SortedList

MEMBERS_CAP = 200  # a phrase in more abstracts than this says little about relatedness
FREQUENT = 20000  # the keys fuzzy matching looks through: the most used ones
REFRESH = 0.1  # rebuild that list when the catalogue has grown by this share since


@dataclass(slots=True)
class Topic:
    """A phrase: its usual spelling and how many distinct abstracts have it."""

    text: str
    key: str
    abstracts: int = 0
    forms: Counter[str] = field(default_factory=Counter)
    example: tuple[str, int] = ("", -1)  # (doc, line) of one abstract that has it
    members: set[int] = field(default_factory=set)  # text ids, while few (MEMBERS_CAP)


class Catalog:
    def __init__(self) -> None:
        self.topics: dict[str, Topic] = {}
        self._keys = SortedList()
        self._frequent: list[str] = []
        self._frequent_at = -1  # catalogue size when ``_frequent`` was built
        self._by_first: dict[str, list[str]] = {}  # ``_frequent`` by first character

    def __len__(self) -> int:
        return len(self.topics)

    def __contains__(self, key: str) -> bool:
        return key in self.topics

    def get(self, key: str) -> Topic | None:
        return self.topics.get(key)

    def add(self, key: str, form: str, where: tuple[str, int], tid: int = -1) -> None:
        t = self.topics.get(key)
        if t is None:
            t = self.topics[key] = Topic(form, key, example=where)
            self._keys.add(key)
        t.abstracts += 1
        if tid >= 0 and len(t.members) < MEMBERS_CAP:
            t.members.add(tid)
        t.forms[form] += 1
        if t.forms[form] > t.forms[t.text]:
            t.text = form

    def remove(self, key: str, form: str, tid: int = -1) -> None:
        t = self.topics.get(key)
        if t is None:
            return
        t.abstracts -= 1
        t.members.discard(tid)
        t.forms[form] -= 1
        if t.abstracts <= 0:
            del self.topics[key]
            self._keys.discard(key)

    def with_prefix(self, prefix: str, limit: int) -> list[Topic]:
        out = []
        for key in self._keys.irange(minimum=prefix):
            if not key.startswith(prefix) or len(out) >= limit:
                break
            out.append(self.topics[key])
        return out

    def frequent_keys(self, first: str | None = None) -> list[str]:
        """The ``FREQUENT`` keys found in most abstracts, most found first (what fuzzy matching
        searches), or those of them that start with ``first``; rebuilt only when the catalogue
        has grown noticeably, not on every keystroke."""
        n = len(self.topics)
        if self._frequent_at < 0 or abs(n - self._frequent_at) > REFRESH * max(self._frequent_at, 1000):
            ranked = sorted(self.topics.values(), key=lambda t: -t.abstracts)[:FREQUENT]
            self._frequent = [t.key for t in ranked]
            self._frequent_at = n
            self._by_first = {}
            for key in self._frequent:
                self._by_first.setdefault(key[:1], []).append(key)
        return self._frequent if first is None else self._by_first.get(first, [])

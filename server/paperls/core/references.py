"""Reference files beside the lists (BibTeX, RIS, CSL JSON): their entries, and which abstract
of the lists is which entry.

An entry with an abstract is linked to every list abstract that the duplicate engine takes for
the same text (exact, near or truncated, by the same rules and thresholds as copies between
lists), so a hover can name the paper by its real title. Entries live in an index of their own:
they never count as copies of each other or of the lists, and a workspace with no reference
file pays nothing.

Invariants: reading the entries (``host.references``) is the only place that knows the file
formats; links are cached by list text id (ids are never reused, so a stale link can only name
a dead text) and dropped whenever a reference file or a threshold changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .index import Index
from .parse import Abstract, ParsedList

FORMATS = {"bibtex": "BibTeX", "ris": "RIS", "csl": "CSL JSON"}
_ARXIV = re.compile(r"(?:arxiv[:./\s]*(?:abs/|org/abs/)?|10\.48550/arxiv\.)(\d{4}\.\d{4,5})(v\d+)?"
                    r"|\b(\d{4}\.\d{4,5})(v\d+)?\b", re.I)


@dataclass(frozen=True, slots=True)
class Reference:
    """One entry of a reference file, with the metadata a curator looks for."""

    key: str  # the citation key (BibTeX key, RIS ID, CSL id); "" when the file gives none
    title: str
    authors: tuple[str, ...]  # "Given Family", in the file's order
    year: str
    venue: str
    doi: str
    arxiv: str
    url: str
    abstract: str  # on one line, whitespace collapsed; "" when the entry has none
    line: int  # 0-based line of the entry in its file
    number: int  # 1-based position of the entry in its file
    kind: str = ""  # article, inproceedings, JOUR...

    @property
    def cite(self) -> str:
        """How a curator names it: "@kaplan2020", or "entry 3" when the file has no keys."""
        return f"@{self.key}" if self.key else f"entry {self.number}"

    def author_line(self, most: int = 3) -> str:
        """ "Jared Kaplan, Sam McCandlish, Tom Henighan et al. (12 authors)"."""
        if not self.authors:
            return ""
        if len(self.authors) <= most:
            return ", ".join(self.authors)
        return ", ".join(self.authors[:most]) + f" et al. ({len(self.authors)} authors)"

    def links(self) -> list[tuple[str, str]]:
        """(label, URL) of the DOI, the arXiv page and the URL, without repeats."""
        out: list[tuple[str, str]] = []
        if self.doi:
            out.append((f"doi:{self.doi}", f"https://doi.org/{self.doi}"))
        if self.arxiv:
            out.append((f"arXiv:{self.arxiv}", f"https://arxiv.org/abs/{self.arxiv}"))
        if self.url and all(self.url != u for _, u in out) and "doi.org/" not in self.url \
                and "arxiv.org/abs/" not in self.url:
            out.append((self.url, self.url))
        return out


@dataclass(frozen=True, slots=True)
class RefProblem:
    """Something wrong with a reference file: an entry that could not be read, or the file."""

    line: int
    message: str
    code: str = "reference-entry"  # or "reference-file"


@dataclass(frozen=True, slots=True)
class RefFile:
    fmt: str  # a key of FORMATS
    entries: tuple[Reference, ...]
    problems: tuple[RefProblem, ...] = ()
    lines: tuple[str, ...] = ()  # the file's lines, for ranges

    @property
    def with_abstract(self) -> int:
        return sum(1 for e in self.entries if e.abstract)

    def line_end(self, line: int) -> int:
        """The length of a line of the file (0 past its end): where a range on it ends."""
        return len(self.lines[line]) if 0 <= line < len(self.lines) else 0


@dataclass(frozen=True, slots=True)
class Link:
    """A list abstract is this entry of this reference file."""

    doc: str
    ref: Reference
    exact: bool
    similarity: float


def find_arxiv(*values: str) -> str:
    """An arXiv id (2001.08361) in any of the values (an eprint field, a URL, a DOI)."""
    for v in values:
        m = _ARXIV.search(v or "")
        if m:
            return (m.group(1) or m.group(3)) + (m.group(2) or m.group(4) or "")
    return ""


def one_line(text: str) -> str:
    return " ".join(text.split())


def as_list(entries: list[Reference], curator: str) -> str:
    """An abstract list of the entries that have an abstract (what ``paperls import`` writes)."""
    lines = [one_line(curator)] + [f"Abstract:{e.abstract}" for e in entries if e.abstract]
    return "\n".join(lines) + "\n"


class References:
    """Every reference file of the workspace and the links of list abstracts to its entries."""

    def __init__(self) -> None:
        self.files: dict[str, RefFile] = {}
        self.revision = 0
        self._index: Index | None = None  # built on first use after a change
        self._entry: dict[tuple[str, int], Reference] = {}  # (file, ordinal) -> entry
        self._links: dict[int, tuple[Link, ...]] = {}  # list text id -> links
        self._stamp: tuple = ()

    def set_file(self, doc: str, refs: RefFile) -> None:
        self.files[doc] = refs
        self._changed()

    def remove_file(self, doc: str) -> bool:
        if self.files.pop(doc, None) is None:
            return False
        self._changed()
        return True

    def forget(self, tids) -> None:
        for t in tids:
            self._links.pop(t, None)

    def _changed(self) -> None:
        self.revision += 1
        self._index = None
        self._links.clear()

    def entry_at(self, doc: str, line: int) -> Reference | None:
        """The entry whose text starts on ``line`` of a reference file, or holds it."""
        refs = self.files.get(doc)
        best = None
        for e in refs.entries if refs else ():
            if e.line <= line:
                best = e
        return best

    def _built(self, main: Index) -> Index:
        stamp = (main.threshold, main.possible_threshold)
        if self._index is not None and stamp == self._stamp:
            return self._index
        self._links.clear()
        self._stamp = stamp
        index = Index(main.threshold, main.possible_threshold)
        self._entry = {}
        items = []
        for doc, refs in sorted(self.files.items()):
            abstracts = []
            for i, e in enumerate(refs.entries):
                if e.abstract:
                    abstracts.append(Abstract(i, 0, len(e.abstract), e.abstract))
                    self._entry[(doc, i)] = e
            if abstracts:
                items.append((doc, ParsedList(tuple(a.source for a in abstracts), None,
                                              tuple(abstracts))))
        index.bulk_load(items)
        self._index = index
        return index

    def links(self, main: Index, tid: int) -> tuple[Link, ...]:
        """The entries the list text ``tid`` is (exact first, then the closest)."""
        if not self.files:
            return ()
        got = self._links.get(tid)
        if got is None or self._index is None:
            self.link(main, [tid])
            got = self._links.get(tid, ())
        return got

    def link(self, main: Index, tids: list[int]) -> None:
        """Link many list texts at once, into the cache. Many more texts than entries (a
        whole workspace) are linked the other way round: each entry is looked up among the
        list texts, in the lists' own key tables, which costs what the entries cost."""
        index = self._built(main)
        todo = [t for t in tids if t not in self._links and main.alive(t)]
        if not todo:
            return
        if not index.docs:
            self._links.update((t, ()) for t in todo)
            return
        if len(todo) <= 4 * index.abstract_count:
            probes = [main.sketch_of(t) for t in todo]
            found = index.probe(probes, lambda i: main.normalized(todo[i]) or "")
            for t, hits in zip(todo, found, strict=True):
                self._store(index, t, hits)
            return
        entries = index.text_ids()
        back: dict[int, list[tuple[int, object]]] = {}
        found = main.probe([index.sketch_of(r) for r in entries],
                           lambda i: index.normalized(entries[i]) or "")
        for r, hits in zip(entries, found, strict=True):
            for t, v in hits:
                back.setdefault(t, []).append((r, v))
        for t in todo:
            self._store(index, t, back.get(t, []))

    def _store(self, index: Index, tid: int, hits) -> None:
        out = []
        for other, v in hits:
            for doc, i in sorted(index.occurrences(other)):
                e = self._entry.get((doc, i))
                if e is not None:
                    out.append(Link(doc, e, v is None, 1.0 if v is None else v.similarity))
        out.sort(key=lambda x: (not x.exact, -x.similarity, x.doc, x.ref.line))
        self._links[tid] = tuple(out)

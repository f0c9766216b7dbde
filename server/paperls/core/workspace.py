"""The workspace model: the duplicate index plus the topic statistics and catalogue.

One object owns both so that a document change updates them together. Topics are extracted per
distinct text, lazily (hover) or in bulk (``fill_topics``, run in the background after the
initial index), and cached by text id: an edit re-extracts only texts that are new.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from .catalog import MEMBERS_CAP, Catalog
from .index import Change, Index
from .parse import Abstract, ParsedList
from .references import Link, References
from .similarity import DEFAULT_THRESHOLD
from .summary import HEADLINE_TOPICS, Summary, summarize, title_parts
from .topics import MAX_CHARS, Phrase, analyse, dedupe, extract, is_name, written_forms
from .vocabulary import Vocabulary

TOPICS_PER_ABSTRACT = 12  # phrases per abstract in the catalogue behind completion


NAMES_PER_ABSTRACT = 6  # names (HumanEval, GPT-4o) kept beyond that: what users type most


TextTopics = tuple[tuple[Phrase, ...], tuple[str, ...]]
"""A text's best phrases (the catalogue's) and every phrase it writes (the vocabulary's)."""


def extract_many(texts: list[str]) -> list[TextTopics]:
    """``extract_all`` of each text (what a worker process runs over a chunk)."""
    return [extract_all(t) for t in texts]


HOVER_PARTS = 3  # parts of the headline a hover, an outline and a finding show

Prepared = tuple[list[Phrase], str]
"""What a hover of one text needs that is costly: its ``HEADLINE_TOPICS`` phrases and its
headline (``prepare``)."""


def headline_of(text: str, phrases: list[Phrase], parts: int) -> str:
    """A text's headline from its ``HEADLINE_TOPICS`` phrases: ``title_parts`` joined."""
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rsplit(" ", 1)[0]  # whole words
    return " · ".join(title_parts(phrases, parts, text))


def prepare(text: str) -> Prepared:
    """The phrases and headline ``Workspace.topics`` and ``headline`` work out for a text, as
    a pure function: a worker prepares the hovers of an opened list with it (a first hover
    extracts its text's topics: p50 4.4, p99 9.0 ms in process; a prepared one p50 0.5, p99
    1.2 ms)."""
    phrases = extract(text, HEADLINE_TOPICS)
    return phrases, headline_of(text, phrases, HOVER_PARTS)


def prepare_many(texts: list[str]) -> list[Prepared]:
    """``prepare`` of each text (what a worker process runs over a chunk)."""
    return [prepare(t) for t in texts]


def extract_all(text: str) -> TextTopics:
    """Best phrases, overlapping ones included, plus the names further down the ranking; and
    every phrase as written."""
    stretches = analyse(text)
    return _catalogued(extract(text, 200, distinct=False, stretches=stretches), stretches)


def extract_prepared(text: str) -> tuple[TextTopics, Prepared]:
    """``extract_all`` and ``prepare`` of one text from one ranking (an opened list's texts in
    the background fill): the hover's phrases are the ranking's head without the phrases inside
    better ones, as ``extract`` takes them."""
    stretches = analyse(text)
    ranked = extract(text, 200, distinct=False, stretches=stretches)
    phrases = dedupe(ranked[:HEADLINE_TOPICS * 4], HEADLINE_TOPICS)
    return _catalogued(ranked, stretches), (phrases, headline_of(text, phrases, HOVER_PARTS))


def extract_prepared_many(texts: list[str], wanted: list[bool]
                          ) -> list[tuple[TextTopics, Prepared | None]]:
    """``extract_prepared`` of each text whose hover is ``wanted``, ``extract_all`` of the
    others (what a worker process runs over a chunk)."""
    return [extract_prepared(t) if w else (extract_all(t), None)
            for t, w in zip(texts, wanted, strict=True)]


def _catalogued(ranked: list[Phrase], stretches: list[list[str]]) -> TextTopics:
    best = ranked[:TOPICS_PER_ABSTRACT]
    names = [p for p in ranked[TOPICS_PER_ABSTRACT:] if " " not in p.key and is_name(p.text)]
    return tuple(best + names[:NAMES_PER_ABSTRACT]), written_forms(stretches)


class Workspace:
    def __init__(self, threshold: float = DEFAULT_THRESHOLD,
                 namer: Callable[[str], str] | None = None) -> None:
        self.index = Index(threshold)
        self.catalog = Catalog()
        self.vocabulary = Vocabulary()
        """Every phrase the workspace writes, with its document frequency (completion)."""
        self.refs = References()
        """The reference files (BibTeX, RIS, CSL JSON) and which abstract is which entry."""
        self._topics: dict[int, tuple[tuple[str, str], ...]] = {}  # tid -> (key, form)
        self.labels: dict[int, str] = {}  # tid -> its three best phrases (workspace symbols)
        self.search: dict[int, str] = {}  # tid -> all its catalogue phrases (what a query meets)
        self.namer: Callable[[str], str] = namer or (lambda d: d)
        self._top: dict[int, dict[int, list[Phrase]]] = {}  # tid -> {top: phrases} (hover...)
        self._heads: dict[int, dict[int, str]] = {}  # tid -> {parts: headline}
        self._topic_revision = 0
        self.ready = True
        """False while this model stands in for a workspace whose first scan has not landed:
        features then say "indexing" instead of "no other copy"."""

    @property
    def revision(self) -> tuple[int, int, int]:
        """Changes with every change of the index, the topic catalogue or the references."""
        return self.index.revision, self._topic_revision, self.refs.revision

    # ----- changes -------------------------------------------------------------------------

    def set_document(self, doc: str, parsed: ParsedList) -> set[str]:
        """Index one document; returns the documents whose findings may change."""
        before = [self.index.docs.get(doc)]
        return self._follow(self.index.set_document(doc, parsed), before)

    def remove_document(self, doc: str) -> set[str]:
        before = [self.index.docs.get(doc)]
        return self._follow(self.index.remove_document(doc), before)

    def bulk_load(self, items: Iterable[tuple[str, ParsedList]], known=None,
                  verdicts=None, prepared=None, parallel=None) -> None:
        before = []  # the documents as they were, taken as the items stream past

        def noted():
            for doc, parsed in items:
                before.append(self.index.docs.get(doc))
                yield doc, parsed
        self._follow(self.index.bulk_load(noted(), known, verdicts, prepared, parallel), before)

    def set_threshold(self, threshold: float, possible: float | None = None) -> None:
        self.index.threshold = threshold
        if possible is not None:
            self.index.possible_threshold = possible

    def _follow(self, change: Change, before: list) -> set[str]:
        """Drop what the change's dead texts had in the topic tables. ``before``: the changed
        documents as they were, whose texts say what the vocabulary counted for each (phrases
        are found again rather than kept per text: 85 strings an abstract would cost more than
        the vocabulary)."""
        if change.died:
            self._topic_revision += 1
            self.refs.forget(change.died)
            dead = set(change.died) & self._topics.keys()
            for d in before:
                for a, tid in zip(d.parsed.abstracts, d.tids, strict=True) if d else ():
                    if tid in dead:
                        dead.discard(tid)
                        self.vocabulary.remove(written_forms(analyse(a.text)))
        for tid in change.died:
            for key, form in self._topics.pop(tid, ()):
                self.catalog.remove(key, form, tid)
            self.labels.pop(tid, None)
            self.search.pop(tid, None)
            self._top.pop(tid, None)
            self._heads.pop(tid, None)
        return set(change.affected)

    def references_of(self, doc: str, line: int) -> tuple[Link, ...]:
        """The reference entries the abstract on ``line`` is (exact first)."""
        tid = self.index.text_id(doc, line)
        return self.refs.links(self.index, tid) if tid is not None else ()

    # ----- topics --------------------------------------------------------------------------

    def topics(self, doc: str, abstract: Abstract, top: int = 10) -> list[Phrase]:
        """The abstract's key phrases, best first, none inside another (hover, outline,
        tokens, inlay hints): extracted once per text and ``top``, kept while the text lives."""
        tid = self.index.text_id(doc, abstract.line)
        if tid is None:
            return extract(abstract.text, top)
        mine = self._top.setdefault(tid, {})
        got = mine.get(top)
        if got is None:
            # The best ``top`` of a longer list are the same phrases: extract once, for the
            # headline's longer list too, and cut.
            wider = next((v for k, v in sorted(mine.items()) if k >= top), None)
            if wider is None:
                size = max(top, HEADLINE_TOPICS)
                wider = mine[size] = extract(abstract.text, size)
            got = mine[top] = wider[:top]
        return got

    def headline(self, doc: str, abstract: Abstract, parts: int = HOVER_PARTS) -> str:
        """The abstract's own headline (``summary.title_parts`` joined), "" when it has no
        topics: made once per text and ``parts``, kept while the text lives (the outline of a
        long list asks for every one)."""
        tid = self.index.text_id(doc, abstract.line)
        mine = self._heads.setdefault(tid, {}) if tid is not None else {}
        got = mine.get(parts)
        if got is None:
            got = headline_of(abstract.text, self.topics(doc, abstract, HEADLINE_TOPICS), parts)
            if tid is not None:
                mine[parts] = got
        return got

    def _topics_of(self, tid: int, text: str) -> tuple[tuple[str, str], ...]:
        got = self._topics.get(tid)
        if got is None:
            got = self._record(tid, extract_all(text))
        return got

    def _record(self, tid: int, found: TextTopics) -> tuple[tuple[str, str], ...]:
        """Add one text's key phrases to the catalogue (only those: completion tells a key
        phrase from a stub by it; what users type comes from the vocabulary), and all it
        writes to the vocabulary."""
        phrases, written = found
        self.vocabulary.add(written)
        entries: dict[str, str] = {}
        for p in phrases:
            entries.setdefault(p.key, p.text)
        got = self._topics[tid] = tuple(entries.items())
        where = min(self.index.occurrences(tid), default=("", -1))
        for key, form in got:
            self.catalog.add(key, form, where, tid)
        self.labels[tid] = " · ".join(p.text for p in dedupe(phrases, 3))
        self.search[tid] = " · ".join(form for _, form in got)
        return got

    def has_topics(self, tid: int) -> bool:
        """Whether the text's phrases are in the catalogue and vocabulary yet."""
        return tid in self._topics

    def add_topics(self, tids: list[int], topics: list[TextTopics]) -> None:
        """Record topics extracted elsewhere (a worker), keyed by text id: a text that died
        meanwhile is skipped, and since ids are never reused, phrases can never land on
        another abstract, however the lines moved."""
        self._topic_revision += 1
        for tid, phrases in zip(tids, topics, strict=True):
            if self.index.alive(tid) and tid not in self._topics:
                self._record(tid, phrases)

    def unprepared(self, docs: Iterable[str], limit: int) -> list[tuple[int, str]]:
        """(text id, text) of the texts among the first ``limit`` of each of ``docs`` whose
        hover is not prepared yet (no headline kept): what ``prepare`` should be run on."""
        return self._unheaded(
            (tid, a) for d in (self.index.docs.get(doc) for doc in docs) if d is not None
            for a, tid in zip(d.parsed.abstracts[:limit], d.tids[:limit], strict=True))

    def unprepared_among(self, items: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
        """Those of these (text id, text) that have no hover headline kept."""
        return [x for x in items if not self._headed(x[0])]

    def unheaded_findings(self, docs: Iterable[str]) -> list[tuple[int, str]]:
        """(text id, text) of the abstracts with findings in ``docs`` whose headline is not made
        yet: each finding names its paper by it, so ``prepare`` them before publishing."""
        return self._unheaded(
            (self.index.text_id(doc, f.line), d.parsed.abstract_at(f.line))
            for doc, d in ((doc, self.index.docs.get(doc)) for doc in docs) if d is not None
            for f in self.index.findings(doc))

    def _unheaded(self, pairs: Iterable[tuple[int | None, Abstract | None]]
                  ) -> list[tuple[int, str]]:
        """(text id, text) of these, once each, that have no hover headline kept."""
        out: list[tuple[int, str]] = []
        seen: set[int] = set()
        for tid, a in pairs:
            if a is not None and tid is not None and tid not in seen and not self._headed(tid):
                seen.add(tid)
                out.append((tid, a.text))
        return out

    def _headed(self, tid: int) -> bool:
        """Whether the text's hover headline is kept (its hover prepared)."""
        return HOVER_PARTS in self._heads.get(tid, ())

    def add_prepared(self, tids: list[int], prepared: list[Prepared]) -> None:
        """Keep hovers prepared elsewhere (a worker), by text id: what ``topics`` and
        ``headline`` would work out for those texts, so that a hover needs neither. A text that
        died meanwhile, or that a hover got to first, is left as it is."""
        for tid, (phrases, head) in zip(tids, prepared, strict=True):
            if self.index.alive(tid):
                self._top.setdefault(tid, {}).setdefault(HEADLINE_TOPICS, phrases)
                self._heads.setdefault(tid, {}).setdefault(HOVER_PARTS, head)

    def missing_texts(self, docs: Iterable[str] | None = None) -> list[tuple[int, str]]:
        """(text id, text) of every indexed text of ``docs`` (or all) without topics yet."""
        out: list[tuple[int, str]] = []
        seen: set[int] = set()
        for doc in (self.index.docs if docs is None else docs):
            d = self.index.docs.get(doc)
            if d is None:
                continue
            for a, tid in zip(d.parsed.abstracts, d.tids, strict=True):
                if tid not in self._topics and tid not in seen:
                    seen.add(tid)
                    out.append((tid, a.text))
        return out

    def ensure_topics(self, doc: str, line: int) -> None:
        """Extract the topics of the abstract on ``line`` now if they are missing (so that a
        read-only query, such as ``related``, finds them)."""
        d = self.index.document(doc)
        a = d.parsed.abstract_at(line) if d else None
        tid = self.index.text_id(doc, line)
        if a is not None and tid is not None:
            self._topics_of(tid, a.text)

    def related(self, doc: str, line: int, limit: int = 20) -> list[tuple[int, float]]:
        """Texts that share the most specific topics with this abstract, best first, with a
        score from 0 to 1; its own copies (exact or near) are never among them."""
        tid = self.index.text_id(doc, line)
        if tid is None:
            return []
        mine = self._topics_of(tid, self.index.document(doc).parsed.abstract_at(line).text)  # type: ignore[union-attr]
        n = max(2, len(self._topics))
        exclude = {tid} | {other for other in self.index.partners(tid)}
        scores: dict[int, float] = {}
        total = 0.0
        for key, _ in mine:
            t = self.catalog.get(key)
            if t is None or len(t.members) >= MEMBERS_CAP:
                continue
            w = math.log(n / t.abstracts)
            total += w
            for other in t.members:
                if other not in exclude:
                    scores[other] = scores.get(other, 0.0) + w
        if not total:
            return []
        ranked = sorted(scores.items(), key=lambda x: -x[1])[:limit]
        return [(t, min(1.0, s / total)) for t, s in ranked]

    def fill_topics(self, items: Iterable[tuple[int, str]] | None = None) -> int:
        """Extract topics of the given (text id, text) pairs (``missing_texts``), or of every
        text still without them; returns how many."""
        n = 0
        self._topic_revision += 1
        for tid, text in items if items is not None else self.missing_texts():
            if self.index.alive(tid) and tid not in self._topics:
                self._topics_of(tid, text)
                n += 1
        return n

    def summary(self, doc: str, abstract: Abstract) -> Summary:
        return summarize(abstract.text, self.topics(doc, abstract, 8))

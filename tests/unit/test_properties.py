"""Property-based tests (Hypothesis): the parser never raises and loses no line; the index after
any sequence of edits equals one built fresh from the final texts; every range lies inside its
document."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TONY_A, TONY_B, example_text
from paperls.core.index import Index
from paperls.core.parse import decode, parse, split_lines
from paperls.core.workspace import Workspace
from paperls.features import completion, diagnostics, hover, matching

REAL = [ln for n in (TONY_A, TONY_B) for ln in example_text(n).splitlines()[1:]]
LINE = st.one_of(
    st.sampled_from(REAL),
    st.sampled_from(REAL).map(lambda s: s.replace(" the ", " a ", 2)),
    st.sampled_from(REAL).map(lambda s: s[: len(s) // 2]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80),
    st.sampled_from(["", "Abstract:", "abstract: lower", "  Abstract: indented", "tail of a line",
                     "Abstract:🧬 𝔼 ↔ é", "Abstract:Invited talk", "\ufeffAbstract:bom"]),
)
DOC = st.lists(LINE, max_size=8).map(lambda ls: "\n".join(["Curator", *ls]))


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_parse_never_raises_and_keeps_every_line(text):
    p = parse(text)
    assert list(p.lines) == split_lines(text)
    for a in p.abstracts:
        assert 0 <= a.start <= a.end <= len(p.lines[a.line])
    for pr in p.problems:
        assert 0 <= pr.start <= pr.end <= len(p.lines[pr.line])


@given(st.binary(max_size=300))
def test_decode_never_raises(data):
    d = decode(data)
    parse(d.text)


def _findings(ix: Index) -> dict:
    return {doc: [(f.line, sorted((c.doc, c.line, c.exact, c.similarity) for c in f.copies))
                  for f in ix.findings(doc)] for doc in sorted(ix.docs)}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from("abc"), st.one_of(st.none(), DOC)), max_size=12))
def test_any_edit_sequence_equals_a_fresh_index(steps):
    ix = Index()
    final: dict[str, str] = {}
    for name, text in steps:
        if text is None:
            ix.remove_document(name)
            final.pop(name, None)
        else:
            ix.set_document(name, parse(text))
            final[name] = text
    fresh = Index()
    fresh.bulk_load([(n, parse(t)) for n, t in final.items()])
    assert _findings(ix) == _findings(fresh)
    # The running counters agree with a count from scratch.
    assert ix.abstract_count == fresh.abstract_count == sum(len(d.tids) for d in fresh.docs.values())
    assert ix.count_with_copies() == fresh.count_with_copies()
    assert ix.revision >= len(steps)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC, DOC, st.integers(0, 12), st.integers(0, 3000))
def test_every_range_lies_inside_its_document(a, b, line, col):
    ws = Workspace()
    ws.bulk_load([("a", parse(a)), ("b", parse(b))])
    ws.fill_topics()
    lines = {"a": parse(a).lines, "b": parse(b).lines}

    def inside(doc, ln, start, end):
        assert 0 <= ln < len(lines[doc]) and 0 <= start <= end <= len(lines[doc][ln])

    for d in diagnostics.document_diagnostics(ws, "a"):
        inside("a", d.line, d.start, d.end)
        for r in d.related:
            inside(r.doc, r.line, r.start, r.end)
    h = hover.hover(ws, "a", line, col)
    if h is not None:
        inside("a", h.line, h.start, h.end)
    for t in matching.references(ws, "a", line, True):
        inside(t.doc, t.line, t.start, t.end)
    text = lines["a"][min(line, len(lines["a"]) - 1)]
    for c in completion.complete(ws, "a", text, line, col):
        assert 0 <= c.start <= min(col, len(text))

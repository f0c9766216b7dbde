"""Outline, links, formatting and quick fixes: readable results, and no paper ever lost."""

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import TONY_A, TONY_B, example_text
from paperls.core.normalize import normalize
from paperls.core.parse import parse
from paperls.core.workspace import Workspace
from paperls.features import edits, outline


def ws_of(**docs):
    ws = Workspace()
    ws.bulk_load([(n, parse(t)) for n, t in docs.items()])
    return ws


def apply(text: str, es: list) -> str:
    """Apply edits (ranges on the original text) from the last to the first."""
    lines = text.split("\n")
    offsets = [0]
    for ln in lines:
        offsets.append(offsets[-1] + len(ln) + 1)
    for e in sorted(es, key=lambda e: (e.start_line, e.start_col), reverse=True):
        s = offsets[e.start_line] + e.start_col
        t = offsets[e.end_line] + e.end_col
        text = text[:s] + e.text + text[t:]
    return text


def test_outline_names_each_abstract_under_the_curator():
    ws = ws_of(a=example_text(TONY_A))
    (tony,) = outline.outline(ws, "a")
    assert (tony.name, tony.detail, len(tony.children)) == ("Tony", "10 abstracts", 10)
    assert tony.children[0].name.startswith("GPT-4o")
    assert tony.children[6].line == 7
    assert "Codex" in tony.children[6].name or "HumanEval" in tony.children[6].name


def test_links_for_urls_arxiv_ids_and_dois():
    text = ("H\nAbstract:Code at https://github.com/OpenAI/CLIP. See arXiv:2303.08774 and "
            "doi 10.1145/3292500.3330701, also (https://example.org/x).")
    got = [(text.split("\n")[1][x.start:x.end], x.target) for x in outline.links(ws_of(a=text), "a")]
    assert got == [
        ("https://github.com/OpenAI/CLIP", "https://github.com/OpenAI/CLIP"),
        ("https://example.org/x", "https://example.org/x"),
        ("arXiv:2303.08774", "https://arxiv.org/abs/2303.08774"),
        ("10.1145/3292500.3330701", "https://doi.org/10.1145/3292500.3330701"),
    ]


def test_formatting_changes_spacing_never_words():
    text = "Tony  \nabstract: Some   words\there. \nAbstract:Fine.\n"
    new = apply(text, edits.format_document(ws_of(a=text), "a"))
    assert new == "Tony\nAbstract:Some words here.\nAbstract:Fine.\n"


def test_quick_fixes_for_prefixes_and_wrapped_tails():
    text = "Tony\nabstract:Lower case.\nMissing its prefix entirely.\nAbstract:Cut in\nthe middle."
    ws = ws_of(a=text)
    fixed = text
    for line in (4, 2, 1):
        (act,) = [x for x in edits.actions(ws, "a", line) if x.kind == "quickfix"]
        fixed = apply(fixed, list(act.edits))
    assert fixed == ("Tony\nAbstract:Lower case.\nAbstract:Missing its prefix entirely.\n"
                     "Abstract:Cut in the middle.")


def test_duplicate_fixes_keep_one_copy():
    gpt = example_text(TONY_A).splitlines()[1]
    a = example_text(TONY_A) + "\n" + gpt
    ws = ws_of(a=a, b=example_text(TONY_B))
    acts = {x.title: x for x in edits.actions(ws, "a", 11)}  # a warning: in this list too
    removed = apply(a, [e for e in acts["Remove this duplicate copy"].edits])
    assert removed == example_text(TONY_A)
    keep = acts["Keep this copy and remove the others: this list (line 2); b (line 3)"]
    assert not keep.preferred  # it edits another curator's list
    assert {e.doc for e in keep.edits} == {"a", "b"}
    new_a = apply(a, [e for e in keep.edits if e.doc == "a"])
    new_b = apply(example_text(TONY_B), [e for e in keep.edits if e.doc == "b"])
    assert new_a.count(gpt) == 1 and gpt not in new_b


LINES = st.sampled_from(["Abstract:one two three", "Abstract:one  two three", "abstract:four",
                         "stray tail", "", "Abstract:five six", "Abstract: five six ",
                         "Abstract:🧬 seven"])


@settings(max_examples=150, deadline=None)
@given(st.lists(LINES, max_size=8), st.integers(0, 9))
def test_no_fix_or_format_loses_a_paper(lines, at):
    text = "\n".join(["Curator", *lines])
    ws = ws_of(a=text)
    before = {normalize(x.text) for x in parse(text).abstracts}
    for es in [edits.format_document(ws, "a")] + [list(x.edits) for x in edits.actions(ws, "a", at)]:
        after = [normalize(x.text) for x in parse(apply(text, es)).abstracts]
        # Every paper is still there: the same text, or (joining a wrapped tail) extended.
        for b in before:
            assert any(x == b or x.startswith(b + " ") for x in after), (b, after)


def test_lenses_hints_tokens_related_and_symbols():
    from paperls.features import lens, related
    from paperls.features import tokens as semantic

    ws = ws_of(a=example_text(TONY_A), b=example_text(TONY_B))
    ws.fill_topics()
    ls = {x.line: x.title for x in lens.lenses(ws, "a")}
    assert ls[0] == "10 papers · 0 with a copy here · papers shared with 1 other list"
    assert ls[7] == "in 1 other list"
    hints = lens.inlay_hints(ws, "a", 0, 3, max_len=30)
    assert [h.line for h in hints] == [1, 2, 3] and all(len(h.label) <= 34 for h in hints)
    toks = semantic.tokens(ws, "a")
    assert toks[0] == (0, 0, 4, 0) and (1, 0, 9, 1) in toks  # header, prefix
    assert any(t[0] == 7 and t[3] == 3 for t in toks)  # a number in the Codex abstract
    # Related: other papers on the same topics, never the abstract's own copies.
    near = related.related(ws, "a", 1)  # GPT-4o
    assert near and all((p.doc, p.line) != ("b", 2) for p in near)
    syms = related.workspace_symbols(ws, "sparse autoencoders")
    assert syms[0].doc == "a" and syms[0].line == 2


def test_fixes_that_edit_another_list_need_a_warning_or_the_setting():
    ws = ws_of(a=example_text(TONY_A), b=example_text(TONY_B))  # shared: information only
    titles = [x.title for x in edits.actions(ws, "a", 1)]
    assert titles == ["Remove this duplicate copy"]  # this list only
    titles = [x.title for x in edits.actions(ws, "a", 1, other_lists=True)]
    assert titles[1] == "Keep this copy and remove the others: b (line 3)"
    warned = [x.title for x in edits.actions(ws, "a", 1, {"duplicate-across-lists": "warning"})]
    assert len(warned) == 2


def test_truncated_and_near_copies_and_empty_abstracts_get_their_fixes():
    full = example_text(TONY_A).splitlines()[1]
    short = " ".join(full.split()[:40])  # its first sentences: a truncated copy
    text = "Me\n" + short + "\nAbstract:\n"
    ws = ws_of(a=text, b="You\n" + full + "\n")
    (act,) = [x for x in edits.actions(ws, "a", 1) if x.title.startswith("Replace")]
    assert act.title == "Replace with the full version from b:2"
    assert apply(text, list(act.edits)).splitlines()[1] == full
    (empty,) = edits.actions(ws, "a", 2)
    assert empty.title == "Remove this empty abstract" and empty.codes == ("empty-abstract",)
    near = full.replace("omni model", "omnimodal model").replace("any combination", "any mix")
    text = "Me\n" + full + "\n" + near + "\n"
    ws = ws_of(a=text)
    (keep,) = [x for x in edits.actions(ws, "a", 2) if x.title.startswith("Remove this version")]
    assert keep.title.startswith("Remove this version and keep line 2's: “…")
    assert "omni model" in keep.title  # the other version's words where they differ
    assert apply(text, list(keep.edits)) == "Me\n" + full + "\n"

"""The index: exact and near copies across and inside lists, kept right through edits."""

import random

from conftest import TONY_A, TONY_B, example_text
from paperls.core.index import Index
from paperls.core.parse import parse

A, B = example_text(TONY_A), example_text(TONY_B)


def findings(ix: Index) -> dict:
    return {doc: [(f.line, [(c.doc, c.line, c.exact, c.similarity) for c in f.copies])
                  for f in ix.findings(doc)] for doc in sorted(ix.docs)}


def test_examples_share_exactly_three_papers():
    ix = Index()
    ix.bulk_load([("a", parse(A)), ("b", parse(B))])
    assert findings(ix) == {
        "a": [(1, [("b", 2, True, 1.0)]), (7, [("b", 4, True, 1.0)]),
              (10, [("b", 5, True, 1.0)])],
        "b": [(2, [("a", 1, True, 1.0)]), (4, [("a", 7, True, 1.0)]),
              (5, [("a", 10, True, 1.0)])],
    }


def test_a_copy_inside_one_list_and_a_near_copy_in_another():
    lines = A.splitlines()
    gpt = lines[1]
    near = gpt.replace("autoregressive omni model", "autoregressive omni-modal model").replace(
        "especially better", "notably better")
    ix = Index()
    ix.bulk_load([("a", parse("\n".join(lines + [gpt]))), ("c", parse(f"C\n{near}"))])
    copies = ix.copies("a", 1)
    assert [(c.doc, c.line, c.exact) for c in copies] == [("a", 11, True), ("c", 1, False)]
    assert 0.9 < copies[1].similarity < 1.0


def test_set_document_finds_new_copies_and_reports_affected_lists():
    ix = Index()
    ix.bulk_load([("a", parse(A))])
    change = ix.set_document("b", parse(B))
    assert change.affected == {"a", "b"}
    assert change.died == ()
    assert [f.line for f in ix.findings("a")] == [1, 7, 10]
    # Removing list B clears A's findings, and A is reported as affected.
    change = ix.remove_document("b")
    assert change.affected == {"a"}
    assert change.died  # B's own texts died with it
    assert ix.findings("a") == []
    assert ix.abstract_count == len(ix.docs["a"].tids)


def test_short_boilerplate_does_not_match_longer_abstracts():
    ix = Index()
    ix.bulk_load([("a", parse("X\nAbstract:Invited talk\nAbstract:Invited talk on the future of "
                              "machine translation systems and their evaluation in practice")),
                  ("b", parse("Y\nAbstract:Invited talk"))])
    assert [(c.doc, c.line) for c in ix.copies("a", 1)] == [("b", 1)]
    assert ix.copies("a", 2) == []


def test_any_sequence_of_edits_equals_a_fresh_index():
    rng = random.Random(7)
    pool = A.splitlines()[1:] + B.splitlines()[1:]
    pool += [s.replace(" the ", " a ", 2) for s in pool[:6]]  # near copies
    ix = Index()
    ix.bulk_load([("a", parse(A)), ("b", parse(B))])
    docs = {"a": A, "b": B}
    for _ in range(60):
        name = rng.choice("abcd")
        if rng.random() < 0.15 and name in docs:
            del docs[name]
            ix.remove_document(name)
            continue
        text = "H\n" + "\n".join(rng.sample(pool, rng.randint(0, 6)))
        docs[name] = text
        ix.set_document(name, parse(text))
    fresh = Index()
    fresh.bulk_load([(n, parse(t)) for n, t in docs.items()])
    assert findings(ix) == findings(fresh)


def test_threshold_change_needs_no_rematching():
    gpt = A.splitlines()[1]
    words = gpt.removeprefix("Abstract:").split()
    edited = "Abstract:" + " ".join(w if i % 15 else "x" + w for i, w in enumerate(words))
    ix = Index(threshold=0.8)
    ix.bulk_load([("a", parse("H\n" + gpt)), ("c", parse("H\n" + edited))])
    (copy,) = ix.copies("a", 1)
    sim = copy.similarity
    assert 0.8 < sim < 1.0
    ix.threshold = min(1.0, sim + 0.01)
    (copy,) = ix.copies("a", 1)  # below it: "probably the same paper", a revised version
    assert copy.possible and copy.reason == "revised version"
    ix.possible_threshold = 1.0  # the revised-version tier off
    assert ix.copies("a", 1) == []
    ix.possible_threshold = 0.58
    ix.threshold = 0.8
    (copy,) = ix.copies("a", 1)
    assert not copy.possible and copy.reason == "near copy"


def test_not_a_duplicate_marks_hide_a_pair_until_a_text_changes():
    from paperls.core.marks import mark_line, parse_marks

    gpt = A.splitlines()[1]
    near = gpt.replace("especially better", "notably better")
    ix = Index()
    ix.bulk_load([("a", parse("H\n" + gpt)), ("c", parse("H\n" + near))])
    assert len(ix.copies("a", 1)) == 1
    marks = parse_marks("# mine\n" + mark_line(ix.key_of("a", 1), ix.key_of("c", 1), "a:2 | c:2"))
    assert ix.set_marks(marks) == {"a", "c"}
    assert ix.copies("a", 1) == [] and ix.copies("c", 1) == []
    # Edit one of the two texts: the mark no longer applies to the new text.
    ix.set_document("c", parse("H\n" + near.replace("notably", "remarkably")))
    assert len(ix.copies("a", 1)) == 1


def test_a_short_copy_cut_mid_word_is_found_as_a_truncated_copy():
    # A database cut the abstract after 21 words, in the middle of the 22nd ("Syn-").
    full = ("The task of linearization is to find a grammatical order given a set of words. "
            "Traditional models use statistical methods. Syntactic linearization systems, "
            "which generate a sentence along with its syntactic tree, have shown state-of-the-art "
            "performance. Recent work shows that a multilayer LSTM language model outperforms "
            "competitive statistical syntactic linearization systems without using syntax. In "
            "this paper, we study neural syntactic linearization, building a transition-based "
            "syntactic linearizer that leverages a feed-forward neural network, and observe "
            "significantly better results than LSTM language models on this task. We also find "
            "that the syntactic model can be combined with the language model, giving the best "
            "results on the benchmark, and release a toolkit for the task, with every model, "
            "its training data and the outputs of the systems we compared it with.")
    cut = full[:full.index("Syntactic") + 3] + "-"
    ix = Index()
    ix.bulk_load([("a", parse("H\nAbstract:" + cut)), ("b", parse("H\nAbstract:" + full))])
    (copy,) = ix.copies("a", 1)
    assert copy.doc == "b" and copy.contained and copy.reason == "truncated copy"

"""Completion offers what the workspace writes: whole typed phrases, real document frequencies,
no stubs, nothing that does not match what was typed, nothing left of a deleted abstract."""

from conftest import TONY_A, TONY_B, example_text
from paperls.core.parse import parse
from paperls.core.vocabulary import Vocabulary
from paperls.core.workspace import Workspace
from paperls.features import completion
from paperls.lsp import convert

# Topics of their own (a drug, a disease, a cohort) and "large language models" once, in
# passing: no abstract ranks it among its key phrases.
SUBJECTS = ["metformin dosing", "sepsis triage", "asthma cohorts", "glaucoma screening",
            "malaria vaccines", "stroke rehabilitation", "dengue surveillance", "anemia clinics"]


def passing(subject: str) -> str:
    return (f"Abstract:We study {subject} in rural hospitals. {subject.capitalize()} varies "
            f"across hospitals, and {subject} registries disagree. Clinicians sometimes consult "
            f"large language models for {subject} guidance.")


def workspace(**docs: str) -> Workspace:
    ws = Workspace()
    ws.bulk_load([(name, parse(text)) for name, text in docs.items()])
    ws.fill_topics()
    return ws


def offered(ws: Workspace, line_text: str, doc: str = "new") -> list[str]:
    ws.set_document(doc, parse("Me\n" + line_text))
    ws.fill_topics()
    return [c.insert_text for c in completion.complete(ws, doc, line_text, 1, len(line_text))]


def test_a_phrase_written_in_passing_is_offered_for_the_whole_typed_phrase():
    ws = workspace(lists="Me\n" + "\n".join(passing(s) for s in SUBJECTS))
    assert "large language models" not in {k for t in ws._topics.values() for k, _ in t}
    got = offered(ws, "Abstract:We use large lang")
    assert got[0] == "large language models", got[:5]
    assert "large language" not in got  # the stub gives way to the phrase it starts
    assert "language" not in got[:1]


def test_every_offer_matches_what_was_typed():
    ws = workspace(a=example_text(TONY_A), b=example_text(TONY_B))
    for typed in ("Abstract:We study chain-of-th", "Abstract:We propose a novel",
                  "Abstract:We train sparse auto"):
        words = typed.removeprefix("Abstract:").casefold().split()
        for item in offered(ws, typed):
            low = item.casefold()
            assert any(low.startswith(" ".join(words[-n:])) for n in (1, 2, 3)), (typed, item)


def test_the_client_filters_on_the_item_not_on_the_typed_text():
    ws = workspace(a=example_text(TONY_A), b=example_text(TONY_B))
    line = "Abstract:We train sparse auto"
    ws.set_document("new", parse("Me\n" + line))
    (r,) = [r for r in completion.complete(ws, "new", line, 1, len(line))
            if r.insert_text == "sparse autoencoders"]
    (item,) = convert.completion_items([r], ["Me", line], 1, len(line), _Utf32())
    assert (item.filter_text or item.label) == "sparse autoencoders"  # the client's filter
    assert item.text_edit.new_text == "sparse autoencoders"


def test_a_deleted_abstract_leaves_nothing_to_offer():
    ws = workspace(a="Me\n" + passing("metformin dosing") + "\n" + passing("sepsis triage"))
    assert "sepsis triage" in offered(ws, "Abstract:On sepsis tri")
    ws.set_document("a", parse("Me\n" + passing("metformin dosing")))
    assert "sepsis triage" not in offered(ws, "Abstract:On sepsis tri")
    assert ws.vocabulary.df.get("sepsis triage") is None


def test_the_line_being_typed_is_no_evidence_for_its_own_words():
    ws = workspace(a="Me\n" + passing("metformin dosing"))
    assert "zebrafish" not in offered(ws, "Abstract:zebrafish larvae and zebra")


def test_display_form_is_what_most_abstracts_write():
    v = Vocabulary()
    v.add(["Reinforcement Learning"])
    for _ in range(3):
        v.add(["reinforcement learning"])
    v.add(["BERT"])
    v.add(["BERT"])
    assert v.form("reinforcement learning") == "reinforcement learning"
    assert v.form("bert") == "BERT"


def test_a_large_vocabulary_drops_the_rarest_phrases_first():
    v = Vocabulary(cap=10)
    for i in range(30):
        v.add([f"rare phrase {i}", "common phrase"])
    assert v.df["common phrase"] == 30  # never dropped, never miscounted
    assert len(v) <= 10 and v.floor == 1
    assert sum(k.startswith("rare phrase") for k in v.df) < 10
    v.remove(["common phrase"])
    assert v.df["common phrase"] == 29
    assert [k for k, _ in v.with_prefix("comm")] == ["common phrase"]


class _Utf32:
    """A position codec for code-point columns (what the core counts)."""

    def client_num_units(self, chars: str) -> int:
        return len(chars)


def test_one_typed_word_offers_no_stub_of_a_key_phrase_and_no_verb_led_phrase():
    """In the two example lists every phrase is in one abstract; after "auto" the key phrase
    "autoregressive omni model" is offered, not its stub "autoregressive omni", and after
    "pro" no "propose using k-sparse"."""
    ws = workspace(a=example_text(TONY_A), b=example_text(TONY_B))
    got = offered(ws, "Abstract:the auto")
    assert "autoregressive omni model" in got and "autoregressive omni" not in got, got
    got = offered(ws, "Abstract:We study speech pro")
    assert got[0] == "speech processing", got
    assert not any(g.startswith("propose ") for g in got), got


def test_a_mistyped_word_finds_its_topic_however_many_others_look_alike():
    ws = workspace(lists="Me\n" + "\n".join(passing(s) for s in SUBJECTS))
    # Thirty commoner topics that hold the word but start with another letter: they can never
    # be offered for what starts with "t", so they must not crowd out the one that can.
    others = ["vision", "swin", "graph", "audio", "video", "point", "sparse", "masked",
              "deep", "linear", "neural", "hybrid", "efficient", "mobile", "causal", "global",
              "local", "hierarchical", "spatial", "decision", "speech", "music", "protein",
              "molecular", "language", "image", "multimodal", "recurrent", "pyramid", "crossed"]
    for w in others:
        for _ in range(5):
            ws.catalog.add(f"{w} transformer", f"{w} transformer", ("lists", 1))
    ws.catalog.add("transformer", "Transformer", ("lists", 1))
    assert "transformer" in [o.lower() for o in offered(ws, "Abstract:We use transfomer")]

"""Near-duplicate confirmation on real-looking pairs: versions yes, editions and topics no."""

from conftest import TONY_A, example_text
from paperls.core.normalize import normalize, tokens
from paperls.core.parse import parse
from paperls.core.similarity import compare, is_near_duplicate

ABSTRACTS = [a.text for a in parse(example_text(TONY_A)).abstracts]
GPT4O, SAE, CODEX = ABSTRACTS[0], ABSTRACTS[1], ABSTRACTS[6]


def verdict(a: str, b: str):
    return compare(tokens(normalize(a)), tokens(normalize(b)))


def test_a_few_words_changed_is_a_version():
    edited = GPT4O.replace("autoregressive", "auto-regressive").replace("especially", "notably")
    v = verdict(GPT4O, edited)
    assert is_near_duplicate(v) and 0.9 < v.similarity < 1.0 and not v.contained


def test_a_sentence_added_is_a_version():
    v = verdict(CODEX, CODEX + " We release our evaluation harness to the public.")
    assert is_near_duplicate(v) and not v.contained


def test_truncated_after_the_first_sentences_is_a_truncated_copy():
    first = ". ".join(GPT4O.split(". ")[:3]) + "."
    v = verdict(GPT4O, first)
    assert v.ratio < 0.8  # a plain ratio would miss it
    assert is_near_duplicate(v) and v.contained and v.similarity >= 0.92


def test_different_papers_on_one_topic_are_not_duplicates():
    assert not is_near_duplicate(verdict(GPT4O, CODEX))
    assert not is_near_duplicate(verdict(SAE, CODEX))


def test_yearly_shared_task_overviews_are_other_editions():
    a = ("This paper presents the results of the premier shared task organized alongside the "
         "Conference on Machine Translation (WMT) 2018. Participants were asked to build machine "
         "translation systems for any of 7 language pairs in both directions, to be evaluated "
         "on a test set of news stories. The main metric for this task is human judgment.")
    b = a.replace("2018", "2019").replace("7 language pairs", "18 language pairs")
    v = verdict(a, b)
    assert v.ratio > 0.9 and v.other_edition
    assert not is_near_duplicate(v)


def test_threshold_is_respected():
    edited = " ".join(w if i % 6 else "changed" for i, w in enumerate(CODEX.split()))
    v = verdict(CODEX, edited)
    assert is_near_duplicate(v, 0.7) != is_near_duplicate(v, 0.95)

"""Topics and summaries of the reference abstracts: names kept whole, generic phrases out."""

import pytest

from conftest import TONY_A, TONY_B, example_text
from paperls.core.parse import parse
from paperls.core.summary import figures, gist, sentences, summarize
from paperls.core.topics import extract, key_of

TEXTS = [a.text for n in (TONY_A, TONY_B) for a in parse(example_text(n)).abstracts]


def topics_of(start: str, top: int = 10) -> list[str]:
    text = next(t for t in TEXTS if t.startswith(start))
    return [p.text for p in extract(text, top)]


@pytest.mark.parametrize("start, expected", [
    ("GPT-4o is", "GPT-4o"),
    ("Sparse autoencoders", "Sparse autoencoders"),
    ("We introduce Codex", "HumanEval"),
    ("We introduce Codex", "GitHub Copilot"),
    ("We identify empirical scaling laws", "scaling laws"),
    ("Hyperparameter (HP) tuning", "muTransfer"),
])
def test_key_phrases_include(start, expected):
    got = [key_of(t) for t in topics_of(start, 15)]
    assert key_of(expected) in got or any(key_of(expected) in g for g in got), got


@pytest.mark.parametrize("generic", ["this paper", "new approach", "state of the art", "results",
                                     "we", "propose"])
def test_generic_phrases_are_dropped(generic):
    for t in TEXTS:
        assert generic not in [p.key for p in extract(t, 15)]


def test_sentences_keep_abbreviations_inside():
    assert sentences("We use e.g. CLIP. It works.") == ["We use e.g. CLIP.", "It works."]


def test_gist_prefers_what_the_paper_does_over_background():
    text = ("Recently, large models have become popular. We introduce Foo, a model that does "
            "bar. It is evaluated on baz.")
    assert gist(text).startswith("We introduce Foo")


@pytest.mark.parametrize("text, expected", [
    ("It can respond to audio inputs in as little as 232 milliseconds, with an average of 320 "
     "milliseconds", ["audio inputs in as little as 232 milliseconds",
                      "average of 320 milliseconds"]),
    ("solves 28.8% of the problems", ["28.8% of the problems"]),
    ("achieving a BLEU score of 42.1 on WMT", ["BLEU score of 42.1"]),
    ("GPT-3, with 175 billion parameters", ["175 billion parameters"]),
    ("while being much faster and 50% cheaper in the API", ["50% cheaper"]),
    ("a relative improvement of 23.4%, 14.7%, and 10.6% over previous methods",
     ["relative improvement of 23.4%", "relative improvement of 14.7%",
      "relative improvement of 10.6%"]),
    ("trained on 680,000 hours of multilingual audio", ["680,000 hours of multilingual audio"]),
    ("published in 2020 by a team", []),
])
def test_key_figures_say_what_they_measure(text, expected):
    assert figures(text) == expected


def test_summary_of_codex_names_it_and_keeps_its_own_figures():
    """"our model solves 28.8% of the problems, while GPT-3 solves 0% and GPT-J solves 11.4%":
    the key figures are Codex's, not its baselines'."""
    s = summarize(next(t for t in TEXTS if t.startswith("We introduce Codex")))
    assert "Codex" in s.gist
    assert s.figures == ("28.8% of the problems", "70.2% of our problems")
    assert s.words > 100


def test_the_topic_catalogue_holds_what_users_type():
    from paperls.core.workspace import Workspace

    ws = Workspace()
    ws.bulk_load([(n, parse(example_text(n))) for n in (TONY_A, TONY_B)])
    ws.fill_topics()
    for phrase in ("sparse autoencoders", "scaling laws", "zero-shot transfer", "HumanEval",
                   "GPT-4o"):
        assert key_of(phrase) in ws.catalog, phrase
    assert ws.catalog.get("gpt-4o").abstracts == 1  # one distinct text, though it is in two lists


def test_a_phrase_never_runs_through_an_adverb_or_its_verb():
    text = ("We propose Adaptive Passage Combination Retrieval (AdaPCR). AdaPCR explicitly "
            "models dependencies between passages and jointly ranks passage combinations. "
            "AdaPCR explicitly models the retrieval context of a family assembly.")
    got = [p.text for p in extract(text, 8)]
    assert not any(w in p.split() for p in got for w in ("explicitly", "jointly", "models",
                                                          "ranks")), got
    assert "AdaPCR" in got and "Adaptive Passage Combination Retrieval" in got
    assert any("family assembly" in p for p in got), got  # nouns in -ly stay


def test_word_rarity_reads_wordfreq_table_as_wordfreq_does():
    """The fast lookup of a plain word gives wordfreq's own Zipf value (common, rare, unknown
    and inflected words), so topics rank as they did through wordfreq's tokenizer."""
    from wordfreq import zipf_frequency

    from paperls.core.topics import _english_rarity, _plain_latin, _zipf

    for word in ("the", "of", "autoencoders", "transformer", "segmentation", "zzqxv",
                 "a", "parsing", "underwater",
                 # accented words of French and German abstracts take the same path
                 "données", "évaluation", "über", "café", "naïve", "traitement"):
        assert _zipf(word) == zipf_frequency(word, "en"), word
    assert _plain_latin("données") and _plain_latin("évaluation")
    # What wordfreq's tokenizer changes goes through it: case folding ("straße" -> "strasse"),
    # composing a decomposed accent, a modifier apostrophe, another script inside a word.
    for word in ("straße", "de\u0301ja", "generatorʼs", "在ubuntu"):
        assert not _plain_latin(word), word
        assert _english_rarity(word) == min(1.0, max(0.0, (6.5 - zipf_frequency(word, "en"))
                                                     / 5.0)), word
    # Hyphenated words are looked up by their parts, as wordfreq's tokenizer splits them (one
    # part it lacks makes the whole word unknown); with digits they still go through it.
    from paperls.core.topics import _zipf_frequency

    for word in ("zero-shot", "text-to-image", "self-supervised", "llmxq-based", "gpt-4o",
                 "state-of-the-art"):
        for lang in ("en", "fr"):
            assert _zipf_frequency(word, lang) == zipf_frequency(word, lang), (word, lang)


# Written for these tests: an abstract in French, and an English one with a Spanish version
# appended, as arXiv and the ACL Anthology hold them.
FRENCH = ("Les systèmes de reconnaissance automatique de la parole sont comparés à l’aide du taux "
          "d’erreur sur les mots. Nous proposons une méthode d’adaptation des modèles de langage "
          "pour la reconnaissance automatique de la parole dans les dialogues médicaux. Les "
          "résultats montrent que l’adaptation des modèles de langage réduit le taux d’erreur, "
          "et nous comparons cette adaptation avec une approche par transfert.")
BILINGUAL = ("We study federated learning for facial recognition in open sets. Our system extends "
             "OpenMax to federated learning and keeps the faces private. -- Estudiamos el "
             "aprendizaje federado para el reconocimiento facial en conjuntos abiertos. Nuestro "
             "sistema extiende OpenMax al aprendizaje federado y mantiene la privacidad de las "
             "caras de los usuarios, con una evaluación en dos conjuntos de datos públicos.")


def test_a_french_abstract_has_french_topics_not_runs_through_its_function_words():
    from paperls.core.topics import analyse

    assert analyse(FRENCH).languages == ("fr",)
    got = [p.text for p in extract(FRENCH, 10)]
    # With English stop words alone its topics were "de reconnaissance automatique de" and "le
    # taux d’erreur sur": runs through "de", "le", "sur", elided "d’" and "l’" included.
    assert "reconnaissance automatique" in got and "dialogues médicaux" in got, got
    words = {w.casefold() for t in got for w in t.split()}
    assert not words & {"de", "des", "la", "le", "les", "du", "sur", "une", "pour", "nous"}, got
    assert "adaptation" in words and not any("’" in w for w in words), got  # not "l’adaptation"
    assert "comparons" not in words and "proposons" not in words, got  # verbs, not topics


def test_an_english_abstract_with_a_spanish_version_breaks_at_both_languages_function_words():
    from paperls.core.topics import analyse

    assert analyse(BILINGUAL).languages == ("es",)
    got = [p.text for p in extract(BILINGUAL, 12)]
    assert "federated learning" in got and "aprendizaje federado" in got, got
    words = {w.casefold() for t in got for w in t.split()}
    assert not words & {"el", "la", "de", "al", "los", "las", "una", "con", "estudiamos"}, got


@pytest.mark.parametrize("text", [
    "We extend the model of Le et al. and de Vries et al. to La Jolla data, a de facto standard.",
    "The en route costs of the network: par for the course in Los Angeles and El Paso.",
])
def test_english_abstracts_with_foreign_names_stay_english(text):
    from paperls.core.topics import analyse

    assert analyse(text).languages == ()


def test_warm_up_loads_the_word_frequencies_of_the_languages_a_sample_is_in(monkeypatch):
    """A first hover of a French abstract loaded French word frequencies (~0.2 s); the server
    warms them up when its workspace holds French, and only then (~30 MB a language)."""
    import wordfreq

    from paperls.core import topics

    topics._frequencies.cache_clear()
    topics._rarity_in.cache_clear()
    topics.warm_up(TEXTS)
    assert topics._frequencies.cache_info().currsize == 1  # English alone
    topics.warm_up([*TEXTS, FRENCH])

    def no_load(*args, **kwargs):
        raise AssertionError("a word frequency table loaded after warm-up")

    monkeypatch.setattr(wordfreq, "get_frequency_dict", no_load)
    assert "reconnaissance automatique" in [p.text for p in extract(FRENCH, 10)]


CHINESE = ("本文提出了一种基于注意力机制的神经机器翻译模型。实验结果表明，该模型在机器翻译任务上显著"
           "提高了翻译质量，并且在低资源语言对上也取得了较好的效果。我们在WMT数据集上验证了注意力机制的作用。")


def test_a_chinese_abstract_has_words_for_topics_not_clauses():
    """Chinese has no spaces: each run of Han characters was one token, and the topics and
    headline of the corpora's Chinese abstracts were whole clauses."""
    from paperls.core.topics import analyse
    from paperls.core.workspace import prepare

    assert analyse(CHINESE).languages == ("zh",)
    got = extract(CHINESE, 8)
    texts = [p.text for p in got]
    assert "注意力机制" in texts and any("机器翻译" in t for t in texts), texts
    assert all(len(t) <= 10 for t in texts), texts
    assert all(key_of(p.text) == p.key for p in got)  # completion matches what is shown
    # none inside a better one ("机器翻译模型" under "神经机器翻译模型"), as for English
    assert not any(a in b for i, b in enumerate(texts) for a in texts[i + 1:]), texts
    headline = prepare(CHINESE)[1]
    assert headline and all(len(part) <= 10 for part in headline.split(" · ")), headline

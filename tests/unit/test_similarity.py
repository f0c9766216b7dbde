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


def _linked(a: str, b: str):
    """The copies of list A's abstract through the whole engine (candidates and rules)."""
    from paperls.core.index import Index

    ix = Index()
    ix.bulk_load([("a", parse("A\nAbstract:" + a)), ("b", parse("B\nAbstract:" + b))])
    return ix.copies("a", 1)


FULL = ("Tokenizer fertility varies widely across foundation models on Ukrainian legal text, yet "
        "this cost-critical dimension is absent from model selection practice. We benchmark seven "
        "models from five providers on 273 validated court decisions from the state registry, "
        "measuring tokenizer fertility and zero-shot performance on three tasks. Qwen models "
        "consume 60% more tokens than Llama models on identical input, and few-shot prompting "
        "degrades performance by up to 26 percentage points.")


def test_a_short_opening_is_a_truncated_copy_and_its_confidence_follows_its_specificity():
    specific = " ".join(FULL.split()[:14])  # "Tokenizer fertility varies ... Ukrainian legal text,"
    (c,) = _linked(specific, FULL)
    assert c.contained and c.reason == "truncated copy"
    generic = "In this paper we present the results of the"
    assert _linked(generic, "In this paper we present the results of the " + FULL) == []
    mid = "Tokenizer fertility varies widely across"  # 5 words: too short to be any paper's
    assert _linked(mid, FULL) == []


def test_a_corrected_citation_year_is_a_version_not_another_edition():
    a = ("We extend adaptor grammars by applying stochastic memoization (Johnson et al. 2006) and "
         "a hierarchical prior over rule probabilities, and evaluate the model on word "
         "segmentation of child-directed speech, where it outperforms earlier unigram and bigram "
         "models by a wide margin on token and boundary F-scores.")
    v = verdict("A\nAbstract:" + a, "A\nAbstract:" + a.replace("2006", "2007"))
    assert not v.other_edition and is_near_duplicate(v)
    v = verdict("A\nAbstract:" + a.replace("(Johnson et al. 2006)", "in WMT 2018"),
                "A\nAbstract:" + a.replace("(Johnson et al. 2006)", "in WMT 2019"))
    assert v.other_edition and not is_near_duplicate(v)


def test_second_written_2nd_is_the_same_edition():
    a = ("Our system for the emotion shared task IEST obtained second place out of thirty "
         "participating teams, using an ensemble of transformer classifiers fine-tuned on tweets "
         "with emoji and hashtag features and a careful treatment of implicit emotion triggers.")
    v = verdict("A\nAbstract:" + a, "A\nAbstract:" + a.replace("second", "2nd"))
    assert not v.other_edition and is_near_duplicate(v)


def _revised(text: str) -> str:
    """A sentence of ``text`` rewritten and one added: a version at similarity 0.55-0.8."""
    words = text.split()
    return " ".join(words[:25] + ["In", "a", "new", "section", "we", "also", "study", "how",
                                  "prompts", "transfer", "across", "courts"] + words[45:])


def test_a_revised_version_is_probably_the_same_paper_unless_a_year_is_traded():
    from paperls.core.similarity import is_possible_duplicate, why

    v = compare(tokens(normalize(FULL)), tokens(normalize(_revised(FULL))))
    assert 0.58 <= v.ratio < 0.8
    assert not is_near_duplicate(v) and is_possible_duplicate(v)
    assert why(v) == "revised version"
    assert not is_possible_duplicate(v, lower=1.0)  # the setting at 1 turns the tier off
    swapped = compare(tokens(normalize("In 2017, " + FULL)), tokens(normalize(
        "Every year there is a task. In 2018, " + _revised(FULL))))
    assert (swapped.years_differ or swapped.other_edition)
    assert not is_possible_duplicate(swapped)


def test_another_papers_text_with_a_name_task_or_edition_swapped_is_no_revised_version():
    from paperls.core.similarity import is_possible_duplicate

    def linked(a: str, b: str) -> bool:
        v = compare(tokens(normalize(a)), tokens(normalize(b)))
        assert 0.58 <= v.ratio < 0.8, v
        return is_possible_duplicate(v)

    system = FULL + " We release our system, Kobzar, for the WMT20 news translation task."
    # The same paper revised, its name and task kept, and a venue added at the end.
    assert linked(system, _revised(system) + " This paper will appear at NAACL 2021.")
    # Another system's paper (a name for a name), another task's, another team's.
    assert not linked(system, _revised(system.replace("Kobzar", "Marusya")))
    assert not linked(system, _revised(system.replace("news translation", "biomedical translation")))
    assert not linked("This paper describes the system submitted by the UFRGS team. " + FULL,
                      "This paper describes the system submitted by the Tilde team. "
                      + _revised(FULL))
    assert not linked("Our system for subtask A of the shared task. " + FULL,
                      "Our system for subtask B of the shared task. " + _revised(FULL))
    # A later edition that recalls the earlier one as it opens.
    assert not linked(FULL, "Following the WMT 2018 shared task, " + _revised(FULL))
    # A span of years is no edition ("decisions from 2008 to 2013").
    assert linked(FULL, "Across decisions from 2008 to 2013, " + _revised(FULL))
    # A spelling corrected is no name swapped.
    assert linked(system, _revised(system).replace("Kobzar", "Kobzär"))


def test_short_templated_texts_that_name_another_task_are_different_papers():
    a = "This submission is a description paper for our system in GDI shared task"
    v = compare(tokens(normalize(a)), tokens(normalize(a.replace("GDI", "ILI"))))
    assert v.ratio > 0.9 and v.other_edition and not is_near_duplicate(v)
    # A common word changed is still the same short text.
    v = compare(tokens(normalize(a)), tokens(normalize(a.replace("description", "system"))))
    assert is_near_duplicate(v)


SYSTEM_PAPER = ("This paper describes our system for SemEval-2018 Task 1: Affect in Tweets. We "
                "combine a lexicon of emotion words with a recurrent network over characters, "
                "trained on the task's data only, and rank fifth of forty teams. An analysis "
                "of the errors shows that sarcasm and negation account for most of them.")


def test_a_system_for_another_task_is_another_paper():
    """One team's papers for two tasks of one SemEval often share all but the task number."""
    v = verdict(SYSTEM_PAPER, SYSTEM_PAPER.replace("Task 1", "Task 3"))
    assert v.ratio > 0.95 and v.other_edition and not is_near_duplicate(v)
    # A revision of the same task's paper stays a version.
    revised = SYSTEM_PAPER.replace("rank fifth", "ranked fifth").replace("most of them",
                                                                          "most errors")
    assert is_near_duplicate(verdict(SYSTEM_PAPER, revised))


ANNOUNCEMENTS = ("We present a system that turns the announcements of an airport into sign "
                 "language for deaf travellers. Spoken flight announcements are transcribed, "
                 "parsed into a template of flight, gate and time, and rendered by a signing "
                 "avatar on the airport screens. A study with deaf users at the airport shows "
                 "that the avatar is understood as well as a human interpreter.")


def test_the_same_text_about_another_subject_is_another_paper():
    """Two terms swapped throughout (the airport's system rewritten for railway stations) is
    a second paper written from the first; one term renamed everywhere is a revision."""
    railway = (ANNOUNCEMENTS.replace("an airport", "railway stations")
               .replace("the airport", "the stations").replace("airport", "station")
               .replace("flight", "train"))
    v = verdict(ANNOUNCEMENTS, railway)
    assert v.ratio >= 0.8 and v.other_edition and not is_near_duplicate(v)
    renamed = ANNOUNCEMENTS.replace("avatar", "character")  # one thing renamed, three times
    assert is_near_duplicate(verdict(ANNOUNCEMENTS, renamed))


def test_overviews_that_open_on_different_years_are_other_editions():
    """The later overview recalls the earlier edition, so both years occur in it: what tells
    them apart is the year each opens on."""
    y2017 = ("The conference on natural language learning features a shared task, in which "
             "participants train and test their systems on the same data sets. In 2017, the task "
             "was devoted to learning dependency parsers for many languages, without any "
             "gold-standard annotation on input. In this paper we define the task and the "
             "evaluation, describe the data and analyse the main results.")
    y2018 = ("Every year, the conference on natural language learning features a shared task, in "
             "which participants train and test their systems on the same data sets. In 2018, one "
             "of two tasks was devoted to learning dependency parsers for many languages, without "
             "any gold-standard annotation on test input. The first edition took place in 2017. "
             "In this paper we define the task and the evaluation, describe the data and analyse "
             "the main results.")
    v = verdict(y2017, y2018)
    assert v.ratio >= 0.8 and v.other_edition and not is_near_duplicate(v)
    # A revision that only adds a citation year or a range is still a version.
    revised = y2017.replace("for many languages", "for many languages (as in Nivre et al. 2016)")
    assert is_near_duplicate(verdict(y2017, revised))


def test_a_version_that_drops_the_sentence_with_a_year_is_still_a_version():
    """Its first year is then a later one, but the earlier went with a whole sentence: no
    swap of one edition for another."""
    full = ("Since 2015, treebanks for many languages have followed one annotation scheme. "
            "We train a dependency parser on all of them at once, sharing its character model "
            "and its word embeddings across languages, and evaluate it on the test sets of the "
            "release of 2019, where it improves the labelled attachment score of the best "
            "single-language parsers on most of the low-resource languages and matches them "
            "on the others, at a fraction of their training time.")
    dropped = full.split(". ", 1)[1]
    v = verdict(full, dropped)
    assert not v.other_edition and is_near_duplicate(v), v


def test_pdf_artefacts_are_undone_before_texts_are_compared():
    # A word split by a hyphenated line break, and words glued together: the same text.
    a = ("We build a cor- pus of annotated dialogues for theWMT shared task, whose systems "
         "arebased on rules, and release it with the annotation guidelines.")
    b = ("We build a corpus of annotated dialogues for the WMT shared task, whose systems are "
         "based on rules, and release it with the annotation guidelines.")
    assert compare(tokens(normalize(a)), tokens(normalize(b))).ratio == 1.0
    # Two words of a copy cut short stay apart where the full text also has them apart
    # ("an advertisement's ability", though "advertisements" comes later).
    short = "How much does free shipping help an advertisement's ability to persuade?"
    full = short + " " + " ".join(["We study advertisements and their effects."] * 8)
    v = compare(tokens(normalize(short)), tokens(normalize(full)))
    assert v.containment == 1.0

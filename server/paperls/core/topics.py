"""Key phrases (paper topics) of abstracts, scored against English at large.

Candidates are runs of content words between stop words and punctuation (at most
``MAX_WORDS`` long; longer runs give their sub-phrases), with names and hyphenated terms kept
whole (``GPT-4o``, ``zero-shot``, ``muTransfer``, ``WMT14``). A phrase scores by how often the
abstract uses its words and how specific they are (rare in English, per ``wordfreq``); generic phrases ("this paper", "new approach",
"state of the art") are dropped.

Workspace document frequencies were tried as a further specificity factor and lowered F1@10 on
the Inspec dev set (0.317 against 0.326 without): phrases shared by several abstracts of one field
are still their topics. So extraction needs no workspace statistics, and costs nothing at index
time.

Invariant: extraction is pure and per abstract; it never raises on any text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from . import languages
from .normalize import resolve_latex

MAX_WORDS = 4
MAX_CHARS = 20_000  # longer abstracts are read this far (the longest real ones are ~7,300)

# Tokens: words with inner hyphens, dots, slashes or apostrophes kept (GPT-4o, text-to-image,
# Llama-3.1, I/O); numbers with decimals. Everything else separates.
_TOKEN = re.compile(r"[^\W_](?:[\w+]|[-./'’](?=[^\W_]))*\+*", re.UNICODE)
_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”|，。；：！？（）【】《》、]|\s[-–—]\s")

STOP = frozenset("""
a about above across after again against all almost along already also although always am among an
and another any anyone are around as at be because been before being below between both but by can
cannot could did do does doing done down during each either enough especially etc even ever every
few for from further had has have having he her here hers him his how however i if in into is it
its itself just least less let like made make makes making many may me might more most much must my
neither no nor not of off often on once one only onto or other others otherwise our ours out over
own per perhaps rather same several shall she should since so some such than that the their theirs
them then there thereby therefore these they this those though through thus to too toward towards
under until up upon us very via was we well were what whatever when where whereas whether which
while who whom whose why will with within without would yet you your yours
""".split())

# Words that make a phrase generic when they start or end it, or stand alone.
GENERIC = frozenset("""
paper papers work works approach approaches method methods methodology result results study studies
new novel propose proposed proposes present presented presents introduce introduced introduces show
shows shown demonstrate demonstrates demonstrated use used uses using based existing recent recently
different various several significant significantly important improve improved improves improving
problem problems task tasks performance art state way ways number numbers set sets case cases
first second third two three four five large small high low good better best able effective
effectively efficient well key main major particular specific certain general given allow allows
achieve achieves achieved obtain obtained provide provides provided including include includes
experiments experimental experiment evaluation evaluate evaluated conduct conducted extensive
comprehensive furthermore moreover addition additionally finally specifically particular respectively
prior previous current future aim aims goal goals find found findings further existing challenge
challenges question questions issue issues limitation limitations lack address addresses addressed
enable enables enabling require requires required focus focuses help helps make makes lead leads
year years time times part parts type types kind kinds level levels term terms end order
""".split())

# Verbs end a noun phrase ("autoencoders provide", "Codex powers"): common verbs of abstracts in
# base form, inflected below. A heuristic stand-in for a part-of-speech tagger, which costs
# milliseconds per abstract.
_VERB_BASES = """
accept achieve act adapt add address adopt aim align allow analyse analyze apply argue arise
assess assume attain attempt augment avoid become begin believe benefit boost bring build call
capture carry cause change choose claim collect combine come compare compete compute consider
consist construct contain contribute control convert correspond cover create deal decrease define
deliver demonstrate depend derive describe design detect determine develop differ discover discuss
distill do drive employ enable encode encourage enhance ensure establish estimate evaluate examine
exceed exhibit exist expand expect explain exploit explore express extend extract face fail fall
feature find fit focus follow form gain generalize generalise generate get give go grow guide
handle happen help hold hope identify illustrate implement imply improve include incorporate
increase indicate inform integrate interact introduce investigate involve keep know lack lead learn
leverage limit link look maintain make manage map match measure meet mitigate model motivate move
need note observe obtain occur offer operate optimize outperform overcome perform permit pose power
predict prefer prepare present preserve prevent produce promise propose prove provide push raise
reach read receive recover reduce reflect regard rely remain remove render replace report represent
require reside reveal run satisfy scale see seek seem select serve set share show shrink simplify
solve specify spend stand start stay struggle study succeed suffer suggest support surpass take
target tend test train transfer treat try turn undergo understand unify use utilize validate vary
verify want work yield finetune fine-tune pretrain pre-train release inherit publish highlight
summarize summarise quantify characterize characterise curate deploy refine retrieve decode
annotate underperform accelerate facilitate
""".split()


def _inflect(base: str) -> set[str]:
    forms = {base}
    if base.endswith("e"):
        forms |= {base + "s", base + "d", base[:-1] + "ing"}
    elif base.endswith("y") and base[-2:-1] not in "aeiou":
        forms |= {base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    elif base.endswith(("s", "sh", "ch", "x")):
        forms |= {base + "es", base + "ed", base + "ing"}
    else:
        forms |= {base + "s", base + "ed", base + "ing"}
    return forms


VERBS = frozenset(f for b in _VERB_BASES for f in _inflect(b)) - {
    # -ing and -ed forms that are mostly nouns or adjectives in abstracts
    "learning", "modeling", "modelling", "training", "understanding", "reasoning", "processing",
    "embedding", "matching", "set", "model", "models", "work", "works", "study", "studies",
    "feature", "features", "power", "test", "map", "maps", "form", "forms", "control", "design",
    "transfer", "scaling", "scale", "change", "changes", "report", "turn", "need", "needs",
    "support", "guide", "face", "faces", "fit", "match", "run", "target", "targets", "call",
    "boost", "limit", "limits", "link", "links", "cover", "share", "lack", "tests",
    "trained", "supervised", "unsupervised", "learned", "generated", "based", "fixed",
    "pretrained", "fine-tuned", "structured", "labeled", "labelled", "distilled", "augmented",
    "finetuned", "pre-trained", "finetuning", "fine-tuning", "pretraining", "pre-training",
    "annotated", "decoding", "refined", "curated", "published", "deployed", "retrieved",
}


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str  # as written in the abstract (its most frequent surface form)
    key: str  # case-folded form used for counting and matching
    score: float
    count: int


@lru_cache(maxsize=50_000)  # bounded caches: typing makes new words forever (the storm test)
def key_of(text: str) -> str:
    """Case-folded, with a plain plural on the last word folded: autoencoders = autoencoder."""
    words = text.casefold().replace("’", "'").split()
    if words:
        words[-1] = _folded_plural(words[-1])
    return " ".join(words)


@lru_cache(maxsize=200_000)
def _english_rarity(word: str) -> float:
    """0 for the commonest English words, up to 1 for words English text hardly uses."""
    return _rarity_of(_zipf_frequency(word, "en"))


@lru_cache(maxsize=50_000)
def _rarity_in(word: str, lang: str) -> float:
    """``_english_rarity`` for an abstract also written in ``lang`` (``languages``): by the
    commoner of the two, so that "généralement" is common in French and "transformer", in a
    French abstract, is as common as in English."""
    if lang == "zh":  # by the table: wordfreq's Chinese tokenizer needs jieba
        return _rarity_of(_zipf(word, "zh") if languages.is_han(word)
                          else _zipf_frequency(word, "en"))
    return _rarity_of(max(_zipf_frequency(word, "en"), _zipf_frequency(word, lang)))


def _rarity_of(zipf: float) -> float:
    return min(1.0, max(0.0, (6.5 - zipf) / 5.0))


def _rarity_for(langs: tuple[str, ...]) -> Callable[[str], float]:
    """How rare a word is, for an abstract in English and ``langs``."""
    if not langs:
        return _english_rarity
    lang = langs[0]
    return lambda word: _rarity_in(word, lang)


def _zipf_frequency(word: str, lang: str) -> float:
    """wordfreq's ``zipf_frequency``, from its table directly where that gives the same: a
    plain word, or plain words joined by hyphens ("zero-shot", three in four of the words
    the table lacks, each ~50 us through wordfreq's tokenizer)."""
    if word.isalpha() and word.islower() and (word.isascii() or _plain_latin(word)):
        return _zipf(word, lang)
    if "-" in word and word.isascii():
        parts = word.split("-")
        if all(p.isalpha() and p.islower() for p in parts):
            return _zipf_of_parts(parts, lang)
    from wordfreq import zipf_frequency  # deferred: keeps its data off the start-up path

    return zipf_frequency(word, lang)


@lru_cache(maxsize=8)
def _frequencies(lang: str = "en") -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict(lang, "best")


def _plain_latin(word: str) -> bool:
    """An accented word of the Latin alphabets ("données", "évaluation") that wordfreq's
    tokenizer keeps as it is (no case folding to do, composed): its table has it as written.
    French and other non-English abstracts are mostly such words, and each first cost ~50 us
    in the tokenizer."""
    return max(word) < "\u0250" and word.casefold() == word \
        and unicodedata.is_normalized("NFC", word)


def _zipf_of_parts(parts: list[str], lang: str) -> float:
    """wordfreq's ``zipf_frequency`` of a word its tokenizer splits into ``parts``: their
    frequencies combined as 1/f = 1/f1 + 1/f2 + ..., none if one part is not in the table."""
    table = _frequencies(lang)
    inverse = 0.0
    for part in parts:
        f = table.get(part)
        if f is None:
            return 0.0
        inverse += 1.0 / f
    return _zipf_of(1.0 / inverse)


def _zipf(word: str, lang: str = "en") -> float:
    """wordfreq's ``zipf_frequency`` of a plain lower-case word, looked up in its table
    directly: its tokenizer costs ~50 us a word, most of a first hover's topics (the same
    value on 21k corpus words; the rounding is wordfreq's)."""
    return _zipf_of(_frequencies(lang).get(word, 0.0))


def _zipf_of(frequency: float) -> float:
    """A frequency on the Zipf scale, rounded as wordfreq rounds it."""
    f = max(frequency, 1e-9)
    f = round(f, math.floor(-math.log10(f)) + 3)
    return round(math.log10(f) + 9, 2)


@lru_cache(maxsize=50_000)
def is_name(tok: str) -> bool:
    """Acronyms and names: an inner capital or a digit (GPT-4o, HumanEval, muTransfer, WMT14)."""
    rest = tok[1:]
    return rest != rest.lower() or _DIGIT.search(tok) is not None


_DIGIT = re.compile(r"\d")


def _chunks(text: str):
    """The text between breaks, each with whether it opens a sentence (the text's start, or
    after ". ", "! ", "? ", ": ")."""
    at, opens = 0, True
    for m in _BREAK.finditer(text):
        yield text[at:m.start()], opens
        opens = m.group(0) in ".!?:" and text[m.end():m.end() + 1].isspace()
        at = m.end()
    yield text[at:], opens


class Runs(list):
    """The runs of one abstract (``runs``), with the languages besides English it is also
    written in (``languages.detect``)."""

    __slots__ = ("languages",)

    def __init__(self, languages: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.languages = languages


def runs(text: str) -> Runs:
    """Runs of tokens between stop words, punctuation, lone digits and letters: what authors
    write as one stretch ("fully connected network", "building contractors").

    A sentence's first word loses the capital the sentence gave it ("Sparse autoencoders ..."
    -> "sparse autoencoders"), unless it is a name (GPT-4o, HumanEval) or opens a run of
    capitalised words ("Spectral NSR", "Graph Neural Networks"): the written form of a common
    noun is lower case. An abstract also written in another language (``languages``) breaks
    at that language's stop words too, and its words lose an elided article ("l’adaptation")."""
    chunks = [(_TOKEN.findall(chunk), opens) for chunk, opens in _chunks(text)]
    langs = languages.detect(list(chain.from_iterable(toks for toks, _ in chunks)), text)
    stop = _stop_words(langs)
    out = Runs(langs)
    for toks, opens in chunks:
        if opens and toks and toks[0][:1].isupper() and toks[0][1:].islower() \
                and not (len(toks) > 1 and toks[1][:1].isupper()):  # "Graph Neural Networks"
            toks[0] = toks[0].lower()
        toks = [t[:-2] if t.endswith(("'s", "’s")) else t for t in toks]
        breaks = None
        if langs == ("zh",):
            toks = languages.segmented(toks, _frequencies("zh"))
        elif langs:
            toks = languages.unelided(toks)
            breaks = languages.verbs(toks, langs[0])
        flags = [t.casefold() in stop or (t.isdigit() and len(t) != 4) or len(t) == 1
                 for t in toks]
        out += _split(toks, flags if breaks is None
                      else [a or b for a, b in zip(flags, breaks, strict=True)])
    return out


def _joiner(langs: tuple[str, ...]) -> Callable[[Iterable[str]], str]:
    """How a phrase's words are written together: with spaces, but Chinese without."""
    return languages.join if "zh" in langs else " ".join


@lru_cache(maxsize=16)
def _stop_words(langs: tuple[str, ...]) -> frozenset[str]:
    return STOP.union(*(languages.STOP[lang] for lang in langs))


@lru_cache(maxsize=16)
def _generic_words(langs: tuple[str, ...]) -> frozenset[str]:
    return GENERIC.union(*(languages.GENERIC[lang] for lang in langs))


def _split(toks: list[str], breaks: list[bool]) -> list[list[str]]:
    """The non-empty stretches of ``toks`` between the tokens marked as breaks."""
    out: list[list[str]] = []
    part: list[str] = []
    for tok, brk in zip(toks, breaks, strict=True):
        if brk:
            if part:
                out.append(part)
            part = []
        else:
            part.append(tok)
    if part:
        out.append(part)
    return out


def _is_adverb(tok: str, low: str) -> bool:
    """A lower-case "-ly" word ("explicitly", "jointly"): a phrase never runs through one
    ("AdaPCR explicitly models dependencies" is no topic). Nouns and adjectives in -ly stay."""
    return (low.endswith("ly") and len(low) > 4 and tok.islower() and low not in _LY_WORDS)


_LY_WORDS = frozenset("""family assembly anomaly anomalies monopoly supply italy july
reply early daily weekly monthly yearly hourly friendly costly only holy ally rally""".split())


def _forms(stretches: Runs,
           generic: frozenset[str]) -> dict[tuple[str, ...], tuple[int, tuple[str, ...]]]:
    """The phrases a topic may be: every n-gram (n <= ``MAX_WORDS``) of each run's parts
    between its verbs and adverbs (after an adverb comes its verb: "explicitly models",
    "jointly ranks") that neither starts nor ends on a ``generic`` word nor ends on a
    participle ("image distribution downsampled"). Each as written, with its count and its
    key's words (``key_of``'s: case-folded, the last word's plural folded). One pass, each
    token case-folded once: a pass per step (split, n-grams, keys) took 16% longer."""
    out: dict[tuple[str, ...], tuple[int, tuple[str, ...]]] = {}
    for run in stretches:
        n = len(run)
        folds = [t.casefold().replace("’", "'") for t in run]
        cut = [False] * n  # the verbs and adverbs, where the run breaks
        after_adverb = False
        for k in range(n):
            tok, low = run[k], folds[k]
            adverb = _is_adverb(tok, low)
            cut[k] = low in VERBS or adverb or (after_adverb and tok.islower()
                                                 and low.endswith(("s", "ed")))
            after_adverb = adverb
        k = 0
        while k < n:
            if cut[k]:
                k += 1
                continue
            e = k
            while e < n and not cut[e]:
                e += 1
            for i in range(k, e):
                if folds[i] in generic:
                    continue
                for j in range(i + 1, min(e, i + MAX_WORDS) + 1):
                    last = run[j - 1]
                    if folds[j - 1] in generic or (j - i > 1 and _participle(last)):
                        continue
                    form = tuple(run[i:j])
                    got = out.get(form)
                    if got is None:
                        out[form] = (1, (*folds[i:j - 1], _folded_plural(folds[j - 1])))
                    else:
                        out[form] = (got[0] + 1, got[1])
            k = e
    return out


def _folded_plural(last: str) -> str:
    """``key_of``'s fold of a phrase's last (case-folded) word: autoencoders = autoencoder."""
    if len(last) > 4 and last.endswith("s") and not last.endswith(("ss", "us", "is")):
        return last[:-3] + "y" if last.endswith("ies") else last[:-1]
    return last


def _participle(tok: str) -> bool:
    """A lower-case "-ed" word: it ends a clause, never a noun phrase."""
    return tok.endswith("ed") and tok.islower() and not tok.endswith("eed")


def analyse(text: str) -> Runs:
    """The runs of one abstract (``runs``): the completion vocabulary counts them, and
    ``extract`` ranks the topics in them. The phrases of a 10 MB line are those of its start:
    never seconds of work for one hover."""
    return runs(resolve_latex(text[:MAX_CHARS]))


def written_forms(stretches: Runs) -> tuple[str, ...]:
    """Each distinct phrase an abstract writes, once, as written: every n-gram of its runs up
    to ``MAX_WORDS`` words, generic words included ("training method", "simulation
    experiments" are what authors write, though no topic), none of several words ending on a
    verb ("large language models manages"), a lower-case "-ed" word ("coefficients
    augmented") or an adverb ("autoregressive Transformers smoothly")."""
    out: dict[str, None] = {}
    join = _joiner(getattr(stretches, "languages", ()))
    for run in stretches:
        n = len(run)
        ends = [t.casefold() in VERBS or _participle(t) or _is_adverb(t, t.casefold())
                for t in run]
        for i in range(n):
            for j in range(i + 1, min(n, i + MAX_WORDS) + 1):
                if j - i > 1 and ends[j - 1]:
                    continue
                out[join(run[i:j])] = None
    return tuple(out)


def extract(text: str, top: int = 10, distinct: bool = True,
            stretches: Runs | None = None) -> list[Phrase]:
    """The ``top`` key phrases of one abstract, best first.

    With ``distinct`` a phrase inside a better one is left out ("scaling laws" under "empirical
    scaling laws"); the completion catalogue wants both and asks without.

    A word weighs its frequency in the abstract times its specificity (how rare it is in
    English); a phrase scores the sum of its words' weights, so that "sparse autoencoders"
    outranks both "sparse" and a long run of rare words used once (the SingleRank/TF-IDF family's
    way of favouring multi-word terms built on the abstract's central words).
    """
    if stretches is None:
        stretches = analyse(text)
    langs = stretches.languages
    forms = _forms(stretches, _generic_words(langs))
    join = _joiner(langs)
    if not forms:
        return []
    # Each key's count over its spellings, and its most frequent spelling (the first of the
    # most frequent) with the key's words.
    freq: dict[str, int] = {}
    best: dict[str, tuple[int, tuple[str, ...], tuple[str, ...]]] = {}
    for form, (c, words) in forms.items():
        key = join(words)
        freq[key] = freq.get(key, 0) + c
        b = best.get(key)
        if b is None or c > b[0]:
            best[key] = (c, words, form)
    weight: dict[str, float] = {}
    scored: list[tuple[float, str]] = []
    rarity = _rarity_for(langs)
    for key, c in freq.items():
        _, words, form = best[key]
        total = 0.0
        for w in words:
            wt = weight.get(w)
            if wt is None:
                wt = weight[w] = (1.0 + freq.get(w, 0)) * (0.2 + rarity(w))
            total += wt
        if any(map(is_name, form)):
            total *= NAME_BOOST
        scored.append((-total * (1.0 + 0.3 * math.log(c)), key))
    scored.sort()
    # Phrase objects only for the head of the ranking (dedupe needs some slack).
    head = scored[: top * 4 if distinct else top]
    phrases = [Phrase(join(best[k][2]), k, -neg, freq[k]) for neg, k in head]
    return dedupe(phrases, top) if distinct else phrases


def dedupe(phrases: list[Phrase] | tuple[Phrase, ...], top: int) -> list[Phrase]:
    """The best ``top`` phrases, skipping any that sits inside one already taken: as whole
    words, or for Chinese, written without spaces, as characters ("机器翻译" in "神经机器翻译")."""
    chosen: list[Phrase] = []
    for p in phrases:
        if any(f" {p.key} " in f" {q.key} " or (not q.key.isascii()
                                                 and languages.inside(p.key, q.key))
               for q in chosen):
            continue
        chosen.append(p)
        if len(chosen) >= top:
            break
    return chosen


NAME_BOOST = 1.3  # names (GPT-4o, CLIP) first: costs 0.002 F1@10 on Inspec, which has few


def warm_up(sample: Iterable[str] = ()) -> None:
    """Load the English word frequencies now (the first lookup otherwise takes ~0.15 s), and
    those of the other languages (``languages``) that abstracts of ``sample`` are written in:
    each table takes ~0.2 s and ~30 MB, which a first hover of a French abstract paid."""
    _frequencies("en")
    # Read from each one's start, split at spaces: enough to tell French from English (~5 us,
    # where the whole abstract's tokens took 125 us).
    for lang in sorted({lang for text in sample
                        for lang in languages.detect(text[:500].split(), text)}):
        _frequencies(lang)

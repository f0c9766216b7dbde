"""At-a-glance summaries of one abstract: a title-like line, a one-sentence gist, key figures.

The gist is the sentence that best states what the paper does ("We introduce Codex ...",
"GPT-4o is an ...") rather than its background ("Recently, ..."); key figures are numbers that
carry a claim, with their units or metric ("232 ms", "28.8%", "BLEU 42.1", "175 billion
parameters").
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from .headline_words import title_odds, word_keys, word_odds, words_of
from .languages import chinese
from .normalize import resolve_latex
from .topics import MAX_CHARS, STOP, VERBS, Phrase, extract, is_name

GIST_MAX = 240
GIST_CONTRIBUTION = 1.0  # title words in the gist 0.465 -> 0.472 (bench/headlines.py; first sentence 0.363)

_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|et al|etc|vs|cf|Fig|Eq|approx|resp|Sec|No)\.)$", re.I)
_ABBREV_TAIL = 10
_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(\[]?[A-Z0-9$\\])")
_CLAIM = re.compile(
    r"\b(?:we|this (?:paper|work|report|study|article)|our (?:method|approach|model|system|work)|"
    r"in this (?:paper|work))\b[^.]{0,40}?\b(?:propose|introduce|present|show|develop|describe|"
    r"find|identify|study|demonstrate|release|train|derive|provide|analy[sz]e|investigate|"
    r"report|design|build|explore|establish|achieve)",
    re.I,
)
_BACKGROUND = re.compile(
    r"^(?:recent(?:ly)?|however|while|although|despite|in recent|over the past|traditionally|"
    r"existing|current|previous|prior|many|most|there (?:is|are|has|have))\b",
    re.I,
)
_UNITS = (
    r"%|percent|percentage points?|pp|ms|milliseconds?|seconds?|s\b|hours?|days?|x\b|×|"
    r"(?:billion|million|thousand|trillion|[BMKT])\b(?:\s+(?:parameters|params|tokens|"
    r"images|examples|pairs|words|hours|samples))?|parameters|params|tokens|GPUs?|TPUs?|"
    r"languages|points?|FPS|fps|dB|GB|MB|TB|FLOPs?|speed-?up|times"
)
_METRICS = (
    r"BLEU|ROUGE(?:-[12L])?|F1|F-score|accuracy|precision|recall|mAP|AUC|EM|WER|CER|perplexity|"
    r"top-1|top-5|pass@\d+|Elo|SOTA|score"
)
_FIGURE = re.compile(
    rf"(?:\b(?:{_METRICS})\s*(?:of|=|:|score of)?\s*)?"
    rf"(?<![\w.])\d{{1,3}}(?:,\d{{3}})*(?:\.\d+)?\s*(?:{_UNITS})"
    rf"|\b(?:{_METRICS})\s*(?:of|=|:|score of)?\s*\d+(?:\.\d+)?%?",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Summary:
    topics: tuple[Phrase, ...]
    gist: str
    figures: tuple[str, ...]
    words: int
    chars: int


def sentences(text: str) -> list[str]:
    """Split an abstract into sentences, keeping "e.g." and "et al." inside."""
    return list(_sentences(text))


@functools.lru_cache(maxsize=64)
def _sentences(text: str) -> tuple[str, ...]:
    """``sentences``, kept for the last texts: a hover splits its abstract for the gist, the
    figures and the headline (a tenth of a first hover's time)."""
    parts: list[str] = []
    buf = ""
    for piece in _SENT_END.split(text):
        buf = f"{buf} {piece}" if buf else piece
        # An abbreviation ends the buffer or nothing does: its last characters decide (the
        # longest, "approx.", is 7, and the one before it decides the word boundary).
        if not _ABBREV.search(buf[-_ABBREV_TAIL:]):
            parts.append(buf.strip())
            buf = ""
    if buf:
        parts.append(buf.strip())
    return tuple(p for p in parts if p)


def gist(text: str, topics: list[Phrase] | None = None) -> str:
    sents = sentences(text)
    if not sents:
        return ""
    names = [p.text for p in (topics or [])[:3]]
    best, best_score = sents[0], float("-inf")
    for i, s in enumerate(sents):
        score = 0.0
        if _CLAIM.search(s):
            score += 3.0
            if _CONTRIBUTION.search(s):  # what it contributes, not what it shows or finds
                score += GIST_CONTRIBUTION
        if _BACKGROUND.search(s):
            score -= 2.5
        if i == 0:
            score += 1.0
            if names and s.startswith(names[0]):  # "GPT-4o is an autoregressive omni model"
                score += 2.0
        score += sum(0.7 for n in names if n in s)
        score -= 0.15 * i
        if len(s) < 30:
            score -= 2.0
        if score > best_score:
            best, best_score = s, score
    return best if len(best) <= GIST_MAX else best[: GIST_MAX - 1].rsplit(" ", 1)[0] + "…"


# Where a figure's clause starts: what comes before belongs to another statement.
_CLAUSE_START = re.compile(
    r"[,;:()]|\b(?:while|whereas|but|and|compared (?:to|with)|versus|vs\.?|than|against)\s", re.I)
# What a figure measures, after it: "28.8% of the problems", "50% cheaper", "4% relative".
_OF_AFTER = re.compile(r"\s+of\s+((?:the|our|all|its|their)\s+)?([\w\-]+(?:\s+[\w\-]+){0,4})")
_COMPARATIVE = re.compile(
    r"\s+((?:relative|absolute)\s+)?(faster|cheaper|slower|fewer|more|less|better|worse|higher|"
    r"lower|smaller|larger|improvements?|reductions?|gains?|increases?|decreases?|speed-?ups?|"
    r"error reduction|absolute|relative|accuracy|lower latency)\b", re.I)
# What it measures, before it: "an average of 320 ms", "accuracy of 91%", "latency to 12 ms".
_BEFORE = re.compile(
    r"([A-Za-z][\w\-]*(?:\s+[A-Za-z][\w\-]*)?)\s+(?:of|at|to|by|is|was|reaches|reaching|"
    r"averaging|of up to|up to|within|in under|in as little as|=)\s+(?:about\s+|only\s+|"
    r"nearly\s+|over\s+|around\s+|approximately\s+)?$", re.I)
_NOT_MEASURED = STOP | frozenset("""up only about over nearly around approximately little under
across among them respectively""".split())


def figures(text: str, limit: int = 5, own: str | None = None) -> list[str]:
    """Key figures, each with what it measures where the text says it ("28.8% of the problems",
    "average of 320 milliseconds", "50% cheaper", "BLEU score of 42.1", a list's later
    members with its first's label), and only this paper's own: a figure whose clause is
    about another named system ("while GPT-3 solves 0%") is left out. ``own``: the paper's own
    name, which is never another system."""
    out: list[str] = []
    for sent in sentences(text):
        if not _DIGIT.search(sent):
            continue  # every figure has a digit: most sentences have none
        prev_end, prev_label = -1, None
        for m in _FIGURE.finditer(sent):
            fig = " ".join(m.group(0).split()).rstrip(" .,;")
            if re.fullmatch(r"\d{4}\s*s?", fig):  # a year, or "2020s"
                continue
            starts = [c.end() for c in _CLAUSE_START.finditer(sent, 0, m.start())]
            clause = sent[starts[-1] if starts else 0:m.start()]
            if _another_system(clause, own):
                continue
            if prev_label and _LIST_GAP.fullmatch(sent[prev_end:m.start()]):
                label: tuple[str, str] | None = prev_label  # "of 23.4%, 14.7%, and 10.6%"
            else:
                label = _label(fig, sent, m, clause)
            prev_end, prev_label = m.end(), label
            if label:
                fig = f"{label[0]}{fig}{label[1]}"
            if fig not in out:
                out.append(fig)
            if len(out) >= limit:
                return out
    return out


_DIGIT = re.compile(r"\d")
_LIST_GAP = re.compile(r"\s*(?:,|,?\s*(?:and|or))\s*(?:,|,?\s*(?:and|or)\s+)?\s*", re.I)
_COUNT = re.compile(r"(?:million|billion|thousand|trillion|[BMKT])$")


def _another_system(clause: str, own: str | None) -> bool:
    """The clause before a figure is another named system's ("GPT-3 solves", "GPT-J gets")."""
    words = clause.split()
    if len(words) < 2 or len(words) > 6:
        return False
    first = words[0].strip("(\"“")
    return is_name(first) and first != own and (own is None or not own.startswith(first)) \
        and words[1].casefold() not in _NOT_MEASURED


def _label(fig: str, sent: str, m: re.Match, clause: str) -> tuple[str, str] | None:
    """The words around a figure that say what it measures, as (before, after), if the
    sentence has them."""
    if re.search(rf"(?i)\b(?:{_METRICS})\b", fig):
        return None  # "BLEU score of 42.1" says it already
    after = sent[m.end():]
    bare = not re.search(r"[A-Za-z]{3,}$", fig)  # a number or percentage without a unit
    if bare or not _COUNT.search(fig):  # "28.8% of the problems", "680,000 hours of audio"
        of = _OF_AFTER.match(after)
        if of:
            words: list[str] = []
            for w in of.group(2).split():
                low = w.casefold()
                if words and words[-1] in ("and", "or") and low.endswith("ing"):
                    break  # "25.4% of instances and matching ...": a verb's clause
                if low in ("and", "or") and words and words[-1] not in ("and", "or"):
                    words.append(w)  # "of multilingual and multitask supervision"
                    continue
                if low in _NOT_MEASURED or low in VERBS or len(words) >= 3 \
                        and words[-1] not in ("and", "or"):
                    break
                words.append(w)
            while words and words[-1].casefold() in ("and", "or"):
                words.pop()
            if words:
                return "", f" of {of.group(1) or ''}{' '.join(words)}"
    if bare:
        comp = _COMPARATIVE.match(after)
        if comp:
            return "", " " + " ".join(comp.group(0).split())
    if bare or _COUNT.search(fig):  # "50% success rate", "16 million latent autoencoder"
        words = []
        for w in re.findall(r"^\s+([A-Za-z][\w\-]*)(?:\s+([A-Za-z][\w\-]*))?", after)[:1]:
            for x in w:
                if not x or x.casefold() in _NOT_MEASURED or x.casefold() in VERBS:
                    break
                words.append(x)
        if words:
            return "", " " + " ".join(words)
    before = _BEFORE.search(clause)
    if before:
        label = before.group(0)
        head = [w for w in before.group(1).split() if w.casefold() not in _NOT_MEASURED]
        if head and head[-1].casefold() not in VERBS:
            return " ".join(label[label.index(head[0]):].split()) + " ", ""
    return None


def summarize(text: str, topics: list[Phrase] | tuple[Phrase, ...] | None = None) -> Summary:
    plain = resolve_latex(text[:MAX_CHARS])
    topics = list(topics) if topics is not None else extract(plain, top=8)
    # No headline here: the hover shows the workspace's (``Workspace.headline``, cached).
    return Summary(
        topics=tuple(topics),
        gist=gist(plain, topics),
        figures=tuple(figures(plain, own=introduced_name(plain))),
        words=len(text.split()) if len(text) <= MAX_CHARS else text.count(" ") + 1,
        chars=len(text),
    )


_NAME = r"[A-Z][\w\-.]*[A-Za-z0-9](?:\s+[A-Z][\w\-.]*[A-Za-z0-9]){0,4}"
# The name, bare or quoted whole ("we propose “UniConv”, ..."; a quoted phrase with a lower-case
# word in it, "Interaction as Intelligence", is no name).
_INTRODUCED = re.compile(
    r"\b(?:[Ww]e|[Tt]his (?:paper|work|report))\s+(?:introduce|present|propose|release|"
    rf"describe|develop|train|build)s?\s+(?:[\"“‘']({_NAME})[\"”’']|({_NAME})(?=[\s,:;(]))"
)
_OPENING_NAME = re.compile(r"^([A-Z][\w\-.]*[A-Za-z0-9])\s+(?:is|are|was)\s")


def introduced_name(text: str) -> str | None:
    """The name a paper gives its own work ("We introduce Codex, ...", "GPT-4o is an ...")."""
    m = _OPENING_NAME.match(text)
    if m and is_name(m.group(1)):
        return m.group(1)
    m = _INTRODUCED.search(text[:800])
    name = m and (m.group(1) or m.group(2))
    if name and (is_name(name) or len(name) > 2) and name not in ("The", "A", "An"):
        return name  # a name of several capitalised words whole: "Dynamical Draft Trees"
    return None


_CONTRIBUTION = re.compile(
    r"\b(?:we|this (?:paper|work|report|study|article)|in this (?:paper|work),? we)\s+"
    r"(?:\w+ly\s+)?(?:propose|introduce|present|develop|describe|design|build|release|study|"
    r"investigate|explore|address|tackle|focus on|consider|report|examine|analy[sz]e)s?\s+(.+)",
    re.I,
)
# Where the object of the contribution ends: a clause, a purpose or a means.
_OBJECT_END = re.compile(
    r"[,;:.()\[\]]|\s(?:that|which|where|whereby|who|to|by|using|based|with|through|via|"
    r"such as|including|in order)\s", re.I)
_LEADING = re.compile(r"^(?:(?:a|an|the|our|two|three|several|simple|novel|new|first|using|"
                      r"how|whether|what|which|that|is|are|called|named|in|on|this setting as)\s+)+", re.I)
_LINKS = frozenset("a an the of for and or in on to with by from at as its our this".split())
_THIS_TASK = re.compile(r"\b(?:this|the) (?:task|problem)\b", re.I)
_SUBJECT = re.compile(r"^((?:[\w\-]+\s+){0,5}?[\w\-]+)\s+(?:has|have|is|are|aims|remains)\b")
OBJECT_WORDS = 6  # content words of the contribution's object in a headline
HEADLINE_WORDS = 8  # content words of a headline, about a title's
# A headline phrase's first word stays if this share of the titles of abstracts with that word
# have it too (core/title_words.tsv), its last word at this lower share (verbs are far below).
LEAD_ODDS = 0.05
TAIL_ODDS = 0.01
HEADLINE_ODDS = 0.2  # how title-like a headline phrase's words must be on the whole
HEADLINE_TOPICS = 15  # key phrases a headline chooses from
MIN_PARTS = 2  # a headline has at least this many parts when the abstract has them
_CLAUSE = frozenset("is are can will becomes if that which we".split())
# What a second clause of a contribution starts with ("We analyze CLIP and highlight ...").
_SECOND_VERBS = frozenset("""highlight discuss show analyze analyse evaluate apply use find
propose present release study compare demonstrate report provide describe investigate explore
introduce identify examine test measure outline""".split())


def _content(words: list[str]) -> int:
    """How many of ``words`` are not link words (articles, prepositions)."""
    return sum(w.casefold() not in _LINKS for w in words)


def contribution_object(text: str, name: str | None = None,
                        sents: list[str] | None = None) -> str:
    """What the paper says it contributes, as a title would put it: the object of its "we
    propose / introduce / present" ("simple approach for text-to-image generation"), without
    articles or the name itself, cut before a clause or a means, at most ``OBJECT_WORDS``
    content words. "This task" stands for the first sentence's subject. "" if it says none.
    ``sents``: the text's ``sentences``, when the caller has them.

    With the name first and topics after, headlines cover 0.385 of the real titles' words
    (bench/headlines.py, 2,000 corpus abstracts, 7.5 content words) against 0.342 for the top
    TF-IDF words of the same length; 0.367 with topics alone."""
    if sents is None:
        sents = sentences(text)
    for sent in sents[:6]:
        m = _CONTRIBUTION.search(sent)
        if not m:
            continue
        rest = m.group(1)
        if name and rest.startswith(name):  # "We introduce Codex, a GPT language model ..."
            rest = rest[len(name):].lstrip(" ,:-–—(")
        cut = _OBJECT_END.search(rest)
        frag = _LEADING.sub("", (rest[:cut.start()] if cut else rest).strip())
        if _THIS_TASK.search(frag) and sents:
            subj = _SUBJECT.match(sents[0])
            if subj:
                frag = _THIS_TASK.sub(subj.group(1).lower() if not is_name(subj.group(1).split()[0])
                                      else subj.group(1), frag)
        words = frag.split()
        for i in range(1, len(words)):
            w = words[i].casefold()
            if words[i - 1].casefold() == "and" and (w in VERBS or w in _SECOND_VERBS):
                words = words[:i - 1]  # "CLIP and highlight ...": a second clause
                break
            if w in VERBS or w in _CLAUSE:  # "curriculum learning becomes competitive",
                words = words[:i]  # "... as control and we develop" (its "and" goes below)
                break
        out, content, capped = [], 0, False
        for w in words:
            if w.casefold() not in _LINKS:
                content += 1
            if content > OBJECT_WORDS:
                capped = True
                break
            out.append(w)
        if capped:  # cut mid-phrase: back to before its last preposition, if enough is left
            last = max((i for i, w in enumerate(out) if w.casefold() in _LINKS), default=0)
            if _content(out[:last]) >= 2:
                out = out[:last]
        # Never end on a link word, an adverb or a verb ("trained simply", "fine-tuned").
        while out and (out[-1].casefold() in _LINKS or out[-1].casefold().endswith("ly")
                       or out[-1].casefold() in VERBS
                       or (len(out[-1]) > 5 and out[-1].casefold().endswith("ed"))):
            out.pop()
        if _content(out) >= 2:
            return " ".join(out)
    return ""


def title_parts(topics: list[Phrase], limit: int = 4, text: str = "") -> list[str]:
    """A headline that reads like the paper's title: its own name if it gives one, then, of
    the object of its contribution ("We introduce ...") and its key phrases, those whose words
    titles most often have, none repeating a word already shown ("GPT-4o · autoregressive omni
    model", not "GPT-4o · GPT-4o capabilities"), at most about ``HEADLINE_WORDS`` content
    words.

    A phrase's worth is the sum, over its words, of how likely a title is to have the word
    (``headline_words.word_odds``) less ``HEADLINE_ODDS``: a phrase is shown when its words are
    more title-like than that on the whole. Phrases are tried whole and without their leading
    modifiers ("temporal spectral-invariant defense framework", "defense framework").
    bench/headlines.py --held-out (2,000 abstracts of the corpora's held-out half): title-word
    recall 0.410 at 6.5 content words against 0.316 for the top TF-IDF words of the same
    length (1.29x); the name, object and topics in extraction order gave 0.375 at 7.5 words
    (1.11x)."""
    sents = sentences(text) if text else []
    zh = chinese(text)  # its words are cut as its topics' are
    claim = next((s for s in sents if _CLAIM.search(s)), "")
    own = introduced_name(text) if text else None
    parts: list[str] = [own] if own else []
    seen = word_keys(own, zh) if own else set()
    budget = HEADLINE_WORDS - len(seen)
    obj = _titled(contribution_object(text, own, sents)) if text else ""
    options = {c: word_keys(c, zh) - _LINKS for c in ([obj] if obj else []) + _options(topics)}
    wanted = set().union(*options.values())
    odds = word_odds(text, sents, claim, own, obj, topics, wanted, zh) if text else {}
    while options and budget > 0 and len(parts) < limit:
        best, value = "", 0.0
        for c, keys in options.items():
            n = len(keys)
            if not keys or keys & seen or n > budget + 1 or (n == 1 and not is_name(c)) \
                    or _spelled_out(c, parts):
                continue
            # fsum: the exact sum, whatever order the set gives its words (a plain sum's
            # last bit, and so the choice between phrases of the same words, changed with
            # the interpreter's hash seed: one headline in one run, another in the next).
            v = math.fsum(odds.get(k, 0.0) - HEADLINE_ODDS for k in keys)
            if v > value or (len(parts) < MIN_PARTS and not best):  # never a bare headline
                best, value = c, v
        if not best:
            break
        parts.append(best)
        keys = options.pop(best)
        seen |= keys
        budget -= len(keys)
    return [_unquoted(p) for p in parts]


_ACRONYM = re.compile(r"^([A-Z][A-Z0-9]*[A-Z])s?$")


def _spelled_out(part: str, shown: list[str]) -> bool:
    """Whether ``part`` is an acronym of words already shown ("Visual Graph Arena · VGA",
    "multimodal large language models · MLLMs"): it would spend the headline's room on what
    it says already."""
    m = _ACRONYM.match(part)
    if m is None:
        return False
    letters = m.group(1).casefold()
    for p in shown:
        initials = "".join(w[0] for w in words_of(p.casefold()))
        if letters in initials:
            return True
    return False


_CLOSING = {"“": "”", "‘": "’", '"': '"', "'": "'"}


def _unquoted(part: str) -> str:
    """A headline part without the quote marks a phrase cut from the abstract left without
    their other half ('"Video Inference for Human Mesh Recovery', "“document-level ..."), nor
    those that wrap it whole ('"In-Context Brush"'). An apostrophe inside a word stays."""
    close = _CLOSING.get(part[:1])
    if close and len(part) > 2 and part.endswith(close) and close not in part[1:-1] \
            and part[0] not in part[1:-1]:
        part = part[1:-1]
    if part.count("“") != part.count("”"):
        part = part.replace("“", "").replace("”", "")
    if part.count('"') % 2:
        part = part.replace('"', "")
    if "‘" in part and "’" not in part[part.index("‘"):]:
        part = part.replace("‘", "")
    if part[:1] == "'" and "'" not in part[1:]:
        part = part[1:]
    if part[-1:] in ("'", "’") and ("‘" if part[-1] == "’" else "'") not in part[:-1]:
        part = part[:-1]
    return " ".join(part.split())


def _options(topics: list[Phrase]) -> list[str]:
    """The phrases a headline may show: each topic as extracted (a name whole), and each
    without one or more of its leading words, ends trimmed by ``_titled``."""
    out: dict[str, None] = {}
    for p in topics:
        if is_name(p.text):
            out[p.text] = None
            continue
        words = p.text.split()
        for i in range(len(words)):
            if words[i].casefold() not in _LINKS:
                shown = _titled(" ".join(words[i:]))
                if shown:
                    out[shown] = None
    return list(out)


def _titled(phrase: str) -> str:
    """``phrase`` without the words at its ends that titles hardly ever have: a leading
    modifier ("straightforward method" -> "method", "extensive experiments") or a trailing verb
    ("KE methods excel" -> "KE methods"); "" when no word of it is title-like. Names stay
    whole."""
    words = phrase.split()
    lead = [is_name(w) or title_odds(w) >= LEAD_ODDS for w in words]
    if not any(lead):
        return ""
    words = words[lead.index(True):]
    while len(words) > 1 and words[0].casefold() in _LINKS:  # "approach for X" -> "X"
        words.pop(0)
    while len(words) > 1 and not is_name(words[-1]) and (
            words[-1].casefold() in _LINKS or words[-1].casefold() in VERBS
            or title_odds(words[-1]) < TAIL_ODDS):
        words.pop()
    return " ".join(words)


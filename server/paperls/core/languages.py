"""The other languages an abstract may be written in, for its topics: their function words,
and Chinese words.

Topics are runs of words between stop words (``topics.runs``). With English stop words alone, an
abstract in French has few breaks: "de reconnaissance automatique de" and "pour des mots comme"
were its topics, and the runs gave 400-550 n-grams where an English abstract of its length gives
~110 (a first hover took 5-7 ms on them, against ~3). The corpora hold 557 such abstracts in
French, a few English ones with a Spanish or French version appended, and 151 in Chinese, whose
topics were whole clauses (Chinese has no spaces: ``segmented``).

An abstract is read as also written in a language when it uses at least ``MIN_MARKS`` of that
language's commonest function words (``MARKS``: words English text does not use) and at least
half as many as English ones; its runs then break at that language's stop words too, and its
words are as common as they are in the commoner of English and that language (``wordfreq``
has both). One with ``MIN_HAN`` Han characters or more is read as Chinese. The abstracts of the
corpora read as another language are those, and English ones with such a version appended.

Invariant: English text is untouched: an abstract with no other language is analysed exactly as
before, with English stop words, generic words and frequencies only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

MIN_MARKS = 5

# Function words that mark a language, none of them an English word ("de", "la", "en", "et"
# are not marks: "de facto", "et al.").
MARKS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in {
    "fr": "les des du une est sont nous dans pour avec cette ces sur qui aux par",
    "es": "los las del una para por con es son el al sus este esta como más entre",
    "pt": "os das dos uma para com são não pelo pela em ao",
    "it": "gli della delle dei degli sono il nel nella per con che una",
    "de": "der das und ist sind ein eine mit für auf von zu den dem wir nicht wird",
}.items()}

# Each language's stop words: articles, prepositions, pronouns, conjunctions, auxiliaries.
STOP: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in {
    "fr": """a à afin ai ainsi alors après au aucun aucune aussi autre autres aux avait avant avec
        avoir ayant bien c ça car ce ceci cela celle celles celui ces cet cette ceux chaque chez
        comme comment d dans de depuis des dès donc dont du elle elles en encore entre est et été
        être eu fait font grâce il ils j je jusqu l la laquelle le lequel les lesquelles lesquels
        leur leurs lors lorsque lui m ma mais me même mêmes mes moins mon n ne ni non nos notre
        nous on ont ou où par parce parmi pas pendant peu peut peuvent plus plusieurs pour
        pourquoi qu quand que quel quelle quelles quels qui quoi s sa sans se selon ses si soit
        son sont sous sur t ta tant te tel telle telles tels tes toujours tous tout toute toutes
        très trop tu un une unes uns vers via voire vos votre vous y
        ai as avons avez sommes êtes suis était étaient étant sera seront serait seraient serons
        faire aujourd'hui aujourd’hui cependant également ensuite enfin notamment toutefois puis
        ici là déjà souvent assez beaucoup mieux quelque quelques chacun chacune afin""",
    "es": """a al algo alguna algunas alguno algunos ante antes así aun aunque cada como con contra
        cual cuales cuando de del desde donde dos durante e el ella ellas ellos en entre era es
        esa esas ese eso esos esta está están estas este esto estos fue fueron ha han hay la las
        le les lo los más mediante muy ni no nos nuestra nuestras nuestro nuestros o otra otras
        otro otros para pero poco por porque puede pueden que qué se según ser sin sobre son su
        sus también tan tanto tiene tienen toda todas todo todos tras u un una unas uno unos y
        ya""",
    "pt": """a à ao aos as às até com como da das de do dos e é ela elas ele eles em entre era
        essa esse esta está estão este eu foi foram há isso já mais mas muito na nas nem no nos
        não o os ou para pela pelas pelo pelos por qual quando que se sem ser seu seus sua suas
        são também tem têm um uma umas uns""",
    "it": """a ad agli ai al all alla alle anche che chi ci come con cui da dai dal dalla dalle
        degli dei del della delle dello di e è ed fra gli i il in la le lo loro ma nei nel nella
        nelle nello non o per più può possono questa queste questi questo quella quello si sia
        sono su sua sue sul sulla suo suoi tra un una uno""",
    "zh": """我们 本文 通过 进行 以及 并且 但是 因此 然而 所以 可以 能够 一个 一种 这些 这种 这个
        那些 其中 同时 对于 基于 由于 如何 目前 已经 主要 利用 使用 采用 提出 实现 表明 显示 发现
        具有 包括 之间 从而 进而 此外 另外 首先 其次 最后 然后 并且 或者 以及 以上 以下 所有 各种
        其他 没有 需要 可能 这样 如此 不仅 而且 虽然 尽管 为了 根据 针对 关于 以便 使得 得到 存在
        成为 作为 不同 相关 很多 更加 非常 造成 导致 呈现 获得 达到 提供 引入 证明 认为 取决 依赖 具备
        面临 涉及 旨在""",
    "de": """aber als am an auch auf aus bei bis da damit dann das dass dem den denen der des die
        dies diese diesem diesen dieser dieses doch durch ein eine einem einen einer eines es für
        gegen hat haben ihr ihre im in ist kann können man mit nach nicht noch nur oder ohne sich
        sie sind so sowie über um und uns unter vom von vor war waren was wenn werden wie wir
        wird wurde wurden zu zum zur zwischen""",
}.items()}

# Words that make a phrase generic (``topics.GENERIC``'s "paper", "method", "we propose", "new").
GENERIC: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in {
    "fr": """approche approches article bon bonne bonnes bons but cadre cas certain certaine
        certaines certains contribution contributions décrit décrivons deux différent
        différente différentes différents divers diverses efficace ensemble état étude études
        évaluation expérience expériences façon fois grand grande grandes grands important
        importante importantes importants manière meilleur meilleure meilleures meilleurs
        méthode méthodes méthodologie montre montrent montrons niveau niveaux nombre nouveau
        nouveaux nouvelle nouvelles objectif objectifs obtenons obtenu obtenus partie parties
        performance performances permet permettant permettent petit petite possible possibles
        premier première premières premiers présentons présenté présentée problème problèmes
        proposé proposée proposées proposés proposons question questions résultat résultats
        tâche tâches travail travaux trois type types utilisant utilisé utilisée utilisées
        utilisés basé basée basées basés""",
    "es": """análisis artículo basada basadas basado basados caso casos desempeño diferentes
        distintos dos enfoque enfoques estudio estudios evaluación experimentos forma manera
        método métodos mostramos nueva nuevas nuevo nuevos objetivo parte permite permiten
        presentamos primer primera problema problemas propuesta propuesto propuestos proponemos
        rendimiento resultado resultados tarea tareas tipo tipos trabajo trabajos tres usando
        utilizando varias varios""",
    "pt": """abordagem apresentamos artigo baseada baseado desempenho diferentes estudo método
        métodos mostramos nova novo permite problema propomos resultado resultados tarefa
        tarefas trabalho usando utilizando vários""",
    "it": """approccio articolo basata basato compiti compito diversi lavoro metodi metodo
        mostriamo nuova nuovo permette presentiamo prestazioni problema proponiamo risultati
        risultato studio utilizzando""",
    "de": """ansatz arbeit ergebnisse methode methoden neue neuen neuer studie vorgestellt zeigen
        zeigt""",
    "zh": """方法 研究 结果 实验 问题 任务 性能 工作 论文 效果 方面 领域 有效 显著 提高 提升 取得 优于
        较好 重要 作用 能力 新的""",
}.items()}

# Elided articles, pronouns and prepositions written onto the next word: "l’adaptation",
# "d’erreur", "dell’arte". They are stop words of their own: "taux d’erreur" is "taux", "erreur".
_ELISIONS = "c d j l m n s t qu jusqu lorsqu puisqu quoiqu dell all nell sull dall un".split()
_ELIDED = re.compile("(?:" + "|".join(_ELISIONS) + r")['’](?=[^\W_])", re.IGNORECASE)
_ELIDED_FORMS = frozenset(e + a for e in _ELISIONS for a in "'’")
for _lang in ("fr", "it"):
    STOP[_lang] = STOP[_lang] | _ELIDED_FORMS


ENGLISH = frozenset("the of and to in is are we this that for with on by".split())

_LANGUAGES_OF: dict[str, tuple[str, ...]] = {}
for _lang, _marks in MARKS.items():
    for _w in _marks:
        _LANGUAGES_OF[_w] = (*_LANGUAGES_OF.get(_w, ()), _lang)


def detect(tokens: Iterable[str], text: str = "") -> tuple[str, ...]:
    """The language besides English that ``tokens`` (an abstract's words, as written) are also
    in, as a 0- or 1-tuple: the one with the most marks, if it has enough (``MIN_MARKS``, and
    half as many as the abstract has of English's commonest words, or more); failing that,
    Chinese, told by the characters of ``text`` (``chinese``)."""
    words = tokens if isinstance(tokens, list) else list(tokens)
    found = [m for m in map(_LANGUAGES_OF.get, words) if m is not None]
    if len(found) < MIN_MARKS:  # an English abstract: one pass over its words
        return ("zh",) if chinese(text) else ()
    counts: dict[str, int] = {}
    for langs in found:
        for lang in langs:
            counts[lang] = counts.get(lang, 0) + 1
    lang = max(sorted(counts), key=counts.__getitem__)
    n = counts[lang]
    english = sum(map(ENGLISH.__contains__, words))
    if n >= MIN_MARKS and 2 * n >= english:
        return (lang,)
    return ("zh",) if chinese(text) else ()


# First person plural, the voice of abstracts ("proponemos", "presentiamo", "comparons"): a
# verb, whatever its stem, but for the nouns of the same ending ("questions", "comparaisons").
# French also writes it after "nous" ("nous étudions").
_WE_ENDINGS = {"es": ("amos", "emos", "imos"), "pt": ("amos", "emos", "imos"),
               "it": ("iamo",), "fr": ("ons",)}
_NOT_WE = {"fr": ("ions", "aisons", "çons")}
_WE = {"fr": frozenset({"nous"})}


def verbs(tokens: list[str], lang: str) -> list[bool]:
    """Which of a run's ``tokens`` are verbs in ``lang`` by their form or the word before."""
    endings, nouns, we = _WE_ENDINGS.get(lang), _NOT_WE.get(lang, ()), _WE.get(lang)
    out = []
    before = ""
    for t in tokens:
        out.append((endings is not None and len(t) > 5 and t.islower() and t.endswith(endings)
                    and not t.endswith(nouns)) or (we is not None and before in we))
        before = t.casefold()
    return out


def unelided(tokens: list[str]) -> list[str]:
    """``tokens`` with an elided word in front of one split off as a token of its own
    ("l’adaptation" -> "l’", "adaptation")."""
    out = []
    for t in tokens:
        m = _ELIDED.match(t)
        if m:
            out.append(t[:m.end()])
            t = t[m.end():]
        out.append(t)
    return out


# Chinese (the ACL Anthology's CCL lists: 151 abstracts of the corpora) is written without
# spaces: a run of Han characters was one token, and a topic a whole clause. It is cut into the
# words of wordfreq's Chinese table, by the likeliest sequence of them (a word at most
# ``HAN_WORD`` characters; a character the table lacks stands alone).
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_RUNS = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")
MIN_HAN = 20  # Han characters that make an abstract Chinese
HAN_WORD = 4
_UNKNOWN = math.log(1e-9)


def chinese(text: str) -> bool:
    """Whether ``text`` is (also) written in Chinese."""
    return not text.isascii() and len(_HAN.findall(text, 0, 2000)) >= MIN_HAN


def segmented(tokens: list[str], table: dict[str, float]) -> list[str]:
    """``tokens`` with each run of Han characters cut into words (``table``: word
    frequencies); other tokens, and the Latin parts of mixed ones ("XLM" in "基于XLM"), as
    they are."""
    out: list[str] = []
    for t in tokens:
        if t.isascii() or _HAN.search(t) is None:
            out.append(t)
            continue
        for part in _HAN_RUNS.split(t):
            if part:
                out += _words(part, table) if _HAN.match(part) else [part]
    return out


def _words(han: str, table: dict[str, float]) -> list[str]:
    """The likeliest cut of a run of Han characters into words of ``table``."""
    n = len(han)
    best = [0.0] + [-math.inf] * n
    back = [0] * (n + 1)
    for i in range(1, n + 1):
        for j in range(max(0, i - HAN_WORD), i):
            f = table.get(han[j:i])
            if f is None and i - j > 1:
                continue
            score = best[j] + (math.log(f) if f else _UNKNOWN)
            if score > best[i]:
                best[i], back[i] = score, j
    words = []
    i = n
    while i > 0:
        words.append(han[back[i]:i])
        i = back[i]
    return words[::-1]


def join(words: Iterable[str]) -> str:
    """Words as one phrase, as Chinese writes them: with spaces, but none next to a Han
    character ("机器翻译模型", "WMT数据")."""
    out = ""
    for w in words:
        if out and not (_HAN.match(w) or _HAN.match(out[-1])):
            out += " "
        out += w
    return out


def is_han(word: str) -> bool:
    """Whether ``word`` is written in Han characters only."""
    return _HAN_RUNS.fullmatch(word) is not None


def inside(part: str, whole: str) -> bool:
    """Whether ``part`` is a phrase inside ``whole`` where ``whole`` is Chinese, written without
    spaces: "机器翻译" and "WMT" are inside "WMT机器翻译", "MT" is not (it would cut a word)."""
    if _HAN.search(whole) is None:
        return False
    i = whole.find(part)
    while i >= 0:
        j = i + len(part)
        before = i == 0 or not whole[i - 1].isalnum() or _HAN.match(whole[i - 1]) \
            or _HAN.match(part[0])
        after = j == len(whole) or not whole[j].isalnum() or _HAN.match(whole[j]) \
            or _HAN.match(part[-1])
        if before and after:
            return True
        i = whole.find(part, i + 1)
    return False

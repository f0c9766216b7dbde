"""Reading reference files: BibTeX (bibtexparser), RIS (rispy) and CSL JSON (plain JSON).

Each reader turns a file's text into ``core.references.RefFile``: one ``Reference`` per entry
with its title, authors, year, venue, DOI, arXiv id and abstract on one line (LaTeX accents and
protective braces resolved, line wraps joined), and a ``RefProblem`` per entry or file it could
not read. Reading never raises on user input: a malformed entry is reported and skipped, the
rest of the file is kept.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from ..core.parse import decode, split_lines
from ..core.references import Reference, RefFile, RefProblem, find_arxiv, one_line
from . import scan

SUFFIXES = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".json": "csl"}
GLOBS = scan.REFERENCE_GLOBS

_YEAR = re.compile(r"\b(1[5-9]\d\d|2\d\d\d)\b")


def format_of(path: str | Path) -> str | None:
    return SUFFIXES.get(Path(path).suffix.lower())


# ----- LaTeX -------------------------------------------------------------------------------

_latex_text = None
_latex_keep_math = None

# What reference managers write in BibTeX text, resolved without a LaTeX parser: accents
# ({\'e}, \"u, \c{c}), escaped specials (50\%), dashes, ties and protective braces ({BERT}).
_ACCENT = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
           "=": "\u0304", ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306",
           "H": "\u030b", "k": "\u0328", "r": "\u030a"}
_ACCENTED = re.compile(r"\{?\\([\'`^\"~=.])\s*\{?\\?([A-Za-z])\}?\}?"
                       r"|\{?\\([cvuHkr])(?:\s+|\{)\\?([A-Za-z])\}?\}?")
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ",
            "oe": "œ", "OE": "Œ", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ"}
_LETTER = re.compile(r"\{?\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)(?![A-Za-z])\s*\}?")
_ESCAPE = re.compile(r"\\([%&_#$])")
_STYLE = re.compile(r"\\(?:text(?:it|bf|sc|tt|rm|sf|up|md|sl|normal)|emph|url|mbox|mathrm)\s*"
                    r"\{([^{}]*)\}")
_HREF = re.compile(r"\\href\s*\{[^{}]*\}\s*\{([^{}]*)\}")
_MATH = re.compile(r"\$[^$]*\$")
_COMMAND = re.compile(r"\\[A-Za-z@]+|\\.")


def _fast(value: str) -> str | None:
    """The text, or None when it holds LaTeX beyond what a reference manager writes."""
    import unicodedata  # noqa: PLC0415

    def accent(m: re.Match) -> str:
        mark, letter = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return unicodedata.normalize("NFC", letter + _ACCENT[mark])

    value = _ACCENTED.sub(accent, value)
    value = _LETTER.sub(lambda m: _LETTERS[m.group(1)], value)
    parts = []
    last = 0
    for m in _MATH.finditer(value):  # math stays as written, as the lists keep it
        parts.append((value[last:m.start()], False))
        parts.append((m.group(0), True))
        last = m.end()
    parts.append((value[last:], False))
    out = []
    for text, math in parts:
        if not math:
            text = _STYLE.sub(r"\1", _HREF.sub(r"\1", _ESCAPE.sub(r"\1", text)))
            text = text.replace("\\\\", " ")  # a forced line break
            if _COMMAND.search(text):
                return None
            text = (text.replace("---", "\u2014").replace("--", "\u2013").replace("~", " ")
                    .replace("``", "\u201c").replace("''", "\u201d")
                    .replace("{", "").replace("}", ""))
        out.append(text)
    return "".join(out)


def _delatex(value: str, keep_math: bool = False) -> str:
    """Accents (``M{\\"u}ller``), escapes (``50\\%``), text styles (``\\textsc{X}``) and
    protective braces (``{BERT}``) resolved; math (``$\\alpha$``) is kept as written, as the
    lists keep it. Only text with other LaTeX commands goes through pylatexenc (30 ms an
    abstract, where the rest takes microseconds)."""
    if "\\" not in value and "{" not in value and "--" not in value and "~" not in value:
        return one_line(value)
    fast = _fast(value)
    if fast is not None:
        return one_line(fast)
    global _latex_text, _latex_keep_math
    if _latex_text is None:
        from pylatexenc.latex2text import LatexNodes2Text  # noqa: PLC0415  (only .bib needs it)
        _latex_text = LatexNodes2Text(math_mode="text", strict_latex_spaces=True)
        _latex_keep_math = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)
    conv = _latex_keep_math if keep_math else _latex_text
    try:
        return one_line(conv.latex_to_text(value))  # type: ignore[union-attr]
    except Exception:  # pylatexenc gives up on some malformed input: keep the text as written
        return one_line(value.replace("{", "").replace("}", ""))


def _person(name: str) -> str:
    """ "Kaplan, Jared" -> "Jared Kaplan"; "Jared Kaplan" stays."""
    name = one_line(name)
    if name.count(",") == 1:
        family, given = (p.strip() for p in name.split(","))
        return f"{given} {family}".strip()
    if name.count(",") == 2:  # "von Last, Jr, First"
        family, jr, given = (p.strip() for p in name.split(","))
        return f"{given} {family} {jr}".strip()
    return name


def _year(*values: str) -> str:
    for v in values:
        m = _YEAR.search(v or "")
        if m:
            return m.group(1)
    return ""


def _doi(value: str) -> str:
    value = one_line(value)
    m = re.search(r"10\.\d{4,9}/\S+", value)
    return m.group(0).rstrip(".,;") if m else ""


# ----- BibTeX ------------------------------------------------------------------------------

def parse_bibtex(text: str) -> RefFile:
    import bibtexparser  # noqa: PLC0415  (loaded only when a workspace has a .bib file)

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # problems are ours to report
    try:
        library = bibtexparser.parse_string(text)
    except Exception as err:  # a file it cannot even split into blocks
        return RefFile("bibtex", (), (RefProblem(0, f"cannot read this BibTeX file: {err}",
                                                 "reference-file"),), tuple(split_lines(text)))
    entries: list[Reference] = []
    problems: list[RefProblem] = []
    for block in library.failed_blocks:
        line = max(0, (getattr(block, "start_line", 0) or 0))
        m = re.match(r"\s*@\w+\s*[{(]\s*([^,\s]+)", getattr(block, "raw", "") or "")
        key = getattr(block, "key", "") or (m.group(1) if m else "")
        err = getattr(block, "error", None)
        why = one_line(getattr(err, "abort_reason", "") or str(err or "") or "malformed entry")
        if "Duplicate" in type(block).__name__:
            why = f"the key {key} is used twice; this second entry is ignored"
        problems.append(RefProblem(line, f"BibTeX entry {key or ''} could not be read: "
                                         f"{why}".replace("entry  ", "entry ")))
    strings = {k.lower(): str(v.value) for k, v in library.strings_dict.items()}
    for n, e in enumerate(library.entries, 1):
        f = {k.lower(): _concat(str(v.value), strings) for k, v in e.fields_dict.items()}
        eprint = f.get("eprint", "") if "arxiv" in f.get("archiveprefix", f.get("eprinttype", "arxiv")).lower() else ""
        entries.append(Reference(
            key=e.key, title=_delatex(f.get("title", "")),
            authors=tuple(_person(_delatex(a)) for a in re.split(r"\s+and\s+", f.get("author", "")) if a.strip()),
            year=_year(f.get("year", ""), f.get("date", "")),
            venue=_delatex(f.get("journal") or f.get("booktitle") or f.get("journaltitle")
                           or f.get("howpublished") or f.get("publisher") or ""),
            doi=_doi(f.get("doi", "")),
            arxiv=find_arxiv(eprint, f.get("url", ""), f.get("doi", ""), f.get("journal", "")),
            url=one_line(f.get("url", "")),
            abstract=_delatex(f.get("abstract", ""), keep_math=True),
            line=max(0, e.start_line), number=n, kind=e.entry_type))
    if not entries and not problems and not strings and any(
            ln.strip() and not ln.lstrip().startswith("%") for ln in split_lines(text)):
        problems.append(RefProblem(0, "no BibTeX entry found (an entry starts with "
                                      "`@article{key,`)", "reference-file"))
    return RefFile("bibtex", tuple(entries), tuple(problems), tuple(split_lines(text)))


_MONTHS = {m: str(i) for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


def _concat(value: str, strings: dict[str, str]) -> str:
    """A BibTeX value joined with ``#`` (``arxiv # " 2107.03374"``) resolved: quoted and
    braced parts as written, bare words by their ``@string`` (bibtexparser leaves these)."""
    if "#" not in value:
        return value
    parts, depth, cur, quoted = [], 0, "", False
    for ch in value:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            quoted = not quoted
        if ch == "#" and depth == 0 and not quoted:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    parts.append(cur.strip())
    out = []
    for p in parts:
        if len(p) >= 2 and (p[0], p[-1]) in (('"', '"'), ("{", "}")):
            out.append(p[1:-1])
        else:
            out.append(strings.get(p.lower(), _MONTHS.get(p.lower()[:3], p)))
    return "".join(out)


# ----- RIS ---------------------------------------------------------------------------------

_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  -( |$)")


def parse_ris(text: str) -> RefFile:
    import rispy  # noqa: PLC0415

    lines = split_lines(text)
    problems: list[RefProblem] = []
    starts = [i for i, ln in enumerate(lines) if ln.startswith("TY  -")]
    # rispy reads an entry from TY to ER; a line inside one that is neither a tag nor a
    # continuation of the previous tag's value is the mark of a broken export.
    try:
        items = rispy.loads("\n".join(lines), skip_unknown_tags=False)
    except Exception as err:
        line = 0
        m = re.search(r"line (\d+)", str(err))
        if m:
            line = max(0, int(m.group(1)) - 1)
        return RefFile("ris", (), (RefProblem(line, f"cannot read this RIS file: {err}",
                                              "reference-file"),), tuple(lines))
    if not items and any(ln.strip() for ln in lines):
        problems.append(RefProblem(0, "no RIS entry found (an entry starts with `TY  - `)",
                                   "reference-file"))
    entries = []
    for n, it in enumerate(items, 1):
        line = starts[n - 1] if n - 1 < len(starts) else 0

        def get(*keys: str, it=it) -> str:
            for k in keys:
                v = it.get(k)
                if isinstance(v, list):
                    v = "; ".join(str(x) for x in v if x)
                if v:
                    return str(v)
            return ""

        authors = []
        for k in ("authors", "first_authors", "secondary_authors"):
            authors += [a for a in it.get(k, []) or [] if a]
            if authors:
                break
        urls = it.get("urls") or []
        url = urls[0] if isinstance(urls, list) and urls else get("url")
        abstract = get("abstract", "notes_abstract")
        if "type_of_reference" not in it:
            problems.append(RefProblem(line, f"RIS entry {n} has no `TY` line"))
        entries.append(Reference(
            key=get("id"), title=one_line(get("title", "primary_title", "translated_title")),
            authors=tuple(_person(a) for a in authors),
            year=_year(get("year"), get("publication_year"), get("date")),
            venue=one_line(get("journal_name", "secondary_title", "alternate_title3",
                               "alternate_title1", "publisher")),
            doi=_doi(get("doi")),
            arxiv=find_arxiv(url, get("doi"), get("journal_name", "secondary_title")),
            url=one_line(url), abstract=one_line(abstract), line=line, number=n,
            kind=get("type_of_reference")))
    return RefFile("ris", tuple(entries), tuple(problems), tuple(lines))


# ----- CSL JSON ----------------------------------------------------------------------------

def looks_like_csl(data: object) -> bool:
    """A CSL JSON export: a list of objects with an id or type and a title (Zotero, Better
    BibTeX, citeproc). Any other JSON file of the workspace (package.json...) is not one."""
    items = data if isinstance(data, list) else None
    if not items:
        return False
    head = [x for x in items[:20] if isinstance(x, dict)]
    return bool(head) and all(("id" in x or "type" in x) and ("title" in x or "abstract" in x)
                              for x in head)


def _item_lines(text: str, n: int) -> list[int]:
    """The line each item of a top-level JSON array starts on (0 when it cannot tell)."""
    dec = json.JSONDecoder()
    out: list[int] = []
    i = text.find("[") + 1
    line, counted = 0, 0
    try:
        while len(out) < n:
            while text[i] in " \t\r\n,":
                i += 1
            line += text.count("\n", counted, i)  # counted once, not from the start each time
            counted = i
            out.append(line)
            _, i = dec.raw_decode(text, i)
    except (ValueError, IndexError):
        pass
    return out + [0] * (n - len(out))


def parse_csl(text: str) -> RefFile | None:
    """None when the JSON is not CSL JSON (then it is not a reference file at all)."""
    lines = split_lines(text)
    try:
        data = json.loads(text)
    except RecursionError:
        return RefFile("csl", (), (RefProblem(0, "cannot read this JSON file: nested too deep",
                                              "reference-file"),), tuple(lines)) \
            if text.lstrip().startswith("[{") else None
    except ValueError as err:
        if not text.lstrip().startswith("[{"):
            return None  # not even shaped like an export
        line = getattr(err, "lineno", 1) - 1
        return RefFile("csl", (), (RefProblem(max(0, line), f"cannot read this CSL JSON file: {err}",
                                              "reference-file"),), tuple(lines))
    if not looks_like_csl(data):
        return None
    starts = _item_lines(text, len(data))  # type: ignore[arg-type]
    entries, problems = [], []
    for n, it in enumerate(data, 1):  # type: ignore[arg-type]
        line = starts[n - 1]
        if not isinstance(it, dict):
            problems.append(RefProblem(line, f"CSL JSON item {n} is not an object"))
            continue

        def s(k: str, it=it) -> str:
            v = it.get(k, "")
            return one_line(v) if isinstance(v, str) else one_line(str(v)) if isinstance(v, int | float) else ""

        authors = []
        for a in it.get("author", []) or []:
            if isinstance(a, dict):
                name = a.get("literal") or " ".join(
                    str(a[k]) for k in ("given", "non-dropping-particle", "family") if a.get(k))
                if name:
                    authors.append(one_line(name))
        issued = it.get("issued") or {}
        parts = issued.get("date-parts") if isinstance(issued, dict) else None
        year = str(parts[0][0]) if parts and parts[0] and parts[0][0] else \
            _year(issued.get("raw", "") if isinstance(issued, dict) else "", s("year"))
        entries.append(Reference(
            key=s("id") or s("citation-key"), title=s("title"), authors=tuple(authors), year=year,
            venue=s("container-title") or s("publisher"), doi=_doi(s("DOI")),
            arxiv=find_arxiv(s("URL"), s("DOI"), s("number"), s("archive_location")),
            url=s("URL"), abstract=s("abstract"), line=line, number=n, kind=s("type")))
    return RefFile("csl", tuple(entries), tuple(problems), tuple(lines))


# ----- files -------------------------------------------------------------------------------

def parse_text(fmt: str, text: str) -> RefFile | None:
    if fmt == "bibtex":
        return parse_bibtex(text)
    if fmt == "ris":
        return parse_ris(text)
    return parse_csl(text)


def read_file(path: Path, max_bytes: int) -> RefFile | None:
    """Read one reference file; None when it is not one (a JSON file that is not CSL JSON).
    A file that cannot be read is a ``RefFile`` with no entries and the reason."""
    fmt = format_of(path)
    if fmt is None:
        return None
    try:
        size = path.stat().st_size
        if size > max_bytes:
            if fmt == "csl":
                return None  # a big JSON file is far more likely data than references
            return RefFile(fmt, (), (RefProblem(
                0, f"skipped: {size / 1e6:.1f} MB is over the size limit ({max_bytes / 1e6:.0f} "
                   "MB, setting paperls.index.maxFileSizeMB)", "reference-file"),))
        data = path.read_bytes()
    except OSError as err:
        return RefFile(fmt, (), (RefProblem(0, f"cannot read: {err.strerror or err}",
                                            "reference-file"),))
    d = decode(data)
    if d.problem is not None and not d.text:
        return None if fmt == "csl" else RefFile(fmt, (), (RefProblem(
            0, "this looks like a binary file, not a reference file", "reference-file"),))
    text = d.text[1:] if d.text.startswith("\ufeff") else d.text
    try:
        got = parse_text(fmt, text)
    except Exception as err:  # a parser's own fault on odd input: report it, never crash a scan
        return RefFile(fmt, (), (RefProblem(0, f"cannot read: {type(err).__name__}: {err}",
                                            "reference-file"),), tuple(split_lines(text)))
    if got is not None and d.problem is not None:
        got = RefFile(got.fmt, got.entries, (RefProblem(
            d.problem.line, "invalid UTF-8: shown as U+FFFD; save the file as UTF-8",
            "reference-file"), *got.problems), got.lines)
    return got


def find_files(roots: list[Path], exclude: list[str],
               warn: Callable[[str], None], max_bytes: int) -> Iterator[tuple[Path, RefFile]]:
    """Every reference file under ``roots`` with what it holds."""
    for p in scan.iter_candidates(roots, GLOBS, exclude, warn):
        if format_of(p) is None:
            continue  # a root named directly that is a list, not a reference file
        got = read_file(p, max_bytes)
        if got is not None:
            yield p, got

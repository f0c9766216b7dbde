"""Parsing of abstract-list files: bytes or text in, lines classified, problems as values.

Owns the format of ``spec/abstract-list-format.md``: the header, ``Abstract:`` lines, blanks and
malformed lines, line endings, the byte-order mark and undecodable input.

Invariant: parsing never raises on user input and never drops a line; every line of the input
appears in ``ParsedList.lines`` (without its line ending), so ranges can be computed on it.
Columns are code points (Python string indices).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

PREFIX = "Abstract:"

# A prefix that is clearly meant as `Abstract:` but is written another way: other casing,
# spaces before the colon, or indentation. Group 1 is the prefix as written.
_LOOSE_PREFIX = re.compile(r"^(\s*abstract\s*:)", re.IGNORECASE)
# A line that ends where an abstract (or a sentence) can end.
_SENTENCE_END = re.compile(r"""[.!?)\]"'”’`]\s*$""")
# Line separators Python's str.splitlines honours but the format does not: they stay inside a line.
LINE_BREAK = re.compile(r"\r\n|\n|\r")


class ProblemCode(str, Enum):
    """Stable codes of format problems (they are also the diagnostic codes)."""

    MISSING_PREFIX = "missing-prefix"
    MISCASED_PREFIX = "miscased-prefix"
    EMPTY_ABSTRACT = "empty-abstract"
    WRAPPED_LINE = "wrapped-line"
    INVALID_UTF8 = "invalid-utf8"
    BINARY_FILE = "binary-file"


@dataclass(frozen=True, slots=True)
class Problem:
    """A format problem on one line; ``start``/``end`` are code-point columns."""

    line: int
    start: int
    end: int
    code: ProblemCode
    message: str


@dataclass(frozen=True, slots=True)
class Abstract:
    """One abstract: its 0-based line and the code-point columns of its text on that line.

    It keeps a reference to its line rather than a copy of the text: a workspace of 100k
    abstracts would otherwise hold every abstract twice.
    """

    line: int
    start: int
    end: int
    source: str  # the whole line
    prefix_ok: bool = True

    @property
    def text(self) -> str:
        return self.source[self.start:self.end]


@dataclass(frozen=True, slots=True)
class ParsedList:
    """A parsed abstract list. ``lines`` holds every line without its ending."""

    lines: tuple[str, ...]
    header: str | None
    abstracts: tuple[Abstract, ...]
    problems: tuple[Problem, ...] = field(default=())

    def abstract_at(self, line: int) -> Abstract | None:
        for a in self.abstracts:
            if a.line == line:
                return a
        return None

    @property
    def is_abstract_list(self) -> bool:
        """Whether the file looks like an abstract list at all (the workspace scan uses this)."""
        return any(a.prefix_ok for a in self.abstracts)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, with the problem that decoding found (if any)."""

    text: str
    problem: Problem | None = None


def decode(data: bytes) -> Decoded:
    """Decode file bytes as UTF-8 without ever failing.

    A NUL byte marks a binary file: its text is not indexed (an empty text is returned) so that a
    stray binary with a ``.txt`` name is reported, not matched. Invalid UTF-8 is decoded with
    replacement characters and reported on the first bad line, so no line is lost from view.
    """
    if b"\x00" in data:
        return Decoded(
            "",
            Problem(0, 0, 0, ProblemCode.BINARY_FILE,
                    "This looks like a binary file (it contains NUL bytes); it is not indexed."),
        )
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        text = data.decode("utf-8", errors="replace")
        line = data.count(b"\n", 0, err.start)
        line_start = data.rfind(b"\n", 0, err.start) + 1
        col = len(data[line_start:err.start].decode("utf-8", errors="replace"))
        if line == 0 and text.startswith("\ufeff"):
            col -= 1
        return Decoded(
            text,
            Problem(line, max(col, 0), max(col, 0) + 1, ProblemCode.INVALID_UTF8,
                    f"Invalid UTF-8 at byte {err.start}: shown as U+FFFD; save the file as UTF-8."),
        )


def split_lines(text: str) -> list[str]:
    """Split on LF, CRLF or CR only (not on U+2028 and friends, which the format keeps in a line)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" not in text:
        return text.split("\n")  # the common case, many times faster than the regex
    return LINE_BREAK.split(text)


def parse(text: str) -> ParsedList:
    """Parse the text of an abstract list. Never raises."""
    lines = split_lines(text)
    return parse_lines(lines)


def parse_lines(lines: list[str] | tuple[str, ...]) -> ParsedList:
    abstracts: list[Abstract] = []
    problems: list[Problem] = []
    header: str | None = None
    first = 0
    if lines and not _LOOSE_PREFIX.match(lines[0]):
        header = lines[0].strip() or None
        first = 1
    prev_kind = "header"  # what the previous non-blank line was: header, abstract, malformed
    prev_text = ""
    for no in range(first, len(lines)):
        raw = lines[no]
        if raw.startswith(PREFIX):
            start = len(PREFIX)
            if raw.startswith(" ", start):
                start += 1  # one space after the colon is tolerated and not part of the text
            # Most lines end in a letter or a full stop: no stripped copy of a 1.3 kB line
            end = len(raw) if not raw[-1:].isspace() else len(raw.rstrip())
            if end <= start:
                problems.append(Problem(no, 0, len(raw), ProblemCode.EMPTY_ABSTRACT,
                                        "Empty abstract: `Abstract:` with no text after it."))
                prev_kind, prev_text = "malformed", ""
                continue
            abstracts.append(Abstract(no, start, end, raw))
            prev_kind, prev_text = "abstract", raw
            continue
        if not raw.strip():
            continue
        loose = _LOOSE_PREFIX.match(raw)
        if loose:
            written = loose.group(1)
            start = len(written)
            if raw.startswith(" ", start):
                start += 1
            end = len(raw.rstrip())
            if end <= start:
                problems.append(Problem(no, 0, len(raw), ProblemCode.EMPTY_ABSTRACT,
                                        "Empty abstract: the line has a prefix and no text."))
                prev_kind, prev_text = "malformed", ""
                continue
            problems.append(Problem(
                no, 0, len(written), ProblemCode.MISCASED_PREFIX,
                f"Prefix written `{written.strip()}`: the format expects exactly `Abstract:`.",
            ))
            # Clearly meant as an abstract: index it so its duplicates are still found.
            abstracts.append(Abstract(no, start, end, raw, prefix_ok=False))
            prev_kind, prev_text = "abstract", raw
            continue
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        end = lead + len(stripped)
        if prev_kind == "abstract" and _looks_like_tail(prev_text, stripped):
            problems.append(Problem(
                no, lead, end, ProblemCode.WRAPPED_LINE,
                "This line looks like the wrapped tail of the abstract above: "
                "an abstract must stay on one line.",
            ))
        else:
            problems.append(Problem(
                no, lead, end, ProblemCode.MISSING_PREFIX,
                "Line without the `Abstract:` prefix: it is not indexed as an abstract.",
            ))
        prev_kind, prev_text = "malformed", stripped
    return ParsedList(tuple(lines), header, tuple(abstracts), tuple(problems))


def _looks_like_tail(prev_text: str, line: str) -> bool:
    """A continuation: the abstract above stops mid-sentence, or this line starts lower-case."""
    first = line[:1]
    if first.islower() or first in ",;:)]}%-–—":
        return True
    return not _SENTENCE_END.search(prev_text)

"""The format: every line classified, problems as values, nothing lost."""

import pytest

from conftest import TONY_A, example_text
from paperls.core.parse import ProblemCode, decode, parse


def test_reference_list_parses_whole():
    p = parse(example_text(TONY_A))
    assert p.header == "Tony"
    assert len(p.abstracts) == 10
    assert p.problems == ()
    assert p.abstracts[0].line == 1 and p.abstracts[0].start == len("Abstract:")
    assert p.abstracts[0].text.startswith("GPT-4o is an autoregressive omni model")


@pytest.mark.parametrize("text, header, abstracts, codes", [
    ("", None, 0, []),
    ("Tony", "Tony", 0, []),
    ("Abstract:First line is an abstract.", None, 1, []),
    ("\ufeffTony\r\nAbstract:CRLF and a BOM.\r\n", "Tony", 1, []),
    ("Tony\nAbstract: One space is tolerated.", "Tony", 1, []),
    ("Tony\n\nAbstract:Blank lines are ignored.\n\n", "Tony", 1, []),
    ("Tony\nabstract:Lower-case prefix.", "Tony", 1, [ProblemCode.MISCASED_PREFIX]),
    ("Tony\nABSTRACT :Shouting.", "Tony", 1, [ProblemCode.MISCASED_PREFIX]),
    ("Tony\nAbstract:", "Tony", 0, [ProblemCode.EMPTY_ABSTRACT]),
    ("Tony\nAbstract:   ", "Tony", 0, [ProblemCode.EMPTY_ABSTRACT]),
    ("Tony\nWe study things. This lost its prefix.", "Tony", 0, [ProblemCode.MISSING_PREFIX]),
    ("Tony\nAbstract:We study things and\nthe tail wrapped here.", "Tony", 1,
     [ProblemCode.WRAPPED_LINE]),
    ("Tony\nAbstract:A full sentence.\nAnother paper without prefix.", "Tony", 1,
     [ProblemCode.MISSING_PREFIX]),
])
def test_lines_are_classified(text, header, abstracts, codes):
    p = parse(text)
    assert p.header == header
    assert len(p.abstracts) == abstracts
    assert [x.code for x in p.problems] == codes


def test_problem_ranges_cover_the_offending_text():
    p = parse("Tony\n  stray line  \nabstract:x y")
    missing, miscased = p.problems
    assert (missing.line, missing.start, missing.end) == (1, 2, 12)
    assert (miscased.line, miscased.start, miscased.end) == (2, 0, 9)


def test_no_line_is_lost():
    text = "H\nAbstract:a\n\nstray\r\nabstract:b\rAbstract:\n\u2028inside\nlast"
    p = parse(text)
    assert len(p.lines) == 8
    assert "\u2028inside" in p.lines  # U+2028 is not a line break in this format


def test_decode_reports_invalid_utf8_on_its_line():
    d = decode("Tony\nAbstract:caf\xe9 ok\n".encode("latin-1"))
    assert "\ufffd" in d.text
    assert d.problem.code == ProblemCode.INVALID_UTF8
    assert (d.problem.line, d.problem.start) == (1, len("Abstract:caf"))


def test_decode_refuses_binary():
    d = decode(b"Abstract:x\x00\x01\x02")
    assert d.text == "" and d.problem.code == ProblemCode.BINARY_FILE

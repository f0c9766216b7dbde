"""`paperls check --fix`: duplicates inside a list removed, prefixes fixed, nothing else lost."""

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import TONY_A, example_text
from paperls.cli import main
from paperls.core.fixes import fix_text, split_keep_ends
from paperls.core.normalize import normalize
from paperls.core.parse import parse


def abstracts(text):
    return {normalize(a.text) for a in parse(text).abstracts}


def test_duplicate_removed_and_prefix_fixed_keeping_line_endings():
    text = "Tony\r\nAbstract:First paper.\r\nabstract:Second paper.\r\nstray line\r\nAbstract: First paper.\r\n"
    new, changes = fix_text(text)
    assert new == "Tony\r\nAbstract:First paper.\r\nAbstract:Second paper.\r\nstray line\r\n"
    assert [c.line for c in changes] == [2, 4]


def test_last_line_without_newline():
    new, _ = fix_text("T\nAbstract:a b c\nAbstract:A  B c")
    assert new == "T\nAbstract:a b c"


def test_nothing_to_fix_is_untouched():
    text = example_text(TONY_A)
    assert fix_text(text) == (text, [])


LINES = st.sampled_from(["Abstract:one", "Abstract:two", "abstract:two", "ABSTRACT:three",
                         "Abstract: one", "", "stray", "Abstract:🧬 four", "  Abstract:five"])


@settings(max_examples=200)
@given(st.lists(LINES, max_size=10), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_fix_keeps_every_distinct_abstract_and_every_other_line(lines, nl, final):
    text = "Curator" + nl + nl.join(lines) + (nl if final else "")
    new, changes = fix_text(text)
    assert abstracts(new) == abstracts(text)
    assert len(parse(new).abstracts) == len(abstracts(text))  # exactly one copy of each
    def others(t):
        return sorted(ln for ln, _ in split_keep_ends(t)
                      if not ln.lower().lstrip().startswith("abstract"))

    assert others(new) == others(text)  # every other line kept
    assert fix_text(new)[1] == []  # idempotent


def test_check_fix_writes_atomically_with_a_backup(tmp_path, capsys):
    f = tmp_path / "list.txt"
    f.write_text("Me\nAbstract:same text here\nabstract:other\nAbstract:same text here\n")
    assert main(["check", str(tmp_path), "--fix", "--no-cache", "--fail-on", "never"]) == 0
    assert f.read_text() == "Me\nAbstract:same text here\nAbstract:other\n"
    assert (tmp_path / "list.txt.bak").read_text().count("same text here") == 2
    out = capsys.readouterr().out
    assert "line 4: removed an exact copy of line 2" in out
    assert "line 3: wrote the prefix" in out


def test_check_fix_never_touches_undecodable_files(tmp_path, capsys):
    f = tmp_path / "latin.txt"
    data = "Me\nAbstract:caf\xe9\nAbstract:caf\xe9\n".encode("latin-1")
    f.write_bytes(data)
    main(["check", str(tmp_path), "--fix", "--no-cache", "--fail-on", "never"])
    assert f.read_bytes() == data
    assert "not fixed" in capsys.readouterr().err

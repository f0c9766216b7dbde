"""`paperls check --fix`: every lossless fix (prefixes, wrapped tails, empty abstracts, exact
copies inside a list), and never a lost word."""

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import TONY_A, example_text
from paperls.cli import main
from paperls.core.fixes import fix_text
from paperls.core.normalize import normalize
from paperls.core.parse import parse


def abstracts(text):
    return {normalize(a.text) for a in parse(text).abstracts}


def test_duplicate_removed_and_prefix_fixed_keeping_line_endings():
    text = "Tony\r\nAbstract:First paper.\r\nabstract:Second paper.\r\nstray line\r\nAbstract: First paper.\r\n"
    new, changes = fix_text(text)
    # "stray line" starts in lower case after an abstract: the wrapped tail of line 3.
    assert new == "Tony\r\nAbstract:First paper.\r\nAbstract:Second paper. stray line\r\n"
    assert [(c.line, c.what.split()[0]) for c in changes] == [(2, "wrote"), (3, "joined"),
                                                              (4, "removed")]
    new, changes = fix_text("T\nAbstract:One.\n\nA line of its own.\n")
    assert new == "T\nAbstract:One.\n\nAbstract:A line of its own.\n"
    assert [c.what for c in changes] == ["added the `Abstract:` prefix"]


def test_wrapped_tail_joined_and_empty_abstract_removed():
    text = "T\nAbstract:A study of\nlong lines that wrap.\nAbstract:\nAbstract:Other.\n"
    new, changes = fix_text(text)
    assert new == "T\nAbstract:A study of long lines that wrap.\nAbstract:Other.\n"
    assert [c.what for c in changes] == [
        "joined this wrapped line to the abstract on line 2", "removed an empty abstract"]
    assert fix_text(new) == (new, [])


def test_a_joined_tail_that_makes_an_exact_copy_is_removed_too():
    text = "T\nAbstract:Same words here.\nAbstract:Same words\nhere.\n"
    new, _ = fix_text(text)
    assert new == "T\nAbstract:Same words here.\n"


def test_last_line_without_newline():
    new, _ = fix_text("T\nAbstract:a b c\nAbstract:A  B c")
    assert new == "T\nAbstract:a b c"


def test_nothing_to_fix_is_untouched():
    text = example_text(TONY_A)
    assert fix_text(text) == (text, [])


LINES = st.sampled_from(["Abstract:one", "Abstract:two", "abstract:two", "ABSTRACT:three",
                         "Abstract: one", "", "stray", "Abstract:🧬 four", "  Abstract:five"])


def words(text):
    """Every word of the text but the prefixes (what a fix must never lose)."""
    out = set()
    for line in text.splitlines():
        body = line.split(":", 1)[1] if line.lower().lstrip().startswith("abstract:") else line
        out |= set(body.split())
    return out


@settings(max_examples=200)
@given(st.lists(LINES, max_size=10), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_fix_keeps_every_distinct_abstract_and_every_word(lines, nl, final):
    text = "Curator" + nl + nl.join(lines) + (nl if final else "")
    new, changes = fix_text(text)
    assert words(new) == words(text)  # no word lost
    # Each distinct abstract is still there (a wrapped tail may have extended it), once.
    after = [normalize(a.text) for a in parse(new).abstracts]
    assert len(after) == len(set(after))
    assert all(any(n.startswith(b) or b in n for n in after) for b in abstracts(text))
    assert not [p for p in parse(new).problems]  # every format problem had a fix
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

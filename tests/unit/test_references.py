"""Reference files (BibTeX, RIS, CSL JSON): reading them, linking their entries to the lists'
abstracts, and what a curator then sees (hover, findings, outline, definition, check, import).

The fixtures in tests/fixtures/references/ were written by hand from the examples' papers, with
their real titles and ids: a .bib with @string macros, a ``#`` concatenation, braces and accents
in titles and names, LaTeX escapes, wrapped abstracts, a truncated abstract, a malformed entry
and an entry without an abstract; an RIS export with CRLF line ends, wrapped abstracts and a
revised abstract; a CSL JSON export as Zotero writes it.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, TONY_A, TONY_B, example_text
from paperls.cli import main
from paperls.core.parse import parse
from paperls.features import diagnostics, hover, matching, outline
from paperls.features.papers import paper_title, papers
from paperls.host import references
from paperls.host.loader import load

REFS = ROOT / "tests" / "fixtures" / "references"


def abstract(name: str, line: int) -> str:
    """The text of the abstract on 0-based ``line`` of an example list."""
    return example_text(name).splitlines()[line][len("Abstract:"):]


@pytest.fixture
def shelf(workspace: Path) -> Path:
    """The example lists with the three reference files beside them."""
    for f in REFS.iterdir():
        shutil.copyfile(f, workspace / f.name)
    return workspace


def loaded(root: Path):
    ws, _ = load([root], ["**/*.txt"], [], 10**7, 0.8, lambda m: None)
    return ws


# ----- reading -----------------------------------------------------------------------------

def test_bibtex_resolves_macros_braces_accents_escapes_and_wrapped_lines():
    got = references.read_file(REFS / "library.bib", 10**7)
    by_key = {e.key: e for e in got.entries}
    assert sorted(by_key) == ["chen2021codex", "gao2024sparse", "goodfellow2016deep",
                              "henighan2020scaling", "radford2021clip"]
    codex = by_key["chen2021codex"]
    assert codex.title == "Evaluating Large Language Models Trained on Code"
    assert codex.venue == "arXiv preprint arXiv:2107.03374"  # @string # "..." joined
    assert codex.arxiv == "2107.03374" and codex.year == "2021"
    # \% resolved and the wrapped lines joined: the very text of the example list's line.
    assert codex.abstract == abstract(TONY_A, 7)
    assert by_key["radford2021clip"].venue.startswith("Proceedings of the 38th International")
    sae = by_key["gao2024sparse"]
    assert sae.title == "Scaling and Evaluating Sparse Autoencoders"  # {Sparse} unbraced
    assert sae.authors[1] == "Tom Dupré la Tour"  # Dupr{\'e} la Tour, Tom
    assert by_key["goodfellow2016deep"].abstract == ""
    assert codex.line == 4 and by_key["goodfellow2016deep"].line == 99  # 0-based entry lines
    [problem] = got.problems
    assert problem.line == 95 and "broken2021" in problem.message
    assert "closing" in problem.message  # what is wrong, in the parser's words


def test_ris_with_crlf_and_wrapped_abstracts():
    got = references.read_file(REFS / "search.ris", 10**7)
    assert [e.title for e in got.entries] == [
        "GPT-4o System Card", "Robust Speech Recognition via Large-Scale Weak Supervision",
        "Text and Code Embeddings by Contrastive Pre-Training", "Attention Is All You Need"]
    gpt4o, whisper, _, attention = got.entries
    assert gpt4o.abstract == abstract(TONY_A, 1)
    assert "\r" not in gpt4o.abstract and gpt4o.doi == "10.48550/arXiv.2410.21276"
    assert gpt4o.authors == ("Aaron Hurst", "Adam Lerer", "Adam P. Goucher")
    assert whisper.arxiv == "2212.04356"
    assert attention.abstract == "" and not got.problems
    assert [e.line for e in got.entries][:2] == [0, 31]
    assert gpt4o.cite == "entry 1"  # an RIS export without ID tags


def test_csl_json_items_and_their_lines():
    got = references.read_file(REFS / "zotero.json", 10**7)
    dalle, mup, gpt3, o1 = got.entries
    assert dalle.title == "Zero-Shot Text-to-Image Generation" and dalle.year == "2021"
    assert dalle.arxiv == "2102.12092" and dalle.cite == "@ramesh2021zero"
    assert mup.doi == "10.48550/arXiv.2203.03466"
    assert o1.authors == ("OpenAI",) and o1.abstract == ""
    lines = (REFS / "zotero.json").read_text().splitlines()
    assert all(lines[e.line].strip() == "{" for e in got.entries)
    assert lines[gpt3.line + 1].strip() == '"id": "brown2020language",'


def test_a_json_file_that_is_not_csl_is_not_a_reference_file(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1"}')
    (tmp_path / "data.json").write_text('[1, 2, 3]')
    assert references.read_file(tmp_path / "package.json", 10**7) is None
    assert references.read_file(tmp_path / "data.json", 10**7) is None


@pytest.mark.parametrize("name,data,expect", [
    ("empty.bib", b"", None),
    ("binary.bib", b"\x00\x01\x02@article{x,", "binary file"),
    ("latin1.ris", "TY  - JOUR\nTI  - Caf\xe9\nAB  - An abstract.\nER  - \n".encode("latin-1"),
     "invalid UTF-8"),
    ("cut.json", b'[{"id": "a", "title": "T", "abstract": "x"', "cannot read this CSL JSON"),
    ("garbage.ris", b"this is not RIS at all\n", "no RIS entry"),
    ("braces.bib", b"{" * 100_000, "no BibTeX entry found"),
    ("deep.json", b'[{"a": ' * 50_000, "nested too deep"),
])
def test_bad_reference_files_are_reported_not_raised(tmp_path, name, data, expect):
    (tmp_path / name).write_bytes(data)
    got = references.read_file(tmp_path / name, 10**7)
    messages = [p.message for p in got.problems]
    if expect is None:
        assert got.entries == () and messages == []
    else:
        assert any(expect in m for m in messages), messages
    if name == "latin1.ris":
        assert got.entries[0].title == "Caf\ufffd"  # kept, with the bad byte shown


def test_a_10_mb_abstract_is_read_whole(tmp_path):
    (tmp_path / "long.bib").write_text("@article{a, title={T}, abstract={" + "word " * 2_000_000
                                       + "}}\n")
    [entry] = references.read_file(tmp_path / "long.bib", 10**8).entries
    assert len(entry.abstract) == 10_000_000 - 1


def test_a_huge_reference_file_is_skipped_with_its_reason(tmp_path):
    (tmp_path / "big.bib").write_text("@misc{a, title={x}}\n" * 1000)
    got = references.read_file(tmp_path / "big.bib", 1000)
    assert got.entries == () and "over the size limit" in got.problems[0].message


# ----- linking -----------------------------------------------------------------------------

EXPECTED = {  # (list, 0-based line) -> (entry, exact)
    (TONY_A, 1): ("entry 1", True), (TONY_A, 2): ("@gao2024sparse", True),
    (TONY_A, 3): ("entry 2", True), (TONY_A, 4): ("entry 3", False),  # revised in the RIS
    (TONY_A, 7): ("@chen2021codex", True), (TONY_A, 8): ("@ramesh2021zero", True),
    (TONY_A, 9): ("@radford2021clip", True),
    (TONY_A, 10): ("@henighan2020scaling", False),  # the .bib holds its first 70 words
    (TONY_B, 2): ("entry 1", True), (TONY_B, 3): ("@yang2022tensor", True),
    (TONY_B, 4): ("@chen2021codex", True), (TONY_B, 5): ("@henighan2020scaling", False),
    (TONY_B, 6): ("@brown2020language", True),
}


def test_every_abstract_an_entry_has_is_linked_and_no_other(shelf):
    ws = loaded(shelf)
    got = {}
    for doc, d in ws.index.docs.items():
        for a in d.parsed.abstracts:
            for x in ws.references_of(doc, a.line):
                got[(Path(doc).name, a.line)] = (x.ref.cite, x.exact)
    assert got == EXPECTED  # the NMT, CLIP-evaluation, o1 and random-projection papers: none


def test_the_real_title_names_the_paper_everywhere(shelf):
    ws = loaded(shelf)
    a_doc = str(shelf / TONY_A)
    d = ws.index.document(a_doc)
    codex = d.parsed.abstract_at(7)
    assert paper_title(ws, a_doc, codex) == "Evaluating Large Language Models Trained on Code"
    names = [s.name for s in outline.outline(ws, a_doc)[0].children]
    assert names[8] == "Learning Transferable Visual Models From Natural Language Supervision"
    assert "·" in names[4]  # the NMT paper has no entry: its topics name it
    h = hover.hover(ws, a_doc, 7, 5).markdown
    assert h.startswith("### Evaluating Large Language Models Trained on Code")
    assert "Mark Chen, Jerry Tworek, Heewoo Jun et al. (7 authors) · 2021" in h
    assert "[arXiv:2107.03374](https://arxiv.org/abs/2107.03374)" in h
    assert "`@chen2021codex` in `" in h and "library.bib`, line 5" in h
    h = hover.hover(ws, a_doc, 1, 5).markdown
    assert "[doi:10.48550/arXiv.2410.21276](https://doi.org/10.48550/arXiv.2410.21276)" in h
    assert "(100% similar)" not in h
    h = hover.hover(ws, a_doc, 4, 5).markdown  # the revised version in the RIS file
    assert h.startswith("### Text and Code Embeddings by Contrastive Pre-Training")
    assert "`entry 3` in `" in h and "% similar)" in h
    found = {p.title for p in papers(ws)}
    assert "Scaling Laws for Autoregressive Generative Modeling" in found


def test_findings_say_which_entry_the_paper_is(shelf):
    ws = loaded(shelf)
    a_doc = str(shelf / TONY_A)
    by_line = {d.line: d for d in diagnostics.document_diagnostics(ws, a_doc)}
    codex = by_line[7]
    assert codex.message.startswith("Evaluating Large Language Models Trained on Code: also in ")
    assert codex.message.endswith(f"; in {shelf / 'library.bib'} as @chen2021codex")
    entry = [r for r in codex.related if r.doc.endswith("library.bib")]
    assert [(r.line, r.message) for r in entry] == [(4, "reference entry @chen2021codex")]
    bib = diagnostics.document_diagnostics(ws, str(shelf / "library.bib"))
    assert [(d.line, d.code) for d in bib] == [(95, "reference-entry")]


def test_definition_reaches_the_entry_after_the_other_copies(shelf):
    ws = loaded(shelf)
    got = matching.definition(ws, str(shelf / TONY_A), 7)
    assert [(Path(t.doc).name, t.line) for t in got] == [(TONY_B, 4), ("library.bib", 4)]
    assert matching.title_of(ws, got[1]) == \
        "Evaluating Large Language Models Trained on Code (@chen2021codex)"


def test_links_follow_changes_of_the_reference_files_and_the_lists(shelf):
    ws = loaded(shelf)
    a_doc = str(shelf / TONY_A)
    assert ws.references_of(a_doc, 7)
    bib = str(shelf / "library.bib")
    ws.refs.remove_file(bib)
    assert ws.references_of(a_doc, 7) == ()
    ws.refs.set_file(bib, references.read_file(shelf / "library.bib", 10**7))
    assert ws.references_of(a_doc, 7)[0].ref.key == "chen2021codex"
    # The list's Codex line is rewritten into another paper: its link goes with it.
    lines = example_text(TONY_A).splitlines()
    lines[7] = "Abstract:" + " ".join(["An unrelated paper about ocean currents."] * 6)
    ws.set_document(a_doc, parse("\n".join(lines)))
    assert ws.references_of(a_doc, 7) == ()
    assert ws.references_of(str(shelf / TONY_B), 4)[0].ref.key == "chen2021codex"


def test_a_workspace_without_reference_files_reads_none(workspace):
    ws = loaded(workspace)
    assert ws.refs.files == {} and ws.references_of(str(workspace / TONY_A), 7) == ()


# ----- the command line --------------------------------------------------------------------

def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()


def test_check_names_papers_by_their_entries(shelf):
    code, out = run("check", str(shelf), "--no-cache", "--fail-on", "never")
    assert code == 0
    assert "Evaluating Large Language Models Trained on Code\n" in out
    assert "  = @chen2021codex in " in out and "arXiv:2107.03374" in out
    assert "library.bib:96:1: warning: BibTeX entry broken2021 could not be read" in out
    assert "3 reference files (13 entries, 10 with an abstract, 10 in the lists)" in out
    _, out = run("check", str(shelf), "--no-cache", "--format", "json", "--fail-on", "never")
    codex = [f for f in json.loads(out) if f["line"] == 8 and f["path"].endswith(TONY_A)]
    assert codex[0]["reference"]["key"] == "chen2021codex"


def test_check_csv_has_a_row_per_copy(shelf):
    _, out = run("check", str(shelf), "--no-cache", "--format", "csv", "--fail-on", "never")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 6  # three papers, two copies each
    codex = [r for r in rows if r["title"] == "Evaluating Large Language Models Trained on Code"]
    assert [(Path(r["list"]).name, r["line"], r["kind"]) for r in codex] == [
        (TONY_A, "8", "first"), (TONY_B, "5", "exact")]
    assert {r["reference"] for r in codex} == {"chen2021codex"}
    assert codex[0]["arxiv"] == "2107.03374" and codex[0]["similarity"] == "1.000"
    gpt4o = [r for r in rows if r["title"] == "GPT-4o System Card"]
    assert gpt4o[0]["doi"] == "10.48550/arXiv.2410.21276" and gpt4o[0]["reference"] == "entry 1"
    assert len({r["cluster"] for r in rows}) == 3


@pytest.mark.parametrize("name,kept,missing", [
    ("library.bib", 4, 1), ("search.ris", 3, 1), ("zotero.json", 3, 1)])
def test_import_writes_a_list_of_the_entries_with_an_abstract(tmp_path, name, kept, missing):
    out = tmp_path / "imported.txt"
    code, said = run("import", str(REFS / name), "-o", str(out), "--curator", "Reading group")
    assert code == 0
    assert f"{kept} abstracts of {kept + missing} entries; {missing} entry without an abstract" \
        in said
    parsed = parse(out.read_text(encoding="utf-8"))
    assert parsed.header == "Reading group" and not parsed.problems
    assert len(parsed.abstracts) == kept
    # Each imported abstract is one of the examples' papers: check finds them all again.
    shutil.copyfile(EXAMPLES / TONY_A, tmp_path / TONY_A)
    shutil.copyfile(EXAMPLES / TONY_B, tmp_path / TONY_B)
    ws = loaded(tmp_path)
    assert all(ws.index.copies(str(out), a.line) for a in parsed.abstracts)


def test_import_refuses_to_overwrite_and_unknown_formats(tmp_path, capsys):
    out = tmp_path / "list.txt"
    out.write_text("Mine\nAbstract:keep me\n")
    assert run("import", str(REFS / "search.ris"), "-o", str(out))[0] == 2
    assert out.read_text() == "Mine\nAbstract:keep me\n"
    assert "pass --force" in capsys.readouterr().err
    assert run("import", str(REFS / "search.ris"), "-o", str(out), "--force")[0] == 0
    (tmp_path / "refs.xml").write_text("<xml/>")
    assert run("import", str(tmp_path / "refs.xml"), "-o", str(tmp_path / "x.txt"))[0] == 2
    assert "not a reference file" in capsys.readouterr().err


@pytest.mark.parametrize("latex,text", [
    (r"Dupr{\'e} la Tour", "Dupré la Tour"),
    (r"\c{C}a\u{g}lar G{\"u}l{\c{c}}ehre", "Çağlar Gülçehre"),
    (r"Erd\H{o}s, \o{}ystein and Stra\ss e", "Erdős, øystein and Straße"),
    (r"\textsc{SimInstruct}: a {BERT} tool -- 50\% faster", "SimInstruct: a BERT tool – 50% faster"),
    (r"gains of $\alpha$ and $D_{\mathrm{KL}}$", r"gains of $\alpha$ and $D_{\mathrm{KL}}$"),
    ("no LaTeX at all,\n   wrapped", "no LaTeX at all, wrapped"),
])
def test_latex_in_bibtex_text_reads_as_the_author_meant(latex, text):
    assert references._delatex(latex, keep_math=True) == text

"""The data behind `paperls report`, and the page it writes."""

import json
import re

from conftest import TONY_A, TONY_B, example_text
from paperls.cli import main
from paperls.core.parse import parse
from paperls.core.workspace import Workspace
from paperls.features import report
from paperls.report_html import render


def ws_of(**docs):
    ws = Workspace()
    ws.bulk_load([(n, parse(t)) for n, t in docs.items()])
    return ws


def test_the_examples_share_three_papers_and_the_matrix_says_so():
    ws = ws_of(a=example_text(TONY_A), b=example_text(TONY_B))
    data = report.build(ws, str)
    assert (data["lists"], data["abstracts"]) == (2, 17)
    assert data["papers_in_several_lists"] == 3 and data["papers_twice_in_a_list"] == 0
    titles = [p["title"] for p in data["papers"]]
    assert titles[0].startswith("GPT-4o") and any("Codex" in t for t in titles)
    assert {m["list"] for p in data["papers"] for m in p["members"]} == {"a", "b"}
    (cell,) = data["overlap"]["cells"]
    assert cell["papers"] == 3 and sorted(cell["clusters"]) == sorted(p["cluster"] for p in data["papers"])
    assert data["overlap"]["lists"] in (["a", "b"], ["b", "a"])
    assert data["topics"]["topics"] and all(not t["topic"][0].isdigit() for t in data["topics"]["topics"])
    assert data["problems"] == []


def test_near_copies_carry_their_word_diff_and_problems_are_listed_per_list():
    gpt = example_text(TONY_A).splitlines()[1]
    ws = ws_of(a="A\n" + gpt + "\nno prefix on this line.\n",
               b="B\n" + gpt.replace("any combination", "any mix") + "\n")
    data = report.build(ws, str)
    (paper,) = data["papers"]
    (near,) = [m for m in paper["members"] if m["relation"] != "first copy"]
    assert {"deleted": "combination", "inserted": "mix"}.items() <= near["diff"][0].items()
    (probs,) = data["problems"]
    assert probs["list"] == "a" and probs["problems"][0]["code"] == "wrapped-line"


def test_the_page_is_self_contained_and_keeps_list_text_out_of_the_markup():
    evil = "Abstract:We study </script><img src=x onerror=alert(1)> and more words " * 3
    ws = ws_of(a="A\n" + evil + "\n", b="B\n" + evil + "\n")
    page = render(report.build(ws, str), "t")
    assert "</script><img" not in page  # escaped inside the JSON
    assert not re.search(r"(src|href)=[\"']?https?:", page)  # nothing fetched at view time
    blob = page.split('id="data">', 1)[1].split("</script>", 1)[0]
    assert json.loads(blob)["papers_with_copies"] == 1


def test_report_command_writes_the_page_and_refuses_to_overwrite(tmp_path, workspace, capsys):
    out = tmp_path / "r.html"
    assert main(["report", str(workspace), "-o", str(out)]) == 0
    assert "3 papers with copies in 2 lists" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert main(["report", str(workspace), "-o", str(out)]) == 2
    assert "pass --force" in capsys.readouterr().err

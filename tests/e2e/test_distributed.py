"""The Dask engine against the single-process one: a local cluster of two workers must print
exactly the same findings, on the examples and on a few thousand real corpus abstracts with
planted versions (words changed, sentences added and dropped, surface edits, truncations), exact
copies inside a list and a reference file."""

from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, TONY_A, TONY_B
from corpus import corpus_files, planted_set
from paperls.cli import main

pytest.importorskip("distributed")


def check(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["check", *argv, "--no-cache", "--fail-on", "never", "--progress", "off"])
    return code, out.getvalue()


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> Path:
    """3,000-odd corpus abstracts in their real lists, 100 planted versions of them in ten
    more lists, an exact copy inside a list, the examples and their reference file."""
    root = tmp_path_factory.mktemp("collection")
    lists, n = [], 0
    for f in corpus_files():
        text = f.read_text(encoding="utf-8")
        lists.append((f"{f.parent.name}/{f.name}", text))
        n += text.count("\nAbstract:")
        if n >= 3000:
            break
    planted, _ = planted_set(lists, per_kind=20, seed=5)
    for name, text in lists + planted:
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    first = root / lists[0][0]
    lines = first.read_text(encoding="utf-8").split("\n")
    first.write_text("\n".join(lines + [lines[1]]), encoding="utf-8")  # twice in one list
    for name in (TONY_A, TONY_B):
        shutil.copyfile(EXAMPLES / name, root / name)
    shutil.copyfile(ROOT / "tests" / "fixtures" / "references" / "library.bib",
                    root / "library.bib")
    return root


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_two_worker_cluster_finds_exactly_what_one_process_finds(collection, fmt):
    one = check(str(collection), "--format", fmt)
    two = check(str(collection), "--format", fmt, "--engine", "dask", "--workers", "2")
    assert one == two
    if fmt == "json":
        found = json.loads(one[1])
        codes = {f["code"] for f in found}
        # The run is not trivially equal: every kind of finding is in it.
        assert {"duplicate-in-list", "duplicate-across-lists",
                "near-duplicate-across-lists", "reference-entry"} <= codes
        assert sum(f["code"].startswith("near-") for f in found) >= 80
        assert any(f.get("reference", {}).get("key") == "chen2021codex" for f in found)


def test_the_text_report_is_the_same_but_for_the_timing(tmp_path):
    for name in (TONY_A, TONY_B):
        shutil.copyfile(EXAMPLES / name, tmp_path / name)
    _, one = check(str(tmp_path))
    _, two = check(str(tmp_path), "--engine", "dask", "--workers", "2")
    assert one.rsplit(" in ", 1)[0] == two.rsplit(" in ", 1)[0]
    assert "3 papers appear in more than one list" in two


def test_the_dask_engine_refuses_what_it_cannot_do(tmp_path, capsys):
    assert main(["check", "-", "--engine", "dask"]) == 2
    assert "no standard input" in capsys.readouterr().err

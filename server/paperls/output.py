"""What ``paperls check`` prints: the findings grouped by paper (the default), one line per
finding (``concise``, for quickfix lists and grep), JSON, SARIF 2.1.0, or GitHub workflow
annotations.

A finding is a plain dict (``path``, ``line``, ``column``, ``end_column``, ``severity``, ``code``,
``message``; duplicates add ``title``, ``cluster``, ``similarity`` and ``related``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__
from .core.codes import DEFAULT_SEVERITY, DUPLICATE_CODES

if TYPE_CHECKING:  # the type only: importing it loads the index and NumPy (~0.3 s)
    from .features.papers import Paper

FORMATS = ("text", "concise", "json", "sarif", "github", "csv")
CSV_COLUMNS = ("cluster", "title", "list", "line", "kind", "similarity", "relation",
               "reference", "reference_file", "doi", "arxiv")


class Style:
    """ANSI colour on a terminal; none when piped, with NO_COLOR set, or TERM=dumb."""

    def __init__(self, stream: TextIO, mode: str = "auto") -> None:
        if mode == "auto":
            on = (hasattr(stream, "isatty") and stream.isatty() and not os.environ.get("NO_COLOR")
                  and os.environ.get("TERM") != "dumb")
        else:
            on = mode == "always"
        self.on = bool(on)

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.on else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def severity(self, sev: str) -> str:
        return self._wrap({"error": "31", "warning": "33", "information": "36",
                           "hint": "32"}.get(sev, "0"), sev)


def concise(findings: list[dict], out: TextIO, style: Style) -> None:
    for f in findings:
        out.write(f"{style.bold(f['path'])}:{f['line']}:{f['column']}: "
                  f"{style.severity(f['severity'])}: {f['message']} [{f['code']}]\n")


def plain_papers(found: list[Paper], name, reference_of) -> list[dict]:
    """The papers as plain values (what every format prints of them, and what the check cache
    keeps). ``reference_of(doc, line)`` gives a copy's own reference link, if any (else the
    paper's is used)."""
    out = []
    for p in found:
        ref = None
        if p.reference is not None:
            r = p.reference.ref
            ref = {"cite": r.cite, "file": name(p.reference.doc), "authors": r.author_line(2),
                   "year": r.year, "doi": r.doi, "arxiv": r.arxiv}
        members = []
        for m in p.members:
            link = reference_of(m.doc, m.line) or p.reference
            r = link.ref if link is not None else None
            members.append({
                "path": name(m.doc), "line": m.line + 1, "relation": m.relation, "kind": m.kind,
                "similarity": m.similarity,
                "reference": {"key": r.key or r.cite, "file": name(link.doc), "doi": r.doi,
                              "arxiv": r.arxiv} if r is not None else None})
        out.append({"cluster": p.cluster, "title": p.title, "first_words": p.first_words,
                    "reference": ref, "members": members})
    return out


def summary_line(found: list[dict]) -> str:
    """ "3 papers appear in more than one list; none twice in one list." """
    lists = [len({m["path"] for m in p["members"]}) for p in found]
    across = sum(1 for k in lists if k > 1)
    twice = sum(1 for p, k in zip(found, lists, strict=True) if k < len(p["members"]))
    if not found:
        return "No paper appears twice."
    first = (f"{across} paper{'s appear' if across != 1 else ' appears'} in more than one list"
             if across else "no paper appears in more than one list")
    second = (f"{twice} paper{'s appear' if twice != 1 else ' appears'} twice in one list"
              if twice else "none twice in one list")
    return f"{first[0].upper()}{first[1:]}; {second}."


def grouped(findings: list[dict], found: list[dict], out: TextIO, style: Style) -> None:
    """One block per paper (its headline, its first words, each copy with how it differs),
    then the format problems, one per line."""
    for p in found:
        out.write(style.bold(p["title"]) + "\n")
        out.write(style.dim(f"  “{p['first_words']}”") + "\n")
        r = p["reference"]
        if r is not None:
            out.write(style.dim("  = " + " · ".join(x for x in (
                f"{r['cite']} in {r['file']}", r["authors"], r["year"],
                f"doi:{r['doi']}" if r["doi"] else f"arXiv:{r['arxiv']}" if r["arxiv"] else "")
                if x)) + "\n")
        width = max(len(f"{m['path']}:{m['line']}") for m in p["members"])
        for m in p["members"]:
            place = f"{m['path']}:{m['line']}"
            out.write(f"  {place:<{width}}  {m['relation']}\n")
        out.write("\n")
    problems = [f for f in findings if f["code"] not in DUPLICATE_CODES]
    if problems:
        out.write(style.bold("Format problems") + "\n")
        for f in problems:
            out.write(f"  {f['path']}:{f['line']}:{f['column']}: {style.severity(f['severity'])}: "
                      f"{f['message']} [{f['code']}]\n")
        out.write("\n")


def csv_rows(found: list[dict]) -> list[dict]:
    """One row per copy of each paper: what a spreadsheet or a review tool imports."""
    rows = []
    for p in found:
        for m in p["members"]:
            r = m["reference"]
            rows.append({
                "cluster": p["cluster"], "title": p["title"], "list": m["path"],
                "line": m["line"], "kind": m["kind"],
                "similarity": "" if m["similarity"] is None else f"{m['similarity']:.3f}",
                "relation": m["relation"],
                "reference": r["key"] if r else "", "reference_file": r["file"] if r else "",
                "doi": r["doi"] if r else "", "arxiv": r["arxiv"] if r else ""})
    return rows


def write_csv(rows: list[dict], out: TextIO) -> None:
    import csv

    w = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)


def _escape(value: str, prop: bool = False) -> str:
    """GitHub's workflow-command escaping (properties also escape ':' and ',')."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def github(findings: list[dict], out: TextIO) -> None:
    """``::warning file=...,line=...::message`` lines, which Actions shows on the diff."""
    level = {"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}
    for f in findings:
        props = (f"file={_escape(f['path'], True)},line={f['line']},col={f['column']},"
                 f"endColumn={f['end_column']},title={_escape('paperls ' + f['code'], True)}")
        out.write(f"::{level[f['severity']]} {props}::{_escape(f['message'])}\n")


def write_json(findings: list[dict], out: TextIO) -> None:
    json.dump(findings, out, ensure_ascii=False, indent=2)
    out.write("\n")


def sarif(findings: list[dict]) -> dict:
    """SARIF 2.1.0: one run, a rule per code, a result per finding (other copies as
    relatedLocations; the paper's title and cluster as properties)."""
    level = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}
    codes = sorted({f["code"] for f in findings} | set(DUPLICATE_CODES))
    rules = [{"id": c, "name": c.replace("-", " "),
              "shortDescription": {"text": c.replace("-", " ")},
              "defaultConfiguration": {"level": level[DEFAULT_SEVERITY.get(c, "warning")]}}
             for c in codes]

    def loc(path: str, line: int, col: int | None = None, end: int | None = None) -> dict:
        region: dict = {"startLine": line}
        if col is not None:
            region.update(startColumn=col, endColumn=end or col)
        return {"physicalLocation": {"artifactLocation": {"uri": Path(path).as_posix()},
                                     "region": region}}

    results = []
    for f in findings:
        r = {"ruleId": f["code"], "level": level[f["severity"]],
             "message": {"text": f["message"]},
             "locations": [loc(f["path"], f["line"], f["column"], f["end_column"])]}
        if f.get("related"):
            r["relatedLocations"] = [dict(loc(x["path"], x["line"]), id=i)
                                     for i, x in enumerate(f["related"])]
        if "similarity" in f:
            r["properties"] = {"similarity": f["similarity"], "title": f.get("title"),
                               "cluster": f.get("cluster")}
            r["partialFingerprints"] = {"paperCluster/v1": f.get("cluster")}
        results.append(r)
    return {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
            "runs": [{"tool": {"driver": {"name": "paperls", "version": __version__,
                                          "rules": rules}}, "results": results}]}

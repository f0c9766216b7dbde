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
from typing import TextIO

from . import __version__
from .core.codes import DEFAULT_SEVERITY, DUPLICATE_CODES
from .features.papers import Paper

FORMATS = ("text", "concise", "json", "sarif", "github")


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


def grouped(findings: list[dict], found: list[Paper], name, out: TextIO, style: Style) -> None:
    """One block per paper (its headline, its first words, each copy with how it differs),
    then the format problems, one per line."""
    for p in found:
        out.write(style.bold(p.title) + "\n")
        out.write(style.dim(f"  “{p.first_words}”") + "\n")
        width = max(len(f"{name(m.doc)}:{m.line + 1}") for m in p.members)
        for m in p.members:
            place = f"{name(m.doc)}:{m.line + 1}"
            out.write(f"  {place:<{width}}  {m.relation}\n")
        out.write("\n")
    problems = [f for f in findings if f["code"] not in DUPLICATE_CODES]
    if problems:
        out.write(style.bold("Format problems") + "\n")
        for f in problems:
            out.write(f"  {f['path']}:{f['line']}:{f['column']}: {style.severity(f['severity'])}: "
                      f"{f['message']} [{f['code']}]\n")
        out.write("\n")


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

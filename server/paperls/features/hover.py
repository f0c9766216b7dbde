"""Hover: an abstract at a glance, or the whole list at a glance on its header line."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..core.references import Link
from ..core.workspace import Workspace
from .papers import distinct_papers, how, paper_title, text_at, word_diff


@dataclass(frozen=True, slots=True)
class HoverResult:
    markdown: str
    line: int
    start: int
    end: int


_ESCAPES = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>#|"})


def _md(text: str) -> str:
    """Escape Markdown in text taken from an abstract (it may hold `*`, `_`, `[`)."""
    return text.translate(_ESCAPES)


def hover(ws: Workspace, doc: str, line: int, col: int) -> HoverResult | None:
    d = ws.index.document(doc)
    if d is None or line < 0 or line >= len(d.parsed.lines):
        return None
    a = d.parsed.abstract_at(line)
    if a is not None:
        return _abstract_hover(ws, doc, a)
    if line == 0 and d.parsed.header is not None:
        return _list_hover(ws, doc)
    return None


def _abstract_hover(ws: Workspace, doc: str, a) -> HoverResult:
    s = ws.summary(doc, a)
    linked = ws.references_of(doc, a.line)
    # The same name as the outline and every finding give it: the real title when a reference
    # file has one, else its own name and topics.
    headline = paper_title(ws, doc, a)
    parts = [f"### {_md(headline)}", ""] + _reference(ws, linked)
    if s.gist:
        parts += [f"> {_md(s.gist)}", ""]
    if s.figures:
        parts += ["**Key figures:** " + " · ".join(_md(f) for f in s.figures), ""]
    shown = {w for t in headline.split(" · ") for w in t.casefold().split()}
    more = [p.text for p in s.topics if not set(p.key.split()) <= shown][:5]
    if more:
        parts += ["**Topics:** " + ", ".join(_md(t) for t in more), ""]
    parts.append(f"*{s.words:,} words · {s.chars:,} characters*")
    copies = ws.index.copies(doc, a.line)
    if copies:
        parts += ["", f"**Also in {len(copies)} other place{'s' if len(copies) > 1 else ''}:**"]
        for c in copies[:10]:
            where = "this list" if c.doc == doc else f"`{ws.namer(c.doc)}`"
            parts.append(f"- {where}, line {c.line + 1}: {how(c, a.text, text_at(ws, c.doc, c.line))}")
        if len(copies) > 10:
            parts.append(f"- … and {len(copies) - 10} more")
        parts += _differences(ws, doc, a, copies)
    elif not ws.ready:
        parts += ["", "*Indexing the workspace: copies in other lists are not known yet.*"]
    else:
        parts += ["", "*No other copy in the workspace.*"]
    return HoverResult("\n".join(parts), a.line, a.start, a.end)


def _reference(ws: Workspace, linked: tuple[Link, ...]) -> list[str]:
    """Who wrote it, when and where, its DOI / arXiv links, and the entries it is."""
    if not linked:
        return []
    r = linked[0].ref
    out = []
    meta = " · ".join(_md(x) for x in (r.author_line(), r.year, r.venue) if x)
    if meta:
        out.append(meta)
    urls = r.links()
    if urls:
        out.append(" · ".join(f"[{_md(label)}]({url})" for label, url in urls))
    if out:
        out.append("")
    for x in linked[:5]:
        how_close = "" if x.exact else f" ({x.similarity:.0%} similar)"
        out.append(f"- `{_md(x.ref.cite)}` in `{ws.namer(x.doc)}`, line {x.ref.line + 1}"
                   f"{how_close}")
    if len(linked) > 5:
        out.append(f"- … and {len(linked) - 5} more entries")
    return out + [""]


def _differences(ws: Workspace, doc: str, a, copies) -> list[str]:
    """For the closest copy that is not exact: the words that differ, as a merge view shows
    them (~~deleted~~ from this text, **inserted** in the other)."""
    near = next((c for c in copies if not c.exact), None)
    other = text_at(ws, near.doc, near.line) if near else None
    if near is None or other is None:
        return []
    where = "line" if near.doc == doc else f"`{ws.namer(near.doc)}`, line"
    mine, theirs = a.text.split(), other.split()
    if near.contained and len(mine) < len(theirs):
        return ["", f"**This is a truncated copy:** its {len(mine):,} words open the "
                    f"{len(theirs):,}-word version at {where} {near.line + 1}."]
    if near.contained:
        return ["", f"**The copy at {where} {near.line + 1} is truncated:** its "
                    f"{len(theirs):,} words open this {len(mine):,}-word version."]
    changes = word_diff(a.text, other)
    if not changes:
        return ["", f"**Differs from {where} {near.line + 1}** only in case and punctuation."]
    out = ["", f"**Differs from {where} {near.line + 1}:**"]
    for ch in changes:
        bits = [_md(ch.before)] if ch.before else []
        if ch.deleted:
            bits.append(f"~~{_md(ch.deleted)}~~")
        if ch.inserted:
            bits.append(f"**{_md(ch.inserted)}**")
        if ch.after:
            bits.append(_md(ch.after))
        out.append("- …" + " ".join(bits) + "…")
    return out


def _list_hover(ws: Workspace, doc: str) -> HoverResult:
    d = ws.index.document(doc)
    assert d is not None
    header = d.parsed.header or ""
    n = len(d.parsed.abstracts)
    in_list = 0
    shared: Counter[str] = Counter()
    for f in ws.index.findings(doc):
        if any(c.doc == doc for c in f.copies):
            in_list += 1
        for other in {c.doc for c in f.copies if c.doc != doc}:
            shared[other] += 1
    distinct = distinct_papers(ws, doc)
    parts = [f"### {_md(header)}", "",
             f"**{distinct} paper{'s' if distinct != 1 else ''}** in `{ws.namer(doc)}`"
             + (f" ({n} abstract lines)" if n != distinct else "")]
    if d.parsed.problems:
        parts.append(f"- {len(d.parsed.problems)} malformed line(s)")
    parts.append(f"- {in_list} abstract(s) with a copy inside this list" if in_list
                 else "- no duplicates inside this list")
    if shared:
        parts += ["", "**Papers shared with other lists:**"]
        for other, k in shared.most_common(10):
            parts.append(f"- `{ws.namer(other)}`: {k} paper{'s' if k > 1 else ''}")
        if len(shared) > 10:
            parts.append(f"- … and {len(shared) - 10} more lists")
    elif not ws.ready:
        parts.append("- *indexing the workspace: papers shared with other lists are not known "
                     "yet*")
    else:
        parts.append("- no paper shared with another list")
    return HoverResult("\n".join(parts), 0, 0, len(d.parsed.lines[0]))


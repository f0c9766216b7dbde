"""Navigation: hover, definition, references, symbols, links, similar and related abstracts."""

from __future__ import annotations

from lsprotocol import types

from ...features import hover, matching, outline, related
from .. import convert, documents, indexing
from ..protocol import custom_position
from ..state import PaperServer
from .common import at, doc, location, locations, rng


def on_hover(ls: PaperServer, params: types.HoverParams) -> types.Hover | None:
    found = at(ls, params.text_document.uri, params.position)
    h = hover.hover(ls.model, found[0], found[2], found[3]) if found else None
    if h is None:
        return None
    return types.Hover(contents=types.MarkupContent(types.MarkupKind.Markdown, h.markdown),
                       range=rng(ls, found[0], h.line, h.start, h.end))


def on_definition(ls: PaperServer, params: types.DefinitionParams) -> list[types.Location] | None:
    found = at(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    return locations(ls, matching.definition(ls.model, found[0], found[2])) or None


def on_references(ls: PaperServer, params: types.ReferenceParams) -> list[types.Location] | None:
    found = at(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    uri, _, line, _ = found
    with_own = params.context.include_declaration
    if ls.settings.references_mode == "related":
        own = matching.references(ls.model, uri, line, True)[:1] if with_own else []
        return locations(ls, [*own, *related.related(ls.model, uri, line)]) or None
    return locations(ls, matching.references(ls.model, uri, line, with_own)) or None


def on_similar(ls: PaperServer, params) -> list[dict]:
    """The copies of the abstract at a position, for a quick pick: location, kind, similarity
    and a title-like line of the copy."""
    found = at(ls, *custom_position(params))
    if found is None:
        return []
    return [{"uri": documents.to_client(ls, t.doc), "range": rng(ls, t.doc, t.line, t.start, t.end),
             "exact": t.exact, "similarity": t.similarity, "title": matching.title_of(ls.model, t),
             "label": f"{ls.display_name(t.doc)}:{t.line + 1}"}
            for t in matching.definition(ls.model, found[0], found[2])]


def _places(ls: PaperServer, places) -> list[dict]:
    return [{"uri": documents.to_client(ls, p.doc), "range": rng(ls, p.doc, p.line, p.start, p.end),
             "score": p.score, "label": f"{ls.display_name(p.doc)}:{p.line + 1}",
             "title": p.label} for p in places]


async def on_related(ls: PaperServer, params) -> list[dict]:
    """Papers most similar in topic to the abstract at a position, with scores (never copies);
    computed off the loop on the model as it is, dropped and redone if it changed."""
    found = at(ls, *custom_position(params))
    if found is None:
        return []
    ls.model.ensure_topics(found[0], found[2])  # the one write: on the loop, before the read
    return _places(ls, await indexing.read_off_loop(ls, related.related, found[0], found[2]))


async def on_workspace_symbol(ls: PaperServer, params: types.WorkspaceSymbolParams):
    places = await indexing.read_off_loop(ls, related.workspace_symbols, params.query)
    out = []
    for p in places:
        loc = location(ls, p.doc, p.line, p.start, p.end)
        if loc is not None:
            out.append(types.SymbolInformation(
                name=p.label, kind=types.SymbolKind.String, location=loc,
                container_name=f"{ls.display_name(p.doc)}:{p.line + 1}"))
    return out


def on_document_symbol(ls: PaperServer, params: types.DocumentSymbolParams):
    uri, parsed = doc(ls, params.text_document.uri)
    if parsed is None:
        return []
    return [convert.document_symbol(x, parsed.lines, ls.workspace.position_codec)
            for x in outline.outline(ls.model, uri)]


def on_document_link(ls: PaperServer, params: types.DocumentLinkParams):
    uri, parsed = doc(ls, params.text_document.uri)
    if parsed is None:
        return []
    codec = ls.workspace.position_codec
    return [types.DocumentLink(convert.range_to_client(parsed.lines, x.line, x.start, x.end, codec),
                               target=x.target) for x in outline.links(ls.model, uri)]

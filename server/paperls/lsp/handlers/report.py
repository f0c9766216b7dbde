"""The collection at a glance: ``paperls/report`` answers the HTML page the VS Code command
opens in a webview (the same page as ``paperls report``)."""

from __future__ import annotations

from ...features import report
from ...report_html import render
from .. import indexing
from ..state import PaperServer


async def on_report(ls: PaperServer, params) -> dict:
    """Computed off the loop on the model as it is (topics as far as extracted so far)."""
    data = await indexing.read_off_loop(
        ls, lambda model: report.build(model, ls.display_name, sample=False))
    names = ", ".join(r.name for r in ls.roots) or "the open lists"
    return {"html": render(data, f"paperls report: {names}"), "indexing": ls.indexing}

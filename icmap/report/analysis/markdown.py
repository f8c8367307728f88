"""The markdown report of `icmap analyze`, for a wiki page or a pull-request comment.

The analysis document rendered as GitHub-flavoured markdown (`icmap.report.render_markdown`
escapes every piece of text, so a name can neither break a table nor inject HTML).
"""

from __future__ import annotations

from icmap.analysis.result import Analysis
from icmap.report.analysis.sections import Layout, analysis_document
from icmap.report.render_markdown import escape, render_markdown

__all__ = ["escape", "write_markdown"]


def write_markdown(analysis: Analysis, layout: Layout | None = None) -> str:
    """The report as GitHub-flavoured markdown text."""
    return render_markdown(analysis_document(analysis, layout))

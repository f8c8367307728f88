"""The text report of `icmap analyze`: the analysis document rendered by Rich for people.

Readable at 80 columns; see `icmap.report.render_text` for how names and figures are kept
whole and user text is kept from restyling the terminal.
"""

from __future__ import annotations

from icmap.analysis.result import Analysis
from icmap.report.analysis.sections import Layout, analysis_document
from icmap.report.render_text import render_text


def write_text(
    analysis: Analysis, *, width: int = 80, color: bool = False, layout: Layout | None = None
) -> str:
    """The report as text `width` columns wide; with ANSI colours only when `color`."""
    return render_text(analysis_document(analysis, layout), width=width, color=color)

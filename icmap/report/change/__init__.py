"""The writers of `icmap diff` and `icmap whatif` reports, chosen by format name.

json is for programs (the stable keys of docs/change.md); text and markdown (a pull-request
comment) are rendered from one report document, so they show the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from icmap.change.diff import OrgDiff
    from icmap.change.suggest import Suggestion
    from icmap.model import Org

FORMATS = ("text", "markdown", "json")
#: Markdown is a pull-request comment: at most this long (GitHub's limit is 65,536).
MARKDOWN_LIMIT = 65_000
MARKDOWN_ROWS = (50, 20, 10, 3)


def write_report(
    diffs: Sequence[tuple[str, OrgDiff]],
    fmt: str,
    old: str,
    new: str,
    *,
    scenarios: bool = False,
    suggestions: dict[str, tuple[Suggestion, ...]] | None = None,
    baseline: Org | None = None,
    width: int = 80,
) -> str:
    """The report of one diff (or of named scenarios when `scenarios`) in format `fmt`.

    `old`/`new` name the two sides for people (file names, `REV:PATH`, `scenario`).
    """
    if fmt == "json":
        from icmap.report.change.json_report import write_json

        return write_json(diffs, scenarios=scenarios, suggestions=suggestions)
    from icmap.report.change.document import ROWS, change_document
    from icmap.report.document import Document

    def document(rows: int) -> Document:
        return change_document(
            diffs,
            old,
            new,
            scenarios=scenarios,
            suggestions=suggestions,
            baseline=baseline,
            rows=rows,
        )

    if fmt == "markdown":
        from icmap.report.render_markdown import render_markdown

        # A pull-request comment holds 65,536 characters: cut the longest lists until it fits.
        for rows in MARKDOWN_ROWS:
            text = render_markdown(document(rows))
            if len(text) <= MARKDOWN_LIMIT:
                return text
        return text[: MARKDOWN_LIMIT - 40].rsplit("\n", 1)[0] + "\n\n… (cut to fit a comment)\n"
    from icmap.report.render_text import render_text

    return render_text(document(ROWS), width=width)

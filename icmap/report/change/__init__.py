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

FORMATS = ("text", "markdown", "json")


def write_report(
    diffs: Sequence[tuple[str, OrgDiff]],
    fmt: str,
    old: str,
    new: str,
    *,
    scenarios: bool = False,
    suggestions: dict[str, tuple[Suggestion, ...]] | None = None,
    width: int = 80,
) -> str:
    """The report of one diff (or of named scenarios when `scenarios`) in format `fmt`.

    `old`/`new` name the two sides for people (file names, `REV:PATH`, `scenario`).
    """
    if fmt == "json":
        from icmap.report.change.json_report import write_json

        return write_json(diffs, scenarios=scenarios, suggestions=suggestions)
    from icmap.report.change.document import change_document

    document = change_document(diffs, old, new, scenarios=scenarios, suggestions=suggestions)
    if fmt == "markdown":
        from icmap.report.render_markdown import render_markdown

        return render_markdown(document)
    from icmap.report.render_text import render_text

    return render_text(document, width=width)

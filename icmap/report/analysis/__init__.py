"""The writers of `icmap analyze` reports, one module per format, chosen from a registry.

Each writer is a pure function `Analysis -> str`. Writers are imported on use, so asking
for json, csv or markdown never imports rich (only `text` does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports this package for FORMATS at start-up: keep it light
    from icmap.analysis.result import Analysis


@dataclass(frozen=True, slots=True)
class Options:
    """How a report is laid out: `width` and `color` matter to the text format only,
    `all_units` to text and markdown (json and csv always hold every unit)."""

    width: int = 80
    color: bool = False
    all_units: bool = False  # text and markdown: the float of every unit (`--units`)


def _text(analysis: Analysis, options: Options) -> str:
    from icmap.report.analysis.sections import Layout
    from icmap.report.analysis.text import write_text

    layout = Layout(all_units=options.all_units)
    return write_text(analysis, width=options.width, color=options.color, layout=layout)


def _json(analysis: Analysis, options: Options) -> str:
    from icmap.report.analysis.json_report import write_json

    return write_json(analysis)


def _json_pieces(analysis: Analysis, options: Options) -> Iterable[str]:
    from icmap.report.analysis.json_report import json_pieces

    return json_pieces(analysis)


def _markdown(analysis: Analysis, options: Options) -> str:
    from icmap.report.analysis.markdown import write_markdown
    from icmap.report.analysis.sections import Layout

    return write_markdown(analysis, Layout(all_units=options.all_units))


def _csv(analysis: Analysis, options: Options) -> str:
    from icmap.report.analysis.csv_report import write_csv

    return write_csv(analysis)


@dataclass(frozen=True, slots=True)
class Writer:
    """A report format: its name, what it is for, and the function that writes it; `pieces`,
    when given, makes the same text in pieces as they are asked for (a format whose report
    of a large org should be written as it is made, never held whole)."""

    name: str
    description: str
    write: Callable[[Analysis, Options], str]
    pieces: Callable[[Analysis, Options], Iterable[str]] | None = None


WRITERS: dict[str, Writer] = {
    w.name: w
    for w in (
        Writer("text", "for people in a terminal (tables, chains, colours)", _text),
        Writer(
            "json", "for programs: the stable keys of the org-format contract", _json, _json_pieces
        ),
        Writer("markdown", "for a wiki page or a pull-request comment", _markdown),
        Writer("csv", "one row per unit with all its figures, for a spreadsheet", _csv),
    )
}
FORMATS: tuple[str, ...] = tuple(WRITERS)


def write_report(analysis: Analysis, fmt: str, options: Options | None = None) -> str:
    """The report of `analysis` in format `fmt` (one of FORMATS; KeyError otherwise)."""
    return WRITERS[fmt].write(analysis, options or Options())


def report_pieces(analysis: Analysis, fmt: str, options: Options | None = None) -> Iterable[str]:
    """The text of `write_report` in pieces, for writing as they come: the json report of
    a large org is made and written a thousand units at a time; other formats come whole."""
    writer = WRITERS[fmt]
    if writer.pieces is not None:
        return writer.pieces(analysis, options or Options())
    return (writer.write(analysis, options or Options()),)

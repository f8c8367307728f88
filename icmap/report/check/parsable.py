"""The `parsable` format of `icmap check`: one line per finding, like yamllint's.

`file:line:col: [level] message (code)` — editors and `grep` read it; the hint is left out so
that every finding stays on exactly one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from icmap.textsafety import shown_line, shown_path

if TYPE_CHECKING:
    from icmap.report.check import CheckReport


def write(report: CheckReport, stream: TextIO) -> None:
    """Write one line per finding, sorted by file, line and column."""
    for finding in report.findings:
        # A finding never spans lines here, whatever a file name or a YAML value put into
        # it: control characters are written as escapes, so nothing can forge a line.
        location = finding.location
        assert location is not None  # CheckReport gives every finding a place
        where = shown_path(str(location))  # `file:line:col`, or a workbook's `book.xlsx:units!C7`
        message = shown_line(finding.message)
        stream.write(f"{where}: [{finding.level.value}] {message} ({finding.code})\n")

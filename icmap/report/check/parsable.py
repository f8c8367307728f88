"""The `parsable` format of `icmap check`: one line per finding, like yamllint's.

`file:line:col: [level] message (code)` — editors and `grep` read it; the hint is left out so
that every finding stays on exactly one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from icmap.report.check import CheckReport


def write(report: CheckReport, stream: TextIO) -> None:
    """Write one line per finding, sorted by file, line and column."""
    for finding in report.findings:
        # A message never spans lines here, whatever a YAML value put into it.
        message = " ".join(finding.message.splitlines())
        stream.write(f"{finding.location}: [{finding.level.value}] {message} ({finding.code})\n")

"""The `github` format of `icmap check`: workflow commands that GitHub Actions shows as
annotations on the lines of a pull request.

`::error file=F,line=L,col=C,title=CODE::message — hint`, escaped as the runner expects
(`%`, CR and LF everywhere; `,` and `:` too inside properties).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from icmap.model import Level

if TYPE_CHECKING:
    from icmap.report.check import CheckReport

_COMMAND = {Level.ERROR: "error", Level.WARNING: "warning"}


def write(report: CheckReport, stream: TextIO) -> None:
    """Write one workflow command per finding."""
    for finding in report.findings:
        location = finding.location
        assert location is not None  # CheckReport gives every finding a place
        properties = ",".join(
            f"{key}={escape_property(str(value))}"
            for key, value in (
                ("file", location.file),
                ("line", location.line),
                ("col", location.column),
                ("title", finding.code),
            )
        )
        message = finding.message + (f" — {finding.hint}" if finding.hint else "")
        stream.write(f"::{_COMMAND[finding.level]} {properties}::{escape_data(message)}\n")


def escape_data(text: str) -> str:
    """Escape a workflow command's message (as @actions/core's escapeData does)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (as @actions/core's escapeProperty does)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")

"""The `text` format of `icmap check`: findings for people, grouped by file, with the source.

Each finding shows `line:col`, its level, the message and code, its place as
`--> path:line:col` (a link in terminals and editors), the offending line with a caret under
the column, and how to fix it. Rich decides about colour: none when the stream is
not a terminal or NO_COLOR is set.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, TextIO

from icmap.model import CellLocation, Finding, Level
from icmap.textsafety import no_log_command, shown_line, shown_path
from icmap.textsafety import shown as escaped

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from icmap.report.check import CheckReport

_STYLE = {Level.ERROR: "bold red", Level.WARNING: "bold yellow"}
# YAML's own line breaks, so line numbers agree with the parser's.
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_LEVEL_WIDTH = max(len(level.value) for level in Level)
_ELLIPSIS = "…"


def write(report: CheckReport, stream: TextIO) -> None:
    """Write the report for a person reading a terminal (or a plain-text log)."""
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, highlight=False, emoji=False, markup=False)
    total_width = console.width  # asked once: Rich reads the environment each time
    included_by = {f: root.path for root in report.roots for f in root.includes}
    by_file: dict[str, list[Finding]] = {}
    for finding in report.findings:
        assert finding.location is not None  # CheckReport gives every finding a place
        by_file.setdefault(finding.location.file, []).append(finding)
    lines = _SourceLines()
    for path in sorted(by_file):
        # Paths and messages with control characters shown as escapes: a file name cannot
        # move the cursor, recolour the terminal or forge a line of the log.
        header = Text(shown_path(path), style="bold")
        if path in included_by:
            header.append(f" (included by {escaped(included_by[path])})", style="dim")
        console.print(header, soft_wrap=True)  # never cut: a path's part cannot start a line
        findings = by_file[path]
        places = [f"{f.location.line}:{f.location.column}" for f in findings if f.location]
        place_width = max(len(place) for place in places)
        for finding, place in zip(findings, places, strict=True):
            head = Text.assemble(
                ("  " + place.rjust(place_width), "cyan"),
                " ",
                (finding.level.value.ljust(_LEVEL_WIDTH), _STYLE[finding.level]),
                " ",
            )
            indent = len(head)
            width = max(total_width - indent, 20)
            message = Text.assemble(shown_line(finding.message), (f" ({finding.code})", "dim"))
            body = _wrapped(console, message, width)
            # `--> path:line:col` as rustc and ruff print it: terminals and editors make it
            # a link to the place (never wrapped, so the link stays whole).
            body.append(Text.assemble(("--> ", "cyan"), f"{escaped(path)}:{place}"))
            body.extend(_snippet(finding, lines, width))
            if finding.hint:
                body.extend(
                    _wrapped(
                        console, Text.assemble(("fix: ", "green"), shown_line(finding.hint)), width
                    )
                )
            pad = Text(" " * indent)
            # Every line already fits: one print per finding, not wrapped again by Rich (a
            # print per line made 30,000 findings take 18 s).
            shown = [head + body[0], *(pad + line for line in body[1:])]
            console.print(Text("\n").join(shown), soft_wrap=True)
    style = "bold red" if report.errors else "bold yellow" if report.warnings else "bold green"
    console.print(Text(report.summary(), style=style))


def _wrapped(console: Console, text: Text, width: int) -> list[Text]:
    """`text` cut into lines of at most `width` cells, without trailing spaces."""
    lines = list(text.wrap(console, width))
    for index, line in enumerate(lines):
        line.rstrip()
        if index and line.plain.startswith("::"):
            # A wrapped line is indented, and GitHub Actions reads `::error …` after
            # spaces too: the first `:` is written `\x3a`, so the line is no command.
            from rich.text import Text

            lines[index] = Text.assemble("\\x3a", line[1:])
    return lines


def _snippet(finding: Finding, lines: _SourceLines, width: int) -> list[Text]:
    """The offending source line with a caret under the column (nothing if unreadable)."""
    from rich.cells import cell_len
    from rich.text import Text

    location = finding.location
    if location is None or isinstance(location, CellLocation):  # a spreadsheet cell: no line
        return []
    source = lines.get(location.file, location.line)
    if source is None or not source.strip():
        return []
    gutter = f"{location.line} │ "
    window, caret = _window(source, location.column, width - len(gutter))
    # The source as a CI log may read it: no `##[error]` command (its `[` as `\x5b`).
    shown = no_log_command(window)
    caret_at = cell_len(no_log_command(window[:caret]))
    return [
        Text.assemble((gutter, "dim"), shown, no_wrap=True, overflow="crop"),
        Text.assemble(
            (" " * (len(gutter) - 2) + "│ ", "dim"),
            " " * caret_at,
            ("^", _STYLE[finding.level]),
            no_wrap=True,
        ),
    ]


def _window(line: str, column: int, width: int) -> tuple[str, int]:
    """The part of `line` to show in `width` cells, and where the 1-based `column` falls in it.

    Long lines are cut around the column, with `…` where text was left out, so the caret
    always has something above it. Widths are terminal cells: a CJK character takes two.
    `width` is at least 6.
    """
    from rich.cells import cell_len, get_character_cell_size

    line = "".join(c if c.isprintable() else " " for c in line.rstrip())
    index = min(max(column - 1, 0), len(line))
    if cell_len(line) <= width:
        return line, index
    cells = [get_character_cell_size(c) for c in line]
    # At least a character on each side of the caret's, so a `…` never takes its place
    # (6 cells at most, which is why `width` must be at least 6). Then about half the
    # width left of the caret and the rest right of it; near an end, the window runs to
    # that end and takes the whole width from the other side.
    start, end = max(index - 1, 0), min(index + 2, len(line))
    left, used = sum(cells[start:index]), sum(cells[start:end])
    while start > 0 and left + cells[start - 1] <= width // 2 and used + cells[start - 1] <= width:
        start -= 1
        left += cells[start]
        used += cells[start]
    while end < len(line) and used + cells[end] <= width:
        used += cells[end]
        end += 1
    while start > 0 and used + cells[start - 1] <= width:
        start -= 1
        used += cells[start]
    shown = list(line[start:end])
    if start > 0:
        shown[0] = _ELLIPSIS
    if end < len(line):
        shown[-1] = _ELLIPSIS
    return "".join(shown), index - start


class _SourceLines:
    """The lines of each file, read once; None for a file or line that is not there."""

    def __init__(self) -> None:
        self._files: dict[str, list[str] | None] = {}

    def get(self, path: str, line: int) -> str | None:
        if path not in self._files:
            try:
                with open(path, "rb") as handle:
                    text = handle.read().decode("utf-8-sig", errors="replace")
                self._files[path] = _LINE_BREAK.split(text)
            except OSError:
                self._files[path] = None
        lines = self._files[path]
        if lines is None or not 1 <= line <= len(lines):
            return None
        return lines[line - 1]

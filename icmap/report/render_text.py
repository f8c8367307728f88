"""Renders a `Document` as text for a terminal with Rich: rules, tables, chains, colours.

Readable at 80 columns. User text only ever enters as `Text` objects (never markup), so a
name such as `[bold]x` or `:smile:` is shown as written and cannot restyle the report. A
name or figure is never broken across lines: its spaces are held together by a stand-in
character while Rich lays the text out, and given back after. The one exception is a
table too narrow for its names kept whole (long names beside columns of figures, which
cannot wrap): there the widest column of names breaks them at their spaces, since Rich
would otherwise cut them inside a word.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table as RichTable
from rich.text import Text

from icmap.report.document import (
    Block,
    Bullets,
    Cell,
    Chain,
    Document,
    Facts,
    Line,
    Note,
    Paragraph,
    Span,
    Table,
)
from icmap.textsafety import one_line

_TONES = {"strong": "bold", "bad": "red", "good": "green", "dim": "dim", "accent": "cyan"}
# A private-use character Rich measures one cell wide and never breaks at: it stands for a
# space inside a name or figure during layout. User text cannot hold it (see `_glued`).
_GLUE = "\ue000"


def render_text(document: Document, *, width: int = 80, color: bool = False) -> str:
    """The document as text `width` columns wide; with ANSI colours only when `color`."""
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=color,
        color_system="auto" if color else None,
        no_color=None if color else True,  # None: Rich still honours NO_COLOR
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
    )
    for renderable in renderables(document, width):
        console.print(renderable)
    written = out.getvalue().replace(_GLUE, " ")
    if color:
        return written
    # Rich pads table cells to the column width; in a file those spaces are only noise.
    return "".join(line.rstrip() + "\n" for line in written.splitlines())


def renderables(document: Document, width: int = 80) -> Iterator[RenderableType]:
    """Every section as Rich renderables, in reading order; the first section's facts are
    framed in a panel titled with the document's title."""
    for index, section in enumerate(document.sections):
        if index == 0 and section.blocks and isinstance(section.blocks[0], Facts):
            title = _text(document.title)
            yield Panel(_facts(section.blocks[0]), title=title, title_align="left")
            for block in section.blocks[1:]:
                yield _block(block, width)
            continue
        yield Group(Text(), Rule(_text(section.title, "bold"), align="left", style="dim"))
        for position, block in enumerate(section.blocks):
            if position and isinstance(block, Table | Paragraph):
                yield Text()  # a table or paragraph after another block stands apart
            yield _block(block, width)


def _glued(span: Span, names_whole: bool = True) -> str:
    if span.kind == "text":  # our own words
        return span.text
    # A name (user text) on one line, unable to move the cursor or reorder what is read.
    if span.kind == "name":
        text = one_line(span.text).replace(_GLUE, " ")
        return text.replace(" ", _GLUE) if names_whole else text
    return span.text.replace(" ", _GLUE)


def _text(line: Line, style: str = "", names_whole: bool = True) -> Text:
    text = Text(style=style)
    for span in line:
        text.append(_glued(span, names_whole), style=_TONES.get(span.tone or "", ""))
    return text


def _block(block: Block, width: int) -> RenderableType:
    if isinstance(block, Facts):
        return _facts(block)
    if isinstance(block, Table):
        return _table(block, width)
    if isinstance(block, Chain):
        return _chain(block, width)
    if isinstance(block, Paragraph):
        return _text(block.line)
    if isinstance(block, Note):
        return Text(block.text, style="dim")
    raise TypeError(f"not a block: {block!r}")


def _facts(block: Facts) -> RichTable:
    grid = RichTable.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for label, value in block.rows:
        grid.add_row(label, _text(value))
    return grid


def _table(block: Table, width: int) -> RenderableType:
    spaced = any(isinstance(c, Bullets) and len(c.lines) > 1 for row in block.rows for c in row)
    table = RichTable(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        header_style="bold",
        show_lines=spaced,  # a blank line between rows, for cells of several lines
    )
    for column in block.columns:
        table.add_column(
            column.title,
            overflow="fold",
            justify="right" if column.numeric else "left",
        )
    loose = _loose_column(block, width)
    for row in block.rows:
        table.add_row(*(_cell(cell, i != loose) for i, cell in enumerate(row)))
    parts: list[RenderableType] = [Text(block.title, style="bold italic"), table]
    if block.more is not None:
        parts.append(Text(block.more.text, style="dim"))
    return Group(*parts)


#: Between two columns of a table without edges, Rich puts this many cells: a space of
#: padding on each side and the column divider, a space in this box.
_COLUMN_GAP = 3
_BULLET = 2  # "• " before each line of a cell of several bullets


def _loose_column(block: Table, width: int) -> int | None:
    """The column whose names break at their spaces, or None: names stay whole.

    A table fits `width` when each column's longest unbreakable piece (a word, a figure,
    a whole name) fits beside the others'. When it does not, Rich cuts some column's text
    wherever the width runs out; letting the widest column that holds names wrap them at
    their spaces instead keeps every word whole."""
    pieces = [len(c.title) for c in block.columns]
    named = [False] * len(block.columns)
    for row in block.rows:
        for i, cell in enumerate(row):
            pieces[i] = max(pieces[i], _longest_piece(cell))
            named[i] = named[i] or _has_name(cell)
    if sum(pieces) + _COLUMN_GAP * (len(pieces) - 1) <= width:
        return None
    candidates = [i for i, c in enumerate(block.columns) if named[i] and not c.numeric]
    return max(candidates, key=pieces.__getitem__, default=None)


def _lines(cell: Cell) -> tuple[Line, ...]:
    return cell.lines if isinstance(cell, Bullets) else (cell,)


def _longest_piece(cell: Cell) -> int:
    """The widest stretch of a cell that Rich will not break (names and figures glued)."""
    bullet = _BULLET if isinstance(cell, Bullets) and len(cell.lines) > 1 else 0
    return max(
        (
            bullet + max(map(cell_len, "".join(map(_glued, line)).split(" ")), default=0)
            for line in _lines(cell)
        ),
        default=0,
    )


def _has_name(cell: Cell) -> bool:
    return any(span.kind == "name" for line in _lines(cell) for span in line)


def _cell(cell: Cell, names_whole: bool = True) -> RenderableType:
    if not isinstance(cell, Bullets):
        return _text(cell, names_whole=names_whole)
    if len(cell.lines) == 1:
        return _text(cell.lines[0], names_whole=names_whole)
    # A grid, so that a reason wrapped onto more lines hangs under its own bullet.
    grid = RichTable.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for item in cell.lines:
        grid.add_row("•", _text(item, names_whole=names_whole))
    return grid


def _chain(chain: Chain, width: int) -> Text:
    """`Reception (15m) →[4h] Registration (2h 50m) → … → Patient` as styled Text.

    Lines break only before an arrow, so a handoff stays with the unit it hands to (a single
    step wider than `width` still wraps)."""
    pieces: list[Text] = []
    current = Text()
    for index, step in enumerate(chain.steps):
        if chain.omitted and index == chain.head:
            pieces.append(current)
            current = Text(f"… {chain.omitted:,} more units …", style="dim")
        if step.kind == "handoff":
            pieces.append(current)
            current = Text()
            current.append("→", style="cyan")
            if step.time is not None:
                current.append(f"[{_glued(step.time)}]", style="yellow")
            current.append(" ")
            continue
        if step.name is not None:
            current.append(_glued(step.name), style="bold")
        if step.time is not None:
            current.append(f" ({_glued(step.time)})", style="dim")
    pieces.append(current)
    text = Text()
    used = 0
    for piece in pieces:
        if not piece.cell_len:
            continue
        if used and used + 1 + piece.cell_len > width:
            text.append("\n")
            used = 0
        elif used:
            text.append(" ")
            used += 1
        text.append_text(piece)
        used += piece.cell_len
    return text

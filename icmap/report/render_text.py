"""Renders a `Document` as text for a terminal with Rich: rules, tables, chains, colours.

Readable at 80 columns. User text only ever enters as `Text` objects (never markup), so a
name such as `[bold]x` or `:smile:` is shown as written and cannot restyle the report. A
name or figure is never broken across lines: its spaces are held together by a stand-in
character while Rich lays the text out, and given back after; a table too wide for the
line is narrowed so that none of those is cut (see `_layout`). The one exception is a
table too narrow even then for its names kept whole (long names beside columns of
figures): there the widest column of names breaks them at their spaces, never inside a
word.
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
    loose, widths = _layout(block, width)
    for i, column in enumerate(block.columns):
        table.add_column(
            column.title,
            overflow="fold",
            justify="right" if column.numeric else "left",
            width=None if widths is None else widths[i],
        )
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


def _layout(block: Table, width: int) -> tuple[int | None, list[int] | None]:
    """The column whose names break at their spaces (None: names stay whole), and the
    content width of each column (None: Rich's own, when every column fits at its full
    width).

    Rich narrows a table too wide by taking cells from its widest columns, down to any
    width, and cuts what no longer fits wherever the line runs out: inside a name, a
    figure or a word. Here no column is narrowed below its longest unbreakable piece (a
    word, a figure, a whole name), the widest ones giving way first as in Rich. When even
    that is too wide, the widest column of names lets its names wrap at their spaces; if
    the table still cannot fit, Rich lays it out as it can."""
    room = width - _COLUMN_GAP * (len(block.columns) - 1)
    low, high, named = _bounds(block, None)
    if sum(high) <= room:
        return None, None
    if sum(low) <= room:
        return None, _narrowed(high, low, room)
    names = [i for i, column in enumerate(block.columns) if named[i] and not column.numeric]
    if not names:
        return None, None
    loose = max(names, key=low.__getitem__)
    low, _, _ = _bounds(block, loose)
    return loose, _narrowed(high, low, room) if sum(low) <= room else None


def _bounds(block: Table, loose: int | None) -> tuple[list[int], list[int], list[bool]]:
    """Per column: the longest piece that cannot be broken (of its title, a word), the
    longest line whole, and whether it holds a name."""
    low = [max(map(cell_len, c.title.split()), default=0) for c in block.columns]
    high = [cell_len(c.title) for c in block.columns]
    named = [False] * len(block.columns)
    for row in block.rows:
        for i, cell in enumerate(row):
            bullet = _BULLET if isinstance(cell, Bullets) and len(cell.lines) > 1 else 0
            for line in _lines(cell):
                laid = "".join(_glued(span, i != loose) for span in line)
                low[i] = max(low[i], bullet + max(map(cell_len, laid.split(" ")), default=0))
                high[i] = max(high[i], bullet + cell_len(laid))
                named[i] = named[i] or any(span.kind == "name" for span in line)
    return low, high, named


def _narrowed(widths: list[int], floors: list[int], room: int) -> list[int]:
    """`widths` less a cell at a time from the widest column above its floor (the last of
    equals: the first column names the row) until they add up to `room` (the floors add
    up to at most `room`)."""
    widths = list(widths)
    for _ in range(sum(widths) - room):
        i = max(
            (i for i in range(len(widths)) if widths[i] > floors[i]),
            key=lambda i: (widths[i], i),
        )
        widths[i] -= 1
    return widths


def _lines(cell: Cell) -> tuple[Line, ...]:
    return cell.lines if isinstance(cell, Bullets) else (cell,)


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

"""The document model every human-readable report is built as: sections, tables, typed cells.

A report is built once as a `Document` and then rendered by a renderer that only decides
markup: `icmap.report.render_text` (Rich, for a terminal), `icmap.report.render_markdown`
(GitHub-flavoured Markdown), and whatever comes next (HTML through Jinja2, diff reports).
The words and figures are chosen while the document is built (with `icmap.formatting`), so
renderers cannot disagree about them.

Building a report::

    from icmap.report import document as d

    doc = d.Document("Lakeside Family Clinic", (
        d.Section("summary", "Summary", (d.Facts((("Units", d.line(d.plain("15"))),)),)),
        d.Section("breaches", "Service breaches", (
            d.Table(
                "Breached handoffs",
                (d.Column("Supplier"), d.Column("Ratio", numeric=True)),
                ((d.line(d.name("it", "IT Helpdesk")), d.line(d.ratio(2.25))),),
                more=d.Note("… and 3 more"),
            ),
        )),
    ))
    text = render_text(doc, width=80)   # or render_markdown(doc)

The pieces:

- `Span`: one run of text with a kind (`SPAN_KINDS`: `text` ours, `name` user text with the
  id it names, `duration`, `ratio`, `percent`, `rating`, `score`, `count`) and an optional
  `tone` (`TONES`). The raw `value` (hours, a ratio, an id) is kept beside the words, for
  renderers that sort or link (HTML) and for diffs. Spans other than `text` are never broken
  across lines.
- `Line`: a tuple of spans read as one phrase; `Bullets`: several lines in one cell.
- Blocks of a section: `Facts` (label: line pairs), `Table` (a title, columns, rows of
  cells, an optional `more` note when rows were cut), `Paragraph` (one line), `Chain` (a
  path: units, handoffs, the customer; `omitted` units between its head and tail), `Note`.
- `Section`: a stable `key` (the same in every renderer: tests compare sections by it), a
  title, its blocks, and a `level` (1 a part of the report, 2 a part within the one before).
"""

from __future__ import annotations

from dataclasses import dataclass

from icmap import formatting

SPAN_KINDS = ("text", "name", "duration", "ratio", "percent", "rating", "score", "count")
TONES = ("strong", "bad", "good", "dim", "accent")


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text of one kind; `value` is the figure or id it shows."""

    text: str
    kind: str = "text"
    value: float | str | None = None
    tone: str | None = None


Line = tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Bullets:
    """Several lines in one table cell, one bullet each (reasons)."""

    lines: tuple[Line, ...]


Cell = Line | Bullets


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its heading, and whether it holds figures (right-aligned)."""

    title: str
    numeric: bool = False


@dataclass(frozen=True, slots=True)
class Note:
    """A remark under a block, such as how many rows were left out and where they are."""

    text: str


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a title: rows of cells, one per column."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    more: Note | None = None


@dataclass(frozen=True, slots=True)
class Facts:
    """Label: value pairs (a summary, a path's figures)."""

    rows: tuple[tuple[str, Line], ...]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One line of prose."""

    line: Line


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a path chain: a unit (with its lead time), a handoff, or the customer."""

    kind: str  # "unit", "handoff" or "customer"
    name: Span | None = None  # units and customers
    time: Span | None = None  # a unit's lead time, a handoff's time (None: no time)


@dataclass(frozen=True, slots=True)
class Chain:
    """A path from the first supplier to the customer; `omitted` units are left out after
    `head` steps (the tail follows), so a path of thousands of units stays readable."""

    steps: tuple[Step, ...]
    omitted: int = 0
    head: int = 0  # steps before the omission


Block = Facts | Table | Paragraph | Chain | Note


@dataclass(frozen=True, slots=True)
class Section:
    """A part of a report: a stable key, a title (a line, so names keep their kind), blocks."""

    key: str
    title: Line
    blocks: tuple[Block, ...]
    level: int = 1


@dataclass(frozen=True, slots=True)
class Document:
    """A whole report: its title and its sections in reading order."""

    title: Line
    sections: tuple[Section, ...]


# ---- building spans: the words of every figure come from icmap.formatting


def plain(text: str, tone: str | None = None) -> Span:
    """Our own words."""
    return Span(text, "text", None, tone)


def name(node_id: str, label: str, tone: str | None = None) -> Span:
    """What people call a unit, department or customer (user text), with its id."""
    return Span(label, "name", node_id, tone)


def duration(hours: float | None, hours_per_day: float, tone: str | None = None) -> Span:
    """Hours as `1d 2h` in the org's working days; `n/a` when unknown."""
    if hours is None:
        return Span(formatting.UNKNOWN, "duration", None, tone)
    return Span(formatting.duration(hours, hours_per_day), "duration", hours, tone)


def ratio(value: float, tone: str | None = None) -> Span:
    """`×2.25`."""
    return Span(formatting.ratio(value), "ratio", value, tone)


def percent(fraction: float | None, tone: str | None = None) -> Span:
    """`12.5%`."""
    return Span(formatting.percent(fraction), "percent", fraction, tone)


def rating(value: float | None, tone: str | None = None) -> Span:
    """`2.5`."""
    return Span(formatting.rating(value), "rating", value, tone)


def score(value: float, tone: str | None = None) -> Span:
    """`67.22`."""
    return Span(formatting.score(value), "score", value, tone)


def count(number: int, tone: str | None = None) -> Span:
    """`12,345`."""
    return Span(formatting.count(number), "count", number, tone)


def line(*parts: Span | str) -> Line:
    """A line from spans, a bare string being our own words."""
    return tuple(plain(p) if isinstance(p, str) else p for p in parts)


def text_of(cell: Cell | Line) -> str:
    """The plain words of a cell or line (bullets joined by `; `), for tests and notes."""
    if isinstance(cell, Bullets):
        return "; ".join(text_of(item) for item in cell.lines)
    return "".join(span.text for span in cell)


def rows_of(section: Section) -> list[str]:
    """Every row of a section's tables and facts as plain text, in order: what a renderer
    must show (the no-drift test compares renderers with it)."""
    found: list[str] = []
    for block in section.blocks:
        if isinstance(block, Table):
            found += [" | ".join(text_of(c) for c in row) for row in block.rows]
        elif isinstance(block, Facts):
            found += [f"{label}: {text_of(value)}" for label, value in block.rows]
    return found

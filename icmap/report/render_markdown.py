"""Renders a `Document` as GitHub-flavoured Markdown, for a wiki page or a pull request.

Every piece of text goes through `escape`, so a name such as `a|b<script>` can neither break
a table nor inject HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

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
    Section,
    Table,
)

# Characters that start markdown syntax inline (emphasis, code, links, HTML, tables,
# strikethrough, math, entities, @mentions); all are ASCII punctuation, which CommonMark
# lets us escape with a backslash.
_ACTIVE = re.compile(r"([\\`*_{}\[\]<>|~!#&$@])")
# C0/C1 control characters (and DEL): user text stays on one line.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def escape(text: str) -> str:
    """Text as literal markdown on one line: active characters backslash-escaped."""
    return _ACTIVE.sub(r"\\\1", _CONTROL.sub(" ", text))


def render_markdown(document: Document) -> str:
    """The document as GitHub-flavoured markdown text."""
    lines: list[str] = [f"# {_line(document.title)}", ""]
    for section in document.sections:
        lines += _section(section)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def _section(section: Section) -> list[str]:
    lines = [f"{'#' * (section.level + 1)} {_line(section.title)}", ""]
    for block in section.blocks:
        lines += _block(block)
    return lines


def _line(line: Line) -> str:
    out = []
    for span in line:
        text = escape(span.text)
        out.append(f"**{text}**" if span.tone in ("strong", "bad") and text else text)
    return "".join(out)


def _block(block: Block) -> list[str]:
    if isinstance(block, Facts):
        return [f"- **{escape(label)}:** {_line(value)}" for label, value in block.rows] + [""]
    if isinstance(block, Table):
        rows = table([c.title for c in block.columns], ([_cell(c) for c in r] for r in block.rows))
        title = [f"**{escape(block.title)}**", ""]
        return title + rows + (_note(block.more) if block.more is not None else [])
    if isinstance(block, Chain):
        return [_chain(block), ""]
    if isinstance(block, Paragraph):
        return [_line(block.line), ""]
    if isinstance(block, Note):
        return _note(block)
    raise TypeError(f"not a block: {block!r}")


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A GitHub table; cells must already be escaped (`|` in them breaks the table)."""
    out = ["| " + " | ".join(escape(h) for h in header) + " |"]
    out.append("|" + "|".join("---" for _ in header) + "|")
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return [*out, ""]


def _cell(cell: Cell) -> str:
    if not isinstance(cell, Bullets):
        return _line(cell)
    if len(cell.lines) == 1:
        return _line(cell.lines[0])
    # One table cell: items on their own lines (<br>, ours; user text has `<` escaped).
    return "<br>".join(f"• {_line(item)}" for item in cell.lines)


def _chain(chain: Chain) -> str:
    parts: list[str] = []
    for index, step in enumerate(chain.steps):
        if chain.omitted and index == chain.head:
            parts.append(f"_… {chain.omitted:,} more units …_")
        if step.kind == "handoff":
            parts.append(f"→\\[{escape(step.time.text)}\\]" if step.time is not None else "→")
            continue
        shown = f"**{escape(step.name.text)}**" if step.name is not None else ""
        if step.time is not None:
            shown += f" ({escape(step.time.text)})"
        parts.append(shown)
    return " ".join(parts)


def _note(note: Note) -> list[str]:
    return [f"_{escape(note.text)}_", ""]

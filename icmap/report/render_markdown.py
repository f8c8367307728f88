"""Renders a `Document` as GitHub-flavoured Markdown, for a wiki page or a pull request.

Every piece of text goes through `escape`, so a name such as `a|b<script>` can neither break
a table nor inject HTML, nor become a link.
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
from icmap.textsafety import markdown_inline

# In our own words only these would change how a line renders (a table cell, emphasis).
_OURS = re.compile(r"([\\`*_\[\]<>|])")


def escape(text: str) -> str:
    """Text as literal markdown on one line: active characters backslash-escaped, no
    autolink, no bidirectional control (`icmap.textsafety.markdown_inline`). Spaces at
    either end are kept: a span of a line may begin or end with one."""
    core = text.strip()
    if not core:
        return " " if text else ""
    start = text.index(core[0])
    end = len(text) - len(text.rstrip())
    return text[:start] + markdown_inline(core) + (text[len(text) - end :] if end else "")


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


def _ours(text: str) -> str:
    """Our own words (never user text) with the few characters that would render escaped."""
    return _OURS.sub(r"\\\1", text)


def _line(line: Line) -> str:
    out = []
    for span in line:
        text = escape(span.text) if span.kind == "name" else _ours(span.text)
        out.append(f"**{text}**" if span.tone in ("strong", "bad") and text else text)
    return "".join(out)


def _block(block: Block) -> list[str]:
    if isinstance(block, Facts):
        return [f"- **{_ours(label)}:** {_line(value)}" for label, value in block.rows] + [""]
    if isinstance(block, Table):
        rows = table([c.title for c in block.columns], ([_cell(c) for c in r] for r in block.rows))
        title = [f"**{_ours(block.title)}**", ""]
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
    out = ["| " + " | ".join(_ours(h) for h in header) + " |"]
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
            parts.append(f"→\\[{_ours(step.time.text)}\\]" if step.time is not None else "→")
            continue
        shown = f"**{escape(step.name.text)}**" if step.name is not None else ""
        if step.time is not None:
            shown += f" ({_ours(step.time.text)})"
        parts.append(shown)
    return " ".join(parts)


def _note(note: Note) -> list[str]:
    return [f"_{_ours(note.text)}_", ""]

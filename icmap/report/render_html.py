"""Renders a `Document` as an HTML fragment (Jinja2, autoescaped), for the workshop handout.

Every piece of text is escaped by Jinja2's autoescaping, and user text (a `name` span) also
loses its bidirectional controls (`icmap.textsafety.one_line`), so a name is shown as written
and is never markup or script. Tables carry each cell's raw value in `data-value`, so the
handout's script can sort them by figure rather than by words; a name links to its unit in
the chart through `data-unit`.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, select_autoescape

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
    Span,
    Table,
)
from icmap.textsafety import one_line

_TEMPLATE = """\
{%- macro span(s) -%}
{%- if s.kind == "name" -%}
<span class="name{{ ' tone-' ~ s.tone if s.tone }}" data-unit="{{ s.value }}">{{ s.text }}</span>
{%- elif s.tone or s.kind != "text" -%}
<span class="{{ s.kind }}{{ ' tone-' ~ s.tone if s.tone }}">{{ s.text }}</span>
{%- else -%}{{ s.text }}{%- endif -%}
{%- endmacro -%}
{%- macro line(l) -%}{% for s in l %}{{ span(s) }}{% endfor %}{%- endmacro -%}
{%- macro cell(c) -%}
{%- if c.bullets is not none -%}
<ul>{% for item in c.bullets %}<li>{{ line(item) }}</li>{% endfor %}</ul>
{%- else -%}{{ line(c.line) }}{%- endif -%}
{%- endmacro -%}
{%- for section in sections %}
<section class="report-section level-{{ section.level }}" id="section-{{ section.key }}">
<h{{ section.level + 1 }}>{{ line(section.title) }}</h{{ section.level + 1 }}>
{%- for block in section.blocks %}
{%- if block.kind == "facts" %}
<dl class="facts">
{%- for label, value in block.rows %}
<dt>{{ label }}</dt><dd>{{ line(value) }}</dd>
{%- endfor %}
</dl>
{%- elif block.kind == "table" %}
<figure class="table">
<figcaption>{{ block.title }}</figcaption>
<table class="sortable">
<thead><tr>
{%- for column in block.columns %}<th scope="col"{{ ' class="numeric"'|safe if column.numeric }}>
<button type="button" class="sort" aria-label="Sort by {{ column.title or 'this column' }}">{{ column.title }}</button></th>
{%- endfor %}
</tr></thead>
<tbody>
{%- for row in block.rows %}
<tr>{% for c in row %}<td{{ ' class="numeric"'|safe if block.columns[loop.index0].numeric }} data-value="{{ c.value }}">{{ cell(c) }}</td>{% endfor %}</tr>
{%- endfor %}
</tbody>
</table>
{%- if block.more %}<p class="note">{{ block.more }}</p>{% endif %}
</figure>
{%- elif block.kind == "chain" %}
<p class="chain">
{%- for step in block.steps %}
{%- if block.omitted and loop.index0 == block.head %}<span class="omitted">… {{ block.omitted }} more units …</span>{% endif %}
{%- if step.kind == "handoff" %}<span class="handoff">→{% if step.time %}<span class="duration">{{ step.time.text }}</span>{% endif %}</span>
{%- else %}<span class="step {{ step.kind }}">{{ span(step.name) if step.name }}{% if step.time %} <span class="duration">{{ step.time.text }}</span>{% endif %}</span>
{%- endif %}
{%- endfor %}
</p>
{%- elif block.kind == "paragraph" %}
<p>{{ line(block.line) }}</p>
{%- elif block.kind == "note" %}
<p class="note">{{ block.text }}</p>
{%- endif %}
{%- endfor %}
</section>
{%- endfor %}
"""

_ENVIRONMENT = Environment(
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=False,
    lstrip_blocks=False,
    keep_trailing_newline=True,
)
_COMPILED = _ENVIRONMENT.from_string(_TEMPLATE)


def render_html(document: Document) -> str:
    """The sections of the document as an HTML fragment (the handout gives the page)."""
    return _COMPILED.render(sections=[_section(s) for s in document.sections])


def _section(section: Section) -> dict[str, Any]:
    return {
        "key": section.key,
        "level": min(max(section.level, 1), 5),
        "title": _line(section.title),
        "blocks": [_block(b) for b in section.blocks],
    }


def _span(span: Span) -> Span:
    if span.kind != "name":
        return span
    return Span(one_line(span.text), span.kind, span.value, span.tone)


def _line(line: Line) -> list[Span]:
    return [_span(s) for s in line]


def _cell(cell: Cell) -> dict[str, Any]:
    if isinstance(cell, Bullets):
        return {"bullets": [_line(item) for item in cell.lines], "line": None, "value": ""}
    values = [s.value for s in cell if s.kind != "text" and s.value is not None]
    sort_value = values[0] if len(values) == 1 else "".join(s.text for s in cell)
    return {"bullets": None, "line": _line(cell), "value": sort_value}


def _block(block: Block) -> dict[str, Any]:
    if isinstance(block, Facts):
        return {"kind": "facts", "rows": [(label, _line(value)) for label, value in block.rows]}
    if isinstance(block, Table):
        return {
            "kind": "table",
            "title": block.title,
            "columns": block.columns,
            "rows": [[_cell(c) for c in row] for row in block.rows],
            "more": block.more.text if block.more is not None else "",
        }
    if isinstance(block, Chain):
        steps = [
            {
                "kind": step.kind,
                "name": _span(step.name) if step.name is not None else None,
                "time": step.time,
            }
            for step in block.steps
        ]
        return {"kind": "chain", "steps": steps, "omitted": block.omitted, "head": block.head}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "line": _line(block.line)}
    if isinstance(block, Note):
        return {"kind": "note", "text": block.text}
    raise TypeError(f"not a block: {block!r}")

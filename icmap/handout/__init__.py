"""The workshop handout: one self-contained HTML file with the chart, the report and a panel.

`build_handout(analysis, svg, floats)` gives the page: the chart's SVG inline (zoomable,
pannable; choosing a unit highlights its suppliers and internal customers and opens its
figures), the analysis report rendered from its document (`icmap.report.render_html`), a
print stylesheet (A4, the chart on a page of its own), and a small script with no framework.
Nothing is fetched: CSS, script and SVG are all in the file.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from typing import Any

from icmap.analysis.result import Analysis
from icmap.handout.panels import unit_panels
from icmap.report.analysis.sections import analysis_document
from icmap.report.document import text_of
from icmap.report.render_html import render_html

# What an SVG file carries before its <svg> element, and the comments Graphviz writes in it
# (one holds the graph's name: user text that must not reach the page as a comment).
_PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.S)
_SIZE = re.compile(r'\s(width|height)="[^"]*"')


def build_handout(
    analysis: Analysis, svg: str, floats: dict[tuple[str, str], float], version: str
) -> str:
    """The handout page as HTML text. `svg` is the chart drawn by Graphviz; `floats` the
    float of each unit per customer, (unit, customer) -> hours; `version` icmap's own."""
    from jinja2 import Environment, select_autoescape

    document = analysis_document(analysis)
    environment = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    template = environment.from_string(_read("page.html.j2"))
    return template.render(
        title=text_of(document.title),
        organization=analysis.org.name,
        version=version,
        style=_markup(_read("handout.css")),
        script=_markup(_read("handout.js")),
        chart=_markup(inline_svg(svg)),
        report=_markup(render_html(document)),
        data=_markup(script_json(unit_panels(analysis, floats))),
    )


def inline_svg(svg: str) -> str:
    """An SVG document as an element to put in HTML: no prolog, doctype or comments, and
    no fixed size (the page sizes it; its viewBox keeps the drawing's proportions)."""
    body = _PROLOG.sub("", svg).strip()
    start = body.find("<svg")
    if start < 0:
        raise ValueError("not an SVG document")
    end = body.index(">", start)
    head = _SIZE.sub("", body[start:end])
    return head + ' id="chart-svg" role="img" aria-label="Internal-customer chart"' + body[end:]


def script_json(value: Any) -> str:
    """JSON that can sit inside a <script> element: `<`, `>` and `&` escaped, so no text in
    it can close the element or open a comment."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _markup(text: str) -> Any:
    from markupsafe import Markup

    return Markup(text)  # built by our own escaping writers: not to be escaped again


def _read(name: str) -> str:
    return files("icmap.handout").joinpath(name).read_text(encoding="utf-8")

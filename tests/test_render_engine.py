"""Real renders through the Graphviz bundled in pygraphviz, and the fallbacks when it is missing.

No system Graphviz is needed (or used) here: the checks read the produced bytes, SVG parsed
as XML, PNG and PDF by their signatures.
"""

from __future__ import annotations

import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import graphviz
import pytest
from render_fixtures import bakery_analysis, load_org, plain_analysis
from test_render_dot import HOSTILE, HOSTILE_TEXTS

from icmap.analysis.result import Analysis
from icmap.render import (
    DrawFailed,
    EngineMissing,
    ViewOptions,
    draw,
    drawing,
    engine_name,
    to_dot,
    view_of,
)

SVG = "{http://www.w3.org/2000/svg}"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (it follows the 8-byte signature)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def svg_texts(svg: bytes) -> tuple[ET.Element, str]:
    root = ET.fromstring(svg)
    return root, "".join(t.text or "" for t in root.iter(f"{SVG}text"))


@pytest.fixture
def bakery(tmp_path: Path) -> Analysis:
    return bakery_analysis(load_org(tmp_path))


def test_svg_has_every_node_and_label(bakery: Analysis) -> None:
    root, text = svg_texts(draw(to_dot(view_of(bakery)), "svg"))
    titles = {g.findtext(f"{SVG}title") for g in root.iter(f"{SVG}g") if g.get("class") == "node"}
    assert titles == {"baker", "cleaner", "miller", "painter", "shop"}
    edges = {g.findtext(f"{SVG}title") for g in root.iter(f"{SVG}g") if g.get("class") == "edge"}
    # Each labelled handoff runs through its label's box: miller -> _e4 -> baker. The feedback
    # baker -> miller is drawn along the stream, as miller -> _e1 -> baker (see test_dot).
    assert edges == {
        "miller->_e1", "_e1->baker", "baker->_e2", "_e2->shop",
        "cleaner->_e3", "_e3->baker", "miller->_e4", "_e4->baker",
    }  # fmt: skip
    for shown in ("Tiny Bakery", "Head Baker", "#1", "SPOF", "fresh bread", "⚠ ×2.0", "Kitchen"):
        assert shown in text
    assert "Critical path to Shop Customer: 1d 3h through 2 units, 3h late" in text


def test_png_and_pdf(bakery: Analysis) -> None:
    chart = view_of(bakery)
    small = png_size(draw(to_dot(chart, dpi=48), "png"))
    large = png_size(draw(to_dot(chart, dpi=96), "png"))
    assert small[0] > 100 and small[1] > 50
    # Twice the dots per inch, about twice the pixels each way (rounding aside).
    assert abs(large[0] - 2 * small[0]) <= 4 and abs(large[1] - 2 * small[1]) <= 4
    assert draw(to_dot(chart), "pdf").startswith(b"%PDF-")


@pytest.mark.parametrize("theme", ["default", "print", "dark"])
@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_every_theme_and_direction_draws_cleanly(
    bakery: Analysis, theme: str, direction: str
) -> None:
    # drawing() fails on any error Graphviz reports (an HTML label it cannot read, say) and
    # keeps its warnings (a legend cell too small for its content, say): there are none.
    for options in (ViewOptions(), ViewOptions(collapse=True)):
        chart = view_of(bakery, options)
        result = drawing(to_dot(chart, theme=theme, direction=direction), "svg")
        assert result.messages == ()
        assert b"Shop Customer" in result.data


def test_hostile_names_are_shown_literally_in_svg(tmp_path: Path) -> None:
    chart = view_of(plain_analysis(load_org(tmp_path, HOSTILE, "hostile.yaml")))
    svg = draw(to_dot(chart), "svg")
    root, text = svg_texts(svg)
    assert not [e for e in root.iter() if e.tag.split("}")[-1].lower() == "script"]
    assert not [k for e in root.iter() for k in e.attrib if k.lower().startswith("on")]
    assert b"<script" not in svg and b"<i>" not in svg and b"<b>" not in svg
    # Names wrap onto several lines; with the breaks taken out, every text is there as typed.
    squeezed = "".join(text.split())
    for typed in HOSTILE_TEXTS:
        assert "".join(typed.split()) in squeezed, typed


def test_bad_dot_fails_clearly() -> None:
    with pytest.raises(DrawFailed, match="Graphviz could not draw"):
        draw("digraph { a -> }", "svg")
    with pytest.raises(ValueError, match="cannot draw 'gif'"):
        draw("digraph { a }", "gif")


def test_without_pygraphviz_a_system_dot_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pygraphviz", None)  # import fails
    calls = []

    def pipe(self: graphviz.Source, format: str, engine: str, quiet: bool) -> bytes:
        calls.append((self.source.strip(), format, engine))
        return b"<svg/>"

    monkeypatch.setattr(graphviz.Source, "pipe", pipe)
    assert draw("digraph { a }", "svg") == b"<svg/>"
    assert calls == [("digraph { a }", "svg", "dot")]


def test_without_any_graphviz_the_error_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pygraphviz", None)

    def pipe(self: graphviz.Source, **kwargs: object) -> bytes:
        raise graphviz.ExecutableNotFound(["dot"])

    def version() -> tuple[int, ...]:
        raise graphviz.ExecutableNotFound(["dot"])

    monkeypatch.setattr(graphviz.Source, "pipe", pipe)
    monkeypatch.setattr(graphviz, "version", version)
    with pytest.raises(EngineMissing, match="pip install pygraphviz"):
        draw("digraph { a }", "png")
    assert engine_name() is None


def test_engine_name() -> None:
    assert engine_name() == "pygraphviz"


def test_graphviz_warnings_are_kept_in_plain_words() -> None:
    result = drawing("digraph { a [shape=foo] }", "svg")
    assert result.messages == ("using box for unknown shape foo",)
    assert result.data.startswith(b"<?xml")

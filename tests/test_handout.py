"""`icmap handout`: one self-contained HTML file; escaping; size (no browser here)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from handout_fixtures import HOSTILE_NAMES, write_hostile
from typer.testing import CliRunner

from icmap.cli import app
from icmap.handout import inline_svg, script_json
from icmap.report import document as d
from icmap.report.render_html import render_html

EXAMPLES = Path(__file__).parent.parent / "examples"
runner = CliRunner()


def _handout(org: Path, out: Path) -> str:
    result = runner.invoke(app, ["handout", str(org), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8")


def test_clinic_handout_is_one_file_under_a_megabyte(tmp_path: Path) -> None:
    page = _handout(EXAMPLES / "clinic.yaml", tmp_path / "clinic.html")
    assert len(page.encode("utf-8")) <= 1_000_000
    # Nothing is fetched: no external script, style, image or font.
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    assert page.count("<svg") == 1 and "<?xml" not in page and "<!DOCTYPE svg" not in page
    # Every section of the analysis report is there.
    for key in (
        "summary",
        "critical_path:patient",
        "late_units",
        "bottlenecks",
        "service_breaches",
    ):
        assert f'id="section-{key}"' in page


def test_unit_data_is_json_the_script_cannot_break_out_of(tmp_path: Path) -> None:
    page = _handout(write_hostile(tmp_path), tmp_path / "hostile.html")
    data = page.split('<script type="application/json" id="icmap-units">', 1)[1].split("</script>")[
        0
    ]
    assert "<" not in data and ">" not in data  # so `</script>` cannot end the element
    units = json.loads(data)
    assert units["lab"]["name"] == HOSTILE_NAMES["lab"]  # the name itself, not an escape of it
    assert units["client"]["name"] == "Client gnp.exe"  # the bidi override removed


class _Tags(HTMLParser):
    """Every start tag of a page with its attributes, and the text of its scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_no_name_becomes_markup(tmp_path: Path) -> None:
    page = _handout(write_hostile(tmp_path), tmp_path / "hostile.html")
    parser = _Tags()
    parser.feed(page)
    tags = [tag for tag, _ in parser.tags]
    # Our own two scripts (the data and the code), and no element any name tried to make.
    assert tags.count("script") == 2
    assert not {"img", "iframe", "b", "object", "embed"} & set(tags)
    handlers = [(t, k) for t, attrs in parser.tags for k in attrs if k.startswith("on")]
    assert handlers == []
    # The names are there as text: escaped in the page, shown literally by a browser.
    assert "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;Desk" in page
    assert ">49<" not in page  # `{{ 7*7 }}` in a name is not a template expression


def test_svg_is_inlined_without_prolog_comments_or_size() -> None:
    svg = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "x" "y">\n<!-- Title: --><script>x</script> -->\n'
        '<svg width="100pt" height="50pt" viewBox="0 0 100 50"><g/></svg>\n'
    )
    assert inline_svg(svg) == (
        '<svg viewBox="0 0 100 50" id="chart-svg" role="img" '
        'aria-label="Internal-customer chart"><g/></svg>'
    )


def test_script_json_escapes_what_could_end_a_script() -> None:
    assert script_json({"a": "</script><!--&"}) == '{"a":"\\u003c/script\\u003e\\u003c!--\\u0026"}'


def test_render_html_escapes_names_and_keeps_figures_sortable() -> None:
    document = d.Document(
        d.line("T"),
        (
            d.Section(
                "s",
                d.line("Section"),
                (
                    d.Table(
                        "Units",
                        (d.Column("Unit"), d.Column("Lead", numeric=True)),
                        ((d.line(d.name("u1", "<b>A</b> & B")), d.line(d.duration(26, 8))),),
                    ),
                ),
            ),
        ),
    )
    html = render_html(document)
    assert '<span class="name" data-unit="u1">&lt;b&gt;A&lt;/b&gt; &amp; B</span>' in html
    # 26h in 8-hour days is 3d 2h; the cell keeps its hours for sorting.
    assert 'data-value="26"><span class="duration">3d 2h</span>' in html


def test_handout_needs_a_file_on_a_terminal_and_refuses_a_bad_org(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("icmap: 1\norganization: X\nroles:\n  - id: a\n    depends_on: [b]\n")
    result = runner.invoke(app, ["handout", str(bad), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 1
    assert not (tmp_path / "x.html").exists()

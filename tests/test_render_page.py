"""`icmap render --page`: the drawing laid out for a printed page, checked from the PDF itself
and from Graphviz's layout (the smallest text at print size)."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from icmap.api import analyze, check
from icmap.cli import app
from icmap.render import Chart, LayoutCrashed, ViewOptions, to_dot, view_of
from icmap.render.layout import layout_of
from icmap.render.page import PAGE_MARGIN, PAGES, best_direction, fit_to_page
from icmap.render.variants import choose_layout

REPO = Path(__file__).resolve().parent.parent
CLINIC = str(REPO / "examples" / "clinic.yaml")
runner = CliRunner()


def media_box(pdf: bytes) -> tuple[float, float]:
    """The page size a PDF declares: its /MediaBox [x0 y0 x1 y1]."""
    match = re.search(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", pdf)
    assert match is not None
    x0, y0, x1, y1 = (float(v) for v in match.groups())
    return x1 - x0, y1 - y0


def clinic_chart(collapse: bool = False) -> Chart:
    result = check(CLINIC)
    assert result.org is not None
    return view_of(analyze(result.org, graph=result.graph), ViewOptions(collapse=collapse))


def test_a3_landscape_pdf_is_a3_landscape(tmp_path: Path) -> None:
    out = tmp_path / "clinic.pdf"
    result = runner.invoke(app, ["render", CLINIC, "--page", "A3", "--landscape", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    width, height = media_box(out.read_bytes())
    # A3 is 297 x 420 mm = 841.89 x 1190.55 pt; turned: 1190.55 wide. Graphviz writes whole
    # points.
    assert abs(width - 1190.55) <= 1.5 and abs(height - 841.89) <= 1.5


def printed_font_sizes(pdf: bytes) -> list[float]:
    """The size every piece of text is printed at, read from the PDF's page content.

    Cairo (Graphviz's PDF writer) sets each run of text with `a 0 0 -a x y Tm` under a
    `1 0 0 -1 0 height cm` flip and a 1-point font (`/f 1 Tf`), so `a` is the printed size
    in points; a transformation that scales would change that, so the test refuses one.
    """
    sizes = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            content = zlib.decompress(stream).decode("latin-1")
        except zlib.error:
            continue  # a font or an image, not page content
        for match in re.finditer(r"(\S+) (\S+) (\S+) (\S+) \S+ \S+ cm", content):
            a, b, c, d = (float(v) for v in match.groups())
            assert (a, b, c, abs(d)) == (1.0, 0.0, 0.0, 1.0), match.group(0)  # moves, flips
        for match in re.finditer(r"([-\d.]+) 0 0 (-?[\d.]+) [-\d.]+ [-\d.]+ Tm", content):
            assert float(match.group(1)) == -float(match.group(2))
            sizes.append(float(match.group(1)))
        assert set(re.findall(r"/\S+ ([\d.]+) Tf", content)) <= {"1"}
    return sizes


def test_the_clinic_reads_on_a3_landscape_from_the_pdf_and_the_layout(tmp_path: Path) -> None:
    chart = clinic_chart()
    # By hand from Graphviz's layout: the room is the page less 1 cm each side; the drawing
    # is scaled by min(1, room width / drawing width, room height / drawing height); the
    # smallest text (9 pt: details, edge labels, legend) prints at 9 x that scale.
    room = (1190.55 - 2 * PAGE_MARGIN, 841.89 - 2 * PAGE_MARGIN)
    printed = {}
    for direction in ("LR", "TB"):
        layout = choose_layout(chart, direction=direction).layout  # as render draws it
        assert layout.smallest_font == 9.0
        scale = min(1.0, room[0] / layout.width, room[1] / layout.height)
        printed[direction] = 9.0 * scale
    _, fit = fit_to_page(chart, "A3", landscape=True)
    best = max(printed, key=lambda d: printed[d])
    assert (fit.direction, fit.smallest) == (best, pytest.approx(printed[best]))
    # The whole clinic (11 units deep, 21 ranks with its label boxes) reads on A3 landscape
    # top to bottom (one-line names and labels, badges in a row, the legend beside the
    # title): 7 pt or more, and no note.
    assert fit.direction == "TB" and fit.smallest >= 7
    out = tmp_path / "clinic.pdf"
    result = runner.invoke(app, ["render", CLINIC, "--page", "A3", "--landscape", "-o", str(out)])
    assert (result.exit_code, result.stderr) == (0, "")
    # The PDF itself: an A3 landscape page whose smallest text is printed at the size the
    # layout said (Graphviz writes sizes to 6 decimals), 7 pt or more.
    pdf = out.read_bytes()
    width, height = media_box(pdf)
    assert abs(width - 1190.55) <= 1.5 and abs(height - 841.89) <= 1.5
    sizes = printed_font_sizes(pdf)
    assert len(sizes) > 50  # every name, figure and label of 15 units and 25 handoffs
    assert min(sizes) == pytest.approx(fit.smallest, abs=0.01) and min(sizes) >= 7


def test_a_page_too_small_says_so_and_what_to_try(tmp_path: Path) -> None:
    # The clinic on A4 landscape (785.19 x 538.58 pt of room): top to bottom it is scaled to
    # about 54%, its 9 pt text to under 5 pt; the command says so and what to do instead.
    _, fit = fit_to_page(clinic_chart(), "A4", landscape=True)
    assert not fit.readable and fit.smallest < 5.5
    out = tmp_path / "clinic.pdf"
    result = runner.invoke(app, ["render", CLINIC, "--page", "A4", "-o", str(out)])
    assert result.exit_code == 0
    assert result.stderr == (
        f"icmap: note: on A4 landscape the smallest text of this chart prints at "
        f"{fit.smallest:.1f} pt (it is laid out at {fit.scale:.0%} of its size; 7 pt is needed "
        "to read it); try --collapse departments, --focus ID or a bigger page (--page A3)\n"
    )
    assert min(printed_font_sizes(out.read_bytes())) == pytest.approx(fit.smallest, abs=0.01)


def test_the_clinic_by_department_reads_on_a3_landscape(tmp_path: Path) -> None:
    _, fit = fit_to_page(clinic_chart(collapse=True), "A3", landscape=True)
    assert fit.smallest >= 7 and fit.readable
    out = tmp_path / "clinic.pdf"
    args = ["render", CLINIC, "--collapse", "departments", "--page", "A3", "-o", str(out)]
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stderr) == (0, "")
    width, height = media_box(out.read_bytes())
    assert abs(width - 1190.55) <= 1.5 and abs(height - 841.89) <= 1.5


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_in_portrait(page: str, tmp_path: Path) -> None:
    out = tmp_path / "chart.pdf"
    args = ["render", CLINIC, "--collapse", "departments", "--page", page, "--portrait"]
    result = runner.invoke(app, [*args, "-o", str(out)])
    assert result.exit_code == 0
    width, height = media_box(out.read_bytes())
    assert abs(width - PAGES[page][0]) <= 1.5 and abs(height - PAGES[page][1]) <= 1.5


def test_a_given_direction_is_kept_and_written_in_dot() -> None:
    result = runner.invoke(app, ["render", CLINIC, "--page", "A4", "--direction", "LR"])
    assert result.exit_code == 0
    # A4 landscape: 841.89 x 595.28 pt, less 28.35 pt each side = 785.19 x 538.58 pt
    # = 10.9054 x 7.4803 in of room.
    assert 'size="10.9054,7.4803"' in result.stdout and "rankdir=LR" in result.stdout


def test_page_does_not_apply_to_mermaid() -> None:
    result = runner.invoke(app, ["render", CLINIC, "--page", "A4", "-f", "mermaid"])
    assert result.exit_code == 2
    assert result.stderr == (
        "icmap: --page lays a drawing out for a page; Mermaid lays out its own (use svg or pdf)\n"
    )


def test_an_unknown_page_is_refused() -> None:
    result = runner.invoke(app, ["render", CLINIC, "--page", "A5", "-o", "x.pdf"])
    assert result.exit_code == 2
    assert "A4, A3, A2, A1, letter, tabloid" in result.stderr


def test_without_a_direction_render_draws_the_one_that_prints_larger() -> None:
    # The clinic laid out both ways (the plain variant): on A3 landscape (1134.15 x 785.19 pt
    # of room) its 9 pt text prints at 9 x min(1, room / size); top to bottom is larger.
    chart = clinic_chart()
    room = (1190.55 - 2 * PAGE_MARGIN, 841.89 - 2 * PAGE_MARGIN)
    printed = {}
    for direction in ("LR", "TB"):
        layout = layout_of(to_dot(chart, direction=direction))
        printed[direction] = 9.0 * min(1.0, room[0] / layout.width, room[1] / layout.height)
    assert printed["TB"] > 7 > printed["LR"]
    assert best_direction(chart) == "TB"
    # One box per department: left to right (1053 x 595 pt) fits A3 landscape at full size,
    # 9 pt; top to bottom (1158 x 418) is wider than the room and prints at 8.8 pt: LR.
    assert best_direction(clinic_chart(collapse=True)) == "LR"
    drawn = runner.invoke(app, ["render", CLINIC, "-f", "dot"])
    assert drawn.exit_code == 0 and "rankdir=TB" in drawn.stdout
    kept = runner.invoke(app, ["render", CLINIC, "-f", "dot", "--direction", "LR"])
    assert kept.exit_code == 0 and "rankdir=LR" in kept.stdout


def test_a_direction_graphviz_crashes_on_is_not_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    # dot stops in mincross on some charts in one direction only (the retailer focused on its
    # IT service desk, depth 2, top to bottom, with the bundled Graphviz): the other is drawn.
    import icmap.render.page as page
    import icmap.render.variants as variants

    real = page.layout_of

    def crashing_top_to_bottom(dot: str) -> object:
        if "rankdir=TB" in dot:
            raise LayoutCrashed("Graphviz stopped while laying out the chart")
        return real(dot)

    monkeypatch.setattr(page, "layout_of", crashing_top_to_bottom)
    monkeypatch.setattr(variants, "layout_of", crashing_top_to_bottom)
    chart = clinic_chart()  # top to bottom prints larger when it does not crash
    assert best_direction(chart) == "LR"
    _, fit = fit_to_page(chart, "A3", landscape=True)
    assert fit.direction == "LR" and fit.smallest < 7
    with pytest.raises(LayoutCrashed):
        fit_to_page(chart, "A3", landscape=True, direction="TB")

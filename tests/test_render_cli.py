"""`icmap render`: formats, where output goes, views, exit codes and messages, end to end.

These run the real analysis engine on small orgs and the bundled examples, and draw with the
Graphviz of the pygraphviz wheel.
"""

from __future__ import annotations

import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import graphviz
import pytest
from render_fixtures import BAKERY, write_org
from typer.testing import CliRunner, Result

from icmap.cli import app
from icmap.render.dot import CROWDED, LARGE

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(
    path.relative_to(REPO).as_posix()
    for path in [*(REPO / "examples").glob("*.yaml"), *(REPO / "examples").glob("*/*.yaml")]
)
SVG = "{http://www.w3.org/2000/svg}"
runner = CliRunner()


@pytest.fixture
def bakery(tmp_path: Path) -> Path:
    return write_org(tmp_path)


def render(*args: str | Path) -> Result:
    return runner.invoke(app, ["render", *(str(a) for a in args)])


def test_dot_to_stdout_by_default(bakery: Path) -> None:
    result = render(bakery)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("digraph icmap {")
    assert (
        '"_e4" [class="label", shape=box, style=filled, penwidth=0, fillcolor="white", fontsize=9, fontcolor="#52606d", width=0, height=0, margin="0.04,0.02", label=<flour'
        in result.stdout
    )
    assert '"miller" -> "_e4" [color="#1d4ed8", penwidth=3, weight=4, dir=none];' in result.stdout
    assert result.stderr == ""
    assert render(bakery, "-o", "-").stdout == result.stdout


def test_format_from_the_extension(bakery: Path, tmp_path: Path) -> None:
    for name, start in [
        ("chart.svg", b"<?xml"),
        ("chart.png", b"\x89PNG\r\n\x1a\n"),
        ("chart.pdf", b"%PDF-"),
        ("chart.dot", b"digraph icmap {"),
        ("chart.gv", b"digraph icmap {"),
        ("chart.mmd", b"---\ntitle: "),
        ("chart.md", b"```mermaid\n---\n"),
    ]:
        out = tmp_path / name
        result = render(bakery, "-o", out)
        assert result.exit_code == 0, (name, result.stderr)
        assert (result.stdout, result.stderr) == ("", "")
        assert out.read_bytes().startswith(start), name


def test_svg_shows_the_org(bakery: Path, tmp_path: Path) -> None:
    out = tmp_path / "chart.svg"
    assert render(bakery, "-o", out, "--theme", "print", "--direction", "TB").exit_code == 0
    root = ET.parse(out).getroot()
    titles = {g.findtext(f"{SVG}title") for g in root.iter(f"{SVG}g") if g.get("class") == "node"}
    assert titles == {"baker", "cleaner", "miller", "painter", "shop"}
    labels = [g for g in root.iter(f"{SVG}g") if g.get("class") == "node label"]
    assert len(labels) == 4  # flour, clean trays, complaints, fresh bread
    text = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    # The real engine's numbers (see render_fixtures): 11h to the shop = 1d 3h, 3h late.
    assert "Critical path to Shop Customer: 1d 3h through 2 units, 3h late" in text
    assert "Head Baker" in text and "⚠ ×2.0" in text


def test_png_dpi_sets_the_pixel_size(bakery: Path, tmp_path: Path) -> None:
    sizes = []
    for dpi in ("48", "96"):
        out = tmp_path / f"chart-{dpi}.png"
        assert render(bakery, "-o", out, "--dpi", dpi).exit_code == 0
        data = out.read_bytes()
        assert data[12:16] == b"IHDR"
        sizes.append(struct.unpack(">II", data[16:24]))
    (w1, h1), (w2, h2) = sizes
    assert abs(w2 - 2 * w1) <= 4 and abs(h2 - 2 * h1) <= 4


def test_format_option_wins_and_mermaid_to_stdout(bakery: Path, tmp_path: Path) -> None:
    result = render(bakery, "--format", "mermaid")
    assert result.exit_code == 0
    assert "flowchart LR" in result.stdout and 'n5>"Shop Customer' in result.stdout
    out = tmp_path / "chart.txt"
    assert render(bakery, "-o", out, "-f", "dot").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("digraph")


def test_views_from_the_command_line(bakery: Path) -> None:
    focus = render(bakery, "--focus", "miller", "--depth", "1")
    assert focus.exit_code == 0
    assert '"painter"' not in focus.stdout and '"cleaner"' not in focus.stdout
    assert "around Miller, 1 hop each way; 2 of 4 units not shown" in focus.stdout
    customer = render(bakery, "--customer", "shop", "-f", "mermaid")
    assert customer.exit_code == 0 and "Painter" not in customer.stdout
    critical = render(bakery, "--critical-only")
    assert '"cleaner"' not in critical.stdout and '"baker"' in critical.stdout
    collapsed = render(bakery, "--collapse", "departments")
    assert '"kitchen" [' in collapsed.stdout and '"baker" [' not in collapsed.stdout
    no_badges = render(bakery, "--badges", "0")
    assert "<B>#1</B>" not in no_badges.stdout and "<B>#1</B>" in focus.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--focus", "bakr"],
            "icmap: no unit, external customer or department with id 'bakr'; "
            "did you mean 'baker'?\n",
        ),
        (
            ["--customer", "shp"],
            "icmap: no external customer with id 'shp'; did you mean 'shop'?\n",
        ),
        (["-f", "png"], "icmap: png is a binary format: name a file to write, e.g. -o chart.png\n"),
        (["-o", "chart.jpg"], "icmap: cannot tell the format from 'chart.jpg'"),
        (["-f", "svg", "--dpi", "100", "-o", "x.svg"], "icmap: --dpi sets the pixel size of PNG"),
    ],
)
def test_bad_arguments_exit_2(bakery: Path, args: list[str], message: str) -> None:
    result = render(bakery, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message)


def test_unknown_choices_exit_2(bakery: Path) -> None:
    for args in (["--theme", "neon"], ["--direction", "RL"], ["--collapse", "roles"]):
        result = render(bakery, *args)
        assert result.exit_code == 2 and "is not one of" in result.stderr


def test_an_org_with_errors_is_not_drawn(tmp_path: Path) -> None:
    path = write_org(tmp_path, BAKERY.replace("supplier: cleaner", "supplier: cleanr"))
    out = tmp_path / "chart.svg"
    result = render(path, "-o", out)
    assert result.exit_code == 1
    assert result.stdout == "" and not out.exists()
    # Line 25 of BAKERY is `          - supplier: cleaner`; the value starts at column 23.
    assert result.stderr.splitlines()[0] == (
        f"{path}:25:23: [error] supplier 'cleanr' of 'baker' is not defined; "
        "did you mean 'cleaner'? (ICM301)"
    )


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = render(tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert "nope.yaml" in result.stderr and result.stdout == ""


def test_never_writes_over_the_input(bakery: Path) -> None:
    before = bakery.read_bytes()
    result = render(bakery, "-o", bakery, "-f", "dot")
    assert result.exit_code == 2 and "refusing to write over it" in result.stderr
    assert bakery.read_bytes() == before


def test_without_graphviz_images_fail_with_a_hint_and_text_still_works(
    bakery: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pygraphviz", None)

    def pipe(self: graphviz.Source, **kwargs: object) -> bytes:
        raise graphviz.ExecutableNotFound(["dot"])

    monkeypatch.setattr(graphviz.Source, "pipe", pipe)
    result = render(bakery, "-o", tmp_path / "chart.png")
    assert result.exit_code == 2
    assert "pip install pygraphviz" in result.stderr and "--format dot" in result.stderr
    assert not (tmp_path / "chart.png").exists()
    assert render(bakery, "-f", "dot").exit_code == 0
    assert render(bakery, "-f", "mermaid").exit_code == 0


def test_a_large_chart_gets_a_note_but_is_drawn(tmp_path: Path) -> None:
    # A chain of LARGE + 1 roles, each serving the next; the last serves the customer.
    n = LARGE + 1
    roles = "".join(
        f"  - id: r{i}\n    lead_time: 1h\n" + (f"    depends_on: [r{i - 1}]\n" if i else "")
        for i in range(n)
    )
    text = (
        "icmap: 1\norganization: Long chain\nexternal_customers:\n"
        f"  - id: end\n    depends_on: [r{n - 1}]\nroles:\n{roles}"
    )
    result = render(write_org(tmp_path, text, "long.yaml"))
    assert result.exit_code == 0
    assert result.stderr == (
        f"icmap: note: this chart has {n} units, too many to read on one page; "
        "try --collapse departments, --focus ID, --customer ID or --critical-only\n"
    )
    assert "splines=line" in result.stdout
    # The fast layout is laid out once: no layout both ways to choose the direction, LR.
    assert "rankdir=LR" in result.stdout
    small = render(write_org(tmp_path, text, "long.yaml"), "--focus", "r5", "--depth", "2")
    assert small.exit_code == 0 and small.stderr == ""


def _crowded_org(units: int) -> str:
    """Every role depends on every earlier one: units * (units - 1) / 2 handoffs, each with
    a service standard, so each has a label."""
    roles = "".join(
        f"  - id: r{i:02d}\n    lead_time: 1h\n"
        + (
            "    depends_on:\n"
            + "".join(f"      - {{supplier: r{j:02d}, standard: 1h}}\n" for j in range(i))
            if i
            else ""
        )
        for i in range(units)
    )
    return (
        "icmap: 1\norganization: Crowded\nexternal_customers:\n"
        f"  - id: end\n    depends_on: [r{units - 1:02d}]\nroles:\n{roles}"
    )


def test_a_crowded_chart_gets_labels_beside_its_handoffs_and_a_note(tmp_path: Path) -> None:
    # 26 roles: 26 * 25 / 2 = 325 handoffs between them, + 1 to the customer = 326 > 300;
    # 24 roles: 24 * 23 / 2 + 1 = 277, under it.
    assert 277 <= CROWDED < 326
    crowded = render(write_org(tmp_path, _crowded_org(26), "crowded.yaml"))
    assert crowded.exit_code == 0
    assert crowded.stderr == (
        "icmap: note: this chart has 326 handoffs, too many to read on one page; they are "
        "drawn straight, with their labels beside them, so the layout stays fast; try "
        "--focus ID, --customer ID or --critical-only\n"
    )
    assert "splines=line" in crowded.stdout
    edges = [line for line in crowded.stdout.splitlines() if " -> " in line]
    assert sum("[xlabel=<" in line for line in edges) == 325  # all but the customer's
    assert not any("[label=<" in line for line in edges)
    # Not crowded: the labels take part in the layout.
    calm = render(write_org(tmp_path, _crowded_org(24), "calm.yaml"))
    assert calm.exit_code == 0 and calm.stderr == ""
    assert "splines=line" not in calm.stdout
    boxes = [line for line in calm.stdout.splitlines() if 'class="label"' in line]
    assert len(boxes) == 276  # every labelled handoff has its label in a box on the line
    assert "xlabel" not in calm.stdout


def test_a_crowded_chart_draws_to_svg_with_every_label(tmp_path: Path) -> None:
    path = write_org(tmp_path, _crowded_org(26), "crowded.yaml")
    out = tmp_path / "crowded.svg"
    result = render(path, "-o", out)
    assert result.exit_code == 0
    svg = out.read_text(encoding="utf-8")
    assert svg.count('<g id="edge') == 326
    assert svg.count(">1h</text>") == 325  # every handoff's label is drawn, beside its line


def test_shuffled_org_files_give_the_same_dot_and_mermaid(tmp_path: Path) -> None:
    # End to end with the real analysis engine: units, dependencies and keys in any order.
    from test_render_dot import shuffled_yaml

    reference = write_org(tmp_path)
    for seed in (11, 12, 13):
        shuffled = write_org(tmp_path, shuffled_yaml(seed), f"shuffled-{seed}.yaml")
        assert shuffled.read_text(encoding="utf-8") != reference.read_text(encoding="utf-8")
        for fmt in ("dot", "mermaid"):
            assert render(shuffled, "-f", fmt).stdout == render(reference, "-f", fmt).stdout


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_renders_to_png(example: str, tmp_path: Path) -> None:
    out = tmp_path / "example.png"
    result = render(REPO / example, "-o", out, "--dpi", "48")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width > 200 and height > 100


def test_graphviz_warnings_become_notes(
    bakery: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import icmap.render
    from icmap.render import Drawing

    def scaled(dot: str, fmt: str) -> Drawing:
        return Drawing(b"\x89PNG", ("graph is too large for cairo-renderer bitmaps.",))

    monkeypatch.setattr(icmap.render, "drawing", scaled)
    result = render(bakery, "-o", tmp_path / "chart.png")
    assert result.exit_code == 0
    assert result.stderr == (
        "icmap: note: Graphviz: graph is too large for cairo-renderer bitmaps.\n"
    )
    assert (tmp_path / "chart.png").read_bytes() == b"\x89PNG"


def test_a_long_department_name_is_one_line_in_mermaid(tmp_path: Path) -> None:
    # Mermaid leaves room for one line of a subgraph's title: a second line (a <br> after
    # 32 characters) was covered by the first node. 54 characters, on one line:
    name = "Regional Customer Onboarding and Compliance Services"
    org = write_org(tmp_path, BAKERY.replace("name: Kitchen", f"name: {name}"))
    result = render(org, "-f", "mermaid")
    assert result.exit_code == 0
    assert f'  subgraph c1["{name}"]' in result.stdout.splitlines()
    # typed line breaks are spaces there, and a name past 80 characters is cut
    long = "Onboarding\\n" + "x" * 100
    org = write_org(tmp_path, BAKERY.replace("name: Kitchen", f'name: "{long}"'), "long.yaml")
    title = next(
        line for line in render(org, "-f", "mermaid").stdout.splitlines() if "subgraph" in line
    )
    assert title == '  subgraph c1["Onboarding ' + "x" * 68 + '…"]'  # 10 + 1 + 68 + 1 = 80

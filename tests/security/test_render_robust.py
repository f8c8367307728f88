"""Hostile shapes for `icmap render` (issue 13, cases 12, 13, 16, 17 and 19), end to end.

Each case runs the real command and draws with the Graphviz of the pygraphviz wheel; it
asserts the exit code, what stderr says, and that the output is valid (SVG parses as XML,
DOT is read back by Graphviz). The cost cases are timed in bench/bench_shapes.py --render;
here only their outcome is asserted.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pygraphviz
import pytest
from typer.testing import CliRunner, Result

import icmap.render
from icmap.api import analyze, check
from icmap.cli import app
from icmap.model import Settings
from icmap.render import Chart, ChartEdge, ChartNode, LayoutCrashed, NodeKind, drawing, to_dot
from icmap.render.chart import Cluster, PathLine, shown_name
from icmap.render.views import collapse_departments, view_of

BENCH = Path(__file__).resolve().parents[2] / "bench"
SVG = "{http://www.w3.org/2000/svg}"
runner = CliRunner()


def _shapes() -> ModuleType:
    """bench/bench_shapes.py, imported by path (bench/ is scripts, not a package)."""
    if "bench_shapes" not in sys.modules:
        sys.path.insert(0, str(BENCH))  # for its `from benchlib import ...`
        spec = importlib.util.spec_from_file_location("bench_shapes", BENCH / "bench_shapes.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_shapes"] = module
        spec.loader.exec_module(module)
    return sys.modules["bench_shapes"]


def write(directory: Path, text: str) -> Path:
    path = directory / "org.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def view_of_org(text: str) -> Chart:
    """The whole chart of an org given as text."""
    path = write(Path(tempfile.mkdtemp()), text)
    result = check(str(path))
    assert result.org is not None and not result.errors
    return view_of(analyze(result.org, graph=result.graph))


def render(*args: str | Path) -> Result:
    return runner.invoke(app, ["render", *(str(a) for a in args)])


def assert_svg(path: Path) -> ET.Element:
    data = path.read_bytes()
    assert data.startswith(b"<?xml")
    return ET.fromstring(data)


def assert_clean(result: Result) -> None:
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream
        assert "internal error" not in stream
        assert "bug in icmap" not in stream


# ---- case 12: a Graphviz abort must not kill icmap ---------------------------------------

# 22 roles that all serve the customer directly (so all lie in one rank) and 18 labelled
# feedback handoffs among them (customer, supplier): the labels of these flat edges made dot
# abort in mincross.c fixLabelOrder, killing icmap with SIGABRT (exit 134) and no message.
TANGLE = [
    (0, 13), (3, 13), (4, 17), (4, 19), (5, 16), (6, 4), (6, 0), (7, 4), (7, 2),
    (7, 21), (8, 19), (10, 4), (12, 5), (13, 6), (14, 4), (16, 21), (19, 5), (20, 14),
]  # fmt: skip


def tangle() -> str:
    """The org that made dot abort: 22 roles, 18 labelled feedback handoffs."""
    lines = ["icmap: 1", "organization: Feedback tangle", "roles:"]
    for i in range(22):
        lines += [f"  - id: r{i}", "    lead_time: 1h"]
        feedback = [s for c, s in TANGLE if c == i]
        if feedback:
            lines.append("    depends_on:")
            for n, s in enumerate(feedback):
                lines += [f"      - supplier: r{s}", "        feedback: true"]
                lines.append(f"        provides: note {i}-{n}")
    lines += ["external_customers:", "  - id: x", "    depends_on:"]
    lines += [f"      - r{i}" for i in range(22)]
    return "\n".join(lines) + "\n"


def crashing_dot() -> str:
    """The tangle's shape as plain DOT with its feedback as labelled flat edges, which is
    how icmap wrote it before: dot aborts on it."""
    lines = ["digraph {", "  graph [rankdir=LR, newrank=true];"]
    lines += [f"  r{i} -> x;" for i in range(22)]
    lines += ["  { rank=sink; x; }"]
    lines += [f'  r{s} -> r{c} [label="note {c}", constraint=false];' for c, s in TANGLE]
    return "\n".join([*lines, "}"]) + "\n"


@pytest.fixture
def tangle_org(tmp_path: Path) -> Path:
    path = tmp_path / "tangle.yaml"
    path.write_text(tangle(), encoding="utf-8")
    return path


def test_the_tangle_is_drawn(tangle_org: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.svg"
    result = render(tangle_org, "--collapse", "departments", "-o", out)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    svg = assert_svg(out)
    # all 18 feedback labels are drawn
    assert sum("note" in "".join(t.itertext()) for t in svg.iter(f"{SVG}text")) == 18


def test_flat_feedback_labels_stand_in_boxes_beside_their_tail(tangle_org: Path) -> None:
    dot = render(tangle_org, "-f", "dot").stdout
    # none runs along the flow (all 22 roles are one step): each is tail -> box -> head,
    # the box in the tail's rank, the second half not constraining; no edge has a label.
    assert dot.count("{ rank=same; ") == 18
    assert dot.count("constraint=false") == 18
    assert dot.count('class="label"') == 18
    assert not any("label=" in line for line in dot.splitlines() if " -> " in line)


def test_an_abort_in_graphviz_is_an_error_not_a_dead_process() -> None:
    with pytest.raises(LayoutCrashed, match=r"stopped while laying out.*fixLabelOrder"):
        drawing(crashing_dot(), "svg")
    # and this process lives on, able to draw
    assert drawing("digraph { a -> b }", "svg").data.startswith(b"<?xml")


def test_after_an_abort_the_chart_is_drawn_with_the_fast_layout(
    tangle_org: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = icmap.render.to_dot

    def crashing_first(*args: object, fast: bool | None = None, **kwargs: object) -> str:
        return real(*args, fast=fast, **kwargs) if fast else crashing_dot()  # type: ignore[arg-type]

    monkeypatch.setattr(icmap.render, "to_dot", crashing_first)
    out = tmp_path / "x.svg"
    result = render(tangle_org, "-o", out)
    assert_clean(result)
    assert result.exit_code == 0
    assert result.stderr.startswith("icmap: note: Graphviz stopped while laying out the chart")
    assert "fixLabelOrder" in result.stderr
    assert result.stderr.endswith(
        "; drawn again with the fast layout (straight lines, labels placed beside them)\n"
    )
    assert_svg(out)


def test_when_the_fast_layout_aborts_too_it_says_what_to_try(
    tangle_org: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(icmap.render, "to_dot", lambda *args, **kwargs: crashing_dot())
    out = tmp_path / "x.svg"
    result = render(tangle_org, "-o", out)
    assert_clean(result)
    assert result.exit_code == 2
    last = result.stderr.splitlines()[-1]
    assert last.startswith("icmap: Graphviz stopped while laying out the chart")
    assert last.endswith(
        ", with the fast layout too; try --collapse departments, --focus ID or --format dot"
    )
    assert not out.exists()


# ---- case 13: blank and odd text ----------------------------------------------------------

ODD = [" ", "\n", "x\n", "\n\nx\n\n", "\t", "\u200b", "  \n  ", "a\rb", "\\", "</B><B>"]


def odd_org(text: str) -> str:
    quoted = '"' + text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") + '"'
    quoted = quoted.replace("\t", "\\t").replace("\u200b", "\\u200b")
    return f"""\
icmap: 1
organization: {quoted}
departments:
  - id: d
    name: {quoted}
    roles:
      - id: a
        name: {quoted}
        lead_time: 1h
      - id: b
        name: {quoted}
        lead_time: 1h
        depends_on:
          - supplier: a
            provides: {quoted}
            standard: 1h
            actual: 2h
          - supplier: c
            provides: {quoted}
            feedback: true
roles:
  - id: c
    name: {quoted}
    lead_time: 1h
    depends_on: [b]
external_customers:
  - id: x
    name: {quoted}
    depends_on:
      - supplier: c
        provides: {quoted}
"""


def odd_chart(text: str) -> Chart:
    """A chart holding `text` everywhere, built directly: what check refuses (blank names,
    ICM215) can still reach the renderer through the Python API."""
    return Chart(
        title=text,
        settings=Settings(),
        nodes=(
            ChartNode("a", text, NodeKind.UNIT, department="d", description=text, owner=text),
            ChartNode("b", text, NodeKind.UNIT, department="d", bottleneck=1, spof=True),
            ChartNode("c", text, NodeKind.UNIT),
            ChartNode("x", text, NodeKind.CUSTOMER, finish=3.0),
        ),
        edges=(
            ChartEdge("a", "b", provides=text, handoff=1.0, breach=2.0),
            ChartEdge("b", "c", provides=text, critical=True),
            ChartEdge("c", "b", provides=text, feedback=True),
            ChartEdge("c", "x", provides=text),
        ),
        clusters=(Cluster("d", text, owner=text, tags=(text,), description=text),),
        paths=(PathLine("x", text, 3.0),),
        view=text,
    )


@pytest.mark.parametrize("text", ODD, ids=[repr(t) for t in ODD])
def test_odd_text_gives_dot_graphviz_reads_and_draws(text: str) -> None:
    for chart in (odd_chart(text), collapse_departments(odd_chart(text))):
        for direction in ("LR", "TB"):
            dot = to_dot(chart, direction=direction)
            assert not re.search(r"<(B|I)></(B|I)>|<FONT[^>]*></FONT>", dot)
            graph = pygraphviz.AGraph(string=dot)  # Graphviz reads it back
            assert {"a", "b", "c", "x"} <= set(graph.nodes()) or {"d", "c", "x"} <= set(
                graph.nodes()
            )
            drawn = drawing(dot, "svg")
            assert drawn.messages == ()
            ET.fromstring(drawn.data)


@pytest.mark.parametrize("text", ODD, ids=[repr(t) for t in ODD])
def test_odd_text_in_an_org_is_refused_or_drawn(text: str, tmp_path: Path) -> None:
    org = write(tmp_path, odd_org(text))
    out = tmp_path / "odd.svg"
    result = render(org, "-o", out)
    assert_clean(result)
    # check refuses blank text and control characters (ICM215): exit 1, nothing drawn;
    # anything it lets through is drawn in every view.
    refused = {" ", "\n", "x\n", "\n\nx\n\n", "\t", "  \n  ", "a\rb"}
    if text in refused:
        assert result.exit_code == 1
        assert "ICM215" in result.stdout + result.stderr
        assert not out.exists()
        return
    assert (result.exit_code, result.stderr) == (0, "")
    assert_svg(out)
    for view in (["--collapse", "departments"], ["--direction", "TB"]):
        again = render(org, *view, "-o", out)
        assert (again.exit_code, again.stderr) == (0, ""), view
        assert_svg(out)


def test_a_blank_name_shows_the_id() -> None:
    chart = view_of_org(odd_org("x"))
    blank = replace(
        chart,
        title=" ",
        nodes=tuple(replace(n, name=shown_name(" ", n.id)) for n in chart.nodes),
    )
    dot = to_dot(blank)
    # the unit `a`: its name is blank, so the box says `a`
    assert (
        '"a" [label=<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1"><TR><TD>a</TD>'
        in dot
    )
    # the chart of an org whose name is blank is titled `Organization`
    assert shown_name(" \u200b ", "Organization") == "Organization"
    assert '<FONT POINT-SIZE="20"> </FONT>' in dot  # a blank title is a space, not <B></B>


def test_a_provides_of_x_newline_is_one_line() -> None:
    dot = to_dot(odd_chart("x\n"))
    # the feedback c -> b runs back up the stream (b -> c is a handoff): drawn b -> _e3 -> c,
    # its label the italic x alone
    assert 'margin="0.04,0.02", label=<<FONT COLOR="#9aa5b1"><I>x</I></FONT>>];' in dot
    assert '"b" -> "_e3" [style=dashed, color="#9aa5b1", dir=back];' in dot


# ---- case 16: feedback edges cost linear time ----------------------------------------------


def test_feedback_along_a_chain_is_drawn_along_the_flow(tmp_path: Path) -> None:
    org = write(tmp_path, _shapes().feedback(3))
    result = render(org, "-f", "dot")
    assert result.exit_code == 0
    edges = [line.strip() for line in result.stdout.splitlines() if "->" in line]
    # head -> u0 -> u1 -> u2: head is step 0, u_i step i + 1, so each feedback from u_i to
    # head runs back up the stream and is written head -> u_i with its arrow at the tail.
    feedback = [e for e in edges if "dashed" in e]
    assert [e.split(" [")[0] for e in feedback] == [
        '"head" -> "u00000"',
        '"head" -> "u00001"',
        '"head" -> "u00002"',
    ]
    assert all("dir=back" in e and "constraint" not in e for e in feedback)


def test_16000_feedback_handoffs_give_dot(tmp_path: Path) -> None:
    result = render(write(tmp_path, _shapes().feedback(16_000)), "-f", "dot")
    assert (result.exit_code, result.stdout.count("dir=back")) == (0, 16_000)
    assert_clean(result)


# ---- case 17: long names are cut in linear time ------------------------------------------


def test_a_name_of_a_million_characters_is_cut(tmp_path: Path) -> None:
    org = write(tmp_path, _shapes().long_name(1))
    result = render(org, "-f", "dot")
    assert_clean(result)
    assert result.exit_code == 0
    label = next(line for line in result.stdout.splitlines() if line.startswith('  "a" '))
    # cut to 200 characters (199 N and "…"), wrapped at 16 (names left to right): lines of
    # 16 N, at most 8 lines, the last one marked as cut: 7 x 16 = 112 N, then 16 N and " …"
    assert sum(len(run) for run in re.findall("N{16,}", label)) == 128
    assert "N" * 16 + "<BR/>" + "N" * 16 + " …</TD>" in label
    out = tmp_path / "long.svg"
    drawn = render(org, "-o", out)
    assert (drawn.exit_code, drawn.stderr) == (0, "")
    assert_svg(out)


# ---- case 19: charts too big for Graphviz are refused before it starts ---------------------


def test_a_complete_dag_of_500_units_is_refused_with_advice(tmp_path: Path) -> None:
    org = write(tmp_path, _shapes().complete(500))
    out = tmp_path / "x.svg"
    result = render(org, "-o", out)
    assert_clean(result)
    assert result.exit_code == 2
    # 500 * 499 / 2 = 124,750 handoffs between units, + 1 to the customer
    assert result.stderr.splitlines()[-1] == (
        "icmap: this chart has 124,751 handoffs (at most 20,000), more than Graphviz lays out "
        "in minutes; draw a part of it (--collapse departments, --focus ID, --customer ID, "
        "--critical-only) or write it with --format dot or --format mermaid"
    )
    assert not out.exists()
    assert render(org, "-f", "dot").exit_code == 0  # DOT needs no layout


def test_1000_customers_get_the_fast_layout_without_one_last_column(tmp_path: Path) -> None:
    org = write(tmp_path, _shapes().many_customers(1_000))
    dot = render(org, "-f", "dot").stdout
    assert "splines=line" in dot
    assert "rank=sink" not in dot
    out = tmp_path / "x.svg"
    result = render(org, "-o", out)
    assert_clean(result)
    assert result.exit_code == 0
    assert len([g for g in assert_svg(out).iter(f"{SVG}g") if g.get("class") == "node"]) == 1_050


def test_a_few_customers_share_the_last_column(tmp_path: Path) -> None:
    org = write(tmp_path, _shapes().many_customers(3))
    dot = render(org, "-f", "dot").stdout
    assert '  { rank=sink; "c00000"; "c00001"; "c00002"; }' in dot
    assert "splines=line" not in dot


# ---- tooltips and cluster details carry user text safely ----------------------------------

TRICKY = ["ends in a backslash \\", 'a "quote"', "\\N and \\G", "<script>alert(1)</script>"]


@pytest.mark.parametrize("text", TRICKY, ids=range(len(TRICKY)))
def test_descriptions_and_owners_show_as_typed_in_svg_tooltips(text: str, tmp_path: Path) -> None:
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    org = write(
        tmp_path,
        f"""\
icmap: 1
organization: Tooltips
departments:
  - id: d
    name: Desk
    owner: {quoted}
    tags: [{quoted}, night]
    description: {quoted}
    roles:
      - id: a
        lead_time: 1h
        description: {quoted}
        owner: {quoted}
external_customers:
  - id: x
    depends_on: [a]
""",
    )
    out = tmp_path / "x.svg"
    result = render(org, "-o", out)
    assert (result.exit_code, result.stderr) == (0, "")
    svg = assert_svg(out)
    titles = [
        a.get("{http://www.w3.org/1999/xlink}title")
        for a in svg.iter(f"{SVG}a")
        if a.get("{http://www.w3.org/1999/xlink}title")
    ]
    # the cluster, then the unit: name, description, owner, one per line
    assert f"Desk\n{text}\nOwner: {text}" in titles
    assert f"a\n{text}\nOwner: {text}" in titles
    shown = " ".join("".join(t.itertext()) for t in svg.iter(f"{SVG}text"))
    assert f"Owner: {text} · Tags: {text}, night" in shown.replace("  ", " ")
    assert b"<script>" not in out.read_bytes()

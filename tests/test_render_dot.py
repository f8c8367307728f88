"""DOT and Mermaid text: golden files, determinism under shuffling, and hostile names.

Regenerate the golden files after an intended change with
`ICMAP_REGEN_GOLDEN=1 .venv/bin/pytest tests/test_render_dot.py`, then read the diff.
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path
from typing import Any

import pygraphviz
import pytest
import yaml
from render_fixtures import BAKERY, bakery_analysis, handoffs, load_org, plain_analysis

from icmap.analysis.result import Analysis
from icmap.model import Department, Location, Org, Unit
from icmap.render import ViewOptions, to_dot, to_markdown, to_mermaid, view_of
from icmap.render.dot import LARGE

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME, or rewrite it when ICMAP_REGEN_GOLDEN=1."""
    path = GOLDEN / name
    if os.environ.get("ICMAP_REGEN_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.exists(), f"no golden file {path}; run with ICMAP_REGEN_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8")


@pytest.fixture
def bakery(tmp_path: Path) -> Analysis:
    return bakery_analysis(load_org(tmp_path))


@pytest.mark.parametrize(
    ("name", "options", "theme", "direction"),
    [
        ("bakery", ViewOptions(), "default", "LR"),
        ("bakery-print-tb", ViewOptions(), "print", "TB"),
        ("bakery-dark-collapsed", ViewOptions(collapse=True), "dark", "LR"),
        ("bakery-focus-miller", ViewOptions(focus="miller", depth=1), "default", "LR"),
    ],
)
def test_golden_dot_and_mermaid(
    bakery: Analysis, name: str, options: ViewOptions, theme: str, direction: str
) -> None:
    chart = view_of(bakery, options)
    check_golden(f"{name}.dot", to_dot(chart, theme=theme, direction=direction))
    check_golden(f"{name}.mmd", to_mermaid(chart, theme=theme, direction=direction))


def test_dot_parses_to_the_org_graph(bakery: Analysis) -> None:
    graph = pygraphviz.AGraph(string=to_dot(view_of(bakery)))
    units = sorted(n for n in graph.nodes() if not n.startswith("_e"))
    assert units == ["baker", "cleaner", "miller", "painter", "shop"]
    # Each of the 4 labelled handoffs has its label in a box of its own on the line.
    boxes = sorted(n for n in graph.nodes() if n.startswith("_e"))
    assert boxes == ["_e1", "_e2", "_e3", "_e4"]
    assert all(graph.get_node(b).attr["class"] == "label" for b in boxes)
    # The feedback baker -> miller runs back up the stream (miller supplies the baker), so it
    # is written miller -> baker with its arrow at the tail, beside the forward handoff.
    edges = handoffs(graph)
    assert [(t, h, a.get("dir", ""), a.get("style", "")) for t, h, a in edges] == [
        ("baker", "shop", "", ""),
        ("cleaner", "baker", "", ""),
        ("miller", "baker", "", ""),
        ("miller", "baker", "back", "dashed"),
    ]
    assert [s.name for s in graph.subgraphs()] == ["cluster_kitchen", None]  # rank=sink group
    forward, feedback = edges[2][2], edges[3][2]
    assert feedback["label"] == '<FONT COLOR="#9aa5b1"><I>complaints</I></FONT>'
    assert forward["penwidth"] == "3"  # critical
    assert graph.get_node("baker").attr["peripheries"] == "2"  # single point of failure
    assert graph.get_node("shop").attr["shape"] == "cds"  # external customer
    assert "#1" in graph.get_node("baker").attr["label"]
    assert "×2.0" in edges[0][2]["label"]


def test_dpi_direction_and_themes(bakery: Analysis) -> None:
    chart = view_of(bakery)
    assert "dpi=150" in to_dot(chart, dpi=150)
    assert "dpi=" not in to_dot(chart)
    assert "rankdir=TB" in to_dot(chart, direction="TB")
    with pytest.raises(ValueError, match="unknown direction 'XY'"):
        to_dot(chart, direction="XY")
    with pytest.raises(ValueError, match="unknown theme 'neon'; choose one of default, print"):
        to_dot(chart, theme="neon")
    # Print: the critical path is black and bold, a breach off it would be dotted; no colour.
    printed = to_dot(chart, theme="print")
    assert '"miller" -> "_e4" [color="#000000", penwidth=3, weight=4, dir=none]' in printed


def test_a_large_view_gets_faster_layout_settings(tmp_path: Path) -> None:
    units = tuple(Unit(f"u{i:03d}", Location("x.yaml", 1, 1)) for i in range(LARGE + 1))
    org = Org("Big", Location("x.yaml", 1, 1), units=units)
    big = to_dot(view_of(plain_analysis(org)))
    assert "splines=line" in big and "nslimit=2" in big
    small = Org("Small", Location("x.yaml", 1, 1), units=units[:LARGE])
    assert "splines=line" not in to_dot(view_of(plain_analysis(small)))


def test_ids_that_are_not_well_formed_get_generated_names() -> None:
    # The loader never lets such ids through; an Org built in Python might.
    here = Location("x.yaml", 1, 1)
    odd = 'bad"id\\'
    org = Org(
        "Odd",
        here,
        units=(Unit(odd, here, department=odd), Unit("good", here, department=odd)),
        departments=(Department(odd, here, roles=(odd, "good")),),
    )
    dot = to_dot(view_of(plain_analysis(org)))
    graph = pygraphviz.AGraph(string=dot)
    assert sorted(graph.nodes()) == ["_n1", "good"]
    assert [s.name for s in graph.subgraphs()] == ["cluster__n1"]
    assert "bad&quot;id\\" in graph.get_node("_n1").attr["label"]  # shown as its label


# Determinism: the same org in any order gives the same bytes.


def shuffled_yaml(seed: int) -> str:
    rng = random.Random(seed)
    data: Any = yaml.safe_load(BAKERY)

    def shuffle(value: Any) -> Any:
        if isinstance(value, dict):
            items = list(value.items())
            rng.shuffle(items)
            return {k: shuffle(v) for k, v in items if k != "icmap"} | (
                {"icmap": value["icmap"]} if "icmap" in value else {}
            )
        if isinstance(value, list) and value and isinstance(value[0], dict):
            items = [shuffle(v) for v in value]
            rng.shuffle(items)
            return items
        return value

    return yaml.safe_dump(shuffle(data), sort_keys=False, allow_unicode=True)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_shuffled_files_give_byte_identical_output(tmp_path: Path, seed: int) -> None:
    reference = view_of(bakery_analysis(load_org(tmp_path)))
    text = shuffled_yaml(seed)
    assert text != BAKERY
    chart = view_of(bakery_analysis(load_org(tmp_path, text, f"shuffled-{seed}.yaml")))
    assert to_dot(chart) == to_dot(reference)
    assert to_mermaid(chart) == to_mermaid(reference)


# Hostile names: whatever a user types is shown literally and never becomes syntax.

HOSTILE = """\
icmap: 1
organization: "Evil \\"]; x -> y; // <b>&amp;</b> \\\\"
external_customers:
  - id: cust
    name: "<script>alert(1)</script>"
    depends_on:
      - supplier: u3
        provides: "a|b{c} [d] (e) #f; %%g `h` ~i~ *j* _k_ =l= 'm' $n$"
departments:
  - id: d1
    name: "}\\"; subgraph x { y }"
    roles:
      - id: u1
        name: "\\"]; evil -> x; //"
        lead_time: 1h
      - id: u2
        name: "back\\\\slash \\\\N \\\\G \\\\"
        lead_time: 1h
        depends_on:
          - supplier: u1
            provides: "line one\\nline two &amp; <i>"
roles:
  - id: u3
    name: "emoji 😀 ünï ]]> <!-- x -->"
    lead_time: 1h
    depends_on: [u2]
"""

HOSTILE_TEXTS = [
    'Evil "]; x -> y; // <b>&amp;</b> \\',
    "<script>alert(1)</script>",
    "a|b{c} [d] (e) #f; %%g `h` ~i~ *j* _k_ =l= 'm' $n$",
    '}"; subgraph x { y }',
    '"]; evil -> x; //',
    "back\\slash \\N \\G \\",
    "line one",
    "line two &amp; <i>",
    "emoji 😀 ünï ]]> <!-- x -->",
]


@pytest.fixture
def hostile(tmp_path: Path) -> Analysis:
    return plain_analysis(load_org(tmp_path, HOSTILE, "hostile.yaml"))


def test_hostile_names_as_read(hostile: Analysis) -> None:
    org = hostile.org
    assert org.name == HOSTILE_TEXTS[0]
    assert org.unit("u2").name == HOSTILE_TEXTS[5]


def test_hostile_names_cannot_inject_dot(hostile: Analysis) -> None:
    dot = to_dot(view_of(hostile))
    check_golden("hostile.dot", dot)
    graph = pygraphviz.AGraph(string=dot)
    assert sorted(n for n in graph.nodes() if not n.startswith("_e")) == ["cust", "u1", "u2", "u3"]
    assert [(t, h) for t, h, _ in handoffs(graph)] == [("u1", "u2"), ("u2", "u3"), ("u3", "cust")]
    assert [s.name for s in graph.subgraphs()] == ["cluster_d1", None]
    assert "<script>" not in dot and "&lt;script&gt;" in dot


def test_hostile_names_cannot_inject_mermaid(hostile: Analysis) -> None:
    text = to_mermaid(view_of(hostile))
    check_golden("hostile.mmd", text)
    grammar = re.compile(
        r'(---|title: ".*"|config:|  theme: \w+|flowchart LR|  %% .*'
        r'|  subgraph c\d+\["[^"]*"\]|  end'
        r'|  {1,2}n\d+(\("[^"]*"\)|>"[^"]*"\])'
        r'|  n\d+ (-->|==>|-\.->)(\|"[^"]*"\|)? n\d+'
        r"|  classDef \w+ [^ ]+|  class [n\d,]+ \w+|  linkStyle [\d,]+ [^ ]+)"
    )
    for line in text.splitlines():
        assert grammar.fullmatch(line.removeprefix("  ")) or grammar.fullmatch(line), line
    for label in re.findall(r'"([^"]*)"', text.split("flowchart", 1)[1]):
        plain = re.sub(r"#\w+;", "", label.replace("<br>", ""))
        assert not set(plain) & set('"<>|{}[]();`%#'), label
    assert "#lt;script#gt;alert#40;1#41;#lt;/script#gt;" in text.replace("<br>", "")


def test_mermaid_in_markdown(bakery: Analysis) -> None:
    chart = view_of(bakery)
    fenced = to_markdown(chart)
    assert fenced.startswith("```mermaid\n---\n") and fenced.endswith("```\n")
    assert fenced[len("```mermaid\n") : -len("```\n")] == to_mermaid(chart)

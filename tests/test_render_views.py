"""What a chart shows (chart.py) and how views narrow it (views.py), on hand-built analyses."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from render_fixtures import bakery_analysis, load_org, plain_analysis

from icmap.analysis.result import Analysis
from icmap.render import Chart, NodeKind, UnknownId, ViewOptions, chart_of, view_of
from icmap.render.chart import edge_text, node_details, path_text, ratio_text, wrap


@pytest.fixture
def bakery(tmp_path: Path) -> Analysis:
    return bakery_analysis(load_org(tmp_path))


def ids(chart: Chart) -> list[str]:
    return [n.id for n in chart.nodes]


def pairs(chart: Chart) -> list[tuple[str, str]]:
    return [(e.supplier, e.customer) for e in chart.edges]


def test_the_whole_org_with_every_mark(bakery: Analysis) -> None:
    chart = chart_of(bakery)
    assert chart.title == "Tiny Bakery"
    assert ids(chart) == ["baker", "cleaner", "miller", "painter", "shop"]
    node = {n.id: n for n in chart.nodes}
    assert node["baker"].critical and node["baker"].bottleneck == 1 and node["baker"].spof
    assert node["baker"].department == "kitchen"
    assert node["miller"].department is None  # a flat role without a department
    assert node["painter"].orphan and not node["painter"].critical
    assert node["shop"].kind is NodeKind.CUSTOMER
    assert (node["shop"].finish, node["shop"].deadline, node["shop"].late) == (11.0, 8.0, True)
    assert [(c.id, c.name) for c in chart.clusters] == [("kitchen", "Kitchen")]
    edges = {(e.supplier, e.customer): e for e in chart.edges}
    assert pairs(chart) == [
        ("baker", "miller"),
        ("baker", "shop"),
        ("cleaner", "baker"),
        ("miller", "baker"),
    ]
    assert edges["baker", "shop"].critical and edges["baker", "shop"].breach == 2.0
    assert edges["miller", "baker"].critical and edges["miller", "baker"].handoff == 2.0
    assert not edges["cleaner", "baker"].critical
    assert edges["baker", "miller"].feedback and not edges["baker", "miller"].critical
    # Critical path length 11h = 1d 3h with 8-hour days; 2 units before the shop.
    assert [(p.customer, p.length, p.units) for p in chart.paths] == [("shop", 11.0, 2)]


def test_only_the_worst_bottlenecks_get_a_badge(bakery: Analysis) -> None:
    chart = chart_of(bakery, badges=1)
    assert [n.id for n in chart.nodes if n.bottleneck is not None] == ["baker"]
    assert all(n.bottleneck is None for n in chart_of(bakery, badges=0).nodes)


def test_what_feeds_a_customer(bakery: Analysis) -> None:
    chart = view_of(bakery, ViewOptions(customer="shop"))
    assert ids(chart) == ["baker", "cleaner", "miller", "shop"]  # the orphan painter is out
    assert chart.hidden_units == 1
    assert chart.view == "what feeds Shop Customer; 1 of 4 units not shown"
    assert ("baker", "miller") in pairs(chart)  # feedback between shown units stays drawn


def test_an_unknown_customer_suggests_the_closest(bakery: Analysis) -> None:
    with pytest.raises(
        UnknownId, match=r"no external customer with id 'shpo'; did you mean 'shop'\?"
    ):
        view_of(bakery, ViewOptions(customer="shpo"))
    with pytest.raises(UnknownId, match="external customer"):
        view_of(bakery, ViewOptions(customer="baker"))  # a unit, not a customer


def test_critical_only(bakery: Analysis) -> None:
    chart = view_of(bakery, ViewOptions(critical_only=True))
    assert ids(chart) == ["baker", "miller", "shop"]
    assert pairs(chart) == [("baker", "shop"), ("miller", "baker")]
    assert chart.hidden_units == 2
    assert chart.view == "critical paths only; 2 of 4 units not shown"


def test_focus_reaches_n_hops_each_way_not_sideways(bakery: Analysis) -> None:
    one = view_of(bakery, ViewOptions(focus="baker", depth=1))
    assert ids(one) == ["baker", "cleaner", "miller", "shop"]
    # From the miller: downstream baker (1 hop) and shop (2 hops); the cleaner supplies the
    # baker too, but it is a sibling, not upstream or downstream of the miller.
    two = view_of(bakery, ViewOptions(focus="miller", depth=2))
    assert ids(two) == ["baker", "miller", "shop"]
    assert two.view == "around Miller, 2 hops each way; 2 of 4 units not shown"
    zero = view_of(bakery, ViewOptions(focus="miller", depth=0))
    assert ids(zero) == ["miller"] and zero.clusters == ()


def test_a_name_typed_for_an_id_points_to_the_id(bakery: Analysis) -> None:
    with pytest.raises(UnknownId, match=r"id 'head baker'; did you mean 'baker'\?"):
        view_of(bakery, ViewOptions(focus="head baker"))
    with pytest.raises(UnknownId, match=r"did you mean 'kitchen'\?"):
        view_of(bakery, ViewOptions(focus="Kitchen"))


def test_focus_on_a_department_and_unknown_ids(bakery: Analysis) -> None:
    chart = view_of(bakery, ViewOptions(focus="kitchen", depth=0))
    assert ids(chart) == ["baker", "cleaner"]
    with pytest.raises(UnknownId, match=r"did you mean 'baker'\?"):
        view_of(bakery, ViewOptions(focus="bakr"))
    with pytest.raises(UnknownId) as caught:
        view_of(bakery, ViewOptions(focus="zzz"))
    assert "did you mean" not in str(caught.value)


def test_collapse_departments(bakery: Analysis) -> None:
    chart = view_of(bakery, ViewOptions(collapse=True))
    assert ids(chart) == ["kitchen", "miller", "painter", "shop"]
    kitchen = chart.nodes[0]
    assert kitchen.kind is NodeKind.DEPARTMENT and kitchen.members == 2
    assert kitchen.critical and kitchen.bottleneck == 1 and kitchen.spof
    assert chart.clusters == ()
    # cleaner -> baker is inside the kitchen and disappears; the others keep their figures.
    assert pairs(chart) == [("kitchen", "miller"), ("kitchen", "shop"), ("miller", "kitchen")]
    edges = {(e.supplier, e.customer): e for e in chart.edges}
    assert edges["kitchen", "shop"].breach == 2.0 and edges["kitchen", "shop"].count == 1
    assert edges["kitchen", "miller"].feedback
    assert chart.hidden_units == 0


COLLAPSING = """\
icmap: 1
organization: Two departments
external_customers:
  - id: buyer
    depends_on: [b1]
departments:
  - id: a
    roles:
      - id: a1
        lead_time: 1h
      - id: a2
        lead_time: 1h
  - id: b
    roles:
      - id: b1
        lead_time: 1h
        depends_on:
          - supplier: a1
            provides: parts
            standard: 2h
          - supplier: a2
            standard: 3h
            actual: 5h
"""


def test_collapsed_handoffs_count_and_keep_the_worst(tmp_path: Path) -> None:
    chart = view_of(plain_analysis(load_org(tmp_path, COLLAPSING)), ViewOptions(collapse=True))
    assert ids(chart) == ["a", "b", "buyer"]
    merged = chart.edges[0]
    # a1 -> b1 (2h) and a2 -> b1 (5h measured against 3h: 5/3 = 1.67) become a -> b.
    assert (merged.supplier, merged.customer, merged.count) == ("a", "b", 2)
    assert merged.handoff == 5.0 and merged.breach == pytest.approx(5 / 3)
    assert merged.provides is None
    assert edge_text(merged, chart.settings) == (["2 handoffs"], "worst 5h ⚠ ×1.67")


TIED = """\
icmap: 1
organization: Tie
external_customers:
  - id: end
    depends_on: [left, right]
roles:
  - id: left
    lead_time: 2h
  - id: right
    lead_time: 2h
"""


def test_every_tied_longest_path_is_critical(tmp_path: Path) -> None:
    # left and right both finish at 2h; the engine reports one path (left, the smaller id),
    # and its schedule marks both handoffs critical: the chart draws what it found.
    from icmap.api import analyze

    analysis = analyze(load_org(tmp_path, TIED))
    assert [p.path for p in analysis.critical_paths] == [("left", "end")]
    assert analysis.critical_edges == {("left", "end"), ("right", "end")}
    chart = view_of(analysis)
    assert [(e.supplier, e.critical) for e in chart.edges] == [("left", True), ("right", True)]
    assert pairs(view_of(analysis, ViewOptions(critical_only=True))) == [
        ("left", "end"),
        ("right", "end"),
    ]


def test_wrap_breaks_on_words_and_keeps_line_breaks() -> None:
    assert wrap("Prior Authorization Specialist") == ["Prior Authorization", "Specialist"]
    assert wrap("a" * 25) == ["a" * 20, "a" * 5]
    assert wrap("first\nsecond") == ["first", "second"]
    assert wrap("tab\there\x00") == ["tab here"]  # control characters become spaces


def test_texts_for_people(bakery: Analysis) -> None:
    chart = chart_of(bakery)
    node = {n.id: n for n in chart.nodes}
    assert node_details(node["baker"], chart.settings) == ["lead 4h"]
    assert node_details(node["shop"], chart.settings) == [
        "gets it after 1d 3h",
        "deadline 1d · 3h late",
    ]
    assert path_text(chart.paths[0], chart.settings) == (
        "Critical path to Shop Customer: 1d 3h through 2 units, 3h late (deadline 1d)"
    )
    assert ratio_text(7 / 3) == "×2.33"  # 2.333..., as every report writes a ratio
    assert ratio_text(float("inf")) == "×∞"
    with_load = replace(node["baker"], utilization=1.234)
    assert node_details(with_load, chart.settings) == ["lead 4h · load 123%"]

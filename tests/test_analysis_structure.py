"""Single points of failure (dominators) and downstream reach, by hand and against brute force."""

from __future__ import annotations

import random
import statistics
import tempfile
from pathlib import Path

import networkx as nx
from hypothesis import given, settings
from test_analysis_support import load, random_orgs, run

from icmap.analysis import reach
from icmap.analysis.dominators import immediate_dominators
from icmap.analysis.network import build_network
from icmap.api import analyze
from icmap.graph import build_graph

# s -> a -> b -> d -> client;  a -> c -> d;  x -> c;  client2 depends on a and x.
ORG = """\
external_customers:
  - {id: client, depends_on: [d]}
  - {id: client2, depends_on: [a, x]}
roles:
  - {id: s}
  - {id: a, depends_on: [s]}
  - {id: b, depends_on: [a]}
  - {id: c, depends_on: [a, x]}
  - {id: d, depends_on: [b, c]}
  - {id: x}
"""


def test_single_points_of_failure_by_hand(tmp_path: Path) -> None:
    result = run(tmp_path, ORG)
    # Dominator tree of client (reversed graph): client -> d -> {b, c, a}; c -> x; a -> s.
    #   d guards b, c, a, x, s (5); c guards x (1); a guards s (1); b guards nobody.
    # Dominator tree of client2: client2 -> {a, x}; a -> s.  a guards s (1).
    found = {
        (p.id, p.customers, p.guards, p.guards_by_customer) for p in result.single_points_of_failure
    }
    assert found == {
        ("a", ("client", "client2"), 1, (("client", 1), ("client2", 1))),
        ("c", ("client",), 1, (("client", 1),)),
        ("d", ("client",), 5, (("client", 5),)),
    }
    assert [p.id for p in result.single_points_of_failure] == ["a", "c", "d"]
    assert result.unit("a").single_point_of_failure_for == ("client", "client2")
    assert result.unit("b").single_point_of_failure_for == ()


def test_downstream_reach_by_hand(tmp_path: Path) -> None:
    result = run(tmp_path, ORG)
    # s: a, b, c, d (x is a supplier of c, not downstream of s) -> 4 units, both customers
    # a: b, c, d -> 3; x: c, d -> 2 and both customers; b, c: d -> 1; d: none.
    got = {u.id: (u.downstream_units, u.downstream_customers) for u in result.units}
    assert got == {
        "s": (4, 2),
        "a": (3, 2),
        "x": (2, 2),
        "b": (1, 1),
        "c": (1, 1),
        "d": (0, 1),
    }
    assert all(u.downstream_exact for u in result.units)
    assert result.options["reach"] == "exact"


@settings(max_examples=120, deadline=None)
@given(random_orgs())
def test_dominators_and_reach_agree_with_networkx_and_brute_force(text: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        org = load(Path(directory), text)
    graph = build_graph(org)
    net = build_network(graph)
    flow = graph.flow
    for customer in graph.customers:
        mine = immediate_dominators(net, net.index[customer])
        named = {net.ids[u]: net.ids[d] for u, d in mine.items() if net.ids[u] != customer}
        expected = nx.immediate_dominators(flow.reverse(copy=True), customer)
        expected.pop(customer, None)  # networkx < 3.5 maps the root to itself
        assert named == expected
    # A unit D is a single point of failure for C when removing D cuts some other unit off C.
    spofs = {p.id: dict(p.guards_by_customer) for p in analyze(org).single_points_of_failure}
    for unit in graph.units:
        for customer in graph.customers:
            without = flow.copy()
            without.remove_node(unit)
            cut = [
                u
                for u in graph.units
                if u != unit
                and nx.has_path(flow, u, customer)
                and not nx.has_path(without, u, customer)
            ]
            assert spofs.get(unit, {}).get(customer, 0) == len(cut)
    counts, exact = reach.downstream_units(net)
    for unit in graph.units:
        below = nx.descendants(flow, unit)
        assert counts[net.index[unit]] == sum(1 for u in below if u in graph.units)
        assert exact[net.index[unit]]


def test_the_sketch_estimates_reach_within_a_sane_error(tmp_path: Path) -> None:
    # 3,000 units, each with 1-3 suppliers mostly among the previous 50 units: a long,
    # braided flow like a real org. Counted exactly and with the bottom-k sketch (k = 64,
    # relative standard error about 1 / sqrt(62) = 13%).
    rng = random.Random(7)
    lines = ["roles:"]
    for j in range(3000):
        lines.append(f"  - id: u{j:04d}")
        if j:
            picks = {rng.randrange(max(0, j - 50), j) for _ in range(rng.randint(1, 3))}
            lines.append(f"    depends_on: [{', '.join(f'u{i:04d}' for i in sorted(picks))}]")
    lines.append("external_customers:\n  - {id: client, depends_on: [u2999]}")
    org = load(tmp_path, "\n".join(lines) + "\n")
    net = build_network(build_graph(org))
    truth, _ = reach.downstream_units(net)
    estimate, exact = reach.downstream_units(net, exact_limit=0)
    errors = []
    for i in range(net.size):
        if net.is_customer[i]:
            continue
        if exact[i]:  # fewer than k downstream units: the sketch holds them all
            assert estimate[i] == truth[i] < reach.SKETCH_SIZE
        else:
            assert truth[i] >= reach.SKETCH_SIZE
            errors.append(abs(estimate[i] - truth[i]) / truth[i])
    assert len(errors) > 2000
    assert statistics.mean(errors) < 0.15
    assert sorted(errors)[int(0.95 * len(errors))] < 0.35
    assert max(errors) < 0.6


def test_dominators_of_deep_trees_agree_with_networkx(tmp_path: Path) -> None:
    # Long chains with short detours and long jumps make a dominator tree hundreds of
    # levels deep: the case the jump pointers are for.
    rng = random.Random(11)
    lines = ["roles:"]
    for j in range(400):
        lines.append(f"  - id: u{j:03d}")
        if j:
            picks = {j - 1}
            if rng.random() < 0.2:
                picks.add(rng.randrange(max(0, j - 3), j))
            if rng.random() < 0.02:
                picks.add(rng.randrange(0, j))
            lines.append(f"    depends_on: [{', '.join(f'u{i:03d}' for i in sorted(picks))}]")
    lines.append("external_customers:\n  - {id: client, depends_on: [u399, u350]}")
    graph = build_graph(load(tmp_path, "\n".join(lines) + "\n"))
    net = build_network(graph)
    mine = immediate_dominators(net, net.index["client"])
    named = {net.ids[u]: net.ids[d] for u, d in mine.items() if net.ids[u] != "client"}
    expected = nx.immediate_dominators(graph.flow.reverse(copy=True), "client")
    expected.pop("client", None)
    assert named == expected
    depth = max(len(nx.ancestors(nx.DiGraph((d, u) for u, d in named.items()), u)) for u in named)
    assert depth > 50

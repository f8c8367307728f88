"""Service figures by hand: breaches, utilization, value stream, satisfaction hotspots."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_analysis_support import SERVICE_ORG, run


def test_service_breaches_worst_ratio_first(tmp_path: Path) -> None:
    result = run(tmp_path, SERVICE_ORG)
    # a -> c: 4h against 1h = 4.0; a -> b: 3h against 2h = 1.5; b -> c meets its standard.
    assert [
        (b.supplier, b.customer, b.standard, b.actual, b.ratio) for b in result.service_breaches
    ] == [
        ("a", "c", 1.0, 4.0, 4.0),
        ("a", "b", 2.0, 3.0, 1.5),
    ]


def test_utilization_is_volume_asked_over_capacity(tmp_path: Path) -> None:
    result = run(tmp_path, SERVICE_ORG)
    # a: (60 + 30) / 100 = 0.9; b: capacity 0 with 10 asked = infinite; c: 5 / 50 = 0.1;
    # d: no capacity -> unknown; e: a capacity but nobody asks anything -> unknown.
    got = {u.id: u.utilization for u in result.units}
    assert got == {
        "a": pytest.approx(0.9),
        "b": float("inf"),
        "c": pytest.approx(0.1),
        "d": None,
        "e": None,
    }


def test_value_stream_figures_of_the_critical_path(tmp_path: Path) -> None:
    result = run(tmp_path, SERVICE_ORG)
    (path,) = result.critical_paths
    # a -> b -> c -> client = 4 + 3 + 2 + 1 + 2 + 0 = 12 (a -> c directly: 4 + 4 + 2 = 10).
    assert path.path == ("a", "b", "c", "client")
    assert path.length == pytest.approx(12.0)
    assert path.total_lead_time == pytest.approx(8.0)  # 4 + 2 + 2
    assert path.total_handoff_time == pytest.approx(4.0)  # 3 + 1 + 0
    assert path.total_process_time == pytest.approx(1.5)  # 1 + 0.5; c gives none
    assert path.activity_ratio == pytest.approx(0.1875)  # 1.5 / 8
    # %C&A: a -> b 0.8, b -> c 0.5, c -> client 0.9: 0.8 * 0.5 * 0.9 = 0.36
    assert path.rolled_complete_accurate == pytest.approx(0.36)
    assert path.weakest_handoff is not None
    assert (path.weakest_handoff.supplier, path.weakest_handoff.customer) == ("b", "c")
    assert [(h.supplier, h.customer, h.time) for h in path.handoffs] == [
        ("a", "b", 3.0),
        ("b", "c", 1.0),
        ("c", "client", 0.0),
    ]


def test_no_complete_accurate_or_process_time_means_no_figure(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """\
        external_customers:
          - {id: client, depends_on: [b]}
        roles:
          - {id: a, lead_time: 1h}
          - {id: b, lead_time: 1h, depends_on: [a]}
        """,
    )
    (path,) = result.critical_paths
    # No edge gives %C&A: the product would be an empty 1.0, which would claim perfection.
    assert path.rolled_complete_accurate is None and path.weakest_handoff is None
    assert path.total_process_time is None and path.activity_ratio is None


def test_satisfaction_hotspots_and_supplier_ratings(tmp_path: Path) -> None:
    result = run(tmp_path, SERVICE_ORG)
    # On a 1-5 scale the middle is 3: b -> c (1.5) and a -> b (2) are below it; a -> c (4) is not.
    assert [(h.supplier, h.customer, h.satisfaction) for h in result.hotspots] == [
        ("b", "c", 1.5),
        ("a", "b", 2.0),
    ]
    # a: (2 + 4) / 2 = 3.0 over 2 ratings; b: 1.5 over 1. Lowest mean first.
    assert [(r.supplier, r.mean, r.ratings) for r in result.supplier_ratings] == [
        ("b", 1.5, 1),
        ("a", 3.0, 2),
    ]

"""CPM by hand: ES/EF/LS/LF, total and free float, deadlines, feedback, estimates, units."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_analysis_support import HEADER, load, run

from icmap.api import analyze
from icmap.loader import load_org
from icmap.model import Dependency, ExternalCustomer, Location, Org, Unit

# a --1h--> b --2h--> d --> client;  a --30m--> c --> d;  e --> c;  o is an orphan.
# Lead times: a 2h, b 3h, c 1h, d 4h, e 1h, o 1h. Handoff = actual, else standard, else 0.
ORG = """\
external_customers:
  - id: client
    {deadline}depends_on: [d]
roles:
  - id: a
    lead_time: 2h
  - id: b
    lead_time: 3h
    depends_on:
      - supplier: a
        standard: 1h
  - id: c
    lead_time: 1h
    depends_on:
      - supplier: a
        standard: 1h
        actual: 30m
      - e
  - id: d
    lead_time: 4h
    depends_on:
      - supplier: b
        actual: 2h
      - c
  - id: e
    lead_time: 1h
  - id: o
    lead_time: 1h
    depends_on: [a]
"""


def test_forward_and_backward_pass_with_handoffs(tmp_path: Path) -> None:
    result = run(tmp_path, ORG.format(deadline=""))
    # Forward: a ES 0 EF 2; e ES 0 EF 1; b ES = 2 + 1 = 3, EF 6;
    # c ES = max(2 + 0.5, 1 + 0) = 2.5, EF 3.5; d ES = max(6 + 2, 3.5 + 0) = 8, EF 12;
    # client EF = 12 + 0 = 12; o ES = 2 + 0 = 2, EF 3.
    # Backward: LF(client) = 12; d LF 12, LS 8; b LF = 8 - 2 = 6, LS 3; c LF = 8 - 0 = 8,
    # LS 7; e LF = 7 - 0 = 7, LS 6; a LF = min(3 - 1, 7 - 0.5) = 2, LS 0 (the orphan o is
    # left out of a's backward pass).
    expected = {
        #     ES   EF    LS   LF   total free
        "a": (0.0, 2.0, 0.0, 2.0, 0.0, 0.0),  # free: min(3 - 1 - 2, 2.5 - 0.5 - 2) = 0
        "b": (3.0, 6.0, 3.0, 6.0, 0.0, 0.0),  # free: 8 - 2 - 6 = 0
        "c": (2.5, 3.5, 7.0, 8.0, 4.5, 4.5),  # free: 8 - 0 - 3.5 = 4.5
        "d": (8.0, 12.0, 8.0, 12.0, 0.0, 0.0),  # free: 12 - 0 - 12 = 0
        "e": (0.0, 1.0, 6.0, 7.0, 6.0, 1.5),  # free: 2.5 - 0 - 1 = 1.5; total 7 - 1 = 6
    }
    for unit_id, figures in expected.items():
        unit = result.unit(unit_id)
        got = (unit.es, unit.ef, unit.ls, unit.lf, unit.total_float, unit.free_float)
        assert got == pytest.approx(figures, abs=1e-12), unit_id
    assert [u.id for u in result.units if u.critical] == ["a", "b", "d"]
    (path,) = result.critical_paths
    assert path.path == ("a", "b", "d", "client")
    assert path.length == pytest.approx(12.0)  # 2 + 1 + 3 + 2 + 4 + 0
    assert result.summary.longest_path == pytest.approx(12.0)
    assert result.summary.critical_units == 3


def test_orphans_are_never_critical_and_float_against_the_horizon(tmp_path: Path) -> None:
    result = run(tmp_path, ORG.format(deadline=""))
    orphan = result.unit("o")
    # o is a dead end: LF = max(horizon 12, EF 3) = 12, so total = free = 12 - 3 = 9.
    assert (orphan.es, orphan.ef, orphan.lf, orphan.total_float) == (2.0, 3.0, 12.0, 9.0)
    assert orphan.free_float == 9.0
    assert not orphan.critical and orphan.critical_gap is None
    assert result.orphans == ("o",)


def test_a_deadline_shifts_the_backward_pass_and_floats_go_negative(tmp_path: Path) -> None:
    result = run(tmp_path, ORG.format(deadline="deadline: 10h\n    "))
    # LF(client) = 10 instead of 12: every LF and float on a paying path drops by 2 hours.
    assert result.unit("a").total_float == pytest.approx(-2.0)
    assert result.unit("b").lf == pytest.approx(4.0)  # 6 - 2
    assert result.unit("d").total_float == pytest.approx(-2.0)
    assert result.unit("c").total_float == pytest.approx(2.5)  # 4.5 - 2
    # Free float looks only at the successors' ES: unchanged, except at the end:
    # d's free float = ES(client) - 0 - EF(d) = 0.
    assert result.unit("c").free_float == pytest.approx(4.5)
    # Criticality is about longest paths, not deadlines; the gap ignores deadlines.
    assert [u.id for u in result.units if u.critical] == ["a", "b", "d"]
    assert result.unit("c").critical_gap == pytest.approx(4.5)
    (path,) = result.critical_paths
    assert path.deadline == 10.0 and path.slack == pytest.approx(-2.0)  # 10 - 12
    assert result.summary.late_customers == 1


def test_near_critical_units_are_within_the_threshold_of_a_critical_path(tmp_path: Path) -> None:
    # Gaps (float without deadlines): c 4.5, e 6.0.
    text = ORG.format(deadline="")
    assert [u.id for u in run(tmp_path, text, near=5).units if u.near_critical] == ["c"]
    assert [u.id for u in run(tmp_path, text, near=6).units if u.near_critical] == ["c", "e"]
    assert not any(u.near_critical for u in run(tmp_path, text).units)
    # With a deadline the gap still counts from the critical path, not from the deadline.
    late = run(tmp_path, ORG.format(deadline="deadline: 10h\n    "), near=5)
    assert [u.id for u in late.units if u.near_critical] == ["c"]


def test_feedback_dependencies_take_no_part_in_paths(tmp_path: Path) -> None:
    # d -> a would close a loop, and its 100h would dominate any path; as feedback it is
    # ignored, so every figure equals the org without it.
    with_feedback = ORG.format(deadline="").replace(
        "  - id: a\n    lead_time: 2h\n",
        "  - id: a\n    lead_time: 2h\n    depends_on:\n"
        "      - {supplier: d, actual: 100h, feedback: true}\n",
    )
    plain = run(tmp_path, ORG.format(deadline=""))
    result = run(tmp_path, with_feedback)
    assert result.units == plain.units
    assert result.critical_paths == plain.critical_paths
    assert result.summary.feedback_dependencies == 1


def test_three_point_estimate_counts_its_expected_value(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """\
        external_customers:
          - id: client
            depends_on: [u]
        roles:
          - id: u
            lead_time: {optimistic: 1h, likely: 2h, pessimistic: 9h}
        """,
    )
    # (o + 4m + p) / 6 = (1 + 8 + 9) / 6 = 3 hours
    assert result.unit("u").ef == pytest.approx(3.0)
    assert result.critical_paths[0].length == pytest.approx(3.0)


def test_durations_convert_with_hours_per_day_and_days_per_week(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """\
        settings:
          time_unit: days
          hours_per_day: 7.5
          days_per_week: 4
        external_customers:
          - id: client
            deadline: 1w
            depends_on: [w]
        roles:
          - id: u
            lead_time: 2
          - id: v
            lead_time: 1d 90m
            depends_on:
              - {supplier: u, actual: 1w}
          - id: w
            lead_time: 45m
            depends_on: [v]
        """,
    )
    # u: 2 days = 2 * 7.5 = 15h; handoff 1w = 4 * 7.5 = 30h; v: 7.5h + 1.5h = 9h;
    # w: 0.75h.  EF(w) = 15 + 30 + 9 + 0.75 = 54.75h; deadline 1w = 30h -> slack -24.75h.
    assert result.unit("v").es == pytest.approx(45.0)
    assert result.critical_paths[0].length == pytest.approx(54.75)
    assert result.critical_paths[0].slack == pytest.approx(-24.75)


def test_ties_go_to_the_smallest_id_and_equal_sums_really_tie(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """\
        external_customers:
          - id: client
            depends_on: [b2, a-single]
        roles:
          - {id: b1, lead_time: 0.1h}
          - {id: b2, lead_time: 0.2h, depends_on: [b1]}
          - {id: a-single, lead_time: 0.3h}
        """,
    )
    # 0.1h + 0.2h and 0.3h are the same length (in floats 0.1 + 0.2 > 0.3): the tie goes to
    # the supplier with the smaller id, a-single; all three units are critical.
    (path,) = result.critical_paths
    assert path.path == ("a-single", "client")
    assert [u.id for u in result.units if u.critical] == ["a-single", "b1", "b2"]
    assert all(u.total_float == 0 for u in result.units)


def test_each_customer_has_its_own_critical_path(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """\
        external_customers:
          - {id: x, depends_on: [a]}
          - {id: y, depends_on: [b]}
        roles:
          - {id: s, lead_time: 1h}
          - {id: a, lead_time: 5h, depends_on: [s]}
          - {id: b, lead_time: 2h, depends_on: [s]}
        """,
    )
    # x: s, a = 1 + 5 = 6; y: s, b = 1 + 2 = 3. No deadlines: LF(y) = EF(y) = 3, so b
    # has no float either, and s is critical for both.
    assert [(p.customer, p.path, p.length) for p in result.critical_paths] == [
        ("x", ("s", "a", "x"), 6.0),
        ("y", ("s", "b", "y"), 3.0),
    ]
    assert result.unit("s").critical_for == ("x", "y")
    assert result.unit("b").critical_for == ("y",)
    assert result.unit("b").total_float == 0.0
    assert result.summary.longest_path == 6.0


def test_a_customer_with_no_supplier_has_an_empty_path(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """\
        external_customers:
          - {id: lonely}
        roles:
          - {id: u, lead_time: 1h}
        """,
    )
    assert result.critical_paths[0].path == ("lonely",)
    assert result.critical_paths[0].length == 0.0
    # No paying customer depends on u: an orphan, floating against the horizon max(0, 1).
    assert result.unit("u").total_float == 0.0 and not result.unit("u").critical


def test_a_loop_is_refused_and_bad_options_too(tmp_path: Path) -> None:
    # A loop is a validation error, but the loader still builds the org: analyze refuses it.
    (tmp_path / "loop.yaml").write_text(
        HEADER
        + "external_customers:\n  - {id: client, depends_on: [a]}\n"
        + "roles:\n  - {id: a, depends_on: [b]}\n  - {id: b, depends_on: [a]}\n",
        encoding="utf-8",
    )
    looped = load_org(str(tmp_path / "loop.yaml")).org
    assert looped is not None
    with pytest.raises(ValueError, match="loop"):
        analyze(looped)
    fine = load(tmp_path, "external_customers:\n  - {id: c}\n")
    with pytest.raises(ValueError):
        analyze(fine, near=-1)
    with pytest.raises(ValueError):
        analyze(fine, paths=-1)


def test_a_hand_built_org_with_an_unknown_supplier_is_refused() -> None:
    here = Location("org.yaml", 1, 1)
    org = Org(
        "Hand-built",
        here,
        units=(Unit("u", here),),
        external_customers=(ExternalCustomer("client", here),),
        dependencies=(Dependency("ghost", "u", here), Dependency("u", "client", here)),
    )
    with pytest.raises(ValueError, match="ghost"):
        analyze(org)

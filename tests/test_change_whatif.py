"""whatif: each kind of change on the small org, with the figures worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from change_fixtures import write_small

from icmap.api import load
from icmap.change.diff import compare
from icmap.change.figures import figures_of
from icmap.change.scenarios import Scenario
from icmap.change.whatif import ChangeError, apply_changes, parse_change, parse_changes
from icmap.model import Org


@pytest.fixture
def org(tmp_path: Path) -> Org:
    return load(str(write_small(tmp_path)))


def scenario(org: Org, *changes: str) -> tuple[Org, tuple[object, ...]]:
    return Scenario("test", tuple(parse_changes(changes))).apply(org)


def diff_of(org: Org, *changes: str):  # type: ignore[no-untyped-def]
    changed, findings = scenario(org, *changes)
    assert findings == ()
    return compare(figures_of(org), figures_of(changed), threshold=1.0)


def test_parse_each_kind_of_change() -> None:
    assert parse_change("billing.lead_time=1d").target == "billing"
    assert parse_change("front.desk.lead_time=1d").target == "front.desk"  # ids may hold dots
    dep = parse_change("it-desk->billing.standard=-25%")
    assert (dep.supplier, dep.customer, dep.field, dep.sign, dep.value) == (
        "it-desk",
        "billing",
        "standard",
        "-",
        "25%",
    )
    assert parse_change("-billing").action == "remove_unit"
    assert parse_change("-a->b").action == "remove_dependency"
    assert parse_change("+a->b").action == "add_dependency"
    assert parse_change("billing.capacity=+2").sign == "+"


@pytest.mark.parametrize(
    "text",
    ["", "billing", "billing.lead_time=", "+billing", "-", "a->.standard=1h", "lead_time=2h"],
)
def test_malformed_changes_say_how_to_write_one(text: str) -> None:
    with pytest.raises(ChangeError):
        parse_change(text)


def test_longer_lead_time_makes_the_customer_late(org: Org) -> None:
    # b: 3h + 5h = 8h, so b ends 4 + 8 = 12h: the client finishes at 12h, 2h after its 10h
    # deadline (slack 10 - 12 = -2h; it was 3h).
    diff = diff_of(org, "b.lead_time=+5h")
    (client,) = diff.customers
    assert (client.old_length, client.new_length, client.delta) == (7.0, 12.0, 5.0)
    assert (client.old_slack, client.new_slack) == (3.0, -2.0)
    assert (client.old_late, client.new_late) == (False, True)
    assert diff.worse and diff.changed
    # Floats for the client: b 10 - 12 = -2h (was 3h); a: LF = min(10 - 8 - 2, 10 - 1) = 0,
    # float 0 - 2 = -2h (was 3h); c keeps 7h.
    moved = {(f.id, f.customer): (f.old, f.new) for f in diff.float_changes}
    assert moved == {("a", "client"): (3.0, -2.0), ("b", "client"): (3.0, -2.0)}
    (field,) = diff.fields_changed
    assert (field.id, field.supplier, field.field, field.old, field.new) == (
        "b",
        None,
        "lead_time",
        3.0,
        8.0,
    )


def test_relative_percentage_and_threshold(org: Org) -> None:
    # actual 2h -25% = 1.5h: b starts 2 + 1.5 = 3.5, ends 6.5; the client 6.5h (delta -0.5h).
    # Floats move by 0.5h, under the 1h threshold: none listed.
    diff = diff_of(org, "a->b.actual=-25%")
    (client,) = diff.customers
    assert client.delta == pytest.approx(-0.5)
    assert diff.float_changes == ()
    assert not diff.worse
    (field,) = diff.fields_changed
    assert (field.id, field.supplier, field.field, field.old, field.new) == (
        "b",
        "a",
        "actual",
        2.0,
        1.5,
    )


def test_breach_resolved(org: Org) -> None:
    # actual 1h = standard 1h: no longer a breach (ratio 2h / 1h = 2 before).
    diff = diff_of(org, "a->b.actual=1h")
    assert [(b.supplier, b.customer, b.ratio) for b in diff.breaches_resolved] == [("a", "b", 2.0)]
    assert diff.breaches_new == ()


def test_new_breach_is_worse(org: Org) -> None:
    # c's dependency on a gets a standard of 30m and an actual of 1h: ratio 1h / 0.5h = 2.
    diff = diff_of(org, "a->c.standard=30m", "a->c.actual=1h")
    assert [(b.supplier, b.customer, b.ratio) for b in diff.breaches_new] == [("a", "c", 2.0)]
    assert diff.worse


def test_remove_and_add_dependencies(org: Org) -> None:
    # Without a -> b, b starts at 0 and ends 3h; a -> c -> client is also 2 + 1 = 3h: both
    # paths are critical now, so a and c join the critical path; b stays on it.
    diff = diff_of(org, "-a->b")
    (client,) = diff.customers
    assert client.new_length == 3.0
    assert client.joined_critical_path == ("c",)
    assert diff.dependencies_removed == (("a", "b"),)
    assert diff.breaches_resolved
    # a now reaches the client only through c: c is a new single point of failure (worse).
    assert diff.single_points_of_failure_new == ("c",) and diff.worse
    # c -> b: b starts at max(2 + 2, 3 + 0) = 4, no change in length.
    added = diff_of(org, "+c->b")
    assert added.dependencies_added == (("c", "b"),)
    assert added.customers[0].delta == 0.0


def test_remove_unit_removes_its_dependencies(org: Org) -> None:
    diff = diff_of(org, "-c")
    assert diff.units_removed == ("c",)
    assert diff.dependencies_removed == (("a", "c"), ("c", "client"))
    assert diff.customers[0].delta == 0.0  # c was not on the critical path


def test_capacity_relative_needs_a_value(org: Org) -> None:
    with pytest.raises(ChangeError, match="capacity is not set"):
        apply_changes(org, parse_changes(["b.capacity=+2"]))


def test_deadline_of_a_customer(org: Org) -> None:
    # Deadline 6h against a 7h path: late by 1h.
    diff = diff_of(org, "client.deadline=6h")
    assert diff.customers[0].new_slack == -1.0 and diff.worse


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("x.lead_time=1h", "no unit 'x'"),
        ("bb.lead_time=1h", "did you mean 'b'"),
        ("b.lead=1h", "did you mean 'lead_time'"),
        ("c->b.standard=1h", "'b' does not depend on 'c'"),
        ("-client", "is an external customer"),
        ("+a->b", "already depends"),
        ("+client->a", "external customers supply nobody"),
        ("b.lead_time=[1h", "not a value"),
    ],
)
def test_unknown_names_are_change_errors(org: Org, change: str, message: str) -> None:
    with pytest.raises(ChangeError, match=message):
        scenario(org, change)


@pytest.mark.parametrize(
    ("change", "code", "line"),
    [  # line 10 is `- id: b`, line 13 its dependency `- supplier: a`
        ("b.lead_time=-4h", "ICM206", 10),  # 3h - 4h = -1h
        ("b.lead_time=-200%", "ICM206", 10),  # 3h - 6h = -3h
        ("b.headcount=0", "ICM206", 10),
        ("b.lead_time=soon", "ICM204", 10),
        ("b.lead_time=2 days", "ICM204", 10),
        ("a->b.complete_accurate=120%", "ICM205", 13),
        ("a->b.satisfaction=9", "ICM209", 13),
    ],
)
def test_bad_values_are_findings_naming_the_change(
    org: Org, change: str, code: str, line: int
) -> None:
    _, findings = scenario(org, change)
    (finding,) = findings
    assert finding.code == code  # type: ignore[attr-defined]
    assert change in finding.message  # type: ignore[attr-defined]
    assert finding.location.line == line  # type: ignore[attr-defined]


def test_a_loop_is_reported_like_check(org: Org) -> None:
    # b -> a closes a -> b -> a.
    _, findings = scenario(org, "+b->a")
    assert [f.code for f in findings] == ["ICM500"]  # type: ignore[attr-defined]
    assert "after scenario 'test'" in findings[0].message  # type: ignore[attr-defined]


def test_process_time_above_lead_time(tmp_path: Path) -> None:
    org = load(str(write_small(tmp_path, _with_process_time())))
    _, findings = scenario(org, "b.lead_time=30m")
    assert [f.code for f in findings] == ["ICM208"]  # type: ignore[attr-defined]


def _with_process_time() -> str:
    from change_fixtures import SMALL

    return SMALL.replace("    lead_time: 3h\n", "    lead_time: 3h\n    process_time: 1h\n")


def test_three_point_lead_time_moves_every_point(tmp_path: Path) -> None:
    text = (
        write_small(tmp_path)
        .read_text()
        .replace(
            "  - id: a\n    lead_time: 2h",
            "  - id: a\n    lead_time: {optimistic: 1h, likely: 2h, pessimistic: 3h}",
        )
    )
    org = load(str(write_small(tmp_path, text, "three.yaml")))
    changed, _ = scenario(org, "a.lead_time=-50%")
    unit = next(u for u in changed.units if u.id == "a")
    # (1 + 4 x 2 + 3) / 6 = 2h halved is 1h; each point halved: 0.5h, 1h, 1.5h.
    assert unit.lead_time == 1.0
    assert unit.lead_time_estimate is not None
    assert (
        unit.lead_time_estimate.optimistic,
        unit.lead_time_estimate.likely,
        unit.lead_time_estimate.pessimistic,
    ) == (0.5, 1.0, 1.5)


def test_an_org_against_itself_is_no_change(org: Org) -> None:
    diff = compare(figures_of(org), figures_of(org))
    assert not diff.changed and not diff.worse


def test_bottleneck_score_change(org: Org) -> None:
    # a serves b and c; with a capacity of 10 and 12 requests a week from c, a's utilization
    # is 12 / 10 = 120%, at or above the 85% warning: 10 + 10 x min(1, (1.2 - 0.85) / (1 -
    # 0.85)) = 20 more points (docs/analysis.md), so its score goes 35 -> 55; it stays #1.
    diff = diff_of(org, "a.capacity=10", "a->c.volume=12")
    (change,) = diff.bottlenecks
    assert (change.id, change.old_rank, change.new_rank) == ("a", 1, 1)
    assert (change.old_score, change.new_score) == (35.0, 55.0)
    assert not change.entered and not change.left


def test_a_new_orphan_is_worse_and_an_old_one_resolved(org: Org) -> None:
    # Without c -> client, nobody who pays needs c's work: c is an orphan (worse).
    diff = diff_of(org, "-c->client")
    assert diff.orphans_new == ("c",) and diff.worse
    # The other way round (the changed org as the baseline) it is resolved, and not worse.
    changed, _ = scenario(org, "-c->client")
    back = compare(figures_of(changed), figures_of(org))
    assert back.orphans_resolved == ("c",) and back.orphans_new == ()

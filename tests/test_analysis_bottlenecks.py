"""Bottleneck scores by hand, part by part, and the recommendations drawn from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_analysis_support import SERVICE_ORG, run

from icmap.analysis import bottlenecks
from icmap.analysis.result import (
    Analysis,
    Bottleneck,
    DownstreamReach,
    IncompleteHandoff,
    JobSwap,
    LowRating,
    MissesStandards,
    OnCriticalPath,
    Overloaded,
    RatedLow,
    SlowHandoff,
)
from icmap.report.analysis._common import Names
from icmap.report.analysis.wording import bottleneck_reason, swap_reason
from icmap.report.document import text_of


def words(analysis: Analysis, entry: Bottleneck) -> tuple[str, ...]:
    """The reasons of a ranked unit as the reports word them."""
    names = Names.of(analysis.org)
    return tuple(text_of(bottleneck_reason(r, names)) for r in entry.reasons)


def swap_words(analysis: Analysis, swap: JobSwap) -> tuple[str, ...]:
    """The reasons of a job swap as the reports word them."""
    names = Names.of(analysis.org)
    return tuple(text_of(swap_reason(r, swap, names)) for r in swap.reasons)


def test_every_part_of_every_score_by_hand(tmp_path: Path) -> None:
    result = run(tmp_path, SERVICE_ORG)
    # 5 units (others = 4), 1 external customer, utilization warning 0.85, scale 1-5.
    # CPM: a, b, c are on the critical path a -> b -> c -> client with float 0.
    # Dominators of client: b and a reach it only through c -> c guards 2.
    # Downstream: a -> b, c, d (3); b -> c, d (2); c -> d (1); each reaches the client.
    #
    # b: critical 20; reach 15 * 2/4 + 5 * 1/1 = 12.5; utilization infinite (> 1) = 20;
    #    no breach on what it serves; rated 1.5 -> (1.5 - 1) / 4 = 0.125 -> 10 * (1 - 0.25) = 7.5
    #    = 60.0
    # a: critical 20; reach 15 * 3/4 + 5 = 16.25; utilization 0.9 >= 0.85:
    #    10 + 10 * (0.9 - 0.85) / 0.15 = 13.33; worst breach 4.0: 10 * min(1, 3 / 2) = 10;
    #    ratings (2 + 4) / 2 = 3 -> 0.5, not below the middle -> 0.   = 59.58
    # c: critical 20; single point of failure 10 + 10 * 2/4 = 15; reach 15 * 1/4 + 5 = 8.75;
    #    utilization 0.1 -> 0                                          = 43.75
    # d and e have no reason (not critical, no reach, no load data that counts): not listed.
    parts = {b.id: dict(b.components) for b in result.bottlenecks}
    assert parts == {
        "b": {
            "critical_path": 20.0,
            "single_point_of_failure": 0.0,
            "downstream_reach": 12.5,
            "utilization": 20.0,
            "service_breaches": 0.0,
            "low_satisfaction": 7.5,
        },
        "a": {
            "critical_path": 20.0,
            "single_point_of_failure": 0.0,
            "downstream_reach": 16.25,
            "utilization": 13.33,
            "service_breaches": 10.0,
            "low_satisfaction": 0.0,
        },
        "c": {
            "critical_path": 20.0,
            "single_point_of_failure": 15.0,
            "downstream_reach": 8.75,
            "utilization": 0.0,
            "service_breaches": 0.0,
            "low_satisfaction": 0.0,
        },
    }
    assert [(b.rank, b.id, b.score) for b in result.bottlenecks] == [
        (1, "b", 60.0),
        (2, "a", 59.58),
        (3, "c", 43.75),
    ]
    for entry in result.bottlenecks:
        assert entry.score == pytest.approx(sum(points for _, points in entry.components))
    assert result.bottlenecks_omitted == 0


def test_reasons_are_records_of_the_figures(tmp_path: Path) -> None:
    result = run(tmp_path, SERVICE_ORG)
    reasons = {b.id: b.reasons for b in result.bottlenecks}
    # client has no deadline: b is on its critical path with no float (None).
    assert reasons["b"] == (
        OnCriticalPath((("client", None),)),
        DownstreamReach(units=2, share=0.5, customers=1, exact=True),
        Overloaded(utilization=float("inf"), warning=0.85),
        RatedLow(mean=1.5, ratings=1, low=1.0, high=5.0),
    )
    # a's worst breach: a -> c, 4h against 1h = 4.0; two of its two dependencies breached.
    assert reasons["a"][3] == MissesStandards(
        breaches=2, dependencies=2, customer="c", actual=4.0, standard=1.0, ratio=4.0
    )


def test_reasons_say_why_in_words(tmp_path: Path) -> None:
    result = run(tmp_path, SERVICE_ORG)
    said = {b.id: words(result, b) for b in result.bottlenecks}
    assert said["b"] == (
        "on the critical path to client with no float",
        "2 units (50% of the others) and 1 external customer depend on its work",
        "utilization infinite: more work arrives than it can serve, "
        "so its queue grows without bound",
        "its customers rate it 1.5 on a 1-5 scale (mean of 1 rating)",
    )
    assert said["a"][2:] == (
        "utilization 90% (warning at 85%)",
        "misses its service standard on 2 of 2 dependencies on it "
        "(worst: 4h against 1h, ×4.00, for c)",
    )
    assert said["c"][1] == "single point of failure: 2 units reach client only through it"


def test_the_bottleneck_count_rule_counts_hard_reasons_only(tmp_path: Path) -> None:
    result = run(tmp_path, SERVICE_ORG)
    # Ranked: a, b, c (each has a reason); d and e have none. The critical path
    # a (4h) -> b (2h) -> c (2h) -> client has no float (client has no deadline); its
    # longest lead time is a's 4h.
    # b: infinite load (capacity 0) -> overloaded.
    # a: slowest on that path; load (60 + 30) / 100 = 0.9 >= 0.85 -> overloaded; its breach
    #    a -> b (3h against 2h) lies on the critical path. (a -> c, 4h against 1h, does not.)
    # c: load 10 / 50 = 0.2, no breach of its own, not the slowest: ranked (critical,
    #    a single point of failure) but no hard reason.
    # So 2 bottlenecks of 3 units ranked.
    hard = {b.id: b.hard for b in result.bottlenecks}
    assert hard == {
        "b": ("overloaded",),
        "a": ("slowest_on_critical_path", "overloaded", "breach_on_critical_path"),
        "c": (),
    }
    assert (result.summary.bottlenecks, result.summary.ranked) == (2, 3)


def test_a_generous_deadline_leaves_a_critical_unit_ranked_but_not_a_bottleneck(
    tmp_path: Path,
) -> None:
    result = run(
        tmp_path,
        """        external_customers:
          - {id: client, deadline: 10h, depends_on: [b]}
        roles:
          - {id: a, lead_time: 1h}
          - {id: b, lead_time: 2h, depends_on: [a]}
        """,
    )
    # a -> b -> client: 1h + 2h = 3h against a 10h deadline: 7h of float on the critical
    # path. Both rank (critical with float: 10 points each) but neither carries a hard
    # reason: a path with float has no slowest step that holds it up. Others = 1 unit each.
    # b: 10 + single point of failure for a (10 + 10 * 1/1 = 20) + reach (15 * 0/1 + 5 * 1/1
    #    = 5, which scores but is no reason below a quarter of the others)      = 35
    # a: 10 + reach (15 * 1/1 + 5 * 1/1 = 20)                                   = 30
    assert [(b.id, b.score, b.hard) for b in result.bottlenecks] == [
        ("b", 10.0 + 20.0 + 5.0, ()),
        ("a", 10.0 + 20.0, ()),
    ]
    assert (result.summary.bottlenecks, result.summary.ranked) == (0, 2)
    assert words(result, result.bottlenecks[0])[0] == (
        "on the critical path to client, 7h of float before its deadline"
    )


def test_the_list_is_cut_at_the_limit_and_the_rest_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bottlenecks, "BOTTLENECK_LIMIT", 2)
    result = run(tmp_path, SERVICE_ORG)
    assert [b.id for b in result.bottlenecks] == ["b", "a"]
    assert result.bottlenecks_omitted == 1
    assert result.options["bottleneck_limit"] == 2


def test_job_swaps_pair_the_most_troubled_supplier_and_customer(tmp_path: Path) -> None:
    result = run(tmp_path, SERVICE_ORG)
    # Parts per dependency between units (breach min(1, (r - 1) / 2); %C&A below 90%:
    # min(1, 2 * (1 - ca)); rating below the middle: 1 - 2 * (s - 1) / 4):
    #   b -> c: no breach (1h = 1h); %C&A 0.5 -> 1.0; rating 1.5 -> 0.75      = 1.75
    #   a -> b: 1.5 -> 0.25; 0.8 -> 0.4; rating 2 -> 0.5                       = 1.15
    #   a -> c: 4.0 -> 1.0; no %C&A; rating 4 is above the middle            = 1.0
    #   c -> d: nothing wrong; c -> client: an external customer, not a person.
    assert [(s.supplier, s.customer, s.severity) for s in result.job_swaps] == [
        ("b", "c", 1.75),
        ("a", "b", 1.15),
        ("a", "c", 1.0),
    ]
    assert result.job_swaps[1].reasons == (
        SlowHandoff("a", "b", actual=3.0, standard=2.0, ratio=1.5),
        IncompleteHandoff("a", "b", complete_accurate=0.8),
        LowRating("a", "b", satisfaction=2.0, low=1.0, high=5.0),
    )
    assert swap_words(result, result.job_swaps[1]) == (
        "a takes 3h against a 2h standard (×1.50)",
        "only 80% of what a hands over is complete and accurate",
        "b rates a 2 on a 1-5 scale",
    )


def test_both_directions_of_a_pair_make_one_job_swap(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """\
        external_customers:
          - {id: client, depends_on: [y]}
        roles:
          - {id: x, depends_on: [{supplier: y, feedback: true, satisfaction: 1}]}
          - {id: y, depends_on: [{supplier: x, complete_accurate: 70%}]}
        """,
    )
    # x's feedback dependency on y comes first in the file, so the pair is y -> x:
    #   rating 1 -> 1 - 2 * 0 = 1.0;
    # then y's dependency on x joins the same pair: %C&A 0.7 -> min(1, 2 * 0.3) = 0.6.
    # One pair, severity 1.0 + 0.6 = 1.6.
    (swap,) = result.job_swaps
    assert (swap.supplier, swap.customer, swap.severity) == ("y", "x", 1.6)
    assert swap_words(result, swap) == (
        "x rates y 1 on a 1-5 scale",
        "and back: only 70% of what x hands over is complete and accurate",
    )


def test_one_improvement_team_member_per_department_along_the_path(tmp_path: Path) -> None:
    result = run(tmp_path, SERVICE_ORG)
    # Path a (ops) -> b (ops) -> c (no department). Ranks: b 1, a 2, c 3 (see the scores
    # above). ops is represented by its highest-ranked unit on the path, b, not by a where
    # the work enters it; c stands for itself. The path's top bottleneck, b, is in the team.
    (team,) = result.improvement_teams
    assert team.customer == "client"
    assert team.members == (("ops", "b"), ("c", "c"))
    assert result.bottlenecks[0].id in {unit for _, unit in team.members}


def test_the_worked_example_in_the_docs_gives_the_scores_it_shows(tmp_path: Path) -> None:
    doc = (Path(__file__).parent.parent / "docs" / "analysis.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    result = run(tmp_path, example)
    assert [(b.id, b.score) for b in result.bottlenecks] == [
        ("b", 60.0),
        ("a", 59.58),
        ("c", 43.75),
    ]
    assert "**60.00** | **59.58** | **43.75**" in doc


HUGE_LOAD = """\
roles:
  - id: a
    lead_time: 1h
    capacity: 1
  - id: b
    lead_time: 1h
    depends_on:
      - supplier: a
        volume: 1.7e+308
external_customers:
  - id: x
    depends_on: [b]
"""


def test_a_load_near_the_float_limit_is_written_as_a_figure_not_inf_percent(
    tmp_path: Path,
) -> None:
    import json

    from icmap.report.analysis import write_report

    result = run(tmp_path, HUGE_LOAD)
    # utilization of a = 1.7e308 / 1 = 1.7e308: finite, but 100x it overflows.
    (entry,) = [b for b in result.bottlenecks if b.id == "a"]
    assert (
        "utilization 1.7e+308 times capacity: more work arrives than it can serve, "
        "so its queue grows without bound"
    ) in words(result, entry)
    # json writes the figure itself: rounding to 6 decimals would overflow (1.7e308 * 1e6).
    units = {u["id"]: u for u in json.loads(write_report(result, "json"))["units"]}
    assert units["a"]["utilization"] == 1.7e308
    assert units["a"]["utilization_infinite"] is False

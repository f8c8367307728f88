"""Bottleneck scores by hand, part by part, and the recommendations drawn from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_analysis_support import SERVICE_ORG, run

from icmap.analysis import bottlenecks


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


def test_reasons_say_why_in_words(tmp_path: Path) -> None:
    result = run(tmp_path, SERVICE_ORG)
    reasons = {b.id: b.reasons for b in result.bottlenecks}
    assert reasons["b"] == (
        "on the critical path to client with no float",
        "2 units (50% of the others) and 1 external customer depend on its work",
        "utilization infinite: more work arrives than it can serve, "
        "so its queue grows without bound",
        "its customers rate it 1.5 on a 1-5 scale (mean of 1 rating)",
    )
    assert reasons["a"][2:] == (
        "utilization 90% (warning at 85%)",
        "misses its service standard on 2 of 2 dependencies on it "
        "(worst: 4h against 1h, 4.00×, for c)",
    )
    assert reasons["c"][1] == "single point of failure: 2 units reach client only through it"


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
        "a takes 3h against a 2h standard (1.50×)",
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
    assert swap.reasons == (
        "x rates y 1 on a 1-5 scale",
        "and back: only 70% of what x hands over is complete and accurate",
    )


def test_one_improvement_team_member_per_department_along_the_path(tmp_path: Path) -> None:
    result = run(tmp_path, SERVICE_ORG)
    # Path a (ops) -> b (ops) -> c (no department): ops is represented by a, where the work
    # enters it; c stands for itself.
    (team,) = result.improvement_teams
    assert team.customer == "client"
    assert team.members == (("ops", "a"), ("c", "c"))


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
    ) in entry.reasons
    # json writes the figure itself: rounding to 6 decimals would overflow (1.7e308 * 1e6).
    units = {u["id"]: u for u in json.loads(write_report(result, "json"))["units"]}
    assert units["a"]["utilization"] == 1.7e308
    assert units["a"]["utilization_infinite"] is False

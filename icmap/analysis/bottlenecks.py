"""Bottlenecks: a score out of 100 per unit, made of six parts, each with its reason.

| part                    | max | points                                                    |
|-------------------------|-----|-----------------------------------------------------------|
| critical_path           | 20  | critical with total float <= 0: 20; critical with float   |
|                         |     | > 0 (a generous deadline): 10                             |
| single_point_of_failure | 20  | 10 + 10 * guarded units / (units - 1)                     |
| downstream_reach        | 20  | 15 * downstream units / (units - 1)                       |
|                         |     | + 5 * downstream customers / external customers           |
| utilization             | 20  | u >= warning w: 10 + 10 * min(1, (u - w) / (1 - w));      |
|                         |     | u > 1: 20                                                 |
| service_breaches        | 10  | 10 * min(1, (worst actual/standard - 1) / 2)              |
| low_satisfaction        | 10  | mean rating m (0-1 on the scale) < 0.5: 10 * (1 - 2m)     |

Each part is rounded to 0.01 and the score is their sum. A part *applies* (and gives a
reason) when it scores, except reach, which applies from `REACH_SHARE` of the other units on.
Units with at least one reason are ranked by score (then id) and the first
`BOTTLENECK_LIMIT` are listed. docs/analysis.md works through an example.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from icmap.analysis.result import Bottleneck, SinglePointOfFailure, UnitFigures
from icmap.analysis.service import INFINITE, Served, normalized
from icmap.model import Settings, format_duration

REACH_SHARE = 0.25  # downstream reach is a reason from a quarter of the other units on
BOTTLENECK_LIMIT = 100  # a shortlist for people: the rest is counted, not listed
PARTS = (
    "critical_path",
    "single_point_of_failure",
    "downstream_reach",
    "utilization",
    "service_breaches",
    "low_satisfaction",
)


@dataclass(frozen=True, slots=True)
class Context:
    """What a unit's figures are measured against."""

    units: int
    customers: int
    settings: Settings


def points(
    unit: UnitFigures, spof: SinglePointOfFailure | None, served: Served | None, context: Context
) -> tuple[tuple[float, ...], tuple[bool, ...]]:
    """The six parts of a unit's score (in `PARTS` order, rounded) and which of them apply."""
    others = max(1, context.units - 1)
    critical = (20.0 if unit.total_float <= 0 else 10.0) if unit.critical else 0.0
    guarding = round(10.0 + 10.0 * spof.guards / others, 2) if spof is not None else 0.0
    unit_share = unit.downstream_units / others
    customer_share = unit.downstream_customers / context.customers if context.customers else 0.0
    reach = round(15.0 * unit_share + 5.0 * customer_share, 2)

    load = 0.0
    u = unit.utilization
    if u is not None:
        w = context.settings.utilization_warning
        if u > 1:
            load = 20.0  # the queue grows without bound
        elif u >= w:
            load = round(10.0 + (10.0 * min(1.0, (u - w) / (1.0 - w)) if w < 1 else 0.0), 2)

    breaches = rating = 0.0
    breached = False
    if served is not None:
        if served.worst is not None:
            breached = True
            breaches = round(10.0 * min(1.0, (served.worst_ratio - 1.0) / 2.0), 2)
        if served.ratings:
            share = normalized(served.rating_total / served.ratings, context.settings)
            if share < 0.5:
                rating = round(10.0 * (1.0 - 2.0 * share), 2)
    values = (critical, guarding, reach, load, breaches, rating)
    applies = (
        unit.critical,
        spof is not None,
        unit_share >= REACH_SHARE,
        load > 0,
        breached,
        rating > 0,
    )
    return values, applies


def reasons(
    unit: UnitFigures,
    spof: SinglePointOfFailure | None,
    served: Served | None,
    context: Context,
    applies: Sequence[bool],
) -> tuple[str, ...]:
    """One sentence per part that applies, in `PARTS` order."""
    settings = context.settings
    said: list[str] = []
    if applies[0]:
        where = ", ".join(unit.critical_for)
        slack = unit.total_float
        if slack > 0:
            said.append(
                f"on the critical path to {where}, "
                f"{format_duration(slack, settings)} of float before the deadline"
            )
        else:
            late = "" if slack == 0 else f", {format_duration(-slack, settings)} late"
            said.append(f"on the critical path to {where} with no float{late}")
    if applies[1] and spof is not None:
        each = "; ".join(
            f"{_count(n, 'unit')} reach{'es' if n == 1 else ''} {c} only through it"
            for c, n in spof.guards_by_customer
        )
        said.append(f"single point of failure: {each}")
    if applies[2]:
        about = "" if unit.downstream_exact else "about "
        share = unit.downstream_units / max(1, context.units - 1)
        said.append(
            f"{about}{_count(unit.downstream_units, 'unit')} ({share:.0%} of the others) and "
            f"{_count(unit.downstream_customers, 'external customer')} depend on its work"
        )
    if applies[3] and unit.utilization is not None:
        u = unit.utilization
        if u > 1:
            shown = "infinite" if u == INFINITE else f"{u:.0%}"
            said.append(
                f"utilization {shown}: more work arrives than it can serve, "
                "so its queue grows without bound"
            )
        else:
            said.append(f"utilization {u:.0%} (warning at {settings.utilization_warning:.0%})")
    if applies[4] and served is not None and served.worst is not None:
        worst = served.worst
        ratio = "∞" if served.worst_ratio == INFINITE else f"{served.worst_ratio:.2f}×"
        said.append(
            f"misses its service standard on {served.breaches} of "
            f"{_count(served.dependencies, 'dependency', 'dependencies')} on it (worst: "
            f"{format_duration(worst.actual or 0.0, settings)} against "
            f"{format_duration(worst.standard or 0.0, settings)}, {ratio}, for {worst.customer})"
        )
    if applies[5] and served is not None and served.mean_rating is not None:
        low, high = settings.satisfaction_scale
        said.append(
            f"its customers rate it {served.mean_rating:.3g} on a {low:g}-{high:g} scale "
            f"(mean of {_count(served.ratings, 'rating')})"
        )
    return tuple(said)


def rank_bottlenecks(
    units: Sequence[UnitFigures],
    spofs: dict[str, SinglePointOfFailure],
    served: dict[str, Served],
    context: Context,
    limit: int = BOTTLENECK_LIMIT,
) -> tuple[tuple[Bottleneck, ...], int]:
    """The `limit` highest-scoring units with at least one reason (ties by id), ranked from
    1, and how many more units had a reason."""
    candidates = []
    for position, unit in enumerate(units):
        values, applies = points(unit, spofs.get(unit.id), served.get(unit.id), context)
        if True in applies:
            candidates.append((-round(sum(values), 2), unit.id, position))
    listed = heapq.nsmallest(limit, candidates)
    ranked = []
    for rank, (negative, unit_id, position) in enumerate(listed, start=1):
        unit, spof, service = units[position], spofs.get(unit_id), served.get(unit_id)
        values, applies = points(unit, spof, service, context)
        said = reasons(unit, spof, service, context, applies)
        ranked.append(
            Bottleneck(unit_id, rank, -negative, said, tuple(zip(PARTS, values, strict=True)))
        )
    return tuple(ranked), len(candidates) - len(listed)


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"

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
`BOTTLENECK_LIMIT` are listed. A ranked unit is a *bottleneck* when it carries a hard
reason (`hard_reasons`): the longest lead time on a critical path with no float (or a late
one), utilization at or above the warning, or a breached handoff of its own on a critical
path. docs/analysis.md works through an
example.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import compress

from icmap.analysis.result import (
    HARD_REASONS,
    Bottleneck,
    BottleneckReason,
    DownstreamReach,
    GuardsCustomers,
    MissesStandards,
    OnCriticalPath,
    Overloaded,
    RatedLow,
    SinglePointOfFailure,
    UnitFigures,
)
from icmap.analysis.service import Served, normalized
from icmap.model import Settings

REACH_SHARE = 0.25  # downstream reach is a reason from a quarter of the other units on
BOTTLENECK_LIMIT = 100  # a shortlist for people: the rest is counted, not listed
# How far a score can be from the plain sum of its unrounded parts: six parts and the
# total are each rounded to 0.01 (0.005 at most each), plus room for float error.
_ROUNDING = 7 * 0.005 + 0.001
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
    # Per external customer id: its deadline minus its critical path length (None: no deadline).
    slack: dict[str, float | None] = field(default_factory=dict)
    # Suppliers of a breached dependency that lies on a critical path.
    breached_on_critical_path: frozenset[str] = frozenset()
    # The units with the longest lead time on a critical path that has no float or is late.
    slowest_on_critical_path: frozenset[str] = frozenset()


def _unrounded_parts(
    units: Sequence[UnitFigures],
    spofs: dict[str, SinglePointOfFailure],
    served: dict[str, Served],
    context: Context,
) -> tuple[list[list[float]], list[list[bool]]]:
    """The six parts of every unit's score before rounding, one list per part in `PARTS`
    order, and one list per part of whether it applies.

    Each part is one comprehension over all units rather than a function call per unit,
    and nothing is rounded yet: `round(x, 2)` costs a decimal conversion, and only the
    units that may make the list need it (see `rank_bottlenecks`).
    """
    others = max(1, context.units - 1)
    customers = context.customers
    settings = context.settings
    w = settings.utilization_warning
    ids = [unit.id for unit in units]
    guards = list(map(spofs.get, ids))
    services = list(map(served.get, ids))
    critical = [(20.0 if u.total_float <= 0 else 10.0) if u.critical else 0.0 for u in units]
    guarding = [0.0 if g is None else 10.0 + 10.0 * g.guards / others for g in guards]
    unit_share = [unit.downstream_units / others for unit in units]
    reach = [
        15.0 * share + 5.0 * (unit.downstream_customers / customers if customers else 0.0)
        for unit, share in zip(units, unit_share, strict=True)
    ]
    # u > 1: the queue grows without bound (20); from the warning w on: 10 to 20.
    load = [
        0.0
        if u is None
        else 20.0
        if u > 1
        else 10.0 + (10.0 * min(1.0, (u - w) / (1.0 - w)) if w < 1 else 0.0)
        if u >= w
        else 0.0
        for u in (unit.utilization for unit in units)
    ]
    breached = [s is not None and s.worst is not None for s in services]
    breaches = [
        10.0 * min(1.0, (s.worst_ratio - 1.0) / 2.0) if b and s is not None else 0.0
        for s, b in zip(services, breached, strict=True)
    ]
    shares = [
        normalized(s.rating_total / s.ratings, settings) if s is not None and s.ratings else 1.0
        for s in services
    ]
    rating = [10.0 * (1.0 - 2.0 * share) if share < 0.5 else 0.0 for share in shares]
    applies = [
        [unit.critical for unit in units],
        [g is not None for g in guards],
        [share >= REACH_SHARE for share in unit_share],
        [points > 0 for points in load],  # 10 points at least when it applies
        breached,
        # after rounding: a rating a hair below the middle rounds to 0 points
        [points > 0 and round(points, 2) > 0 for points in rating],
    ]
    return [critical, guarding, reach, load, breaches, rating], applies


def reasons(
    unit: UnitFigures,
    spof: SinglePointOfFailure | None,
    served: Served | None,
    context: Context,
    applies: Sequence[bool],
) -> tuple[BottleneckReason, ...]:
    """One record per part that applies, in `PARTS` order: the figures, not the words."""
    settings = context.settings
    said: list[BottleneckReason] = []
    if applies[0]:
        said.append(OnCriticalPath(tuple((c, context.slack.get(c)) for c in unit.critical_for)))
    if applies[1] and spof is not None:
        said.append(GuardsCustomers(spof.guards_by_customer))
    if applies[2]:
        share = unit.downstream_units / max(1, context.units - 1)
        said.append(
            DownstreamReach(
                unit.downstream_units, share, unit.downstream_customers, unit.downstream_exact
            )
        )
    if applies[3] and unit.utilization is not None:
        said.append(Overloaded(unit.utilization, settings.utilization_warning))
    if applies[4] and served is not None and served.worst is not None:
        worst = served.worst
        said.append(
            MissesStandards(
                served.breaches,
                served.dependencies,
                worst.customer,
                worst.actual or 0.0,
                worst.standard or 0.0,
                served.worst_ratio,
            )
        )
    if applies[5] and served is not None and served.mean_rating is not None:
        low, high = settings.satisfaction_scale
        said.append(RatedLow(served.mean_rating, served.ratings, low, high))
    return tuple(said)


def hard_reasons(unit: UnitFigures, load: float, context: Context) -> tuple[str, ...]:
    """Which of `HARD_REASONS` a unit carries: the longest lead time on a critical path with
    no float (or less), utilization at or above the warning, a breached handoff of its own
    on a critical path."""
    hard = []
    if unit.id in context.slowest_on_critical_path:
        hard.append(HARD_REASONS[0])
    if load > 0:
        hard.append(HARD_REASONS[1])
    if unit.id in context.breached_on_critical_path:
        hard.append(HARD_REASONS[2])
    return tuple(hard)


def rank_bottlenecks(
    units: Sequence[UnitFigures],
    spofs: dict[str, SinglePointOfFailure],
    served: dict[str, Served],
    context: Context,
    limit: int = BOTTLENECK_LIMIT,
) -> tuple[tuple[Bottleneck, ...], int, int]:
    """The `limit` highest-scoring units with at least one reason (ties by id), ranked from
    1, how many more units had a reason, and how many of all the ranked units (listed or
    not) carry a hard reason (are bottlenecks)."""
    unrounded, applies = _unrounded_parts(units, spofs, served, context)
    has_reason = list(map(any, zip(*applies, strict=True)))
    load = unrounded[3]
    hard_count = sum(
        1
        for position in compress(range(len(units)), has_reason)
        if hard_reasons(units[position], load[position], context)
    )
    candidates = list(compress(range(len(units)), has_reason))
    contenders = candidates
    if len(candidates) > limit:
        # A score is within _ROUNDING of the plain sum of its unrounded parts. A unit whose
        # plain sum is more than 2 * _ROUNDING below the limit-th highest plain sum scores
        # less than at least `limit` other units, so it cannot be listed: only the others
        # are rounded (at 100,000 units, a few hundred instead of every one).
        plain = [compress(part, has_reason) for part in unrounded]
        approximate: list[float] = list(map(sum, zip(*plain, strict=True)))
        cut = heapq.nlargest(limit, approximate)[-1] - 2 * _ROUNDING
        contenders = [p for p, a in zip(candidates, approximate, strict=True) if a >= cut]
    rounded = {p: tuple(round(part[p], 2) for part in unrounded) for p in contenders}
    listed = heapq.nsmallest(
        limit, ((-round(sum(rounded[p]), 2), units[p].id, p) for p in contenders)
    )
    ranked = []
    for rank, (negative, unit_id, position) in enumerate(listed, start=1):
        unit, spof, service = units[position], spofs.get(unit_id), served.get(unit_id)
        said = reasons(unit, spof, service, context, [flags[position] for flags in applies])
        components = tuple(zip(PARTS, rounded[position], strict=True))
        hard = hard_reasons(unit, load[position], context)
        ranked.append(Bottleneck(unit_id, rank, -negative, said, components, hard))
    return tuple(ranked), len(candidates) - len(listed), hard_count

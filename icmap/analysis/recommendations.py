"""Recommendations: who should swap jobs for a while, and who should improve each critical path.

Job swaps (Juran's remedy for a troubled supplier/customer relationship: each learns the
other's work). Every dependency between two units scores up to three parts:

- breach: actual > standard, min(1, (actual / standard - 1) / 2);
- %C&A: complete_accurate below `CA_THRESHOLD`, min(1, 2 * (1 - complete_accurate));
- satisfaction: a rating m (0-1 on the scale) below 0.5, 1 - 2m.

A pair's severity is the sum (0-3); the parts of A -> B and B -> A (a feedback dependency
back, say) add up into one pair. The `JOB_SWAP_LIMIT` most severe pairs are listed, ties by
supplier then customer id. External customers are left out: they are not on the payroll.

Improvement teams: per critical path, one member per department along it, in path order;
a role without a department, or a department that is itself a unit, stands for itself. The
member is the department's unit on the path that ranks highest as a bottleneck (the first on
the path when none of them is ranked), so the team always includes the path's top-ranked
unit.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from icmap.analysis.result import (
    CriticalPath,
    ImprovementTeam,
    IncompleteHandoff,
    JobSwap,
    LowRating,
    SlowHandoff,
    SwapReason,
)
from icmap.analysis.service import normalized
from icmap.model import Dependency, Org, Settings, Unit

CA_THRESHOLD = 0.9  # complete_accurate below this is a reason for a job swap
JOB_SWAP_LIMIT = 10


def job_swaps(org: Org, limit: int = JOB_SWAP_LIMIT) -> tuple[JobSwap, ...]:
    """The most troubled supplier/customer pairs of units, most severe first."""
    unit_ids = {unit.id for unit in org.units}
    settings = org.settings
    # pair (as first seen) -> [severity, its dependencies]; reasons are written only for
    # the pairs that make the list.
    pairs: dict[tuple[str, str], tuple[list[float], list[Dependency]]] = {}
    for dep in org.dependencies:
        if dep.customer not in unit_ids:
            continue
        severity = sum(_parts(dep, settings))
        if severity <= 0:
            continue
        known = pairs.get((dep.customer, dep.supplier)) or pairs.get((dep.supplier, dep.customer))
        if known is None:
            pairs[dep.supplier, dep.customer] = ([severity], [dep])
        else:  # the other direction of the same two people
            known[0][0] += severity
            known[1].append(dep)
    worst = heapq.nsmallest(limit, pairs.items(), key=lambda item: (-item[1][0][0], item[0]))
    return tuple(
        JobSwap(
            supplier,
            customer,
            tuple(reason for dep in deps for reason in _reasons(dep, settings)),
            round(severity[0], 3),
        )
        for (supplier, customer), (severity, deps) in worst
    )


def _parts(dep: Dependency, settings: Settings) -> tuple[float, float, float]:
    """Severity of one dependency: breach, %C&A and satisfaction parts (0 when they don't apply)."""
    breach = quality = rating = 0.0
    ratio = dep.breach_ratio
    if ratio is not None:
        breach = min(1.0, (ratio - 1.0) / 2.0)
    if dep.complete_accurate is not None and dep.complete_accurate < CA_THRESHOLD:
        quality = min(1.0, 2.0 * (1.0 - dep.complete_accurate))
    if dep.satisfaction is not None:
        share = normalized(dep.satisfaction, settings)
        if share < 0.5:
            rating = 1.0 - 2.0 * share
    return breach, quality, rating


def _reasons(dep: Dependency, settings: Settings) -> list[SwapReason]:
    """A record per part that applies, with the figures it is about."""
    breach, quality, rating = _parts(dep, settings)
    said: list[SwapReason] = []
    if breach and dep.actual is not None and dep.standard is not None:
        ratio = dep.breach_ratio or 0.0
        said.append(SlowHandoff(dep.supplier, dep.customer, dep.actual, dep.standard, ratio))
    if quality and dep.complete_accurate is not None:
        said.append(IncompleteHandoff(dep.supplier, dep.customer, dep.complete_accurate))
    if rating and dep.satisfaction is not None:
        low, high = settings.satisfaction_scale
        said.append(LowRating(dep.supplier, dep.customer, dep.satisfaction, low, high))
    return said


def improvement_teams(
    paths: Iterable[CriticalPath], units: dict[str, Unit], ranks: dict[str, int]
) -> tuple[ImprovementTeam, ...]:
    """One team per critical path with at least one unit, sorted by customer id.

    `ranks` maps unit ids to their bottleneck rank (1 = worst); a department's member is
    its unit on the path with the best rank, or, with none ranked, the first on the path.
    """
    unranked = len(ranks) + 1
    teams = []
    for path in paths:
        best: dict[str, tuple[int, int, str]] = {}  # department -> (rank, position, unit)
        for position, node in enumerate(path.path):
            unit = units.get(node)
            if unit is None:
                continue  # the external customer at the end
            candidate = (ranks.get(node, unranked), position, node)
            group = unit.department or unit.id
            if group not in best or candidate < best[group]:
                best[group] = candidate
        if best:
            # In path order of the department's first unit on it (dicts keep insertion order).
            members = tuple((group, chosen[2]) for group, chosen in best.items())
            teams.append(ImprovementTeam(path.customer, members))
    teams.sort(key=lambda team: team.customer)
    return tuple(teams)

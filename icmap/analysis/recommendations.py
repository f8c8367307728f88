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
member is the first unit of that department on the path (where the work enters it).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from icmap.analysis.result import CriticalPath, ImprovementTeam, JobSwap
from icmap.analysis.service import normalized
from icmap.model import Dependency, Org, Settings, Unit, format_duration

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
            tuple(reason for dep in deps for reason in _reasons(dep, supplier, settings)),
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


def _reasons(dep: Dependency, supplier: str, settings: Settings) -> list[str]:
    """A sentence per part that applies; `and back:` when the dependency runs the other way."""
    breach, quality, rating = _parts(dep, settings)
    back = "" if dep.supplier == supplier else "and back: "
    said = []
    if breach and dep.actual is not None and dep.standard is not None:
        ratio = dep.breach_ratio or 0.0
        shown = "∞" if ratio == float("inf") else f"{ratio:.2f}×"
        said.append(
            f"{back}{dep.supplier} takes {format_duration(dep.actual, settings)} against a "
            f"{format_duration(dep.standard, settings)} standard ({shown})"
        )
    if quality and dep.complete_accurate is not None:
        said.append(
            f"{back}only {dep.complete_accurate:.0%} of what {dep.supplier} hands over is "
            "complete and accurate"
        )
    if rating and dep.satisfaction is not None:
        low, high = settings.satisfaction_scale
        said.append(
            f"{back}{dep.customer} rates {dep.supplier} {dep.satisfaction:g} "
            f"on a {low:g}-{high:g} scale"
        )
    return said


def improvement_teams(
    paths: Iterable[CriticalPath], units: dict[str, Unit]
) -> tuple[ImprovementTeam, ...]:
    """One team per critical path with at least one unit, sorted by customer id."""
    teams = []
    for path in paths:
        members: dict[str, str] = {}
        for node in path.path:
            unit = units.get(node)
            if unit is None:
                continue  # the external customer at the end
            members.setdefault(unit.department or unit.id, unit.id)
        if members:
            teams.append(ImprovementTeam(path.customer, tuple(members.items())))
    teams.sort(key=lambda team: team.customer)
    return tuple(teams)

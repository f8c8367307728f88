"""`analyze(org)`: runs every analysis pass and assembles the `Analysis` the reports read.

The passes work on a flat `Network` (integer nodes, nanosecond ticks); this module turns
their lists back into ids and hours. Each step is linear or near-linear in units plus
dependencies (see docs/analysis.md for the cost of each).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import compress, repeat
from operator import truediv
from typing import TypeVar

from icmap.analysis import bottlenecks as ranking
from icmap.analysis import reach
from icmap.analysis.columns import records
from icmap.analysis.cpm import (
    Schedule,
    binding_customers,
    critical_edges,
    critical_path,
    schedule,
)
from icmap.analysis.dominators import single_points_of_failure
from icmap.analysis.focus import feeding
from icmap.analysis.network import TICKS_PER_HOUR, Network, build_network, hours, ticks
from icmap.analysis.paths import longest_paths
from icmap.analysis.recommendations import improvement_teams, job_swaps
from icmap.analysis.result import (
    Analysis,
    Bottleneck,
    CriticalPath,
    Handoff,
    RankedPath,
    SinglePointOfFailure,
    Summary,
    UnitFigures,
)
from icmap.analysis.service import (
    Survey,
    hotspots,
    service_breaches,
    supplier_ratings,
    survey,
    utilization,
    value_stream,
)
from icmap.graph import OrgGraph, build_graph
from icmap.model import Org

T = TypeVar("T")


def analyze(
    org: Org,
    *,
    near: float = 0.0,
    paths: int = 0,
    graph: OrgGraph | None = None,
    customer: str | None = None,
) -> Analysis:
    """Everything docs/analysis.md describes, for one org.

    `near`: hours of float within which a non-critical unit is near-critical. `paths`: how
    many longest paths to list per external customer (0: none). `graph`: the org's graph
    when the caller has built it already. `customer`: narrow what is listed to what feeds
    this external customer (`focus.feeding`). Raises ValueError for a negative `near` or
    `paths`, or when non-feedback dependencies form a loop (validate the org first), and
    KeyError for a `customer` that is not an external customer of the org.
    """
    if near < 0 or paths < 0:
        raise ValueError("near and paths must not be negative")
    graph = graph if graph is not None else build_graph(org)
    if customer is not None and customer not in graph.customers:
        raise KeyError(customer)
    return _analyze(org, graph, near, paths, customer)


def _analyze(org: Org, graph: OrgGraph, near: float, paths: int, customer: str | None) -> Analysis:
    net = build_network(graph)
    deadlines = {
        net.index[c.id]: ticks(c.deadline) for c in org.external_customers if c.deadline is not None
    }
    plan = schedule(net, deadlines)
    spofs = _single_points_of_failure(net)
    found = survey(org)
    late = any(plan.total_float[c] < 0 for c in net.customers)
    binding = binding_customers(net, plan) if late else None
    units = _unit_figures(net, plan, spofs, near, found, binding)
    made: dict[int, Handoff] = {}  # one Handoff per dependency, shared by the paths
    critical_paths = tuple(_critical_path(net, plan, c, made) for c in net.customers)
    ids = net.ids
    tight = frozenset((ids[u], ids[v]) for u, v in critical_edges(net, plan))
    context = ranking.Context(
        len(org.units),
        len(org.external_customers),
        org.settings,
        slack={p.customer: p.slack for p in critical_paths},
        breached_on_critical_path=frozenset(
            dep.supplier for dep in found.breaches if (dep.supplier, dep.customer) in tight
        ),
        slowest_on_critical_path=_slowest(critical_paths, graph),
    )
    limit = ranking.BOTTLENECK_LIMIT
    bottlenecks, omitted, hard = ranking.rank_bottlenecks(
        units, spofs, found.served, context, limit
    )
    ranked = tuple(
        RankedPath(net.ids[c], tuple(net.ids[i] for i in path), hours(length))
        for c, found_paths in longest_paths(net, paths).items()
        for length, path in found_paths
    )
    whole = Analysis(
        org=org,
        summary=_summary(org, net, plan, units, bottlenecks, omitted, hard),
        units=units,
        critical_paths=critical_paths,
        bottlenecks=bottlenecks,
        single_points_of_failure=tuple(spofs.values()),  # in id order already
        orphans=tuple(compress(net.ids, [not bits for bits in net.reaches])),
        service_breaches=service_breaches(found),
        hotspots=hotspots(found, org.settings),
        supplier_ratings=supplier_ratings(found),
        job_swaps=job_swaps(org),
        improvement_teams=improvement_teams(
            critical_paths, graph.units, {b.id: b.rank for b in bottlenecks}
        ),
        longest_paths=ranked,
        near_threshold=near,
        bottlenecks_omitted=omitted,
        critical_edges=tight,
        options={
            "near": near,
            "paths": paths,
            "reach": "exact" if reach.counted_exactly(net) else "estimated",
            "sketch_size": reach.SKETCH_SIZE,
            "bottleneck_limit": limit,
        },
    )
    if customer is None:
        return whole
    return feeding(whole, net, customer, found.served, context)


def _single_points_of_failure(net: Network) -> dict[str, SinglePointOfFailure]:
    """By unit id, in id order (node order is id order: sorting the nodes sorts the ids)."""
    ids = net.ids
    rows: list[tuple[str, tuple[str, ...], int, tuple[tuple[str, int], ...]]] = []
    for unit, by_customer in sorted(single_points_of_failure(net).items()):
        if len(by_customer) == 1:  # the common case, without sorting or generators
            ((customer, guards),) = by_customer.items()
            counts: tuple[tuple[str, int], ...] = ((ids[customer], guards),)
            rows.append((ids[unit], (counts[0][0],), guards, counts))
            continue
        counts = tuple(sorted((ids[c], n) for c, n in by_customer.items()))
        rows.append((ids[unit], tuple(c for c, _ in counts), max(n for _, n in counts), counts))
    if not rows:
        return {}
    fields = ("id", "customers", "guards", "guards_by_customer")
    found = records(SinglePointOfFailure, dict(zip(fields, zip(*rows, strict=True), strict=True)))
    return {spof.id: spof for spof in found}


def _unit_figures(
    net: Network,
    plan: Schedule,
    spofs: dict[str, SinglePointOfFailure],
    near: float,
    found: Survey,
    binding: list[int] | None = None,
) -> tuple[UnitFigures, ...]:
    """Figures of every unit (not the external customers), sorted by id.

    Built column by column, each column a C-level map over the node lists where it can
    be, and the records by `columns.records`: no Python loop per unit (100,000 units:
    0.33 s -> 0.20 s besides the reach estimate).
    """
    downstream, exact = reach.downstream_units(net)
    customers_below = reach.downstream_customers(net)
    threshold = ticks(near)
    is_unit = [not customer for customer in net.is_customer]

    def units_only(values: Iterable[T]) -> list[T]:
        return list(compress(values, is_unit))

    def in_hours(values: list[int]) -> list[float]:
        return list(map(truediv, compress(values, is_unit), repeat(TICKS_PER_HOUR)))

    ids = units_only(net.ids)
    critical = units_only(plan.critical)
    gap = units_only(plan.gap)
    names = {bits: net.customer_ids(bits) for bits in set(critical)}
    spof_customers = {unit_id: spof.customers for unit_id, spof in spofs.items()}
    units, served = net.graph.units, found.served
    return tuple(
        records(
            UnitFigures,
            {
                "id": ids,
                "es": in_hours(plan.es),
                "ef": in_hours(plan.ef),
                "ls": in_hours(plan.ls),
                "lf": in_hours(plan.lf),
                "total_float": in_hours(plan.total_float),
                "free_float": in_hours(plan.free_float),
                "critical": list(map(bool, critical)),
                "critical_for": list(map(names.__getitem__, critical)),
                "near_critical": [
                    not bits and distance is not None and distance <= threshold
                    for bits, distance in zip(critical, gap, strict=True)
                ],
                "utilization": [
                    utilization(units[unit_id], served.get(unit_id)) for unit_id in ids
                ],
                "downstream_units": units_only(downstream),
                "downstream_customers": units_only(customers_below),
                "downstream_exact": units_only(exact),
                "single_point_of_failure_for": list(map(spof_customers.get, ids, repeat(()))),
                "critical_gap": [None if d is None else d / TICKS_PER_HOUR for d in gap],
                "late_for": _late_for(net, plan, binding, is_unit),
            },
        )
    )


def _slowest(paths: Iterable[CriticalPath], graph: OrgGraph) -> frozenset[str]:
    """The units with the longest lead time on each critical path that has no float (no
    deadline, or a deadline it meets exactly or misses). Several that tie count when they
    are at most a quarter of the path's units: on a path where most units take as long, no
    unit is the slow one."""
    found: set[str] = set()
    units = graph.units
    for path in paths:
        if path.slack is not None and path.slack > 0:
            continue
        leads = [(units[node].lead_time, node) for node in path.path if node in units]
        if leads:
            longest = max(lead for lead, _ in leads)
            slow = [node for lead, node in leads if lead == longest]
            if len(slow) == 1 or len(slow) * 4 <= len(leads):
                found.update(slow)
    return frozenset(found)


def _late_for(
    net: Network, plan: Schedule, binding: list[int] | None, is_unit: list[bool]
) -> list[str | None]:
    """Per unit: the customer it is latest for when its float is negative, else None."""
    if binding is None:
        return [None] * sum(is_unit)
    ids = net.ids
    return [
        ids[binding[u]] if plan.total_float[u] < 0 and binding[u] >= 0 else None
        for u in compress(range(net.size), is_unit)
    ]


def _critical_path(
    net: Network, plan: Schedule, customer: int, made: dict[int, Handoff]
) -> CriticalPath:
    nodes, edges = critical_path(net, plan, customer)
    graph = net.graph
    names = [net.ids[i] for i in nodes]
    deadline = graph.customers[names[-1]].deadline
    return value_stream(
        names[-1], names, hours(plan.ef[customer]), graph.units, edges, deadline, made
    )


def _summary(
    org: Org,
    net: Network,
    plan: Schedule,
    units: tuple[UnitFigures, ...],
    bottlenecks: tuple[Bottleneck, ...],
    omitted: int,
    hard: int,
) -> Summary:
    late = sum(
        1
        for c in org.external_customers
        if c.deadline is not None and ticks(c.deadline) < plan.ef[net.index[c.id]]
    )
    return Summary(
        units=len(org.units),
        dependencies=len(org.dependencies),
        external_customers=len(org.external_customers),
        # Departments with roles are groupings; a department without roles is a unit.
        departments=len(org.departments) + sum(1 for u in org.units if u.kind == "department"),
        feedback_dependencies=sum(1 for d in org.dependencies if d.feedback),
        critical_units=sum(1 for u in units if u.critical),
        longest_path=max((hours(plan.ef[c]) for c in net.customers), default=0.0),
        late_customers=late,
        late_units=sum(1 for u in units if u.total_float < 0),
        bottlenecks=hard,
        ranked=len(bottlenecks) + omitted,
    )

"""An analysis narrowed to what feeds one external customer (`icmap analyze --customer ID`).

Every figure stays the whole org's (a unit's float, reach and score do not change because
the report looks at one customer); only what is listed is narrowed: the units with a path to
the customer (`Network.reaches`), the handoffs between them, the customer's critical path,
team and longest paths, and the bottlenecks ranked again among those units.
"""

from __future__ import annotations

from dataclasses import replace

from icmap.analysis import bottlenecks as ranking
from icmap.analysis.network import Network
from icmap.analysis.result import Analysis, Summary
from icmap.analysis.service import Served


def feeding(
    analysis: Analysis,
    net: Network,
    customer: str,
    served: dict[str, Served],
    context: ranking.Context,
) -> Analysis:
    """`analysis` narrowed to `customer` (an external customer id; KeyError otherwise)."""
    node = net.index[customer]
    if node not in net.customer_bit:
        raise KeyError(customer)
    bit = net.customer_bit[node]
    kept = {net.ids[i] for i, bits in enumerate(net.reaches) if bits & bit and i != node}
    ends = kept | {customer}
    units = tuple(u for u in analysis.units if u.id in kept)
    every = {s.id: s for s in analysis.single_points_of_failure}  # scores stay the org's
    bottlenecks, omitted, hard = ranking.rank_bottlenecks(units, every, served, context)
    spofs = [s for s in analysis.single_points_of_failure if customer in s.customers]
    org = analysis.org
    dependencies = [d for d in org.dependencies if d.supplier in kept and d.customer in ends]
    departments = {u.department for u in org.units if u.id in kept and u.department}
    own_units = sum(1 for u in org.units if u.id in kept and u.kind == "department")
    paths = tuple(p for p in analysis.critical_paths if p.customer == customer)
    summary = Summary(
        units=len(units),
        dependencies=len(dependencies),
        external_customers=1,
        departments=len(departments) + own_units,
        feedback_dependencies=sum(1 for d in dependencies if d.feedback),
        critical_units=sum(1 for u in units if customer in u.critical_for),
        longest_path=paths[0].length if paths else 0.0,
        late_customers=sum(1 for p in paths if p.slack is not None and p.slack < 0),
        late_units=sum(1 for u in units if u.total_float < 0),
        bottlenecks=hard,
        ranked=len(bottlenecks) + omitted,
    )
    return replace(
        analysis,
        summary=summary,
        units=units,
        critical_paths=paths,
        bottlenecks=bottlenecks,
        bottlenecks_omitted=omitted,
        single_points_of_failure=tuple(spofs),
        orphans=(),
        service_breaches=tuple(
            b for b in analysis.service_breaches if b.supplier in kept and b.customer in ends
        ),
        hotspots=tuple(h for h in analysis.hotspots if h.supplier in kept and h.customer in ends),
        supplier_ratings=tuple(r for r in analysis.supplier_ratings if r.supplier in kept),
        job_swaps=tuple(j for j in analysis.job_swaps if j.supplier in kept and j.customer in kept),
        improvement_teams=tuple(t for t in analysis.improvement_teams if t.customer == customer),
        longest_paths=tuple(p for p in analysis.longest_paths if p.customer == customer),
        critical_edges=frozenset(
            (s, c) for s, c in analysis.critical_edges if s in kept and c in ends
        ),
        focus=customer,
    )

"""The figures a comparison needs of one org: its analysis and each unit's float per customer.

Total float is the smallest float a unit has for any customer, so a change that helps one
customer and hurts another can leave it unchanged. A comparison therefore holds the float of
each unit for each external customer it feeds: LF_C(u) - EF(u), with LF_C from the backward
pass of that customer alone (its deadline, else its finish), in the schedule's exact ticks.
"""

from __future__ import annotations

from dataclasses import dataclass

from icmap.analysis.cpm import schedule
from icmap.analysis.network import Network, build_network, hours, ticks
from icmap.analysis.result import Analysis
from icmap.graph import OrgGraph, build_graph
from icmap.model import Org


@dataclass(frozen=True, slots=True)
class Figures:
    """An org's analysis, and the float of every unit for every customer it feeds (hours)."""

    analysis: Analysis
    floats: dict[tuple[str, str], float]  # (unit id, customer id) -> hours

    @property
    def org(self) -> Org:
        """The org analyzed."""
        return self.analysis.org


def figures_of(org: Org, graph: OrgGraph | None = None) -> Figures:
    """Analyze an org (which must check without errors) and add its floats per customer."""
    from icmap.analysis.engine import analyze

    graph = graph if graph is not None else build_graph(org)
    analysis = analyze(org, graph=graph)
    return Figures(analysis, floats_by_customer(build_network(graph), org))


def floats_by_customer(net: Network, org: Org) -> dict[tuple[str, str], float]:
    """(unit id, customer id) -> total float of the unit for that customer alone, in hours.

    One backward pass per customer over the units that reach it: O(customers x (units +
    dependencies)) at worst, far less when customers are fed by parts of the org.
    """
    deadlines = {
        net.index[c.id]: ticks(c.deadline) for c in org.external_customers if c.deadline is not None
    }
    plan = schedule(net, deadlines)
    ef, lead = plan.ef, net.lead
    succ, succ_handoff, reaches = net.succ, net.succ_handoff, net.reaches
    ids = net.ids
    found: dict[tuple[str, str], float] = {}
    for customer in net.customers:
        bit = net.customer_bit[customer]
        latest_start: dict[int, int] = {customer: deadlines.get(customer, ef[customer])}
        for u in reversed(net.order):
            if u == customer or not reaches[u] & bit or net.is_customer[u]:
                continue
            latest = min(
                latest_start[v] - h
                for v, h in zip(succ[u], succ_handoff[u], strict=True)
                if v in latest_start
            )
            latest_start[u] = latest - lead[u]
            found[ids[u], ids[customer]] = hours(latest - ef[u])
    return found

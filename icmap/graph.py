"""The internal-customer graph: the only place a networkx graph is built from an Org.

Nodes are unit and external-customer ids; an edge runs supplier -> customer for every
dependency. Feedback dependencies are kept aside: they are drawn, but take no part in paths
or cycle detection. Callers use `OrgGraph`, not networkx directly, so the engine can change.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx

from icmap.model import Dependency, ExternalCustomer, Org, Unit


@dataclass(eq=False)
class OrgGraph:
    """An Org as a directed graph of value flowing from suppliers to customers."""

    org: Org
    flow: Any = field(repr=False)  # nx.DiGraph of non-feedback dependencies
    units: dict[str, Unit] = field(repr=False)
    customers: dict[str, ExternalCustomer] = field(repr=False)
    feedback: tuple[Dependency, ...] = ()

    def dependency(self, supplier: str, customer: str) -> Dependency:
        """The (non-feedback) dependency on the edge supplier -> customer."""
        dep: Dependency = self.flow.edges[supplier, customer]["dependency"]
        return dep

    def suppliers(self, node: str) -> Iterator[str]:
        """Ids this unit or customer depends on (non-feedback)."""
        return iter(self.flow.pred[node])

    def customers_of(self, node: str) -> Iterator[str]:
        """Ids that depend on this unit (its internal and external customers, non-feedback)."""
        return iter(self.flow.succ[node])

    def lead_time(self, node: str) -> float:
        """Lead time in hours; 0 for an external customer."""
        unit = self.units.get(node)
        return unit.lead_time if unit is not None else 0.0

    def is_customer(self, node: str) -> bool:
        """True for an external customer."""
        return node in self.customers

    @cached_property
    def cycles(self) -> tuple[tuple[str, ...], ...]:
        """One loop per strongly connected tangle of non-feedback dependencies, each
        rotated to start at its smallest id; sorted. Empty for a valid org."""
        loops = []
        for component in nx.strongly_connected_components(self.flow):
            if len(component) == 1:
                (node,) = component
                if not self.flow.has_edge(node, node):
                    continue
                loops.append((node,))
                continue
            edges = nx.find_cycle(self.flow.subgraph(component), source=min(component))
            loop = [u for u, _ in edges]
            start = loop.index(min(loop))
            loops.append(tuple(loop[start:] + loop[:start]))
        return tuple(sorted(loops))

    @cached_property
    def topological_order(self) -> tuple[str, ...]:
        """Suppliers before customers, ties broken by id (deterministic). Needs no cycles."""
        return tuple(nx.lexicographical_topological_sort(self.flow))

    @cached_property
    def reaching_customers(self) -> frozenset[str]:
        """Every node with a path to some external customer (customers included)."""
        reached: set[str] = set(self.customers)
        stack = list(self.customers)
        pred = self.flow.pred
        while stack:
            node = stack.pop()
            for supplier in pred[node]:
                if supplier not in reached:
                    reached.add(supplier)
                    stack.append(supplier)
        return frozenset(reached)

    @property
    def orphans(self) -> tuple[str, ...]:
        """Units with no path to any external customer, sorted."""
        reached = self.reaching_customers
        return tuple(sorted(u for u in self.units if u not in reached))


def build_graph(org: Org) -> OrgGraph:
    """Build the internal-customer graph of an org."""
    flow = nx.DiGraph()
    units = {unit.id: unit for unit in org.units}
    customers = {customer.id: customer for customer in org.external_customers}
    flow.add_nodes_from(units, external=False)
    flow.add_nodes_from(customers, external=True)
    flow.add_edges_from(
        (dep.supplier, dep.customer, {"dependency": dep})
        for dep in org.dependencies
        if not dep.feedback
    )
    feedback = tuple(dep for dep in org.dependencies if dep.feedback)
    return OrgGraph(org=org, flow=flow, units=units, customers=customers, feedback=feedback)

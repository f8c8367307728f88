"""The internal-customer graph: the only place a networkx graph is built from an Org.

Nodes are unit and external-customer ids; an edge runs supplier -> customer for every
dependency. Feedback dependencies are kept aside: they are drawn, but take no part in paths
or cycle detection. Callers use `OrgGraph`, not networkx directly, so the engine can change.

The adjacency every run needs (suppliers, customers, the dependency on an edge) is kept in
plain dicts; the networkx `DiGraph` is built on first use of `flow`. Building it costs about
2 s at 100,000 roles, which `icmap check` and `icmap analyze` never need to pay: a valid org
is checked with a linear pass, and networkx is asked only to name the loops of an invalid one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from icmap.model import Dependency, ExternalCustomer, Org, Unit


@dataclass(eq=False)
class OrgGraph:
    """An Org as a directed graph of value flowing from suppliers to customers."""

    org: Org
    units: dict[str, Unit] = field(repr=False)
    customers: dict[str, ExternalCustomer] = field(repr=False)
    feedback: tuple[Dependency, ...] = ()
    # Non-feedback adjacency, by id; every node has an entry (maybe empty).
    _suppliers: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _customers: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _dependencies: dict[tuple[str, str], Dependency] = field(default_factory=dict, repr=False)

    @cached_property
    def flow(self) -> Any:
        """The non-feedback dependencies as a networkx `DiGraph` (built on first use).

        Nodes carry `external` (True for external customers); edges carry `dependency`.
        """
        import networkx as nx

        flow = nx.DiGraph()
        flow.add_nodes_from(self.units, external=False)
        flow.add_nodes_from(self.customers, external=True)
        flow.add_edges_from(
            (supplier, customer, {"dependency": dep})
            for (supplier, customer), dep in self._dependencies.items()
        )
        return flow

    def dependency(self, supplier: str, customer: str) -> Dependency:
        """The (non-feedback) dependency on the edge supplier -> customer."""
        return self._dependencies[supplier, customer]

    def suppliers(self, node: str) -> Iterator[str]:
        """Ids this unit or customer depends on (non-feedback)."""
        return iter(self._suppliers[node])

    @cached_property
    def cycles(self) -> tuple[tuple[str, ...], ...]:
        """One loop per strongly connected tangle of non-feedback dependencies, each
        rotated to start at its smallest id; sorted. Empty for a valid org."""
        tangled = self._nodes_on_or_behind_loops()
        if not tangled:
            return ()
        import networkx as nx

        flow = self.flow.subgraph(tangled)
        loops = []
        for component in nx.strongly_connected_components(flow):
            if len(component) == 1:
                (node,) = component
                if flow.has_edge(node, node):
                    loops.append((node,))
                continue
            edges = nx.find_cycle(flow.subgraph(component), source=min(component))
            loop = [u for u, _ in edges]
            start = loop.index(min(loop))
            loops.append(tuple(loop[start:] + loop[:start]))
        return tuple(sorted(loops))

    def _nodes_on_or_behind_loops(self) -> list[str]:
        """Nodes Kahn's algorithm cannot order: those on a loop or fed by one."""
        waiting = {node: len(suppliers) for node, suppliers in self._suppliers.items()}
        ready = [node for node, count in waiting.items() if count == 0]
        while ready:
            node = ready.pop()
            for customer in self._customers[node]:
                waiting[customer] -= 1
                if waiting[customer] == 0:
                    ready.append(customer)
        return [node for node, count in waiting.items() if count > 0]

    @cached_property
    def reaching_customers(self) -> frozenset[str]:
        """Every node with a path to some external customer (customers included)."""
        reached: set[str] = set(self.customers)
        stack = list(self.customers)
        suppliers = self._suppliers
        while stack:
            node = stack.pop()
            for supplier in suppliers[node]:
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
    units = {unit.id: unit for unit in org.units}
    customers = {customer.id: customer for customer in org.external_customers}
    suppliers: dict[str, list[str]] = {node: [] for node in units}
    suppliers.update((node, []) for node in customers)
    customers_of: dict[str, list[str]] = {node: [] for node in suppliers}
    dependencies: dict[tuple[str, str], Dependency] = {}
    feedback = []
    for dep in org.dependencies:
        if dep.feedback:
            feedback.append(dep)
            continue
        if dep.customer not in suppliers or dep.supplier not in suppliers:
            # The loader drops unresolved references; only a hand-built Org gets here.
            raise ValueError(
                f"dependency {dep.supplier!r} -> {dep.customer!r} names an unknown unit"
            )
        suppliers[dep.customer].append(dep.supplier)
        customers_of[dep.supplier].append(dep.customer)
        dependencies[dep.supplier, dep.customer] = dep
    return OrgGraph(
        org=org,
        units=units,
        customers=customers,
        feedback=tuple(feedback),
        _suppliers=suppliers,
        _customers=customers_of,
        _dependencies=dependencies,
    )

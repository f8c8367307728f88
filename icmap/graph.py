"""The internal-customer graph: the only place a networkx graph is built from an Org.

Nodes are unit and external-customer ids; an edge runs supplier -> customer for every
dependency. Feedback dependencies are kept aside: they are drawn, but take no part in paths
or cycle detection. Callers use `OrgGraph`, not networkx directly, so the engine can change.

The adjacency every run needs is kept in plain lists of node numbers; the networkx `DiGraph`
is built on first use of `flow`. Building it costs about 2 s at 100,000 roles, which
`icmap check` and `icmap analyze` never need to pay: a valid org is checked with a linear
pass, and networkx is asked only to name the loops of an invalid one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from icmap.model import Dependency, ExternalCustomer, Org, Unit


@dataclass(eq=False)
class OrgGraph:
    """An Org as a directed graph of value flowing from suppliers to customers.

    Nodes are numbered: node i is the i-th id in sorted order (`ids`), units and external
    customers together, so "the smallest id" is "the smallest number". The adjacency is
    plain lists of node numbers, the form every pass loops over fastest; the analysis
    builds on it rather than building its own.
    """

    org: Org
    units: dict[str, Unit] = field(repr=False)
    customers: dict[str, ExternalCustomer] = field(repr=False)
    feedback: tuple[Dependency, ...] = ()
    ids: list[str] = field(default_factory=list, repr=False)  # sorted
    index: dict[str, int] = field(default_factory=dict, repr=False)  # id -> node
    # The non-feedback dependencies in org order, and the nodes at their two ends.
    flow_dependencies: list[Dependency] = field(default_factory=list, repr=False)
    tails: list[int] = field(default_factory=list, repr=False)  # suppliers
    heads: list[int] = field(default_factory=list, repr=False)  # customers
    succ: list[list[int]] = field(default_factory=list, repr=False)  # customers of a node
    pred: list[list[int]] = field(default_factory=list, repr=False)  # suppliers of a node

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
            (dep.supplier, dep.customer, {"dependency": dep}) for dep in self.flow_dependencies
        )
        return flow

    def dependency(self, supplier: str, customer: str) -> Dependency:
        """The (non-feedback) dependency on the edge supplier -> customer (KeyError if none)."""
        return self._by_edge[supplier, customer]

    @cached_property
    def _by_edge(self) -> dict[tuple[str, str], Dependency]:
        """The flow dependencies by (supplier, customer): made on first use, which only an
        org with loops needs (to point at the dependency that closes each)."""
        return {(dep.supplier, dep.customer): dep for dep in self.flow_dependencies}

    def suppliers(self, node: str) -> Iterator[str]:
        """Ids this unit or customer depends on (non-feedback)."""
        ids = self.ids
        return (ids[i] for i in self.pred[self.index[node]])

    @cached_property
    def order(self) -> list[int]:
        """The nodes in topological order, suppliers before customers (Kahn's algorithm),
        leaving out those on a loop or fed by one: all of them in a valid org."""
        succ = self.succ
        waiting = [len(p) for p in self.pred]
        ready = [i for i, count in enumerate(waiting) if count == 0]
        order: list[int] = []
        while ready:
            u = ready.pop()
            order.append(u)
            for v in succ[u]:
                waiting[v] -= 1
                if waiting[v] == 0:
                    ready.append(v)
        return order

    @cached_property
    def cycles(self) -> tuple[tuple[str, ...], ...]:
        """One loop per strongly connected tangle of non-feedback dependencies, each
        rotated to start at its smallest id; sorted. Empty for a valid org."""
        if len(self.order) == len(self.ids):
            return ()
        ordered = set(self.order)
        tangled = [node for i, node in enumerate(self.ids) if i not in ordered]
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

    @cached_property
    def reaching_customers(self) -> list[bool]:
        """Per node: whether it has a path to some external customer (customers do)."""
        reached = [False] * len(self.ids)
        index, pred = self.index, self.pred
        stack = [index[c] for c in self.customers]
        for node in stack:
            reached[node] = True
        while stack:
            node = stack.pop()
            for supplier in pred[node]:
                if not reached[supplier]:
                    reached[supplier] = True
                    stack.append(supplier)
        return reached

    @property
    def orphans(self) -> tuple[str, ...]:
        """Units with no path to any external customer, sorted."""
        return tuple(
            node
            for node, reached in zip(self.ids, self.reaching_customers, strict=True)
            if not reached
        )


def build_graph(org: Org) -> OrgGraph:
    """Build the internal-customer graph of an org."""
    units = {unit.id: unit for unit in org.units}
    customers = {customer.id: customer for customer in org.external_customers}
    ids = sorted([*units, *customers])
    index = {node: i for i, node in enumerate(ids)}
    flow = [dep for dep in org.dependencies if not dep.feedback]
    try:
        tails = [index[dep.supplier] for dep in flow]
        heads = [index[dep.customer] for dep in flow]
    except KeyError:
        # The loader drops unresolved references; only a hand-built Org gets here.
        dep = next(d for d in flow if d.supplier not in index or d.customer not in index)
        raise ValueError(
            f"dependency {dep.supplier!r} -> {dep.customer!r} names an unknown unit"
        ) from None
    succ: list[list[int]] = [[] for _ in ids]
    pred: list[list[int]] = [[] for _ in ids]
    for u, v in zip(tails, heads, strict=True):
        succ[u].append(v)
        pred[v].append(u)
    return OrgGraph(
        org=org,
        units=units,
        customers=customers,
        feedback=tuple(dep for dep in org.dependencies if dep.feedback),
        ids=ids,
        index=index,
        flow_dependencies=flow,
        tails=tails,
        heads=heads,
        succ=succ,
        pred=pred,
    )

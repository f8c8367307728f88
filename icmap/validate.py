"""Checks that need the whole graph: dependency loops, orphans, and where value ends up."""

from __future__ import annotations

from icmap.codes import RULES
from icmap.graph import OrgGraph
from icmap.model import Finding, Location


def validate(graph: OrgGraph) -> list[Finding]:
    """Findings about the org as a graph, sorted: cycles, orphans, external customers."""
    org = graph.org
    findings: list[Finding] = []

    def add(code: str, location: Location | None, message: str, hint: str = "") -> None:
        findings.append(Finding(code, RULES[code].level, message, location, hint))

    for loop in graph.cycles:
        closing = graph.dependency(loop[-1], loop[0])
        if len(loop) == 1:
            add(
                "ICM500",
                closing.location,
                f"{loop[0]!r} depends on itself, so it can never start",
                f"remove {loop[0]!r} from its own depends_on",
            )
            continue
        add(
            "ICM500",
            closing.location,
            f"dependency loop: {_loop_in_words(loop)}, so none of them can ever start; "
            "mark one of these dependencies `feedback: true` if it only sends information "
            "back, or remove it",
            f"e.g. add `feedback: true` here if {loop[-1]!r} only reports back to {loop[0]!r}",
        )
    if not graph.customers:
        add(
            "ICM502",
            org.location,
            "the org has no external customer: value has nowhere to go and there is no "
            "critical path",
            "add `external_customers:` with the customer who pays and what they depend on",
        )
    else:
        # A reference the loader could not resolve is one mistake, reported there: the
        # orphans and idle customers it causes would vanish once it is fixed.
        meant = _upstream(graph, {u for _, units in org.unresolved for u in units})
        idle_by_mistake = {dependent for dependent, _ in org.unresolved}
        for unit_id in graph.orphans:
            if unit_id in meant:
                continue
            unit = graph.units[unit_id]
            add(
                "ICM501",
                unit.location,
                f"{unit_id!r} has no path to any external customer: nobody who pays depends "
                "on its work",
                "add it to the depends_on of the unit it serves, or remove it",
            )
        for customer in graph.customers.values():
            if customer.id in idle_by_mistake:
                continue
            if next(graph.suppliers(customer.id), None) is None:
                add(
                    "ICM503",
                    customer.location,
                    f"external customer {customer.id!r} depends on no unit",
                    "list the units that serve it under its depends_on",
                )
    return sorted(findings, key=Finding.sort_key)


def _upstream(graph: OrgGraph, seeds: set[str]) -> set[str]:
    """The seeds that are nodes of the graph, and every unit with a path to one of them."""
    found = {seed for seed in seeds if seed in graph.index}
    stack = list(found)
    while stack:
        for supplier in graph.suppliers(stack.pop()):
            if supplier not in found:
                found.add(supplier)
                stack.append(supplier)
    return found


def _loop_in_words(loop: tuple[str, ...]) -> str:
    """A loop of supplier -> customer edges told customer first, as a depends_on reads.

    `(a, b, c)` (a supplies b, b supplies c, c supplies a) reads
    "a depends on c, which depends on b, which depends on a": it starts with the
    dependency the finding points at, the one `a` lists.
    """
    order = [loop[0], *reversed(loop[1:]), loop[0]]
    return f"{order[0]} depends on {order[1]}" + "".join(
        f", which depends on {ident}" for ident in order[2:]
    )

"""`whatif --suggest N`: the single changes that would shorten each critical path most.

For every unit on some customer's critical path, its lead time is halved and the schedule
re-run exactly (the same CPM, in ticks): the gain for a customer is how much sooner it
finishes. Halving one unit can help less than its half lead time, when another path is
nearly as long; the re-run measures that, it does not guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from icmap.analysis.cpm import schedule
from icmap.analysis.network import Network, build_network, hours
from icmap.graph import OrgGraph

#: The change each suggestion stands for, as `icmap whatif` takes it.
HALVED = "lead_time=-50%"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Halving one unit's lead time, and what it does for one external customer (hours)."""

    customer: str
    unit: str
    length: float  # the customer's critical path now
    new_length: float  # with the unit's lead time halved

    @property
    def gain(self) -> float:
        """Hours the customer would finish sooner."""
        return self.length - self.new_length

    @property
    def change(self) -> str:
        """The change as `icmap whatif` takes it."""
        return f"{self.unit}.{HALVED}"


def suggest(graph: OrgGraph, best: int) -> dict[str, tuple[Suggestion, ...]]:
    """Customer id -> its `best` suggestions, largest gain first (ties by unit id); only
    changes that gain something are listed."""
    net = build_network(graph)
    plan = schedule(net, {})
    ef = plan.ef
    candidates = sorted(
        {u for u in range(net.size) if plan.critical[u] and not net.is_customer[u] and net.lead[u]}
    )
    found: dict[str, list[Suggestion]] = {net.ids[c]: [] for c in net.customers}
    for unit in candidates:
        finish = _finishes_with(net, unit, net.lead[unit] // 2)
        for customer in net.customers:
            if finish[customer] < ef[customer]:
                found[net.ids[customer]].append(
                    Suggestion(
                        net.ids[customer],
                        net.ids[unit],
                        hours(ef[customer]),
                        hours(finish[customer]),
                    )
                )
    return {
        customer: tuple(sorted(items, key=lambda s: (-s.gain, s.unit))[:best])
        for customer, items in found.items()
    }


def _finishes_with(net: Network, unit: int, lead: int) -> list[int]:
    """Every node's EF with one unit's lead time replaced (the same passes as analyze)."""
    original = net.lead[unit]
    net.lead[unit] = lead
    try:
        return schedule(net, {}).ef
    finally:
        net.lead[unit] = original

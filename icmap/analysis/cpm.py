"""The critical path method: start and finish times, float, and who is critical for whom.

Exactly the passes of docs/analysis.md, on a `Network` (integer nodes,
durations in nanosecond ticks so every comparison is exact):

- forward, suppliers first: ES(v) = max over suppliers u of EF(u) + handoff(u->v), 0 with no
  supplier; EF(v) = ES(v) + lead(v).
- backward, customers first: LF(C) = deadline, else EF(C), for an external customer C;
  LF(u) = min over its customers v of LS(v) - handoff(u->v); LS = LF - lead.
- total float = LF - EF; free float(u) = min over customers v of ES(v) - handoff(u->v) - EF(u)
  (for an external customer, LF - EF).
- u is critical for C when a longest path to C passes through it: a chain of *tight*
  dependencies (EF(u) + handoff = ES(v)) leads from u to C.

Orphans (units with no path to an external customer) take no part in the backward pass of
the others: nobody who pays waits for their work, so it cannot make a paying path late. Among
themselves they are scheduled against the org's horizon (the latest customer finish): a dead
end's LF is max(horizon, its EF). They are never critical.

Every pass is one loop over the dependencies: O(units + dependencies).
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import add, sub

from icmap.analysis.network import Network
from icmap.model import Dependency


@dataclass(eq=False, slots=True)
class Schedule:
    """CPM figures per node (ticks), indexed like the Network."""

    es: list[int]
    ef: list[int]
    ls: list[int]
    lf: list[int]
    total_float: list[int]
    free_float: list[int]
    # Total float as if no customer had a deadline: how far a unit is from being critical.
    # None for orphans. Equal to total_float when no deadline is set.
    gap: list[int | None]
    critical: list[int]  # bitset over Network.customers: those whose critical path it is on
    horizon: int  # latest finish of any external customer (of any node when there is none)


def schedule(net: Network, deadlines: dict[int, int]) -> Schedule:
    """Run the forward and backward passes; `deadlines` maps customer nodes to ticks."""
    size = net.size
    lead, pred, pred_handoff = net.lead, net.pred, net.pred_handoff
    es = [0] * size
    ef = [0] * size
    finish_of = ef.__getitem__
    for v in net.order:
        suppliers = pred[v]
        # max() over C iterators instead of a Python loop per dependency: the forward pass
        # takes 0.10 s instead of 0.13 s at 100,000 units. One supplier is the common case.
        if len(suppliers) == 1:
            start = ef[suppliers[0]] + pred_handoff[v][0]
        elif suppliers:
            start = max(map(add, map(finish_of, suppliers), pred_handoff[v]))
        else:
            start = 0
        if start < 0:
            start = 0
        es[v] = start
        ef[v] = start + lead[v]
    horizon = max(ef[c] for c in net.customers) if net.customers else max(ef, default=0)

    finish_by = {c: deadlines.get(c, ef[c]) for c in net.customers}
    lf, free_float, critical = _backward(net, es, ef, finish_by, horizon)
    ls = list(map(sub, lf, lead))
    total_float = list(map(sub, lf, ef))
    distance = total_float
    if any(c in deadlines for c in net.customers):
        plain_lf, _, _ = _backward(net, es, ef, {c: ef[c] for c in net.customers}, horizon)
        distance = list(map(sub, plain_lf, ef))
    gap: list[int | None] = [
        value if reach else None for value, reach in zip(distance, net.reaches, strict=True)
    ]
    return Schedule(es, ef, ls, lf, total_float, free_float, gap, critical, horizon)


def _backward(
    net: Network, es: list[int], ef: list[int], finish_by: dict[int, int], horizon: int
) -> tuple[list[int], list[int], list[int]]:
    """Latest finishes, free floats and critical-for bitsets, customers first."""
    size = net.size
    lead, reaches, customer_bit = net.lead, net.reaches, net.customer_bit
    succ, succ_handoff = net.succ, net.succ_handoff
    lf = [0] * size
    ls = [0] * size  # LF - lead, kept as it goes so min() can read it
    free_float = [0] * size
    critical = [0] * size
    # Units that reach a customer and also feed an orphan: the orphan branch must be left
    # out of their minimums. They are few, so every other unit takes the fast path below.
    mixed = {u for v in range(size) if not reaches[v] for u in net.pred[v] if reaches[u]}
    start_of, latest_start_of = es.__getitem__, ls.__getitem__
    for u in reversed(net.order):
        done = ef[u]
        if u in finish_by:
            latest = finish_by[u]
            lf[u] = latest
            ls[u] = latest - lead[u]
            free_float[u] = latest - done
            critical[u] = customer_bit[u]
            continue
        following, handoffs = succ[u], succ_handoff[u]
        if u in mixed:
            paying = [(v, h) for v, h in zip(following, handoffs, strict=True) if reaches[v]]
            following, handoffs = [v for v, _ in paying], [h for _, h in paying]
        bits = 0
        if len(following) == 1:
            v, handoff = following[0], handoffs[0]
            latest = ls[v] - handoff
            earliest_next = es[v] - handoff
            if earliest_next == done:  # a tight dependency: EF(u) + handoff = ES(v)
                bits = critical[v]
        elif following:
            latest = min(map(sub, map(latest_start_of, following), handoffs))
            # ES(v) - handoff >= EF(u) for every customer v, with equality exactly on the
            # tight dependencies: there are some only when the minimum equals EF(u).
            earliest_next = min(map(sub, map(start_of, following), handoffs))
            if earliest_next == done:
                for v, handoff in zip(following, handoffs, strict=True):
                    if es[v] - handoff == done:
                        bits |= critical[v]
        else:  # a dead end: only orphans get here
            latest = max(horizon, done)
            earliest_next = latest
        lf[u] = latest
        ls[u] = latest - lead[u]
        free_float[u] = earliest_next - done
        critical[u] = bits
    return lf, free_float, critical


def critical_path(
    net: Network, plan: Schedule, customer: int
) -> tuple[list[int], list[Dependency]]:
    """The critical path to one customer (first supplier first, the customer last) and the
    dependencies along it.

    Tie-break: walking back from the customer, among the suppliers whose EF + handoff equals
    the node's ES (equally long paths), take the one with the smallest id. The result is a
    longest path, the same for any order of the input.
    """
    path = [customer]
    edges: list[Dependency] = []
    v = customer
    es, ef = plan.es, plan.ef
    while net.pred[v]:
        target = es[v]
        chosen = -1
        for position, (u, handoff) in enumerate(zip(net.pred[v], net.pred_handoff[v], strict=True)):
            if ef[u] + handoff == target and (chosen < 0 or u < net.pred[v][chosen]):
                chosen = position
        edges.append(net.pred_dependency[v][chosen])
        v = net.pred[v][chosen]
        path.append(v)
    path.reverse()
    edges.reverse()
    return path, edges


def critical_edges(net: Network, plan: Schedule) -> list[tuple[int, int]]:
    """The dependencies on a longest path to some customer, every tie included, as (supplier,
    customer) nodes in supplier order.

    u -> v is on one when it is tight (EF(u) + handoff = ES(v), exact in ticks) and v is
    critical for some customer: a longest path to u, then u -> v, then v's tight chain to
    that customer is a longest path to it.
    """
    ef, es, critical = plan.ef, plan.es, plan.critical
    found = []
    for u in range(net.size):
        if not critical[u]:
            continue
        done = ef[u]
        for v, handoff in zip(net.succ[u], net.succ_handoff[u], strict=True):
            if critical[v] and done + handoff == es[v]:
                found.append((u, v))
    return found


def binding_customers(net: Network, plan: Schedule) -> list[int]:
    """Per node: the external customer whose deadline sets its latest finish (the one it is
    latest for when its float is negative), -1 for orphans.

    One pass, customers first: a unit's latest finish is the minimum over its customers v
    of LS(v) - handoff; it takes the binding customer of the v that gives the minimum (the
    smallest customer node, so the smallest id, on a tie).
    """
    size = net.size
    ls, lf, reaches = plan.ls, plan.lf, net.reaches
    succ, succ_handoff = net.succ, net.succ_handoff
    binding = [-1] * size
    for customer in net.customers:
        binding[customer] = customer
    for u in reversed(net.order):
        if binding[u] >= 0 or not reaches[u]:
            continue
        latest = lf[u]
        chosen = -1
        for v, handoff in zip(succ[u], succ_handoff[u], strict=True):
            if reaches[v] and ls[v] - handoff == latest:
                found = binding[v]
                if found >= 0 and (chosen < 0 or found < chosen):
                    chosen = found
        binding[u] = chosen
    return binding

"""The critical path method: start and finish times, float, and who is critical for whom.

Exactly the passes of ORG-FORMAT.md "What is computed", on a `Network` (integer nodes,
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
    order, lead = net.order, net.lead
    es = [0] * size
    ef = [0] * size
    for v in order:
        start = 0
        for u, handoff in zip(net.pred[v], net.pred_handoff[v], strict=True):
            finish = ef[u] + handoff
            if finish > start:
                start = finish
        es[v] = start
        ef[v] = start + lead[v]
    horizon = max(ef[c] for c in net.customers) if net.customers else max(ef, default=0)

    finish_by = {c: deadlines.get(c, ef[c]) for c in net.customers}
    lf, free_float, critical = _backward(net, es, ef, finish_by, horizon)
    ls = [lf[i] - lead[i] for i in range(size)]
    total_float = [lf[i] - ef[i] for i in range(size)]
    reaches = net.reaches
    if any(c in deadlines for c in net.customers):
        plain_lf, _, _ = _backward(net, es, ef, {c: ef[c] for c in net.customers}, horizon)
        gap: list[int | None] = [plain_lf[i] - ef[i] if reaches[i] else None for i in range(size)]
    else:
        gap = [total_float[i] if reaches[i] else None for i in range(size)]
    return Schedule(es, ef, ls, lf, total_float, free_float, gap, critical, horizon)


def _backward(
    net: Network, es: list[int], ef: list[int], finish_by: dict[int, int], horizon: int
) -> tuple[list[int], list[int], list[int]]:
    """Latest finishes, free floats and critical-for bitsets, customers first."""
    size = net.size
    lead, reaches, customer_bit = net.lead, net.reaches, net.customer_bit
    lf = [0] * size
    free_float = [0] * size
    critical = [0] * size
    for u in reversed(net.order):
        if u in finish_by:
            lf[u] = finish_by[u]
            free_float[u] = lf[u] - ef[u]
            critical[u] = customer_bit[u]
            continue
        paying = reaches[u] != 0
        latest: int | None = None
        earliest_next: int | None = None
        bits = 0
        done = ef[u]
        for v, handoff in zip(net.succ[u], net.succ_handoff[u], strict=True):
            if paying and not reaches[v]:
                continue  # an orphan branch: no paying customer waits on it
            candidate = lf[v] - lead[v] - handoff
            if latest is None or candidate < latest:
                latest = candidate
            slack = es[v] - handoff
            if earliest_next is None or slack < earliest_next:
                earliest_next = slack
            if done + handoff == es[v]:
                bits |= critical[v]
        if latest is None or earliest_next is None:  # a dead end: only orphans get here
            lf[u] = max(horizon, done)
            free_float[u] = lf[u] - done
        else:
            lf[u] = latest
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

"""The k longest paths to each external customer (`--paths K`), without enumerating paths.

A dynamic programme in topological order keeps, for every node, its k longest paths that
end there: each entry is (length, supplier, which of the supplier's entries), so a path is
rebuilt by following entries back. A node's candidates are its suppliers' entries extended
by the handoff and its own lead time; the k best survive. Ties are broken like the critical
path (smaller supplier id first, then the supplier's better entry), so the first path
listed for a customer is its critical path.

Cost: O(k * dependencies * log k) time and O(k * units) memory.
"""

from __future__ import annotations

import heapq

from icmap.analysis.network import Network

Entry = tuple[int, int, int]  # (length in ticks, supplier node or -1, supplier's entry)


def longest_paths(net: Network, k: int) -> dict[int, list[tuple[int, list[int]]]]:
    """Per customer node, up to k (length, path) pairs, longest first; paths end at it."""
    if k <= 0:
        return {}
    best: list[list[Entry]] = [[] for _ in range(net.size)]
    reaches, lead = net.reaches, net.lead
    for v in net.order:
        if not reaches[v]:
            continue  # paths through an orphan never reach a customer
        suppliers = net.pred[v]
        if not suppliers:
            best[v] = [(lead[v], -1, -1)]
            continue
        candidates: list[tuple[int, int, int]] = []
        for u, handoff in zip(suppliers, net.pred_handoff[v], strict=True):
            for i, (length, _, _) in enumerate(best[u]):
                candidates.append((-(length + handoff), u, i))
        if len(candidates) > k:
            candidates = heapq.nsmallest(k, candidates)
        else:
            candidates.sort()
        own = lead[v]
        best[v] = [(own - negative, u, i) for negative, u, i in candidates]
    return {
        c: [(entry[0], _rebuild(best, c, j)) for j, entry in enumerate(best[c])]
        for c in net.customers
    }


def _rebuild(best: list[list[Entry]], node: int, entry: int) -> list[int]:
    """The path of one entry, first supplier first."""
    path = [node]
    while True:
        _, supplier, supplier_entry = best[node][entry]
        if supplier < 0:
            break
        path.append(supplier)
        node, entry = supplier, supplier_entry
    path.reverse()
    return path

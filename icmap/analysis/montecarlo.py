"""The vectorised schedule of many runs at once: forward CPM pass and longest-path marks.

The same passes as icmap.analysis.cpm, on the same `Network`, but every node holds a row of
runs instead of one number: ES and EF are int64 arrays of (nodes × runs of the batch), one
row per node so that each node's runs lie side by side in memory (the (runs × nodes) table,
stored by node). Rows are kept in *level order*: a node's level is the longest hop count
from a node without suppliers, so nodes of one level never depend on each other and each
level is one contiguous block of rows. Within a level, nodes with more suppliers come first,
so "the nodes with a k-th supplier" is a prefix of the block, and the forward pass is, per
level and k, one gather of EF + handoff and one in-place maximum over a slice: no Python
step per node, and a deep chain merely has more levels.

Durations are whole ticks (nanoseconds, or a coarser power of 1,000 when an org's durations
could overflow 64 bits), so "this supplier's EF + handoff equals the customer's ES" is an
exact comparison, as in the deterministic schedule: tied paths are all longest paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from icmap.analysis.network import Network

Array = np.ndarray[Any, Any]


@dataclass(frozen=True, slots=True)
class Slot:
    """The k-th edges of a set of nodes: `edges[i]` is the k-th edge of the i-th of them."""

    rows: Array  # row (level-order position) of each node; a slice start when `prefix`
    ends: Array  # row of the node at the other end of each edge
    edges: Array  # edge ids (into the flow dependencies)
    uncertain: Array  # positions in this slot whose handoff is drawn
    drawn_rows: Array  # their rows in the drawn-handoff array


@dataclass(eq=False, slots=True)
class Plan:
    """A Network laid out for level-at-a-time passes over batches of runs."""

    node_of_row: Array  # level order: row -> node
    row_of_node: Array
    levels: list[tuple[int, int]]  # [start, stop) rows of each level
    into: list[list[Slot]]  # per level >= 1, per k: the k-th suppliers of its first nodes
    out_of: list[list[Slot]]  # per level, highest first, per k: the k-th customers
    fixed_handoff: Array  # ticks per edge
    widest: int  # most edges in one slot: the largest temporary of a pass


def plan(net: Network, tails: Array, heads: Array, fixed_handoff: Array, drawn: Array) -> Plan:
    """Lay out the network; `tails[e]` -> `heads[e]` are the flow edges, `drawn[e]` the row
    of edge e's drawn handoffs (-1 when it is fixed)."""
    size = net.size
    level = [0] * size
    pred = net.pred
    for v in net.order:
        suppliers = pred[v]
        if suppliers:
            level[v] = 1 + max(level[u] for u in suppliers)
    node_level = np.array(level, dtype=np.int64)
    in_degree = np.bincount(heads, minlength=size) if len(heads) else np.zeros(size, np.int64)
    node_of_row = np.lexsort((np.arange(size), -in_degree, node_level))
    row_of_node = np.empty(size, dtype=np.int64)
    row_of_node[node_of_row] = np.arange(size)
    depth = int(node_level.max()) + 1 if size else 0
    cut = np.searchsorted(node_level[node_of_row], np.arange(depth + 1))
    levels = [(int(cut[i]), int(cut[i + 1])) for i in range(depth)]
    tail_rows, head_rows = row_of_node[tails], row_of_node[heads]
    into = _slots(head_rows, tail_rows, node_level[heads], depth, drawn)[1:]
    out_of = list(reversed(_slots(tail_rows, head_rows, node_level[tails], depth, drawn)))
    widest = max((len(s.edges) for group in (*into, *out_of) for s in group), default=0)
    return Plan(node_of_row, row_of_node, levels, into, out_of, fixed_handoff, widest)


def _slots(
    keys: Array, ends: Array, key_level: Array, depth: int, drawn: Array
) -> list[list[Slot]]:
    """Per level of the key node: its nodes' edges, the k-th edge of each node in slot k."""
    groups: list[list[Slot]] = [[] for _ in range(depth)]
    if not len(keys):
        return groups
    order = np.lexsort((ends, keys))  # by key row (level order), then the other end
    keys_sorted = keys[order]
    starts = np.flatnonzero(np.r_[True, keys_sorted[1:] != keys_sorted[:-1]])
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    edge_level = key_level[order]
    by_slot = np.lexsort((keys_sorted, rank, edge_level))  # level, then k, then key row
    level_sorted, rank_sorted = edge_level[by_slot], rank[by_slot]
    cuts = np.flatnonzero(
        np.r_[True, (level_sorted[1:] != level_sorted[:-1]) | (rank_sorted[1:] != rank_sorted[:-1])]
    )
    for first, stop in zip(cuts, np.r_[cuts[1:], len(order)], strict=True):
        ids = order[by_slot[first:stop]]
        rows = drawn[ids]
        unsure = np.flatnonzero(rows >= 0)
        groups[int(level_sorted[first])].append(
            Slot(keys[ids], ends[ids], ids, unsure, rows[unsure])
        )
    return groups


def forward(p: Plan, lead: Array, drawn: Array, es: Array, ef: Array, scratch: Array) -> None:
    """Fill ES and EF (rows × runs) of one batch; `lead` holds its lead-time ticks."""
    es[:] = 0
    first_stop = p.levels[0][1] if p.levels else 0
    ef[:first_stop] = lead[:first_stop]  # level 0: no suppliers, ES = 0
    for (start, stop), slots in zip(p.levels[1:], p.into, strict=True):
        for k, slot in enumerate(slots):
            n = len(slot.edges)
            buffer = ef[slot.ends]
            _add_handoffs(p, slot, drawn, buffer)
            block = es[start : start + n]  # nodes with a k-th supplier come first
            if k == 0:
                block[:] = buffer
            else:
                np.maximum(block, buffer, out=block)
        np.add(es[start:stop], lead[start:stop], out=ef[start:stop])


def _add_handoffs(p: Plan, slot: Slot, drawn: Array, buffer: Array) -> None:
    """Add each edge's handoff ticks (fixed, or drawn per run) to `buffer` (edges × runs)."""
    buffer += p.fixed_handoff[slot.edges][:, None]
    if len(slot.uncertain):
        buffer[slot.uncertain] += (
            drawn[slot.drawn_rows] - p.fixed_handoff[slot.edges[slot.uncertain]][:, None]
        )


def longest_path_marks(
    p: Plan,
    es: Array,
    ef: Array,
    drawn: Array,
    customer_bits: dict[int, int],
    marks: Array,
    scratch: Array,
) -> None:
    """Fill `marks` (rows × runs): per node and run, a bitset of the customers
    (`customer_bits`: row -> bit) that it lies on a longest path to, i.e. a chain of tight
    dependencies (EF(u) + handoff = ES(v)) leads from it to the customer. Every tied path
    counts."""
    marks[:] = 0
    for row, bit in customer_bits.items():
        marks[row] = bit
    zero = marks.dtype.type(0)
    for slots in p.out_of:
        for k, slot in enumerate(slots):
            buffer = ef[slot.rows]
            _add_handoffs(p, slot, drawn, buffer)
            tight = buffer == es[slot.ends]
            passed = np.where(tight, marks[slot.ends], zero)
            if k == 0:
                marks[slot.rows] = passed
            else:
                marks[slot.rows] |= passed


def average_ranks(values: Array) -> Array:
    """Ranks 1..n of `values` (one argsort), tied values sharing the mean of their ranks."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    n = len(values)
    new = np.r_[True, ordered[1:] != ordered[:-1]]
    group = np.cumsum(new) - 1
    firsts = np.flatnonzero(new)
    sizes = np.diff(np.r_[firsts, n])
    mean_rank = firsts + (sizes + 1) / 2.0  # ranks firsts+1 .. firsts+size
    ranks = np.empty(n, dtype=np.float64)
    ranks[order] = mean_rank[group]
    return ranks


def spearman_ordered(order: Array, ranks_y: Array) -> float:
    """Spearman's ρ of continuous draws with the ranks `ranks_y`, from `order`, the
    argsort of the draws (ties have probability 0, so their ranks are ordinal): one sort
    per unit serves every customer, and no rank vector of the draws is made.

    Σ rank_x · rank_y = Σ_k (k + 1) · ranks_y[order[k]], and ranks 1..n have mean (n + 1)/2
    and variance (n² − 1)/12. 0 when either side is constant.
    """
    n = len(order)
    y = ranks_y[order]
    spread_y = float(y.std())
    spread_x = float(np.sqrt((n * n - 1) / 12.0))
    if spread_y == 0 or spread_x == 0:
        return 0.0
    cross = float(np.dot(np.arange(1, n + 1, dtype=np.float64), y)) / n
    return (cross - (n + 1) / 2.0 * float(y.mean())) / (spread_x * spread_y)

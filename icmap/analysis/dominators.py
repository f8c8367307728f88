"""Single points of failure: the dominator tree of each external customer.

Reverse the (non-feedback) graph and root it at an external customer C: unit D dominates
unit u when every path from u to C passes through D. D is a single point of failure for C
when it dominates at least one other unit, and it *guards* the units it dominates (its
descendants in the dominator tree). A unit reported for several customers guards, per
customer, the count in `guards_by_customer`; `guards` is the largest of them.

The reversed graph restricted to C's suppliers (transitively) is a DAG, so the immediate
dominators come out of one pass in topological order: idom(u) is the nearest common
ancestor, in the tree built so far, of u's customers (the Cooper-Harvey-Kennedy
intersection, which needs no iteration on a DAG). This gives the same tree as
`networkx.immediate_dominators` (the tests check it), on plain lists, about three times
faster at 100,000 units. Nearest common ancestors are found with jump pointers, so the
cost per customer is O((units + dependencies) * log depth) even on a deep tree, where
walking up parent by parent (as networkx does) is quadratic.
"""

from __future__ import annotations

from icmap.analysis.network import Network


def immediate_dominators(net: Network, customer: int) -> dict[int, int]:
    """idom of every node with a path to `customer` (the root maps to itself)."""
    sequence, idom = _tree(net, customer)
    return {u: idom[u] for u in sequence}


def _tree(net: Network, customer: int) -> tuple[list[int], list[int]]:
    """The customer's suppliers (transitively), customers before suppliers, and their idom."""
    bit = net.customer_bit[customer]
    reaches = net.reaches
    # Every node comes after all of its customers, so its idom is already in the tree.
    sequence = [u for u in reversed(net.order) if reaches[u] & bit]
    size = net.size
    idom = [-1] * size
    depth = [0] * size
    # Skew-binary jump pointers (Myers 1983): set in O(1) per node, they find the nearest
    # common ancestor of two nodes in O(log depth) steps, so a deep tree costs no more
    # than a shallow one (a plain walk up the tree is quadratic on a long chain).
    jump = [-1] * size
    idom[customer] = jump[customer] = customer
    for u in sequence:
        if u == customer:
            continue
        found = -1
        for v in net.succ[u]:
            if idom[v] < 0:
                continue  # a branch that never reaches this customer
            if found < 0:
                found = v
                continue
            a, b = (v, found) if depth[v] >= depth[found] else (found, v)
            target = depth[b]
            while depth[a] > target:
                a = jump[a] if depth[jump[a]] >= target else idom[a]
            while a != b:
                if jump[a] != jump[b]:
                    a, b = jump[a], jump[b]
                else:
                    a, b = idom[a], idom[b]
            found = a
        idom[u] = found
        depth[u] = depth[found] + 1
        up = jump[found]
        jump[u] = jump[up] if depth[found] - depth[up] == depth[up] - depth[jump[up]] else found
    return sequence, idom


def single_points_of_failure(net: Network) -> dict[int, dict[int, int]]:
    """unit node -> {customer node: how many units it guards for that customer}.

    Only units that guard at least one other unit appear. A unit guards its strict
    descendants in the customer's dominator tree.
    """
    found: dict[int, dict[int, int]] = {}
    for customer in net.customers:
        sequence, idom = _tree(net, customer)
        below = [0] * net.size
        # Children come after their idom in `sequence`, so a reverse sweep completes every
        # subtree before adding it to its parent.
        for u in reversed(sequence):
            parent = idom[u]
            if u == customer or parent == customer:
                continue
            below[parent] += below[u] + 1
        for u in sequence:
            if below[u] and u != customer:
                found.setdefault(u, {})[customer] = below[u]
    return found

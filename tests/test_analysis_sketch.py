"""The reach sketch against its definition, computed by brute force on small random orgs.

With a small k (1 to 5) almost every unit's sketch is full and built by merging its
customers' sketches, so every branch of the merge is exercised: a customer's sketch that
adds nothing, one that adds a few ranks, sketches that are whole small sets, a single
customer, and a unit's own rank entering or not.
"""

from __future__ import annotations

import random

import pytest

from icmap.analysis import reach
from icmap.analysis.network import build_network
from icmap.graph import build_graph
from icmap.model import Dependency, ExternalCustomer, Location, Org, Unit

HERE = Location("org.yaml", 1, 1)


def random_org(seed: int, size: int) -> Org:
    """A braided flow: each unit serves 0-4 later units (often near ones), some feed a
    customer, a few feed nobody (orphans)."""
    rng = random.Random(seed)
    units = tuple(Unit(f"u{i:03d}", HERE) for i in range(size))
    customers = tuple(ExternalCustomer(f"c{j}", HERE) for j in range(rng.randint(1, 3)))
    deps = []
    for i in range(size):
        later = range(i + 1, min(size, i + rng.choice([3, 10, size])))
        for j in sorted(rng.sample(later, min(len(later), rng.randint(0, 4)))):
            deps.append(Dependency(f"u{i:03d}", f"u{j:03d}", HERE))
        if i >= size // 2 and rng.random() < 0.2:
            deps.append(Dependency(f"u{i:03d}", rng.choice(customers).id, HERE))
    rng.shuffle(deps)
    return Org("random", HERE, units=units, external_customers=customers, dependencies=tuple(deps))


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_every_count_is_the_bottom_k_estimate_of_the_downstream_set(seed: int, k: int) -> None:
    org = random_org(seed, 40 + 10 * seed)
    net = build_network(build_graph(org))
    units = len(org.units)
    rank = reach.ranks(net)
    assert sorted(r for r in rank if r >= 0) == list(range(units))
    counts, exact = reach.downstream_units(net, exact_limit=0, k=k)
    for u in range(net.size):
        if net.is_customer[u]:
            continue
        below: set[int] = set()
        stack = list(net.succ[u])
        while stack:
            v = stack.pop()
            if v not in below:
                below.add(v)
                stack.extend(net.succ[v])
        sketch = sorted(rank[v] for v in below if rank[v] >= 0)[:k]
        if len(sketch) < k:  # the whole downstream set: counted exactly
            assert (counts[u], exact[u]) == (len(sketch), True)
        else:  # (k - 1) * units / (k-th smallest rank + 1), between k and units - 1
            estimate = round((k - 1) * units / (sketch[-1] + 1))
            assert (counts[u], exact[u]) == (min(units - 1, max(k, estimate)), False)

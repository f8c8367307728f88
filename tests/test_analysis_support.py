"""Helpers shared by the tests/test_analysis_*.py files: org files from YAML text, brute force.

Holds no tests itself. The brute-force functions enumerate every path, so they are
independent of the engine's dynamic programming and only fit small orgs.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

from hypothesis import strategies as st

from icmap.analysis.result import Analysis
from icmap.api import analyze
from icmap.loader import load_org
from icmap.model import Level, Org

HEADER = "icmap: 1\norganization: Test\n"


def load(directory: Path, text: str) -> Org:
    """Write `text` (dedented, after the two header lines) to org.yaml and load it cleanly."""
    path = directory / "org.yaml"
    path.write_text(HEADER + textwrap.dedent(text), encoding="utf-8")
    loaded = load_org(str(path))
    errors = [f for f in loaded.findings if f.level is Level.ERROR]
    assert loaded.org is not None and not errors, errors
    return loaded.org


def run(directory: Path, text: str, *, near: float = 0.0, paths: int = 0) -> Analysis:
    """Load an org from YAML text and analyze it."""
    return analyze(load(directory, text), near=near, paths=paths)


def all_paths(org: Org, customer: str) -> Iterator[tuple[tuple[str, ...], float]]:
    """Every path ending at `customer` over non-feedback dependencies, with its duration:
    lead times of its units plus handoffs of its edges (floats, summed along the path)."""
    lead = {unit.id: unit.lead_time for unit in org.units}
    into: dict[str, list[tuple[str, float]]] = {}
    for dep in org.dependencies:
        if not dep.feedback:
            into.setdefault(dep.customer, []).append((dep.supplier, dep.handoff))

    def walk(
        node: str, tail: tuple[str, ...], length: float
    ) -> Iterator[tuple[tuple[str, ...], float]]:
        here = length + lead.get(node, 0.0)
        suppliers = into.get(node, [])
        if not suppliers:
            yield (node, *tail), here
        for supplier, handoff in suppliers:
            yield from walk(supplier, (node, *tail), here + handoff)

    yield from walk(customer, (), 0.0)


DURATIONS = st.sampled_from([0.0, 0.1, 0.2, 0.3, 0.5, 1.0, 1.5, 2.0, 3.0])


@st.composite
def random_orgs(draw: st.DrawFn) -> str:
    """A random DAG of up to 7 units with lead times, handoffs, and one or two customers.

    Durations like 0.1, 0.2 and 0.3 make equal-length paths (ties) common.
    """
    size = draw(st.integers(1, 7))
    lines = ["roles:"]
    for j in range(size):
        lines.append(f"  - id: u{j}")
        lines.append(f"    lead_time: {draw(DURATIONS)}")
        suppliers = [i for i in range(j) if draw(st.booleans())]
        if suppliers:
            lines.append("    depends_on:")
            for i in suppliers:
                handoff = draw(st.one_of(st.none(), DURATIONS))
                extra = "" if handoff is None else f", actual: {handoff}"
                lines.append(f"      - {{supplier: u{i}{extra}}}")
    lines.append("external_customers:")
    for c in range(draw(st.integers(1, 2))):
        chosen = draw(st.lists(st.integers(0, size - 1), min_size=1, max_size=3, unique=True))
        lines.append(f"  - {{id: c{c}, depends_on: [{', '.join(f'u{i}' for i in chosen)}]}}")
    return "\n".join(lines) + "\n"


# A small org with service figures on every dependency, used by the service, bottleneck and
# recommendation tests. a and b work in department ops; c has no department; d and e are
# orphans (d is served by c but serves nobody; e is alone).
#   a --3h (standard 2h)--> b --1h (standard 1h)--> c --> client
#   a --4h (standard 1h)--> c;   c --> d
SERVICE_ORG = """\
departments:
  - {id: ops}
external_customers:
  - id: client
    depends_on: [{supplier: c, complete_accurate: 90%}]
roles:
  - {id: a, department: ops, lead_time: 4h, process_time: 1h, capacity: 100}
  - id: b
    department: ops
    lead_time: 2h
    process_time: 30m
    capacity: 0
    depends_on:
      - supplier: a
        standard: 2h
        actual: 3h
        volume: 60
        complete_accurate: 80%
        satisfaction: 2
  - id: c
    lead_time: 2h
    capacity: 50
    depends_on:
      - {supplier: a, standard: 1h, actual: 4h, volume: 30, satisfaction: 4}
      - supplier: b
        standard: 1h
        actual: 1h
        volume: 10
        complete_accurate: 0.5
        satisfaction: 1.5
  - {id: d, lead_time: 1h, depends_on: [{supplier: c, volume: 5}]}
  - {id: e, capacity: 10}
"""

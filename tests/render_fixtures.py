"""Small orgs and hand-built analyses for the render tests (the analysis engine is not used).

The bakery, computed by hand (hours; 1d = 8h):
  miller  lead 3h: ES 0, EF 3          cleaner lead 1h: ES 0, EF 1
  baker   lead 4h: ES = max(EF miller 3 + handoff 2h, EF cleaner 1 + 0) = 5, EF = 9
  shop (external customer): ES = EF baker 9 + handoff 2h (actual) = 11 = critical path length
  deadline 1d = 8h, so the shop gets its bread 3h late.
  Critical path: miller -> baker -> shop. Bottlenecks: baker #1, miller #2, cleaner #3.
  baker is a single point of failure (every path from miller and cleaner to shop passes it).
  painter serves nobody: an orphan. baker -> shop breaches its standard: 2h / 1h = x2.0.
  miller <- baker "complaints" is feedback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from icmap.analysis.result import (
    Analysis,
    Bottleneck,
    CriticalPath,
    ServiceBreach,
    SinglePointOfFailure,
    Summary,
    UnitFigures,
)
from icmap.api import load
from icmap.model import Org

BAKERY = """\
icmap: 1
organization: Tiny Bakery
settings:
  hours_per_day: 8
external_customers:
  - id: shop
    name: Shop Customer
    deadline: 1d
    depends_on:
      - supplier: baker
        provides: fresh bread
        standard: 1h
        actual: 2h
departments:
  - id: kitchen
    name: Kitchen
    roles:
      - id: baker
        name: Head Baker
        lead_time: 4h
        depends_on:
          - supplier: miller
            provides: flour
            standard: 2h
          - supplier: cleaner
            provides: clean trays
      - id: cleaner
        lead_time: 1h
roles:
  - id: miller
    name: Miller
    lead_time: 3h
    depends_on:
      - supplier: baker
        provides: complaints
        feedback: true
  - id: painter
    name: Painter
    lead_time: 1h
"""


def write_org(directory: Path, text: str = BAKERY, name: str = "bakery.yaml") -> Path:
    """Write an org file and return its path."""
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def load_org(directory: Path, text: str = BAKERY, name: str = "bakery.yaml") -> Org:
    """Write and load an org file (it must be valid)."""
    return load(str(write_org(directory, text, name)))


def bakery_analysis(org: Org) -> Analysis:
    """The analysis of the bakery, with the figures worked out in the module docstring."""
    units = (
        UnitFigures(
            "baker", 5, 9, 0, 0, -3, 0, True, ("shop",), single_point_of_failure_for=("shop",)
        ),
        UnitFigures("cleaner", 0, 1, 0, 0, 1, 4, False),
        UnitFigures("miller", 0, 3, 0, 0, -3, 0, True, ("shop",)),
        UnitFigures("painter", 0, 1, 0, 0, 0, 0, False),
    )
    return Analysis(
        org=org,
        summary=Summary(4, 5, 1, 1, 1, 2, 11.0, 1),
        units=units,
        critical_paths=(
            CriticalPath("shop", ("miller", "baker", "shop"), 11.0, deadline=8.0, slack=-3.0),
        ),
        bottlenecks=(
            Bottleneck("baker", 1, 9.0, ("critical",)),
            Bottleneck("miller", 2, 5.0, ("critical",)),
            Bottleneck("cleaner", 3, 1.0, ("downstream",)),
        ),
        single_points_of_failure=(SinglePointOfFailure("baker", ("shop",), 2),),
        orphans=("painter",),
        service_breaches=(ServiceBreach("baker", "shop", 1.0, 2.0, 2.0, "fresh bread"),),
    )


def plain_analysis(org: Org) -> Analysis:
    """An analysis with no marks at all: for orgs whose figures a test does not care about."""
    return Analysis(
        org=org,
        summary=Summary(len(org.units), len(org.dependencies), 0, 0, 0, 0, 0.0),
        units=(),
        critical_paths=(),
        bottlenecks=(),
        single_points_of_failure=(),
        orphans=(),
        service_breaches=(),
    )


def handoffs(graph: Any) -> list[tuple[str, str, dict[str, str]]]:
    """The edges of a pygraphviz graph of to_dot's, with each label box joined back into its
    edge: `a -> _e3 -> b` is (a, b, attributes of the second half, the box's label, the
    first half's `dir`). Sorted by (tail, head, dir, style)."""
    boxes = {n for n in graph.nodes() if n.startswith("_e")}
    into: dict[str, tuple[str, dict[str, str]]] = {}
    out: dict[str, tuple[str, dict[str, str]]] = {}
    joined = []
    for edge in graph.edges():
        tail, head, attrs = edge[0], edge[1], dict(edge.attr)
        if head in boxes:
            into[head] = (tail, attrs)
        elif tail in boxes:
            out[tail] = (head, attrs)
        else:
            joined.append((tail, head, {k: v for k, v in attrs.items() if v}))
    for box in boxes:
        (tail, first), (head, second) = into[box], out[box]
        attrs = {k: v for k, v in second.items() if v and k != "dir"}
        attrs["label"] = graph.get_node(box).attr["label"]
        if first.get("dir") == "back":
            attrs["dir"] = "back"
        joined.append((tail, head, attrs))
    return sorted(joined, key=lambda e: (e[0], e[1], e[2].get("dir", ""), e[2].get("style", "")))

"""What the analysis writers share: number rounding, names to show, path chains, limits.

Kept free of rich so the machine formats (json, csv, markdown) never import it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from icmap.analysis.result import Analysis, CriticalPath, UnitFigures
from icmap.model import Org, Settings, Unit, format_duration
from icmap.textsafety import one_line

# People-facing formats show the top of each ranked list; json and csv show everything.
SHOWN = 10


def number(value: float | None) -> float | None:
    """A figure for a machine format: rounded to 6 decimals (stable output), None if unknown
    or not finite (JSON has no Infinity)."""
    if value is None or not math.isfinite(value):
        return None
    # round(x * 1e6) / 1e6 instead of round(x, 6): the same stable 6 decimals, but an int
    # round in C rather than a decimal-string round trip (a million figures at 100k units).
    scaled = value * 1_000_000
    if not math.isfinite(scaled):  # above 1.8e302: a float this large has no decimals
        return value
    rounded = round(scaled) / 1_000_000
    return 0.0 if rounded == 0 else rounded  # no "-0.0"


def is_infinite(value: float | None) -> bool:
    """True for +/- infinity (a ratio over a standard or capacity of 0)."""
    return value is not None and math.isinf(value)


def plain(text: str) -> str:
    """User text on one line: control characters as spaces (a name must not move the cursor
    or recolour a terminal), bidirectional controls removed (nor reorder what is read)."""
    return one_line(text)


def percent(fraction: float | None) -> str:
    """0.8 -> `80%`, 0.125 -> `12.5%`; `n/a` when unknown."""
    if fraction is None or not math.isfinite(fraction):
        return "n/a"
    return f"{fraction * 100:.1f}".removesuffix(".0") + "%"


def ratio(value: float) -> str:
    """An actual/standard ratio as people read it: `×2.25`, `×∞`."""
    return "×∞" if math.isinf(value) else f"×{value:.2f}"


def plural(count: int, noun: str) -> str:
    """`1 unit`, `2 units`, `3 breaches`."""
    if count == 1:
        return f"1 {noun}"
    return f"{count:,} {noun}es" if noun.endswith(("ch", "sh", "s")) else f"{count:,} {noun}s"


def score(value: float) -> str:
    """A bottleneck score, two decimals."""
    return f"{value:.2f}"


@dataclass(frozen=True, slots=True)
class Names:
    """Lookups from ids to what people call them, built once per report (O(units))."""

    org: Org
    labels: dict[str, str]
    units: dict[str, Unit]

    @classmethod
    def of(cls, org: Org) -> Names:
        """The lookups for one org."""
        labels = {u.id: plain(u.label) for u in org.units}
        labels.update({d.id: plain(d.label) for d in org.departments})
        labels.update({c.id: plain(c.label) for c in org.external_customers})
        return cls(
            org=org,
            labels=labels,
            units={u.id: u for u in org.units},
        )

    @property
    def settings(self) -> Settings:
        """The org's settings (for hours per day)."""
        return self.org.settings

    def label(self, node_id: str) -> str:
        """The name of a unit, department or external customer (its id if unknown)."""
        return self.labels.get(node_id, node_id)

    def duration(self, value: float | None) -> str:
        """Hours as `1d 2h` in the org's working days; `n/a` when unknown."""
        return "n/a" if value is None else format_duration(value, self.settings)


@dataclass(frozen=True, slots=True)
class Step:
    """One piece of a path chain: a unit (with its lead time) or the handoff after it."""

    kind: str  # "unit", "customer" or "handoff"
    text: str  # a name (user text) or a duration (ours)
    detail: str = ""  # the unit's lead time, e.g. "2h 50m"


def chain(path: CriticalPath, names: Names) -> Iterator[Step]:
    """The steps of `Reception (15m) →[4h] Registration (2h 50m) → … → Patient`.

    A handoff step carries its time only when it is above 0."""
    times = {(h.supplier, h.customer): h.time for h in path.handoffs}
    yield from node_chain(path.path, names, times)


def node_chain(
    nodes: tuple[str, ...], names: Names, times: dict[tuple[str, str], float] | None = None
) -> Iterator[Step]:
    """Chain steps for any path; handoff times come from `times` when known."""
    for index, node in enumerate(nodes):
        if index:
            time = (times or {}).get((nodes[index - 1], node), 0.0)
            yield Step("handoff", names.duration(time) if time > 0 else "")
        unit = names.units.get(node)
        if unit is not None:
            yield Step("unit", names.label(node), names.duration(unit.lead_time))
        else:
            yield Step("customer", names.label(node))


def chain_text(steps: Iterator[Step] | list[Step]) -> str:
    """Steps joined as plain text (before any escaping of names is needed)."""
    parts: list[str] = []
    for step in steps:
        if step.kind == "handoff":
            parts.append(f"→[{step.text}]" if step.text else "→")
        elif step.detail:
            parts.append(f"{step.text} ({step.detail})")
        else:
            parts.append(step.text)
    return " ".join(parts)


def slack_text(path: CriticalPath, names: Names) -> str:
    """`1d 2h to spare`, `late by 3h`, or `no deadline`."""
    if path.deadline is None or path.slack is None:
        return "no deadline"
    if path.slack < 0:
        return f"late by {names.duration(-path.slack)}"
    return f"{names.duration(path.slack)} to spare"


def team_member(department: str, unit: str, names: Names) -> str:
    """`Registration (Front Office)`; just the name when the unit is its own department."""
    if department == unit:
        return names.label(unit)
    return f"{names.label(unit)} ({names.label(department)})"


def gap(unit: UnitFigures) -> float:
    """How many hours a unit's longest path is shorter than the critical path it feeds."""
    return unit.critical_gap if unit.critical_gap is not None else unit.total_float


def near_critical(analysis: Analysis) -> list[UnitFigures]:
    """Units within the --near threshold that are not critical, closest to critical first."""
    return sorted(
        (u for u in analysis.units if u.near_critical and not u.critical),
        key=lambda u: (gap(u), u.id),
    )


def more(total: int, shown: int = SHOWN, listed: int | None = None) -> str:
    """`… and 3 more (all of them in --format json)` when a list was cut, else ``.

    `listed` is how many of the `total` the analysis itself kept (bottlenecks are a
    shortlist of the top 100), when that is fewer than all of them.
    """
    left = total - shown
    if left <= 0:
        return ""
    where = "all of them" if listed is None or listed >= total else f"the top {listed:,}"
    return f"… and {left:,} more ({where} in --format json)"


def bottleneck_count(analysis: Analysis) -> int:
    """Units with a reason to be a bottleneck: those listed and those beyond the shortlist."""
    return len(analysis.bottlenecks) + analysis.bottlenecks_omitted


def more_bottlenecks(analysis: Analysis) -> str:
    """The `… and N more` note under a table of the first bottlenecks."""
    return more(bottleneck_count(analysis), listed=len(analysis.bottlenecks))

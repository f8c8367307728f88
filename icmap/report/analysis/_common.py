"""What the analysis writers share: number rounding, names to show, lists they select.

Kept free of rich so the machine formats (json, csv, markdown) never import it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from icmap import formatting
from icmap.analysis.result import Analysis, UnitFigures
from icmap.model import Dependency, Org, Settings, Unit
from icmap.report.document import Span, duration, name
from icmap.textsafety import one_line


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


@dataclass(frozen=True, slots=True)
class Names:
    """Lookups from ids to what people call them, built once per report (O(units)).

    A name is made fit to show (`plain`) when first asked for: a report names a few hundred
    of 100,000 units."""

    org: Org
    labels: dict[str, str]  # id -> label as written
    units: dict[str, Unit]
    #: (supplier, customer) -> dependency, for the dependencies with a measurement.
    measured: dict[tuple[str, str], Dependency] = field(default_factory=dict)
    #: id -> plain(label), as asked for: a memo, not part of what the lookups are.
    shown: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, org: Org) -> Names:
        """The lookups for one org."""
        units = {u.id: u for u in org.units}
        labels = {ident: unit.label for ident, unit in units.items()}
        labels.update({d.id: d.label for d in org.departments})
        labels.update({c.id: c.label for c in org.external_customers})
        measured = (
            {(d.supplier, d.customer): d for d in org.dependencies if d.measurements}
            if org.measurements
            else {}
        )
        return cls(org=org, labels=labels, units=units, measured=measured)

    @property
    def settings(self) -> Settings:
        """The org's settings (for hours per day)."""
        return self.org.settings

    def label(self, node_id: str) -> str:
        """The name of a unit, department or external customer (its id if unknown)."""
        shown = self.shown.get(node_id)
        if shown is None:
            shown = self.shown[node_id] = plain(self.labels.get(node_id, node_id))
        return shown

    def span(self, node_id: str, tone: str | None = None) -> Span:
        """The name of a unit, department or customer as a document span."""
        return name(node_id, self.label(node_id), tone)

    def duration(self, value: float | None, tone: str | None = None) -> Span:
        """Hours as `1d 2h` in the org's working days; `n/a` when unknown."""
        return duration(value, self.settings.hours_per_day, tone)


def gap(unit: UnitFigures) -> float:
    """How many hours a unit's longest path is shorter than the critical path it feeds."""
    return unit.critical_gap if unit.critical_gap is not None else unit.total_float


def near_critical(analysis: Analysis) -> list[UnitFigures]:
    """Units within the --near threshold that are not critical, closest to critical first."""
    return sorted(
        (u for u in analysis.units if u.near_critical and not u.critical),
        key=lambda u: (gap(u), u.id),
    )


def late_units(analysis: Analysis) -> list[UnitFigures]:
    """Units with negative float for some customer: the latest first, then by id."""
    return sorted(
        (u for u in analysis.units if u.total_float < 0), key=lambda u: (u.total_float, u.id)
    )


def more(total: int, shown: int, noun: str = "", listed: int | None = None) -> str:
    """`… and 3 more (all of them in --format json)` when a list was cut, else ``.

    `listed` is how many of the `total` the analysis itself kept (bottlenecks are a
    shortlist of the top 100), when that is fewer than all of them.
    """
    left = total - shown
    if left <= 0:
        return ""
    what = f" {formatting.plural_noun(noun) if left != 1 else noun}" if noun else ""
    where = "all of them" if listed is None or listed >= total else f"the top {listed:,}"
    return f"… and {left:,} more{what} ({where} in --format json)"

"""Where a measured figure comes from, for the reports: JSON keys, and `n=412, Oct 1–Nov 30`.

A dependency's figures may come from `measurements:` entries (docs/format.md); their
provenance (`actual_p90`, `within_standard`, `responses`, `dimensions`, `samples`, `period`,
`source`) never changes a figure, it only says how far to trust it. An org without
measurements costs one attribute test here.
"""

from __future__ import annotations

import datetime
from typing import Any

from icmap.model import MEASURED_FIGURES, Dependency, Measurement, Org
from icmap.report.analysis._common import Names, number

#: Provenance keys that one measurement of a pair gives (the loader refuses a second one).
_ONCE = ("actual_p90", "within_standard", "responses", "dimensions", "samples")

Pair = tuple[str, str]
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def measured_dependencies(org: Org) -> dict[Pair, Dependency]:
    """(supplier, customer) -> dependency, for every dependency that has a measurement."""
    return Names.of(org).measured if org.measurements else {}


def json_keys(dependency: Dependency | None) -> dict[str, Any]:
    """The provenance keys of a measured dependency for the JSON report ({} if not measured).

    `actual_p90` is in hours, `within_standard` a fraction, `period` `[first, last]`.
    `source` and `period` are those of the measurement that gave `actual` (else of the first
    that has one); `measured_figures` says which figures came from a measurement and where,
    and `measurements` lists every measurement of the pair.
    """
    if dependency is None or not dependency.measurements:
        return {}
    found: dict[str, Any] = {}
    for key in _ONCE:
        m = dependency.measured_by(key)
        value: Any = None if m is None else getattr(m, key)
        if key in ("actual_p90", "within_standard"):
            value = number(value)
        elif key == "dimensions" and m is not None:
            value = {name: number(mean) for name, mean in m.dimensions}
        found[key] = value
    main = _main(dependency)
    found["source"] = main.source if main is not None else None
    found["period"] = list(main.period) if main is not None and main.period else None
    found["measured_figures"] = {
        figure: str(m.location)
        for figure in MEASURED_FIGURES
        if (m := dependency.measured_by(figure)) is not None
    }
    found["measurements"] = [
        {
            "location": str(m.location),
            "figures": list(m.figures),
            "source": m.source,
            "period": list(m.period) if m.period else None,
        }
        for m in dependency.measurements
    ]
    return found


def _main(dependency: Dependency) -> Measurement | None:
    """The measurement whose `source` and `period` stand for the pair's."""
    actual = dependency.measured_by("actual")
    if actual is not None and (actual.source or actual.period):
        return actual
    return next((m for m in dependency.measurements if m.source or m.period), None)


def note(dependency: Dependency | None, figure: str) -> str:
    """`n=412, Oct 1–Nov 30` for a figure that came from a measurement, else ``""``.

    n is the measurement's `samples` (`responses` for satisfaction); the period is shown
    without its year when both dates fall in one year.
    """
    if dependency is None or not dependency.measurements:
        return ""
    m = dependency.measured_by(figure)
    if m is None:
        return ""
    parts = []
    count = m.count(figure)
    if count is not None:
        parts.append(f"n={count:,}")
    if m.period is not None:
        parts.append(period_text(m.period))
    return ", ".join(parts) or "measured"


def period_text(period: tuple[str, str]) -> str:
    """`Oct 1–Nov 30` (one year), `Dec 1, 2025–Jan 31, 2026` (two), `Oct 1, 2026` (one day)."""
    first, last = (datetime.date.fromisoformat(day) for day in period)

    def day(date: datetime.date, year: bool) -> str:
        shown = f"{_MONTHS[date.month - 1]} {date.day}"  # not %b: that follows the locale
        return f"{shown}, {date.year}" if year else shown

    if first == last:
        return day(first, True)
    two_years = first.year != last.year
    return f"{day(first, two_years)}–{day(last, two_years)}"

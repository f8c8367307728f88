"""Per-handoff figures of an import and the arithmetic they share: weeks, scales, periods.

The engine aggregates a million rows per pair (count, mean, 90th percentile by linear
interpolation between closest ranks, numpy's default); what is left is done here, the same
way for every importer.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Measurement:
    """The measured figures of one handoff supplier → customer (durations in hours,
    shares as fractions 0-1). A figure an importer does not measure is None."""

    supplier: str
    customer: str
    samples: int | None = None
    actual: float | None = None
    actual_p90: float | None = None
    volume: float | None = None
    complete_accurate: float | None = None
    within_standard: float | None = None
    satisfaction: float | None = None
    responses: int | None = None
    dimensions: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Period:
    """The dates an import covers, inclusive, in the org's time zone."""

    first: datetime.date
    last: datetime.date

    @property
    def days(self) -> int:
        """Days in the period, both ends counted (1 Oct..31 Oct is 31)."""
        return (self.last - self.first).days + 1

    @property
    def weeks(self) -> float:
        """Weeks in the period: days ÷ 7, but at least 1 (a volume is per week)."""
        return max(1.0, self.days / 7.0)

    def as_strings(self) -> tuple[str, str]:
        """Both ends as ISO dates."""
        return self.first.isoformat(), self.last.isoformat()


def parse_period(text: str) -> Period:
    """`2026-10-01..2026-11-30` as a Period; ValueError saying what is wrong."""
    first, sep, last = text.partition("..")
    if not sep:
        raise ValueError(f"{text!r} is not a period; write FROM..TO, e.g. 2026-10-01..2026-11-30")
    try:
        period = Period(
            datetime.date.fromisoformat(first.strip()), datetime.date.fromisoformat(last.strip())
        )
    except ValueError as exc:
        raise ValueError(f"{text!r}: write both ends as dates like 2026-10-01") from exc
    if period.last < period.first:
        raise ValueError(f"{text!r} ends before it starts; write the earlier date first")
    return period


def parse_scale(text: str) -> tuple[float, float]:
    """`1-5` (or `0-10`, `1..7`) as (low, high); ValueError when it is not a scale."""
    cleaned = text.strip().replace("..", "-")
    low, sep, high = cleaned.partition("-")
    try:
        scale = (float(low), float(high))
    except ValueError:
        scale = (0.0, 0.0)
        sep = ""
    if not sep or not scale[0] < scale[1]:
        raise ValueError(f"{text!r} is not a rating scale; write LOW-HIGH, e.g. 1-5 or 0-10")
    return scale


def map_scale(value: float, source: tuple[float, float], target: tuple[float, float]) -> float:
    """`value` on the `source` scale, mapped linearly onto the `target` scale.

    0-10 onto 1-5: 7 → 1 + (7 − 0) × (5 − 1) / (10 − 0) = 3.8.
    """
    low, high = source
    to_low, to_high = target
    return to_low + (value - low) * (to_high - to_low) / (high - low)


def per_week(count: int, period: Period) -> float:
    """A count over the period, per week."""
    return count / period.weeks

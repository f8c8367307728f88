"""What every importer shares: its options, its result, and the tallies of names it read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from icmap.importing.calendar import WorkingCalendar
from icmap.importing.figures import Measurement, Period
from icmap.importing.names import Names, Resolved
from icmap.importing.report import ImportReport, UnmatchedName
from icmap.model import Org

UNREADABLE = "the row cannot be read (not UTF-8 text, or a quote never closed)"


@dataclass(frozen=True)
class ImportOptions:
    """Options every importer takes: the calendar, the period and extra names (`--map`)."""

    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    period: Period | None = None
    names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportResult:
    """The figures of an import (declared handoffs only), the period they cover, the report."""

    measurements: tuple[Measurement, ...]
    period: Period | None
    report: ImportReport


def calendar_text(calendar: WorkingCalendar) -> str:
    """How durations are counted, for the report."""
    if calendar.hours is None:
        return "calendar time"
    start, end = (f"{m // 60:02d}:{m % 60:02d}" for m in calendar.hours)
    return f"working time ({start}-{end} on {', '.join(calendar.days)}, {calendar.timezone})"


def names_for(org: Org, options: ImportOptions) -> Names:
    """The org's names with the `--map` ones added."""
    return Names.of(org, options.names)


def tally_names(
    report: ImportReport,
    names: Names,
    column: str,
    counts: Iterable[tuple[str | None, Resolved, int]],
) -> None:
    """Add to the report every name of `column` that matched no unit (with its count and a
    did-you-mean) and every ambiguous one."""
    unmatched: dict[str, int] = {}
    for raw, resolved, count in counts:
        if raw is not None and resolved.reason == "unmatched":
            unmatched[raw] = unmatched.get(raw, 0) + count
    for raw, count in sorted(unmatched.items(), key=lambda item: (-item[1], item[0])):
        report.unmatched.append(UnmatchedName(column, raw, count, names.suggestion(raw)))


def row_reason(column: str, resolved: Resolved) -> str | None:
    """Why a row is skipped for the name in `column`, or None when the name is usable."""
    if resolved.id is not None:
        return None
    if resolved.reason == "empty":
        return f"{column} is empty"
    if resolved.reason == "unmatched":
        return f"{column} matches no unit"
    if resolved.reason is not None and resolved.reason.startswith("grouping "):
        return f"{column} is a grouping department without one role that depends on the provider"
    return f"{column} {resolved.reason}"

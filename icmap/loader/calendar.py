"""The calendar settings: `working_hours`, `working_days` and `timezone` (main file only).

Importers count durations inside the working hours of the working days when `working_hours`
is set, and read log timestamps without an offset in `timezone` (docs/format.md).
"""

from __future__ import annotations

import re
from typing import Any

from icmap.loader import values as v
from icmap.loader.values import Report
from icmap.model import WEEKDAYS
from icmap.yamlsource import Pairs

_HOURS = re.compile(
    r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$"
)  # WORKING_HOURS_PATTERN, with groups
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def read_calendar(pairs: Pairs, report: Report) -> dict[str, Any]:
    """The calendar keys present in `settings`, as Settings fields; errors reported."""
    found: dict[str, Any] = {}
    if "working_hours" in pairs:
        hours = _working_hours(pairs, report)
        if hours is not None:
            found["working_hours"] = hours
    if "working_days" in pairs:
        days = _working_days(pairs, report)
        if days is not None:
            found["working_days"] = days
    if "timezone" in pairs:
        zone = _timezone(pairs, report)
        if zone is not None:
            found["timezone"] = zone
    return found


def _working_hours(pairs: Pairs, report: Report) -> tuple[int, int] | None:
    node = pairs["working_hours"]
    if node.value is None:
        return None
    written = v.text(node, report, "working_hours")
    if written is None:
        return None
    match = _HOURS.match(written)
    hint = 'write the start and end of the working day, e.g. "09:00-17:00"'
    if match is None:
        report.add("ICM211", node, f"working_hours {written!r} is not HH:MM-HH:MM", hint)
        return None
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59 or h1 * 60 + m1 > 1440 or h2 * 60 + m2 > 1440:
        report.add("ICM211", node, f"working_hours {written!r} is not a time of day", hint)
        return None
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if start >= end:
        report.add(
            "ICM211",
            node,
            f"working_hours {written!r} must end after it starts, within one day",
            hint,
        )
        return None
    return (start, end)


def _working_days(pairs: Pairs, report: Report) -> tuple[str, ...] | None:
    node = pairs["working_days"]
    items = [node] if isinstance(node.value, str) else node.value
    if not isinstance(items, list) or not items:
        report.add(
            "ICM211",
            node,
            "working_days must be a list of days",
            "e.g. [mon, tue, wed, thu, fri]",
        )
        return None
    days: set[str] = set()
    ok = True
    for item in items:
        day = v.text(item, report, "a working day")
        if day is None:
            ok = False
            continue
        short = day if day in WEEKDAYS else None
        if short is None:
            message = f"working day {day!r} is not one of {', '.join(WEEKDAYS)}"
            lowered = day.strip().lower()
            if lowered in WEEKDAYS or lowered in _FULL_NAMES:  # `Monday`, `FRI`
                message += f"; did you mean {lowered[:3]!r}?"
            else:
                message = v.with_suggestion(message, lowered, WEEKDAYS)
            report.add("ICM211", item, message, "write the first three letters, in lower case")
            ok = False
            continue
        days.add(short)
    if not ok:
        return None
    return tuple(day for day in WEEKDAYS if day in days)  # in week order, each once


def _timezone(pairs: Pairs, report: Report) -> str | None:
    node = pairs["timezone"]
    name = v.text(node, report, "timezone")
    if name is None:
        return None
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        try:
            known = zoneinfo.available_timezones()
        except OSError:  # no time zone database to suggest from
            known = set()
        message = f"timezone {name!r} is not an IANA time zone name"
        report.add(
            "ICM222",
            node,
            v.with_suggestion(message, name, sorted(known)),
            "write a name such as UTC, Europe/Berlin or America/New_York",
        )
        return None
    return name

"""The calendar an import counts durations in, from the org's settings and the command line."""

from __future__ import annotations

from icmap.importing.calendar import WORKING_WEEK, WorkingCalendar, parse_hours
from icmap.model import Settings


def calendar_of(settings: Settings, working_time: bool | None = None) -> WorkingCalendar:
    """The org's calendar: `working_hours` on `working_days` in `timezone`.

    `working_time` True/False (`--working-time` / `--calendar-time`) overrides whether
    durations count only working hours; True without `working_hours` in the org is an error
    (ValueError) rather than a silent calendar time.
    """
    hours_text = getattr(settings, "working_hours", None)
    days = tuple(getattr(settings, "working_days", None) or WORKING_WEEK)
    timezone = getattr(settings, "timezone", None) or "UTC"
    if working_time is True and not hours_text:
        raise ValueError(
            "--working-time needs settings.working_hours (e.g. working_hours: 09:00-17:00)"
        )
    hours = None
    if hours_text and working_time is not False:
        hours = parse_hours(hours_text) if isinstance(hours_text, str) else hours_text
    calendar = WorkingCalendar(timezone, hours, days)
    calendar.tz  # noqa: B018 - an unknown zone fails here, before any row is read
    return calendar

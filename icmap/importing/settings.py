"""The calendar an import counts durations in, from the org's settings and the command line."""

from __future__ import annotations

from icmap.importing.calendar import WorkingCalendar
from icmap.model import Settings


def calendar_of(settings: Settings, working_time: bool | None = None) -> WorkingCalendar:
    """The org's calendar: `working_hours` on `working_days` in `timezone`.

    `working_time` True/False (`--working-time` / `--calendar-time`) overrides whether
    durations count only working hours; True without `working_hours` in the org is an error
    (ValueError) rather than a silent calendar time.
    """
    if working_time is True and settings.working_hours is None:
        raise ValueError(
            "--working-time needs settings.working_hours (e.g. working_hours: 09:00-17:00)"
        )
    hours = settings.working_hours if working_time is not False else None
    calendar = WorkingCalendar(settings.timezone, hours, settings.working_days)
    calendar.tz  # noqa: B018 - an unknown zone fails here, before any row is read
    return calendar

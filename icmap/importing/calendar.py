"""The working-time calendar: how long something took, counting only working hours and days.

Each local day of the org's time zone has a working window [opens, closes] (empty on a day
off); a duration from instant `a` to `b` is the part of every window between them. Windows
are placed with zoneinfo, so a night, a weekend or a daylight-saving change in between counts
exactly. For a column of a million rows the engine joins each timestamp to a table of days
(`days_between`) and takes W(b) − W(a), W(t) being the working time up to t.

Calendar time (no `working_hours`) is the plain difference of the two instants.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WORKING_WEEK = ("mon", "tue", "wed", "thu", "fri")


def zone(name: str) -> ZoneInfo:
    """The IANA time zone `name`; ValueError naming it when there is no such zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"{name!r} is not a time zone; write an IANA name like Europe/Berlin or UTC"
        ) from exc


@dataclass(frozen=True, slots=True)
class Day:
    """One local day of the engine's lookup table, as seconds since the epoch: where the day
    starts, its working window (empty on a day off) and the working seconds of the table's
    days before it. W(t) = before + (the part of the window before t)."""

    date: datetime.date
    start: float
    window_start: float
    window_end: float
    before: float


@dataclass(frozen=True)
class WorkingCalendar:
    """Working hours on working days in a time zone (`hours` None = calendar time)."""

    timezone: str = "UTC"
    #: the working part of a working day, minutes after midnight (as settings.working_hours)
    hours: tuple[int, int] | None = None
    days: tuple[str, ...] = WORKING_WEEK

    @cached_property
    def tz(self) -> ZoneInfo:
        """The zone of local dates and of timestamps that carry no offset."""
        return zone(self.timezone)

    @property
    def working_time(self) -> bool:
        """True when durations count only working hours."""
        return self.hours is not None

    @cached_property
    def _weekdays(self) -> frozenset[int]:
        return frozenset(DAY_NAMES.index(d) for d in self.days)

    def local_date(self, instant: float) -> datetime.date:
        """The date in the org's zone at `instant` (seconds since the epoch)."""
        return datetime.datetime.fromtimestamp(instant, self.tz).date()

    def _instant(self, date: datetime.date, minutes: int = 0) -> float:
        """The instant of local `date` at `minutes` after midnight (1440 = the next day's
        midnight), placed by the zone's rules."""
        if minutes >= 24 * 60:
            date, minutes = date + datetime.timedelta(days=1), minutes - 24 * 60
        time = datetime.time(minutes // 60, minutes % 60)
        return datetime.datetime.combine(date, time, self.tz).timestamp()

    def window(self, date: datetime.date) -> tuple[float, float]:
        """The working window of the local day `date` as instants; empty on a day off.

        Placed by the zone's rules, so a window holding a clock change is as long as the
        clock says (00:00-24:00 on 2026-10-25 in Europe/Berlin is 25 hours).
        """
        start = self._instant(date)
        if self.hours is None or date.weekday() not in self._weekdays:
            return start, start
        return self._instant(date, self.hours[0]), self._instant(date, self.hours[1])

    def duration(self, start: float, end: float) -> float:
        """Seconds from `start` to `end` (instants) that count: the working time inside the
        windows of the days in between, or calendar time. Negative when end < start."""
        if self.hours is None:
            return end - start
        if end < start:
            return -self.duration(end, start)
        total = 0.0
        date = self.local_date(start)
        last = self.local_date(end)
        while date <= last:
            opens, closes = self.window(date)
            total += max(0.0, min(end, closes) - max(start, opens))
            date += datetime.timedelta(days=1)
        return total

    def days_between(self, first: datetime.date, last: datetime.date) -> list[Day]:
        """Every local day from `first` to `last` inclusive, with the working time before
        each (the table the columnar engine joins timestamps to)."""
        out = []
        before = 0.0
        date = first
        while date <= last:
            opens, closes = self.window(date)
            out.append(Day(date, self._instant(date), opens, closes, before))
            before += closes - opens
            date += datetime.timedelta(days=1)
        return out

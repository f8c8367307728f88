"""The working-time calendar: durations inside working hours and days, computed by hand."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from icmap.importing.calendar import DAY_NAMES, WorkingCalendar
from icmap.importing.settings import calendar_of
from icmap.model import Settings

NINE_TO_FIVE = (9 * 60, 17 * 60)
BERLIN = "Europe/Berlin"


def at(text: str) -> float:
    """An ISO timestamp with its offset, as seconds since the epoch."""
    return datetime.datetime.fromisoformat(text).timestamp()


def hours(calendar: WorkingCalendar, start: str, end: str) -> float:
    return calendar.duration(at(start), at(end)) / 3600


def test_calendar_time_is_the_plain_difference() -> None:
    calendar = WorkingCalendar(BERLIN)
    # Fri 16:00 CEST (14:00Z) -> Mon 10:00 CET (09:00Z): 67 h, one more than the clocks
    # say (66 h), because the clocks went back an hour on Sunday 2026-10-25
    assert hours(calendar, "2026-10-23T16:00+02:00", "2026-10-26T10:00+01:00") == 67


def test_a_weekend_and_a_clock_change_count_nothing_outside_working_hours() -> None:
    calendar = WorkingCalendar(BERLIN, NINE_TO_FIVE)
    # Fri 16:00-17:00 = 1 h; Sat, Sun (with the clock change) are days off; Mon 09:00-10:00
    # = 1 h: 1 h + 1 h = 2 h
    assert hours(calendar, "2026-10-23T16:00+02:00", "2026-10-26T10:00+01:00") == 2


def test_timestamps_in_other_offsets_are_placed_in_the_orgs_zone() -> None:
    calendar = WorkingCalendar(BERLIN, NINE_TO_FIVE)
    # 2026-10-23T14:00Z is Fri 16:00 in Berlin; 2026-10-26T09:00Z is Mon 10:00 (CET, +01:00)
    # so the same 1 h + 1 h = 2 h as above
    assert hours(calendar, "2026-10-23T14:00+00:00", "2026-10-26T09:00+00:00") == 2
    # written in New York time (-04:00 / -04:00): Fri 10:00 EDT = 16:00 Berlin
    assert hours(calendar, "2026-10-23T10:00-04:00", "2026-10-26T05:00-04:00") == 2


def test_a_night_between_two_working_days() -> None:
    calendar = WorkingCalendar(BERLIN, NINE_TO_FIVE)
    # Tue 15:30 -> Wed 11:15: 1.5 h on Tuesday (to 17:00) + 2.25 h on Wednesday = 3.75 h
    assert hours(calendar, "2026-10-20T15:30+02:00", "2026-10-21T11:15+02:00") == 3.75


def test_before_opening_and_after_closing_count_from_the_window() -> None:
    calendar = WorkingCalendar(BERLIN, NINE_TO_FIVE)
    # opened Mon 07:00 (before 09:00), answered Mon 20:00 (after 17:00): the whole 8 h day
    assert hours(calendar, "2026-10-19T07:00+02:00", "2026-10-19T20:00+02:00") == 8
    # opened Sat, answered Sun: no working time at all
    assert hours(calendar, "2026-10-24T10:00+02:00", "2026-10-25T12:00+01:00") == 0


def test_a_working_day_holding_the_clock_change_is_as_long_as_the_clock_says() -> None:
    every_hour = WorkingCalendar(BERLIN, (0, 24 * 60), DAY_NAMES)
    # Sat 12:00 -> Mon 12:00, every day working all day: Sat 12 h + Sun 25 h (the clocks go
    # back from 03:00 to 02:00) + Mon 12 h = 49 h
    assert hours(every_hour, "2026-10-24T12:00+02:00", "2026-10-26T12:00+01:00") == 49
    # and in spring, Sun 2026-03-29 has 23 h: Sat 12 h + 23 h + Mon 12 h = 47 h
    assert hours(every_hour, "2026-03-28T12:00+01:00", "2026-03-30T12:00+02:00") == 47


def test_working_days_other_than_monday_to_friday() -> None:
    calendar = WorkingCalendar("UTC", (8 * 60, 12 * 60), ("sun", "mon", "tue", "wed", "thu"))
    # Thu 10:00 -> Sun 09:00 (Fri, Sat off): Thu 2 h + Sun 1 h = 3 h
    assert hours(calendar, "2026-10-22T10:00+00:00", "2026-10-25T09:00+00:00") == 3


def test_the_days_table_adds_up_to_the_same_durations() -> None:
    calendar = WorkingCalendar(BERLIN, NINE_TO_FIVE)
    days = calendar.days_between(datetime.date(2026, 10, 23), datetime.date(2026, 10, 26))
    # Fri 8 h before nothing; Sat and Sun add nothing; Mon starts 8 h in
    assert [d.before / 3600 for d in days] == [0, 8, 8, 8]
    assert [(d.window_end - d.window_start) / 3600 for d in days] == [8, 0, 0, 8]

    def elapsed(instant: float) -> float:  # W(t), as the engine computes it
        day = next(d for d in reversed(days) if d.start <= instant)
        return day.before + min(
            max(instant - day.window_start, 0), day.window_end - day.window_start
        )

    start, end = at("2026-10-23T16:00+02:00"), at("2026-10-26T10:00+01:00")
    assert (elapsed(end) - elapsed(start)) / 3600 == 2  # 9 h - 7 h = 2 h


def test_the_orgs_settings_make_the_calendar() -> None:
    settings = Settings(working_hours=NINE_TO_FIVE, timezone=BERLIN)
    assert calendar_of(settings).working_time
    assert not calendar_of(settings, working_time=False).working_time  # --calendar-time
    assert not calendar_of(Settings()).working_time
    with pytest.raises(ValueError, match="working_hours"):
        calendar_of(Settings(), working_time=True)  # --working-time without working_hours


@pytest.mark.parametrize(
    ("zone", "hours", "days"),
    [
        (BERLIN, NINE_TO_FIVE, ("mon", "tue", "wed", "thu", "fri")),
        (BERLIN, (0, 24 * 60), DAY_NAMES),  # windows holding the clock changes
        ("America/New_York", (22 * 60, 24 * 60), DAY_NAMES),  # a window ending at midnight
    ],
)
def test_the_engine_counts_working_time_as_the_calendar_does(
    tmp_path: Path, zone: str, hours: tuple[int, int], days: tuple[str, ...]
) -> None:
    import random

    from import_fixtures import org, write

    from icmap.importing.common import ImportOptions
    from icmap.importing.tickets import import_tickets

    calendar = WorkingCalendar(zone, hours, days)
    rng = random.Random(7)
    first = at("2026-03-20T00:00+00:00")
    rows, expected = [], []
    for _ in range(300):  # across the spring and autumn clock changes of both zones
        start = first + rng.random() * 230 * 86400
        end = start + rng.random() * 9 * 86400
        rows.append(
            f"desk,legal,{datetime.datetime.fromtimestamp(start, datetime.UTC).isoformat()},"
            f"{datetime.datetime.fromtimestamp(end, datetime.UTC).isoformat()}"
        )
        expected.append(calendar.duration(start, end) / 3600)
    log = write(tmp_path, "t.csv", "requester,provider,opened,resolved\n" + "\n".join(rows) + "\n")
    (m,) = import_tickets(str(log), org(tmp_path), ImportOptions(calendar)).measurements
    assert m.actual == pytest.approx(sum(expected) / len(expected), abs=1e-6)
    ordered = sorted(expected)  # p90 by linear interpolation: rank 0.9 × 299 = 269.1
    assert m.actual_p90 == pytest.approx(
        ordered[269] + 0.1 * (ordered[270] - ordered[269]), abs=1e-6
    )

"""Makes the invented data of the measured example: a ticket export, an event log, a survey.

    python examples/measured/generate.py        # writes examples/measured/data/*.csv

Northwind Appliance Repair (invented) repairs washing machines at people's homes. Its IT
service desk and parts desk take requests through a ticket system; the repair process
(call, dispatch, repair, invoice) is logged by the field-service app; a yearly internal
customer survey rates every supplier. The data is random with a fixed seed, so the files
are the same on every run; `icmap import` then writes the fragments under measured/ (see
README.md, "Measure instead of guess", and docs/import.md).
"""

from __future__ import annotations

import csv
import datetime
import random
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
BERLIN = ZoneInfo("Europe/Berlin")
FIRST_DAY = datetime.date(2026, 10, 1)
LAST_DAY = datetime.date(2026, 11, 30)
OPENS, CLOSES = 9, 17  # settings.working_hours 09:00-17:00, Monday to Friday

# Who asks whom through the ticket system: (requester names seen in the export, provider
# names seen in it, requests a week, mean working hours to the first response, share reopened)
TICKET_FLOWS = [
    (
        ["Call Center Agent", "agent", "Service Desk 1st Level"],
        ["IT Service Desk", "Group 4"],
        12,
        2.5,
        0.08,
    ),
    (["Dispatcher", "dispatch"], ["IT Service Desk", "it-helpdesk"], 6, 1.5, 0.05),
    (["Field Technician", "technician", "Techs"], ["IT Service Desk", "Group 4"], 20, 5.0, 0.15),
    (["Buyer", "purchasing"], ["IT Service Desk"], 4, 3.0, 0.05),
    (["Field Technician", "Techs"], ["Parts Desk", "parts"], 60, 9.0, 0.18),
    (["Senior Technician"], ["Parts Desk"], 10, 6.0, 0.10),
    (["Field Technician", "technician"], ["Fleet", "Fleet Management"], 5, 12.0, 0.04),
]
# People outside the org and ambiguous groupings, as a real export has them
ODD_REQUESTERS = ["Marketing", "Field Service", "Field Tech", "j.smith@northwind.example"]


def working_after(start: datetime.datetime, hours: float) -> datetime.datetime:
    """The local time `hours` of working time after `start`."""
    at = start
    left = hours * 3600.0
    while True:
        opens = at.replace(hour=OPENS, minute=0, second=0, microsecond=0)
        closes = at.replace(hour=CLOSES, minute=0, second=0, microsecond=0)
        if at.weekday() >= 5 or at >= closes:
            at = (at + datetime.timedelta(days=1)).replace(hour=OPENS, minute=0, second=0)
            continue
        at = max(at, opens)
        room = (closes - at).total_seconds()
        if left <= room:
            return at + datetime.timedelta(seconds=left)
        left -= room
        at = closes


def working_moment(rng: random.Random) -> datetime.datetime:
    """A random local time inside working hours in the period."""
    while True:
        day = FIRST_DAY + datetime.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
        if day.weekday() < 5:
            minute = rng.randrange((CLOSES - OPENS) * 60)
            return datetime.datetime(day.year, day.month, day.day, OPENS, 0) + datetime.timedelta(
                minutes=minute
            )


def tickets(rng: random.Random) -> list[list[str]]:
    """The IT and parts desks' export: local times without an offset (Europe/Berlin)."""
    weeks = ((LAST_DAY - FIRST_DAY).days + 1) / 7
    rows = []
    for requesters, providers, per_week, mean_hours, reopen in TICKET_FLOWS:
        for _ in range(round(per_week * weeks)):
            opened = working_moment(rng)
            first = working_after(opened, rng.expovariate(1 / mean_hours))
            resolved = working_after(first, rng.expovariate(1 / (mean_hours * 2)))
            rows.append(
                [
                    rng.choice(requesters),
                    rng.choice(providers),
                    f"{opened:%Y-%m-%d %H:%M}",
                    f"{first:%Y-%m-%d %H:%M}" if rng.random() > 0.1 else "",
                    f"{resolved:%Y-%m-%d %H:%M}",
                    "yes" if rng.random() < reopen else "no",
                ]
            )
    for _ in range(25):
        opened = working_moment(rng)
        rows.append(
            [
                rng.choice(ODD_REQUESTERS),
                rng.choice(["Parts Desk", "IT Service Desk"]),
                f"{opened:%Y-%m-%d %H:%M}",
                "",
                f"{working_after(opened, 3):%Y-%m-%d %H:%M}",
                "no",
            ]
        )
    for _ in range(6):  # the export tool's own mistakes
        rows.append(["Dispatcher", "IT Service Desk", "n/a", "", "2026-10-12 10:00", "no"])
    rng.shuffle(rows)
    rows.sort(key=lambda r: r[2])  # an export sorted by the time a ticket was opened
    return [[f"INC{10000 + i}", *row] for i, row in enumerate(rows)]


# The repair process: (unit name in the app, activity, mean working hours of waiting before
# it starts, mean working hours of work)
STEPS = [
    ("Call Center Agent", "Log call", 0.0, 0.2),
    ("Dispatcher", "Schedule visit", 1.5, 0.3),
    ("Field Technician", "Repair at home", 14.0, 2.0),
    ("Accounts Receivable", "Check account", 2.0, 0.3),
    ("Billing Clerk", "Send invoice", 4.0, 0.5),
]


def events(rng: random.Random) -> list[list[str]]:
    """The field-service app's event log (pm4py's columns), times with their offsets."""
    rows = []
    for case in range(700):
        at = working_moment(rng)
        steps = list(STEPS)
        if rng.random() < 0.12:  # the dispatcher sends an incomplete call back to the agent
            steps[2:2] = [
                ("Call Center Agent", "Complete call details", 1.0, 0.2),
                ("Dispatcher", "Schedule visit", 1.0, 0.3),
            ]
        if rng.random() < 0.06:
            steps.insert(3, ("Field Technician", "Second visit", 16.0, 1.5))
        for unit, activity, wait, work in steps:
            start = working_after(at, rng.expovariate(1 / wait) if wait else 0.0)
            done = working_after(start, rng.expovariate(1 / work))
            known_start = rng.random() > 0.25
            rows.append(
                [
                    f"R-{case + 1:04d}",
                    activity,
                    unit,
                    start.replace(tzinfo=BERLIN).isoformat() if known_start else "",
                    done.replace(tzinfo=BERLIN).isoformat(),
                ]
            )
            at = done
    rows.sort(key=lambda r: r[4])  # the app exports events in time order, cases interleaved
    return rows


SURVEY_PAIRS = [
    # (rater names, supplier name, responses, mean rating 1-5)
    (["Field Technician", "Field Service"], "Parts Desk", 14, 2.6),
    (["Field Technician"], "IT Service Desk", 9, 2.9),
    (["Call Center Agent", "Service Desk"], "IT Service Desk", 7, 3.8),
    (["Field Technician"], "Dispatcher", 8, 3.1),
    (["Dispatcher"], "Call Center Agent", 6, 3.5),
    (["Billing Clerk"], "Field Technician", 6, 2.7),
    (["Billing Clerk"], "Accounts Receivable", 3, 4.0),  # too few: withheld
    (["Parts Clerk"], "Buyer", 5, 3.9),
    (["Senior Technician"], "Parts Desk", 4, 2.2),  # withheld
]


def survey(rng: random.Random) -> list[list[str]]:
    """The yearly ICSQ survey: one row per response, three dimensions on 1-5."""
    rows = []
    for raters, supplier, responses, mean in SURVEY_PAIRS:
        for _ in range(responses):
            ratings = []
            for _dimension in range(3):
                if rng.random() < 0.08:
                    ratings.append("")  # not answered
                else:
                    ratings.append(str(min(5, max(1, round(rng.gauss(mean, 0.8))))))
            rows.append(
                [rng.choice(raters), supplier, *ratings, rng.choice(["", "", "slow", "ok"])]
            )
    rng.shuffle(rows)
    return [[f"S-{i + 1:03d}", *row] for i, row in enumerate(rows)]


def write(name: str, header: list[str], rows: list[list[str]]) -> None:
    path = HERE / "data" / name
    path.parent.mkdir(exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    rng = random.Random(2026)
    write(
        "tickets.csv",
        [
            "ticket",
            "requester",
            "assignment_group",
            "opened",
            "first_response",
            "resolved",
            "reopened",
        ],
        tickets(rng),
    )
    write(
        "events.csv",
        ["case:concept:name", "concept:name", "org:group", "start_timestamp", "time:timestamp"],
        events(rng),
    )
    write(
        "survey.csv",
        ["response", "rater", "supplier", "communication", "responsiveness", "quality", "comment"],
        survey(rng),
    )


if __name__ == "__main__":
    main()

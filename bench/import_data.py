"""Generated inputs for the importer benchmarks: an org, a ticket log, an event log (CSV, XES).

    python bench/import_data.py tickets ROWS OUT.csv
    python bench/import_data.py events ROWS OUT.csv|OUT.xes|OUT.xes.gz
    python bench/import_data.py org OUT.yaml

Every file comes from a fixed seed, so two runs give the same bytes. The org has 40 roles in
8 departments, each role depending on the next four; the logs name units by their names or
ids, with 1% of rows broken on purpose (an unknown name, an empty cell, a bad timestamp), as a
real export has.
"""

from __future__ import annotations

import datetime
import gzip
import random
import sys
from collections.abc import Iterator
from pathlib import Path

ROLES = 40
DEPARTMENTS = 8
START = datetime.datetime(2026, 1, 5, 8, 0, tzinfo=datetime.UTC)
SPAN_S = 26 * 7 * 24 * 3600  # half a year


def role_id(i: int) -> str:
    return f"r{i:02d}"


def suppliers(i: int) -> list[int]:
    """The roles role i depends on: the next four (the last roles depend on fewer)."""
    return [j for j in range(i + 1, min(i + 5, ROLES))]


def org_yaml() -> str:
    """The org the logs are matched against."""
    lines = ["icmap: 1", "organization: Bench Import", "settings:", "  time_unit: hours"]
    lines += ["external_customers:", "  - id: client", "    depends_on: [r00]", "departments:"]
    per = ROLES // DEPARTMENTS
    for d in range(DEPARTMENTS):
        lines += [f"  - id: d{d}", f"    name: Department {d}", "    roles:"]
        for i in range(d * per, (d + 1) * per):
            lines += [
                f"      - id: {role_id(i)}",
                f"        name: Role {i}",
                "        lead_time: 4h",
            ]
            sup = suppliers(i)
            if sup:
                lines.append("        depends_on:")
                for j in sup:
                    lines += [f"          - supplier: {role_id(j)}", "            standard: 8h"]
    return "\n".join(lines) + "\n"


def _stamp(seconds: float) -> str:
    return (START + datetime.timedelta(seconds=int(seconds))).isoformat()


def ticket_rows(rows: int, seed: int = 1) -> Iterator[str]:
    """CSV lines of a ticket log: header, then `rows` requests."""
    rng = random.Random(seed)
    yield "id,requester,provider,opened,first_response,resolved,reopened,rating"
    for n in range(rows):
        customer = rng.randrange(ROLES - 1)
        supplier = rng.choice(suppliers(customer))
        opened = rng.random() * SPAN_S
        first = opened + rng.expovariate(1 / 3600)
        resolved = first + rng.expovariate(1 / 20000)
        requester = f"Role {customer}" if n % 2 else role_id(customer)
        provider = f"role {supplier}" if n % 3 else role_id(supplier)
        opened_s = _stamp(opened)
        first_s = _stamp(first) if n % 5 else ""
        if n % 100 == 7:
            requester = "Somebody Else"
        elif n % 100 == 37:
            opened_s = "not a date"
        elif n % 100 == 77:
            provider = ""
        reopened = "yes" if rng.random() < 0.12 else "no"
        rating = str(rng.randint(1, 5)) if n % 4 == 0 else ""
        yield f"T{n},{requester},{provider},{opened_s},{first_s},{_stamp(resolved)},{reopened},{rating}"


def event_cases(rows: int, seed: int = 2) -> Iterator[list[tuple[str, str, str, str, str]]]:
    """Cases of an event log, each a list of (case, activity, unit, start, complete)."""
    rng = random.Random(seed)
    made = 0
    case = 0
    while made < rows:
        events = []
        at = rng.random() * SPAN_S
        unit = rng.randrange(ROLES - 4, ROLES)
        for _ in range(min(rng.randint(3, 9), rows - made)):
            start = at + rng.expovariate(1 / 5000)
            done = start + rng.expovariate(1 / 3000)
            name = f"Role {unit}" if case % 2 else role_id(unit)
            if (made + len(events)) % 100 == 13:
                name = "Nobody"
            begin = _stamp(start) if case % 3 else ""
            events.append((f"c{case}", f"step {unit}", name, begin, _stamp(done)))
            at = done
            # most work moves to a customer; some stays; some is sent back
            roll = rng.random()
            if roll < 0.15 and unit + 1 < ROLES:
                unit += 1
            elif roll > 0.2:
                unit = max(0, unit - rng.randint(1, 3))
        made += len(events)
        case += 1
        yield events


def event_csv(rows: int) -> Iterator[str]:
    yield "case:concept:name,concept:name,org:group,start_timestamp,time:timestamp"
    for events in event_cases(rows):
        for event in events:
            yield ",".join(event)


def event_xes(rows: int) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>'
    yield '<log xes.version="1.0" xmlns="http://www.xes-standard.org/">'
    for events in event_cases(rows):
        yield f'  <trace><string key="concept:name" value="{events[0][0]}"/>'
        for _case, activity, unit, start, done in events:
            yield "    <event>"
            yield f'      <string key="concept:name" value="{activity}"/>'
            yield f'      <string key="org:group" value="{unit}"/>'
            if start:
                yield f'      <date key="start_timestamp" value="{start}"/>'
            yield f'      <date key="time:timestamp" value="{done}"/>'
            yield "    </event>"
        yield "  </trace>"
    yield "</log>"


def write(lines: Iterator[str], path: Path) -> None:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8", newline="\n") as out:  # type: ignore[operator]
        for line in lines:
            out.write(line)
            out.write("\n")


def main(argv: list[str]) -> None:
    what = argv[0]
    if what == "org":
        Path(argv[1]).write_text(org_yaml(), encoding="utf-8")
        return
    rows, path = int(argv[1]), Path(argv[2])
    if what == "tickets":
        write(ticket_rows(rows), path)
    elif path.name.endswith((".xes", ".xes.gz")):
        write(event_xes(rows), path)
    else:
        write(event_csv(rows), path)


if __name__ == "__main__":
    main(sys.argv[1:])

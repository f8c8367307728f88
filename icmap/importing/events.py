"""`icmap import events`: a process event log to handoff figures per supplier → customer.

Events whose unit is empty or matches no unit are dropped first; the rest of each case is
ordered by completion time, ties in file order. Two consecutive events of a case in
different units are a handoff from the earlier unit (supplier) to the later (customer);
consecutive events in one unit are work inside it. Handoff time = the later event's start −
the earlier completion (later completion − earlier completion when the later event has no
start), negative → 0. A handoff A→B whose case's very next handoff is B→A was sent back.
See docs/import.md.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from icmap.importing import engine
from icmap.importing.calendar import WorkingCalendar
from icmap.importing.common import (
    UNREADABLE,
    ImportOptions,
    ImportResult,
    calendar_text,
    names_for,
    row_reason,
    tally_names,
)
from icmap.importing.figures import Measurement, per_week
from icmap.importing.names import Names, Resolved
from icmap.importing.report import ImportReport, Undeclared, WorkTime
from icmap.model import Org

if TYPE_CHECKING:
    import duckdb

XES_SUFFIXES = (".xes", ".xes.gz")


@dataclass(frozen=True)
class EventColumns:
    """The log's column (CSV) or attribute (XES) names: pm4py's by default."""

    case: str = "case:concept:name"
    activity: str = "concept:name"
    unit: str = "org:group"
    timestamp: str = "time:timestamp"
    start: str = "start_timestamp"


def import_events(
    path: str, org: Org, options: ImportOptions, columns: EventColumns | None = None
) -> ImportResult:
    """Handoff figures from the event log at `path` (CSV, .csv.gz, XES or XES.gz).

    InputError when it cannot be read or lacks a needed column; bad events are counted and
    skipped. An XES log is read streaming into a temporary CSV file, so its tree is never
    held in memory, and row numbers in the report are event numbers (1 = the first event).
    """
    columns = columns or EventColumns()
    if path.lower().endswith(XES_SUFFIXES):
        from icmap.importing.xes import xes_to_csv

        handle, temp = tempfile.mkstemp(prefix="icmap-events-", suffix=".csv")
        os.close(handle)
        try:
            xes_to_csv(path, temp, columns)
            result = _import_csv(temp, org, options, EventColumns(), path, xes=True)
        finally:
            os.unlink(temp)
        return result
    return _import_csv(path, org, options, columns, path, xes=False)


def _import_csv(
    path: str, org: Org, options: ImportOptions, columns: EventColumns, source: str, xes: bool
) -> ImportResult:
    calendar = options.calendar
    report = ImportReport("events", source, calendar=calendar_text(calendar))
    if xes:
        report.row_word = "event"
    header = engine.read_header(path)
    case, unit, done = engine.require_columns(
        source if not xes else path,
        header,
        [("--case", columns.case), ("--by", columns.unit), ("--timestamp", columns.timestamp)],
    )
    start = engine.find_column(header, columns.start)
    con = engine.connect(calendar)
    if xes:
        # bounded memory for a log of any size: DuckDB spills to disk past this
        con.execute("SET memory_limit = '256MB'")
        con.execute(f"SET temp_directory = {engine.literal(tempfile.gettempdir())}")
    Field = engine.Field
    rejected = engine.load_csv(
        con,
        path,
        header,
        "e",
        [Field("c", case), Field("u", unit), Field("t", done, "time"), Field("s", start, "time")],
    )
    names = names_for(org, options)
    found = engine.rows(con, "SELECT u, count(*) FROM e GROUP BY ALL")
    resolved: list[tuple[str | None, Resolved, int]] = [(u, names.unit(u), n) for u, n in found]
    tally_names(report, names, columns.unit, resolved)
    engine.insert(
        con,
        "units",
        "u VARCHAR, id VARCHAR, why VARCHAR",
        [(u, r.id, row_reason(columns.unit, r)) for u, r, _ in resolved],
    )
    lo, hi = engine.period_bounds(calendar, options.period) if options.period else (0.0, 0.0)
    in_period = f"(first_t >= {lo} AND first_t < {hi})" if options.period else "true"
    skip = f"""CASE
        WHEN c IS NULL THEN '{columns.case} is empty'
        WHEN NOT t_set THEN '{columns.timestamp} is empty'
        WHEN t IS NULL THEN '{columns.timestamp} is not a timestamp'
        WHEN s_set AND s IS NULL THEN '{columns.start} is not a timestamp'
        WHEN units.why IS NOT NULL THEN units.why
        END"""
    rows_of = "FROM e JOIN units ON coalesce(e.u, '') = coalesce(units.u, '')"
    # Stored in case order, each case by time, ties in file order: every later step reads
    # k in that order (see the handoffs below)
    if options.period is None:
        con.execute(
            f"CREATE TEMP TABLE k AS SELECT rn, c, units.id, t, s, {skip} AS skip {rows_of} "
            "ORDER BY c, t, rn"
        )
    else:  # a case is in the period by its first event: one more pass, only when asked
        con.execute(
            f"""CREATE TEMP TABLE k AS SELECT rn, c, id, t, s, CASE WHEN skip IS NULL AND NOT
            {in_period} THEN 'the case began outside the period' ELSE skip END AS skip
            FROM (SELECT *, min(t) FILTER (skip IS NULL) OVER (PARTITION BY c) AS first_t
                  FROM (SELECT rn, c, units.id, t, s, {skip} AS skip {rows_of}))
            ORDER BY c, t, rn"""
        )
    for why, (count, first) in sorted(engine.first_rows(con, "k", "skip", rejected).items()):
        report.skip(why).add_many(count, [r - 1 for r in first] if xes else first)
    if rejected:
        report.skip(UNREADABLE).add_many(len(rejected), rejected)
    read, used, earliest, latest = engine.rows(
        con,
        """SELECT count(*), count(*) FILTER (skip IS NULL),
        least(min(t) FILTER (skip IS NULL), min(s) FILTER (skip IS NULL)),
        greatest(max(t) FILTER (skip IS NULL), max(s) FILTER (skip IS NULL)) FROM k""",
    )[0]
    report.rows_read = int(read) + len(rejected)
    report.rows_used = int(used)
    if not used:
        report.period = options.period.as_strings() if options.period else None
        return ImportResult((), options.period, report)
    origin = 0.0
    if calendar.working_time:
        origin = engine.add_days_table(con, calendar, float(earliest), float(latest))
    # k is stored sorted, and read in its stored order (WHERE, a single-table FROM and a
    # window with an empty OVER keep it): a handoff is an event whose previous one is of
    # the same case in another unit, and a handoff A -> B is sent back when the case's
    # next handoff, B -> A, comes right after it. One sort where two windows partitioned
    # by case and ordered by time sorted twice (twice as slow). Each case's first event
    # is kept too (sup NULL, its time in case_t), for the period. The pass in order runs
    # on one thread, so k is cut into as many parts as DuckDB has threads, each starting
    # with a case, read side by side (UNION ALL), and aggregated as they are read.
    part = """SELECT sup, cus, prev_t, end_t, no_start, case_t,
        coalesce(lag(c) OVER () = c AND lag(sup) OVER () = cus AND lag(cus) OVER () = sup,
                 false) AS sends_back
        FROM (SELECT c, CASE WHEN prev_c = c THEN prev_id END AS sup, id AS cus,
              CASE WHEN prev_c = c THEN prev_t END AS prev_t, coalesce(s, t) AS end_t,
              s IS NULL AS no_start, CASE WHEN prev_c IS DISTINCT FROM c THEN t END AS case_t
              FROM (SELECT c, id, t, s, lag(c) OVER () AS prev_c, lag(id) OVER () AS prev_id,
                    lag(t) OVER () AS prev_t FROM k WHERE skip IS NULL AND PART)
              WHERE prev_c IS DISTINCT FROM c OR prev_id <> id)"""
    handoffs = " UNION ALL ".join(
        part.replace("PART", f"rowid >= {begin} AND rowid < {end}")
        for begin, end in _case_parts(con, int(read))
    )
    handoff = engine.duration_sql(calendar, "x.prev_t", "x.end_t", "a", "b")
    joins = engine.day_joins(calendar, [("x.prev_t", "a"), ("x.end_t", "b")], origin)
    groups = engine.rows(
        con,
        f"""SELECT x.sup, x.cus, count(*), avg(greatest({handoff}, 0)),
        quantile_cont(greatest({handoff}, 0), 0.9), count(*) FILTER (x.sends_back),
        count(*) FILTER (x.no_start), min(x.case_t), max(x.case_t)
        FROM ({handoffs}) x {joins} GROUP BY ALL ORDER BY 1, 2""",
    )
    pairs = [g for g in groups if g[0] is not None]
    starts = [g for g in groups if g[0] is None]  # grouped by the unit a case begins in
    begins = float(min(g[7] for g in starts)), float(max(g[8] for g in starts))
    period = options.period or engine.period_of(calendar, *begins)
    report.period = period.as_strings()
    # a handoff that sends back is B -> A; the one it sends back is A -> B
    sent_back = {(g[1], g[0]): int(g[5]) for g in pairs}
    measurements = []
    for sup, cus, n, mean, p90, *_ in pairs:
        volume = per_week(int(n), period)
        if (sup, cus) not in names.declared:
            report.undeclared.append(Undeclared(sup, cus, int(n), round(volume, 2)))
            continue
        measurements.append(
            Measurement(
                supplier=sup,
                customer=cus,
                samples=int(n),
                actual=mean / 3600.0,
                actual_p90=p90 / 3600.0,
                volume=volume,
                complete_accurate=1.0 - sent_back.get((sup, cus), 0) / int(n),
            )
        )
    report.pairs_written = len(measurements)
    _work_times(con, calendar, names, report, origin)
    measured, without = sum(int(g[2]) for g in pairs), sum(int(g[6]) for g in pairs)
    if without:
        report.notes.append(
            f"{without:,} of {measured:,} handoffs have no {columns.start} on the later event: "
            "their time runs from one completion to the next, so it includes the customer's "
            "own work"
        )
    return ImportResult(tuple(measurements), period, report)


def _case_parts(con: duckdb.DuckDBPyConnection, rows: int) -> list[tuple[int, int]]:
    """Ranges of k's row ids (k sorted by case), one per thread, each beginning with a
    case: a cut goes at the first change of case from an even share on (a case longer
    than 10,000 events there: no cut)."""
    threads = int(engine.rows(con, "SELECT current_setting('threads')")[0][0])
    cuts = [0]
    if rows >= PARALLEL_ROWS:
        for i in range(1, threads):
            share = rows * i // threads
            cases = engine.rows(
                con,
                f"SELECT rowid, c FROM k WHERE rowid >= {share - 1} AND rowid < {share + 10_000} "
                "ORDER BY rowid",
            )
            for (_, before), (rowid, case) in itertools.pairwise(cases):
                if case != before:
                    if rowid > cuts[-1]:
                        cuts.append(int(rowid))
                    break
    return list(zip(cuts, [*cuts[1:], rows], strict=True))


PARALLEL_ROWS = 100_000  # below this, one pass in order is quick enough


def _work_times(
    con: duckdb.DuckDBPyConnection,
    calendar: WorkingCalendar,
    names: Names,
    report: ImportReport,
    origin: float,
) -> None:
    """Each unit's observed work time (mean completion − start, where starts exist)."""
    work = engine.duration_sql(calendar, "x.s", "x.t", "a", "b")
    joins = engine.day_joins(calendar, [("x.s", "a"), ("x.t", "b")], origin)
    for unit, mean, count in engine.rows(
        con,
        f"""SELECT x.id, avg(greatest({work}, 0)), count(*)
        FROM (SELECT * FROM k WHERE skip IS NULL AND s IS NOT NULL) x {joins}
        GROUP BY ALL ORDER BY 1""",
    ):
        report.work_times.append(
            WorkTime(unit, round(mean / 3600.0, 4), int(count), names.lead_time(unit))
        )

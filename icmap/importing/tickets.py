"""`icmap import tickets`: a service desk's request log to figures per supplier → customer.

One row is one request by an internal customer (`requester`) to a supplier (`provider`).
Response time = first_response − opened when that cell is set, else resolved − opened.
Per pair: samples, mean and 90th percentile of the response time, requests per week, the
share not reopened (complete_accurate), the share within the dependency's standard, and the
mean rating mapped onto the org's satisfaction scale. See docs/import.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from icmap.importing import engine
from icmap.importing.common import (
    UNREADABLE,
    ImportOptions,
    ImportResult,
    calendar_text,
    names_for,
    row_reason,
    tally_names,
)
from icmap.importing.figures import Measurement, map_scale, per_week
from icmap.importing.names import Resolved
from icmap.importing.report import ImportReport, Undeclared
from icmap.model import Org

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class TicketColumns:
    """The log's column names (the `--requester`, `--provider`, ... options)."""

    requester: str = "requester"
    provider: str = "provider"
    opened: str = "opened"
    resolved: str = "resolved"
    first_response: str = "first_response"
    reopened: str = "reopened"
    rating: str = "rating"


def import_tickets(
    path: str,
    org: Org,
    options: ImportOptions,
    columns: TicketColumns | None = None,
    rating_scale: tuple[float, float] | None = None,
) -> ImportResult:
    """Figures per handoff from the ticket log at `path`; InputError when it cannot be read
    or lacks a needed column. Bad rows are counted and skipped (in the result's report)."""
    columns = columns or TicketColumns()
    calendar = options.calendar
    org_scale = org.settings.satisfaction_scale
    scale = rating_scale or org_scale
    report = ImportReport("tickets", path, calendar=calendar_text(calendar))
    header = engine.read_header(path)
    needed = [
        ("--requester", columns.requester),
        ("--provider", columns.provider),
        ("--opened", columns.opened),
        ("--resolved", columns.resolved),
    ]
    q, p, o, r = engine.require_columns(path, header, needed)
    f = engine.find_column(header, columns.first_response)
    re_ = engine.find_column(header, columns.reopened)
    ra = engine.find_column(header, columns.rating)
    con = engine.connect(calendar)
    Field = engine.Field
    fields = [
        Field("q", q),
        Field("p", p),
        Field("o", o, "time"),
        Field("r", r, "time"),
        Field("f", f, "time"),
        Field("re", re_, "flag"),
        Field("ra", ra, "number"),
    ]
    rejected = engine.load_csv(con, path, header, "t", fields)
    names = names_for(org, options)

    # Names: each distinct (requester, provider) once, resolved here, joined back.
    distinct = engine.rows(con, "SELECT q, p, count(*) FROM t GROUP BY ALL")
    pairs = []
    providers: dict[str | None, tuple[Resolved, int]] = {}
    requesters: dict[str | None, tuple[Resolved, int]] = {}
    ambiguous = set()
    ids: dict[tuple[str | None, str | None], int] = {}  # (supplier, customer) -> pair number
    for req, prov, count in distinct:
        supplier = names.unit(prov)
        customer = names.customer(req, supplier.id or "")
        reason = row_reason("provider", supplier) or row_reason("requester", customer)
        if supplier.id and customer.reason and customer.reason.startswith("grouping "):
            ambiguous.add((supplier.id, req or "", customer.reason))
        pid = ids.setdefault((supplier.id, customer.id), len(ids)) if reason is None else None
        pairs.append((req, prov, pid, reason))
        providers[prov] = (supplier, providers.get(prov, (supplier, 0))[1] + count)
        requesters[req] = (customer, requesters.get(req, (customer, 0))[1] + count)
    tally_names(report, names, "requester", [(k, v, n) for k, (v, n) in requesters.items()])
    tally_names(report, names, "provider", [(k, v, n) for k, (v, n) in providers.items()])
    report.ambiguous = sorted(ambiguous)
    engine.insert(con, "pairs", "q VARCHAR, p VARCHAR, pid INTEGER, why VARCHAR", pairs)

    lo, hi = (0.0, 0.0)
    if options.period is not None:
        lo, hi = engine.period_bounds(calendar, options.period)
    in_period = f"(o >= {lo} AND o < {hi})" if options.period else "true"
    reason = f"""CASE
        WHEN pairs.why IS NOT NULL THEN pairs.why
        WHEN NOT o_set THEN 'opened is empty'
        WHEN o IS NULL THEN 'opened is not a timestamp'
        WHEN f_set AND f IS NULL THEN 'first_response is not a timestamp'
        WHEN NOT f_set AND NOT r_set THEN 'resolved is empty (and no first_response)'
        WHEN NOT f_set AND r IS NULL THEN 'resolved is not a timestamp'
        WHEN coalesce(f, r) < o THEN 'response before opened (negative response time)'
        WHEN NOT {in_period} THEN 'opened outside the period'
        END"""
    con.execute(
        f"""CREATE TEMP TABLE k AS SELECT rn, pairs.pid, {reason} AS skip, o AS o_t,
        CASE WHEN f_set THEN f ELSE r END AS e_t, re, re_set, ra, ra_set
        FROM t JOIN pairs ON coalesce(t.q, '') = coalesce(pairs.q, '')
        AND coalesce(t.p, '') = coalesce(pairs.p, '')"""
    )
    for why, (count, first) in sorted(engine.first_rows(con, "k", "skip", rejected).items()):
        report.skip(why).add_many(count, first)
    if rejected:
        report.skip(UNREADABLE).add_many(len(rejected), rejected)
    read, used, first, last, latest = engine.rows(
        con,
        """SELECT count(*), count(*) FILTER (skip IS NULL), min(o_t) FILTER (skip IS NULL),
        max(o_t) FILTER (skip IS NULL), max(e_t) FILTER (skip IS NULL) FROM k""",
    )[0]
    report.rows_read = int(read) + len(rejected)
    report.rows_used = int(used)
    if not used:
        report.period = options.period.as_strings() if options.period else None
        return ImportResult((), options.period, report)
    # Without --period: from the first request used to the last one.
    period = options.period or engine.period_of(calendar, first, last)
    report.period = period.as_strings()
    origin = 0.0
    if calendar.working_time:
        origin = engine.add_days_table(con, calendar, float(first), float(latest))
    duration = engine.duration_sql(calendar, "u.o_t", "u.e_t", "a", "b")
    joins = engine.day_joins(calendar, [("u.o_t", "a"), ("u.e_t", "b")], origin)
    rating = "u.ra"
    info = []  # pair number -> supplier, customer and the dependency's standard (seconds)
    for (sup, cus), pid in ids.items():
        declared = names.declared.get((sup or "", cus or ""))
        standard = declared.standard if declared is not None else None
        info.append((pid, sup, cus, None if standard is None else standard * 3600.0))
    engine.insert(con, "info", "pid INTEGER, s VARCHAR, c VARCHAR, seconds DOUBLE", info)
    con.execute(
        f"""CREATE TEMP VIEW used AS SELECT u.rn, u.pid, {duration} AS d, u.re, u.re_set,
        CASE WHEN {rating} BETWEEN {scale[0]} AND {scale[1]} THEN {rating} END AS ra_v, u.ra_set
        FROM (SELECT * FROM k WHERE skip IS NULL) u {joins}"""
    )
    _ignored(
        con,
        report,
        rejected,
        "re_set AND re IS NULL",
        f"{columns.reopened} is not true/false/yes/no/1/0 or a count",
    )
    _ignored(
        con,
        report,
        rejected,
        "ra_set AND ra_v IS NULL",
        f"{columns.rating} is not a number from {_num(scale[0])} to {_num(scale[1])}",
    )
    # an empty reopened cell is a request not reopened
    figures = engine.rows(
        con,
        """SELECT info.s, info.c, n, mean, p90, re_n, re_true, within, ra_n, ra_mean, info.seconds
        FROM (SELECT pid, count(*) AS n, avg(d) AS mean, quantile_cont(d, 0.9) AS p90,
              count(*) FILTER (re IS NOT NULL OR NOT re_set) AS re_n,
              count(*) FILTER (re) AS re_true,
              avg(CASE WHEN d <= seconds THEN 1.0 ELSE 0.0 END) AS within,
              count(ra_v) AS ra_n, avg(ra_v) AS ra_mean
              FROM used JOIN info USING (pid) GROUP BY pid) g
        JOIN info ON g.pid = info.pid ORDER BY 1, 2""",
    )
    measurements = []
    for s, c, n, mean, p90, re_n, re_true, within, ra_n, ra_mean, standard in figures:
        volume = per_week(int(n), period)
        if (s, c) not in names.declared:
            report.undeclared.append(Undeclared(s, c, int(n), round(volume, 2)))
            continue
        measurements.append(
            Measurement(
                supplier=s,
                customer=c,
                samples=int(n),
                actual=mean / 3600.0,
                actual_p90=p90 / 3600.0,
                volume=volume,
                complete_accurate=(1.0 - re_true / re_n) if re_ and re_n else None,
                within_standard=within if standard is not None else None,
                satisfaction=map_scale(ra_mean, scale, org_scale) if ra and ra_n else None,
                responses=int(ra_n) if ra and ra_n else None,
            )
        )
    report.pairs_written = len(measurements)
    return ImportResult(tuple(measurements), period, report)


def _ignored(
    con: duckdb.DuckDBPyConnection, report: ImportReport, rejected: list[int], where: str, why: str
) -> None:
    counts = engine.rows(
        con, f"SELECT count(*), list(rn ORDER BY rn)[1:20] FROM used WHERE {where}"
    )[0]
    if counts[0]:
        report.ignore(why).add_many(int(counts[0]), engine.real_rows(counts[1], rejected))


def _num(value: float) -> str:
    return f"{value:g}"

"""The columnar engine under the log importers: DuckDB, reading CSV and timing durations.

Chosen by measurement (docs/benchmarks.md, bench/bench_engines.py): on a 1,000,000-row ticket
log DuckDB computed the figures in 1.4 s whole process, polars in 3.6 s and the standard
library's csv in 5.3 s. It is imported here only, when an importer runs.

Every cell is read as text and parsed here, so that a bad cell makes a bad row (counted and
skipped), never a failed import. A timestamp with an offset is that instant; one without is
local time in the org's zone (DuckDB's session time zone). Durations are seconds: calendar
time, or working time through a table of local days (see `icmap.importing.calendar`).
"""

from __future__ import annotations

import csv
import datetime
import gzip
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from icmap.importing.calendar import WorkingCalendar
from icmap.importing.figures import Period

if TYPE_CHECKING:
    import duckdb

# A timestamp before 1900 or from 2200 on is taken for a typing or export error, not a date:
# it would stretch the table of working days across centuries.
EARLIEST = -2208988800.0  # 1900-01-01T00:00Z
LATEST = 7258118400.0  # 2200-01-01T00:00Z
HEADER_BYTES = 1 << 16
# A row (a quoted cell may hold line breaks) can be up to 16 MB, and the reader's buffer
# is set to that too: by default it is 16 times the longest row, 256 MB, more than a
# million-row log, and DuckDB shares the work out by buffer, so one thread did most of it
# (CPU per thread of a 1M-row tickets load: 0.52 s and 0.21 s; with 16 MB, 0.45 and 0.43)
MAX_LINE_BYTES = 16 << 20
BUFFER_BYTES = 16 << 20


class InputError(Exception):
    """The input cannot be imported at all (exit 2): `where` is `file:line`, the message
    says what is missing or wrong and how to fix it."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


@dataclass(frozen=True, slots=True)
class Header:
    """The columns of a CSV file as its first line names them, and its delimiter."""

    columns: tuple[str, ...]
    delimiter: str


def read_header(path: str) -> Header:
    """The first line of a CSV (or .csv.gz) file; InputError when it cannot be read."""
    try:
        if path.endswith(".gz"):
            with gzip.open(path, "rb") as handle:
                head = handle.read(HEADER_BYTES)
        else:
            with open(path, "rb") as handle:
                head = handle.read(HEADER_BYTES)
    except (OSError, EOFError) as exc:
        raise InputError(
            path, f"cannot read the file: {getattr(exc, 'strerror', None) or exc}"
        ) from exc
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    first = text.splitlines()[0] if text.strip() else ""
    if not first.strip():
        raise InputError(f"{path}:1", "the file is empty; it needs a header row naming the columns")
    delimiter = max(",;\t|", key=first.count)
    columns = next(csv.reader(io.StringIO(first), delimiter=delimiter))
    return Header(tuple(c.strip() for c in columns), delimiter)


def find_column(header: Header, wanted: str) -> str | None:
    """The header's column named `wanted`: exactly, else after trimming and case-folding."""
    if wanted in header.columns:
        return wanted
    folded = wanted.strip().casefold()
    for column in header.columns:
        if column.casefold() == folded:
            return column
    return None


def require_columns(path: str, header: Header, wanted: Sequence[tuple[str, str]]) -> list[str]:
    """The header's names of the needed columns, given as (option, default name); an
    InputError naming every missing one, the option that renames it and a did-you-mean."""
    from icmap.names import suggest

    found, missing = [], []
    for option, name in wanted:
        column = find_column(header, name)
        if column is None:
            hint = suggest(name, header.columns)
            missing.append(f"{name!r} ({option} names it{'; ' + hint if hint else ''})")
        else:
            found.append(column)
    if missing:
        raise InputError(
            f"{path}:1",
            f"no column {', '.join(missing)}; the columns are {', '.join(header.columns)}",
        )
    return found


def quote(name: str) -> str:
    """An identifier for SQL."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A string literal for SQL."""
    return "'" + text.replace("'", "''") + "'"


def connect(calendar: WorkingCalendar) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory engine whose local time is the org's zone."""
    try:
        # DuckDB's compiled engine alone (DuckDB 1.4 on): 15 ms to import, where the
        # `duckdb` package adds 80 ms of Python relational API that icmap does not use
        import _duckdb as duckdb_engine
    except ImportError:  # older DuckDB: the engine is only reachable through the package
        import duckdb as duckdb_engine  # type: ignore[no-redef]

    con = duckdb_engine.connect(":memory:")
    con.execute(f"SET TimeZone = {literal(calendar.timezone)}")
    con.execute("SET preserve_insertion_order = true")
    return con


@dataclass(frozen=True, slots=True)
class Field:
    """A column to load: its alias in SQL, its name in the file (None: the file lacks it,
    read as empty) and how to read it: `text` (trimmed, empty = NULL), `time` (seconds since
    the epoch in `alias`, whether the cell was set in `alias_set`), `number` or `flag`
    (true/false/yes/no/y/n/1/0 or a count, > 0 meaning true; likewise)."""

    alias: str
    column: str | None
    kind: str = "text"


def load_csv(
    con: duckdb.DuckDBPyConnection, path: str, header: Header, table: str, fields: Sequence[Field]
) -> list[int]:
    """Read `path` into `table` in one pass, each cell parsed as its field says, with a row
    number `rn` (the header is row 1). Rows the reader cannot split or decode are left out;
    their row numbers are returned (see `real_rows`)."""
    unique = len(set(header.columns)) == len(header.columns)
    names = header.columns if unique else tuple(f"column{i}" for i in range(len(header.columns)))
    spec = "{" + ", ".join(f"{literal(k)}: 'VARCHAR'" for k in names) + "}"
    steps: tuple[list[str], list[str], list[str]] = ([], [], [])
    for f in fields:
        cell = "NULL::VARCHAR" if f.column is None else quote(names[header.columns.index(f.column)])
        for step, sql in zip(steps, _field_sql(f, cell), strict=True):
            step += sql
    cells, values, checked = (", ".join(step) for step in steps)
    load = (
        f"CREATE OR REPLACE TEMP TABLE {table}_raw AS SELECT {checked} FROM "
        f"(SELECT {values} FROM (SELECT {cells} FROM "
        f"read_csv({literal(path)}, columns = {spec}, "
        f"header = true, delim = {literal(header.delimiter)}, quote = '\"', escape = '\"', "
        "strict_mode = false, null_padding = true, ignore_errors = true, "
        "store_rejects = true, auto_detect = false, "
        f"max_line_size = {MAX_LINE_BYTES}, buffer_size = {BUFFER_BYTES} PARALLEL)))"
    )
    try:
        try:
            con.execute(load.replace(" PARALLEL", ""))
        except Exception:
            # DuckDB's parallel reader cannot pad short rows around a quoted line break;
            # the serial one can (slower, so only when needed)
            con.execute("DROP TABLE IF EXISTS reject_errors")
            con.execute("DROP TABLE IF EXISTS reject_scans")
            con.execute(load.replace(" PARALLEL", ", parallel = false"))
        # rowid is the position in file order (insertion order is preserved): cheaper
        # than row_number() over a million rows
        con.execute(f"CREATE TEMP VIEW {table} AS SELECT rowid + 2 AS rn, * FROM {table}_raw")
        rejected = [
            int(r[0])
            for r in con.execute("SELECT DISTINCT line FROM reject_errors ORDER BY 1").fetchall()
        ]
    except Exception as exc:  # duckdb.Error; its classes are not imported at module level
        raise InputError(path, f"cannot read the file as CSV: {str(exc).splitlines()[0]}") from exc
    return rejected


def _field_sql(f: Field, cell: str) -> tuple[list[str], list[str], list[str]]:
    """The SQL of one field in the three steps of `load_csv`: the raw cell (`_x`) and its
    plain parse (`_c`); the value; the value range-checked, and whether the cell was set.

    Almost every cell parses as it stands, so it is trimmed only when that fails: trimming
    every timestamp before its cast took a third of a million-row load. Each trimmed form
    is written once per step, because DuckDB computes an expression that a step repeats
    for every row, outside the CASE that guards it (hence `ltrim` for the set test: a
    cell is set when something is left after its leading spaces are cut)."""
    a, x, c = f.alias, f"{f.alias}_x", f"{f.alias}_c"
    if f.kind == "text":
        return [f"{cell} AS {x}"], [f"nullif(trim({x}), '') AS {a}"], [a]
    if f.kind == "time":
        cast = f"try_cast({cell} AS TIMESTAMPTZ)"
        value = "epoch(" + _unless_parsed(c, x, f"try_cast(trim({x}) AS TIMESTAMPTZ)") + ")"
        check = f"CASE WHEN {a} BETWEEN {EARLIEST} AND {LATEST} THEN {a} END AS {a}"
    elif f.kind == "number":
        cast = f"try_cast({cell} AS DOUBLE)"
        value = _unless_parsed(c, x, f"try_cast(trim({x}) AS DOUBLE)")
        check = a
    else:  # flag: the exact words first (1 yes, 0 no), the rest trimmed and lowered
        yes = " OR ".join(f"{cell} = {literal(w)}" for w in TRUE_WORDS)
        no = " OR ".join(f"{cell} = {literal(w)}" for w in FALSE_WORDS)
        cast = f"CASE WHEN {yes} THEN 1 WHEN {no} THEN 0 END"
        value = _unless_parsed(c, x, flag(f"nullif(trim({x}), '')"), parsed=f"{c} = 1")
        check = a
    is_set = _unless_parsed(c, x, f"ltrim({x}) <> ''", parsed=f"{c} IS NOT NULL")
    return (
        [f"{cell} AS {x}", f"{cast} AS {c}"],
        [f"{value} AS {a}", f"{is_set} AS {a}_set"],
        [check, f"{a}_set"],
    )


def _unless_parsed(parse: str, raw: str, otherwise: str, parsed: str | None = None) -> str:
    """SQL: `parsed` (default: the plain parse) where the plain parse worked or the cell is
    NULL, else `otherwise` (the slow path, evaluated only for those rows)."""
    return (
        f"(CASE WHEN {parse} IS NOT NULL OR {raw} IS NULL THEN {parsed or parse} "
        f"ELSE {otherwise} END)"
    )


TRUE_WORDS = ("true", "yes", "y", "1")
FALSE_WORDS = ("false", "no", "n", "0")


def flag(text: str) -> str:
    """SQL: the cell as a boolean: a yes/no word or a count (> 0 = true); NULL otherwise."""
    yes = ", ".join(literal(w) for w in TRUE_WORDS)
    no = ", ".join(literal(w) for w in FALSE_WORDS)
    return (
        f"(CASE WHEN lower({text}) IN ({yes}) THEN true WHEN lower({text}) IN ({no}) "
        f"THEN false ELSE try_cast({text} AS DOUBLE) > 0 END)"
    )


def real_rows(rows: Sequence[int], rejected: Sequence[int]) -> list[int]:
    """Row numbers counted among the rows read, made file row numbers again by stepping
    over each rejected row at or before them (rows and rejected both sorted)."""
    out = []
    for row in rows:
        real = row
        for line in rejected:
            if line <= real:
                real += 1
        out.append(real)
    return out


def add_days_table(
    con: duckdb.DuckDBPyConnection, calendar: WorkingCalendar, first: float, last: float
) -> float:
    """The table `days` of every local day from the instant `first` to `last` (seconds since
    the epoch), two days to spare at each end; returns the instant the table starts.

    Row `idx` is the day numbered `floor((t - table start) / 86400)`, which is the day of t
    or a neighbour (a local day is 23 to 25 hours long, and the offsets of a zone differ by
    hours, not days). So each row carries its own day and both neighbours: W(t) is then one
    hash join on an integer away, instead of an ASOF join (twice as slow at a million rows).
    """
    two = datetime.timedelta(days=2)
    days = calendar.days_between(calendar.local_date(first) - two, calendar.local_date(last) + two)
    rows = []
    for i in range(1, len(days) - 1):
        row: list[float] = [i - 1, days[i].start, days[i + 1].start]
        for day in (days[i - 1], days[i], days[i + 1]):
            row += [day.before, day.window_start, day.window_end]
        rows.append(row)
    columns = ", ".join(
        ["idx BIGINT", "start DOUBLE", "next DOUBLE"]
        + [f"{k}{n} DOUBLE" for n in ("p", "d", "n") for k in ("before_", "opens_", "closes_")]
    )
    insert(con, "days", columns, rows)
    return float(days[1].start)


def elapsed(day: str, instant: str) -> str:
    """SQL: W(t), the working seconds up to the instant `instant`, from the row `day` of
    `days` joined to it (see `day_joins`): of the day before, the day or the day after,
    whichever holds the instant."""

    def part(n: str) -> str:
        opens, closes = f"{day}.opens_{n}", f"{day}.closes_{n}"
        return f"({day}.before_{n} + least(greatest({instant} - {opens}, 0), {closes} - {opens}))"

    return (
        f"(CASE WHEN {instant} < {day}.start THEN {part('p')} "
        f"WHEN {instant} >= {day}.next THEN {part('n')} ELSE {part('d')} END)"
    )


def duration_sql(
    calendar: WorkingCalendar, start: str, end: str, start_day: str, end_day: str
) -> str:
    """SQL: seconds from instant `start` to `end` that count (working or calendar time)."""
    if not calendar.working_time:
        return f"({end} - {start})"
    return f"({elapsed(end_day, end)} - {elapsed(start_day, start)})"


def day_joins(
    calendar: WorkingCalendar, pairs: Sequence[tuple[str, str]], origin: float = 0.0
) -> str:
    """SQL: the joins that give each instant in `pairs` (instant, alias) its row of `days`
    (`origin`: what add_days_table returned)."""
    if not calendar.working_time:
        return ""
    return " ".join(
        f"LEFT JOIN days {alias} ON {alias}.idx = "
        f"CAST(floor(({instant} - {origin!r}) / 86400) AS BIGINT)"
        for instant, alias in pairs
    )


def period_bounds(calendar: WorkingCalendar, period: Period) -> tuple[float, float]:
    """The instants where the period's first day starts and the day after its last starts."""
    one = datetime.timedelta(days=1)
    start = datetime.datetime.combine(period.first, datetime.time(0), calendar.tz)
    end = datetime.datetime.combine(period.last + one, datetime.time(0), calendar.tz)
    return start.timestamp(), end.timestamp()


def period_of(calendar: WorkingCalendar, first: float, last: float) -> Period:
    """The period from the local date of instant `first` to that of `last`."""
    return Period(calendar.local_date(first), calendar.local_date(last))


def first_rows(
    con: duckdb.DuckDBPyConnection, table: str, reason: str, rejected: Sequence[int]
) -> dict[str, tuple[int, list[int]]]:
    """Per value of the column `reason` (non-NULL): how many rows, and the first 20 of them."""
    counts = dict(
        con.execute(
            f"SELECT {reason}, count(*) FROM {table} WHERE {reason} IS NOT NULL GROUP BY 1"
        ).fetchall()
    )
    firsts: dict[str, list[int]] = {k: [] for k in counts}
    for key, row in con.execute(
        f"SELECT {reason}, rn FROM (SELECT {reason}, rn, row_number() OVER "
        f"(PARTITION BY {reason} ORDER BY rn) AS k FROM {table} WHERE {reason} IS NOT NULL) "
        "WHERE k <= 20 ORDER BY 1, 2"
    ).fetchall():
        firsts[key].append(int(row))
    return {k: (int(n), real_rows(firsts[k], rejected)) for k, n in counts.items()}


def insert(
    con: duckdb.DuckDBPyConnection, table: str, columns: str, values: Sequence[Sequence[Any]]
) -> None:
    """Create `table` (`columns` as in CREATE TABLE: `name TYPE, ...`) holding `values`, in
    one statement: each column bound as one list and unnested (`executemany` inserts row by
    row, half a second for 6,000 name pairs; a VALUES list as SQL text took 50 ms for 700)."""
    con.execute(f"CREATE TEMP TABLE {table} ({columns})")
    types = [column.split()[1] for column in columns.split(",")]
    convert = [_PYTHON_TYPES.get(kind, str) for kind in types]
    lists = [
        [None if row[i] is None else convert[i](row[i]) for row in values]
        for i in range(len(types))
    ]
    unnested = ", ".join(f"unnest(${i + 1}::{kind}[])" for i, kind in enumerate(types))
    con.execute(f"INSERT INTO {table} SELECT {unnested}", lists)


_PYTHON_TYPES: dict[str, Any] = {"DOUBLE": float, "INTEGER": int, "BIGINT": int, "BOOLEAN": bool}


def rows(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()
) -> list[tuple[Any, ...]]:
    """The result rows of a query."""
    return con.execute(sql, list(params)).fetchall()

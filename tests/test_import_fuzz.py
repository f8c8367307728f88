"""An importer never raises on bad rows: random and mutated cells are counted and skipped."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_fixtures import ORG

from icmap.api import load
from icmap.importing.calendar import WorkingCalendar
from icmap.importing.common import ImportOptions
from icmap.importing.events import import_events
from icmap.importing.fragment import write_fragment
from icmap.importing.survey import SurveyColumns, import_survey
from icmap.importing.tickets import import_tickets

NAMES = [
    "desk",
    "it",
    "IT Helpdesk",
    "Group 4",
    "Sales",
    "Operations",
    "legal",
    "client",
    "Nobody",
    "",
]
STAMPS = [
    "2026-10-05T09:00:00Z",
    "2026-10-05 17:30",
    "2026-10-25T02:30:00",  # the hour Berlin lives twice
    "2026-03-29T02:30:00",  # the hour Berlin skips
    "2026-10-06T09:00:00.123+05:30",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "2026-02-30T09:00:00Z",
    "yesterday",
    "",
    "1790838000",
]
junk = st.binary(max_size=12).map(lambda b: b.decode("latin-1"))
cell = st.one_of(st.sampled_from(NAMES), st.sampled_from(STAMPS), st.text(max_size=8), junk)
stamp = st.one_of(st.sampled_from(STAMPS), cell)
name = st.one_of(st.sampled_from(NAMES), cell)
number = st.one_of(st.sampled_from(["1", "5", "0", "-3", "7.5", "nan", "inf", "yes", ""]), cell)

FUZZ = settings(
    max_examples=int(__import__("os").environ.get("ICMAP_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
ORG_MODEL = None


def org():  # type: ignore[no-untyped-def]
    global ORG_MODEL
    if ORG_MODEL is None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "org.yaml"
            calendar = '  working_hours: "09:00-17:00"\n  timezone: Europe/Berlin\n'
            path.write_text(ORG.replace("settings:\n", "settings:\n" + calendar), encoding="utf-8")
            ORG_MODEL = load(str(path))
    return ORG_MODEL


def write_rows(header: str, rows: list[list[str]], mutate: bytes) -> str:
    """The rows as CSV bytes (no quoting: cells may break the row), with `mutate` spliced in."""
    body = "\n".join(",".join(r) for r in rows).encode("utf-8", "surrogateescape")
    if mutate and body:
        at = len(body) // 2
        body = body[:at] + mutate + body[at:]
    with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as handle:
        handle.write(header.encode() + b"\n" + body + b"\n")
    return handle.name


def check_report(result) -> None:  # type: ignore[no-untyped-def]
    report = result.report
    assert report.rows_used + report.rows_skipped == report.rows_read
    write_fragment(result.measurements, command="c", source="s", period=result.period)


@FUZZ
@given(
    st.lists(st.tuples(name, name, stamp, stamp, stamp, number, number), max_size=12),
    st.binary(max_size=6),
    st.booleans(),
)
def test_tickets_never_raise(rows: list[tuple[str, ...]], mutate: bytes, working: bool) -> None:
    path = write_rows(
        "requester,provider,opened,first_response,resolved,reopened,rating",
        [list(r) for r in rows],
        mutate,
    )
    calendar = WorkingCalendar("Europe/Berlin", (540, 1020) if working else None)
    try:
        check_report(import_tickets(path, org(), ImportOptions(calendar)))
    finally:
        Path(path).unlink()


@FUZZ
@given(
    st.lists(st.tuples(st.sampled_from(["A", "B", ""]), name, stamp, stamp), max_size=12),
    st.binary(max_size=6),
    st.booleans(),
)
def test_events_never_raise(rows: list[tuple[str, ...]], mutate: bytes, working: bool) -> None:
    path = write_rows(
        "case:concept:name,org:group,start_timestamp,time:timestamp",
        [list(r) for r in rows],
        mutate,
    )
    calendar = WorkingCalendar("Europe/Berlin", (540, 1020) if working else None)
    try:
        check_report(import_events(path, org(), ImportOptions(calendar)))
    finally:
        Path(path).unlink()


@FUZZ
@given(st.lists(st.tuples(name, name, number, number), max_size=12), st.binary(max_size=6))
def test_surveys_never_raise(rows: list[tuple[str, ...]], mutate: bytes) -> None:
    path = write_rows("rater,supplier,q1,q2", [list(r) for r in rows], mutate)
    try:
        columns = SurveyColumns(dimensions=("q1", "q2"))  # junk must not decide what they are
        check_report(import_survey(path, org(), ImportOptions(), columns, min_responses=1))
    finally:
        Path(path).unlink()

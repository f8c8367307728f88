"""`icmap import tickets`: every figure on a log small enough to compute by hand."""

from __future__ import annotations

from pathlib import Path

from import_fixtures import fragment, org, write

from icmap.importing.calendar import WorkingCalendar
from icmap.importing.common import ImportOptions
from icmap.importing.figures import Period
from icmap.importing.fragment import write_fragment
from icmap.importing.tickets import TicketColumns, import_tickets

# Five requests of desk to it (names by id, alias and name, any case), then three bad rows.
LOG = """\
requester,provider,opened,first_response,resolved,reopened,rating
desk,it,2026-10-05T09:00:00Z,2026-10-05T10:00:00Z,2026-10-06T09:00:00Z,no,10
desk,it,2026-10-07T09:00:00Z,,2026-10-07T11:00:00Z,yes,5
desk,IT,2026-10-09T09:00:00Z,2026-10-09T12:00:00Z,2026-10-09T15:00:00Z,0,
FD,Group 4,2026-10-12T09:00:00Z,,2026-10-12T13:00:00Z,false,0
 front desk ,it helpdesk,2026-10-18T08:00:00Z,2026-10-18T18:00:00Z,,no,7.5
Nobody,it,2026-10-06T09:00:00Z,,2026-10-06T10:00:00Z,no,
desk,it,yesterday,,2026-10-06T10:00:00Z,no,
desk,it,2026-10-06T09:00:00Z,,2026-10-06T08:00:00Z,no,
"""


def run(tmp_path: Path, log: str = LOG, **kwargs: object):  # type: ignore[no-untyped-def]
    path = write(tmp_path, "tickets.csv", log)
    options = kwargs.pop("options", ImportOptions())
    return import_tickets(str(path), org(tmp_path), options, **kwargs)  # type: ignore[arg-type]


def test_every_figure_of_a_pair(tmp_path: Path) -> None:
    result = run(tmp_path, rating_scale=(0.0, 10.0))
    (m,) = result.measurements
    assert (m.supplier, m.customer) == ("it", "desk")
    # response times: 1 h (first response), 2 h (resolved: no first response), 3 h, 4 h, 10 h
    assert m.samples == 5
    assert m.actual == (1 + 2 + 3 + 4 + 10) / 5  # 4 h
    # p90, linear between closest ranks: rank 0.9 × (5 − 1) = 3.6 -> 4 h + 0.6 × (10 − 4) h
    assert abs(m.actual_p90 - 7.6) < 1e-9  # type: ignore[operator]
    # period 2026-10-05..2026-10-18 = 14 days = 2 weeks: 5 requests ÷ 2 = 2.5 a week
    assert result.period == Period(*(__import__("datetime").date(2026, 10, d) for d in (5, 18)))
    assert m.volume == 2.5
    # reopened: yes in 1 of 5 rows -> 1 − 1/5 = 80 %
    assert m.complete_accurate == 0.8
    # standard 4 h: 1, 2, 3 and 4 h are within it, 10 h is not -> 4/5
    assert m.within_standard == 0.8
    # ratings 10, 5, 0, 7.5 on 0-10 (one row unrated): mean 22.5 / 4 = 5.625,
    # onto 1-5: 1 + 5.625 × (5 − 1) / 10 = 3.25
    assert m.satisfaction == 3.25
    assert m.responses == 4


def test_the_fragment_written(tmp_path: Path) -> None:
    result = run(tmp_path, rating_scale=(0.0, 10.0))
    text = write_fragment(
        result.measurements, command="import tickets", source="tickets.csv", period=result.period
    )
    assert text == (
        "# Measured by `icmap import tickets` from tickets.csv; import again rather than edit.\n"
        "measurements:\n"
        "  - supplier: it\n"
        "    customer: desk\n"
        "    actual: 4h\n"
        "    actual_p90: 7h 36m\n"  # 7.6 h
        "    volume: 2.5\n"
        "    complete_accurate: 80%\n"
        "    within_standard: 80%\n"
        "    satisfaction: 3.25\n"
        "    responses: 4\n"
        "    samples: 5\n"
        "    period: [2026-10-05, 2026-10-18]\n"
        "    source: tickets.csv\n"
    )


def test_bad_rows_are_counted_with_their_row_numbers(tmp_path: Path) -> None:
    report = run(tmp_path).report
    # header = row 1, so the eight data rows are rows 2-9
    assert (report.rows_read, report.rows_used, report.rows_skipped) == (8, 5, 3)
    assert {k: (t.count, t.rows) for k, t in report.skipped.items()} == {
        "requester matches no unit": (1, [7]),
        "opened is not a timestamp": (1, [8]),
        "response before opened (negative response time)": (1, [9]),
    }
    (unmatched,) = report.unmatched
    assert (unmatched.column, unmatched.name, unmatched.count) == ("requester", "Nobody", 1)


def test_did_you_mean_for_a_misspelt_name(tmp_path: Path) -> None:
    log = "requester,provider,opened,resolved\nFront Dsk,it,2026-10-05T09:00Z,2026-10-05T10:00Z\n"
    (unmatched,) = run(tmp_path, log).report.unmatched
    assert unmatched.suggestion == "Front Desk"


def test_without_the_optional_columns_their_figures_are_left_out(tmp_path: Path) -> None:
    log = (
        "requester,provider,opened,resolved\n"
        "desk,legal,2026-10-05T09:00Z,2026-10-05T10:30Z\n"  # 1.5 h
        "desk,legal,2026-10-05T09:00Z,2026-10-05T09:30Z\n"  # 0.5 h
    )
    (m,) = run(tmp_path, log).measurements
    assert (m.actual, m.samples) == (1.0, 2)  # (1.5 + 0.5) / 2
    # p90 of [0.5, 1.5]: rank 0.9 × 1 = 0.9 -> 0.5 + 0.9 × 1.0 = 1.4 h
    assert abs(m.actual_p90 - 1.4) < 1e-9  # type: ignore[operator]
    # one day of requests: weeks = max(1, 1 / 7) = 1 -> 2 a week
    assert m.volume == 2
    # no reopened, rating column; desk -> legal has no standard
    assert (m.complete_accurate, m.within_standard, m.satisfaction, m.responses) == (
        None,
        None,
        None,
        None,
    )


def test_a_reopened_count_above_zero_means_reopened(tmp_path: Path) -> None:
    rows = "".join(
        f"desk,legal,2026-10-05T09:00Z,2026-10-05T10:00Z,{cell}\n"
        for cell in ("2", "0", "TRUE", "No", "maybe")
    )
    result = run(tmp_path, "requester,provider,opened,resolved,reopened\n" + rows)
    (m,) = result.measurements
    # readable cells: 2 (yes), 0, TRUE (yes), No -> 2 of 4 reopened -> 50 %; `maybe` ignored
    assert m.complete_accurate == 0.5
    (ignored,) = result.report.ignored.values()
    assert (ignored.count, ignored.rows) == (1, [6])


def test_a_grouping_requester_goes_to_its_one_role_that_depends_on_the_provider(
    tmp_path: Path,
) -> None:
    log = (
        "requester,provider,opened,resolved\n"
        "Sales,it,2026-10-05T09:00Z,2026-10-05T11:00Z\n"  # only desk depends on it: desk
        "Operations,it,2026-10-05T09:00Z,2026-10-05T10:00Z\n"  # planner and buyer: ambiguous
        "Operations,legal,2026-10-05T09:00Z,2026-10-05T10:00Z\n"  # nobody in ops: ambiguous
    )
    result = run(tmp_path, log)
    assert [(m.supplier, m.customer, m.actual) for m in result.measurements] == [
        ("it", "desk", 2.0)
    ]
    assert result.report.ambiguous == [
        ("it", "Operations", "grouping ops: several of its roles depend on it (buyer, planner)"),
        ("legal", "Operations", "grouping ops: none of its roles depends on legal"),
    ]
    assert result.report.rows_skipped == 2


def test_a_handoff_the_org_does_not_declare_is_reported_not_written(tmp_path: Path) -> None:
    log = (
        "requester,provider,opened,resolved\n"
        "legal,it,2026-10-05T09:00Z,2026-10-05T11:00Z\n"
        "legal,it,2026-10-06T09:00Z,2026-10-06T11:00Z\n"
    )
    result = run(tmp_path, log)
    assert result.measurements == ()
    (u,) = result.report.undeclared
    # 2 requests over 2 days -> 1 week at least -> 2 a week
    assert (u.supplier, u.customer, u.samples, u.volume) == ("it", "legal", 2, 2.0)


def test_the_period_filters_on_opened_and_sets_the_weeks(tmp_path: Path) -> None:
    options = ImportOptions(
        period=Period(*map(__import__("datetime").date.fromisoformat, ("2026-10-05", "2026-10-11")))
    )
    result = run(tmp_path, options=options)
    (m,) = result.measurements
    # opened 5, 7, 9 Oct are inside; 12 and 18 Oct are not; bad rows are skipped first
    assert m.samples == 3
    assert m.actual == 2.0  # (1 + 2 + 3) / 3
    assert m.volume == 3.0  # 7 days = 1 week
    assert result.report.skipped["opened outside the period"].rows == [5, 6]


def test_working_time_and_local_timestamps(tmp_path: Path) -> None:
    log = (
        "requester,provider,opened,resolved\n"
        # Fri 16:00 CEST -> Mon 10:00 CET (written without an offset: Berlin time):
        # 1 h on Friday + 1 h on Monday = 2 h of working time
        "desk,legal,2026-10-23 16:00,2026-10-26 10:00\n"
        # the same instants with offsets: Tue 16:30 -> Wed 09:30 = 0.5 h + 0.5 h = 1 h
        "desk,legal,2026-10-20T14:30:00Z,2026-10-21T09:30:00+02:00\n"
    )
    path = write(tmp_path, "t.csv", log)
    model = org(tmp_path, settings='  working_hours: "09:00-17:00"\n  timezone: Europe/Berlin\n')
    working = WorkingCalendar("Europe/Berlin", (540, 1020))
    (m,) = import_tickets(str(path), model, ImportOptions(working)).measurements
    assert m.actual == 1.5  # (2 + 1) / 2
    calendar = WorkingCalendar("Europe/Berlin")
    (m,) = import_tickets(str(path), model, ImportOptions(calendar)).measurements
    # calendar time: 67 h (the clocks went back) and 17 h (16:30 -> 09:30 next day): 42 h
    assert m.actual == 42.0


def test_other_column_names(tmp_path: Path) -> None:
    log = "Who;To whom;Start;End\ndesk;legal;2026-10-05T09:00Z;2026-10-05T10:00Z\n"
    columns = TicketColumns(requester="Who", provider="To whom", opened="start", resolved="End")
    (m,) = run(tmp_path, log, columns=columns).measurements  # `;` separated, any case
    assert (m.supplier, m.customer, m.actual) == ("legal", "desk", 1.0)


def test_same_input_same_bytes(tmp_path: Path) -> None:
    shuffled = LOG.splitlines()
    shuffled = [shuffled[0], *reversed(shuffled[1:])]
    texts = []
    for log in (LOG, "\n".join(shuffled) + "\n"):
        result = run(tmp_path, log, rating_scale=(0.0, 10.0))
        texts.append(
            write_fragment(result.measurements, command="c", source="s", period=result.period)
        )
    assert texts[0] == texts[1]
    assert fragment(texts[0])[("it", "desk")]["samples"] == 5

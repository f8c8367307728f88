"""`icmap import events`: the handoff rules and every figure, on logs computed by hand."""

from __future__ import annotations

import datetime
import gzip
from pathlib import Path

import pytest
from import_fixtures import org

from icmap.importing import engine
from icmap.importing import events as events_module
from icmap.importing.common import ImportOptions
from icmap.importing.engine import InputError
from icmap.importing.events import import_events
from icmap.importing.figures import Period
from icmap.importing.fragment import write_fragment

HEADER = "case:concept:name,concept:name,org:group,start_timestamp,time:timestamp\n"
# Case A: it, it (work inside it), desk (start 11:00), it, desk.
# Case B, written out of order: legal, Nobody (dropped), desk starting before legal's
# completion, then clerk and desk both completing at 12:00 (file order breaks the tie).
LOG = HEADER + (
    "A,triage,it,,2026-10-05T09:00:00Z\n"  # row 2
    "A,fix,it,,2026-10-05T10:00:00Z\n"  # row 3
    "B,check,desk,2026-10-08T08:30:00Z,2026-10-08T10:00:00Z\n"  # row 4
    "A,answer,desk,2026-10-05T11:00:00Z,2026-10-05T12:00:00Z\n"  # row 5
    "A,redo,it,,2026-10-05T14:00:00Z\n"  # row 6
    "A,close,Front Desk,,2026-10-05T17:00:00Z\n"  # row 7
    "B,review,legal,,2026-10-08T09:00:00Z\n"  # row 8
    "B,chat,Nobody,,2026-10-08T09:30:00Z\n"  # row 9
    "B,file,clerk,,2026-10-08T12:00:00Z\n"  # row 10
    "B,sign,desk,,2026-10-08T12:00:00Z\n"  # row 11
    ",orphan,desk,,2026-10-08T12:00:00Z\n"  # row 12: no case
    "B,late,desk,,not a time\n"  # row 13
)


def run(tmp_path: Path, log: str = LOG, name: str = "events.csv", **options: object):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    if name.endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8") as out:
            out.write(log)
    else:
        path.write_text(log, encoding="utf-8")
    return import_events(str(path), org(tmp_path), ImportOptions(**options))  # type: ignore[arg-type]


def figures(result):  # type: ignore[no-untyped-def]
    return {
        (m.supplier, m.customer): (
            m.samples,
            m.actual,
            round(m.actual_p90, 6),
            m.volume,
            m.complete_accurate,
        )
        for m in result.measurements
    }


def test_handoffs_their_times_and_sent_back_shares(tmp_path: Path) -> None:
    result = run(tmp_path)
    # Case A in time order: it 09:00, it 10:00 (work inside it: no handoff),
    #   desk (start 11:00, done 12:00): it -> desk, 11:00 − 10:00 = 1 h (from its start)
    #   it 14:00 (no start):            desk -> it, 14:00 − 12:00 = 2 h (undeclared)
    #   desk 17:00 (no start):          it -> desk, 17:00 − 14:00 = 3 h
    #   the first it -> desk is followed by desk -> it: sent back; the second is not.
    # Case B: legal 09:00, (Nobody dropped), desk starting 08:30, done 10:00:
    #   legal -> desk, 08:30 − 09:00 < 0 -> 0 h; then clerk 12:00 (file order before desk):
    #   desk -> clerk 2 h, then desk 12:00: clerk -> desk 0 h (undeclared), so
    #   desk -> clerk was sent back.
    # Period: first events of the cases, 5 Oct and 8 Oct: 4 days -> 1 week.
    assert figures(result) == {
        # 2 handoffs, mean (1 + 3) / 2 = 2 h, p90 1 + 0.9 × (3 − 1) = 2.8 h, 2 a week,
        # 1 of 2 sent back -> 50 %
        ("it", "desk"): (2, 2.0, 2.8, 2.0, 0.5),
        ("legal", "desk"): (1, 0.0, 0.0, 1.0, 1.0),
        ("desk", "clerk"): (1, 2.0, 2.0, 1.0, 0.0),
    }
    assert result.period == Period(datetime.date(2026, 10, 5), datetime.date(2026, 10, 8))
    report = result.report
    assert sorted((u.supplier, u.customer, u.samples) for u in report.undeclared) == [
        ("clerk", "desk", 1),
        ("desk", "it", 1),
    ]


# The same events as LOG, written as most exports are: each case's events together, in
# time order (clerk before desk at 12:00, as in LOG), so they are read without a sort.
IN_CASE_ORDER = HEADER + (
    "A,triage,it,,2026-10-05T09:00:00Z\n"
    "A,fix,it,,2026-10-05T10:00:00Z\n"
    "A,answer,desk,2026-10-05T11:00:00Z,2026-10-05T12:00:00Z\n"
    "A,redo,it,,2026-10-05T14:00:00Z\n"
    "A,close,Front Desk,,2026-10-05T17:00:00Z\n"
    "B,review,legal,,2026-10-08T09:00:00Z\n"
    "B,chat,Nobody,,2026-10-08T09:30:00Z\n"
    "B,check,desk,2026-10-08T08:30:00Z,2026-10-08T10:00:00Z\n"
    "B,file,clerk,,2026-10-08T12:00:00Z\n"
    "B,sign,desk,,2026-10-08T12:00:00Z\n"
)


def test_a_log_in_case_order_gives_the_figures_of_the_same_log_out_of_order(
    tmp_path: Path,
) -> None:
    result = run(tmp_path, IN_CASE_ORDER)
    # the figures of test_handoffs_their_times_and_sent_back_shares, worked out there
    assert figures(result) == {
        ("it", "desk"): (2, 2.0, 2.8, 2.0, 0.5),
        ("legal", "desk"): (1, 0.0, 0.0, 1.0, 1.0),
        ("desk", "clerk"): (1, 2.0, 2.0, 1.0, 0.0),
    }
    assert result.period == Period(datetime.date(2026, 10, 5), datetime.date(2026, 10, 8))
    assert sorted((u.supplier, u.customer, u.samples) for u in result.report.undeclared) == [
        ("clerk", "desk", 1),
        ("desk", "it", 1),
    ]
    # desk and clerk swapped at 12:00: file order breaks the tie the other way. Case B is
    # then legal 09:00, desk 10:00, desk 12:00 (work inside desk), clerk 12:00:
    #   desk -> clerk, 12:00 − 12:00 = 0 h, the case's last handoff: not sent back;
    #   no clerk -> desk any more
    swapped = IN_CASE_ORDER.replace(
        "B,file,clerk,,2026-10-08T12:00:00Z\nB,sign,desk,,2026-10-08T12:00:00Z\n",
        "B,sign,desk,,2026-10-08T12:00:00Z\nB,file,clerk,,2026-10-08T12:00:00Z\n",
    )
    result = run(tmp_path, swapped)
    assert figures(result) == {
        ("it", "desk"): (2, 2.0, 2.8, 2.0, 0.5),
        ("legal", "desk"): (1, 0.0, 0.0, 1.0, 1.0),
        ("desk", "clerk"): (1, 0.0, 0.0, 1.0, 1.0),
    }
    assert [(u.supplier, u.customer) for u in result.report.undeclared] == [("desk", "it")]


def test_a_log_read_in_parts_side_by_side_gives_the_same_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A million-row log is cut into one part per thread, each beginning with a case; here
    # a small log is cut so (three threads: the sorted events A A A A A | B B B B B ...)
    monkeypatch.setattr(events_module, "PARALLEL_ROWS", 0)
    connect = engine.connect

    def three_threads(calendar):  # type: ignore[no-untyped-def]
        con = connect(calendar)
        con.execute("SET threads = 3")
        return con

    monkeypatch.setattr(engine, "connect", three_threads)
    cuts = []
    case_parts = events_module._case_parts
    monkeypatch.setattr(
        events_module,
        "_case_parts",
        lambda con, rows: cuts.append(case_parts(con, rows)) or cuts[-1],
    )
    result = run(tmp_path)
    # 12 events read, sorted by case (A's 5, B's 6, the one without a case last): even
    # shares from row ids 4 and 8 on; the case changes at 5 (A -> B) and at 11 (B -> none)
    assert cuts == [[(0, 5), (5, 11), (11, 12)]]
    # the figures of test_handoffs_their_times_and_sent_back_shares, worked out there
    assert figures(result) == {
        ("it", "desk"): (2, 2.0, 2.8, 2.0, 0.5),
        ("legal", "desk"): (1, 0.0, 0.0, 1.0, 1.0),
        ("desk", "clerk"): (1, 2.0, 2.0, 1.0, 0.0),
    }
    assert result.period == Period(datetime.date(2026, 10, 5), datetime.date(2026, 10, 8))


def test_dropped_and_bad_events_are_counted(tmp_path: Path) -> None:
    report = run(tmp_path).report
    assert (report.rows_read, report.rows_used) == (12, 9)
    assert {k: (t.count, t.rows) for k, t in report.skipped.items()} == {
        "org:group matches no unit": (1, [9]),
        "case:concept:name is empty": (1, [12]),
        "time:timestamp is not a timestamp": (1, [13]),
    }
    assert [(u.name, u.count) for u in report.unmatched] == [("Nobody", 1)]


def test_observed_work_time_beside_the_lead_time(tmp_path: Path) -> None:
    report = run(tmp_path).report
    # desk has two events with a start: 11:00 -> 12:00 (1 h) and 08:30 -> 10:00 (1.5 h)
    ((unit, mean, events, lead),) = [
        (w.unit, w.mean_hours, w.events, w.lead_time_hours) for w in report.work_times
    ]
    assert (unit, mean, events, lead) == ("desk", 1.25, 2, 0.0)
    # 4 of the 6 handoffs have no start on the later event
    assert any("4 of 6 handoffs have no start_timestamp" in note for note in report.notes)


def test_the_period_keeps_whole_cases_by_their_first_event(tmp_path: Path) -> None:
    period = Period(datetime.date(2026, 10, 1), datetime.date(2026, 10, 7))
    result = run(tmp_path, period=period)
    # only case A began inside the period; case B's usable rows 4, 8, 10 and 11 are left out
    assert set(figures(result)) == {("it", "desk")}
    assert result.report.skipped["the case began outside the period"].rows == [4, 8, 10, 11]


def xes(events: list[tuple[str, list[tuple[str, str, str]]]]) -> str:
    """An XES log: (case, [(unit, start, complete)]) in the standard's elements."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<log xes.version="1.0" xmlns="http://www.xes-standard.org/">',
    ]
    out.append('<global scope="event"><string key="org:group" value="__INVALID__"/></global>')
    for case, items in events:
        out.append(f'<trace><string key="concept:name" value="{case}"/>')
        for unit, start, done in items:
            out.append("<event>")
            out.append(f'<string key="org:group" value="{unit}"/>')
            if start:
                out.append(f'<date key="start_timestamp" value="{start}"/>')
            out.append(f'<date key="time:timestamp" value="{done}"/>')
            out.append("</event>")
        out.append("</trace>")
    out.append("</log>")
    return "\n".join(out) + "\n"


def csv_of(events: list[tuple[str, list[tuple[str, str, str]]]]) -> str:
    rows = [
        f"{case},x,{unit},{start},{done}" for case, items in events for unit, start, done in items
    ]
    return HEADER + "\n".join(rows) + "\n"


CASES = [
    (
        "A",
        [
            ("it", "", "2026-10-05T09:00:00Z"),
            ("desk", "2026-10-05T09:30:00Z", "2026-10-05T10:00:00Z"),
        ],
    ),
    (
        "B",
        [("it", "", "2026-10-06T09:00:00+02:00"), ("Front Desk", "", "2026-10-06T11:00:00+02:00")],
    ),
]


@pytest.mark.parametrize("name", ["log.xes", "log.xes.gz", "log.csv.gz"])
def test_xes_and_compressed_logs_give_the_same_figures_as_csv(tmp_path: Path, name: str) -> None:
    text = csv_of(CASES) if name.endswith(".csv.gz") else xes(CASES)
    result = run(tmp_path, text, name)
    # A: it -> desk 09:30 − 09:00 = 0.5 h; B: 11:00 − 09:00 = 2 h: mean 1.25 h
    assert figures(result) == {("it", "desk"): (2, 1.25, round(0.5 + 0.9 * 1.5, 6), 2.0, 1.0)}
    plain = run(tmp_path, csv_of(CASES), "plain.csv")
    assert write_fragment(result.measurements, command="c", source="s", period=result.period) == (
        write_fragment(plain.measurements, command="c", source="s", period=plain.period)
    )


def test_a_broken_xes_file_is_an_input_error_with_its_place(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        run(tmp_path, xes(CASES).replace("</trace>", "</trase>", 1), "broken.xes")
    assert caught.value.where.startswith(str(tmp_path / "broken.xes") + ":")
    assert "not well-formed XES" in caught.value.message


def test_a_log_without_a_needed_column_names_it(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        run(tmp_path, "case,org:group,time\nA,it,2026-10-05T09:00Z\n")
    assert caught.value.where.endswith("events.csv:1")
    assert "'case:concept:name' (--case names it" in caught.value.message
    assert "'time:timestamp' (--timestamp names it" in caught.value.message

"""The compact json report (above `INDENT_LIMIT` units) is written column by column into a
template, not by `json.dumps` of dicts: its bytes must be those `json.dumps` would give."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icmap.api import analyze, load
from icmap.report.analysis import json_report
from icmap.report.analysis._common import number
from icmap.report.analysis.json_report import (
    _as_is,
    _compact_records,
    report_head,
    unit_columns,
    write_json,
)

RETAIL = str(Path(__file__).parent.parent / "examples" / "retail" / "retail.yaml")


def test_unit_columns_are_in_sorted_key_order() -> None:
    columns = unit_columns(analyze(load(RETAIL)))
    assert list(columns) == sorted(columns)
    assert {len(raw) for raw, _ in columns.values()} == {16}  # one value per unit


def test_units_sort_after_every_other_key() -> None:
    head = report_head(analyze(load(RETAIL)))
    assert "units" not in head
    assert max(head) < "units"


def test_compact_report_holds_the_indented_report_in_json_dumps_bytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    analysis = analyze(load(RETAIL))
    indented = write_json(analysis)
    monkeypatch.setattr(json_report, "INDENT_LIMIT", 0)  # force the compact path
    compact = write_json(analysis)
    assert compact.count("\n") == 1
    assert indented.count("\n") > 100
    # The indented report goes through json.dumps(sort_keys=True) as a whole; compacting
    # it with json.dumps gives exactly what the column writer wrote.
    expected = json.dumps(json.loads(indented), sort_keys=True, separators=(",", ":"))
    assert compact == expected + "\n"


_ROW = st.tuples(
    st.booleans(),
    st.one_of(st.none(), st.floats(allow_nan=False), st.integers(-(10**6), 10**6)),
    st.one_of(st.none(), st.text()),  # quotes, backslashes, newlines, non-ASCII
    st.lists(st.sampled_from(["b", "a", "c\n", '"q"', "é"]), max_size=3).map(tuple),
    st.integers(),
)


@given(rows=st.lists(_ROW, max_size=25), per_piece=st.integers(1, 30))
def test_compact_records_are_json_dumps_bytes(
    rows: list[tuple[object, ...]], per_piece: int
) -> None:
    writers = (_as_is, number, _as_is, sorted, _as_is)
    keys = ("a_flag", "b_hours", 'c name "quoted"', "d_ids", "e_count")
    columns = {
        key: ([row[i] for row in rows], write)
        for i, (key, write) in enumerate(zip(keys, writers, strict=True))
    }
    records = [
        {key: write(raw[i]) for key, (raw, write) in columns.items()} for i in range(len(rows))
    ]
    expected = json.dumps(records, separators=(",", ":"), allow_nan=False)
    pieces = list(_compact_records(columns, per_piece))
    assert "[" + "".join(pieces) + "]" == expected
    # One piece per `per_piece` records, the last holding the rest: 25 rows by 10 = 3.
    assert len(pieces) == -(-len(rows) // per_piece)


def test_compact_records_write_zero_once_whatever_its_sign() -> None:
    # 0.0 == -0.0, so both fall on one distinct value; number() writes both as 0.0.
    columns = {"x_hours": ([-0.0, 0.0, 1e-9, -1e-9], number)}
    assert "".join(_compact_records(columns)).split(",") == ['{"x_hours":0.0}'] * 4


@pytest.mark.parametrize("fmt", ["json", "text", "markdown", "csv"])
def test_report_pieces_join_to_the_report(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # What `icmap analyze` writes: json in pieces (compact, as for a large org: its head,
    # its units, its end), the other formats whole; joined, each is write_report's text.
    from icmap.report.analysis import report_pieces, write_report

    monkeypatch.setattr(json_report, "INDENT_LIMIT", 0)
    analysis = analyze(load(RETAIL))
    pieces = list(report_pieces(analysis, fmt))
    assert "".join(pieces) == write_report(analysis, fmt)
    assert len(pieces) > 1 if fmt == "json" else len(pieces) == 1

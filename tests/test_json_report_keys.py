"""The compact json report writes unit records without `sort_keys`: their keys must already
be in sorted order, and `units` must sort after every other top-level key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from icmap.api import analyze, load
from icmap.report.analysis import json_report
from icmap.report.analysis.json_report import _unit, report_head, write_json

RETAIL = str(Path(__file__).parent.parent / "examples" / "retail" / "retail.yaml")


def test_unit_record_keys_are_built_sorted() -> None:
    analysis = analyze(load(RETAIL))
    known = {u.id: u for u in analysis.org.units}
    for figures in analysis.units:
        for record in (_unit(figures, known.get(figures.id)), _unit(figures, None)):
            assert list(record) == sorted(record)


def test_units_sort_after_every_other_key() -> None:
    head = report_head(analyze(load(RETAIL)))
    assert "units" not in head
    assert max(head) < "units"


def test_compact_report_equals_a_fully_sorted_dump(monkeypatch: pytest.MonkeyPatch) -> None:
    analysis = analyze(load(RETAIL))
    monkeypatch.setattr(json_report, "INDENT_LIMIT", 0)  # force the compact path
    text = write_json(analysis)
    # The same data dumped with sort_keys everywhere gives the same bytes.
    expected = json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))
    assert text == expected + "\n"
    assert text.count("\n") == 1

"""`columns.records` builds the very records the dataclass constructor would."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass

import pytest

from icmap.analysis.columns import records
from icmap.analysis.result import ServiceBreach, UnitFigures


def test_records_equal_the_constructor_field_by_field() -> None:
    expected = [
        ServiceBreach("a", "b", 1.0, 4.0, 4.0),
        ServiceBreach("c", "d", 0.0, 1.0, float("inf"), "parts"),
    ]
    columns = {
        f.name: [getattr(e, f.name) for e in expected] for f in dataclasses.fields(ServiceBreach)
    }
    built = records(ServiceBreach, columns)
    assert built == expected
    assert [repr(b) for b in built] == [repr(e) for e in expected]
    assert [hash(b) for b in built] == [hash(e) for e in expected]
    assert pickle.loads(pickle.dumps(built)) == expected


def test_records_stay_frozen() -> None:
    (figures,) = records(
        UnitFigures, {f.name: [getattr(SAMPLE, f.name)] for f in dataclasses.fields(UnitFigures)}
    )
    assert figures == SAMPLE
    with pytest.raises(dataclasses.FrozenInstanceError):
        figures.es = 2.0  # type: ignore[misc]


def test_every_field_needs_a_column_of_the_same_length() -> None:
    columns: dict[str, list[object]] = {
        f.name: [getattr(SAMPLE, f.name)] for f in dataclasses.fields(UnitFigures)
    }
    del columns["critical_gap"]  # a field with a default is no exception
    with pytest.raises(KeyError):
        records(UnitFigures, columns)
    columns["critical_gap"] = [None, None]
    with pytest.raises(ValueError, match="length"):
        records(UnitFigures, columns)


def test_a_class_that_checks_its_fields_is_built_by_calling_it() -> None:
    @dataclass(frozen=True, slots=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    assert records(Checked, {"value": [1, 2]}) == [Checked(1), Checked(2)]
    with pytest.raises(ValueError, match="negative"):
        records(Checked, {"value": [1, -1]})


SAMPLE = UnitFigures(
    "a", 0.0, 4.0, 0.0, 4.0, 0.0, 0.0, True, ("client",), False, 0.9, 3, 1, True, (), 0.0
)

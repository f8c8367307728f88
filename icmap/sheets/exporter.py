"""`icmap export sheet`: an org as the sheets `icmap import sheet` reads back into the same org.

Durations are written as people write them (`1d 2h`, with the org's `hours_per_day`), or in
hours when they are not whole minutes; three-point estimates as `1h/2h/8h`; shares as
percentages. A figure that came from a measurement is written in the measurements sheet only
(one figure, one source). Included files are flattened into one book.
"""

from __future__ import annotations

import csv
import io
import math
from typing import Any

from icmap.model import (
    MEASURED_FIGURES,
    Dependency,
    Measurement,
    Org,
    Settings,
    ThreePoint,
    format_duration,
)
from icmap.sheets.columns import DEPENDENCY_COLUMNS, MEASUREMENT_COLUMNS, UNIT_COLUMNS

__all__ = ["csv_files", "sheet_rows", "workbook_bytes"]

Rows = list[list[Any]]


def sheet_rows(org: Org) -> dict[str, Rows]:
    """Sheet name -> rows (header first), for every sheet the org needs."""
    settings = org.settings
    sheets: dict[str, Rows] = {
        "units": [list(UNIT_COLUMNS), *_unit_rows(org)],
        "dependencies": [
            list(DEPENDENCY_COLUMNS),
            *(_dependency_row(d, settings) for d in org.dependencies),
        ],
    }
    if org.measurements:
        sheets["measurements"] = [
            list(MEASUREMENT_COLUMNS),
            *(_measurement_row(m, settings) for m in org.measurements),
        ]
    sheets["settings"] = [["key", "value"], *_settings_rows(org)]
    return sheets


def workbook_bytes(org: Org) -> bytes:
    """The org as an .xlsx workbook (openpyxl, write-only)."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for name, rows in sheet_rows(org).items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_files(org: Org, units_path: str) -> dict[str, str]:
    """Path -> CSV text: `units_path`, and `-dependencies`, `-measurements`, `-settings`
    files beside it (`org.csv` -> `org-dependencies.csv`, ...)."""
    stem = units_path[:-4] if units_path.lower().endswith(".csv") else units_path
    files = {}
    for name, rows in sheet_rows(org).items():
        path = units_path if name == "units" else f"{stem}-{name}.csv"
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for row in rows:
            writer.writerow(["" if v is None else _csv_text(v) for v in row])
        files[path] = buffer.getvalue()
    return files


def _csv_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _unit_rows(org: Org) -> Rows:
    settings = org.settings
    rows: Rows = []
    for c in org.external_customers:
        rows.append(
            _row(
                UNIT_COLUMNS,
                id=c.id,
                kind="external_customer",
                name=_name(c.id, c.name),
                description=c.description,
                deadline=_duration(c.deadline, settings),
                aliases=_joined(c.aliases),
            )
        )
    for d in org.departments:
        rows.append(
            _row(
                UNIT_COLUMNS,
                id=d.id,
                kind="department",
                name=_name(d.id, d.name),
                description=d.description,
                owner=d.owner,
                tags=_joined(d.tags),
                aliases=_joined(d.aliases),
            )
        )
    for u in org.units:
        lead = (
            _estimate(u.lead_time_estimate, settings)
            if u.lead_time_estimate is not None
            else _duration(u.lead_time or None, settings)
        )
        rows.append(
            _row(
                UNIT_COLUMNS,
                id=u.id,
                kind=u.kind,
                name=_name(u.id, u.name),
                department=u.department,
                description=u.description,
                lead_time=lead,
                process_time=_duration(u.process_time, settings),
                capacity=u.capacity,
                headcount=u.headcount,
                owner=u.owner,
                tags=_joined(u.tags),
                aliases=_joined(u.aliases),
            )
        )
    return rows


def _dependency_row(d: Dependency, settings: Settings) -> list[Any]:
    measured = {f for f in MEASURED_FIGURES if d.measured_by(f) is not None}

    def own(figure: str, value: Any) -> Any:
        return None if figure in measured else value

    actual = (
        _estimate(d.actual_estimate, settings)
        if d.actual_estimate is not None
        else _duration(d.actual, settings)
    )
    return _row(
        DEPENDENCY_COLUMNS,
        customer=d.customer,
        supplier=d.supplier,
        provides=d.provides,
        kind=d.kind,
        standard=_duration(d.standard, settings),
        actual=own("actual", actual),
        complete_accurate=own("complete_accurate", _percent(d.complete_accurate)),
        satisfaction=own("satisfaction", d.satisfaction),
        volume=own("volume", d.volume),
        feedback=True if d.feedback else None,
    )


def _measurement_row(m: Measurement, settings: Settings) -> list[Any]:
    actual = (
        _estimate(m.actual_estimate, settings)
        if m.actual_estimate is not None
        else _duration(m.actual, settings)
    )
    dimensions = ", ".join(f"{name}={_number(mean)}" for name, mean in m.dimensions) or None
    return _row(
        MEASUREMENT_COLUMNS,
        supplier=m.supplier,
        customer=m.customer,
        actual=actual,
        actual_p90=_duration(m.actual_p90, settings),
        volume=m.volume,
        complete_accurate=_percent(m.complete_accurate),
        within_standard=_percent(m.within_standard),
        satisfaction=m.satisfaction,
        responses=m.responses,
        dimensions=dimensions,
        samples=m.samples,
        period=None if m.period is None else f"{m.period[0]}..{m.period[1]}",
        source=m.source,
    )


def _settings_rows(org: Org) -> Rows:
    s = org.settings
    rows: Rows = [
        ["organization", org.name],
        ["time_unit", s.time_unit],
        ["hours_per_day", _number(s.hours_per_day)],
        ["days_per_week", _number(s.days_per_week)],
        [
            "satisfaction_scale",
            f"{_number(s.satisfaction_scale[0])}, {_number(s.satisfaction_scale[1])}",
        ],
        ["utilization_warning", _number(s.utilization_warning)],
    ]
    if s.working_hours is not None:
        start, end = s.working_hours
        rows.append(
            ["working_hours", f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"]
        )
    rows.append(["working_days", ", ".join(s.working_days)])
    rows.append(["timezone", s.timezone])
    defaults = Settings()
    if (s.simulation_runs, s.simulation_seed) != (
        defaults.simulation_runs,
        defaults.simulation_seed,
    ):
        rows.append(["simulation", f"runs={s.simulation_runs}, seed={s.simulation_seed}"])
    return rows


def _row(columns: tuple[str, ...], **values: Any) -> list[Any]:
    return [values.get(column) for column in columns]


def _name(ident: str, name: str) -> str | None:
    return None if not name or name == ident else name


def _joined(items: tuple[str, ...]) -> str | None:
    return ", ".join(items) if items else None


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _duration(hours: float | None, settings: Settings) -> str | None:
    """`1d 2h 30m` when the hours are whole minutes (they read back the same), else `1.2345h`."""
    if hours is None:
        return None
    minutes = hours * 60
    if math.isfinite(minutes) and abs(minutes - round(minutes)) < 1e-9:
        return format_duration(hours, settings)
    return f"{hours!r}h" if "e" not in repr(hours) else f"{hours:.15f}".rstrip("0") + "h"


def _estimate(estimate: ThreePoint, settings: Settings) -> str:
    points = (estimate.optimistic, estimate.likely, estimate.pessimistic)
    return "/".join(_duration(p, settings) or "0h" for p in points)


def _percent(share: float | None) -> str | None:
    if share is None:
        return None
    return f"{round(share * 100, 9):g}%"

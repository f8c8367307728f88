"""The csv report of `icmap analyze`: one row per unit with all its figures, for spreadsheets.

Only units get rows, so every row has the same meaning and columns sort and filter cleanly;
the external customers' finish times and deadlines are in the other formats.
Hours are plain numbers (up to 6 decimals), booleans `true`/`false`, lists joined with `;`,
an infinite utilization (capacity 0) is `inf`, an unknown figure is empty.
Text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a
spreadsheet shows a name such as `=HYPERLINK(...)` instead of running it as a formula.
"""

from __future__ import annotations

import csv
import io
import math

from icmap.analysis.result import Analysis, Bottleneck
from icmap.report.analysis._common import plain

COLUMNS = (
    "id",
    "name",
    "kind",
    "department",
    "lead_time_hours",
    "process_time_hours",
    "capacity",
    "es_hours",
    "ef_hours",
    "ls_hours",
    "lf_hours",
    "total_float_hours",
    "free_float_hours",
    "critical",
    "critical_for",
    "critical_gap_hours",
    "near_critical",
    "utilization",
    "downstream_units",
    "downstream_customers",
    "downstream_exact",
    "bottleneck_rank",
    "bottleneck_score",
    "spof_customers",
    "late_for",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_csv(analysis: Analysis) -> str:
    """The report as CSV text: a header row, then one row per unit sorted by id."""
    units = {u.id: u for u in analysis.org.units}
    ranked: dict[str, Bottleneck] = {b.id: b for b in analysis.bottlenecks}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for figures in sorted(analysis.units, key=lambda u: u.id):
        unit = units.get(figures.id)
        bottleneck = ranked.get(figures.id)
        writer.writerow(
            (
                text(figures.id),
                text(figures.id if unit is None else unit.label),
                "" if unit is None else unit.kind,
                text(unit.department if unit is not None and unit.department else ""),
                cell(None if unit is None else unit.lead_time),
                cell(None if unit is None else unit.process_time),
                cell(None if unit is None else unit.capacity),
                cell(figures.es),
                cell(figures.ef),
                cell(figures.ls),
                cell(figures.lf),
                cell(figures.total_float),
                cell(figures.free_float),
                flag(figures.critical),
                text(";".join(figures.critical_for)),
                cell(figures.critical_gap),
                flag(figures.near_critical),
                cell(figures.utilization),
                figures.downstream_units,
                figures.downstream_customers,
                flag(figures.downstream_exact),
                "" if bottleneck is None else bottleneck.rank,
                "" if bottleneck is None else cell(bottleneck.score),
                text(";".join(sorted(figures.single_point_of_failure_for))),
                text(figures.late_for or ""),
            )
        )
    return out.getvalue()


def text(value: str) -> str:
    """User text made safe for a spreadsheet: one line, and never read as a formula."""
    value = plain(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def cell(value: float | None) -> str:
    """A number as a spreadsheet reads it: `2`, `0.25`, `-3.5`, `inf`; empty when unknown."""
    if value is None or math.isnan(value):
        return ""
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    shown = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if shown == "-0" else shown


def flag(value: bool) -> str:
    """`true` or `false`."""
    return "true" if value else "false"

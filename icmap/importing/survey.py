"""`icmap import survey`: ICSQ-style survey responses to satisfaction per supplier → customer.

One row is one response: the rater (an internal customer: a unit, or a grouping department
standing for each of its roles that depends on the supplier), the rated supplier, and one
rating per dimension. Pairs with fewer than `min_responses` responses are withheld, for the
raters' anonymity: counted in the report, no figure written anywhere. Surveys are small
(thousands of rows), so the standard library reads them. See docs/import.md.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field

from icmap.importing import engine
from icmap.importing.common import ImportOptions, ImportResult, names_for, row_reason, tally_names
from icmap.importing.figures import Measurement, map_scale
from icmap.importing.names import Names, Resolved
from icmap.importing.report import ImportReport, Undeclared
from icmap.model import Org


@dataclass(frozen=True)
class SurveyColumns:
    """The survey's column names; `dimensions` empty = every other numeric column."""

    rater: str = "rater"
    supplier: str = "supplier"
    dimensions: tuple[str, ...] = ()


@dataclass
class _Pair:
    responses: int = 0
    sums: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def _number(cell: str) -> float | None:
    try:
        value = float(cell.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def import_survey(
    path: str,
    org: Org,
    options: ImportOptions,
    columns: SurveyColumns | None = None,
    scale: tuple[float, float] | None = None,
    min_responses: int = 5,
) -> ImportResult:
    """Satisfaction per pair from the survey at `path`; InputError when it cannot be read
    or lacks the rater or supplier column. Bad rows are counted and skipped."""
    columns = columns or SurveyColumns()
    org_scale = org.settings.satisfaction_scale
    scale = scale or org_scale
    report = ImportReport("survey", path, calendar="no durations")
    header = engine.read_header(path)
    rater_col, supplier_col = engine.require_columns(
        path, header, [("--rater", columns.rater), ("--supplier", columns.supplier)]
    )
    try:
        with open(path, newline="", encoding="utf-8-sig", errors="replace") as handle:
            rows = list(csv.reader(handle, delimiter=header.delimiter))
    except (OSError, csv.Error) as exc:
        raise InputError(path, f"cannot read the file as CSV: {exc}") from exc
    head = [c.strip() for c in rows[0]]
    body = rows[1:]
    rater_at, supplier_at = head.index(rater_col), head.index(supplier_col)
    if columns.dimensions:
        dims = engine.require_columns(
            path, header, [("--dimension", d) for d in columns.dimensions]
        )
    else:
        dims = [
            c
            for i, c in enumerate(head)
            if i not in (rater_at, supplier_at) and _numeric_column(body, i)
        ]
    if not dims:
        raise engine.InputError(
            f"{path}:1",
            "no rating column: no other column holds numbers; name them with --dimension",
        )
    at = {d: head.index(d) for d in dims}
    names = names_for(org, options)
    pairs: dict[tuple[str, str], _Pair] = {}
    seen: dict[tuple[str, str | None], tuple[Resolved, int]] = {}
    undeclared: dict[tuple[str, str], int] = {}
    for number, row in enumerate(body, start=2):
        report.rows_read += 1
        cells = [c.replace("\x00", "") for c in row]
        if not any(c.strip() for c in cells):
            report.rows_read -= 1  # an empty line is not a response
            continue
        rater = cells[rater_at] if rater_at < len(cells) else ""
        supplier_name = cells[supplier_at] if supplier_at < len(cells) else ""
        supplier = names.unit(supplier_name)
        rater_match = names.index.lookup(rater) if rater.strip() else None
        seen_rater = seen.get(("rater", rater), (_rater(names, rater), 0))
        seen[("rater", rater)] = (seen_rater[0], seen_rater[1] + 1)
        seen_sup = seen.get(("supplier", supplier_name), (supplier, 0))
        seen[("supplier", supplier_name)] = (seen_sup[0], seen_sup[1] + 1)
        why = row_reason(columns.supplier, supplier) or row_reason(columns.rater, seen_rater[0])
        if why is not None:
            report.skip(why).add(number)
            continue
        assert supplier.id is not None and seen_rater[0].id is not None
        ratings: dict[str, float] = {}
        for dim in dims:
            cell = cells[at[dim]].strip() if at[dim] < len(cells) else ""
            if not cell:
                continue  # no answer
            value = _number(cell)
            if value is None or not scale[0] <= value <= scale[1]:
                report.ignore(f"a rating is not a number from {scale[0]:g} to {scale[1]:g}").add(
                    number
                )
                continue
            ratings[dim] = value
        if not ratings:
            report.skip("no rating in any dimension").add(number)
            continue
        report.rows_used += 1
        if rater_match is not None and rater_match.is_grouping:
            customers = names.depending_roles(rater_match.roles, supplier.id)
            if not customers:
                key = (supplier.id, rater_match.id)
                undeclared[key] = undeclared.get(key, 0) + 1
                continue
        else:
            customers = [seen_rater[0].id]
        for customer in customers:
            if (supplier.id, customer) not in names.declared:
                undeclared[(supplier.id, customer)] = undeclared.get((supplier.id, customer), 0) + 1
                continue
            pair = pairs.setdefault((supplier.id, customer), _Pair())
            pair.responses += 1
            for dim, value in ratings.items():
                pair.sums[dim] = pair.sums.get(dim, 0.0) + value
                pair.counts[dim] = pair.counts.get(dim, 0) + 1
    for kind in ("rater", "supplier"):
        column = columns.rater if kind == "rater" else columns.supplier
        tally_names(
            report,
            names,
            column,
            [(raw or None, r, n) for (k, raw), (r, n) in seen.items() if k == kind],
        )
    measurements = []
    for (supplier_id, customer), pair in sorted(pairs.items()):
        if pair.responses < min_responses:
            report.withheld += 1
            continue
        total = sum(pair.sums.values()) / sum(pair.counts.values())
        measurements.append(
            Measurement(
                supplier=supplier_id,
                customer=customer,
                satisfaction=map_scale(total, scale, org_scale),
                responses=pair.responses,
                dimensions={
                    d: map_scale(pair.sums[d] / pair.counts[d], scale, org_scale)
                    for d in sorted(pair.sums)
                },
            )
        )
    for (supplier_id, customer), count in sorted(undeclared.items()):
        if count < min_responses:
            report.withheld += 1  # even its count would say who answered
            continue
        report.undeclared.append(Undeclared(supplier_id, customer, count, None))
    report.pairs_written = len(measurements)
    report.period = options.period.as_strings() if options.period else None
    return ImportResult(tuple(measurements), options.period, report)


InputError = engine.InputError


def _rater(names: Names, raw: str) -> Resolved:
    """A rater: a unit, an external customer, or a grouping (resolved per supplier later)."""
    if not raw.strip():
        return Resolved(None, "empty")
    found = names.index.lookup(raw)
    if found is None:
        several = names.index.candidates(raw)
        return Resolved(None, f"ambiguous: names {', '.join(several)}" if several else "unmatched")
    return Resolved(found.id)


def _numeric_column(rows: list[list[str]], index: int) -> bool:
    """True when most of the column's non-empty cells are numbers (a rating column); a
    column nobody answered is a rating column too."""
    cells = [r[index].strip() for r in rows if index < len(r) and r[index].strip()]
    if not cells:
        return True
    numbers = sum(1 for c in cells if _number(c) is not None)
    return numbers * 2 > len(cells)

"""The `measurements:` section: reading each entry, and joining it to its declared dependency.

A measurement's `actual`, `volume`, `complete_accurate` and `satisfaction` count as if
written in the dependency of `customer` on `supplier`; one figure has one source, so a figure
given twice (in the dependency and a measurement, or in two measurements of one pair) is
ICM311, naming both places. A measurement of a pair the org does not declare is the warning
ICM510 and leaves the graph alone. An org without `measurements:` never enters this module.
"""

from __future__ import annotations

import datetime
from typing import Any

from icmap.loader import values as v
from icmap.loader.sections import Draft, DraftMeasurement, items_of
from icmap.loader.values import Report
from icmap.model import MEASURED_FIGURES, Dependency, Location, Measurement, Unit, format_duration
from icmap.yamlsource import Node, Pairs

#: Keys that, like the figures, one pair may have from one measurement only. `source` and
#: `period` may differ between the measurements of a pair (tickets and a survey, say).
_ONCE_PER_PAIR = (
    *MEASURED_FIGURES,
    "actual_p90",
    "within_standard",
    "responses",
    "dimensions",
    "samples",
)


def read_measurements(node: Node, draft: Draft, report: Report) -> None:
    """Every entry of one file's `measurements:` into the draft (references resolved later)."""
    for item in items_of(node, report, "measurements"):
        if not isinstance(item.value, dict):
            report.add(
                "ICM201",
                item,
                f"a measurement must be a mapping, not {v.type_name(item.value)}",
                "write `- supplier: ...` and `customer: ...` with the figures below them",
            )
            continue
        _read_one(item, draft, report)


def _read_one(node: Node, draft: Draft, report: Report) -> None:
    pairs: Pairs = v.check_keys(node, "measurement", report, "measurement")
    settings = draft.settings
    found: dict[str, Any] = {}
    where: list[tuple[str, Location]] = []
    for key, value in pairs.items():
        where.append((key, report.at(value)))
        if key in ("supplier", "customer", "source"):
            found[key] = v.text(value, report, key)
        elif key == "actual":
            three_point = v.lead_time(value, report, settings, key)
            if three_point is not None:
                found["actual"], found["actual_estimate"] = three_point
        elif key == "actual_p90":
            found[key] = v.duration(value, report, settings, key)
        elif key == "volume":
            found[key] = v.number(value, report, key)
        elif key in ("complete_accurate", "within_standard"):
            found[key] = v.percentage(value, report, key)
        elif key == "satisfaction":
            found[key] = v.rating(value, report, settings, key)
        elif key in ("samples", "responses"):
            found[key] = v.whole_number(value, report, key, 1)
        elif key == "dimensions":
            found[key] = _dimensions(value, report)
        elif key == "period":
            found[key] = _period(value, report)
    supplier, customer = found.pop("supplier", None), found.pop("customer", None)
    if supplier is None or customer is None:
        return  # missing (reported by check_keys) or not text (reported above)
    actual, p90 = found.get("actual"), found.get("actual_p90")
    if actual is not None and p90 is not None and p90 < actual - 1e-9:
        _p90_below(p90, actual, report.at(pairs["actual_p90"]), report, draft)
        found.pop("actual_p90")
    figures = {key: value for key, value in found.items() if value is not None}
    measurement = Measurement(
        supplier=supplier,
        customer=customer,
        location=report.at(node),
        key_locations=tuple(where),
        **figures,
    )
    draft.measurements.append(
        DraftMeasurement(pairs["supplier"], pairs["customer"], report, measurement)
    )


def _p90_below(p90: float, actual: float, at: Location, report: Report, draft: Draft) -> None:
    settings = draft.settings
    report.add(
        "ICM221",
        at,
        f"actual_p90 ({format_duration(p90, settings)}) is below the mean actual "
        f"({format_duration(actual, settings)}): 90% of requests cannot all be served faster "
        "than the average",
        "check both figures; actual_p90 is at least the mean actual",
    )


def _dimensions(node: Node, report: Report) -> tuple[tuple[str, float], ...] | None:
    if not isinstance(node.value, dict):
        report.add(
            "ICM201",
            node,
            f"dimensions must be a mapping of dimension to mean rating, not {v.type_name(node.value)}",
            "e.g. {communication: 3.1, responsiveness: 3.5}",
        )
        return None
    means = []
    for name, value in node.value.items():
        mean = v.number(value, report, f"dimension {name!r}", minimum=None)
        if mean is not None:
            means.append((str(name), mean))
    return tuple(means)


def _period(node: Node, report: Report) -> tuple[str, str] | None:
    items = node.value
    hint = "write [first day, last day], e.g. [2026-10-01, 2026-11-30]"
    if not isinstance(items, list) or len(items) != 2:
        report.add("ICM220", node, "period must be a list of two dates", hint)
        return None
    days: list[datetime.date] = []
    for item in items:
        day = _date(item.value)
        if day is None:
            report.add("ICM220", item, f"{item.value!r} is not a date (YYYY-MM-DD)", hint)
        else:
            days.append(day)
    if len(days) != 2:
        return None
    first, last = days
    if first > last:
        report.add(
            "ICM220",
            node,
            f"period starts {first.isoformat()}, after its end {last.isoformat()}",
            "write the first day first",
        )
        return None
    return (first.isoformat(), last.isoformat())


def _date(written: object) -> datetime.date | None:
    """A date written YYYY-MM-DD (YAML timestamps stay text in org files), or None."""
    if not isinstance(written, str):
        return None
    try:
        return datetime.date.fromisoformat(written.strip())
    except ValueError:
        return None


def apply_measurements(
    draft: Draft,
    dependencies: list[Dependency],
    units: dict[str, Unit],
    groupings: dict[str, list[str]],
    customers: set[str],
) -> tuple[list[Dependency], list[Measurement]]:
    """The dependencies with their measured figures, and every measurement that resolved."""
    index = {(d.supplier, d.customer): i for i, d in enumerate(dependencies)}
    merged = list(dependencies)
    given: dict[tuple[str, str, str], Location] = {}  # (supplier, customer, key) -> where
    valid: list[Measurement] = []
    for draft_measurement in draft.measurements:
        m = draft_measurement.measurement
        report = draft_measurement.report
        supplier_ok = _resolve(
            m.supplier,
            draft_measurement.supplier_node,
            "supplier",
            units,
            groupings,
            customers,
            report,
        )
        customer_ok = _resolve(
            m.customer,
            draft_measurement.customer_node,
            "customer",
            units,
            groupings,
            customers,
            report,
        )
        if not (supplier_ok and customer_ok):
            continue
        valid.append(m)
        pair = (m.supplier, m.customer)
        at = index.get(pair)
        if at is None:
            _undeclared(m, draft_measurement, report)
            continue
        dependency = merged[at]
        clash = False
        for key in _ONCE_PER_PAIR:
            if getattr(m, key) in (None, ()):
                continue
            where = m.location_of(key)
            if key in MEASURED_FIGURES and getattr(dependency, key) is not None:
                report.add(
                    "ICM311",
                    where,
                    f"{key} of {m.supplier!r} -> {m.customer!r} is set both here and in the "
                    f"dependency at {dependency.location}",
                    "one figure, one source: remove it from the dependency (or the measurement)",
                )
                clash = True
            elif (m.supplier, m.customer, key) in given:
                report.add(
                    "ICM311",
                    where,
                    f"{key} of {m.supplier!r} -> {m.customer!r} is set both here and in the "
                    f"measurement at {given[(m.supplier, m.customer, key)]}",
                    "one figure, one source: keep it in one measurement",
                )
                clash = True
        for key in _ONCE_PER_PAIR:  # a clashing one too: every second source is reported
            if getattr(m, key) not in (None, ()):
                given.setdefault((m.supplier, m.customer, key), m.location_of(key))
        if clash:
            continue
        if (
            m.actual is None
            and m.actual_p90 is not None
            and dependency.actual is not None
            and m.actual_p90 < dependency.actual - 1e-9
        ):
            _p90_below(m.actual_p90, dependency.actual, m.location_of("actual_p90"), report, draft)
            continue
        merged[at] = _with_figures(dependency, m)
    return merged, valid


def _with_figures(dependency: Dependency, m: Measurement) -> Dependency:
    figures: dict[str, Any] = {
        name: getattr(m, name) for name in MEASURED_FIGURES if getattr(m, name) is not None
    }
    if m.actual_estimate is not None:
        figures["actual_estimate"] = m.actual_estimate
    return dependency._replace(measurements=(*dependency.measurements, m), **figures)


def _resolve(
    ref: str,
    node: Node,
    role: str,
    units: dict[str, Unit],
    groupings: dict[str, list[str]],
    customers: set[str],
    report: Report,
) -> bool:
    if ref in units or (role == "customer" and ref in customers):
        return True
    if ref in groupings:
        roles = groupings[ref]
        shown = ", ".join(roles[:5]) + (f" and {len(roles) - 5} more" if len(roles) > 5 else "")
        report.add(
            "ICM312",
            node,
            f"{role} {ref!r} of a measurement is a department with roles ({shown}); "
            "a measurement is of one role's handoff",
            f"name the role measured, e.g. {roles[0]!r}",
        )
    elif ref in customers:
        report.add(
            "ICM304",
            node,
            f"{ref!r} is an external customer; external customers receive work, they supply none",
            "an external customer can only be the `customer:` of a measurement",
        )
    else:
        choices = [*units, *customers] if role == "customer" else units
        report.add(
            "ICM301",
            node,
            v.with_suggestion(f"{role} {ref!r} of a measurement is not defined", ref, choices),
            "name units by id; ids are case-sensitive",
        )
    return False


def _undeclared(m: Measurement, draft_measurement: DraftMeasurement, report: Report) -> None:
    seen = []
    if m.samples is not None:
        seen.append(f"{m.samples} samples")
    if m.responses is not None:
        seen.append(f"{m.responses} responses")
    if m.volume is not None:
        seen.append(f"{m.volume:g} a week")
    measured = f" ({', '.join(seen)})" if seen else ""
    report.add(
        "ICM510",
        m.location,
        f"undeclared handoff: {m.supplier!r} -> {m.customer!r} is measured{measured}, "
        f"but {m.customer!r} does not depend on {m.supplier!r}; the measurement is not used",
        f"add {m.supplier!r} to the depends_on of {m.customer!r}, or remove the measurement",
    )

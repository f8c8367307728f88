"""The json report of `icmap analyze`: the keys of the org-format contract, and a few more.

Every duration is in hours (`*_hours`), rounded to 6 decimals so the bytes are stable.
Infinite ratios (a standard or capacity of 0) are written as null with a `*_infinite` flag,
never as `Infinity`, which is not JSON.

The output is exactly `json.dumps(..., indent=2, sort_keys=True, allow_nan=False)` (tests
check the bytes), written faster: the lists go through `_fastjson`, and the unit records,
the largest part, are written by `_unit_json` directly. At 100,000 units the standard
library took over 5 s for this report.
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring_ascii as _str
from typing import Any

from icmap.analysis.result import (
    Analysis,
    CriticalPath,
    Handoff,
    ServiceBreach,
    UnitFigures,
)
from icmap.model import Unit
from icmap.report.analysis import _fastjson
from icmap.report.analysis._common import is_infinite, near_critical, number

FORMAT = 1


# Stands in for the units list in the dumped head; JSON escapes its NUL, and a raw newline
# never occurs inside a JSON string, so the text replaced below cannot come from user data.
_UNITS_SLOT = "\x00units"
_BOOL = {True: "true", False: "false"}


def write_json(analysis: Analysis) -> str:
    """The report as JSON text (indent 2, sorted keys, newline at the end)."""
    head = report_head(analysis)
    head["units"] = _UNITS_SLOT
    text = _fastjson.dumps(head)
    known = {u.id: u for u in analysis.org.units}
    records = [_unit_json(u, known.get(u.id)) for u in analysis.units]
    units = "[\n" + ",\n".join(records) + "\n  ]" if records else "[]"
    slot = f'\n  "units": {json.dumps(_UNITS_SLOT)}'
    return text.replace(slot, f'\n  "units": {units}', 1) + "\n"


def report_head(analysis: Analysis) -> dict[str, Any]:
    """Every key of the report but `units`, as plain dicts and lists for `json.dumps`."""
    summary = analysis.summary
    return {
        "organization": analysis.org.name,
        "format": FORMAT,
        "summary": {
            "units": summary.units,
            "dependencies": summary.dependencies,
            "external_customers": summary.external_customers,
            "departments": summary.departments,
            "feedback_dependencies": summary.feedback_dependencies,
            "critical_units": summary.critical_units,
            "longest_path_hours": number(summary.longest_path),
            "late_customers": summary.late_customers,
            "bottlenecks": len(analysis.bottlenecks),
            "single_points_of_failure": len(analysis.single_points_of_failure),
            "orphans": len(analysis.orphans),
            "service_breaches": len(analysis.service_breaches),
            "near_threshold_hours": number(analysis.near_threshold),
            "hours_per_day": analysis.org.settings.hours_per_day,
        },
        "critical_paths": [_critical_path(p) for p in analysis.critical_paths],
        "bottlenecks": [
            {
                "id": b.id,
                "rank": b.rank,
                "score": number(b.score),
                "reasons": list(b.reasons),
                "components": {name: number(points) for name, points in b.components},
            }
            for b in analysis.bottlenecks
        ],
        "single_points_of_failure": [
            {
                "id": s.id,
                "customers": sorted(s.customers),
                "guards": s.guards,
                "guards_by_customer": dict(s.guards_by_customer),
            }
            for s in sorted(analysis.single_points_of_failure, key=lambda s: s.id)
        ],
        "orphans": sorted(analysis.orphans),
        "near_critical": [u.id for u in near_critical(analysis)],
        "service_breaches": [_breach(b) for b in analysis.service_breaches],
        "hotspots": [_handoff(h) for h in analysis.hotspots],
        "supplier_ratings": [
            {"supplier": r.supplier, "mean": number(r.mean), "ratings": r.ratings}
            for r in analysis.supplier_ratings
        ],
        "job_swaps": [
            {
                "supplier": j.supplier,
                "customer": j.customer,
                "reasons": list(j.reasons),
                "severity": number(j.severity),
            }
            for j in analysis.job_swaps
        ],
        "improvement_teams": [
            {
                "customer": t.customer,
                "members": [{"department": d, "unit": u} for d, u in t.members],
            }
            for t in analysis.improvement_teams
        ],
        "longest_paths": [
            {"customer": p.customer, "path": list(p.path), "length_hours": number(p.length)}
            for p in analysis.longest_paths
        ],
    }


def _critical_path(path: CriticalPath) -> dict[str, Any]:
    return {
        "customer": path.customer,
        "length_hours": number(path.length),
        "path": list(path.path),
        "deadline_hours": number(path.deadline),
        "slack_hours": number(path.slack),
        "late": path.slack is not None and path.slack < 0,
        "total_lead_time_hours": number(path.total_lead_time),
        "total_handoff_time_hours": number(path.total_handoff_time),
        "total_process_time_hours": number(path.total_process_time),
        "activity_ratio": number(path.activity_ratio),
        "rolled_complete_accurate": number(path.rolled_complete_accurate),
        "weakest_handoff": None if path.weakest_handoff is None else _handoff(path.weakest_handoff),
        "handoffs": [_handoff(h) for h in path.handoffs],
    }


def _handoff(handoff: Handoff) -> dict[str, Any]:
    return {
        "supplier": handoff.supplier,
        "customer": handoff.customer,
        "time_hours": number(handoff.time),
        "complete_accurate": number(handoff.complete_accurate),
        "satisfaction": number(handoff.satisfaction),
    }


def _breach(breach: ServiceBreach) -> dict[str, Any]:
    return {
        "supplier": breach.supplier,
        "customer": breach.customer,
        "provides": breach.provides,
        "standard_hours": number(breach.standard),
        "actual_hours": number(breach.actual),
        "ratio": number(breach.ratio),
        "ratio_infinite": is_infinite(breach.ratio),
    }


def _unit_json(unit: UnitFigures, known: Unit | None) -> str:
    # One record as json.dumps(indent=2, sort_keys=True) writes it inside the units list.
    # Keys in sorted order; called once per unit, so it is written out by hand.
    utilization = unit.utilization
    department = None if known is None else known.department
    return (
        "    {\n"
        f'      "critical": {_BOOL[unit.critical]},\n'
        f'      "critical_for": {_ids(unit.critical_for)},\n'
        f'      "critical_gap_hours": {_num(unit.critical_gap)},\n'
        f'      "department": {"null" if department is None else _str(department)},\n'
        f'      "downstream_customers": {int(unit.downstream_customers)},\n'
        f'      "downstream_exact": {_BOOL[unit.downstream_exact]},\n'
        f'      "downstream_units": {int(unit.downstream_units)},\n'
        f'      "ef_hours": {_num(unit.ef)},\n'
        f'      "es_hours": {_num(unit.es)},\n'
        f'      "free_float_hours": {_num(unit.free_float)},\n'
        f'      "id": {_str(unit.id)},\n'
        f'      "lead_time_hours": {_num(0.0 if known is None else known.lead_time)},\n'
        f'      "lf_hours": {_num(unit.lf)},\n'
        f'      "ls_hours": {_num(unit.ls)},\n'
        f'      "name": {_str(unit.id if known is None else known.label)},\n'
        f'      "near_critical": {_BOOL[unit.near_critical]},\n'
        f'      "single_point_of_failure_for": {_ids(unit.single_point_of_failure_for)},\n'
        f'      "total_float_hours": {_num(unit.total_float)},\n'
        f'      "utilization": {_num(utilization)},\n'
        f'      "utilization_infinite": {_BOOL[is_infinite(utilization)]}\n'
        "    }"
    )


def _num(value: float | None) -> str:
    # `number` as JSON text, inlined: nine calls per unit.
    if value is None or not math.isfinite(value):
        return "null"
    rounded = round(value, 6)
    return "0.0" if rounded == 0 else float.__repr__(float(rounded))


def _ids(ids: tuple[str, ...]) -> str:
    if not ids:
        return "[]"
    return "[\n" + ",\n".join("        " + _str(i) for i in sorted(ids)) + "\n      ]"

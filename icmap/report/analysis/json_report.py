"""The json report of `icmap analyze`: the keys of the org-format contract, and a few more.

Every duration is in hours (`*_hours`), rounded to 6 decimals so the bytes are stable.
Infinite ratios (a standard or capacity of 0) are written as null with a `*_infinite` flag,
never as `Infinity`, which is not JSON. Keys are sorted; lists are in the analysis' order.

Reports of up to `INDENT_LIMIT` units are indented by 2, for people and for diffs. Larger
ones are written compact, on one line: the standard library indents in pure Python, and at
100,000 units that alone took longer than the whole analysis (`jq .` indents them on demand).
"""

from __future__ import annotations

import json
from typing import Any

from icmap.analysis.result import (
    Analysis,
    CriticalPath,
    Handoff,
    ServiceBreach,
    UnitFigures,
)
from icmap.model import Unit
from icmap.report.analysis._common import is_infinite, near_critical, number

FORMAT = 1
INDENT_LIMIT = 2_000


def write_json(analysis: Analysis) -> str:
    """The report as JSON text (sorted keys, newline at the end; indented up to 2,000 units)."""
    report = report_head(analysis)
    known = {u.id: u for u in analysis.org.units}
    units = [_unit(u, known.get(u.id)) for u in analysis.units]
    if len(analysis.units) <= INDENT_LIMIT:
        report["units"] = units
        text = json.dumps(report, indent=2, sort_keys=True, allow_nan=False)
    else:
        # `units` sorts after every other key and `_unit` builds its keys in sorted order,
        # so the units are written as they are and appended: no sort of 20 keys per unit.
        # The records hold no containers twice, so the circular-reference check is skipped.
        head = json.dumps(report, sort_keys=True, separators=(",", ":"), allow_nan=False)
        body = json.dumps(units, separators=(",", ":"), allow_nan=False, check_circular=False)
        text = f'{head[:-1]},"units":{body}}}'
    return text + "\n"


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
            "bottlenecks_omitted": analysis.bottlenecks_omitted,
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


def _unit(unit: UnitFigures, known: Unit | None) -> dict[str, Any]:
    # Keys in sorted order: the compact report writes these records without `sort_keys`.
    utilization = unit.utilization
    return {
        "critical": unit.critical,
        "critical_for": sorted(unit.critical_for),
        "critical_gap_hours": number(unit.critical_gap),
        "department": None if known is None else known.department,
        "downstream_customers": int(unit.downstream_customers),
        "downstream_exact": unit.downstream_exact,
        "downstream_units": int(unit.downstream_units),
        "ef_hours": number(unit.ef),
        "es_hours": number(unit.es),
        "free_float_hours": number(unit.free_float),
        "id": unit.id,
        "lead_time_hours": number(0.0 if known is None else known.lead_time),
        "lf_hours": number(unit.lf),
        "ls_hours": number(unit.ls),
        "name": unit.id if known is None else known.label,
        "near_critical": unit.near_critical,
        "single_point_of_failure_for": sorted(unit.single_point_of_failure_for),
        "total_float_hours": number(unit.total_float),
        "utilization": number(utilization),
        "utilization_infinite": is_infinite(utilization),
    }

"""The json report of `icmap analyze`: the keys of the org-format contract, and a few more.

Every duration is in hours (`*_hours`), rounded to 6 decimals so the bytes are stable.
Infinite ratios (a standard or capacity of 0) are written as null with a `*_infinite` flag,
never as `Infinity`, which is not JSON. Plain dicts and one `json.dumps` call keep it fast.
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


def write_json(analysis: Analysis) -> str:
    """The report as JSON text (indent 2, sorted keys, newline at the end)."""
    return json.dumps(report_dict(analysis), indent=2, sort_keys=True, allow_nan=False) + "\n"


def report_dict(analysis: Analysis) -> dict[str, Any]:
    """The report as plain dicts and lists, ready for `json.dumps`."""
    units = {u.id: u for u in analysis.org.units}
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
        "units": [_unit(u, units.get(u.id)) for u in analysis.units],
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
            {"id": s.id, "customers": sorted(s.customers), "guards": s.guards}
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


def _unit(unit: UnitFigures, known: Unit | None) -> dict[str, Any]:
    # Called once per unit: at 100,000 units this dict is most of the report's cost.
    return {
        "id": unit.id,
        "name": unit.id if known is None else known.label,
        "department": None if known is None else known.department,
        "lead_time_hours": number(0.0 if known is None else known.lead_time),
        "es_hours": number(unit.es),
        "ef_hours": number(unit.ef),
        "ls_hours": number(unit.ls),
        "lf_hours": number(unit.lf),
        "total_float_hours": number(unit.total_float),
        "free_float_hours": number(unit.free_float),
        "critical": unit.critical,
        "critical_for": list(unit.critical_for),
        "near_critical": unit.near_critical,
        "utilization": number(unit.utilization),
        "utilization_infinite": is_infinite(unit.utilization),
        "downstream_units": unit.downstream_units,
        "downstream_customers": unit.downstream_customers,
        "downstream_exact": unit.downstream_exact,
        "single_point_of_failure_for": list(unit.single_point_of_failure_for),
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

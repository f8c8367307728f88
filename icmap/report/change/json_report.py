"""The json report of `icmap diff` and `icmap whatif`: the stable keys of docs/change.md.

Durations are hours (`*_hours`, rounded to 6 decimals like `analyze`); a changed field's
`old`/`new` are the values as icmap holds them (hours for durations, fractions for
percentages). Keys are sorted; lists are in the diff's order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from icmap.analysis.result import ServiceBreach
from icmap.change.diff import OrgDiff
from icmap.change.suggest import Suggestion
from icmap.report.analysis._common import is_infinite, number


def write_json(
    diffs: Sequence[tuple[str, OrgDiff]],
    *,
    scenarios: bool = False,
    suggestions: dict[str, tuple[Suggestion, ...]] | None = None,
) -> str:
    """The diff keys of one diff, or `{"scenarios": [{"name": ..., <diff keys>}, ...]}`;
    with `suggestions`, a `suggestions` key (customer id -> best changes first)."""
    report: dict[str, Any]
    if scenarios:
        report = {"scenarios": [{"name": name, **diff_record(d)} for name, d in diffs]}
    elif diffs:
        report = diff_record(diffs[0][1])
    else:
        report = {}
    if suggestions is not None:
        report["suggestions"] = {
            customer: [
                {
                    "unit": s.unit,
                    "change": s.change,
                    "length_hours": number(s.length),
                    "new_length_hours": number(s.new_length),
                    "gain_hours": number(s.gain),
                }
                for s in found
            ]
            for customer, found in suggestions.items()
        }
    return _dumps(report)


def _dumps(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, allow_nan=False, ensure_ascii=False) + "\n"


def diff_record(diff: OrgDiff) -> dict[str, Any]:
    """The keys of one diff as plain dicts and lists."""
    return {
        "changed": diff.changed,
        "worse": diff.worse,
        "threshold_hours": number(diff.threshold),
        "customers": [
            {
                "customer": c.customer,
                "old_length_hours": number(c.old_length),
                "new_length_hours": number(c.new_length),
                "delta_hours": number(c.delta),
                "old_deadline_hours": number(c.old_deadline),
                "new_deadline_hours": number(c.new_deadline),
                "old_slack_hours": number(c.old_slack),
                "new_slack_hours": number(c.new_slack),
                "old_late": c.old_late,
                "new_late": c.new_late,
                "joined_critical_path": list(c.joined_critical_path),
                "left_critical_path": list(c.left_critical_path),
            }
            for c in diff.customers
        ],
        "float_changes": [
            {
                "id": f.id,
                "customer": f.customer,
                "old_hours": number(f.old),
                "new_hours": number(f.new),
            }
            for f in diff.float_changes
        ],
        "bottlenecks": [
            {
                "id": b.id,
                "old_rank": b.old_rank,
                "new_rank": b.new_rank,
                "old_score": number(b.old_score),
                "new_score": number(b.new_score),
                "entered_top": b.entered,
                "left_top": b.left,
            }
            for b in diff.bottlenecks
        ],
        "breaches_new": [_breach(b) for b in diff.breaches_new],
        "breaches_resolved": [_breach(b) for b in diff.breaches_resolved],
        "orphans_new": list(diff.orphans_new),
        "orphans_resolved": list(diff.orphans_resolved),
        "single_points_of_failure_new": list(diff.single_points_of_failure_new),
        "single_points_of_failure_resolved": list(diff.single_points_of_failure_resolved),
        "units_added": list(diff.units_added),
        "units_removed": list(diff.units_removed),
        "customers_added": list(diff.customers_added),
        "customers_removed": list(diff.customers_removed),
        "dependencies_added": [{"supplier": s, "customer": c} for s, c in diff.dependencies_added],
        "dependencies_removed": [
            {"supplier": s, "customer": c} for s, c in diff.dependencies_removed
        ],
        "fields_changed": [
            {
                "id": f.id,
                "supplier": f.supplier,
                "field": f.field,
                "old": _value(f.old),
                "new": _value(f.new),
            }
            for f in diff.fields_changed
        ],
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


def _value(value: Any) -> Any:
    if isinstance(value, float):
        return number(value)
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_value(v) for v in value]
    return value

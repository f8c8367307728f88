"""The json report of `icmap analyze`: the keys of the org-format contract, and a few more.

Every duration is in hours (`*_hours`), rounded to 6 decimals so the bytes are stable.
Reasons come twice: as sentences (`reasons`, the words of the text report) and as records
(`facts`: a `kind` and its figures), for programs.
Infinite ratios (a standard or capacity of 0) are written as null with a `*_infinite` flag,
never as `Infinity`, which is not JSON. Keys are sorted; lists are in the analysis' order.

Reports of up to `INDENT_LIMIT` units (and `PATH_ENTRY_LIMIT` units on all critical paths)
are indented by 2, for people and for diffs. Larger ones are written compact, on one line:
the standard library indents in pure Python, and at 100,000 units that alone took longer
than the whole analysis (`jq .` indents them on demand).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import fields
from itertools import islice
from operator import attrgetter
from typing import Any

from icmap.analysis.result import (
    Analysis,
    BottleneckReason,
    CriticalPath,
    Handoff,
    ServiceBreach,
    SwapReason,
)
from icmap.model import Dependency
from icmap.report.analysis import provenance
from icmap.report.analysis._common import Names, is_infinite, near_critical, number
from icmap.report.analysis.provenance import Pair
from icmap.report.analysis.wording import bottleneck_reason, swap_reason
from icmap.report.document import text_of

FORMAT = 1
INDENT_LIMIT = 2_000  # units
PATH_ENTRY_LIMIT = 20_000  # units on all critical paths together


def write_json(analysis: Analysis) -> str:
    """The report as JSON text (sorted keys, newline at the end; indented when small)."""
    return "".join(json_pieces(analysis))


def json_pieces(analysis: Analysis) -> Iterator[str]:
    """The text of `write_json` in pieces, made as they are asked for: a writer that
    streams them never holds a large report whole (64 MB at 100,000 units)."""
    columns = unit_columns(analysis)
    if len(analysis.units) <= INDENT_LIMIT and _path_entries(analysis) <= PATH_ENTRY_LIMIT:
        report = report_head(analysis)
        written = [list(map(write, raw)) for raw, write in columns.values()]
        report["units"] = [
            dict(zip(columns, row, strict=True)) for row in zip(*written, strict=True)
        ]
        yield json.dumps(report, indent=2, sort_keys=True, allow_nan=False) + "\n"
        return
    # Compact, in pieces: the critical paths are written one by one into the text (each
    # handoff's JSON once, shared by every path it is on), and `units`, which sorts after
    # every other key, follows in batches of records: 2,000 customers along one chain hold
    # 2 million path entries, and each copy of the units' text counts.
    report = report_head(analysis, with_paths=False)
    measured = provenance.measured_dependencies(analysis.org)
    written_handoffs: dict[int, str] = {}
    paths = ",".join(_compact_path(p, measured, written_handoffs) for p in analysis.critical_paths)
    head = _compact_with(report, "critical_paths", f"[{paths}]")
    yield head[:-1] + ',"units":['
    yield from _compact_records(columns)
    yield "]}\n"


def _path_entries(analysis: Analysis) -> int:
    return sum(len(p.path) for p in analysis.critical_paths)


def _compact(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _compact_with(mapping: dict[str, Any], key: str, text: str) -> str:
    """`mapping` as compact JSON with `key` (not in it) holding the JSON `text`, keys sorted.

    The mapping is split around the key, so no marker is ever searched for in user text."""
    before = {k: v for k, v in mapping.items() if k < key}
    after = {k: v for k, v in mapping.items() if k > key}
    pieces = [_compact(before)[:-1] if before else "{"]
    pieces.append(f"{',' if before else ''}{json.dumps(key)}:{text}")
    pieces.append(("," + _compact(after)[1:]) if after else "}")
    return "".join(pieces)


def _compact_path(
    path: CriticalPath, measured: dict[Pair, Dependency], written: dict[int, str]
) -> str:
    """One critical path as compact JSON, its handoffs written once per Handoff object."""
    handoffs = []
    for h in path.handoffs:
        text = written.get(id(h))
        if text is None:
            text = written[id(h)] = _compact(_handoff(h, measured))
        handoffs.append(text)
    record = _critical_path(path, measured, with_handoffs=False)
    return _compact_with(record, "handoffs", f"[{','.join(handoffs)}]")


def report_head(analysis: Analysis, with_paths: bool = True) -> dict[str, Any]:
    """Every key of the report but `units` (and, unless `with_paths`, `critical_paths`), as
    plain dicts and lists for `json.dumps`."""
    summary = analysis.summary
    measured = provenance.measured_dependencies(analysis.org)
    names = Names.of(analysis.org)
    head: dict[str, Any] = {
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
            "bottleneck_units": summary.bottlenecks,
            "ranked_units": summary.ranked,
            "late_units": summary.late_units,
            "single_points_of_failure": len(analysis.single_points_of_failure),
            "orphans": len(analysis.orphans),
            "service_breaches": len(analysis.service_breaches),
            "near_threshold_hours": number(analysis.near_threshold),
            "hours_per_day": analysis.org.settings.hours_per_day,
        },
        "focus": analysis.focus,
        "critical_edges": [
            {"supplier": supplier, "customer": customer}
            for supplier, customer in sorted(analysis.critical_edges)
        ],
        "bottlenecks": [
            {
                "id": b.id,
                "rank": b.rank,
                "score": number(b.score),
                "reasons": [text_of(bottleneck_reason(r, names)) for r in b.reasons],
                "facts": [fact(r) for r in b.reasons],
                "bottleneck": b.bottleneck,
                "hard_reasons": list(b.hard),
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
        "service_breaches": [_breach(b, measured) for b in analysis.service_breaches],
        "hotspots": [_handoff(h, measured) for h in analysis.hotspots],
        "measured_handoffs": [_measured(d) for _, d in sorted(measured.items())],
        "supplier_ratings": [
            {"supplier": r.supplier, "mean": number(r.mean), "ratings": r.ratings}
            for r in analysis.supplier_ratings
        ],
        "job_swaps": [
            {
                "supplier": j.supplier,
                "customer": j.customer,
                "reasons": [text_of(swap_reason(r, j, names)) for r in j.reasons],
                "facts": [fact(r) for r in j.reasons],
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
    if with_paths:
        head["critical_paths"] = [_critical_path(p, measured) for p in analysis.critical_paths]
    return head


#: Fields of a reason record that hold hours: written as `<name>_hours`.
_HOURS = frozenset({"actual", "standard"})


def fact(record: BottleneckReason | SwapReason) -> dict[str, Any]:
    """A reason record as JSON: its `kind` and its fields, hours as `*_hours`, pairs of
    (customer, figure) as objects, infinite ratios as null with `ratio_infinite`."""
    out: dict[str, Any] = {"kind": record.kind}
    for item in fields(record):
        value = getattr(record, item.name)
        if item.name == "floats":
            out["floats"] = [{"customer": c, "float_hours": number(f)} for c, f in value]
        elif item.name == "guards_by_customer":
            out[item.name] = [{"customer": c, "units": n} for c, n in value]
        elif isinstance(value, float):
            key = f"{item.name}_hours" if item.name in _HOURS else item.name
            out[key] = number(value)
            if is_infinite(value):
                out[f"{item.name}_infinite"] = True
        else:
            out[item.name] = value
    return out


def _critical_path(
    path: CriticalPath, measured: dict[Pair, Dependency], with_handoffs: bool = True
) -> dict[str, Any]:
    record: dict[str, Any] = {
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
        "weakest_handoff": (
            None if path.weakest_handoff is None else _handoff(path.weakest_handoff, measured)
        ),
    }
    if with_handoffs:
        record["handoffs"] = [_handoff(h, measured) for h in path.handoffs]
    return record


def _handoff(handoff: Handoff, measured: dict[Pair, Dependency]) -> dict[str, Any]:
    return {
        "supplier": handoff.supplier,
        "customer": handoff.customer,
        "time_hours": number(handoff.time),
        "complete_accurate": number(handoff.complete_accurate),
        "satisfaction": number(handoff.satisfaction),
        # Provenance keys only for a measured dependency (docs/analysis.md).
        **provenance.json_keys(measured.get((handoff.supplier, handoff.customer))),
    }


def _measured(dependency: Dependency) -> dict[str, Any]:
    """A measured dependency: its figures as used, and where they came from."""
    return {
        "supplier": dependency.supplier,
        "customer": dependency.customer,
        "standard_hours": number(dependency.standard),
        "actual_hours": number(dependency.actual),
        "volume": number(dependency.volume),
        "complete_accurate": number(dependency.complete_accurate),
        "satisfaction": number(dependency.satisfaction),
        "feedback": dependency.feedback,
        **provenance.json_keys(dependency),
    }


def _breach(breach: ServiceBreach, measured: dict[Pair, Dependency]) -> dict[str, Any]:
    return {
        **provenance.json_keys(measured.get((breach.supplier, breach.customer))),
        "supplier": breach.supplier,
        "customer": breach.customer,
        "provides": breach.provides,
        "standard_hours": number(breach.standard),
        "actual_hours": number(breach.actual),
        "ratio": number(breach.ratio),
        "ratio_infinite": is_infinite(breach.ratio),
    }


#: A column of unit records: one raw value per unit, and how a raw value is written.
Column = tuple[list[Any], Callable[[Any], Any]]


def unit_columns(analysis: Analysis) -> dict[str, Column]:
    """The units' records by column, keys in sorted order: unit i's record maps each key
    to `write(raw[i])`. Raw values are hashable, and equal raw values of one column are
    written alike (`number` rounds 0.0 and -0.0 alike), so a writer may write each distinct
    value once."""
    units = analysis.units
    known = {u.id: u for u in analysis.org.units}
    org_units = list(map(known.get, map(attrgetter("id"), units)))

    def field(name: str) -> list[Any]:
        return list(map(attrgetter(name), units))

    utilization = field("utilization")
    return {
        "critical": (field("critical"), _as_is),
        "critical_for": (field("critical_for"), sorted),
        "critical_gap_hours": (field("critical_gap"), number),
        "department": ([None if u is None else u.department for u in org_units], _as_is),
        "downstream_customers": (field("downstream_customers"), int),
        "downstream_exact": (field("downstream_exact"), _as_is),
        "downstream_units": (field("downstream_units"), int),
        "ef_hours": (field("ef"), number),
        "es_hours": (field("es"), number),
        "free_float_hours": (field("free_float"), number),
        "id": (field("id"), _as_is),
        "late_for": (field("late_for"), _as_is),
        "lead_time_hours": ([0.0 if u is None else u.lead_time for u in org_units], number),
        "lf_hours": (field("lf"), number),
        "ls_hours": (field("ls"), number),
        "name": (
            [f.id if u is None else u.label for f, u in zip(units, org_units, strict=True)],
            _as_is,
        ),
        "near_critical": (field("near_critical"), _as_is),
        "single_point_of_failure_for": (field("single_point_of_failure_for"), sorted),
        "total_float_hours": (field("total_float"), number),
        "utilization": (utilization, number),
        "utilization_infinite": (utilization, is_infinite),
    }


def _as_is(value: Any) -> Any:
    return value


#: Unit records per piece of `_compact_records` (about 60 KB of text).
RECORDS_PER_PIECE = 1_000


def _compact_records(
    columns: dict[str, Column], per_piece: int = RECORDS_PER_PIECE
) -> Iterator[str]:
    """The records of `unit_columns` as compact JSON objects joined by commas, in pieces of
    `per_piece` records: the bytes `json.dumps(records, separators=(",", ":"))` gives,
    inside its brackets.

    A column at a time, each distinct raw value is written and encoded once, by
    `json.dumps` itself: as one list with a newline between items, split at the newlines
    (JSON never holds a raw newline inside a value, it escapes it), or one by one for a
    column of lists. The records are then filled into one %-template. Columns repeat
    values a lot (2 distinct in a flag column, 870 utilizations, 60,000 start times at
    100,000 units), and no dict is built per unit: the whole JSON writer went from 1.24 s
    to 1.08 s at 100,000 units (best of 4, alternating in one process).
    """
    fragments = []
    for raw, write in columns.values():
        distinct = list(set(raw))  # NaN objects stay apart: each finds itself below
        written = distinct if write is _as_is else list(map(write, distinct))
        if list in set(map(type, written)):
            texts = [json.dumps(w, separators=(",", ":"), allow_nan=False) for w in written]
        elif written:
            dumped = json.dumps(written, separators=("\n", ":"), allow_nan=False)
            texts = dumped[1:-1].split("\n")
        else:
            texts = []
        fragments.append(list(map(dict(zip(distinct, texts, strict=True)).__getitem__, raw)))
    keys = [json.dumps(key).replace("%", "%%") for key in columns]
    template = "{" + ",".join(f"{key}:%s" for key in keys) + "}"
    rows = zip(*fragments, strict=True)
    separator = ""
    while batch := list(islice(rows, per_piece)):
        yield separator + ",".join(map(template.__mod__, batch))
        separator = ","

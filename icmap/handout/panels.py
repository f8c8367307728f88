"""What the handout shows when a unit is chosen: its figures as short texts, and its links.

One record per unit and external customer, words already chosen (`icmap.formatting`, the
report's wording of bottleneck reasons), so the page's script only places text: it never
builds markup from data, and a name can never become HTML there.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from icmap import formatting
from icmap.analysis.result import Analysis
from icmap.report.analysis._common import Names
from icmap.report.analysis.wording import bottleneck_reason
from icmap.report.document import text_of
from icmap.textsafety import one_line


def unit_panels(
    analysis: Analysis, floats: dict[tuple[str, str], float]
) -> dict[str, dict[str, Any]]:
    """Unit or customer id -> what its panel shows: `name`, `kind`, `facts` (label, text)
    pairs, `lists` (title, lines) pairs, and `suppliers` / `customers` ids for highlighting."""
    org = analysis.org
    names = Names.of(org)
    per_day = org.settings.hours_per_day

    def hours(value: float | None) -> str:
        return formatting.UNKNOWN if value is None else formatting.duration(value, per_day)

    suppliers: dict[str, list[str]] = defaultdict(list)
    customers: dict[str, list[str]] = defaultdict(list)
    for dep in org.dependencies:
        if not dep.feedback:
            suppliers[dep.customer].append(dep.supplier)
            customers[dep.supplier].append(dep.customer)
    float_lines: dict[str, list[str]] = defaultdict(list)
    for (unit_id, customer_id), value in sorted(floats.items()):
        word = "late by " + hours(-value) if value < 0 else hours(value) + " of float"
        float_lines[unit_id].append(f"{names.label(customer_id)}: {word}")
    breaches: dict[str, list[str]] = defaultdict(list)
    for breach in analysis.service_breaches:
        text = (
            f"{names.label(breach.supplier)} → {names.label(breach.customer)}: "
            f"{hours(breach.actual)} against {hours(breach.standard)} "
            f"({formatting.ratio(breach.ratio)})"
        )
        breaches[breach.supplier].append(text)
        breaches[breach.customer].append(text)
    ratings = {r.supplier: r for r in analysis.supplier_ratings}
    ranked = {b.id: b for b in analysis.bottlenecks}
    departments = {d.id: d.label for d in org.departments}
    panels: dict[str, dict[str, Any]] = {}
    for figures in analysis.units:
        unit = names.units.get(figures.id)
        if unit is None:
            continue
        facts = [("Lead time", hours(unit.lead_time))]
        if unit.lead_time_estimate is not None:
            e = unit.lead_time_estimate
            facts.append(
                ("Estimate", " / ".join(hours(p) for p in (e.optimistic, e.likely, e.pessimistic)))
            )
        if unit.process_time is not None:
            facts.append(("Process time", hours(unit.process_time)))
        facts += [
            ("Starts", hours(figures.es)),
            ("Finishes", hours(figures.ef)),
            ("Total float", hours(figures.total_float)),
        ]
        if figures.utilization is not None:
            facts.append(("Utilization", formatting.percent(figures.utilization)))
        if unit.department:
            facts.append(
                ("Department", one_line(departments.get(unit.department, unit.department)))
            )
        if unit.owner:
            facts.append(("Owner", one_line(unit.owner)))
        rating = ratings.get(figures.id)
        if rating is not None:
            facts.append(
                (
                    "Rated by its customers",
                    f"{formatting.rating(rating.mean)} ({formatting.plural(rating.ratings, 'rating')})",
                )
            )
        lists = [("Float per customer", float_lines.get(figures.id, []))]
        bottleneck = ranked.get(figures.id)
        if bottleneck is not None:
            kind = "bottleneck" if bottleneck.bottleneck else "ranked"
            facts.append(
                (
                    "Bottleneck rank",
                    f"#{bottleneck.rank} ({kind}, score {formatting.score(bottleneck.score)})",
                )
            )
            lists.append(
                ("Why it ranks", [text_of(bottleneck_reason(r, names)) for r in bottleneck.reasons])
            )
        lists.append(("Service breaches", breaches.get(figures.id, [])))
        panels[figures.id] = {
            "name": one_line(unit.label),
            "kind": "unit",
            "description": one_line(unit.description or ""),
            "facts": facts,
            "lists": [(title, items) for title, items in lists if items],
            "suppliers": sorted(set(suppliers.get(figures.id, []))),
            "customers": sorted(set(customers.get(figures.id, []))),
        }
    paths = {p.customer: p for p in analysis.critical_paths}
    for customer in org.external_customers:
        path = paths.get(customer.id)
        facts = []
        if path is not None:
            facts.append(("Critical path", hours(path.length)))
            if path.deadline is not None:
                facts.append(("Deadline", hours(path.deadline)))
                slack = path.slack or 0.0
                facts.append(("Late by" if slack < 0 else "To spare", hours(abs(slack))))
            facts.append(("Activity ratio", formatting.percent(path.activity_ratio)))
            facts.append(("Rolled %C&A", formatting.percent(path.rolled_complete_accurate)))
        panels[customer.id] = {
            "name": one_line(customer.label),
            "kind": "external customer",
            "description": one_line(customer.description or ""),
            "facts": facts,
            "lists": [],
            "suppliers": sorted(set(suppliers.get(customer.id, []))),
            "customers": [],
        }
    panels.update(_department_panels(analysis, names, hours))
    return panels


def _department_panels(analysis: Analysis, names: Names, hours: Any) -> dict[str, dict[str, Any]]:
    """Panels of the departments with roles, for a chart drawn one box per department: what
    its units add up to, and the departments (or units) it hands work to and from."""
    org = analysis.org
    home = {u.id: u.department or u.id for u in org.units}
    figures = {f.id: f for f in analysis.units}
    suppliers: dict[str, set[str]] = defaultdict(set)
    customers: dict[str, set[str]] = defaultdict(set)
    for dep in org.dependencies:
        if dep.feedback:
            continue
        source, target = home.get(dep.supplier, dep.supplier), home.get(dep.customer, dep.customer)
        if source != target:
            suppliers[target].add(source)
            customers[source].add(target)
    breached: dict[str, int] = defaultdict(int)
    for breach in analysis.service_breaches:
        breached[home.get(breach.supplier, breach.supplier)] += 1
    panels: dict[str, dict[str, Any]] = {}
    for department in org.departments:
        members = [figures[r] for r in department.roles if r in figures]
        late = [f for f in members if f.total_float < 0]
        facts = [
            ("Units", formatting.count(len(members))),
            ("Critical units", formatting.count(sum(1 for f in members if f.critical))),
            ("Late units", formatting.count(len(late))),
        ]
        if members:
            facts.append(("Least float", hours(min(f.total_float for f in members))))
        facts.append(("Breaches it causes", formatting.count(breached[department.id])))
        if department.owner:
            facts.append(("Owner", one_line(department.owner)))
        shown = [names.label(f.id) for f in members[:_LISTED]]
        if len(members) > _LISTED:
            shown.append(f"… and {len(members) - _LISTED} more")
        panels[department.id] = {
            "name": one_line(department.label),
            "kind": "department",
            "description": one_line(department.description or ""),
            "facts": facts,
            "lists": [("Its units", shown)] if shown else [],
            "suppliers": sorted(suppliers.get(department.id, set())),
            "customers": sorted(customers.get(department.id, set())),
        }
    return panels


#: Units named in a department's panel; the rest are counted.
_LISTED = 30

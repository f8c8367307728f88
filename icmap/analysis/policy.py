"""The org's own policy: every rule of `policy:` checked against the analysis (and, for
min_on_time_probability only, a seeded simulation), each violation an error finding.

A violation is placed where it lives: the external customer (critical path, deadline,
on-time probability), the unit (utilization, orphan, single point of failure), or the
dependency — or the measurement entry, when the figure came from one. Its message names the
rule and where the policy writes it (`file:line`), so a reviewer sees both ends.
"""

from __future__ import annotations

from collections.abc import Iterator

from icmap.analysis.network import ticks
from icmap.analysis.result import Analysis
from icmap.codes import RULES
from icmap.graph import OrgGraph
from icmap.model import (
    Dependency,
    Finding,
    Location,
    Org,
    Policy,
    PolicyRule,
    format_duration,
)

#: Rule -> code of its violations.
CODES = {
    "max_critical_path": "ICM600",
    "deadlines_met": "ICM601",
    "max_utilization": "ICM602",
    "max_breach_ratio": "ICM603",
    "require_standard": "ICM604",
    "orphans": "ICM605",
    "single_points_of_failure": "ICM606",
    "min_satisfaction": "ICM607",
    "min_complete_accurate": "ICM608",
    "min_on_time_probability": "ICM609",
}
UNKNOWN_CUSTOMER = "ICM620"


def evaluate(org: Org, policy: Policy, graph: OrgGraph | None = None) -> tuple[Finding, ...]:
    """Every violation of `policy` by a valid org, sorted like every other finding."""
    if not policy.rules:
        return ()
    from icmap.analysis.engine import analyze

    analysis = analyze(org, graph=graph)
    found = list(_violations(org, policy, analysis, graph))
    return tuple(sorted(found, key=Finding.sort_key))


def _violations(
    org: Org, policy: Policy, analysis: Analysis, graph: OrgGraph | None
) -> Iterator[Finding]:
    for rule in policy.rules:
        if rule.name == "max_critical_path":
            yield from _critical_paths(org, rule, analysis)
        elif rule.name == "deadlines_met":
            yield from _deadlines(org, rule, analysis)
        elif rule.name == "max_utilization":
            yield from _utilization(org, rule, analysis)
        elif rule.name == "orphans" and rule.value == "forbidden":
            units = {u.id: u for u in org.units}
            for unit_id in analysis.orphans:
                yield _finding(
                    rule,
                    units[unit_id].location,
                    f"{unit_id} is an orphan: no path to any external customer",
                    "connect it to an internal customer, or remove it",
                )
        elif rule.name == "single_points_of_failure" and rule.value == "forbidden":
            units = {u.id: u for u in org.units}
            for spof in analysis.single_points_of_failure:
                yield _finding(
                    rule,
                    units[spof.id].location,
                    f"{spof.id} is a single point of failure for {', '.join(spof.customers)}",
                    "give its internal customers a second supplier",
                )
        elif rule.name == "min_on_time_probability":
            yield from _on_time(org, rule, graph)
        else:
            yield from _dependency_rule(org, rule)


def _finding(rule: PolicyRule, location: Location, what: str, hint: str) -> Finding:
    """An error at `location` naming the rule and where the policy sets it."""
    code = CODES[rule.name]
    where = f"{rule.location.file}:{rule.location.line}"
    message = f"{what} (policy {rule.name} at {where})"
    return Finding(code, RULES[code].level, message, location, hint)


def _critical_paths(org: Org, rule: PolicyRule, analysis: Analysis) -> Iterator[Finding]:
    settings = org.settings
    customers = {c.id: c for c in org.external_customers}
    limits: dict[str | None, float] = {}
    for customer, hours, at in rule.value:
        if customer is not None and customer not in customers:
            from icmap.loader.values import with_suggestion

            message = with_suggestion(
                f"policy max_critical_path names {customer!r}, which is no external customer",
                customer,
                customers,
            )
            hint = "name an external customer's id, or `default` for all the others"
            yield Finding(UNKNOWN_CUSTOMER, RULES[UNKNOWN_CUSTOMER].level, message, at, hint)
            continue
        limits[customer] = hours
    for path in analysis.critical_paths:
        limit = limits.get(path.customer, limits.get(None))
        if limit is not None and ticks(path.length) > ticks(limit):
            yield _finding(
                rule,
                customers[path.customer].location,
                f"the critical path to {path.customer} is {format_duration(path.length, settings)}"
                f", longer than the {format_duration(limit, settings)} the policy allows",
                "shorten a lead time or handoff on it (icmap analyze shows the path)",
            )


def _deadlines(org: Org, rule: PolicyRule, analysis: Analysis) -> Iterator[Finding]:
    settings = org.settings
    customers = {c.id: c for c in org.external_customers}
    for path in analysis.critical_paths:
        if path.deadline is not None and ticks(path.length) > ticks(path.deadline):
            yield _finding(
                rule,
                customers[path.customer].location,
                f"{path.customer} is late: its critical path is "
                f"{format_duration(path.length, settings)}, its deadline "
                f"{format_duration(path.deadline, settings)}",
                "shorten the critical path, or agree a later deadline",
            )


def _utilization(org: Org, rule: PolicyRule, analysis: Analysis) -> Iterator[Finding]:
    units = {u.id: u for u in org.units}
    for figures in analysis.units:
        if figures.utilization is not None and figures.utilization > rule.value:
            shown = "∞" if figures.utilization == float("inf") else f"{figures.utilization:.2f}"
            yield _finding(
                rule,
                units[figures.id].location,
                f"{figures.id} is {shown} utilized, above the {rule.value:g} the policy allows",
                "add capacity, or move volume to another supplier",
            )


def _dependency_rule(org: Org, rule: PolicyRule) -> Iterator[Finding]:
    """The rules on each dependency's figures: breach ratio, standard, satisfaction, %C&A."""
    for dep in org.dependencies:
        pair = f"{dep.supplier} -> {dep.customer}"
        if rule.name == "require_standard":
            if not dep.feedback and dep.standard is None:
                yield _finding(
                    rule,
                    dep.location,
                    f"{pair} has no service standard",
                    "agree one with both sides and write it as `standard:`",
                )
        elif rule.name == "max_breach_ratio":
            ratio = dep.breach_ratio
            if ratio is not None and ratio > rule.value:
                shown = "∞" if ratio == float("inf") else f"{ratio:.2f}"
                yield _finding(
                    rule,
                    _figure_place(dep, "actual"),
                    f"{pair} takes {shown} × its standard, above the {rule.value:g} the policy "
                    "allows",
                    "bring the handoff back within its standard, or renegotiate the standard",
                )
        elif rule.name == "min_satisfaction":
            if dep.satisfaction is not None and dep.satisfaction < rule.value:
                yield _finding(
                    rule,
                    _figure_place(dep, "satisfaction"),
                    f"{pair} is rated {dep.satisfaction:g}, below the {rule.value:g} the policy "
                    "asks",
                    "ask the internal customer what would make the handoff better",
                )
        elif rule.name == "min_complete_accurate":
            share = dep.complete_accurate
            if share is not None and share < rule.value:
                yield _finding(
                    rule,
                    _figure_place(dep, "complete_accurate"),
                    f"{pair} arrives complete and accurate {share:.0%} of the time, below the "
                    f"{rule.value:.0%} the policy asks",
                    "find out what is missing or wrong in the handoffs sent back",
                )


def _figure_place(dep: Dependency, figure: str) -> Location:
    """Where a dependency's figure is written: its measurement entry, or the dependency."""
    measurement = dep.measured_by(figure)
    return measurement.location if measurement is not None else dep.location


def _on_time(org: Org, rule: PolicyRule, graph: OrgGraph | None) -> Iterator[Finding]:
    from icmap.analysis.simulate import simulate

    settings = org.settings
    runs, seed = settings.simulation_runs, settings.simulation_seed
    customers = {c.id: c for c in org.external_customers}
    result = simulate(org, runs=runs, seed=seed, graph=graph)
    for forecast in result.customers:
        share = forecast.on_time_probability
        if share is not None and share < rule.value:
            yield _finding(
                rule,
                customers[forecast.customer].location,
                f"{forecast.customer} is on time in {share:.1%} of {runs:,} simulated runs "
                f"(seed {seed}), below the {rule.value:.0%} the policy asks",
                "shorten the critical path or its uncertainty (icmap simulate shows what "
                "drives it)",
            )

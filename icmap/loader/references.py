"""Resolving a draft into an Org: duplicate ids, departments, and every supplier reference."""

from __future__ import annotations

from icmap.loader.aliases import NamePlace, report_alias_clashes
from icmap.loader.sections import Draft, DraftDependency, DraftUnit
from icmap.loader.values import Report, with_suggestion
from icmap.model import (
    Department,
    Dependency,
    ExternalCustomer,
    Location,
    Measurement,
    Org,
    Settings,
    Unit,
    format_duration,
)


def build_org(draft: Draft, main: Report, files: tuple[str, ...]) -> Org:
    """Check ids and references across all files and assemble the Org from what is valid."""
    _report_duplicate_ids(draft, main)
    groupings = _groupings(draft)
    units: list[Unit] = []
    departments: list[Department] = []
    seen: set[str] = set()
    for draft_unit in draft.units:
        if draft_unit.id in seen:
            continue  # a duplicate id, already reported
        seen.add(draft_unit.id)
        if draft_unit.kind == "department" and draft_unit.id in groupings:
            departments.append(_department(draft_unit, groupings[draft_unit.id]))
        else:
            units.append(_unit(draft_unit, draft.settings))
    customers = []
    customer_ids: set[str] = set()
    for customer in draft.customers:
        if customer.id not in customer_ids and customer.id not in seen:
            customer_ids.add(customer.id)
            customers.append(customer)
    if draft.aliases:  # nothing to compare in an org without aliases
        _check_aliases(draft, customers)
    by_id = {u.id: u for u in units}
    unresolved: list[tuple[str, tuple[str, ...]]] = []
    dependencies = _resolve_dependencies(draft, by_id, groupings, customer_ids, unresolved)
    measurements: list[Measurement] = []
    if draft.measurements:  # an org without measurements pays nothing for them
        from icmap.loader.measurements import apply_measurements

        dependencies, measurements = apply_measurements(
            draft, dependencies, by_id, groupings, customer_ids
        )
    return Org(
        name=draft.name,
        location=draft.location or Location(main.file, 1, 1),
        settings=draft.settings,
        units=tuple(units),
        departments=tuple(departments),
        external_customers=tuple(customers),
        dependencies=tuple(dependencies),
        files=files,
        measurements=tuple(measurements),
        policy=draft.policy,
        unresolved=tuple(unresolved),
    )


def _check_aliases(draft: Draft, customers: list[ExternalCustomer]) -> None:
    names: list[NamePlace] = []
    seen: set[str] = set()
    owners = [(u.id, u.name, u.location) for u in draft.units]
    owners += [(c.id, c.name, c.location) for c in customers]
    for ident, name, location in owners:
        if ident in seen:
            continue
        seen.add(ident)
        names.append(NamePlace(ident, "id", ident, location))
        if name and name != ident:
            names.append(NamePlace(name, "name", ident, location))
    report_alias_clashes(draft.aliases, names)


def _report_duplicate_ids(draft: Draft, main: Report) -> None:
    for ident, places in draft.ids.items():
        if len(places) < 2:
            continue
        first_kind, first = places[0]
        for kind, location in places[1:]:
            main.add(
                "ICM300",
                location,
                f"id {ident!r} ({kind}) is already used by a {first_kind} at {first}",
                "every role, department and external customer needs its own id",
            )


def _groupings(draft: Draft) -> dict[str, list[str]]:
    """Department id -> ids of its roles, for every department that has roles."""
    declared = {u.id: u for u in draft.units if u.kind == "department"}
    roles_of: dict[str, list[str]] = {}
    for unit in draft.units:
        if unit.kind != "role" or unit.department is None:
            continue
        if unit.department in declared:
            roles_of.setdefault(unit.department, []).append(unit.id)
            continue
        node = unit.department_node
        location = unit.report.at(node) if node is not None else unit.location
        other = "" if unit.department not in draft.ids else " (that id is not a department)"
        message = (
            f"role {unit.id!r} names department {unit.department!r}, which is not declared{other}"
        )
        unit.report.add(
            "ICM301",
            location,
            with_suggestion(message, unit.department, declared),
            "declare it under `departments:`, or name a declared department",
        )
        unit.department = None
    for dept_id, roles in roles_of.items():
        dept = declared[dept_id]
        for key_node in dept.unit_keys:
            dept.report.add(
                "ICM214",
                key_node,
                f"department {dept_id!r} has roles ({_list(roles)}), so it is a grouping, "
                f"and `{key_node.value}:` belongs on its roles",
                "move the field onto the role that does the work",
            )
    return roles_of


def _list(ids: list[str], most: int = 5) -> str:
    shown = ", ".join(ids[:most])
    return shown + (f" and {len(ids) - most} more" if len(ids) > most else "")


def _unit(draft: DraftUnit, settings: Settings) -> Unit:
    lead = draft.lead_time
    process = draft.process_time
    if lead is None:
        lead = process if process is not None else 0.0  # no lead time: the work itself
    elif process is not None and process > lead + 1e-9:
        draft.report.add(
            "ICM208",
            draft.process_node,
            f"process_time ({format_duration(process, settings)}) of {draft.id!r} is longer "
            f"than its lead time ({format_duration(lead, settings)})",
            "process time is the hands-on part of the lead time; it cannot exceed it",
        )
        process = None
    return Unit(
        id=draft.id,
        location=draft.location,
        name=draft.name,
        kind=draft.kind,
        department=draft.department,
        description=draft.description,
        owner=draft.owner,
        tags=draft.tags,
        aliases=draft.aliases,
        lead_time=lead,
        lead_time_estimate=draft.lead_time_estimate,
        process_time=process,
        capacity=draft.capacity,
        headcount=draft.headcount,
    )


def _department(draft: DraftUnit, roles: list[str]) -> Department:
    return Department(
        id=draft.id,
        location=draft.location,
        name=draft.name,
        description=draft.description,
        owner=draft.owner,
        tags=draft.tags,
        roles=tuple(roles),
        aliases=draft.aliases,
    )


def _resolve_dependencies(
    draft: Draft,
    units: dict[str, Unit],
    groupings: dict[str, list[str]],
    customers: set[str],
    unresolved: list[tuple[str, tuple[str, ...]]],
) -> list[Dependency]:
    by_name: dict[str, list[str]] | None = None  # made at the first unknown supplier only
    resolved: list[Dependency] = []
    seen: dict[tuple[str, str], DraftDependency] = {}
    for dep in draft.dependencies:
        if dep.customer not in units and dep.customer not in customers:
            continue  # a grouping department's depends_on: reported as ICM214
        if dep.supplier in units:
            pair = (dep.supplier, dep.customer)
            if pair in seen:
                first = seen[pair].dependency.location
                dep.report.add(
                    "ICM305",
                    dep.supplier_node,
                    f"{dep.customer!r} already depends on {dep.supplier!r} (at {first})",
                    "merge the two entries into one",
                )
                continue
            seen[pair] = dep
            resolved.append(dep.dependency)
        else:
            if by_name is None:
                by_name = _ids_by_name(units)
            _report_bad_supplier(dep, units, groupings, customers, by_name)
            unresolved.append((dep.customer, tuple(groupings.get(dep.supplier, ()))))
    return resolved


def _ids_by_name(units: dict[str, Unit]) -> dict[str, list[str]]:
    """Unit ids by casefolded name and id, to tell which unit a misspelt supplier meant."""
    by_name: dict[str, list[str]] = {}
    for unit in units.values():
        for word in {unit.label.casefold(), unit.id.casefold()}:
            by_name.setdefault(word, []).append(unit.id)
    return by_name


def _report_bad_supplier(
    dep: DraftDependency,
    units: dict[str, Unit],
    groupings: dict[str, list[str]],
    customers: set[str],
    by_name: dict[str, list[str]],
) -> None:
    ref = dep.supplier
    if ref in groupings:
        dep.report.add(
            "ICM303",
            dep.supplier_node,
            f"{ref!r} is a department with roles ({_list(groupings[ref])}); "
            f"depend on the role that does the work, e.g. {groupings[ref][0]!r}",
            "a department with roles is a grouping of units, not a unit itself",
        )
        return
    if ref in customers:
        dep.report.add(
            "ICM304",
            dep.supplier_node,
            f"{ref!r} is an external customer; external customers receive work, they supply none",
            f"if {ref!r} should depend on {dep.customer!r}, list it under the customer's depends_on",
        )
        return
    matches = sorted(by_name.get(ref.casefold(), []))
    if len(matches) > 1:
        dep.report.add(
            "ICM302",
            dep.supplier_node,
            f"supplier {ref!r} is not an id, and several units are called that: {_list(matches)}",
            "name the supplier by its id",
        )
        return
    message = f"supplier {ref!r} of {dep.customer!r} is not defined"
    if matches:
        message += f"; did you mean the id {matches[0]!r}?"
    else:
        message = with_suggestion(message, ref, units)
    dep.report.add(
        "ICM301", dep.supplier_node, message, "suppliers are named by id; ids are case-sensitive"
    )

"""Reading the sections of one org file (settings, customers, departments, roles) into a draft.

References between ids are only collected here; `references.py` resolves them once every
included file has been read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from icmap.format import SECTIONS, UNIT_ONLY_KEYS
from icmap.loader import values as v
from icmap.loader.aliases import AliasPlace, read_aliases
from icmap.loader.values import Report
from icmap.model import (
    DEPENDENCY_KINDS,
    TIME_UNITS,
    Dependency,
    ExternalCustomer,
    Location,
    Measurement,
    Policy,
    Settings,
    ThreePoint,
)
from icmap.yamlsource import Node, Pairs, key_node


class DraftMeasurement(NamedTuple):
    """A measurement as written: supplier and customer are still unresolved references."""

    supplier_node: Node
    customer_node: Node
    report: Report
    measurement: Measurement


class DraftDependency(NamedTuple):
    """A dependency as written: the supplier is still an unresolved reference.

    A named tuple, made positionally: one per dependency (220,000 in a large org).
    """

    supplier_node: Node
    supplier: str
    customer: str
    report: Report
    dependency: Dependency


@dataclass(slots=True)
class DraftUnit:
    """A role, or a department that may turn out to be a unit or a grouping."""

    id: str
    kind: str  # "role" or "department"
    location: Location
    report: Report
    name: str = ""
    description: str | None = None
    owner: str | None = None
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    lead_time: float | None = None
    lead_time_estimate: ThreePoint | None = None
    process_time: float | None = None
    process_node: Node | None = None
    capacity: float | None = None
    headcount: int | None = None
    department: str | None = None  # the enclosing or named department id
    department_node: Node | None = None  # where a flat role names its department
    unit_keys: tuple[Node, ...] = ()  # keys only a unit may have, for grouping errors


@dataclass
class Draft:
    """Everything read so far from the main file and its includes."""

    settings: Settings = field(default_factory=Settings)
    name: str = ""
    location: Location | None = None
    units: list[DraftUnit] = field(default_factory=list)  # roles and departments
    customers: list[ExternalCustomer] = field(default_factory=list)
    dependencies: list[DraftDependency] = field(default_factory=list)
    ids: dict[str, list[tuple[str, Location]]] = field(default_factory=dict)
    aliases: list[AliasPlace] = field(default_factory=list)  # every alias, where written
    measurements: list[DraftMeasurement] = field(default_factory=list)
    policy: Policy | None = None

    def declare(self, ident: str, kind: str, location: Location) -> None:
        """Record where an id is defined (duplicates are reported later, all places named)."""
        self.ids.setdefault(ident, []).append((kind, location))


def _known_and_required(section: str) -> tuple[Any, set[str]]:
    """The keys a section knows and the ones it requires."""
    fields = SECTIONS[section]
    return fields.keys(), {name for name, spec in fields.items() if spec.required}


_DEPENDENCY_KEYS, _DEPENDENCY_NEEDS = _known_and_required("dependency")
# What check_keys would test, so the hot readers call it only when it can find something.
_UNIT_KEYS = {
    section: _known_and_required(section) for section in ("department", "role", "nested_role")
}


def read_settings(node: Node, report: Report) -> Settings:
    """The `settings:` section; defaults for whatever is missing or wrong."""
    if not isinstance(node.value, dict):
        report.add("ICM201", node, f"settings must be a mapping, not {v.type_name(node.value)}")
        return Settings()
    pairs = v.check_keys(node, "settings", report, "settings")
    found: dict[str, Any] = {}
    if "time_unit" in pairs:
        unit_node = pairs["time_unit"]
        unit = v.text(unit_node, report, "time_unit")
        if unit is not None and unit not in TIME_UNITS:
            message = f"time_unit {v.shortened(unit)} is not one of {', '.join(TIME_UNITS)}"
            report.add("ICM211", unit_node, v.with_suggestion(message, unit, TIME_UNITS))
        elif unit is not None:
            found["time_unit"] = unit
    settings = SECTIONS["settings"]
    for key, fact, usual in (
        ("hours_per_day", "a day has 24 hours", "the hours of one working day, e.g. 8"),
        ("days_per_week", "a week has 7 days", "the working days of a week, e.g. 5"),
    ):
        if key in pairs:
            value = v.number(pairs[key], report, key)
            most = settings[key].maximum
            if value == 0:
                report.add("ICM211", pairs[key], f"{key} must be more than 0", f"write {usual}")
            elif value is not None and most is not None and value > most:
                report.add(
                    "ICM211", pairs[key], f"{key} is {value:g}, but {fact}", f"write {usual}"
                )
            elif value is not None:
                found[key] = value
    if "utilization_warning" in pairs:
        value = v.number(pairs["utilization_warning"], report, "utilization_warning")
        if value is not None:
            found["utilization_warning"] = value
    if "satisfaction_scale" in pairs:
        scale = _scale(pairs["satisfaction_scale"], report)
        if scale is not None:
            found["satisfaction_scale"] = scale
    if pairs.keys() & {"working_hours", "working_days", "timezone"}:
        from icmap.loader.calendar import read_calendar

        found.update(read_calendar(pairs, report))
    if "simulation" in pairs:
        found.update(_simulation(pairs["simulation"], report))
    return Settings(**found)


def _simulation(node: Node, report: Report) -> dict[str, int]:
    """`settings.simulation: {runs, seed}` as Settings fields (only those given and valid)."""
    if not isinstance(node.value, dict):
        report.add("ICM201", node, f"simulation must be a mapping, not {v.type_name(node.value)}")
        return {}
    pairs = v.check_keys(node, "simulation", report, "settings.simulation")
    found: dict[str, int] = {}
    for key, least in (("runs", 1), ("seed", 0)):
        if key in pairs:
            value = v.whole_number(pairs[key], report, f"simulation.{key}", least)
            if value is not None:
                found[f"simulation_{key}"] = value
    return found


def _scale(node: Node, report: Report) -> tuple[float, float] | None:
    items = node.value
    if not isinstance(items, list) or len(items) != 2:
        report.add(
            "ICM211", node, "satisfaction_scale must be a list of two numbers", "e.g. [1, 5]"
        )
        return None
    low = v.number(items[0], report, "satisfaction_scale low end", minimum=None)
    high = v.number(items[1], report, "satisfaction_scale high end", minimum=None)
    if low is None or high is None:
        return None
    if low >= high:
        report.add(
            "ICM211", node, f"satisfaction_scale [{low:g}, {high:g}] must go from low to high"
        )
        return None
    return (low, high)


def items_of(node: Node, report: Report, what: str) -> list[Node]:
    """The items of a list (a missing/empty value is an empty list)."""
    if node.value is None:
        return []
    if isinstance(node.value, list):
        return node.value
    report.add("ICM201", node, f"{what} must be a list, not {v.type_name(node.value)}")
    return []


def read_external_customer(node: Node, draft: Draft, report: Report) -> None:
    """One entry of `external_customers:`."""
    if not isinstance(node.value, dict):
        report.add("ICM201", node, "an external customer must be a mapping with an `id:`")
        return
    pairs = v.check_keys(node, "external_customer", report, "external customer")
    ident = v.identifier(pairs["id"], report, "id") if "id" in pairs else None
    if ident is None:
        return
    location = report.at(node)
    draft.declare(ident, "external customer", location)
    deadline = None
    if "deadline" in pairs:
        deadline = v.duration(pairs["deadline"], report, draft.settings, "deadline")
    draft.customers.append(
        ExternalCustomer(
            id=ident,
            location=location,
            name=_optional_label(pairs, "name", report) or ident,
            description=_optional_text(pairs, "description", report),
            deadline=deadline,
            aliases=read_aliases(pairs, ident, report, draft.aliases),
        )
    )
    if "depends_on" in pairs:
        _read_depends_on(pairs["depends_on"], ident, draft, report)


def read_unit(
    node: Node, section: str, draft: Draft, report: Report, department: str | None = None
) -> None:
    """A department (`section` "department") or a role, nested (`nested_role`) or flat."""
    what = "department" if section == "department" else "role"
    if not isinstance(node.value, dict):
        hint = "write `- id: ...` with the fields indented below it"
        report.add("ICM201", node, f"a {what} must be a mapping with an `id:`", hint)
        return
    pairs: Pairs = node.value
    known, needs = _UNIT_KEYS[section]
    if not needs <= pairs.keys() <= known:  # only then can check_keys find anything
        pairs = v.check_keys(node, section, report, what)
    ident = v.identifier(pairs["id"], report, "id") if "id" in pairs else None
    if ident is None:
        return
    location = report.at(node)
    draft.declare(ident, what, location)
    unit = DraftUnit(id=ident, kind=what, location=location, report=report)
    unit.name = _optional_label(pairs, "name", report) or ident
    unit.description = _optional_text(pairs, "description", report)
    unit.owner = _optional_label(pairs, "owner", report)
    unit.tags = _tags(pairs, report)
    unit.aliases = read_aliases(pairs, ident, report, draft.aliases)
    if section == "department":  # only a department can turn out to be a grouping
        unit.unit_keys = tuple(key_node(pairs, key) for key in UNIT_ONLY_KEYS if key in pairs)
    if "lead_time" in pairs:
        lead = v.lead_time(pairs["lead_time"], report, draft.settings)
        if lead is not None:
            unit.lead_time, unit.lead_time_estimate = lead
    if "process_time" in pairs:
        unit.process_node = pairs["process_time"]
        unit.process_time = v.duration(unit.process_node, report, draft.settings, "process_time")
    if "capacity" in pairs:
        unit.capacity = v.number(pairs["capacity"], report, "capacity")
    if "headcount" in pairs:
        unit.headcount = v.whole_number(pairs["headcount"], report, "headcount", 1)
    unit.department = department
    if "department" in pairs:
        dept_node = pairs["department"]
        named = v.text(dept_node, report, "department")
        if department is not None and named is not None and named != department:
            report.add(
                "ICM306",
                dept_node,
                f"role {ident!r} is nested under department {department!r} "
                f"but names department {named!r}",
                "remove `department:` from the nested role, or move the role",
            )
        elif department is None and named is not None:
            unit.department = named
            unit.department_node = dept_node
    draft.units.append(unit)
    if "depends_on" in pairs:
        _read_depends_on(pairs["depends_on"], ident, draft, report)
    if section == "department" and "roles" in pairs:
        for role in items_of(pairs["roles"], report, "roles"):
            read_unit(role, "nested_role", draft, report, department=ident)


def _optional_text(pairs: Pairs, key: str, report: Report) -> str | None:
    if key not in pairs or pairs[key].value is None:
        return None
    return v.text(pairs[key], report, key)


def _optional_label(pairs: Pairs, key: str, report: Report) -> str | None:
    if key not in pairs or pairs[key].value is None:
        return None
    return v.label(pairs[key], report, key)


def _tags(pairs: Pairs, report: Report) -> tuple[str, ...]:
    if "tags" not in pairs:
        return ()
    tags = []
    for item in items_of(pairs["tags"], report, "tags"):
        tag = v.label(item, report, "a tag")
        if tag is not None:
            tags.append(tag)
    return tuple(tags)


def _read_depends_on(node: Node, customer: str, draft: Draft, report: Report) -> None:
    # A lone supplier id (`depends_on: sales`) reads as a list of one.
    items = [node] if isinstance(node.value, str) else items_of(node, report, "depends_on")
    for item in items:
        if isinstance(item.value, dict):
            _read_dependency(item, customer, draft, report)
        elif isinstance(item.value, str):
            supplier = v.text(item, report, "supplier")
            if supplier is not None:
                dependency = Dependency(
                    supplier=supplier, customer=customer, location=report.at(item)
                )
                draft.dependencies.append(
                    DraftDependency(item, supplier, customer, report, dependency)
                )
        else:
            hint = (
                f'quote it: "{item.value}"'
                if isinstance(item.value, int | float)
                else ("write a supplier id, or a mapping with `supplier:`")
            )
            report.add(
                "ICM201",
                item,
                f"a depends_on entry must be a supplier id or a mapping, not {v.type_name(item.value)}",
                hint,
            )


def _read_dependency(node: Node, customer: str, draft: Draft, report: Report) -> None:
    pairs: Pairs = node.value
    if not _DEPENDENCY_NEEDS <= pairs.keys() <= _DEPENDENCY_KEYS:
        # Only then can check_keys find anything: not called for the 220,000 good ones.
        pairs = v.check_keys(node, "dependency", report, "dependency")
        if "supplier" not in pairs:
            return
    settings = draft.settings
    supplier = None
    supplier_node = None
    provides = kind = None
    standard = actual = complete_accurate = satisfaction = volume = None
    actual_estimate: ThreePoint | None = None
    feedback = False
    # One pass over the keys present, into locals (a large org has hundreds of thousands of
    # these); the most frequent keys are tested first.
    for key, value in pairs.items():
        if key == "supplier":
            supplier_node = value
            supplier = v.text(value, report, "supplier")
        elif key == "standard":
            standard = v.duration(value, report, settings, key)
        elif key == "actual":
            if value.value.__class__ is dict:  # a three-point estimate
                three_point = v.lead_time(value, report, settings, key)
                if three_point is not None:
                    actual, actual_estimate = three_point
            else:
                actual = v.duration(value, report, settings, key)
        elif key == "volume":
            volume = v.number(value, report, "volume")
        elif key == "provides":
            provides = None if value.value is None else v.label(value, report, key)
        elif key == "complete_accurate":
            complete_accurate = v.percentage(value, report, key)
        elif key == "satisfaction":
            satisfaction = v.rating(value, report, settings, key)
        elif key == "feedback":
            feedback = bool(v.boolean(value, report, key))
        elif key == "kind":
            written = v.text(value, report, "kind")
            if written is not None and written not in DEPENDENCY_KINDS:
                message = f"kind {v.shortened(written)} is not one of {', '.join(DEPENDENCY_KINDS)}"
                report.add("ICM212", value, v.with_suggestion(message, written, DEPENDENCY_KINDS))
            elif written is not None:
                kind = written
    if supplier is None or supplier_node is None:
        return
    # Positional, in the field order of `Dependency`: a third of the cost of keywords.
    dependency = Dependency(
        supplier,
        customer,
        report.at(node),
        provides,
        kind,
        standard,
        actual,
        complete_accurate,
        satisfaction,
        volume,
        feedback,
    )
    if actual_estimate is not None:
        dependency = dependency._replace(actual_estimate=actual_estimate)
    draft.dependencies.append(
        DraftDependency(supplier_node, supplier, customer, report, dependency)
    )

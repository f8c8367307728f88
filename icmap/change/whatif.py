"""Scenario changes (`UNIT.FIELD=VALUE`, `-UNIT`, `+SUPPLIER->CUSTOMER`…) and applying them.

A change is parsed once into a `Change`, then applied to an `Org` as a new Org: the file is
never touched. A change that names something the org does not have raises `ChangeError`
(the command cannot run: exit 2, with a did-you-mean); a change that makes a value the
format forbids (a negative lead time, process time above lead time…) is a `Finding` located
at the unit or dependency it changed, naming the change, as `icmap check` would report it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from icmap.codes import RULES
from icmap.loader.values import Report, parse_duration
from icmap.model import (
    Dependency,
    ExternalCustomer,
    Finding,
    Location,
    Org,
    Settings,
    ThreePoint,
    Unit,
)
from icmap.names import suggest
from icmap.yamlsource import parse

Action = Literal["set", "remove_unit", "remove_dependency", "add_dependency"]

#: Fields a change may set, with the kind of value each takes.
UNIT_FIELDS = {
    "lead_time": "duration",
    "process_time": "duration",
    "capacity": "number",
    "headcount": "whole",
}
DEPENDENCY_FIELDS = {
    "standard": "duration",
    "actual": "duration",
    "volume": "number",
    "complete_accurate": "percentage",
    "satisfaction": "rating",
}
CUSTOMER_FIELDS = {"deadline": "duration"}

_ARROW = "->"
_RELATIVE = re.compile(r"^([+-])\s*(.+)$")
_PERCENT = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*%$", re.ASCII)


class ChangeError(Exception):
    """A change names a unit, field or dependency the org does not have, or is malformed."""


@dataclass(frozen=True, slots=True)
class Change:
    """One scenario change, as parsed from its text (kept to name it in messages)."""

    text: str
    action: Action
    target: str = ""  # a unit or external customer id (set on a unit, remove_unit)
    supplier: str = ""  # for a dependency
    customer: str = ""
    field: str = ""
    value: str = ""  # as written, without its sign when relative
    sign: str = ""  # "+" or "-" for a relative value, else ""

    @property
    def on_dependency(self) -> bool:
        """True when the change is about a dependency (supplier -> customer)."""
        return bool(self.supplier)


def parse_change(text: str) -> Change:
    """A change from its text; `ChangeError` says what is wrong with a malformed one."""
    written = text.strip()
    if not written:
        raise ChangeError("an empty change; write e.g. billing.lead_time=1d or -billing")
    if written[0] in "+-" and "=" not in written:
        body = written[1:].strip()
        if _ARROW in body:
            supplier, customer = _pair(body, written)
            action: Action = "add_dependency" if written[0] == "+" else "remove_dependency"
            return Change(written, action, supplier=supplier, customer=customer)
        if written[0] == "+":
            raise ChangeError(
                f"{written!r}: `+` adds a dependency, written +SUPPLIER->CUSTOMER "
                "(units are added in the org file)"
            )
        if not body:
            raise ChangeError(f"{written!r}: name the unit to remove, e.g. -billing")
        return Change(written, "remove_unit", target=body)
    if "=" not in written:
        raise ChangeError(
            f"{written!r} is not a change; write UNIT.FIELD=VALUE, "
            "SUPPLIER->CUSTOMER.FIELD=VALUE, -UNIT, -SUPPLIER->CUSTOMER or +SUPPLIER->CUSTOMER"
        )
    left, value = (part.strip() for part in written.split("=", 1))
    if "." not in left:
        raise ChangeError(f"{written!r}: name the field to set, e.g. {left or 'billing'}.lead_time")
    subject, field_name = (part.strip() for part in left.rsplit(".", 1))
    if not value:
        raise ChangeError(f"{written!r}: give a value after `=`")
    sign = ""
    relative = _RELATIVE.match(value)
    if relative is not None:
        sign, value = relative.group(1), relative.group(2).strip()
    if _ARROW in subject:
        supplier, customer = _pair(subject, written)
        return Change(
            written,
            "set",
            supplier=supplier,
            customer=customer,
            field=field_name,
            value=value,
            sign=sign,
        )
    return Change(written, "set", target=subject, field=field_name, value=value, sign=sign)


def _pair(text: str, written: str) -> tuple[str, str]:
    supplier, _, customer = (part.strip() for part in text.partition(_ARROW))
    if not supplier or not customer:
        raise ChangeError(f"{written!r}: write a dependency as SUPPLIER->CUSTOMER")
    return supplier, customer


@dataclass(frozen=True, slots=True)
class Applied:
    """An org with the changes made, and the findings the changes caused (errors)."""

    org: Org
    findings: tuple[Finding, ...]


def apply_changes(org: Org, changes: Iterable[Change]) -> Applied:
    """The org with every change made, in order (later changes see earlier ones).

    Raises `ChangeError` when a change names an unknown unit, field or dependency.
    """
    draft = _Draft.of(org)
    for change in changes:
        draft.apply(change)
    return Applied(draft.build(), tuple(sorted(draft.findings, key=Finding.sort_key)))


@dataclass
class _Draft:
    org: Org
    units: dict[str, Unit]
    customers: dict[str, ExternalCustomer]
    dependencies: dict[tuple[str, str], Dependency]  # (supplier, customer), feedback included
    findings: list[Finding]

    @classmethod
    def of(cls, org: Org) -> _Draft:
        return cls(
            org,
            {u.id: u for u in org.units},
            {c.id: c for c in org.external_customers},
            {(d.supplier, d.customer): d for d in org.dependencies},
            [],
        )

    @property
    def settings(self) -> Settings:
        return self.org.settings

    def apply(self, change: Change) -> None:
        if change.action == "remove_unit":
            unit = self._unit(change.target, change)
            del self.units[unit.id]
            self.dependencies = {
                pair: dep for pair, dep in self.dependencies.items() if unit.id not in pair
            }
        elif change.action == "remove_dependency":
            pair = self._dependency(change)
            del self.dependencies[pair]
        elif change.action == "add_dependency":
            self._add_dependency(change)
        elif change.on_dependency:
            self._set_dependency(change)
        elif change.target in self.customers:
            self._set_customer(change)
        else:
            self._set_unit(change)

    def build(self) -> Org:
        departments = tuple(
            dataclasses.replace(d, roles=tuple(r for r in d.roles if r in self.units))
            for d in self.org.departments
        )
        return dataclasses.replace(
            self.org,
            units=tuple(sorted(self.units.values(), key=lambda u: u.id)),
            external_customers=tuple(self.customers.values()),
            departments=departments,
            dependencies=tuple(self.dependencies.values()),
        )

    # -- finding what a change names

    def _unit(self, unit_id: str, change: Change) -> Unit:
        if unit_id in self.units:
            return self.units[unit_id]
        if unit_id in self.customers:
            raise ChangeError(
                f"{change.text!r}: {unit_id!r} is an external customer, not a unit; "
                "only units can be removed"
            )
        groupings = {d.id: d for d in self.org.departments}
        if unit_id in groupings:
            roles = ", ".join(groupings[unit_id].roles)
            raise ChangeError(
                f"{change.text!r}: {unit_id!r} is a department with roles ({roles}); "
                "name one of its roles"
            )
        raise ChangeError(_unknown(change, "unit", unit_id, self.units))

    def _node(self, node_id: str, change: Change) -> None:
        if node_id not in self.units and node_id not in self.customers:
            raise ChangeError(
                _unknown(
                    change, "unit or external customer", node_id, [*self.units, *self.customers]
                )
            )

    def _dependency(self, change: Change) -> tuple[str, str]:
        pair = (change.supplier, change.customer)
        if pair in self.dependencies:
            return pair
        self._node(change.supplier, change)
        self._node(change.customer, change)
        listed = sorted(s for s, c in self.dependencies if c == change.customer)
        close = suggest(change.supplier, listed)
        known = f"; it depends on {', '.join(listed)}" if listed else "; it depends on no unit"
        raise ChangeError(
            f"{change.text!r}: {change.customer!r} does not depend on {change.supplier!r}"
            + (f"; {close}" if close else known)
        )

    # -- the changes themselves

    def _add_dependency(self, change: Change) -> None:
        pair = (change.supplier, change.customer)
        if pair in self.dependencies:
            raise ChangeError(
                f"{change.text!r}: {change.customer!r} already depends on {change.supplier!r}"
            )
        if change.supplier in self.customers:
            raise ChangeError(
                f"{change.text!r}: {change.supplier!r} is an external customer; "
                "external customers supply nobody"
            )
        self._unit(change.supplier, change)
        self._node(change.customer, change)
        at = (self.units.get(change.customer) or self.customers[change.customer]).location
        self.dependencies[pair] = Dependency(change.supplier, change.customer, at)

    def _set_unit(self, change: Change) -> None:
        unit = self._unit(change.target, change)
        kind = _field_kind(change, UNIT_FIELDS, "unit")
        current = getattr(unit, change.field)
        value = self._value(change, kind, current, unit.location)
        if value is None:
            return
        if change.field == "lead_time":
            estimate = _scaled(unit.lead_time_estimate, change, value, self.settings)
            updated = unit._replace(lead_time=value, lead_time_estimate=estimate)
        else:
            fields: dict[str, Any] = {change.field: value}
            updated = unit._replace(**fields)
        lead, process = updated.lead_time, updated.process_time
        if process is not None and process > lead:
            self._finding(
                "ICM208",
                unit.location,
                change,
                f"process_time of {unit.id!r} would be above its lead_time",
            )
            return
        self.units[unit.id] = updated

    def _set_dependency(self, change: Change) -> None:
        pair = self._dependency(change)
        dep = self.dependencies[pair]
        kind = _field_kind(change, DEPENDENCY_FIELDS, "dependency")
        value = self._value(change, kind, getattr(dep, change.field), dep.location)
        if value is not None:
            fields: dict[str, Any] = {change.field: value}
            self.dependencies[pair] = dep._replace(**fields)

    def _set_customer(self, change: Change) -> None:
        customer = self.customers[change.target]
        kind = _field_kind(change, CUSTOMER_FIELDS, "external customer")
        value = self._value(change, kind, customer.deadline, customer.location)
        if value is not None:
            self.customers[customer.id] = dataclasses.replace(customer, deadline=value)

    def _value(
        self, change: Change, kind: str, current: float | None, at: Location
    ) -> float | None:
        """The new value of a field, or None after a finding (a value check refuses)."""
        if not change.sign:
            return self._absolute(change, kind, at)
        if current is None:
            raise ChangeError(
                f"{change.text!r}: {change.field} is not set there, so it cannot change "
                f"by {change.sign}{change.value}; give a value, e.g. {change.field}=…"
            )
        percent = _PERCENT.fullmatch(change.value)
        if percent is not None:
            factor = float(percent.group(1)) / 100.0
            delta = current * factor
        else:
            delta = self._delta(change, kind)
        result = current + delta if change.sign == "+" else current - delta
        if kind == "whole":
            result = round(result)
        return self._checked(change, kind, result, at)

    def _delta(self, change: Change, kind: str) -> float:
        if kind == "duration":
            hours = parse_duration(change.value, self.settings)
            if hours is None:
                try:
                    hours = float(change.value) * self.settings.hours_per(self.settings.time_unit)
                except ValueError:
                    raise ChangeError(
                        f"{change.text!r}: {change.value!r} is not a duration; "
                        "write e.g. +2h, -1d or -25%"
                    ) from None
            return hours
        try:
            return float(change.value)
        except ValueError:
            raise ChangeError(
                f"{change.text!r}: {change.value!r} is not a number; write e.g. +2 or -25%"
            ) from None

    def _absolute(self, change: Change, kind: str, at: Location) -> float | None:
        """A value as the org file would hold it, read by the loader's own rules."""
        source = parse(change.value)
        if source.root is None or source.problems:
            raise ChangeError(f"{change.text!r}: {change.value!r} is not a value icmap reads")
        from icmap.loader import values

        report = Report(at.file)
        node = source.root
        what = change.field
        value: float | None
        if kind == "duration":
            value = values.duration(node, report, self.settings, what)
        elif kind == "number":
            value = values.number(node, report, what)
        elif kind == "whole":
            whole = values.whole_number(node, report, what, minimum=1)
            value = None if whole is None else float(whole)
        elif kind == "percentage":
            value = values.percentage(node, report, what)
        else:
            value = values.rating(node, report, self.settings, what)
        for problem in report.findings:
            self._finding(problem.code, at, change, problem.message)
        if value is not None and kind == "whole":
            return int(value)
        return value

    def _checked(self, change: Change, kind: str, value: float, at: Location) -> float | None:
        """A relative change's result, refused like the loader refuses a written value."""
        problem = ""
        if value < 0:
            shown = _shown(value, kind, self.settings)
            problem = f"{change.field} would be {shown}; it cannot be negative"
        elif kind == "whole" and value < 1:
            problem = f"{change.field} would be {value:g}; it must be at least 1"
        elif kind == "percentage" and value > 1:
            problem = f"{change.field} would be {value:.0%}, above 100%"
        elif kind == "rating":
            low, high = self.settings.satisfaction_scale
            if not low <= value <= high:
                problem = (
                    f"{change.field} would be {value:g}, outside the scale [{low:g}, {high:g}]"
                )
        if problem:
            code = (
                "ICM206"
                if value < 0 or kind == "whole"
                else ("ICM205" if kind == "percentage" else "ICM209")
            )
            self._finding(code, at, change, problem)
            return None
        return value

    def _finding(self, code: str, at: Location, change: Change, message: str) -> None:
        self.findings.append(
            Finding(
                code,
                RULES[code].level,
                f"the change {change.text!r}: {message}",
                at,
                "change the scenario; the org file itself is unchanged",
            )
        )


def _field_kind(change: Change, fields: dict[str, str], what: str) -> str:
    if change.field in fields:
        return fields[change.field]
    close = suggest(change.field, fields)
    raise ChangeError(
        f"{change.text!r}: {change.field!r} is not a field a change can set on a {what}"
        + (f"; {close}" if close else f" (fields: {', '.join(fields)})")
    )


def _unknown(change: Change, what: str, name: str, choices: Iterable[str]) -> str:
    close = suggest(name, choices)
    return f"{change.text!r}: no {what} {name!r}" + (f"; {close}" if close else "")


def _scaled(
    estimate: ThreePoint | None, change: Change, value: float, settings: Settings
) -> ThreePoint | None:
    """A three-point lead time moved like its expected value: a relative change moves every
    point alike (by the same share, or the same time); an absolute one fixes the time."""
    if estimate is None or not change.sign:
        return None
    if _PERCENT.fullmatch(change.value):
        factor = value / estimate.expected if estimate.expected else 1.0
        return ThreePoint(*(p * factor for p in dataclasses.astuple(estimate)))
    shift = value - estimate.expected
    return ThreePoint(*(max(0.0, p + shift) for p in dataclasses.astuple(estimate)))


def _shown(value: float, kind: str, settings: Settings) -> str:
    from icmap.model import format_duration

    return format_duration(value, settings) if kind == "duration" else f"{value:g}"


def parse_changes(texts: Sequence[str]) -> list[Change]:
    """Every change of a command line, in order (`ChangeError` at the first malformed one)."""
    return [parse_change(text) for text in texts]

"""Compare two analyzed orgs: what a change did to the external customers, then the rest.

The result is data, in the order of what matters to the external customer: per customer
the critical path (length, deadline slack, on time or late, units that joined or left it),
floats that moved more than a threshold, bottleneck ranks, new and resolved breaches,
orphans and single points of failure, and the structure (units, customers, dependencies and
fields added, removed or changed). Durations are hours; every list is sorted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from typing import Any

from icmap.analysis.result import Analysis, ServiceBreach
from icmap.change.figures import Figures
from icmap.model import Dependency, ExternalCustomer, Location, ThreePoint, Unit

#: Bottlenecks are compared within the top ranks: moves further down are noise to a reviewer.
TOP_BOTTLENECKS = 10
#: Lengths and floats come from exact ticks; this only absorbs the float of ticks -> hours.
_SAME = 1e-9


@dataclass(frozen=True, slots=True)
class CustomerChange:
    """What happened to one external customer (None: it is not in that org)."""

    customer: str
    old_length: float | None
    new_length: float | None
    old_deadline: float | None
    new_deadline: float | None
    old_slack: float | None  # deadline - length; None without a deadline
    new_slack: float | None
    joined_critical_path: tuple[str, ...]
    left_critical_path: tuple[str, ...]

    @property
    def delta(self) -> float | None:
        """new length - old length (None when the customer is in one org only)."""
        if self.old_length is None or self.new_length is None:
            return None
        return self.new_length - self.old_length

    @property
    def old_late(self) -> bool | None:
        """True when late before (None: no deadline, or not in the old org)."""
        return None if self.old_slack is None else self.old_slack < -_SAME

    @property
    def new_late(self) -> bool | None:
        """True when late after (None: no deadline, or not in the new org)."""
        return None if self.new_slack is None else self.new_slack < -_SAME

    @property
    def changed(self) -> bool:
        """True when anything about this customer's path changed."""
        delta = self.delta
        return (
            self.old_length is None
            or self.new_length is None
            or abs(delta or 0.0) > _SAME
            or self.old_deadline != self.new_deadline
            or bool(self.joined_critical_path or self.left_critical_path)
        )

    @property
    def worse(self) -> bool:
        """True when its critical path got longer or it became late."""
        delta = self.delta
        return (delta is not None and delta > _SAME) or (bool(self.new_late) and not self.old_late)


@dataclass(frozen=True, slots=True)
class FloatChange:
    """A unit whose float for one customer moved by more than the threshold (hours)."""

    id: str
    customer: str
    old: float
    new: float

    @property
    def delta(self) -> float:
        """new - old: negative when the unit has less room than before."""
        return self.new - self.old


@dataclass(frozen=True, slots=True)
class BottleneckChange:
    """A bottleneck in the top ranks of either org whose rank or score changed."""

    id: str
    old_rank: int | None  # None: not ranked before
    new_rank: int | None
    old_score: float | None
    new_score: float | None

    @property
    def entered(self) -> bool:
        """True when it entered the top ranks."""
        return self.new_rank is not None and (
            self.old_rank is None or self.old_rank > TOP_BOTTLENECKS
        )

    @property
    def left(self) -> bool:
        """True when it left the top ranks."""
        return self.old_rank is not None and (
            self.new_rank is None or self.new_rank > TOP_BOTTLENECKS
        )


@dataclass(frozen=True, slots=True)
class FieldChange:
    """A field of a unit, external customer or dependency with another value."""

    id: str  # the unit or customer; for a dependency, its customer
    supplier: str | None  # for a dependency, else None
    field: str
    old: Any  # as the model holds it: hours for durations, fractions for percentages
    new: Any


@dataclass(frozen=True, slots=True)
class OrgDiff:
    """Everything that differs between two orgs, old -> new."""

    old: Analysis
    new: Analysis
    threshold: float
    customers: tuple[CustomerChange, ...]  # by customer id
    float_changes: tuple[FloatChange, ...]  # largest move first
    bottlenecks: tuple[BottleneckChange, ...]  # by new rank, then old rank
    breaches_new: tuple[ServiceBreach, ...]
    breaches_resolved: tuple[ServiceBreach, ...]
    orphans_new: tuple[str, ...]
    orphans_resolved: tuple[str, ...]
    single_points_of_failure_new: tuple[str, ...]
    single_points_of_failure_resolved: tuple[str, ...]
    units_added: tuple[str, ...]
    units_removed: tuple[str, ...]
    customers_added: tuple[str, ...]
    customers_removed: tuple[str, ...]
    dependencies_added: tuple[tuple[str, str], ...]  # (supplier, customer)
    dependencies_removed: tuple[tuple[str, str], ...]
    fields_changed: tuple[FieldChange, ...]

    @property
    def changed(self) -> bool:
        """True when the orgs differ in anything the report shows."""
        return any(c.changed for c in self.customers) or any(
            (
                self.float_changes,
                self.bottlenecks,
                self.breaches_new,
                self.breaches_resolved,
                self.orphans_new,
                self.orphans_resolved,
                self.single_points_of_failure_new,
                self.single_points_of_failure_resolved,
                self.units_added,
                self.units_removed,
                self.customers_added,
                self.customers_removed,
                self.dependencies_added,
                self.dependencies_removed,
                self.fields_changed,
            )
        )

    @property
    def worse(self) -> bool:
        """`--fail-on worse`: a critical path got longer, a customer became late, or a
        breach, orphan or single point of failure is new."""
        return any(c.worse for c in self.customers) or bool(
            self.breaches_new or self.orphans_new or self.single_points_of_failure_new
        )


def compare(old: Figures, new: Figures, threshold: float = 1.0) -> OrgDiff:
    """old -> new. `threshold`: hours a unit's float must move by to be listed."""
    a, b = old.analysis, new.analysis
    old_breaches = {(x.supplier, x.customer): x for x in a.service_breaches}
    new_breaches = {(x.supplier, x.customer): x for x in b.service_breaches}
    old_spof = {s.id for s in a.single_points_of_failure}
    new_spof = {s.id for s in b.single_points_of_failure}
    old_units, new_units = _by_id(a.org.units), _by_id(b.org.units)
    old_customers = _by_id(a.org.external_customers)
    new_customers = _by_id(b.org.external_customers)
    old_deps = {(d.supplier, d.customer): d for d in a.org.dependencies}
    new_deps = {(d.supplier, d.customer): d for d in b.org.dependencies}
    return OrgDiff(
        old=a,
        new=b,
        threshold=threshold,
        customers=tuple(_customers(a, b)),
        float_changes=_float_changes(old.floats, new.floats, threshold),
        bottlenecks=_bottlenecks(a, b),
        breaches_new=tuple(new_breaches[k] for k in sorted(new_breaches.keys() - old_breaches)),
        breaches_resolved=tuple(
            old_breaches[k] for k in sorted(old_breaches.keys() - new_breaches)
        ),
        orphans_new=tuple(sorted(set(b.orphans) - set(a.orphans))),
        orphans_resolved=tuple(sorted(set(a.orphans) - set(b.orphans))),
        single_points_of_failure_new=tuple(sorted(new_spof - old_spof)),
        single_points_of_failure_resolved=tuple(sorted(old_spof - new_spof)),
        units_added=tuple(sorted(new_units.keys() - old_units)),
        units_removed=tuple(sorted(old_units.keys() - new_units)),
        customers_added=tuple(sorted(new_customers.keys() - old_customers)),
        customers_removed=tuple(sorted(old_customers.keys() - new_customers)),
        dependencies_added=tuple(sorted(new_deps.keys() - old_deps)),
        dependencies_removed=tuple(sorted(old_deps.keys() - new_deps)),
        fields_changed=tuple(
            [
                *_fields_changed(old_units, new_units),
                *_fields_changed(old_customers, new_customers),
                *_dependency_fields_changed(old_deps, new_deps),
            ]
        ),
    )


def _by_id(items: Iterable[Unit | ExternalCustomer]) -> dict[str, Any]:
    return {item.id: item for item in items}


def _critical_units(analysis: Analysis) -> dict[str, set[str]]:
    """Customer id -> the units on a longest path to it (every tied path counts)."""
    found: dict[str, set[str]] = {c.id: set() for c in analysis.org.external_customers}
    for unit in analysis.units:
        for customer in unit.critical_for:
            found.setdefault(customer, set()).add(unit.id)
    return found


def _customers(a: Analysis, b: Analysis) -> Iterator[CustomerChange]:
    old_paths = {p.customer: p for p in a.critical_paths}
    new_paths = {p.customer: p for p in b.critical_paths}
    old_critical, new_critical = _critical_units(a), _critical_units(b)
    for customer in sorted(old_paths.keys() | new_paths.keys()):
        before, after = old_paths.get(customer), new_paths.get(customer)
        was = old_critical.get(customer, set()) if before else set()
        now = new_critical.get(customer, set()) if after else set()
        yield CustomerChange(
            customer=customer,
            old_length=None if before is None else before.length,
            new_length=None if after is None else after.length,
            old_deadline=None if before is None else before.deadline,
            new_deadline=None if after is None else after.deadline,
            old_slack=None if before is None else before.slack,
            new_slack=None if after is None else after.slack,
            joined_critical_path=tuple(sorted(now - was)) if before and after else (),
            left_critical_path=tuple(sorted(was - now)) if before and after else (),
        )


def _float_changes(
    old: dict[tuple[str, str], float], new: dict[tuple[str, str], float], threshold: float
) -> tuple[FloatChange, ...]:
    moved = [
        FloatChange(unit, customer, old[unit, customer], new[unit, customer])
        for unit, customer in old.keys() & new.keys()
        if abs(new[unit, customer] - old[unit, customer]) > threshold + _SAME
    ]
    return tuple(sorted(moved, key=lambda f: (-abs(f.delta), f.id, f.customer)))


def _bottlenecks(a: Analysis, b: Analysis) -> tuple[BottleneckChange, ...]:
    old = {x.id: x for x in a.bottlenecks}
    new = {x.id: x for x in b.bottlenecks}
    top = {x.id for x in a.bottlenecks[:TOP_BOTTLENECKS]} | {
        x.id for x in b.bottlenecks[:TOP_BOTTLENECKS]
    }
    found = []
    for unit in top:
        before, after = old.get(unit), new.get(unit)
        change = BottleneckChange(
            unit,
            None if before is None else before.rank,
            None if after is None else after.rank,
            None if before is None else before.score,
            None if after is None else after.score,
        )
        if change.old_rank != change.new_rank or _moved(change.old_score, change.new_score):
            found.append(change)
    far = 1 << 30
    return tuple(sorted(found, key=lambda c: (c.new_rank or far, c.old_rank or far, c.id)))


def _moved(old: float | None, new: float | None) -> bool:
    if old is None or new is None:
        return old is not new
    return round(old, 2) != round(new, 2)  # scores are shown to 2 decimals


def _comparable(value: Any) -> Any:
    """A model value as a report shows it: three points as a mapping, tuples as lists."""
    if isinstance(value, ThreePoint):
        return {
            "optimistic": value.optimistic,
            "likely": value.likely,
            "pessimistic": value.pessimistic,
        }
    if isinstance(value, tuple):
        return [_comparable(v) for v in value]
    return value


_SKIPPED = {"id", "location", "supplier", "customer", "roles"}


def _field_names(record: Any) -> list[str]:
    names = record._fields if hasattr(record, "_fields") else [f.name for f in fields(record)]
    return [name for name in names if name not in _SKIPPED]


def _differences(before: Any, after: Any) -> Iterator[tuple[str, Any, Any]]:
    for name in _field_names(after):
        old, new = getattr(before, name, None), getattr(after, name, None)
        if isinstance(old, Location) or isinstance(new, Location):
            continue  # where a figure is written is not a change of the org
        if old != new:
            yield name, _comparable(old), _comparable(new)


def _fields_changed(old: dict[str, Any], new: dict[str, Any]) -> Iterator[FieldChange]:
    for key in sorted(old.keys() & new.keys()):
        for name, before, after in _differences(old[key], new[key]):
            yield FieldChange(key, None, name, before, after)


def _dependency_fields_changed(
    old: dict[tuple[str, str], Dependency], new: dict[tuple[str, str], Dependency]
) -> Iterator[FieldChange]:
    for supplier, customer in sorted(old.keys() & new.keys(), key=lambda p: (p[1], p[0])):
        for name, before, after in _differences(old[supplier, customer], new[supplier, customer]):
            yield FieldChange(customer, supplier, name, before, after)

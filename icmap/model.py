"""The values icmap works with: an org, its units and dependencies, and findings about them.

Everything here is a frozen dataclass, or a named tuple where a large org has hundreds of
thousands of them (`Location`, `Unit`, `Dependency`). Durations are stored in hours (the
loader converts whatever the user wrote), so analysis never has to think about units of time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from icmap.formatting import duration


class Location(NamedTuple):
    """A 1-based place in a file, as the user named the file.

    A named tuple rather than a frozen dataclass: a large org has hundreds of thousands of
    these, and a tuple is made several times faster. It orders by file, line, column.
    """

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class CellLocation(Location):
    """A cell of a CSV file: `units.csv:7:3` is row 7, the third column (`line` is the row).

    Reports show no source line for it: a caret under the third character of a CSV row would
    point at the wrong thing.
    """

    __slots__ = ()


class WorkbookCell(CellLocation):
    """A cell of a workbook's sheet: `file` is `book.xlsx:units`; shown `book.xlsx:units!C7`."""

    __slots__ = ()

    def __str__(self) -> str:
        return f"{self.file}!{column_letters(self.column)}{self.line}"


def column_letters(column: int) -> str:
    """A spreadsheet's name for a 1-based column number: 1 -> A, 27 -> AA."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class Level(StrEnum):
    """How serious a finding is: errors fail a check, warnings only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in an org file: a stable code, a level, what is wrong and how to fix it."""

    code: str
    level: Level
    message: str
    location: Location | None = None
    hint: str = ""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order findings by file, position, then code and message (deterministic output)."""
        loc = self.location
        if loc is None:
            return ("", 0, 0, self.code, self.message)
        return (loc.file, loc.line, loc.column, self.code, self.message)


def count_level(findings: Iterable[Finding], level: Level) -> int:
    """How many of `findings` are of `level`."""
    return sum(1 for f in findings if f.level is level)


TIME_UNITS = ("minutes", "hours", "days", "weeks")
DEPENDENCY_KINDS = ("information", "product", "service", "approval", "other")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: The figures of a dependency that a measurement may give (docs/format.md, "measurements").
MEASURED_FIGURES = ("actual", "volume", "complete_accurate", "satisfaction")


@dataclass(frozen=True, slots=True)
class Settings:
    """The `settings:` section: how bare numbers and `d`/`w` durations are read."""

    time_unit: str = "hours"
    hours_per_day: float = 8.0
    days_per_week: float = 5.0
    satisfaction_scale: tuple[float, float] = (1.0, 5.0)
    utilization_warning: float = 0.85
    #: The working part of a working day, as minutes after midnight (start < end); None:
    #: importers count calendar time.
    working_hours: tuple[int, int] | None = None
    working_days: tuple[str, ...] = WEEKDAYS[:5]
    timezone: str = "UTC"  # IANA name, for log timestamps without an offset
    # `simulation: {runs, seed}`: defaults of icmap simulate and of the on-time policy rule.
    simulation_runs: int = 10_000
    simulation_seed: int = 1

    def hours_per(self, unit: str) -> float:
        """Hours in one `unit` (`m`, `h`, `d`, `w` or a `time_unit` name)."""
        if unit in ("m", "min", "minutes"):
            return 1.0 / 60.0
        if unit in ("h", "hours"):
            return 1.0
        if unit in ("d", "days"):
            return self.hours_per_day
        if unit in ("w", "weeks"):
            return self.hours_per_day * self.days_per_week
        raise ValueError(f"unknown time unit {unit!r}")


@dataclass(frozen=True, slots=True)
class ThreePoint:
    """A three-point lead time estimate in hours (optimistic <= likely <= pessimistic)."""

    optimistic: float
    likely: float
    pessimistic: float

    @property
    def expected(self) -> float:
        """PERT expected value (o + 4m + p) / 6, used by every deterministic analysis."""
        return (self.optimistic + 4.0 * self.likely + self.pessimistic) / 6.0


@dataclass(frozen=True, slots=True)
class Measurement:
    """One entry of `measurements:`: measured figures of a handoff, and where they come from.

    `actual`, `volume`, `complete_accurate` and `satisfaction` count as if written in the
    dependency of `customer` on `supplier`; the rest is provenance, shown in reports and never
    changing a deterministic figure. Durations in hours, shares as fractions 0-1.
    """

    supplier: str
    customer: str
    location: Location
    actual: float | None = None
    actual_estimate: ThreePoint | None = None
    volume: float | None = None
    complete_accurate: float | None = None
    satisfaction: float | None = None
    actual_p90: float | None = None
    within_standard: float | None = None
    responses: int | None = None
    dimensions: tuple[tuple[str, float], ...] = ()  # (dimension, mean rating), as written
    samples: int | None = None
    period: tuple[str, str] | None = None  # ISO dates, the first not after the second
    source: str | None = None
    #: Where each key is written in the measurement (figure name -> location).
    key_locations: tuple[tuple[str, Location], ...] = ()

    @property
    def figures(self) -> tuple[str, ...]:
        """The dependency figures this measurement gives, of MEASURED_FIGURES."""
        return tuple(name for name in MEASURED_FIGURES if getattr(self, name) is not None)

    def count(self, figure: str) -> int | None:
        """How many observations are behind `figure`: responses for satisfaction, else samples."""
        return self.responses if figure == "satisfaction" else self.samples

    def location_of(self, key: str) -> Location:
        """Where `key` is written in this measurement (the entry itself if it is not)."""
        return next((at for name, at in self.key_locations if name == key), self.location)


class Dependency(NamedTuple):
    """An edge supplier -> internal (or external) customer, with its service figures.

    Durations are in hours; `complete_accurate` is a fraction 0-1.

    A named tuple rather than a frozen dataclass, like `Location`: a large org has hundreds
    of thousands of dependencies, and the frozen dataclass `__init__` sets each of its 11
    fields through `object.__setattr__` (about 1.2 µs a dependency, against about 0.3 µs
    for the tuple). It is built and read the same way (by keyword, defaults alike); being
    a tuple, it also compares and orders field by field.
    """

    supplier: str
    customer: str
    location: Location
    provides: str | None = None
    kind: str | None = None
    standard: float | None = None
    actual: float | None = None
    complete_accurate: float | None = None
    satisfaction: float | None = None
    volume: float | None = None
    feedback: bool = False
    #: A three-point `actual` as written; `actual` holds its expected value (o + 4m + p) / 6.
    actual_estimate: ThreePoint | None = None
    #: The measurements of this handoff that gave it figures (docs/format.md).
    measurements: tuple[Measurement, ...] = ()

    def measured_by(self, figure: str) -> Measurement | None:
        """The measurement that gave `figure` (`actual`, `volume`...), or None if written here."""
        for measurement in self.measurements:
            if getattr(measurement, figure, None) not in (None, ()):
                return measurement
        return None

    @property
    def handoff(self) -> float:
        """Handoff time in hours: `actual` if measured, else `standard`, else 0."""
        if self.actual is not None:
            return self.actual
        if self.standard is not None:
            return self.standard
        return 0.0

    @property
    def breach_ratio(self) -> float | None:
        """actual / standard when the measured time exceeds the standard, else None."""
        if self.actual is None or self.standard is None or self.actual <= self.standard:
            return None
        if self.standard == 0:
            return float("inf")
        return self.actual / self.standard


class Unit(NamedTuple):
    """A role, or a department without roles: something that does work and hands it on.

    A named tuple rather than a frozen dataclass, for the reason `Dependency` gives: one
    per role (100,000 in a large org), each made by keyword in about 0.5 µs instead of 1.3.
    """

    id: str
    location: Location
    name: str = ""
    kind: str = "role"  # "role" or "department"
    department: str | None = None
    description: str | None = None
    owner: str | None = None
    tags: tuple[str, ...] = ()
    lead_time: float = 0.0
    lead_time_estimate: ThreePoint | None = None
    process_time: float | None = None
    capacity: float | None = None
    headcount: int | None = None
    aliases: tuple[str, ...] = ()  # other names in logs and surveys (icmap.names)

    @property
    def label(self) -> str:
        """The name to show people: `name`, or the id when no name was given."""
        return self.name or self.id


@dataclass(frozen=True, slots=True)
class Department:
    """A department that has roles: a grouping of units (a cluster in diagrams)."""

    id: str
    location: Location
    name: str = ""
    description: str | None = None
    owner: str | None = None
    tags: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The name to show people."""
        return self.name or self.id


@dataclass(frozen=True, slots=True)
class ExternalCustomer:
    """The one who pays: the end of every value stream. Its lead time is 0."""

    id: str
    location: Location
    name: str = ""
    description: str | None = None
    deadline: float | None = None
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The name to show people."""
        return self.name or self.id


@dataclass(frozen=True, slots=True)
class PolicyRule:
    """One rule of `policy:` as written, and where (docs/format.md, "policy").

    `value` is hours (max_critical_path: a tuple of (customer id or None for `default`,
    hours, location) entries), a number or fraction, True, or `allowed`/`forbidden`.
    """

    name: str
    value: Any
    location: Location


@dataclass(frozen=True, slots=True)
class Policy:
    """The rules an org must keep; `icmap check` reports every violation as an error."""

    rules: tuple[PolicyRule, ...] = ()

    def rule(self, name: str) -> PolicyRule | None:
        """The rule of this name, or None when the policy does not set it."""
        return next((r for r in self.rules if r.name == name), None)


@dataclass(frozen=True, slots=True)
class Org:
    """A whole organization as read from an org file and its includes."""

    name: str
    location: Location
    settings: Settings = field(default_factory=Settings)
    units: tuple[Unit, ...] = ()
    departments: tuple[Department, ...] = ()
    external_customers: tuple[ExternalCustomer, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    files: tuple[str, ...] = ()
    #: Every valid measurement, declared dependency or not (an undeclared one is a warning).
    measurements: tuple[Measurement, ...] = ()
    format: int = 1
    policy: Policy | None = None  # `policy:` of the main file
    # Supplier references that could not be resolved (already reported as errors): the id
    # of the unit or customer that made it, and the units it may have meant (a grouping's
    # roles). Checks that need every dependency leave their knock-on findings out.
    unresolved: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def unit(self, unit_id: str) -> Unit:
        """The unit with this id (KeyError if there is none)."""
        for unit in self.units:
            if unit.id == unit_id:
                return unit
        raise KeyError(unit_id)


def format_duration(hours: float, settings: Settings | None = None) -> str:
    """Hours as people write them, in the org's working days: `1d 2h`, `45m` (see
    `icmap.formatting.duration`)."""
    return duration(hours, (settings or Settings()).hours_per_day)

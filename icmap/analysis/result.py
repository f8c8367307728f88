"""What an analysis returns: plain frozen dataclasses, all durations in hours.

This is the contract between the analysis engine and everything that shows its results
(report writers, charts). Add fields freely; rename only with every reader updated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from icmap.model import Org


@dataclass(frozen=True, slots=True)
class UnitFigures:
    """CPM times, float, criticality and load of one unit (hours)."""

    id: str
    es: float
    ef: float
    ls: float
    lf: float
    total_float: float
    free_float: float
    critical: bool
    critical_for: tuple[str, ...] = ()  # external customers whose critical path it lies on
    near_critical: bool = False
    utilization: float | None = None
    downstream_units: int = 0  # units that depend on it, transitively
    downstream_customers: int = 0  # external customers that depend on it, transitively
    downstream_exact: bool = True  # False when the unit count is an estimate (huge orgs)
    single_point_of_failure_for: tuple[str, ...] = ()
    # Total float as if no customer had a deadline: how many hours its longest path to a
    # customer is shorter than that customer's critical path (0 = critical; None = orphan).
    critical_gap: float | None = None


@dataclass(frozen=True, slots=True)
class Handoff:
    """One supplier -> customer handoff on a path, with what it costs and how good it is."""

    supplier: str
    customer: str
    time: float
    complete_accurate: float | None = None
    satisfaction: float | None = None


@dataclass(frozen=True, slots=True)
class CriticalPath:
    """The longest path to one external customer, with its value-stream figures."""

    customer: str
    path: tuple[str, ...]  # unit ids from the first supplier to the customer, customer last
    length: float  # EF of the customer
    deadline: float | None = None
    slack: float | None = None  # deadline - length; negative = late
    total_lead_time: float = 0.0  # sum of unit lead times along it
    total_handoff_time: float = 0.0
    total_process_time: float | None = None  # None when no unit on it gives process_time
    activity_ratio: float | None = None  # process / lead
    rolled_complete_accurate: float | None = None  # product of %C&A on its edges
    weakest_handoff: Handoff | None = None  # lowest %C&A on it
    handoffs: tuple[Handoff, ...] = ()


@dataclass(frozen=True, slots=True)
class RankedPath:
    """One of the top-k longest paths to a customer (`--paths K`)."""

    customer: str
    path: tuple[str, ...]
    length: float


@dataclass(frozen=True, slots=True)
class Bottleneck:
    """A unit that holds others up, with its score, the parts of the score, and why."""

    id: str
    rank: int
    score: float
    reasons: tuple[str, ...]
    components: tuple[tuple[str, float], ...] = ()  # (name, points) adding up to score


@dataclass(frozen=True, slots=True)
class SinglePointOfFailure:
    """A unit every path from some units to these customers passes through."""

    id: str
    customers: tuple[str, ...]
    guards: int = 0  # units that reach a customer only through it (the most for any one)
    guards_by_customer: tuple[tuple[str, int], ...] = ()  # (customer id, units guarded)


@dataclass(frozen=True, slots=True)
class ServiceBreach:
    """A dependency whose measured time exceeds its service standard."""

    supplier: str
    customer: str
    standard: float
    actual: float
    ratio: float
    provides: str | None = None


@dataclass(frozen=True, slots=True)
class SupplierRating:
    """The mean satisfaction of a supplier's internal customers."""

    supplier: str
    mean: float
    ratings: int


@dataclass(frozen=True, slots=True)
class JobSwap:
    """A supplier/customer pair who should learn each other's work, and why."""

    supplier: str
    customer: str
    reasons: tuple[str, ...]
    severity: float


@dataclass(frozen=True, slots=True)
class ImprovementTeam:
    """A process-improvement team for one critical path: one member per department on it."""

    customer: str
    members: tuple[tuple[str, str], ...]  # (department id or unit id, representative unit id)


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts and headline figures."""

    units: int
    dependencies: int
    external_customers: int
    departments: int
    feedback_dependencies: int
    critical_units: int
    longest_path: float
    late_customers: int = 0


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything `icmap analyze` computes for one org."""

    org: Org
    summary: Summary
    units: tuple[UnitFigures, ...]  # sorted by id
    critical_paths: tuple[CriticalPath, ...]  # sorted by customer id
    bottlenecks: tuple[Bottleneck, ...]  # ranked, highest score first (at most 100)
    single_points_of_failure: tuple[SinglePointOfFailure, ...]
    orphans: tuple[str, ...]
    service_breaches: tuple[ServiceBreach, ...]  # worst ratio first
    hotspots: tuple[Handoff, ...] = ()  # lowest-rated handoffs first
    supplier_ratings: tuple[SupplierRating, ...] = ()  # lowest mean first
    job_swaps: tuple[JobSwap, ...] = ()
    improvement_teams: tuple[ImprovementTeam, ...] = ()
    longest_paths: tuple[RankedPath, ...] = ()  # top-k per customer when asked
    near_threshold: float = 0.0
    bottlenecks_omitted: int = 0  # units with a reason that fell below the listed ones
    options: dict[str, object] = field(default_factory=dict)

    def unit(self, unit_id: str) -> UnitFigures:
        """The figures of one unit."""
        for figures in self.units:
            if figures.id == unit_id:
                return figures
        raise KeyError(unit_id)

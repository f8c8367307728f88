"""What an analysis returns: plain frozen dataclasses, all durations in hours.

This is the contract between the analysis engine and everything that shows its results
(report writers, charts). Add fields freely; rename only with every reader updated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

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
    # The external customer whose deadline it misses by the most (total float < 0), else None.
    late_for: str | None = None


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


# ---- why a unit ranks: one record per part of the score, facts only (the report words them)


@dataclass(frozen=True, slots=True)
class OnCriticalPath:
    """It lies on the critical path to these customers, with its float for each one.

    `floats` holds (customer id, hours before that customer's deadline), negative when the
    customer gets the work late, None when the customer has no deadline (no float)."""

    kind: ClassVar[str] = "critical_path"
    floats: tuple[tuple[str, float | None], ...]


@dataclass(frozen=True, slots=True)
class GuardsCustomers:
    """A single point of failure: (customer id, units that reach it only through this one)."""

    kind: ClassVar[str] = "single_point_of_failure"
    guards_by_customer: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class DownstreamReach:
    """Many units and customers depend on its work, transitively."""

    kind: ClassVar[str] = "downstream_reach"
    units: int
    share: float  # of the other units, 0-1
    customers: int
    exact: bool = True  # False: `units` is an estimate (huge orgs)


@dataclass(frozen=True, slots=True)
class Overloaded:
    """Its utilization is at or above the warning (above 1: its queue grows without bound)."""

    kind: ClassVar[str] = "utilization"
    utilization: float  # may be infinite (a capacity of 0)
    warning: float


@dataclass(frozen=True, slots=True)
class MissesStandards:
    """It misses the service standard on some of the dependencies on it; the worst one."""

    kind: ClassVar[str] = "service_breaches"
    breaches: int
    dependencies: int
    customer: str  # of the worst breach
    actual: float
    standard: float
    ratio: float  # actual / standard, infinite for a standard of 0


@dataclass(frozen=True, slots=True)
class RatedLow:
    """Its internal customers rate it below the middle of the scale."""

    kind: ClassVar[str] = "low_satisfaction"
    mean: float
    ratings: int
    low: float
    high: float


BottleneckReason = (
    OnCriticalPath | GuardsCustomers | DownstreamReach | Overloaded | MissesStandards | RatedLow
)

#: The hard reasons that make a ranked unit a bottleneck (docs/analysis.md, "Bottlenecks").
HARD_REASONS = ("slowest_on_critical_path", "overloaded", "breach_on_critical_path")


@dataclass(frozen=True, slots=True)
class Bottleneck:
    """A ranked unit: its score, the parts of the score, why, and whether it is a bottleneck.

    It is a bottleneck when it carries a hard reason (`hard`, names from `HARD_REASONS`);
    the others are ranked (they have a reason) but hold nobody up on their own.
    """

    id: str
    rank: int
    score: float
    reasons: tuple[BottleneckReason, ...]
    components: tuple[tuple[str, float], ...] = ()  # (name, points) adding up to score
    hard: tuple[str, ...] = ()

    @property
    def bottleneck(self) -> bool:
        """True when it carries a hard reason."""
        return bool(self.hard)


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


# ---- why a pair should swap jobs: one record per troubled dependency part


@dataclass(frozen=True, slots=True)
class SlowHandoff:
    """The supplier takes longer than the service standard on this dependency."""

    kind: ClassVar[str] = "breach"
    supplier: str
    customer: str
    actual: float
    standard: float
    ratio: float


@dataclass(frozen=True, slots=True)
class IncompleteHandoff:
    """Too little of what the supplier hands over is complete and accurate."""

    kind: ClassVar[str] = "complete_accurate"
    supplier: str
    customer: str
    complete_accurate: float


@dataclass(frozen=True, slots=True)
class LowRating:
    """The internal customer rates the supplier below the middle of the scale."""

    kind: ClassVar[str] = "satisfaction"
    supplier: str
    customer: str
    satisfaction: float
    low: float
    high: float


SwapReason = SlowHandoff | IncompleteHandoff | LowRating


@dataclass(frozen=True, slots=True)
class JobSwap:
    """A supplier/customer pair who should learn each other's work, and why.

    A reason whose supplier is this pair's customer is about the dependency back."""

    supplier: str
    customer: str
    reasons: tuple[SwapReason, ...]
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
    late_units: int = 0  # units with negative float for some customer
    bottlenecks: int = 0  # ranked units with a hard reason (all of them, listed or not)
    ranked: int = 0  # units with any reason (listed or not)


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
    # Handoffs on a longest path to some customer (supplier id, customer id), sorted: every
    # tie, not only the one path reported; from the schedule's exact integer times.
    critical_edges: frozenset[tuple[str, str]] = frozenset()
    focus: str | None = None  # the external customer the analysis was narrowed to, if any
    options: dict[str, object] = field(default_factory=dict)

    def unit(self, unit_id: str) -> UnitFigures:
        """The figures of one unit."""
        for figures in self.units:
            if figures.id == unit_id:
                return figures
        raise KeyError(unit_id)

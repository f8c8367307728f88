"""Service figures: breaches, utilization, satisfaction, and the value stream of a path.

One pass over the dependencies (`survey`) gathers what every figure needs: O(dependencies).
Feedback dependencies count here (they are real requests between real people); only paths
leave them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from icmap.analysis.result import CriticalPath, Handoff, ServiceBreach, SupplierRating
from icmap.model import Dependency, Org, Settings, Unit

INFINITE = float("inf")


def normalized(rating: float, settings: Settings) -> float:
    """A satisfaction rating as a fraction of its scale: the low end is 0, the high end 1."""
    low, high = settings.satisfaction_scale
    return (rating - low) / (high - low) if high > low else 1.0


@dataclass(slots=True)
class Served:
    """How a supplier serves its customers: breaches and ratings on the dependencies on it."""

    dependencies: int = 0
    breaches: int = 0
    worst: Dependency | None = (
        None  # the breach with the highest ratio (smaller customer id on a tie)
    )
    worst_ratio: float = 0.0
    ratings: int = 0
    rating_total: float = 0.0
    volume: float | None = None  # requests per week asked of it, None when no dependency says

    @property
    def mean_rating(self) -> float | None:
        """Mean satisfaction over the rated dependencies, None without ratings."""
        return self.rating_total / self.ratings if self.ratings else None


@dataclass(slots=True)
class Survey:
    """Everything one pass over the dependencies finds."""

    served: dict[str, Served] = field(default_factory=dict)  # by supplier id
    breaches: list[Dependency] = field(default_factory=list)
    rated: list[Dependency] = field(default_factory=list)


def survey(org: Org) -> Survey:
    """Walk the dependencies once, collecting per supplier and the breached and rated ones."""
    found = Survey()
    served = found.served
    for dep in org.dependencies:
        entry = served.get(dep.supplier)
        if entry is None:
            entry = served[dep.supplier] = Served()
        entry.dependencies += 1
        if dep.volume is not None:
            entry.volume = (entry.volume or 0.0) + dep.volume
        actual, standard = dep.actual, dep.standard
        if actual is not None and standard is not None and actual > standard:
            found.breaches.append(dep)
            ratio = actual / standard if standard else INFINITE
            entry.breaches += 1
            worst = entry.worst
            if (
                worst is None
                or ratio > entry.worst_ratio
                or (ratio == entry.worst_ratio and dep.customer < worst.customer)
            ):
                entry.worst, entry.worst_ratio = dep, ratio
        if dep.satisfaction is not None:
            found.rated.append(dep)
            entry.ratings += 1
            entry.rating_total += dep.satisfaction
    return found


def service_breaches(found: Survey) -> tuple[ServiceBreach, ...]:
    """Dependencies whose actual time exceeds their standard, worst ratio first.

    ratio = actual / standard (infinite when the standard is 0); ties by supplier, customer.
    """
    breaches = []
    for dep in found.breaches:
        actual, standard = dep.actual or 0.0, dep.standard or 0.0
        ratio = actual / standard if standard else INFINITE
        breaches.append(
            ServiceBreach(dep.supplier, dep.customer, standard, actual, ratio, dep.provides)
        )
    breaches.sort(key=lambda b: (-b.ratio, b.supplier, b.customer))
    return tuple(breaches)


def utilization(unit: Unit, served: Served | None) -> float | None:
    """Sum of the volume asked of a unit / its capacity; None without capacity or volume.

    A capacity of 0 is infinite utilization when any volume is asked, else 0.
    """
    if unit.capacity is None or served is None or served.volume is None:
        return None
    if unit.capacity == 0:
        return INFINITE if served.volume > 0 else 0.0
    return served.volume / unit.capacity


def handoff(dep: Dependency) -> Handoff:
    """The handoff of one dependency, as paths and hotspots report it."""
    return Handoff(dep.supplier, dep.customer, dep.handoff, dep.complete_accurate, dep.satisfaction)


def hotspots(found: Survey, settings: Settings) -> tuple[Handoff, ...]:
    """Handoffs rated below the middle of the satisfaction scale (below 3 on 1-5), lowest
    first, then by supplier and customer id."""
    low = [
        handoff(dep)
        for dep in found.rated
        if dep.satisfaction is not None and normalized(dep.satisfaction, settings) < 0.5
    ]
    low.sort(key=lambda h: (h.satisfaction, h.supplier, h.customer))
    return tuple(low)


def supplier_ratings(found: Survey) -> tuple[SupplierRating, ...]:
    """Per supplier with any rating: the mean satisfaction of its customers, lowest first."""
    ratings = [
        SupplierRating(supplier, entry.rating_total / entry.ratings, entry.ratings)
        for supplier, entry in found.served.items()
        if entry.ratings
    ]
    ratings.sort(key=lambda r: (r.mean, r.supplier))
    return tuple(ratings)


def value_stream(
    customer: str,
    path: Sequence[str],
    length: float,
    units: dict[str, Unit],
    dependencies: Sequence[Dependency],
    deadline: float | None,
    made: dict[int, Handoff] | None = None,
) -> CriticalPath:
    """A critical path with its value-stream figures.

    `dependencies` are the path's edges in order. Total lead time sums the units' lead times
    (handoffs separately); total process time sums the process times given (None when no
    unit on it gives one); activity ratio = process / lead; rolled %C&A is the product of
    the edges' `complete_accurate`, an edge without one counting as 1.0, None when no edge
    has one; the weakest handoff is the edge with the lowest %C&A (the first along the path
    on a tie). `made` shares one Handoff per dependency between the paths of one analysis
    (by id of the dependency): 2,000 customers along one chain share 2,000 handoffs instead
    of holding 2 million.
    """
    on_path = [units[node] for node in path if node in units]
    lead = sum(unit.lead_time for unit in on_path)
    given = [unit.process_time for unit in on_path if unit.process_time is not None]
    process = sum(given) if given else None
    if made is None:
        handoffs = tuple(handoff(dep) for dep in dependencies)
    else:
        handoffs = tuple(
            made.get(id(dep)) or made.setdefault(id(dep), handoff(dep)) for dep in dependencies
        )
    rolled: float | None = None
    weakest: Handoff | None = None
    lowest = INFINITE
    for h in handoffs:
        if h.complete_accurate is None:
            continue
        rolled = (1.0 if rolled is None else rolled) * h.complete_accurate
        if h.complete_accurate < lowest:
            weakest, lowest = h, h.complete_accurate
    return CriticalPath(
        customer=customer,
        path=tuple(path),
        length=length,
        deadline=deadline,
        slack=None if deadline is None else deadline - length,
        total_lead_time=lead,
        total_handoff_time=sum(h.time for h in handoffs),
        total_process_time=process,
        activity_ratio=None if process is None or lead <= 0 else process / lead,
        rolled_complete_accurate=rolled,
        weakest_handoff=weakest,
        handoffs=handoffs,
    )

"""The words of the analysis: why a unit ranks, why a pair should swap jobs, lists of names.

The analysis gives records (`icmap.analysis.result`: kinds and figures); this module is the
one place that turns them into phrases, as document lines with names kept as names. The
text, Markdown and JSON reports all take their words from here.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import TypeVar

from icmap import formatting
from icmap.analysis.result import (
    BottleneckReason,
    DownstreamReach,
    GuardsCustomers,
    IncompleteHandoff,
    JobSwap,
    LowRating,
    MissesStandards,
    OnCriticalPath,
    Overloaded,
    RatedLow,
    SlowHandoff,
    SwapReason,
)
from icmap.report.analysis._common import Names
from icmap.report.document import Line, Span, line, percent, rating, ratio

NAMED = 5  # names listed in one phrase before `and N more`
F = TypeVar("F", bound=Hashable)


def names_list(
    ids: Sequence[str], names: Names, limit: int = NAMED, total: int | None = None
) -> Line:
    """`Health Insurer and Patient`, `A, B, C, D, E and 3 more`: names as names. `total`
    counts the items when `ids` are only the first of them."""
    spans: list[Span | str] = []
    shown = [names.span(i) for i in ids[:limit]]
    rest = (len(ids) if total is None else total) - len(shown)
    for index, span in enumerate(shown):
        if index:
            last = index == len(shown) - 1 and not rest
            spans.append(" and " if last else ", ")
        spans.append(span)
    if rest:
        spans.append(f" and {rest:,} more")
    return line(*spans)


def bottleneck_reason(reason: BottleneckReason, names: Names) -> Line:
    """One reason a unit ranks, as a phrase."""
    if isinstance(reason, OnCriticalPath):
        return _critical(reason, names)
    if isinstance(reason, GuardsCustomers):
        clauses: list[Line] = []
        groups = _grouped(reason.guards_by_customer)
        for guarded, customers in groups[:NAMED]:
            verb = "reaches" if guarded == 1 else "reach"
            units = formatting.plural(guarded, "unit")
            clauses.append(
                line(f"{units} {verb} ", *names_list(customers, names), " only through it")
            )
        return line("single point of failure: ", *_joined(clauses, "; "), *_others(groups))
    if isinstance(reason, DownstreamReach):
        about = "" if reason.exact else "about "
        return line(
            f"{about}{formatting.plural(reason.units, 'unit')} (",
            percent(reason.share),
            " of the others) and "
            f"{formatting.plural(reason.customers, 'external customer')} depend on its work",
        )
    if isinstance(reason, Overloaded):
        u = reason.utilization
        if u > 1:
            if math.isinf(u):
                shown = "infinite"
            elif math.isfinite(u * 100):
                shown = formatting.percent(u)
            else:  # a volume near the float limit: a percentage would overflow
                shown = f"{u:.3g} times capacity"
            return line(
                f"utilization {shown}: more work arrives than it can serve, "
                "so its queue grows without bound"
            )
        return line("utilization ", percent(u), " (warning at ", percent(reason.warning), ")")
    if isinstance(reason, MissesStandards):
        return line(
            f"misses its service standard on {reason.breaches:,} of "
            f"{formatting.plural(reason.dependencies, 'dependency')} on it (worst: ",
            names.duration(reason.actual),
            " against ",
            names.duration(reason.standard),
            ", ",
            ratio(reason.ratio),
            ", for ",
            names.span(reason.customer),
            ")",
        )
    if isinstance(reason, RatedLow):
        return line(
            "its customers rate it ",
            rating(reason.mean),
            f" on a {formatting.scale(reason.low, reason.high)} scale "
            f"(mean of {formatting.plural(reason.ratings, 'rating')})",
        )
    raise TypeError(f"not a bottleneck reason: {reason!r}")


def _critical(reason: OnCriticalPath, names: Names) -> Line:
    """One clause per distinct float: `on the critical path to Patient with no float, 1d
    late; to Health Insurer with 3d of float before its deadline`."""
    clauses = []
    groups = _grouped(reason.floats)
    for slack, customers in groups[:NAMED]:
        clauses.append(line("to ", *names_list(customers, names), *_float(slack, names)))
    return line("on the critical path ", *_joined(clauses, "; "), *_others(groups))


def _others(groups: Sequence[tuple[object, list[str]]]) -> Line:
    """`; and 1,995 more customers` after the first `NAMED` clauses, else nothing."""
    rest = sum(len(customers) for _, customers in groups[NAMED:])
    if not rest:
        return ()
    return line(f"; and {formatting.plural(rest, 'more customer', 'more customers')}")


def _float(slack: float | None, names: Names) -> Line:
    if slack is None or slack == 0:
        return line(" with no float")
    if slack > 0:
        return line(", ", names.duration(slack), " of float before its deadline")
    return line(" with no float, ", names.duration(-slack, "bad"), " late")


def _grouped(pairs: Sequence[tuple[str, F]]) -> list[tuple[F, list[str]]]:
    """(figure, ids) groups of (id, figure) pairs, by the order each figure first appears:
    one clause per distinct figure instead of one per customer."""
    groups: dict[F, list[str]] = {}
    for item, figure in pairs:
        groups.setdefault(figure, []).append(item)
    return list(groups.items())


def _joined(clauses: Sequence[Line], between: str) -> Line:
    spans: list[Span] = []
    for index, clause in enumerate(clauses):
        if index:
            spans.append(Span(between))
        spans.extend(clause)
    return tuple(spans)


def swap_reason(reason: SwapReason, swap: JobSwap, names: Names) -> Line:
    """One reason a pair should swap jobs; `and back:` for the dependency the other way."""
    back = "" if reason.supplier == swap.supplier else "and back: "
    supplier, customer = names.span(reason.supplier), names.span(reason.customer)
    if isinstance(reason, SlowHandoff):
        return line(
            back,
            supplier,
            " takes ",
            names.duration(reason.actual),
            " against a ",
            names.duration(reason.standard),
            " standard (",
            ratio(reason.ratio),
            ")",
        )
    if isinstance(reason, IncompleteHandoff):
        return line(
            f"{back}only ",
            percent(reason.complete_accurate),
            " of what ",
            supplier,
            " hands over is complete and accurate",
        )
    if isinstance(reason, LowRating):
        return line(
            back,
            customer,
            " rates ",
            supplier,
            " ",
            rating(reason.satisfaction),
            f" on a {formatting.scale(reason.low, reason.high)} scale",
        )
    raise TypeError(f"not a job-swap reason: {reason!r}")

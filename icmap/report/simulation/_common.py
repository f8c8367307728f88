"""What the people-facing simulate reports share: the top units of a customer, bars, lines."""

from __future__ import annotations

from functools import partial

from icmap.analysis.simulate import CustomerForecast, Simulation, UnitInfluence
from icmap.formatting import percent
from icmap.model import Settings, format_duration
from icmap.report.analysis._common import plain
from icmap.report.analysis.sections import SHOWN

BAR = 20  # characters of the longest tornado bar


def top_units(simulation: Simulation, customer: str) -> list[UnitInfluence]:
    """The `SHOWN` units that drive this customer's finish most (see Simulation.drivers)."""
    return simulation.drivers(customer, SHOWN)


def bar(fraction: float) -> str:
    """A bar of `BAR` cells for a fraction 0..1, in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, fraction)) * BAR * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + (" ▏▎▍▌▋▊▉"[rest] if rest else "")


def percentile_line(c: CustomerForecast, settings: Settings) -> str:
    """`mean 3d 1h · P50 … · P80 … · P85 … · P95 … (CPM 2d 7h)`."""
    d = partial(format_duration, settings=settings)
    return (
        f"mean {d(c.mean)} · P50 {d(c.p50)} · P80 {d(c.p80)} · P85 {d(c.p85)} · "
        f"P95 {d(c.p95)} (CPM {d(c.cpm)})"
    )


def on_time_line(c: CustomerForecast, settings: Settings) -> str:
    """`on time (deadline 5d): 78.5% of runs`, or that it has no deadline."""
    if c.deadline is None or c.on_time_probability is None:
        return "no deadline"
    return (
        f"on time (deadline {format_duration(c.deadline, settings)}): "
        f"{percent(c.on_time_probability)} of runs"
    )


def heading(simulation: Simulation) -> str:
    """`Org: 10,000 runs, seed 1, 12 uncertain lead times, 3 uncertain handoffs`."""
    return (
        f"{plain(simulation.organization)}: {simulation.runs:,} runs, seed {simulation.seed}, "
        f"{simulation.uncertain_units:,} uncertain lead times, "
        f"{simulation.uncertain_handoffs:,} uncertain handoffs"
    )


def unfit_note(simulation: Simulation) -> str:
    """The handoffs no lognormal fits, or empty."""
    if not simulation.unfit_handoffs:
        return ""
    pairs = ", ".join(f"{s} -> {c}" for s, c in simulation.unfit_handoffs)
    return (
        f"no lognormal has the measured actual and actual_p90 of {pairs} "
        "(p90 more than 2.27 × the mean): drawn with σ = 1.28155, the widest that keeps the mean"
    )

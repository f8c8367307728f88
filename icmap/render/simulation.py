"""The chart of `icmap simulate --plot`: per external customer its finish-time S-curve (with the
deadline and P85 marked) beside a tornado of the units that drive its finish most.

Drawn with matplotlib (the `plot` extra), imported only here, only for `--plot`: its
Figure API with the Agg (PNG) or SVG canvas, never pyplot, so no window system is touched.
Same simulation, same bytes: the SVG ids are salted with a constant and neither format
carries a date or a version.
"""

from __future__ import annotations

import io
from typing import Any

from icmap.analysis.simulate import Simulation
from icmap.model import Settings

#: Customers drawn at most; the report lists them all.
PLOTTED = 8
DEADLINE_COLOR = "#c0392b"
P85_COLOR = "#2c6fbb"
CURVE_COLOR = "#333333"
BAR_COLOR = "#e07b39"


class PlotUnavailable(Exception):
    """matplotlib is not installed (it comes with `pip install 'icmap[plot]'`)."""


def plot_simulation(simulation: Simulation, settings: Settings, fmt: str) -> bytes:
    """The chart as `svg` or `png` bytes. Raises PlotUnavailable without matplotlib."""
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise PlotUnavailable(
            "--plot needs matplotlib: pip install 'icmap[plot]' (or pip install matplotlib)"
        ) from exc
    matplotlib.rcParams["svg.hashsalt"] = "icmap"
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, searchable
    customers = simulation.customers[:PLOTTED]
    rows = max(1, len(customers))
    figure = Figure(figsize=(11, 3.6 * rows + 0.6), dpi=100, layout="constrained")
    title = f"{simulation.organization}: {simulation.runs:,} runs, seed {simulation.seed}"
    if len(simulation.customers) > PLOTTED:
        title += f" (first {PLOTTED} of {len(simulation.customers)} external customers)"
    figure.suptitle(title, fontsize=12)
    axes = figure.subplots(rows, 2, squeeze=False, width_ratios=(1.25, 1))
    per_day = settings.hours_per_day
    for (curve_axes, tornado_axes), forecast in zip(axes, customers, strict=False):
        _s_curve(curve_axes, forecast, per_day)
        _tornado(tornado_axes, simulation, forecast.customer)
    if not customers:
        axes[0][0].text(0.5, 0.5, "no external customer", ha="center", va="center")
    out = io.BytesIO()
    metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
    figure.savefig(out, format=fmt, metadata=metadata)
    return out.getvalue()


def _s_curve(ax: Any, forecast: Any, per_day: float) -> None:
    """Share of runs finished by each time, in working days, with the deadline and P85."""
    days = [hours / per_day for hours in forecast.curve]
    shares = [i / 100 for i in range(len(days))]
    ax.plot(days, shares, color=CURVE_COLOR, linewidth=1.8, drawstyle="default")
    ax.axvline(forecast.p85 / per_day, color=P85_COLOR, linestyle=":", linewidth=1.5)
    marks = [days[0], days[-1], forecast.cpm / per_day]
    if forecast.deadline is not None:
        marks.append(forecast.deadline / per_day)
    middle = (min(marks) + max(marks)) / 2

    def label_at(x: float) -> dict[str, Any]:
        """Labels right of a line in the left half of the chart, left of it in the right
        half, so none runs off the axes."""
        if x > middle:
            return {"xytext": (-4, 0), "ha": "right"}
        return {"xytext": (4, 0), "ha": "left"}

    ax.annotate(
        f"P85 {forecast.p85 / per_day:.2f}d",
        (forecast.p85 / per_day, 0.05),
        color=P85_COLOR,
        textcoords="offset points",
        fontsize=9,
        **label_at(forecast.p85 / per_day),
    )
    if forecast.deadline is not None:
        ax.axvline(forecast.deadline / per_day, color=DEADLINE_COLOR, linestyle="--", linewidth=1.5)
        on_time = forecast.on_time_probability or 0.0
        ax.annotate(
            f"deadline {forecast.deadline / per_day:.2f}d: {on_time:.0%} on time",
            (forecast.deadline / per_day, 0.92),
            color=DEADLINE_COLOR,
            textcoords="offset points",
            **label_at(forecast.deadline / per_day),
            fontsize=9,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1},
        )
    ax.axvline(forecast.cpm / per_day, color="#999999", linewidth=1, linestyle="-.")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(f"finish (working days of {per_day:g}h)")
    ax.set_ylabel("share of runs finished")
    ax.set_title(f"{forecast.customer}: finish time (CPM {forecast.cpm / per_day:.2f}d, dash-dot)")
    ax.grid(True, alpha=0.3)


def _tornado(ax: Any, simulation: Simulation, customer: str) -> None:
    """Horizontal bars of the top units by cruciality, the largest on top."""
    top = simulation.drivers(customer)
    if not top:
        ax.text(0.5, 0.5, "no unit lies on a path to it", ha="center", va="center")
        ax.set_axis_off()
        return
    names = [u.id for u in reversed(top)]
    values = [u.cruciality for u in reversed(top)]
    ax.barh(names, values, color=BAR_COLOR)
    for y, u in enumerate(reversed(top)):
        ax.annotate(
            f"{u.cruciality:.2f} (CI {u.criticality:.0%})",
            (u.cruciality, y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_xlim(0, 1.25)
    ax.set_xlabel("cruciality |Spearman ρ| of lead time vs finish")
    ax.set_title(f"what drives {customer}'s finish (top {len(top)})")
    ax.tick_params(axis="y", labelsize=8)

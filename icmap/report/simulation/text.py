"""The text report of `icmap simulate`: per external customer a percentile line, the on-time
probability and a tornado of the units that drive its finish most (by cruciality)."""

from __future__ import annotations

from icmap.analysis.simulate import Simulation
from icmap.formatting import percent
from icmap.model import Settings
from icmap.report.simulation._common import (
    BAR,
    bar,
    heading,
    on_time_line,
    percentile_line,
    top_units,
    unfit_note,
)


def write_text(simulation: Simulation, settings: Settings) -> str:
    """The report as plain text (no colour), newline at the end."""
    lines = [heading(simulation)]
    note = unfit_note(simulation)
    if note:
        lines.append(f"note: {note}")
    for c in simulation.customers:
        lines += ["", f"{c.customer}", f"  {percentile_line(c, settings)}"]
        lines.append(f"  {on_time_line(c, settings)}")
        top = top_units(simulation, c.customer)
        if not top:
            lines.append("  no unit lies on a path to it")
            continue
        width = max(len(u.id) for u in top)
        lines.append(
            f"  {'cruciality (top 10)':<{width + BAR + 7}}  {'criticality':>11} {'sensitivity':>11}"
        )
        for u in top:
            lines.append(
                f"  {u.id:<{width}} {bar(u.cruciality):<{BAR}} {u.cruciality:5.2f}"
                f"  {percent(u.criticality):>11} {u.sensitivity:11.2f}"
            )
    return "\n".join(lines) + "\n"

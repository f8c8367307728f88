"""The markdown report of `icmap simulate`: a table of the customers' finish percentiles, then
per customer the units that drive its finish most."""

from __future__ import annotations

from functools import partial

from icmap.analysis.simulate import Simulation
from icmap.formatting import percent
from icmap.model import Settings, format_duration
from icmap.report.simulation._common import heading, top_units, unfit_note


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def write_markdown(simulation: Simulation, settings: Settings) -> str:
    """The report as GitHub-flavoured markdown, newline at the end."""
    d = partial(format_duration, settings=settings)
    lines = [f"# Simulation: {_cell(heading(simulation))}", ""]
    note = unfit_note(simulation)
    if note:
        lines += [f"> {_cell(note)}", ""]
    lines += [
        "| external customer | CPM | mean | P50 | P80 | P85 | P95 | deadline | on time |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in simulation.customers:
        deadline = d(c.deadline) if c.deadline is not None else "—"
        on_time = percent(c.on_time_probability) if c.on_time_probability is not None else "—"
        lines.append(
            f"| {c.customer} | {d(c.cpm)} | {d(c.mean)} | {d(c.p50)} | {d(c.p80)} | "
            f"{d(c.p85)} | {d(c.p95)} | {deadline} | {on_time} |"
        )
    for c in simulation.customers:
        top = top_units(simulation, c.customer)
        lines += ["", f"## What drives {c.customer}'s finish", ""]
        if not top:
            lines.append("No unit lies on a path to it.")
            continue
        lines += ["| unit | cruciality | criticality | sensitivity |", "|---|---:|---:|---:|"]
        lines += [
            f"| {u.id} | {u.cruciality:.2f} | {percent(u.criticality)} | {u.sensitivity:.2f} |"
            for u in top
        ]
    return "\n".join(lines) + "\n"

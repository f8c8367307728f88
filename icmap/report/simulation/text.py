"""The text report of `icmap simulate`: the simulation document rendered by Rich for people."""

from __future__ import annotations

from icmap.analysis.simulate import Simulation
from icmap.model import Org
from icmap.report.render_text import render_text
from icmap.report.simulation.sections import simulation_document


def write_text(simulation: Simulation, org: Org, *, width: int = 80, color: bool = False) -> str:
    """The report as text `width` columns wide; with ANSI colours only when `color`."""
    return render_text(simulation_document(simulation, org), width=width, color=color)

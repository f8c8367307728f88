"""The markdown report of `icmap simulate`: the simulation document as GitHub markdown."""

from __future__ import annotations

from icmap.analysis.simulate import Simulation
from icmap.model import Org
from icmap.report.render_markdown import render_markdown
from icmap.report.simulation.sections import simulation_document


def write_markdown(simulation: Simulation, org: Org) -> str:
    """The report as GitHub-flavoured markdown, newline at the end."""
    return render_markdown(simulation_document(simulation, org))

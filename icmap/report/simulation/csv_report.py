"""The csv report of `icmap simulate`: one row per unit and external customer it reaches.

Fractions are plain numbers (up to 6 decimals); the customers' percentiles are in the other
formats. Ids cannot start a spreadsheet formula (they start with a letter or digit).
"""

from __future__ import annotations

import csv
import io

from icmap.analysis.simulate import Simulation
from icmap.report.analysis._common import number

COLUMNS = ("id", "customer", "criticality", "cruciality", "sensitivity")


def write_csv(simulation: Simulation) -> str:
    """The rows as CSV text with a header line (`\\n` line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for u in simulation.units:
        writer.writerow(
            (u.id, u.customer, number(u.criticality), number(u.cruciality), number(u.sensitivity))
        )
    return out.getvalue()

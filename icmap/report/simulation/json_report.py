"""The json report of `icmap simulate`: the stable keys of the simulate contract, and a few more.

Hours (`*_hours`) and fractions are rounded to 6 decimals so the bytes are stable; keys are
sorted; customers by id, units by id then customer.
"""

from __future__ import annotations

import json
from typing import Any

from icmap.analysis.simulate import Simulation
from icmap.report.analysis._common import number


def write_json(simulation: Simulation) -> str:
    """The report as JSON text (sorted keys, indented by 2, newline at the end)."""
    report: dict[str, Any] = {
        "organization": simulation.organization,
        "runs": simulation.runs,
        "seed": simulation.seed,
        "uncertain_units": simulation.uncertain_units,
        "uncertain_handoffs": simulation.uncertain_handoffs,
        "customers": [
            {
                "customer": c.customer,
                "cpm_hours": number(c.cpm),
                "mean_hours": number(c.mean),
                "p50_hours": number(c.p50),
                "p80_hours": number(c.p80),
                "p85_hours": number(c.p85),
                "p95_hours": number(c.p95),
                "std_hours": number(c.spread),
                "deadline_hours": number(c.deadline),
                "on_time_probability": number(c.on_time_probability),
            }
            for c in simulation.customers
        ],
        "units": [
            {
                "id": u.id,
                "customer": u.customer,
                "criticality": number(u.criticality),
                "cruciality": number(u.cruciality),
                "sensitivity": number(u.sensitivity),
            }
            for u in simulation.units
        ],
        "lognormal_unfit": [
            {"supplier": supplier, "customer": customer}
            for supplier, customer in simulation.unfit_handoffs
        ],
    }
    return json.dumps(report, indent=2, sort_keys=True, allow_nan=False) + "\n"

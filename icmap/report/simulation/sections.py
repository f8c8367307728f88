"""The simulate report as a document (icmap.report.document): what text and markdown render.

One section for the run (runs, seed, what was uncertain), then one per external customer: its
finish figures beside the CPM length and the on-time share, and a tornado table of the units
that drive its finish most, by cruciality.
"""

from __future__ import annotations

from icmap.analysis.simulate import CustomerForecast, Simulation
from icmap.model import Org
from icmap.report import document as d

BAR = 12  # cells of a full tornado bar (cruciality 1): fits 80 columns
SHOWN = 10  # units in a customer's tornado


def bar(fraction: float) -> str:
    """A bar of up to `BAR` cells for a fraction 0..1, in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, fraction)) * BAR * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + (" ▏▎▍▌▋▊▉"[rest] if rest else "")


def simulation_document(simulation: Simulation, org: Org) -> d.Document:
    """The whole report, sections in reading order."""
    labels = {u.id: u.label for u in org.units}
    labels.update((c.id, c.label) for c in org.external_customers)
    sections = [_run(simulation)]
    for forecast in simulation.customers:
        sections.append(_customer(simulation, forecast, org, labels))
    title = d.line("Simulation: ", d.name("", simulation.organization))
    return d.Document(title, tuple(sections))


def _run(simulation: Simulation) -> d.Section:
    facts = d.Facts(
        (
            ("Runs", d.line(d.count(simulation.runs))),
            ("Seed", d.line(d.plain(str(simulation.seed)))),
            ("Uncertain lead times", d.line(d.count(simulation.uncertain_units))),
            ("Uncertain handoffs", d.line(d.count(simulation.uncertain_handoffs))),
        )
    )
    blocks: list[d.Block] = [facts]
    if simulation.unfit_handoffs:
        pairs = ", ".join(f"{s} -> {c}" for s, c in simulation.unfit_handoffs)
        blocks.append(
            d.Note(
                f"No lognormal has the measured actual and actual_p90 of {pairs} (p90 more "
                "than 2.27 × the mean): drawn with σ = 1.28155, the widest that keeps the mean."
            )
        )
    return d.Section("run", d.line("Runs"), tuple(blocks))


def _customer(
    simulation: Simulation, c: CustomerForecast, org: Org, labels: dict[str, str]
) -> d.Section:
    per_day = org.settings.hours_per_day
    facts: list[tuple[str, d.Line]] = [
        ("CPM length", d.line(d.duration(c.cpm, per_day))),
        ("Mean", d.line(d.duration(c.mean, per_day))),
        (
            "P50 · P80 · P85 · P95",
            d.line(
                d.duration(c.p50, per_day),
                " · ",
                d.duration(c.p80, per_day),
                " · ",
                d.duration(c.p85, per_day),
                " · ",
                d.duration(c.p95, per_day),
            ),
        ),
    ]
    if c.deadline is not None:
        facts.append(("Deadline", d.line(d.duration(c.deadline, per_day))))
        tone = "good" if (c.on_time_probability or 0) >= 0.85 else "bad"
        facts.append(("On time", d.line(d.percent(c.on_time_probability, tone), " of runs")))
    else:
        facts.append(("On time", d.line("no deadline")))
    blocks: list[d.Block] = [d.Facts(tuple(facts))]
    top = simulation.drivers(c.customer, SHOWN)
    if top:
        rows = tuple(
            (
                d.line(d.name(u.id, labels.get(u.id, u.id))),
                d.line(d.plain(bar(u.cruciality), "accent")),
                d.line(d.score(u.cruciality)),
                d.line(d.percent(u.criticality)),
                d.line(d.score(u.sensitivity)),
            )
            for u in top
        )
        columns = (
            d.Column("Unit"),
            d.Column("Tornado"),
            d.Column("Cruciality", numeric=True),
            d.Column("Criticality", numeric=True),
            d.Column("Sensitivity", numeric=True),
        )
        blocks.append(d.Table(f"What drives the finish (top {SHOWN} by cruciality)", columns, rows))
    else:
        blocks.append(d.Paragraph(d.line("No unit lies on a path to it.")))
    title = d.line("External customer ", d.name(c.customer, labels.get(c.customer, c.customer)))
    return d.Section(f"customer:{c.customer}", title, tuple(blocks))

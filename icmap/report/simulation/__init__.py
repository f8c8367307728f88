"""The writers of `icmap simulate` reports, one module per format, chosen from a registry.

Each writer is a pure function `(Simulation, Org settings) -> str`, imported on use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports this package for FORMATS at start-up: keep it light
    from icmap.analysis.simulate import Simulation
    from icmap.model import Settings


def _text(simulation: Simulation, settings: Settings) -> str:
    from icmap.report.simulation.text import write_text

    return write_text(simulation, settings)


def _json(simulation: Simulation, settings: Settings) -> str:
    from icmap.report.simulation.json_report import write_json

    return write_json(simulation)


def _markdown(simulation: Simulation, settings: Settings) -> str:
    from icmap.report.simulation.markdown import write_markdown

    return write_markdown(simulation, settings)


def _csv(simulation: Simulation, settings: Settings) -> str:
    from icmap.report.simulation.csv_report import write_csv

    return write_csv(simulation)


@dataclass(frozen=True, slots=True)
class Writer:
    """A report format: its name, what it is for, and the function that writes it."""

    name: str
    description: str
    write: Callable[[Simulation, Settings], str]


WRITERS: dict[str, Writer] = {
    w.name: w
    for w in (
        Writer("text", "for people: percentiles, on-time probability, a tornado", _text),
        Writer("json", "for programs: the stable keys of the simulate contract", _json),
        Writer("markdown", "for a wiki page or a pull-request comment", _markdown),
        Writer("csv", "one row per unit and external customer it reaches", _csv),
    )
}
FORMATS: tuple[str, ...] = tuple(WRITERS)


def write_report(simulation: Simulation, fmt: str, settings: Settings) -> str:
    """The report of `simulation` in format `fmt` (one of FORMATS; KeyError otherwise)."""
    return WRITERS[fmt].write(simulation, settings)

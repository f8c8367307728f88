"""The writers of `icmap simulate` reports, one module per format, chosen from a registry.

Each writer is a pure function `(Simulation, Org, Options) -> str`, imported on use; text and
markdown render one document (sections.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports this package for FORMATS at start-up: keep it light
    from icmap.analysis.simulate import Simulation
    from icmap.model import Org


@dataclass(frozen=True, slots=True)
class Options:
    """How a report is laid out: `width` and `color` matter to the text format only."""

    width: int = 80
    color: bool = False


def _text(simulation: Simulation, org: Org, options: Options) -> str:
    from icmap.report.simulation.text import write_text

    return write_text(simulation, org, width=options.width, color=options.color)


def _json(simulation: Simulation, org: Org, options: Options) -> str:
    from icmap.report.simulation.json_report import write_json

    return write_json(simulation)


def _markdown(simulation: Simulation, org: Org, options: Options) -> str:
    from icmap.report.simulation.markdown import write_markdown

    return write_markdown(simulation, org)


def _csv(simulation: Simulation, org: Org, options: Options) -> str:
    from icmap.report.simulation.csv_report import write_csv

    return write_csv(simulation)


@dataclass(frozen=True, slots=True)
class Writer:
    """A report format: its name, what it is for, and the function that writes it."""

    name: str
    description: str
    write: Callable[[Simulation, Org, Options], str]


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


def write_report(simulation: Simulation, fmt: str, org: Org, options: Options | None = None) -> str:
    """The report of `simulation` of `org` in format `fmt` (one of FORMATS; KeyError
    otherwise)."""
    return WRITERS[fmt].write(simulation, org, options or Options())

"""`icmap simulate`: Monte Carlo on the critical paths, reported in the format asked for.

Exit 0 when the org was simulated, 1 when it has errors (nothing is simulated), 2 when the
file cannot be read, an argument is wrong, or the report or chart cannot be written.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from icmap.cli.common import (
    CannotRun,
    ExitCode,
    fail,
    format_option,
    include_root_option,
    output_option,
    write_output,
)
from icmap.report.simulation import FORMATS

PLOT_SUFFIXES = (".svg", ".png")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("simulate")(simulate_command)


def _plot_file(value: str | None) -> str | None:
    if value is not None and not value.lower().endswith(PLOT_SUFFIXES):
        raise typer.BadParameter(f"{value!r} must end in .svg or .png")
    return value


def simulate_command(
    path: Annotated[str, typer.Argument(metavar="ORG", help="The org file to simulate.")],
    runs: Annotated[
        int | None,
        typer.Option(
            "--runs",
            metavar="N",
            min=1,
            help="Runs to simulate (default: settings.simulation.runs, else 10,000).",
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            metavar="S",
            min=0,
            help="Random seed; the same seed gives the same report (default: "
            "settings.simulation.seed, else 1).",
        ),
    ] = None,
    output_format: Annotated[str, format_option(FORMATS)] = "text",
    output: Annotated[str | None, output_option("report")] = None,
    plot: Annotated[
        str | None,
        typer.Option(
            "--plot",
            metavar="FILE",
            callback=_plot_file,
            help="Also draw each customer's finish-time S-curve and the tornado to FILE "
            "(.svg or .png).",
        ),
    ] = None,
    include_root: Annotated[str | None, include_root_option()] = None,
) -> None:
    """Simulate the org's uncertain lead times and handoffs: finish-time percentiles,
    on-time probability, and the units that drive each customer's finish."""
    from icmap.cli.analyze import Progress, checked_org
    from icmap.cli.lifetime import keep

    result = checked_org(path, include_root, "simulate")
    org = result.org
    assert org is not None  # checked_org exits otherwise
    settings = org.settings
    from icmap.analysis.simulate import simulate
    from icmap.cli.analyze import terminal_width
    from icmap.report.simulation import Options, write_report

    progress = Progress("Simulating")
    progress.start()
    try:
        simulation = simulate(
            org,
            runs=runs if runs is not None else settings.simulation_runs,
            seed=seed if seed is not None else settings.simulation_seed,
            graph=result.graph,
        )
        to_stdout = output is None or output == "-"
        options = Options(
            width=terminal_width() if to_stdout else 80,
            color=to_stdout and output_format == "text" and sys.stdout.isatty(),
        )
        report = write_report(simulation, output_format, org, options)
        chart = None
        if plot is not None:
            from icmap.render.simulation import PlotUnavailable, plot_simulation

            try:
                chart = plot_simulation(simulation, settings, plot.lower().rsplit(".", 1)[-1])
            except PlotUnavailable as exc:
                fail(str(exc))
    finally:
        progress.stop()
    keep(result, simulation)
    inputs = (path, *result.files)
    try:
        if chart is not None and plot is not None:
            write_output(plot, chart, inputs=inputs)
        write_output(output, report, inputs=inputs)
    except CannotRun as exc:
        fail(str(exc))
    raise typer.Exit(int(ExitCode.OK))

"""`icmap handout ORG -o handout.html`: the workshop handout, one self-contained HTML file.

Exit 0 when written (warnings allowed), 1 when the org has errors, 2 when the file cannot be
read, an argument is wrong, the chart cannot be drawn, or the page cannot be written.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from icmap.cli.common import (
    CannotRun,
    ExitCode,
    fail,
    include_root_option,
    one_of,
    output_option,
    write_output,
)
from icmap.textsafety import shown

DIRECTIONS = ("LR", "TB")
COLLAPSE = ("departments", "none")
#: Above this many units the chart shows departments: a chart of every unit would be
#: unreadable on a projector, and its layout alone would take minutes.
AUTO_COLLAPSE = 300


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("handout")(handout_command)


def handout_command(
    path: Annotated[str, typer.Argument(metavar="ORG", help="The org file.")],
    output: Annotated[str | None, output_option("handout")] = None,
    direction: Annotated[
        str | None,
        typer.Option(
            "--direction",
            metavar="LR|TB",
            callback=one_of(DIRECTIONS),
            help="Lay the chart out left to right (LR) or top to bottom (TB); by default the "
            "one that fits a landscape page or screen better, as render does.",
        ),
    ] = None,
    collapse: Annotated[
        str | None,
        typer.Option(
            "--collapse",
            metavar="departments|none",
            callback=one_of(COLLAPSE),
            help=(
                "`departments`: one box per department in the chart; `none`: every unit. "
                f"Default: departments for an org of more than {AUTO_COLLAPSE} units."
            ),
        ),
    ] = None,
    include_root: Annotated[str | None, include_root_option()] = None,
) -> None:
    """Write the workshop handout: the chart (zoomable; click a unit for its figures) and the
    analysis report, in one HTML file that needs no network.

    \b
        icmap handout examples/clinic.yaml -o clinic.html
    """
    from icmap.api import analyze
    from icmap.change.figures import floats_by_customer
    from icmap.cli.analyze import checked_org
    from icmap.cli.lifetime import keep
    from icmap.handout import build_handout
    from icmap.render import DrawFailed, EngineMissing, ViewOptions, drawing, to_dot, view_of
    from icmap.render.page import best_direction
    from icmap.render.variants import chosen_variant

    if (output is None or output == "-") and sys.stdout.isatty():
        fail("name a file to write the handout to, e.g. -o handout.html")
    result = checked_org(path, include_root, "handout")
    assert result.org is not None and result.graph is not None  # checked_org exits otherwise
    analysis = analyze(result.org, graph=result.graph)
    keep(result, analysis)
    by_department = (
        collapse == "departments"
        if collapse is not None
        else len(result.org.units) > AUTO_COLLAPSE and bool(result.org.departments)
    )
    if by_department and collapse is None:
        sys.stderr.write(
            f"icmap: note: {len(result.org.units)} units: the chart shows one box per department "
            "(--collapse none draws every unit); the report lists the units\n"
        )
    chart = view_of(analysis, ViewOptions(collapse=by_department))
    try:
        # Laid out as `icmap render` lays it out: the direction that prints larger on A3
        # landscape (the chart's pane is landscape too), the variant with no collisions.
        if direction is None:
            direction = best_direction(chart, theme="default")
        variant = chosen_variant(chart, theme="default", direction=direction)
        drawn = drawing(to_dot(chart, theme="default", direction=direction, variant=variant), "svg")
    except EngineMissing as exc:
        fail(str(exc))
    except DrawFailed as exc:
        fail(f"the chart could not be drawn: {exc}")
    for message in drawn.messages:
        sys.stderr.write(f"icmap: note: Graphviz: {shown(message)}\n")
    from icmap.analysis.network import build_network

    floats = floats_by_customer(build_network(result.graph), result.org)
    from icmap import __version__

    page = build_handout(analysis, drawn.data.decode("utf-8"), floats, __version__)
    try:
        write_output(output, page, inputs=(path, *result.files))
    except CannotRun as exc:
        fail(str(exc))
    raise typer.Exit(int(ExitCode.OK))

"""`icmap render`: draw an org as a chart (SVG, PNG, PDF) or write it as DOT or Mermaid text.

Exit 0 when the chart was written, 1 when the org has errors (nothing is drawn), 2 when the
file cannot be read, an argument is wrong, no Graphviz is available for an image format, or
the output cannot be written.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from icmap.cli.common import (
    CannotRun,
    ExitCode,
    fail,
    finite,
    include_root_option,
    one_of,
    output_name,
    refuse_fragment,
    write_output,
)
from icmap.textsafety import shown, shown_line

if TYPE_CHECKING:
    from icmap.render import Drawing

FORMATS = ("svg", "png", "pdf", "dot", "mermaid")
TEXT_FORMATS = ("dot", "mermaid")
EXTENSIONS = {
    ".svg": "svg",
    ".png": "png",
    ".pdf": "pdf",
    ".dot": "dot",
    ".gv": "dot",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".md": "mermaid",  # written inside a ```mermaid fence
}
COLLAPSE = ("departments",)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("render")(render_command)


def render_command(
    path: Annotated[str, typer.Argument(metavar="ORG", help="The org file to draw.")],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            callback=output_name,
            help=(
                "Write the chart to FILE (atomically); the extension picks the format: "
                ".svg .png .pdf .dot/.gv .mmd/.mermaid .md (Mermaid in a fence). "
                "Without it, or with `-`, DOT and Mermaid go to standard output."
            ),
        ),
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            callback=one_of(FORMATS),
            help=f"{', '.join(FORMATS)} (default: from the extension of -o, else dot).",
        ),
    ] = None,
    dpi: Annotated[
        float | None,
        typer.Option(
            "--dpi",
            metavar="N",
            callback=finite,
            min=24,
            max=600,
            help="Pixels per inch of a PNG, 24 to 600 (Graphviz's default: 96).",
        ),
    ] = None,
    direction: Annotated[
        str,
        typer.Option(
            "--direction",
            metavar="LR|TB",
            callback=one_of(("LR", "TB")),
            help="Flow left-to-right (LR) or top-to-bottom (TB).",
        ),
    ] = "LR",
    theme: Annotated[
        str,
        typer.Option(
            "--theme",
            metavar="THEME",
            callback=one_of(("default", "print", "dark")),
            help="default, print (greyscale-safe) or dark.",
        ),
    ] = "default",
    focus: Annotated[
        str | None,
        typer.Option(
            "--focus",
            metavar="ID",
            help="Only the neighbourhood of this unit, external customer or department.",
        ),
    ] = None,
    depth: Annotated[
        int,
        typer.Option(
            "--depth", metavar="N", min=0, help="Hops from --focus, upstream and downstream."
        ),
    ] = 2,
    customer: Annotated[
        str | None,
        typer.Option("--customer", metavar="ID", help="Only what feeds this external customer."),
    ] = None,
    collapse: Annotated[
        str | None,
        typer.Option(
            "--collapse",
            metavar="departments",
            callback=one_of(COLLAPSE),
            help="One box per department, handoffs between them merged.",
        ),
    ] = None,
    critical_only: Annotated[
        bool, typer.Option("--critical-only", help="Only the critical paths.")
    ] = False,
    badges: Annotated[
        int,
        typer.Option(
            "--badges",
            metavar="N",
            min=0,
            help="How many of the worst bottlenecks get a rank badge.",
        ),
    ] = 5,
    include_root: Annotated[str | None, include_root_option()] = None,
) -> None:
    """Draw the org: departments as clusters, the critical path bold, bottlenecks ranked."""
    from icmap.api import analyze, check
    from icmap.cli.analyze import print_findings
    from icmap.cli.lifetime import keep
    from icmap.render import (
        LARGE,
        DrawFailed,
        EngineMissing,
        UnknownId,
        ViewOptions,
        drawing,
        is_crowded,
        to_dot,
        to_markdown,
        to_mermaid,
        view_of,
    )

    fmt = _format(output, output_format)
    if dpi is not None and fmt not in ("png", "dot"):
        fail(f"--dpi sets the pixel size of PNG images; it does not apply to {fmt}")
    to_stdout = output is None or output == "-"
    if fmt not in TEXT_FORMATS and to_stdout and (output is None or sys.stdout.isatty()):
        fail(f"{fmt} is a binary format: name a file to write, e.g. -o chart.{fmt}")

    result = check(path, include_root, on_tree=keep)  # trees freed with the process
    if result.unreadable:
        for finding in result.findings:
            sys.stderr.write(f"icmap: {shown_line(finding.message)}\n")
        raise typer.Exit(int(ExitCode.CANNOT_RUN))
    if result.org is None or result.errors:
        refuse_fragment(path, "render", include_root)
        print_findings(result.findings, path)
        raise typer.Exit(int(ExitCode.PROBLEMS))

    analysis = analyze(result.org, graph=result.graph)  # built by check: not built twice
    keep(result, analysis)  # freed with the process, not object by object
    options = ViewOptions(
        focus=focus,
        depth=depth,
        customer=customer,
        critical_only=critical_only,
        collapse=collapse == "departments",
        badges=badges,
    )
    try:
        chart = view_of(analysis, options)
    except UnknownId as exc:
        fail(str(exc))
    if chart.units > LARGE:
        sys.stderr.write(
            f"icmap: note: this chart has {chart.units} units, too many to read on one page; "
            "try --collapse departments, --focus ID, --customer ID or --critical-only\n"
        )
    elif is_crowded(chart):
        sys.stderr.write(
            f"icmap: note: this chart has {len(chart.edges)} handoffs, too many to read on one "
            "page; they are drawn straight, with their labels beside them, so the layout stays "
            "fast; try --focus ID, --customer ID or --critical-only\n"
        )
    data: str | bytes
    if fmt == "mermaid":
        markdown = output is not None and os.path.splitext(output)[1].lower() == ".md"
        writer = to_markdown if markdown else to_mermaid
        data = writer(chart, theme=theme, direction=direction)
    else:
        dot = to_dot(chart, theme=theme, direction=direction, dpi=dpi)
        try:
            data = dot if fmt == "dot" else _draw(drawing(dot, fmt))
        except EngineMissing as exc:
            fail(str(exc))
        except DrawFailed as exc:
            fail(f"{exc} (this is a bug in icmap; please report it with the org file)")
    try:
        write_output(output, data, inputs=(path, *result.files))
    except CannotRun as exc:
        fail(str(exc))
    raise typer.Exit(int(ExitCode.OK))


def _draw(result: Drawing) -> bytes:
    """The image; what Graphviz warned about (a PNG scaled down to fit, say) as notes."""
    for message in result.messages:
        sys.stderr.write(f"icmap: note: Graphviz: {shown(message)}\n")
    return result.data


def _format(output: str | None, chosen: str | None) -> str:
    """The format asked for with --format, else the one the extension of -o names, else dot."""
    if chosen is not None:
        return chosen
    if output is None or output == "-":
        return "dot"
    extension = os.path.splitext(output)[1].lower()
    if extension not in EXTENSIONS:
        known = " ".join(sorted(EXTENSIONS))
        fail(f"cannot tell the format from {output!r} (known extensions: {known}); use --format")
    return EXTENSIONS[extension]

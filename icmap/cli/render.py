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
    format_option,
    include_root_option,
    one_of,
    output_name,
    refuse_fragment,
    write_output,
)
from icmap.textsafety import shown

if TYPE_CHECKING:
    from icmap.render import Chart, Drawing
    from icmap.render.page import PageFit

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
PAGES = ("A4", "A3", "A2", "A1", "letter", "tabloid")  # the sizes of icmap.render.page


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
        format_option(
            FORMATS, f"{', '.join(FORMATS)} (default: from the extension of -o, else dot)."
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
        str | None,
        typer.Option(
            "--direction",
            metavar="LR|TB",
            callback=one_of(("LR", "TB")),
            help="Flow left-to-right (LR) or top-to-bottom (TB); by default the one that "
            "prints larger on A3 landscape (with --page: on that page).",
        ),
    ] = None,
    page: Annotated[
        str | None,
        typer.Option(
            "--page",
            metavar="SIZE",
            callback=one_of(PAGES),
            help=f"Lay the chart out for a printed page: {', '.join(PAGES)}; the image is "
            "that size, and a note says when its smallest text would print under 7 pt.",
        ),
    ] = None,
    landscape: Annotated[
        bool,
        typer.Option("--landscape/--portrait", help="How --page is turned (default landscape)."),
    ] = True,
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
        is_crowded,
        to_markdown,
        to_mermaid,
        too_big_to_draw,
        view_of,
    )

    fmt = _format(output, output_format)
    if page is not None and fmt == "mermaid":
        fail("--page lays a drawing out for a page; Mermaid lays out its own (use svg or pdf)")
    if dpi is not None and fmt not in ("png", "dot"):
        fail(f"--dpi sets the pixel size of PNG images; it does not apply to {fmt}")
    to_stdout = output is None or output == "-"
    if fmt not in TEXT_FORMATS and to_stdout and (output is None or sys.stdout.isatty()):
        fail(f"{fmt} is a binary format: name a file to write, e.g. -o chart.{fmt}")

    result = check(path, include_root, on_tree=keep)  # trees freed with the process
    if result.unreadable:
        for finding in result.findings:
            sys.stderr.write(f"icmap: {shown(finding.message)}\n")
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
        data = writer(chart, theme=theme, direction=direction or "LR")
        write_chart(output, data, (path, *result.files))
    layout = _Layout(chart, theme, direction, dpi, page, landscape)
    too_big = too_big_to_draw(chart)
    if too_big and (fmt != "dot" or page is not None):
        fail(
            f"{too_big}, more than Graphviz lays out in minutes; draw a part of it "
            "(--collapse departments, --focus ID, --customer ID, --critical-only) or "
            "write it with --format dot or --format mermaid"
        )
    try:
        data = layout.dot(fast=None) if fmt == "dot" else layout.image(fmt)
    except EngineMissing as exc:
        fail(str(exc))
    except DrawFailed as exc:
        fail(str(exc))
    if layout.fit is not None and not layout.fit.readable:
        sys.stderr.write(f"icmap: note: {layout.fit.advice()}\n")
    write_chart(output, data, (path, *result.files))


def write_chart(output: str | None, data: str | bytes, inputs: tuple[str, ...]) -> None:
    """Write the chart (never over an input) and exit 0, or exit 2 saying why not."""
    try:
        write_output(output, data, inputs=inputs)
    except CannotRun as exc:
        fail(str(exc))
    raise typer.Exit(int(ExitCode.OK))


class _Layout:
    """How the chart is turned into DOT and drawn: the options, and how it fit the page."""

    def __init__(
        self,
        chart: Chart,
        theme: str,
        direction: str | None,
        dpi: float | None,
        page: str | None,
        landscape: bool,
    ) -> None:
        self.chart, self.theme, self.direction, self.dpi = chart, theme, direction, dpi
        self.page, self.landscape = page, landscape
        self.fit: PageFit | None = None

    def dot(self, fast: bool | None) -> str:
        """The DOT; with a page, laid out for it (which lays the chart out with Graphviz)."""
        from icmap.render import EngineMissing, LayoutCrashed, to_dot
        from icmap.render.page import best_direction, fit_to_page
        from icmap.render.variants import chosen_variant

        if self.page is None:
            direction = self.direction or "LR"
            variant = None
            if not fast:
                try:
                    if self.direction is None:  # the one that prints better on A3 landscape
                        direction = best_direction(self.chart, theme=self.theme)
                    # the variant whose layout has no collisions (icmap.render.variants)
                    variant = chosen_variant(self.chart, theme=self.theme, direction=direction)
                except (EngineMissing, LayoutCrashed):
                    variant = None  # DOT without Graphviz, or drawn again: the plain variant
            return to_dot(
                self.chart,
                theme=self.theme,
                direction=direction,
                dpi=self.dpi,
                fast=fast,
                variant=variant,
            )
        dot, self.fit = fit_to_page(
            self.chart,
            self.page,
            landscape=self.landscape,
            direction=self.direction,
            theme=self.theme,
            fast=fast,
            dpi=self.dpi,
        )
        return dot

    def image(self, fmt: str) -> bytes:
        """The chart drawn as `fmt`. When Graphviz crashes on its layout, it is drawn again
        with the fast layout (a note says so). DrawFailed says what to try when nothing works."""
        from icmap.render import DrawFailed, LayoutCrashed, drawing, wants_fast_layout

        instead = "try --collapse departments, --focus ID or --format dot"
        try:
            return _draw(drawing(self.dot(fast=None), fmt))
        except LayoutCrashed as exc:
            if wants_fast_layout(self.chart):  # it was the fast layout already
                raise DrawFailed(f"{exc}; {instead}") from exc
            crash = exc
        except DrawFailed as exc:
            raise DrawFailed(
                f"{exc} (this is a bug in icmap; please report it with the org file)"
            ) from exc
        sys.stderr.write(
            f"icmap: note: {crash}; drawn again with the fast layout (straight lines, labels "
            "placed beside them)\n"
        )
        try:
            return _draw(drawing(self.dot(fast=True), fmt))
        except DrawFailed as exc:
            raise DrawFailed(f"{exc}, with the fast layout too; {instead}") from exc


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

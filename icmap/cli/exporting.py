"""`icmap export`: an org file out to other tools' formats (a spreadsheet)."""

from __future__ import annotations

from typing import Annotated

import typer

export_app = typer.Typer(
    name="export",
    help="Write an org file in another tool's format (a spreadsheet).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    """Add the `export` group to the app."""
    export_app.command("sheet")(sheet_command)
    app.add_typer(export_app, name="export")


def sheet_command(
    path: Annotated[str, typer.Argument(metavar="ORG", help="The org file to export.")],
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help=(
                "Write an .xlsx workbook, or CSV files: UNITS.csv gives UNITS.csv, "
                "UNITS-dependencies.csv and UNITS-settings.csv. `-` writes the units CSV "
                "to standard output."
            ),
        ),
    ],
) -> None:
    """Write an org (with its includes) as a spreadsheet that `icmap import sheet` reads back."""
    from icmap.cli.sheets import export_sheet

    export_sheet(path, output)

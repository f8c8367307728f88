"""`icmap import`: measured data and spreadsheets in, org-file YAML out.

One Typer sub-app, `import_app`; each importer adds its command to it from its own module
(see `register`). This module holds `import sheet`; the spreadsheet readers are imported
only when that command runs (see docs/import.md).
"""

from __future__ import annotations

from typing import Annotated

import typer

from icmap.cli import measured
from icmap.cli.common import output_option

import_app = typer.Typer(
    name="import",
    help="Turn spreadsheets and measured data (tickets, events, surveys) into org-file YAML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    """Add the `import` group, with every importer command, to the app."""
    import_app.command("sheet")(sheet_command)
    measured.register(import_app)
    app.add_typer(import_app, name="import")


def sheet_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="BOOK.xlsx | UNITS.csv [DEPENDENCIES.csv] [SETTINGS.csv]",
            help="A workbook with sheets units, dependencies and settings; or CSV files.",
        ),
    ],
    output: Annotated[str | None, output_option("org file")] = None,
    report_format: Annotated[
        str,
        typer.Option(
            "--report",
            metavar="FORMAT",
            help="Problems on stderr as: text, parsable, json, github, sarif, auto.",
        ),
    ] = "auto",
) -> None:
    """Read an org kept in a spreadsheet and write it as an org file (YAML).

    Every problem is reported at file:row:column (book.xlsx:units!C7), all at once; nothing
    is written when there is an error.
    """
    from icmap.cli.sheets import import_sheet

    import_sheet(paths, output, report_format)

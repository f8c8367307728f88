"""`icmap schema`: print the JSON Schema of the org format, for editors and other tools."""

from __future__ import annotations

from typing import Annotated

import typer

from icmap.cli.common import CannotRun, fail, output_option, write_output


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("schema")(schema_command)


def schema_command(
    output: Annotated[str | None, output_option("schema")] = None,
    fragment: Annotated[
        bool,
        typer.Option(
            "--fragment",
            help=(
                "The schema of a file that another one includes: no `icmap:` or "
                "`organization:` needed, and no `settings:`."
            ),
        ),
    ] = False,
) -> None:
    """Print the JSON Schema (draft 2020-12) of the org file format.

    Save it and point your editor's YAML language server at it with a first line:

    \b
        # yaml-language-server: $schema=icmap.schema.json
    """
    from icmap.report.schema import schema_text

    try:
        write_output(output, schema_text(fragment))
    except CannotRun as exc:
        fail(str(exc))

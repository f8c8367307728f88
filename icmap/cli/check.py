"""`icmap check`: validate org files for people and CI pipelines."""

from __future__ import annotations

from typing import Annotated

import typer

from icmap.cli.common import ExitCode, expand_paths, fail


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("check")(check_command)


def check_command(
    paths: Annotated[
        list[str], typer.Argument(metavar="FILE...", help="Org files or directories.")
    ],
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
) -> None:
    """Validate org files: every problem with its file:line:column (exit 1 if any)."""
    from icmap.api import check
    from icmap.model import Level

    files = expand_paths(paths)
    if not files:
        fail("no org files found (looked for *.yaml and *.yml)")
    status = ExitCode.OK
    for path in files:
        result = check(path)
        if result.unreadable:
            status = ExitCode.CANNOT_RUN
        for f in result.findings:
            typer.echo(f"{f.location}: [{f.level}] {f.message} ({f.code})")
            if f.level is Level.ERROR or strict:
                status = max(status, ExitCode.PROBLEMS)
    raise typer.Exit(int(status))

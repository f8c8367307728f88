"""The command line: arguments, exit codes and where output goes; the work is done by the API.

Exit codes (every command): 0 done, nothing wrong; 1 the org has problems; 2 the command
could not run. Each command lives in its own module and imports what it needs on use.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Annotated

import typer

from icmap import __version__
from icmap.cli import analyze, check, render, schema, simulate
from icmap.cli.common import ExitCode, state

app = typer.Typer(
    name="icmap",
    help=(
        "Map internal customers: who depends on whom inside an organization, where work "
        "waits, and the critical paths to the customer who pays."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
for module in (check, analyze, render, schema, simulate):
    module.register(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"icmap {__version__}")
        raise typer.Exit(int(ExitCode.OK))


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a full traceback if icmap itself fails.")
    ] = False,
) -> None:
    """Map internal customers, find bottlenecks and critical paths, render charts."""
    state.debug = debug


def main() -> None:
    """Entry point of the `icmap` console script."""
    # One short-lived run builds up to millions of small objects and no reference cycles
    # worth collecting; CPython's cyclic collector would rescan them again and again
    # (about 10% of `icmap analyze` on a 10,000-role org). Reference counting still frees.
    gc.disable()
    from icmap.lifetime import kept_until_exit

    with kept_until_exit() as _kept:  # held until os._exit, so never freed one by one
        code = _run()
    # Leave without tearing down those millions of objects one by one (0.5 s at 100,000
    # roles): everything icmap writes is flushed here, and output files are already closed.
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # `icmap ... | head`: the reader left; that is not an error
        code = code or 0
    os._exit(code)


def _run() -> int:
    """Run the app; the exit code, whatever happens."""
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        sys.stderr.write("icmap: interrupted\n")
        return 130
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        sys.stderr.write(f"{exc.code}\n")
        return int(ExitCode.CANNOT_RUN)
    except BaseException as exc:
        if state.debug:
            import traceback

            traceback.print_exc()
        else:
            sys.stderr.write(
                f"icmap: internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in icmap, not in your file. Please report it with the command "
                "you ran; run again with --debug for the traceback.\n"
            )
        return int(ExitCode.CANNOT_RUN)
    return 0

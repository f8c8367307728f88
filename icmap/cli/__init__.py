"""The command line: arguments, exit codes and where output goes; the work is done by the API.

Exit codes (every command): 0 done, nothing wrong; 1 the org has problems; 2 the command
could not run. Each command lives in its own module and imports what it needs on use.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import signal
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from icmap import __version__
from icmap.cli.common import ClosedStream, ExitCode, Stopped, state, stop_on_signals
from icmap.textsafety import shown

#: Each command's name and the module of icmap.cli that registers it, in the order
#: `icmap --help` lists them.
COMMANDS: dict[str, str] = {
    "check": "check",
    "analyze": "analyze",
    "render": "render",
    "handout": "handout",
    "schema": "schema",
    "simulate": "simulate",
    "import": "importing",
    "export": "exporting",
    "diff": "diff",
    "whatif": "whatif",
}

if TYPE_CHECKING:
    app: typer.Typer  # every command; built on first use (see __getattr__)


def build_app(only: str | None = None) -> typer.Typer:
    """The command-line app with every command, or with the command `only` alone.

    One run needs only its own command: importing the others and building their options
    is about a third of icmap's start-up (the console script builds just the one named on
    the command line; `icmap --help`, or a name that is no command, gets them all).
    """
    built = typer.Typer(
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
    for name, module in COMMANDS.items():
        if only is None or name == only:
            importlib.import_module(f"icmap.cli.{module}").register(built)
    built.callback()(_root)
    return built


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # `from icmap.cli import app`: the app with every command, made once
        full = globals()["app"] = build_app()
        return full
    raise AttributeError(f"module 'icmap.cli' has no attribute {name!r}")


def command_named(args: Sequence[str]) -> str | None:
    """The command a command line runs: its first word that is not an option (the app's
    own options, `--debug` and `--version`, take no value); None if that is no command."""
    word = next((a for a in args if not a.startswith("-")), None)
    return word if word in COMMANDS else None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"icmap {__version__}")
        raise typer.Exit(int(ExitCode.OK))


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
    _standard_streams()
    stop_on_signals()
    from icmap.cli.lifetime import kept_until_exit

    with kept_until_exit() as _kept:  # held until os._exit, so never freed one by one
        code = _run(build_app(command_named(sys.argv[1:])))
    # Leave without tearing down those millions of objects one by one (0.5 s at 100,000
    # roles): everything icmap writes is flushed here, and output files are already closed.
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # `icmap ... | head`: the reader left; that is not an error
        pass
    except OSError as exc:  # a full disk, say: what was written is incomplete
        sys.stderr.write(f"icmap: cannot write to standard output: {exc.strerror or exc}\n")
        code = int(ExitCode.CANNOT_RUN)
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(code)


def _standard_streams() -> None:
    """Make a closed standard stream (`>&-`, `2>&-`) safe, before anything is opened.

    A file icmap opens would otherwise get descriptor 1 or 2, and a Graphviz child would
    write into it; /dev/null takes their place. Writing the report to a closed standard
    output then fails with a clear message (exit 2), not a traceback.
    """
    closed = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.append(fd)
    for fd in closed:
        null = os.open(os.devnull, os.O_RDWR)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
    if 1 in closed or sys.stdout is None:
        sys.stdout = ClosedStream()
    if 2 in closed or sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (kept to the end)


def _run(app: typer.Typer) -> int:
    """Run the app; the exit code, whatever happens."""
    try:
        app(standalone_mode=True)
    except (KeyboardInterrupt, Stopped) as exc:
        signum = exc.signum if isinstance(exc, Stopped) else signal.SIGINT
        what = (
            "interrupted"
            if signum == signal.SIGINT
            else f"stopped by {signal.Signals(signum).name}"
        )
        sys.stderr.write(f"icmap: {what}\n")
        return 128 + signum
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
                f"icmap: internal error: {type(exc).__name__}: {shown(str(exc))}\n"
                "This is a bug in icmap, not in your file. Please report it with the command "
                "you ran; run again with --debug for the traceback.\n"
            )
        return int(ExitCode.CANNOT_RUN)
    return 0

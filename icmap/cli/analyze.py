"""`icmap analyze`: load an org, analyze it, and write the report in the format asked for.

Exit 0 when the org was analyzed (warnings allowed unless `--strict`), 1 when the org has
errors (nothing is analyzed) or, with `--strict`, warnings, 2 when the file cannot be read,
an argument is wrong, or the report cannot be written.
"""

from __future__ import annotations

import shutil
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from icmap.cli.common import (
    CannotRun,
    ExitCode,
    fail,
    format_option,
    include_root_option,
    output_option,
    refuse_fragment,
    write_output,
)
from icmap.report.analysis import FORMATS
from icmap.textsafety import shown, shown_line, shown_path

if TYPE_CHECKING:
    from icmap.api import CheckResult
    from icmap.model import Finding, Settings

# Below this a run feels instant, and a spinner would only flicker.
PROGRESS_DELAY = 1.0


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("analyze")(analyze_command)


def _duration(value: str) -> str:
    # Checked before the org is read; hours per day are known only after, see near_hours.
    from icmap.model import Settings

    try:
        near_hours(value, Settings())
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    return value


def near_hours(value: str, settings: Settings) -> float:
    """Hours in a --near value: a bare number of hours, or a duration like `4h`, `1d 2h`."""
    from icmap.loader.values import duration_argument

    return duration_argument(value, settings)


def analyze_command(
    path: Annotated[str, typer.Argument(metavar="ORG", help="The org file to analyze.")],
    output_format: Annotated[str, format_option(FORMATS)] = "text",
    output: Annotated[str | None, output_option("report")] = None,
    include_root: Annotated[str | None, include_root_option()] = None,
    near: Annotated[
        str,
        typer.Option(
            "--near",
            metavar="DURATION",
            callback=_duration,
            help=(
                "Also list near-critical units: not critical, but within DURATION of a "
                "critical path (hours, or e.g. 30m, 4h, 1d 2h)."
            ),
        ),
    ] = "0",
    paths: Annotated[
        int,
        typer.Option(
            "--paths", metavar="K", min=0, help="Also list the K longest paths per customer."
        ),
    ] = 0,
    customer: Annotated[
        str | None,
        typer.Option(
            "--customer",
            metavar="ID",
            help="Only what feeds this external customer: its path, units, breaches, team.",
        ),
    ] = None,
    units: Annotated[
        bool,
        typer.Option("--units", help="Text and markdown: also list the float of every unit."),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 if the org has warnings (after the report).")
    ] = False,
) -> None:
    """Analyze an org: critical paths, floats, bottlenecks, service breaches, recommendations."""
    from icmap.api import analyze
    from icmap.cli.lifetime import keep
    from icmap.report.analysis import Options, report_pieces

    result = checked_org(path, include_root, "analyze")
    assert result.org is not None  # checked_org exits otherwise
    if customer is not None:
        known_customer(customer, {c.id: c.label for c in result.org.external_customers})

    progress = Progress("Analyzing")
    progress.start()
    try:
        analysis = analyze(
            result.org,
            near=near_hours(near, result.org.settings),
            paths=paths,
            graph=result.graph,  # built by check already: not built twice
            customer=customer,
        )
        to_stdout = output is None or output == "-"
        options = Options(
            width=terminal_width() if to_stdout else 80,
            color=to_stdout and output_format == "text" and sys.stdout.isatty(),
            all_units=units,
        )
        # Made as it is written for json (a thousand units at a time), whole otherwise.
        report = report_pieces(analysis, output_format, options)
    finally:
        progress.stop()
    keep(result, analysis)  # freed with the process, not object by object
    try:
        write_output(output, report, inputs=(path, *result.files))
    except CannotRun as exc:
        fail(str(exc))
    failed = strict and result.warnings > 0
    raise typer.Exit(int(ExitCode.PROBLEMS if failed else ExitCode.OK))


def checked_org(path: str, include_root: str | None, command: str) -> CheckResult:
    """Read and check the org for `icmap COMMAND`: exit 2 when it cannot be read, print its
    findings (the first `SHOWN_FINDINGS`), exit 1 when it has errors (for a fragment that
    another file includes, saying which one to name instead). Its YAML trees are not kept:
    the loader lets each unit's nodes go once read, so the analysis that follows grows
    into their memory (a 100,000-role org peaks about 110 MB lower than with the trees
    kept until exit)."""
    from icmap.api import check

    progress = Progress("Reading the org")
    progress.start()
    try:
        result = check(path, include_root)
    finally:
        progress.stop()
    if result.unreadable:
        for finding in result.findings:
            sys.stderr.write(f"icmap: {shown(finding.message)}\n")
        raise typer.Exit(int(ExitCode.CANNOT_RUN))
    if result.errors:
        refuse_fragment(path, command, include_root)
    print_findings(result.findings, path)
    if result.org is None or result.errors:
        raise typer.Exit(int(ExitCode.PROBLEMS))
    return result


def known_customer(wanted: str, customers: dict[str, str]) -> None:
    """Stop with exit 2 unless `wanted` is an external customer's id (id -> name), naming the
    closest ones."""
    if wanted in customers:
        return
    from icmap.formatting import suggestion
    from icmap.names import did_you_mean

    fail(f"no external customer with id {wanted!r}{suggestion(did_you_mean(wanted, customers))}")


#: Findings printed before the report or chart; `icmap check` lists them all.
SHOWN_FINDINGS = 20


def print_findings(findings: Sequence[Finding], path: str) -> None:
    """The first `SHOWN_FINDINGS` findings on stderr, each as
    `file:line:col: [level] message (code)` and its hint, then how many more there are."""
    for finding in findings[:SHOWN_FINDINGS]:
        # One line each, whatever a file name or a YAML value put into it: control
        # characters are shown as escapes, so nothing can forge another line.
        location = finding.location
        where = shown_path(location.file if location else path)
        if location:
            where += f":{location.line}:{location.column}"
        message = shown_line(finding.message)
        sys.stderr.write(f"{where}: [{finding.level.value}] {message} ({finding.code})\n")
        if finding.hint:
            sys.stderr.write(f"  hint: {shown_line(finding.hint)}\n")
    rest = findings[SHOWN_FINDINGS:]
    if rest:
        from icmap.report.check import finding_counts

        sys.stderr.write(
            f"icmap: {len(rest)} more not shown here ({finding_counts(rest)}); "
            f"`icmap check {shown(path)}` lists them all\n"
        )


def terminal_width() -> int:
    """Columns for a text report on standard output: COLUMNS, else the terminal, else 80."""
    # COLUMNS wins, then the terminal's width; 80 in a pipe. Very narrow terminals get 40.
    return max(40, shutil.get_terminal_size((80, 24)).columns)


class Progress:
    """A spinner on stderr, shown only when a step takes over a second and stderr is a
    terminal: never in pipes, CI logs or tests. Stop it before anything else is written."""

    def __init__(self, message: str, *, delay: float = PROGRESS_DELAY) -> None:
        self.message = message
        self.delay = delay
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._status: Any = None  # a rich Status; rich is imported only if one is shown
        self._stopped = False

    def start(self) -> None:
        """Arm the timer (only when stderr is a terminal)."""
        if not sys.stderr.isatty():
            return
        self._timer = threading.Timer(self.delay, self._show)
        self._timer.daemon = True
        self._timer.start()

    def _show(self) -> None:
        with self._lock:
            if self._stopped:
                return
            from rich.console import Console
            from rich.text import Text

            self._status = Console(stderr=True).status(Text(self.message))
            self._status.start()

    def stop(self) -> None:
        """Cancel the timer and clear the spinner if it is showing."""
        with self._lock:
            self._stopped = True
            if self._timer is not None:
                self._timer.cancel()
            if self._status is not None:
                self._status.stop()
                self._status = None

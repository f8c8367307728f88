"""`icmap diff OLD NEW`: what a change of the org file does to its external customers.

OLD and NEW are org files or `REV:PATH` (read from git, includes at the same revision).
Exit 0 when both were compared (changes or not), 1 when either has errors (their findings
as `icmap check` reports them) or `--fail-on worse` finds it worse, 2 when a file or
revision cannot be read, an argument is wrong, or the report cannot be written.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from icmap import textsafety
from icmap.cli.common import (
    CannotRun,
    ExitCode,
    fail,
    include_root_option,
    one_of,
    output_option,
    write_output,
)
from icmap.cli.common import (
    format_option as common_format_option,
)

if TYPE_CHECKING:
    from icmap.api import CheckResult
    from icmap.model import Settings

FORMATS = ("text", "markdown", "json")
FAIL_ON = ("never", "worse")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("diff")(diff_command)


def format_option() -> object:
    """`-f/--format` of diff and whatif."""
    return common_format_option(
        FORMATS, f"Report format: {', '.join(FORMATS)} (markdown: a pull-request comment)."
    )


def fail_on_option() -> object:
    """`--fail-on` of diff and whatif."""
    return typer.Option(
        "--fail-on",
        metavar="WHEN",
        callback=one_of(FAIL_ON),
        help=(
            "`worse`: exit 1 when a customer's critical path got longer, a customer became "
            "late, or a breach, orphan or single point of failure is new. Default: never."
        ),
    )


def threshold_option() -> object:
    """`--threshold` of diff and whatif."""
    return typer.Option(
        "--threshold",
        metavar="DURATION",
        help="List units whose float moved by more than this (hours, or e.g. 30m, 1d).",
    )


def diff_command(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The org before: a file or REV:PATH.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The org after: a file or REV:PATH.")],
    output_format: Annotated[str, format_option()] = "text",
    fail_on: Annotated[str, fail_on_option()] = "never",
    threshold: Annotated[str, threshold_option()] = "1h",
    output: Annotated[str | None, output_option("report")] = None,
    include_root: Annotated[str | None, include_root_option()] = None,
) -> None:
    """Compare two versions of an org: critical paths, floats, bottlenecks, breaches, structure.

    \b
        icmap diff main:org.yaml org.yaml -f markdown --fail-on worse
    """
    from icmap.change.diff import compare
    from icmap.change.figures import figures_of

    with loaded(old, include_root) as before, loaded(new, include_root) as after:
        assert before.org is not None and after.org is not None
        limit = hours_option(threshold, after.org.settings, "--threshold")
        result = compare(
            figures_of(before.org, before.graph), figures_of(after.org, after.graph), limit
        )
        inputs = (*before.files, *after.files)
    from icmap.report.change import write_report

    finish(write_report([("", result)], output_format, old, new), output, inputs, fail_on, [result])


def hours_option(value: str, settings: Settings, option: str) -> float:
    """Hours in a duration option; a usage error (exit 2) when it is not one."""
    from icmap.cli.analyze import near_hours

    try:
        return near_hours(value, settings)
    except ValueError as exc:
        fail(f"{option}: {exc}")
        raise AssertionError from exc  # fail() exits


def finish(
    report: str, output: str | None, inputs: tuple[str, ...], fail_on: str, diffs: list[object]
) -> None:
    """Write the report, then exit 1 when `--fail-on worse` and a diff is worse, else 0."""
    try:
        write_output(output, report, inputs=inputs)
    except CannotRun as exc:
        fail(str(exc))
    worse = fail_on == "worse" and any(getattr(d, "worse", False) for d in diffs)
    raise typer.Exit(int(ExitCode.PROBLEMS if worse else ExitCode.OK))


@contextmanager
def loaded(argument: str, include_root: str | None = None) -> Iterator[CheckResult]:
    """The checked org of a file or `REV:PATH`; exits 1 with its findings when it has
    errors (as `icmap check` reports them), 2 when it cannot be read."""
    from icmap.api import check
    from icmap.change.revision import RevisionError, checked_out, split_revision

    try:
        where = split_revision(argument)
    except RevisionError as exc:
        fail(f"{argument}: {exc}")
    if where is None:
        result = check(argument, include_root)
        _refuse_problems(result)
        yield result
        return
    try:
        with checked_out(where) as (folder, path):
            # The revision's files are laid out like the repository: its top is the root.
            result = check(path, include_root=folder)
            result = _renamed(result, folder, where.revision, str(where))
            _refuse_problems(result)
            yield result
    except RevisionError as exc:
        fail(str(exc))


def _renamed(result: CheckResult, folder: str, revision: str, shown: str) -> CheckResult:
    import dataclasses
    import os

    from icmap.change.revision import told_as_revision

    prefix = folder.rstrip(os.sep) + os.sep

    def name(path: str) -> str:
        return f"{revision}:{path[len(prefix) :]}" if path.startswith(prefix) else path

    return dataclasses.replace(
        result,
        path=shown,
        findings=told_as_revision(result.findings, folder, revision),
        files=tuple(name(f) for f in result.files),
    )


def _refuse_problems(result: CheckResult) -> None:
    if result.unreadable:
        for finding in result.findings:
            sys.stderr.write(f"icmap: {textsafety.shown(finding.message)}\n")
        raise typer.Exit(int(ExitCode.CANNOT_RUN))
    if result.org is not None and not result.errors:
        from icmap.cli.analyze import print_findings

        print_findings([f for f in result.findings], result.path)  # warnings, as analyze does
        return
    from icmap.report.check import REPORTERS, CheckReport, FileReport

    report = CheckReport.of([FileReport.of(result.path, result.files, result.findings)])
    REPORTERS["text"](report, sys.stderr)
    raise typer.Exit(int(ExitCode.PROBLEMS))

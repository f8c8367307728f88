"""`icmap check`: validate org files for people and CI pipelines.

Exit 0 when clean (warnings allowed unless `--strict`), 1 when a file has problems, 2 when a
named file cannot be read, the arguments are wrong, or the report cannot be written.
"""

from __future__ import annotations

import io
import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from icmap.cli.common import (
    CannotRun,
    ExitCode,
    expand_paths,
    fail,
    format_option,
    include_root_option,
    output_option,
    write_output,
    writing_to_stdout,
)
from icmap.report.check import FORMATS
from icmap.textsafety import shown

if TYPE_CHECKING:
    from icmap.api import CheckResult


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("check")(check_command)


def check_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE",
            help="Org files, or directories to search for *.yaml and *.yml files.",
        ),
    ],
    output_format: Annotated[
        str,
        format_option(
            FORMATS,
            f"Report format: {', '.join(FORMATS)}. `auto` is github when GITHUB_ACTIONS "
            "is true, else text.",
        ),
    ] = "auto",
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    output: Annotated[str | None, output_option("report")] = None,
    base_dir: Annotated[
        str | None,
        typer.Option(
            "--base-dir",
            metavar="DIR",
            help=(
                "SARIF names files relative to DIR. Default: the root of the git work tree "
                "the command runs in (the nearest folder upward with .git), else the working "
                "directory."
            ),
        ),
    ] = None,
    include_root: Annotated[str | None, include_root_option()] = None,
    policy: Annotated[
        str | None,
        typer.Option(
            "--policy",
            metavar="FILE",
            help="Enforce the policy in FILE (a YAML file holding just `policy:`) instead of "
            "the org's own `policy:` section.",
        ),
    ] = None,
) -> None:
    """Validate org files: every problem with its file:line:column (exit 1 if any).

    A file that another checked file includes is checked as part of it, not on its own.
    """
    from icmap.report.check import REPORTERS, CheckReport, FileReport, choose_format

    named = expand_paths(paths)
    if not named:
        fail(f"no org files found in {' '.join(paths)} (looked for *.yaml and *.yml)")
    if policy is not None and not os.path.isfile(policy):
        fail(f"--policy {policy}: no such file")
    results = _check_all(named, include_root, policy)
    status = ExitCode.OK
    for result in results:
        if result.unreadable:
            status = ExitCode.CANNOT_RUN
            for finding in result.findings:
                sys.stderr.write(f"icmap: {shown(finding.message)}\n")
    report = CheckReport.of(
        (FileReport.of(r.path, r.files, r.findings) for r in results if not r.unreadable),
        base_dir=_source_root(base_dir),
    )
    if not report.roots:
        raise typer.Exit(int(status))  # nothing could be read: the reasons are on stderr
    reporter = REPORTERS[choose_format(output_format)]
    if output is None or output == "-":
        try:
            with writing_to_stdout():
                reporter(report, sys.stdout)
                sys.stdout.flush()
        except CannotRun as exc:
            fail(str(exc))
    else:
        buffer = io.StringIO()
        reporter(report, buffer)
        try:
            write_output(output, buffer.getvalue(), inputs=(*named, *report.files))
        except CannotRun as exc:
            fail(str(exc))
    if status is ExitCode.OK and not report.passed(strict):
        status = ExitCode.PROBLEMS
    raise typer.Exit(int(status))


def _source_root(base_dir: str | None) -> str | None:
    """The folder SARIF paths are relative to: `--base-dir`, else the git work tree's root."""
    from icmap.loader.files import work_tree_root

    if base_dir is None:
        return work_tree_root(os.getcwd())
    if not os.path.isdir(base_dir):
        fail(f"--base-dir {base_dir}: no such directory")
    return os.path.abspath(base_dir)


def _check_all(
    paths: list[str], include_root: str | None = None, policy: str | None = None
) -> list[CheckResult]:
    """Check each file once, with its policy; a file already read as an include of an
    earlier one is skipped.

    A fragment (no `icmap:` header) is replaced by the org files that include it, when there
    are any (`find_including_roots`).
    """
    from icmap.api import check, enforce_policy, find_including_roots
    from icmap.cli.lifetime import keep

    def checked(path: str, last: bool) -> CheckResult:
        if not last:  # its YAML trees go as soon as it is checked
            return enforce_policy(check(path, include_root), policy)
        # The last file's trees and result: freed with the process, not one by one.
        result = enforce_policy(check(path, include_root, on_tree=keep), policy)
        keep(result)
        return result

    results: list[CheckResult] = []
    read: set[str] = set()
    for number, path in enumerate(paths, start=1):
        real = os.path.realpath(path)
        if real in read:
            continue
        result = checked(path, number == len(paths))
        # A fragment named on its own (a pre-commit hook passes just the file that changed)
        # is checked as part of the org files that include it.
        roots = find_including_roots(path, include_root) if result.errors else ()
        for root in roots or (path,):
            if root != path:
                if os.path.realpath(root) in read:
                    continue
                result = checked(root, number == len(paths))
            results.append(result)
            read.add(os.path.realpath(root))
            read.update(os.path.realpath(f) for f in result.files)
        read.add(real)
    return results

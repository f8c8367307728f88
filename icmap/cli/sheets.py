"""`icmap import sheet` and `icmap export sheet`: arguments, reports and exit codes.

The work is done by icmap.sheets; this module picks the report format, writes the output
with `write_output` (atomically, never over an input) and chooses the exit code.
"""

from __future__ import annotations

import io
import sys
from typing import TYPE_CHECKING

from icmap.cli.common import CannotRun, ExitCode, fail, write_output

if TYPE_CHECKING:
    from icmap.model import Finding


def import_sheet(paths: list[str], output: str | None, report_format: str) -> None:
    """Run `icmap import sheet`: problems on stderr in `report_format`, the org to `output`."""
    from icmap.report.check import REPORTERS, CheckReport, FileReport, choose_format
    from icmap.sheets.importer import import_sheets
    from icmap.sheets.tables import SheetError

    if report_format not in (*REPORTERS, "auto"):
        fail(f"--report {report_format!r} is not one of {', '.join((*REPORTERS, 'auto'))}")
    try:
        result = import_sheets(paths)
    except SheetError as exc:
        fail(str(exc))
    name = choose_format(report_format)
    # One report per file (per sheet of a workbook), as check reports one per org file.
    by_file: dict[str, list[Finding]] = {}
    for finding in result.findings:
        where = finding.location.file if finding.location is not None else paths[0]
        by_file.setdefault(where, []).append(finding)
    report = CheckReport(
        tuple(FileReport(f, (f,), tuple(found)) for f, found in sorted(by_file.items()))
    )
    if result.findings or name != "text":
        buffer = io.StringIO()
        REPORTERS[name](report, buffer)
        sys.stderr.write(buffer.getvalue())
    if result.yaml is None:
        sys.stderr.write("icmap: nothing written: the sheets have errors\n")
        raise SystemExit(int(ExitCode.PROBLEMS))
    if name == "text":
        read = ", ".join(f"{count} {sheet} rows" for sheet, count in result.rows.items())
        sys.stderr.write(f"icmap: read {read}\n")
    try:
        write_output(output, result.yaml, inputs=paths)
    except CannotRun as exc:
        fail(str(exc))


def export_sheet(path: str, output: str) -> None:
    """Run `icmap export sheet`: the org (exit 1 if it has errors) as .xlsx or CSV files."""
    from icmap.api import check
    from icmap.sheets.exporter import csv_files, workbook_bytes

    result = check(path)
    if result.unreadable:
        fail("; ".join(f.message for f in result.findings if f.code == "ICM001"))
    if result.org is None or result.errors:
        from icmap.report.check import REPORTERS, CheckReport, FileReport

        buffer = io.StringIO()
        REPORTERS["parsable"](
            CheckReport((FileReport.of(path, result.files, result.findings),)), buffer
        )
        sys.stderr.write(buffer.getvalue())
        fail(f"{path} has errors; nothing exported (run icmap check {path})", ExitCode.PROBLEMS)
    org = result.org
    if org is None:  # not reached: an org with no errors was built
        return
    inputs = (path, *result.files)
    lowered = output.lower()
    try:
        if lowered.endswith((".xlsx", ".xlsm")):
            write_output(output, workbook_bytes(org), inputs=inputs)
        elif lowered.endswith(".csv") or output == "-":
            files = csv_files(org, "units.csv" if output == "-" else output)
            if output == "-":
                write_output("-", files["units.csv"])
                return
            for target, text in files.items():
                write_output(target, text, inputs=inputs)
        else:
            fail(f"{output}: name an .xlsx workbook or a .csv file")
    except CannotRun as exc:
        fail(str(exc))

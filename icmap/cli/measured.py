"""`icmap import tickets | events | survey`: measured data to a measurements fragment.

The work is done by `icmap.importing`; this module reads the options, loads the org (leaving
out the fragment being replaced), writes the fragment and the report, and picks the exit
code: 0 imported, 1 the org has errors or (`--strict`) rows were skipped or names matched no
unit, 2 a file cannot be read, lacks a needed column, or an option is wrong.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from icmap import textsafety
from icmap.cli.common import CannotRun, ExitCode, fail, one_of, output_option, write_output

if TYPE_CHECKING:
    from icmap.importing.common import ImportOptions, ImportResult
    from icmap.model import Org

REPORT_FORMATS = ("text", "json")
MISSING_INCLUDE = "ICM400"  # an included file that does not exist


def register(app: typer.Typer) -> None:
    """Add the measured-data importers to the `icmap import` group."""
    app.command("tickets")(tickets_command)
    app.command("events")(events_command)
    app.command("survey")(survey_command)


def _checked(parse: Callable[[str], Any]) -> Callable[[str | None], str | None]:
    def check(value: str | None) -> str | None:
        if value is not None:
            try:
                parse(value)
            except ValueError as exc:
                raise typer.BadParameter(str(exc)) from exc
        return value

    return check


def _period(value: str) -> Any:
    from icmap.importing.figures import parse_period

    return parse_period(value)


def _scale(value: str) -> Any:
    from icmap.importing.figures import parse_scale

    return parse_scale(value)


OrgOption = Annotated[
    str,
    typer.Option("--org", metavar="ORG", help="The org file whose units the names are matched to."),
]
Output = Annotated[str | None, output_option("measurements fragment")]
Report = Annotated[
    str,
    typer.Option(
        "--report",
        metavar="FORMAT",
        callback=one_of(REPORT_FORMATS),
        help="The report on stderr as: text, json.",
    ),
]
Strict = Annotated[
    bool,
    typer.Option("--strict", help="Exit 1 if a row was skipped or a name matched no unit."),
]
MapOption = Annotated[
    str | None,
    typer.Option(
        "--map",
        metavar="NAMES.csv",
        help="Two columns: a name in the input, the unit id it stands for (adds matches).",
    ),
]
PeriodOption = Annotated[
    str | None,
    typer.Option(
        "--period",
        metavar="FROM..TO",
        callback=_checked(_period),
        help="Use only requests from FROM to TO (dates, inclusive, in the org's timezone).",
    ),
]
WorkingTime = Annotated[
    bool | None,
    typer.Option(
        "--working-time/--calendar-time",
        help="Count only working hours (settings.working_hours), or all hours; default: "
        "working time when the org sets working_hours.",
    ),
]


def tickets_command(
    log: Annotated[str, typer.Argument(metavar="LOG.csv", help="The ticket export (CSV).")],
    org: OrgOption,
    output: Output = None,
    report_format: Report = "text",
    strict: Strict = False,
    names_map: MapOption = None,
    period: PeriodOption = None,
    working_time: WorkingTime = None,
    rating_scale: Annotated[
        str | None,
        typer.Option(
            "--rating-scale",
            metavar="LO-HI",
            callback=_checked(_scale),
            help="The scale of the rating column (default: the org's satisfaction_scale).",
        ),
    ] = None,
    requester: Annotated[str, typer.Option(help="Column of the internal customer.")] = "requester",
    provider: Annotated[str, typer.Option(help="Column of the supplier.")] = "provider",
    opened: Annotated[str, typer.Option(help="Column of the time the request was opened.")] = (
        "opened"
    ),
    resolved: Annotated[str, typer.Option(help="Column of the time it was resolved.")] = (
        "resolved"
    ),
    first_response: Annotated[
        str, typer.Option(help="Column of the first response (optional column).")
    ] = "first_response",
    reopened: Annotated[
        str, typer.Option(help="Column saying whether it was reopened (optional).")
    ] = "reopened",
    rating: Annotated[str, typer.Option(help="Column of the requester's rating (optional).")] = (
        "rating"
    ),
) -> None:
    """Measure handoffs from a ticket log: response times, volume, reopened share, ratings.

    One row is one request by an internal customer (requester) to a supplier (provider).
    Writes a measurements fragment for the org to include; see docs/import.md.
    """
    from icmap.importing.figures import parse_scale
    from icmap.importing.tickets import TicketColumns, import_tickets

    columns = TicketColumns(requester, provider, opened, resolved, first_response, reopened, rating)
    scale = parse_scale(rating_scale) if rating_scale else None

    def run(model: Org, options: ImportOptions) -> ImportResult:
        return import_tickets(log, model, options, columns, scale)

    _import(
        "import tickets",
        log,
        org,
        output,
        report_format,
        strict,
        names_map,
        period,
        working_time,
        run,
    )


def events_command(
    log: Annotated[
        str,
        typer.Argument(metavar="LOG.csv|LOG.xes|LOG.xes.gz", help="The event log."),
    ],
    org: OrgOption,
    output: Output = None,
    report_format: Report = "text",
    strict: Strict = False,
    names_map: MapOption = None,
    period: PeriodOption = None,
    working_time: WorkingTime = None,
    by: Annotated[
        str, typer.Option("--by", help="The event attribute naming the unit (e.g. org:resource).")
    ] = "org:group",
    case: Annotated[str, typer.Option(help="Column of the case id.")] = "case:concept:name",
    activity: Annotated[str, typer.Option(help="Column of the activity.")] = "concept:name",
    timestamp: Annotated[
        str, typer.Option(help="Column of the completion time.")
    ] = "time:timestamp",
    start: Annotated[
        str, typer.Option(help="Column of the start time (optional).")
    ] = "start_timestamp",
) -> None:
    """Measure handoffs from a process event log (CSV, XES or XES.gz, read streaming).

    Two consecutive events of a case in different units are a handoff from the earlier
    unit (supplier) to the later (customer). See docs/import.md.
    """
    from icmap.importing.events import EventColumns, import_events

    columns = EventColumns(case, activity, by, timestamp, start)

    def run(model: Org, options: ImportOptions) -> ImportResult:
        return import_events(log, model, options, columns)

    _import(
        "import events",
        log,
        org,
        output,
        report_format,
        strict,
        names_map,
        period,
        working_time,
        run,
    )


def survey_command(
    responses: Annotated[
        str, typer.Argument(metavar="RESPONSES.csv", help="One row per survey response.")
    ],
    org: OrgOption,
    output: Output = None,
    report_format: Report = "text",
    strict: Strict = False,
    names_map: MapOption = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="FROM..TO",
            callback=_checked(_period),
            help="The dates the survey covers, written with the figures (no row is filtered).",
        ),
    ] = None,
    scale: Annotated[
        str | None,
        typer.Option(
            "--scale",
            metavar="LO-HI",
            callback=_checked(_scale),
            help="The survey's rating scale (default: the org's satisfaction_scale).",
        ),
    ] = None,
    min_responses: Annotated[
        int,
        typer.Option(
            "--min-responses",
            min=1,
            help="Withhold pairs with fewer responses than this (anonymity).",
        ),
    ] = 5,
    dimension: Annotated[
        list[str] | None,
        typer.Option(
            "--dimension",
            metavar="NAME",
            help="A rating column (repeat it); default: every other numeric column.",
        ),
    ] = None,
    rater: Annotated[str, typer.Option(help="Column of the internal customer.")] = "rater",
    supplier: Annotated[str, typer.Option(help="Column of the rated supplier.")] = "supplier",
) -> None:
    """Measure internal-customer satisfaction from an ICSQ-style survey.

    Pairs with fewer than --min-responses responses are withheld: no figures are written.
    See docs/import.md.
    """
    from icmap.importing.figures import parse_scale
    from icmap.importing.survey import SurveyColumns, import_survey

    columns = SurveyColumns(rater, supplier, tuple(dimension or ()))
    chosen = parse_scale(scale) if scale else None

    def run(model: Org, options: ImportOptions) -> ImportResult:
        return import_survey(responses, model, options, columns, chosen, min_responses)

    _import(
        "import survey", responses, org, output, report_format, strict, names_map, period, None, run
    )


def _import(
    command: str,
    source: str,
    org_path: str,
    output: str | None,
    report_format: str,
    strict: bool,
    names_map: str | None,
    period: str | None,
    working_time: bool | None,
    run: Callable[[Org, ImportOptions], ImportResult],
) -> None:
    """Load the org, run the importer, write the fragment and the report; exit."""
    import os

    from icmap.api import check
    from icmap.cli.analyze import print_findings
    from icmap.importing.calendar import WorkingCalendar
    from icmap.importing.common import ImportOptions
    from icmap.importing.engine import InputError
    from icmap.importing.figures import parse_period
    from icmap.importing.fragment import write_fragment
    from icmap.importing.names import read_map
    from icmap.importing.settings import calendar_of
    from icmap.model import Level
    from icmap.report.importing import report_json, report_text

    leave_out = [output] if output not in (None, "-") else []
    result = check(org_path, leave_out=leave_out)
    if result.unreadable:
        for finding in result.findings:
            sys.stderr.write(f"icmap: {textsafety.shown(finding.message)}\n")
        raise typer.Exit(int(ExitCode.CANNOT_RUN))
    # An included file that does not exist yet is another fragment not imported yet (the
    # first month: tickets before events); the import needs only the org's structure.
    missing = [f for f in result.findings if f.code == MISSING_INCLUDE]
    errors = [f for f in result.findings if f.level is Level.ERROR and f.code != MISSING_INCLUDE]
    if result.org is None or errors:
        print_findings(errors or result.findings, org_path)
        fail(f"{org_path} has errors; fix them before importing into it", ExitCode.PROBLEMS)
    assert result.org is not None
    for finding in missing:
        sys.stderr.write(f"{finding.location or org_path}: not read: {finding.message}\n")
    model = result.org
    inputs = [source, *result.files, *([names_map] if names_map else [])]
    if output is not None and output != "-":
        # refused before a million rows are read, not after (write_output checks it too)
        target = os.path.realpath(output)
        if any(os.path.realpath(p) == target for p in inputs):
            fail(f"{output} is one of the input files; refusing to write over it")
    try:
        calendar: WorkingCalendar = calendar_of(model.settings, working_time)
        extra = read_map(names_map, model) if names_map else {}
        options = ImportOptions(calendar, parse_period(period) if period else None, extra)
        imported = run(model, options)
    except InputError as exc:
        fail(str(exc))
    except ValueError as exc:  # a calendar setting the importer cannot use
        fail(f"{org_path}: {exc}")
    fragment = write_fragment(
        imported.measurements,
        command=command,
        source=os.path.basename(source),
        period=imported.period,
    )
    try:
        write_output(output, fragment, inputs)
    except CannotRun as exc:
        fail(str(exc))
    report = imported.report
    report.source = source
    if report_format == "json":
        sys.stderr.write(report_json(report))
    else:
        sys.stderr.write(report_text(report, output))
    if strict and report.problems:
        raise typer.Exit(int(ExitCode.PROBLEMS))

"""`icmap whatif ORG CHANGE...`: what a change would do, without editing the org file.

The report is `icmap diff`'s, baseline -> scenario. Exit 0 when every scenario was applied
(better or worse), 1 when the org has errors, a scenario makes a value or a loop that
`icmap check` would refuse, or `--fail-on worse` finds one worse; 2 when a change names an
unknown unit, field or dependency (with a did-you-mean), or the command cannot run.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from icmap.cli.common import fail, include_root_option, output_option
from icmap.cli.diff import (
    fail_on_option,
    finish,
    format_option,
    hours_option,
    loaded,
    threshold_option,
)

if TYPE_CHECKING:
    from icmap.change.scenarios import Scenario
    from icmap.model import Finding

COMMAND_LINE = "command line"


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("whatif")(whatif_command)


def whatif_command(
    path: Annotated[str, typer.Argument(metavar="ORG", help="The org file (the baseline).")],
    changes: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="CHANGE...",
            help=(
                "Changes: UNIT.FIELD=VALUE, SUPPLIER->CUSTOMER.FIELD=VALUE, -UNIT, "
                "-SUPPLIER->CUSTOMER, +SUPPLIER->CUSTOMER; relative values like "
                "lead_time=-25% or capacity=+2."
            ),
        ),
    ] = None,
    scenario_file: Annotated[
        str | None,
        typer.Option(
            "--scenario",
            metavar="FILE",
            help="A YAML file of named scenarios (`scenarios: {name: [change, ...]}`).",
        ),
    ] = None,
    suggest: Annotated[
        int,
        typer.Option(
            "--suggest",
            metavar="N",
            min=0,
            help="List the N single changes that shorten each customer's critical path most.",
        ),
    ] = 0,
    output_format: Annotated[str, format_option()] = "text",
    fail_on: Annotated[str, fail_on_option()] = "never",
    threshold: Annotated[str, threshold_option()] = "1h",
    output: Annotated[str | None, output_option("report")] = None,
    include_root: Annotated[str | None, include_root_option()] = None,
) -> None:
    """Try changes on an org without editing it: the diff from baseline to each scenario.

    \b
        icmap whatif org.yaml billing.lead_time=-25% 'it->billing.standard=2h'
        icmap whatif org.yaml --suggest 3
    """
    from icmap.change.diff import compare
    from icmap.change.figures import figures_of
    from icmap.change.scenarios import ScenarioError, read_scenarios
    from icmap.change.suggest import suggest as suggestions_of
    from icmap.change.whatif import ChangeError, parse_changes

    scenarios: list[Scenario] = []
    try:
        if changes:
            from icmap.change.scenarios import Scenario

            scenarios.append(Scenario(COMMAND_LINE, tuple(parse_changes(changes))))
        if scenario_file is not None:
            scenarios.extend(read_scenarios(scenario_file))
    except (ChangeError, ScenarioError) as exc:
        fail(str(exc))
    if not scenarios and not suggest:
        fail("give a change (e.g. billing.lead_time=-25%), --scenario FILE or --suggest N")

    with loaded(path, include_root) as baseline:
        org, graph = baseline.org, baseline.graph
        assert org is not None and graph is not None
        limit = hours_option(threshold, org.settings, "--threshold")
        base = figures_of(org, graph)
        results = []
        for scenario in scenarios:
            try:
                changed, findings = scenario.apply(org)
            except ChangeError as exc:
                fail(f"{scenario.where}{exc}")
            if findings:
                _refuse(scenario, findings)
            results.append((scenario.name, compare(base, figures_of(changed), limit)))
        suggested = suggestions_of(graph, suggest) if suggest else None
        inputs = (*baseline.files, *([scenario_file] if scenario_file else []))
    from icmap.report.change import write_report

    report = write_report(
        results,
        output_format,
        path,
        "scenario",
        scenarios=scenario_file is not None,
        suggestions=suggested,
        baseline=org,
    )
    finish(report, output, inputs, fail_on, [d for _, d in results])


def _refuse(scenario: Scenario, findings: tuple[Finding, ...]) -> None:
    from icmap.cli.common import ExitCode
    from icmap.report.check import REPORTERS, CheckReport, FileReport

    files = sorted({f.location.file for f in findings if f.location is not None})
    sys.stderr.write(f"icmap: scenario {scenario.name!r} makes an org that icmap check refuses:\n")
    report = CheckReport.of([FileReport.of(files[0] if files else "", files, findings)])
    REPORTERS["text"](report, sys.stderr)
    raise typer.Exit(int(ExitCode.PROBLEMS))

"""`icmap import tickets | events | survey` on the command line: exit codes, stdout, stderr,
files written and never overwritten, the fragment replaced in an org that includes it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from import_fixtures import ORG, fragment, write
from typer.testing import CliRunner

from icmap.api import check
from icmap.cli import app

LOG = (
    "requester,provider,opened,resolved\n"
    "desk,it,2026-10-05T09:00:00Z,2026-10-05T11:00:00Z\n"  # 2 h
    "desk,it,2026-10-06T09:00:00Z,2026-10-06T13:00:00Z\n"  # 4 h
    "Nobdy,it,2026-10-06T09:00:00Z,2026-10-06T13:00:00Z\n"  # row 4: unknown name
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "org": write(tmp_path, "org.yaml", ORG),
        "log": write(tmp_path, "tickets.csv", LOG),
    }


def invoke(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_the_fragment_goes_to_stdout_and_the_report_to_stderr(
    runner: CliRunner, files: dict[str, Path]
) -> None:
    result = invoke(runner, "import", "tickets", str(files["log"]), "--org", str(files["org"]))
    assert result.exit_code == 0, result.stderr
    figures = fragment(result.stdout)[("it", "desk")]
    # (2 + 4) / 2 = 3 h; p90 2 + 0.9 × 2 = 3.8 h = 3h 48m; 2 days -> 1 week -> 2 a week
    assert (figures["actual"], figures["actual_p90"], figures["volume"]) == ("3h", "3h 48m", 2)
    assert figures["within_standard"] == "100%"  # both within the 4h standard
    assert "rows: 3 read, 2 used, 1 skipped" in result.stderr
    assert "skipped 1: requester matches no unit (row 4)" in result.stderr
    assert "requester 'Nobdy' matches no unit: 1 rows" in result.stderr


def test_strict_fails_on_skipped_rows_after_writing(
    runner: CliRunner, files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "m.yaml"
    args = ["import", "tickets", str(files["log"]), "--org", str(files["org"]), "-o", str(out)]
    result = invoke(runner, *args, "--strict")
    assert result.exit_code == 1
    assert out.exists()
    assert result.stdout == ""


def test_json_report(runner: CliRunner, files: dict[str, Path]) -> None:
    result = invoke(
        runner,
        "import",
        "tickets",
        str(files["log"]),
        "--org",
        str(files["org"]),
        "--report",
        "json",
    )
    assert result.exit_code == 0
    report = json.loads(result.stderr)
    assert report["rows"] == {"read": 3, "used": 2, "skipped": 1}
    assert report["skipped"] == [
        {"reason": "requester matches no unit", "count": 1, "first_rows": [4]}
    ]
    assert report["unmatched_names"][0]["name"] == "Nobdy"
    assert report["period"] == ["2026-10-05", "2026-10-06"]


def test_a_map_file_adds_names(runner: CliRunner, files: dict[str, Path], tmp_path: Path) -> None:
    names = write(tmp_path, "names.csv", "name,unit\nNobdy,desk\n")
    result = invoke(
        runner,
        "import",
        "tickets",
        str(files["log"]),
        "--org",
        str(files["org"]),
        "--map",
        str(names),
        "--strict",
    )
    assert result.exit_code == 0, result.stderr
    assert fragment(result.stdout)[("it", "desk")]["samples"] == 3


def test_a_missing_column_is_exit_2_with_the_place(
    runner: CliRunner, files: dict[str, Path], tmp_path: Path
) -> None:
    log = write(tmp_path, "bad.csv", "requestor,provider,opened,resolved\n")
    result = invoke(runner, "import", "tickets", str(log), "--org", str(files["org"]))
    assert result.exit_code == 2
    assert f"{log}:1: no column 'requester' (--requester names it; did you mean 'requestor'?)" in (
        result.stderr
    )
    assert result.stdout == ""


def test_an_unreadable_log_and_bad_options_are_exit_2(
    runner: CliRunner, files: dict[str, Path], tmp_path: Path
) -> None:
    missing = invoke(
        runner, "import", "events", str(tmp_path / "nope.csv"), "--org", str(files["org"])
    )
    assert missing.exit_code == 2
    assert "cannot read the file" in missing.stderr
    period = invoke(
        runner,
        "import",
        "tickets",
        str(files["log"]),
        "--org",
        str(files["org"]),
        "--period",
        "2026-10-31..2026-10-01",
    )
    assert period.exit_code == 2
    assert "ends before it starts" in period.stderr
    working = invoke(
        runner,
        "import",
        "tickets",
        str(files["log"]),
        "--org",
        str(files["org"]),
        "--working-time",
    )
    assert working.exit_code == 2
    assert "--working-time needs settings.working_hours" in working.stderr


def test_never_writes_over_an_input(runner: CliRunner, files: dict[str, Path]) -> None:
    for target in (files["log"], files["org"]):
        before = target.read_text(encoding="utf-8")
        result = invoke(
            runner,
            "import",
            "tickets",
            str(files["log"]),
            "--org",
            str(files["org"]),
            "-o",
            str(target),
        )
        assert result.exit_code == 2
        assert "refusing to write over it" in result.stderr
        assert target.read_text(encoding="utf-8") == before


def test_an_included_fragment_is_replaced_every_month(
    runner: CliRunner, files: dict[str, Path], tmp_path: Path
) -> None:
    org = write(tmp_path, "org.yaml", ORG + "include: [measured.yaml]\n")
    frag = tmp_path / "measured.yaml"
    args = ["import", "tickets", str(files["log"]), "--org", str(org), "-o", str(frag)]
    # first import: the included fragment does not exist yet, and that is fine
    first = invoke(runner, *args)
    assert first.exit_code == 0, first.stderr
    assert check(str(org)).errors == 0
    # the next month's import replaces it whole (and is not refused as an input; the old
    # fragment's figures are not read, or `actual` would be set twice)
    write(tmp_path, "tickets.csv", LOG.replace("T13:00", "T10:00"))
    second = invoke(runner, *args)
    assert second.exit_code == 0, second.stderr
    # (2 + 1) / 2 = 1.5 h
    assert fragment(frag.read_text(encoding="utf-8"))[("it", "desk")]["actual"] == "1h 30m"
    result = check(str(org))
    assert result.errors == 0
    assert result.org is not None
    (dep,) = [d for d in result.org.dependencies if (d.supplier, d.customer) == ("it", "desk")]
    assert dep.actual == 1.5


def test_an_org_with_errors_is_exit_1(
    runner: CliRunner, files: dict[str, Path], tmp_path: Path
) -> None:
    org = write(tmp_path, "broken.yaml", ORG.replace("supplier: legal\n", "supplier: legl\n", 1))
    result = invoke(runner, "import", "tickets", str(files["log"]), "--org", str(org))
    assert result.exit_code == 1
    assert "legl" in result.stderr


def test_events_and_survey_commands(
    runner: CliRunner, files: dict[str, Path], tmp_path: Path
) -> None:
    events = write(
        tmp_path,
        "events.csv",
        "case:concept:name,concept:name,org:group,time:timestamp\n"
        "A,a,it,2026-10-05T09:00:00Z\nA,b,desk,2026-10-05T10:30:00Z\n",
    )
    result = invoke(runner, "import", "events", str(events), "--org", str(files["org"]))
    assert result.exit_code == 0, result.stderr
    assert fragment(result.stdout)[("it", "desk")]["actual"] == "1h 30m"
    assert "includes the customer's own work" in result.stderr
    survey = write(tmp_path, "survey.csv", "rater,supplier,q\n" + "desk,it,4\n" * 5)
    result = invoke(
        runner,
        "import",
        "survey",
        str(survey),
        "--org",
        str(files["org"]),
        "--period",
        "2026-10-01..2026-10-31",
    )
    assert result.exit_code == 0, result.stderr
    figures = fragment(result.stdout)[("it", "desk")]
    assert (figures["satisfaction"], figures["responses"]) == (4, 5)
    assert figures["period"] == [
        __import__("datetime").date(2026, 10, 1),
        __import__("datetime").date(2026, 10, 31),
    ]


def test_an_xes_report_numbers_events(
    runner: CliRunner, files: dict[str, Path], tmp_path: Path
) -> None:
    log = write(
        tmp_path,
        "log.xes",
        '<log xmlns="http://www.xes-standard.org/"><trace><string key="concept:name" value="A"/>'
        '<event><string key="org:group" value="it"/>'
        '<date key="time:timestamp" value="2026-10-05T09:00:00Z"/></event>'
        '<event><string key="org:group" value="Nobody"/>'
        '<date key="time:timestamp" value="2026-10-05T09:30:00Z"/></event>'
        '<event><string key="org:group" value="desk"/>'
        '<date key="time:timestamp" value="2026-10-05T10:00:00Z"/></event></trace></log>\n',
    )
    result = invoke(runner, "import", "events", str(log), "--org", str(files["org"]))
    assert result.exit_code == 0, result.stderr
    # the second event of the file is dropped; it -> desk is 10:00 − 09:00 = 1 h
    assert "skipped 1: org:group matches no unit (event 2)" in result.stderr
    assert fragment(result.stdout)[("it", "desk")]["actual"] == "1h"

"""The case folders: every valid case checks clean, every invalid one prints its expected lines.

See tests/cases/README.md for the layout and `--regen-cases`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from icmap.api import check, enforce_policy
from icmap.cli import app
from icmap.codes import RULES

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "cases"
runner = CliRunner()


def _cases(kind: str) -> list[str]:
    """Main files of the cases in `kind`, as paths relative to the repository root."""
    folder = CASES / kind
    found = [*folder.glob("*.yaml"), *folder.glob("*/main.yaml")]
    return sorted(path.relative_to(REPO).as_posix() for path in found)


def _case_id(case: str) -> str:
    path = Path(case)
    return path.parent.name if path.name == "main.yaml" else path.stem


def _expected_path(case: str) -> Path:
    return REPO / Path(case).with_suffix(".expected")


VALID = _cases("valid")
INVALID = _cases("invalid")


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cases are named from the repository root, as in the expected files."""
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


def test_the_folders_hold_cases() -> None:
    # Guard against a glob that silently finds nothing.
    assert len(VALID) >= 10
    assert len(INVALID) >= 30


@pytest.mark.parametrize("case", VALID, ids=_case_id)
def test_valid_case_has_no_finding(case: str) -> None:
    result = check(case)
    assert result.findings == ()
    assert result.org is not None
    cli = runner.invoke(app, ["check", "--format", "parsable", "--strict", case])
    assert (cli.exit_code, cli.stdout, cli.stderr) == (0, "", "")


@pytest.mark.parametrize("case", INVALID, ids=_case_id)
def test_invalid_case_prints_its_expected_lines(case: str, request: pytest.FixtureRequest) -> None:
    result = runner.invoke(app, ["check", "--format", "parsable", case])
    expected_path = _expected_path(case)
    if request.config.getoption("--regen-cases"):
        expected_path.write_text(result.stdout, encoding="utf-8")
    expected = expected_path.read_text(encoding="utf-8")
    assert result.stdout == expected
    assert result.stderr == ""
    if "[error]" in expected:
        assert result.exit_code == 1
    else:  # warnings only: a pass, unless --strict
        assert result.exit_code == 0
        strict = runner.invoke(app, ["check", "--format", "parsable", "--strict", case])
        assert (strict.exit_code, strict.stdout) == (1, expected)


@pytest.mark.parametrize("case", INVALID, ids=_case_id)
def test_api_finds_what_the_cli_prints(case: str) -> None:
    # `icmap check` is check() and then the org's policy (enforce_policy).
    findings = enforce_policy(check(case)).findings
    lines = [f"{f.location}: [{f.level}] {f.message} ({f.code})\n" for f in findings]
    assert "".join(lines) == _expected_path(case).read_text(encoding="utf-8")


def test_every_code_has_an_invalid_case() -> None:
    found = set()
    for case in INVALID:
        for line in _expected_path(case).read_text(encoding="utf-8").splitlines():
            found.add(line.rsplit("(", 1)[1].rstrip(")"))
    # ICM001 is a missing main file, which no case file can be (see test_loader.py);
    # ICM004 a file over 64 MiB, too big to keep in the repository
    # (tests/security/test_includes.py makes one, sparse); ICM7xx are problems of
    # spreadsheet cells, not of YAML (see test_sheets.py).
    sheets = {code for code in RULES if code.startswith("ICM7")}
    assert sorted(set(RULES) - found - sheets) == ["ICM001", "ICM004"]


def test_a_file_with_five_problems_reports_all_five_in_place() -> None:
    case = "tests/cases/invalid/five-problems.yaml"
    found = [
        (f.location.line, f.location.column, f.code) for f in check(case).findings if f.location
    ]
    assert found == [
        # line 8 `    lead_time: 2 days`: 4 spaces + `lead_time: ` (11) -> the value at column 16
        (8, 16, "ICM204"),
        # line 9 `    capacty: 40`: the misspelt key itself, after 4 spaces -> column 5
        (9, 5, "ICM200"),
        # line 12 `        complete_accurate: 120%`: 8 + len("complete_accurate: ") (19) + 1 = 28
        (12, 28, "ICM205"),
        # line 13 `      - supplier: pricng`: 6 + len("- supplier: ") (12) + 1 = 19
        (13, 19, "ICM301"),
        # line 16 `  - id: sales`: the second `sales` role's mapping starts after `  - ` -> 5
        (16, 5, "ICM300"),
    ]
    messages = [f.message for f in check(case).findings]
    assert "did you mean 'capacity'?" in messages[1]
    assert "tests/cases/invalid/five-problems.yaml:7:5" in messages[4]  # the first `sales`

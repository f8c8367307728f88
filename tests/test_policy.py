"""The policy gate: `--policy FILE`, every check format, where violations point, and that a
check without a policy analyzes nothing. (One case per rule is in tests/cases.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from icmap.cli import app

# records (2h) --1h--> desk (4h) --1h--> patient: the critical path is 2 + 1 + 4 + 1 = 8h.
ORG = """\
icmap: 1
organization: Gate
external_customers:
  - id: patient
    deadline: 2d
    depends_on:
      - supplier: desk
        standard: 1h
roles:
  - id: desk
    lead_time: 4h
    depends_on:
      - supplier: records
        standard: 1h
  - id: records
    lead_time: 2h
"""


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


def test_policy_file_replaces_the_orgs_and_is_named_in_the_message(tmp_path: Path) -> None:
    org = _write(tmp_path, "org.yaml", ORG + "policy:\n  max_critical_path: 1d\n")
    assert _check("-f", "parsable", org) == (0, "", "")  # 8h is within 1d (8h)
    policy = _write(tmp_path, "policy.yaml", "# the CI gate\npolicy:\n  max_critical_path: 7h\n")
    code, out, err = _check("-f", "parsable", "--policy", policy, org)
    assert (code, err) == (1, "")
    assert out == (
        f"{org}:4:5: [error] the critical path to patient is 1d, longer than the 7h the "
        f"policy allows (policy max_critical_path at {policy}:3) (ICM600)\n"
    )


def test_every_check_format_carries_the_violation(tmp_path: Path) -> None:
    org = _write(tmp_path, "org.yaml", ORG + "policy:\n  max_critical_path: {patient: 7h}\n")
    code, out, _ = _check("-f", "json", org)
    assert code == 1
    assert "ICM600" in out and json.loads(out)
    code, out, _ = _check("-f", "github", org)
    assert code == 1
    assert out.startswith(f"::error file={org},line=4,col=5")
    code, out, _ = _check("-f", "sarif", org)
    sarif = json.loads(out)
    (result,) = sarif["runs"][0]["results"]
    assert result["ruleId"] == "ICM600"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    code, out, _ = _check("-f", "text", org)
    assert code == 1 and "ICM600" in out


def test_a_bad_policy_file_is_reported_in_it(tmp_path: Path) -> None:
    org = _write(tmp_path, "org.yaml", ORG)
    policy = _write(tmp_path, "policy.yaml", "policy:\n  orphans: maybe\nrules: {}\n")
    code, out, _ = _check("-f", "parsable", "--policy", policy, org)
    assert code == 1
    assert out.splitlines() == [
        f"{policy}:2:12: [error] policy orphans 'maybe' is not one of allowed, forbidden (ICM212)",
        f"{policy}:3:1: [error] unknown key 'rules' in a policy file (ICM200)",
    ]
    not_a_policy = _write(tmp_path, "list.yaml", "- max_utilization: 1\n")
    code, out, _ = _check("-f", "parsable", "--policy", not_a_policy, org)
    assert code == 1
    assert "a policy file must be a mapping with one key, `policy:`" in out


def test_a_missing_policy_file_cannot_run(tmp_path: Path) -> None:
    code, _, err = _check("--policy", str(tmp_path / "nope.yaml"), _write(tmp_path, "o.yaml", ORG))
    assert code == 2
    assert "no such file" in err


def test_policy_in_an_included_file_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "part.yaml", "policy:\n  deadlines_met: true\n")
    org = _write(tmp_path, "org.yaml", ORG + "include: [part.yaml]\n")
    code, out, _ = _check("-f", "parsable", org)
    assert code == 1
    assert "(ICM213)" in out and "policy" in out


def test_equal_is_within_the_limit(tmp_path: Path) -> None:
    # 8h path, 8h limit; deadline exactly 8h: on time, exact comparison in ticks.
    text = ORG.replace("deadline: 2d", "deadline: 8h") + (
        "policy:\n  max_critical_path: 8h\n  deadlines_met: true\n"
    )
    assert _check("-f", "parsable", _write(tmp_path, "org.yaml", text)) == (0, "", "")


@pytest.mark.parametrize(
    ("policy", "imported"),
    [
        ("", set()),  # no policy: nothing analyzed, as fast as before
        ("policy:\n  deadlines_met: true\n", {"icmap.analysis.engine"}),
        (
            "settings:\n  simulation: {runs: 50}\npolicy:\n  min_on_time_probability: 50%\n",
            {"icmap.analysis.engine", "numpy"},
        ),
    ],
)
def test_check_analyzes_and_simulates_only_when_the_policy_asks(
    tmp_path: Path, policy: str, imported: set[str]
) -> None:
    org = _write(tmp_path, "org.yaml", ORG + policy)
    script = (
        "import sys\nfrom icmap.cli import app\n"
        f"try:\n    app(['check', '-f', 'parsable', {org!r}])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('icmap.analysis.engine', 'numpy') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == str(sorted(imported))

"""`icmap diff` and `icmap whatif` end to end: exit codes, json keys, REV:PATH from git."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from change_fixtures import SMALL, write_small
from typer.testing import CliRunner

from icmap.cli import app

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_diff_of_an_org_with_itself_is_no_change(tmp_path: Path) -> None:
    org = str(write_small(tmp_path))
    result = run("diff", org, org, "-f", "json", "--fail-on", "worse")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["changed"] is False and report["worse"] is False
    assert report["customers"][0]["delta_hours"] == 0.0
    for key in ("units_added", "fields_changed", "float_changes", "breaches_new", "orphans_new"):
        assert report[key] == []


def test_diff_longer_path_fails_on_worse(tmp_path: Path) -> None:
    old = write_small(tmp_path, name="old.yaml")
    new = write_small(tmp_path, SMALL.replace("lead_time: 3h", "lead_time: 8h"), "new.yaml")
    # b 3h -> 8h: the client 7h -> 12h, late by 2h against 10h.
    result = run("diff", str(old), str(new), "-f", "json", "--fail-on", "worse")
    assert result.exit_code == 1
    (client,) = json.loads(result.stdout)["customers"]
    assert client == {
        "customer": "client",
        "old_length_hours": 7.0,
        "new_length_hours": 12.0,
        "delta_hours": 5.0,
        "old_deadline_hours": 10.0,
        "new_deadline_hours": 10.0,
        "old_slack_hours": 3.0,
        "new_slack_hours": -2.0,
        "old_late": False,
        "new_late": True,
        "joined_critical_path": [],
        "left_critical_path": [],
    }
    # Without --fail-on the same change is exit 0: a report, not a gate.
    assert run("diff", str(old), str(new), "-f", "json").exit_code == 0
    # The other way round it got better: exit 0 even with --fail-on worse.
    assert run("diff", str(new), str(old), "-f", "json", "--fail-on", "worse").exit_code == 0


def test_diff_with_errors_is_exit_1_with_the_findings(tmp_path: Path) -> None:
    old = write_small(tmp_path, name="old.yaml")
    bad = write_small(tmp_path, SMALL.replace("depends_on: [a]", "depends_on: [aa]"), "bad.yaml")
    result = run("diff", str(old), str(bad))
    assert result.exit_code == 1
    assert "ICM30" in result.stderr and "bad.yaml" in result.stderr
    assert result.stdout == ""


def test_diff_missing_file_is_exit_2(tmp_path: Path) -> None:
    old = write_small(tmp_path)
    assert run("diff", str(old), str(tmp_path / "nope.yaml")).exit_code == 2


def _git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


def test_diff_reads_a_revision_with_its_includes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The main file includes parts/b.yaml, where b's lead time lives; the commit has 3h,
    # the work tree 5h: the client goes 7h -> 9h.
    main = SMALL.split("roles:")[0] + "include: [parts/b.yaml]\n"
    part = "roles:\n" + SMALL.split("roles:\n")[1]
    (tmp_path / "parts").mkdir()
    (tmp_path / "org.yaml").write_text(main)
    (tmp_path / "parts" / "b.yaml").write_text(part)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "first")
    (tmp_path / "parts" / "b.yaml").write_text(part.replace("lead_time: 3h", "lead_time: 5h"))
    monkeypatch.chdir(tmp_path)
    result = run("diff", "HEAD:org.yaml", "org.yaml", "-f", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["customers"][0]["delta_hours"] == 2.0
    assert report["fields_changed"] == [
        {"id": "b", "supplier": None, "field": "lead_time", "old": 3.0, "new": 5.0}
    ]
    # An error at the revision is told as REV:PATH.
    (tmp_path / "parts" / "b.yaml").write_text(part.replace("depends_on: [a]", "depends_on: [x]"))
    _git(tmp_path, "commit", "-q", "-am", "broken")
    broken = run("diff", "HEAD:org.yaml", "org.yaml")
    assert broken.exit_code == 1
    assert "HEAD:parts/b.yaml" in broken.stderr
    assert "icmap-rev-" not in broken.stderr  # the temporary folder never shows


def test_diff_unknown_revision_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_small(tmp_path)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "first")
    monkeypatch.chdir(tmp_path)
    result = run("diff", "nosuchbranch:org.yaml", "org.yaml")
    assert result.exit_code == 2
    assert "not a revision" in result.stderr
    missing = run("diff", "HEAD:other.yaml", "org.yaml")
    assert missing.exit_code == 2 and "no such org file" in missing.stderr


def test_whatif_unknown_unit_is_exit_2_with_did_you_mean(tmp_path: Path) -> None:
    org = str(write_small(tmp_path))
    result = run("whatif", org, "bb.lead_time=1h")
    assert result.exit_code == 2
    assert "did you mean 'b'" in result.stderr


def test_whatif_bad_value_is_exit_1(tmp_path: Path) -> None:
    org = str(write_small(tmp_path))
    result = run("whatif", org, "b.lead_time=-4h")
    assert result.exit_code == 1
    assert "ICM206" in result.stderr and "b.lead_time=-4h" in result.stderr


def test_whatif_scenario_file(tmp_path: Path) -> None:
    org = str(write_small(tmp_path))
    scenarios = tmp_path / "scenarios.yaml"
    scenarios.write_text(
        "scenarios:\n"
        "  faster-b: [b.lead_time=-1h]\n"  # 7h -> 6h
        "  slower-a:\n"
        "    - a.lead_time=+2h\n"  # a ends 4, b 4 + 2 + 3 = 9h
    )
    result = run("whatif", org, "--scenario", str(scenarios), "-f", "json", "--fail-on", "worse")
    assert result.exit_code == 1  # slower-a is worse
    found = {s["name"]: s for s in json.loads(result.stdout)["scenarios"]}
    assert found["faster-b"]["customers"][0]["delta_hours"] == -1.0
    assert found["slower-a"]["customers"][0]["delta_hours"] == 2.0
    assert (found["faster-b"]["worse"], found["slower-a"]["worse"]) == (False, True)


def test_whatif_bad_scenario_file_names_its_place(tmp_path: Path) -> None:
    org = str(write_small(tmp_path))
    scenarios = tmp_path / "s.yaml"
    scenarios.write_text("scenarios:\n  x:\n    - b.lead_time\n")
    result = run("whatif", org, "--scenario", str(scenarios))
    assert result.exit_code == 2
    assert f"{scenarios}:3:7:" in result.stderr


def test_whatif_scenario_that_is_no_list_is_named_at_its_key(tmp_path: Path) -> None:
    org = str(write_small(tmp_path))
    scenarios = tmp_path / "s.yaml"
    scenarios.write_text("scenarios:\n  x: [b.lead_time=1h]\n  empty: []\n")
    result = run("whatif", org, "--scenario", str(scenarios))
    assert result.exit_code == 2
    # `empty:` is written on line 3 from column 3 (1-based, as every message says).
    assert f"{scenarios}:3:3: scenario 'empty' must be a list of changes" in result.stderr


def test_whatif_needs_something_to_do(tmp_path: Path) -> None:
    assert run("whatif", str(write_small(tmp_path))).exit_code == 2

"""`icmap check` end to end: formats, exit codes, included files, output files."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from icmap.api import check
from icmap.cli import app
from icmap.model import Finding, Location

runner = CliRunner()

VALID = """\
icmap: 1
organization: Tiny
external_customers:
  - id: buyer
    depends_on: [maker]
roles:
  - id: maker
    lead_time: 2h
"""
# Line 8 is `    lead_time: 2 days`: 4 spaces + `lead_time: ` (11) = 15, the value at column 16.
BAD_DURATION = VALID.replace("lead_time: 2h", "lead_time: 2 days")
# `idle` (line 9, `  - id: idle`, the item at column 5) serves nobody: an orphan warning.
ORPHAN = VALID + "  - id: idle\n"
MAIN = """\
icmap: 1
organization: Split
external_customers:
  - id: buyer
    depends_on: [maker]
include: [parts/*.yaml]
"""
# The fragment has no header: checked on its own it would report a missing `icmap:`.
FRAGMENT = """\
roles:
  - id: maker
    lead_time: 1h
    depnds_on: []
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test in its own directory, outside GitHub Actions, without colour."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


def write(path: str, text: str) -> str:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")
    return path


def only_finding(path: str, code: str, line: int, column: int) -> Finding:
    """The one finding the API reports for `path`, after checking its code and place.

    The formats are asserted exactly, but their message and hint are taken from the API:
    wording belongs to the loader and may be improved without breaking these tests.
    """
    (finding,) = check(path).findings
    assert (finding.code, finding.location) == (code, Location(path, line, column))
    return finding


def parsable_line(finding: Finding) -> str:
    return f"{finding.location}: [{finding.level.value}] {finding.message} ({finding.code})\n"


def bad_duration() -> str:
    """Write bad.yaml; its parsable line."""
    write("bad.yaml", BAD_DURATION)
    return parsable_line(only_finding("bad.yaml", "ICM204", 8, 16))


def orphan() -> str:
    """Write orphan.yaml; its parsable line."""
    write("orphan.yaml", ORPHAN)
    return parsable_line(only_finding("orphan.yaml", "ICM501", 9, 5))


def split_org() -> None:
    """org/main.yaml including org/parts/a.yaml, which sorts before it in a directory walk."""
    write("org/main.yaml", MAIN)
    write("org/parts/a.yaml", FRAGMENT)


def test_valid_file_is_clean() -> None:
    write("ok.yaml", VALID)
    result = runner.invoke(app, ["check", "ok.yaml"])
    assert result.exit_code == 0
    assert result.stdout == "1 file checked: all clean\n"
    assert result.stderr == ""


def test_valid_file_parsable_prints_nothing() -> None:
    write("ok.yaml", VALID)
    result = runner.invoke(app, ["check", "--format", "parsable", "ok.yaml"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_error_exits_1_with_the_exact_parsable_line() -> None:
    line = bad_duration()
    assert line.startswith("bad.yaml:8:16: [error] lead_time '2 days' ")
    assert line.endswith(" (ICM204)\n")
    result = runner.invoke(app, ["check", "-f", "parsable", "bad.yaml"])
    assert result.exit_code == 1
    assert result.stdout == line
    assert result.stderr == ""


def test_missing_file_exits_2_with_a_message_on_stderr() -> None:
    (finding,) = check("missing.yaml").findings
    assert finding.code == "ICM001"
    assert "missing.yaml" in finding.message
    result = runner.invoke(app, ["check", "-f", "parsable", "missing.yaml"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"icmap: {finding.message}\n"


def test_missing_file_beside_a_good_one_still_checks_the_good_one() -> None:
    line = bad_duration()
    result = runner.invoke(app, ["check", "-f", "parsable", "missing.yaml", "bad.yaml"])
    assert result.exit_code == 2  # could not run beats problems found
    assert result.stdout == line
    assert result.stderr == f"icmap: {check('missing.yaml').findings[0].message}\n"


def test_a_directory_without_org_files_exits_2() -> None:
    Path("empty").mkdir()
    result = runner.invoke(app, ["check", "empty"])
    assert result.exit_code == 2
    assert "no org files found in empty" in result.stderr


def test_warning_passes_unless_strict() -> None:
    line = orphan()
    assert line.startswith("orphan.yaml:9:5: [warning] ")
    relaxed = runner.invoke(app, ["check", "-f", "parsable", "orphan.yaml"])
    assert (relaxed.exit_code, relaxed.stdout) == (0, line)
    strict = runner.invoke(app, ["check", "-f", "parsable", "--strict", "orphan.yaml"])
    assert (strict.exit_code, strict.stdout) == (1, line)


def test_included_fragment_in_a_directory_is_not_a_root() -> None:
    split_org()
    # `    depnds_on: []` on line 4 of the fragment: the key at column 5.
    (finding,) = check("org/main.yaml").findings
    assert (finding.code, finding.location) == ("ICM200", Location("org/parts/a.yaml", 4, 5))
    result = runner.invoke(app, ["check", "-f", "parsable", "org"])
    # Only the include's own finding, once; no "has no `icmap:`" for the fragment.
    assert result.stdout == parsable_line(finding)
    assert result.exit_code == 1


def test_included_fragment_named_before_its_main_file_is_not_a_root() -> None:
    split_org()
    result = runner.invoke(app, ["check", "-f", "json", "org/parts/a.yaml", "org/main.yaml"])
    document = json.loads(result.stdout)
    assert [f["path"] for f in document["files"]] == ["org/main.yaml"]
    assert document["files"][0]["includes"] == ["org/parts/a.yaml"]
    assert [f["code"] for f in document["files"][0]["findings"]] == ["ICM200"]
    # 2 files read (main + fragment), 1 error, 0 warnings.
    assert document["summary"] == {"files": 2, "errors": 1, "warnings": 0}


def test_same_file_named_twice_is_reported_once() -> None:
    line = bad_duration()
    result = runner.invoke(app, ["check", "-f", "parsable", "bad.yaml", "./bad.yaml"])
    assert result.stdout == line


def test_files_including_each_other_are_reported_once() -> None:
    write("a.yaml", VALID + "include: [b.yaml]\n")
    write("b.yaml", "include: [a.yaml]\n")
    result = runner.invoke(app, ["check", "-f", "json", "."])
    document = json.loads(result.stdout)
    # In a loop the first file found is the root (a.yaml, sorted); b.yaml is read as its
    # include, and the loop is reported once.
    assert [f["path"] for f in document["files"]] == ["./a.yaml"]
    codes = [f["code"] for f in document["files"][0]["findings"]]
    assert codes == ["ICM401"]


def test_text_format_groups_by_file_and_shows_the_source_line() -> None:
    split_org()
    bad_duration()
    finding = only_finding("bad.yaml", "ICM204", 8, 16)
    result = runner.invoke(app, ["check", "-f", "text", "bad.yaml", "org"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "bad.yaml"
    # Two spaces, `line:col`, the level padded to 7 (`warning`), then the message, wrapped
    # under itself at 80 columns.
    head = "  8:16 error   "
    assert lines[1].startswith(head + "lead_time '2 days' ")
    source = next(line for line in lines if "│     lead_time: 2 days" in line)
    at = lines.index(source)
    # After the message, its place as `--> path:line:col` (a link in terminals and editors).
    assert lines[at - 1] == " " * len(head) + "--> bad.yaml:8:16"
    message = " ".join(line.strip() for line in [lines[1][len(head) :], *lines[2 : at - 1]])
    assert message == f"{finding.message} (ICM204)"
    caret = lines[at + 1]
    # The caret sits under the `2` of `2 days` (column 16).
    assert caret.index("^") == source.index("2 days")
    hint = []
    for line in lines[at + 2 :]:
        if not line.startswith(" " * len(head)):
            break
        hint.append(line.strip())
    assert " ".join(hint) == f"fix: {finding.hint}"
    assert "org/parts/a.yaml (included by org/main.yaml)" in lines
    assert lines[-1] == "3 files checked: 2 errors"
    assert "\x1b[" not in result.stdout  # not a terminal: no colour codes


def test_text_format_warning_summary() -> None:
    orphan()
    result = runner.invoke(app, ["check", "-f", "text", "orphan.yaml"])
    assert result.stdout.splitlines()[-1] == "1 file checked: 1 warning"


def test_text_lines_fit_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    write("orphan.yaml", ORPHAN)
    result = runner.invoke(app, ["check", "-f", "text", "orphan.yaml"])
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert all(line == line.rstrip() for line in result.stdout.splitlines())


def test_github_format() -> None:
    bad_duration()
    finding = only_finding("bad.yaml", "ICM204", 8, 16)
    assert "%" not in finding.message + finding.hint  # nothing to escape here
    result = runner.invoke(app, ["check", "-f", "github", "bad.yaml"])
    assert result.exit_code == 1
    assert result.stdout == (
        f"::error file=bad.yaml,line=8,col=16,title=ICM204::{finding.message} — {finding.hint}\n"
    )


def test_auto_is_github_under_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    write("orphan.yaml", ORPHAN)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = runner.invoke(app, ["check", "orphan.yaml"])
    assert result.stdout.startswith("::warning file=orphan.yaml,line=9,col=5,title=ICM501::")
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    result = runner.invoke(app, ["check", "orphan.yaml"])
    assert result.stdout.startswith("orphan.yaml\n")


def test_json_format() -> None:
    bad_duration()
    finding = only_finding("bad.yaml", "ICM204", 8, 16)
    result = runner.invoke(app, ["check", "-f", "json", "bad.yaml"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "format": 1,
        "files": [
            {
                "path": "bad.yaml",
                "includes": [],
                "findings": [
                    {
                        "code": "ICM204",
                        "level": "error",
                        "message": finding.message,
                        "hint": finding.hint,
                        "file": "bad.yaml",
                        "line": 8,
                        "column": 16,
                    }
                ],
            }
        ],
        "summary": {"files": 1, "errors": 1, "warnings": 0},
    }
    assert result.stdout.startswith('{\n  "files": [\n')  # sorted keys, indent 2


def test_sarif_format_names_the_result() -> None:
    write("org/bad.yaml", BAD_DURATION)
    result = runner.invoke(app, ["check", "-f", "sarif", "org/bad.yaml"])
    assert result.exit_code == 1
    run = json.loads(result.stdout)["runs"][0]
    (finding,) = run["results"]
    assert finding["ruleId"] == "ICM204"
    assert run["tool"]["driver"]["rules"][finding["ruleIndex"]]["id"] == "ICM204"
    assert finding["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "org/bad.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 8, "startColumn": 16},
    }


def _sarif_uri(args: list[str]) -> dict[str, str]:
    result = runner.invoke(app, ["check", "-f", "sarif", *args])
    assert (result.exit_code, result.stderr) == (1, "")
    (finding,) = json.loads(result.stdout)["runs"][0]["results"]
    location: dict[str, str] = finding["locations"][0]["physicalLocation"]["artifactLocation"]
    return location


@pytest.mark.parametrize("git", ["folder", "file"])  # a clone; a worktree or submodule
def test_sarif_paths_are_relative_to_the_work_tree_root_from_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, git: str
) -> None:
    if git == "folder":
        (tmp_path / ".git").mkdir()
    else:
        write(".git", "gitdir: /elsewhere/.git/worktrees/repo\n")
    write("ops/org/bad.yaml", BAD_DURATION)
    monkeypatch.chdir(tmp_path / "ops")
    # Named from ops/ as org/bad.yaml; code scanning wants the path from the repository root.
    assert _sarif_uri(["org/bad.yaml"]) == {"uri": "ops/org/bad.yaml", "uriBaseId": "%SRCROOT%"}
    # --base-dir chooses another root: here the working directory.
    assert _sarif_uri(["--base-dir", ".", "org/bad.yaml"]) == {
        "uri": "org/bad.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    assert _sarif_uri(["--base-dir", "org", "org/bad.yaml"]) == {
        "uri": "bad.yaml",
        "uriBaseId": "%SRCROOT%",
    }


def test_sarif_paths_outside_a_work_tree_are_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("ops/org/bad.yaml", BAD_DURATION)
    monkeypatch.chdir(tmp_path / "ops")
    assert _sarif_uri(["org/bad.yaml"]) == {"uri": "org/bad.yaml", "uriBaseId": "%SRCROOT%"}


def test_base_dir_must_be_a_folder() -> None:
    write("org/bad.yaml", BAD_DURATION)
    result = runner.invoke(app, ["check", "-f", "sarif", "--base-dir", "nowhere", "org/bad.yaml"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "icmap: --base-dir nowhere: no such directory\n"


def test_output_file_is_written_and_stdout_stays_empty() -> None:
    line = bad_duration()
    result = runner.invoke(app, ["check", "-f", "parsable", "-o", "report.txt", "bad.yaml"])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "")
    assert Path("report.txt").read_text(encoding="utf-8") == line


def test_output_refuses_to_overwrite_an_input_file() -> None:
    write("ok.yaml", VALID)
    result = runner.invoke(app, ["check", "-f", "json", "-o", "ok.yaml", "ok.yaml"])
    assert result.exit_code == 2
    assert "ok.yaml is one of the input files" in result.stderr
    assert Path("ok.yaml").read_text(encoding="utf-8") == VALID


def test_output_refuses_to_overwrite_an_included_file() -> None:
    split_org()
    result = runner.invoke(app, ["check", "-o", "org/parts/a.yaml", "org/main.yaml"])
    assert result.exit_code == 2
    assert Path("org/parts/a.yaml").read_text(encoding="utf-8") == FRAGMENT


def test_unknown_format_is_a_usage_error() -> None:
    write("ok.yaml", VALID)
    result = runner.invoke(app, ["check", "--format", "xml", "ok.yaml"])
    assert result.exit_code == 2
    assert "'xml' is not one of text, parsable, json, github, sarif, auto" in result.stderr


def test_file_that_is_not_utf8_is_a_problem_not_a_crash() -> None:
    Path("latin1.yaml").write_bytes(b"icmap: 1\norganization: Caf\xe9\n")
    # The byte 0xe9 is line 2, after `organization: Caf` (17 characters): column 18.
    finding = only_finding("latin1.yaml", "ICM002", 2, 18)
    result = runner.invoke(app, ["check", "-f", "parsable", "latin1.yaml"])
    assert result.exit_code == 1
    assert result.stdout == parsable_line(finding)


ROOT = Path(__file__).resolve().parent.parent


def test_pre_commit_hook_runs_icmap_check_on_yaml() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "icmap-check"
    assert hook["entry"].split()[:2] == ["icmap", "check"]
    assert hook["language"] == "python"
    assert hook["types"] == ["yaml"]
    assert hook["require_serial"] is True


def test_every_check_command_in_docs_ci_md_runs() -> None:
    commands = re.findall(r"icmap check [^`\n|]+", (ROOT / "docs" / "ci.md").read_text("utf-8"))
    assert len(commands) >= 4
    write("org/main.yaml", MAIN)
    write("org/parts/a.yaml", FRAGMENT.replace("    depnds_on: []\n", ""))
    write("org/org.yaml", MAIN)  # the org of the GitHub workflow example
    for command in commands:
        # The policy-gate example's file, there only for its command (`check .` would read it).
        policy = Path("ci/org-policy.yaml")
        if "--policy" in command:
            write(str(policy), "policy:\n  orphans: allowed\n")
        result = runner.invoke(app, shlex.split(command, comments=True)[1:])
        policy.unlink(missing_ok=True)
        assert result.exit_code == 0, (command, result.stdout, result.stderr)

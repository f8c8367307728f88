"""`icmap analyze`: exit codes, formats, where output goes, and the numbers end to end."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from icmap.cli import app

# Hand computation for TINY (8 h working days):
#   registration: ES 0, EF 0 + 2 = 2
#   front-desk:   ES = EF(registration) + handoff 3h (actual) = 5, EF = 5 + 1 = 6
#   billing:      ES = 2 + 0 = 2, EF = 2 + 3 = 5
#   patient:      EF = max(6 + 0, 5 + 0) = 6 -> critical path registration, front-desk, patient
#   deadline 2d = 16 h: LF(patient) = 16; LF(front-desk) = 16, LS = 15;
#     LF(billing) = 16, LS = 13; LF(registration) = min(15 - 3, 13 - 0) = 12, LS = 10
#   total float: registration 12 - 2 = 10, front-desk 16 - 6 = 10, billing 16 - 5 = 11
#   free float: registration min(5 - 3 - 2, 2 - 0 - 2) = 0, front-desk 6 - 6 = 0,
#     billing 6 - 0 - 5 = 1
#   slack 16 - 6 = 10 h = 1d 2h; breach registration -> front-desk 3 / 2 = 1.5
#   utilization(registration) = volume 10 / capacity 20 = 0.5
#   along the critical path: lead 2 + 1 = 3, process 1 + 0.5 = 1.5, activity ratio 0.5,
#     rolled %C&A = 0.8 (the only edge with a figure)
TINY = """\
icmap: 1
organization: Tiny Clinic
settings:
  hours_per_day: 8
external_customers:
  - id: patient
    name: Patient
    deadline: 2d
    depends_on: [front-desk, billing]
departments:
  - id: front
    name: Front Office
    roles:
      - id: front-desk
        name: Receptionist
        lead_time: 1h
        process_time: 30m
        depends_on:
          - supplier: registration
            standard: 2h
            actual: 3h
            complete_accurate: 80%
            satisfaction: 2
            volume: 10
      - id: registration
        name: Registration
        lead_time: 2h
        process_time: 1h
        capacity: 20
roles:
  - id: billing
    name: Billing
    lead_time: 3h
    depends_on:
      - supplier: registration
        complete_accurate: 0.9
"""

ANSI = re.compile(r"\x1b\[")
SPINNER = re.compile(r"[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return path


def run(runner: CliRunner, *args: str, **env: str) -> Any:
    return runner.invoke(app, ["analyze", *args], env={"COLUMNS": "80", **env})


# --- what stops the analysis ----------------------------------------------------------------


def test_missing_file_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "nope.yaml" in result.stderr


def test_errors_are_listed_on_stderr_and_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(TINY.replace("lead_time: 3h", "lead_tme: 3h"), encoding="utf-8")
    result = run(runner, str(bad), "--format", "json")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    line = next(i for i, text in enumerate(TINY.splitlines(), 1) if "lead_time: 3h" in text)
    assert any(re.match(rf".*bad\.yaml:{line}:5: \[error\] .*\(ICM\d+\)$", x) for x in lines)


def test_hint_follows_its_finding(runner: CliRunner, tmp_path: Path) -> None:
    loop = TINY.replace(
        "        lead_time: 2h\n",
        "        lead_time: 2h\n        depends_on: [front-desk]\n",
    )
    bad = tmp_path / "loop.yaml"
    bad.write_text(loop, encoding="utf-8")
    result = run(runner, str(bad))
    assert result.exit_code == 1
    assert "loop" in result.stderr
    assert "\n  hint: " in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--format", "xml"),
        ("--near", "soon"),
        ("--near", "-2h"),
        ("--paths", "-1"),
    ],
)
def test_bad_arguments_exit_2(runner: CliRunner, tiny: Path, args: tuple[str, ...]) -> None:
    result = run(runner, str(tiny), *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert args[0] in result.stderr


def test_refuses_to_write_over_its_input(runner: CliRunner, tiny: Path) -> None:
    result = run(runner, str(tiny), "-o", str(tiny))
    assert result.exit_code == 2
    assert "refusing to write over it" in result.stderr
    assert tiny.read_text(encoding="utf-8") == TINY


# --- options reach the engine ---------------------------------------------------------------


def test_near_is_read_in_the_orgs_working_days(
    runner: CliRunner, tiny: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import icmap.api

    seen: dict[str, Any] = {}
    real = icmap.api.analyze

    def spy(
        org: Any, *, near: float = 0.0, paths: int = 0, graph: Any = None, customer: Any = None
    ) -> Any:
        seen.update(near=near, paths=paths, graph=graph is not None)
        return real(org, near=near, paths=paths, graph=graph)

    monkeypatch.setattr(icmap.api, "analyze", spy)
    result = run(runner, str(tiny), "--near", "1d 30m", "--paths", "3", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert seen == {"near": 8.5, "paths": 3, "graph": True}  # 1d = 8 h (hours_per_day) + 0.5 h


# --- the reference documents every command --------------------------------------------------


def test_every_command_and_option_is_in_the_cli_reference() -> None:
    import typer.main

    docs = (Path(__file__).parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", docs, flags=re.MULTILINE)
    group: Any = typer.main.get_command(app)  # typer bundles its own click: no isinstance
    for name, command in group.commands.items():
        assert command.help, f"icmap {name} has no help text"
        section = next((s for s in sections if s.startswith(f"icmap {name}\n")), None)
        assert section is not None, f"docs/cli.md has no section '## icmap {name}'"
        # A group (`icmap import`) documents each of its commands in its own section.
        for sub_name, sub in getattr(command, "commands", {}).items():
            assert sub.help, f"icmap {name} {sub_name} has no help text"
            assert f"### icmap {name} {sub_name}\n" in section, (
                f"docs/cli.md has no '### icmap {name} {sub_name}' under '## icmap {name}'"
            )
            for param in sub.params:
                for opt in param.opts if param.param_type_name == "option" else ():
                    assert f"`{opt}" in section, f"icmap {name} {sub_name} {opt} not in docs/cli.md"
        for param in command.params:
            for opt in param.opts if param.param_type_name == "option" else ():
                assert f"`{opt}" in section, f"icmap {name} {opt} is not in docs/cli.md"
    for opt in ("--version", "--debug"):
        assert f"`{opt}`" in docs


# --- end to end on TINY (numbers computed by hand at the top of this file) ------------------


def test_json_end_to_end(runner: CliRunner, tiny: Path) -> None:
    result = run(runner, str(tiny), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert report["organization"] == "Tiny Clinic"
    assert report["format"] == 1
    summary = report["summary"]
    assert (summary["units"], summary["dependencies"], summary["external_customers"]) == (3, 4, 1)
    assert summary["longest_path_hours"] == 6.0
    (path,) = report["critical_paths"]
    assert path["customer"] == "patient"
    assert path["path"] == ["registration", "front-desk", "patient"]
    assert path["length_hours"] == 6.0
    assert path["deadline_hours"] == 16.0  # 2d of 8 h
    assert path["slack_hours"] == 10.0
    assert path["activity_ratio"] == 0.5  # 1.5 / 3
    assert path["rolled_complete_accurate"] == 0.8
    units = {u["id"]: u for u in report["units"]}
    assert list(units) == ["billing", "front-desk", "registration"]
    cpm = {
        uid: tuple(u[k] for k in ("es_hours", "ef_hours", "ls_hours", "lf_hours"))
        for uid, u in units.items()
    }
    assert cpm == {
        "registration": (0.0, 2.0, 10.0, 12.0),
        "front-desk": (5.0, 6.0, 15.0, 16.0),
        "billing": (2.0, 5.0, 13.0, 16.0),
    }
    floats = {uid: (u["total_float_hours"], u["free_float_hours"]) for uid, u in units.items()}
    assert floats == {
        "registration": (10.0, 0.0),
        "front-desk": (10.0, 0.0),
        "billing": (11.0, 1.0),
    }
    assert [uid for uid, u in units.items() if u["critical"]] == ["front-desk", "registration"]
    assert units["registration"]["utilization"] == 0.5  # 10 / 20
    assert report["service_breaches"] == [
        {
            "supplier": "registration",
            "customer": "front-desk",
            "provides": None,
            "standard_hours": 2.0,
            "actual_hours": 3.0,
            "ratio": 1.5,
            "ratio_infinite": False,
        }
    ]
    assert report["orphans"] == []
    assert report["bottlenecks"][0]["id"] == "registration"
    assert report["bottlenecks"][0]["reasons"]


def test_text_end_to_end_at_80_columns(runner: CliRunner, tiny: Path) -> None:
    result = run(runner, str(tiny))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert "Registration (2h) →[3h] Receptionist (1h) → Patient" in out
    assert re.search(r"^Length +6h · deadline 2d · 1d 2h to spare$", out, re.MULTILINE)
    assert re.search(r"^Activity ratio +50% · rolled %C&A 80%$", out, re.MULTILINE)
    assert "Registration → Receptionist" in out and "×1.50" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert not ANSI.search(out)
    assert not SPINNER.search(result.stderr + out)


@pytest.mark.parametrize("fmt", ["json", "markdown", "csv"])
def test_machine_formats_are_plain(runner: CliRunner, tiny: Path, fmt: str) -> None:
    result = run(runner, str(tiny), "-f", fmt, TERM="xterm-256color", FORCE_COLOR="1")
    assert result.exit_code == 0, result.stderr
    assert not ANSI.search(result.stdout)
    assert "[bold" not in result.stdout and "[/" not in result.stdout


def test_markdown_end_to_end(runner: CliRunner, tiny: Path) -> None:
    result = run(runner, str(tiny), "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    md = result.stdout
    assert md.startswith("# Tiny Clinic\n")
    assert "\n**Registration** (2h) →\\[3h\\] **Receptionist** (1h) → **Patient**\n" in md
    assert "| Registration → Receptionist | 2h | 3h | **×1.50** |" in md


def test_csv_end_to_end(runner: CliRunner, tiny: Path) -> None:
    result = run(runner, str(tiny), "-f", "csv")
    assert result.exit_code == 0, result.stderr
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert list(rows) == ["billing", "front-desk", "registration"]
    assert rows["front-desk"]["es_hours"] == "5"  # EF(registration) 2 + handoff 3
    assert rows["billing"]["free_float_hours"] == "1"
    assert rows["registration"]["utilization"] == "0.5"
    assert rows["registration"]["critical_for"] == "patient"
    assert rows["registration"]["bottleneck_rank"] == "1"


def test_output_file_is_written_whole_and_stdout_stays_empty(
    runner: CliRunner, tiny: Path, tmp_path: Path
) -> None:
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    result = run(runner, str(tiny), "-f", "json", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["organization"] == "Tiny Clinic"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_text_to_a_file_is_80_columns_without_colour(
    runner: CliRunner, tiny: Path, tmp_path: Path
) -> None:
    target = tmp_path / "report.txt"
    result = run(runner, str(tiny), "-o", str(target), COLUMNS="200")
    assert result.exit_code == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert max(len(line) for line in text.splitlines()) <= 80
    assert not ANSI.search(text)


def test_output_to_a_missing_directory_exits_2(
    runner: CliRunner, tiny: Path, tmp_path: Path
) -> None:
    result = run(runner, str(tiny), "-o", str(tmp_path / "no" / "such" / "dir.json"))
    assert result.exit_code == 2
    assert "cannot write" in result.stderr


def test_warnings_are_shown_and_do_not_stop_the_analysis(runner: CliRunner, tmp_path: Path) -> None:
    orphan = tmp_path / "orphan.yaml"
    orphan.write_text(TINY + "  - id: archive\n    lead_time: 1h\n", encoding="utf-8")
    result = run(runner, str(orphan), "-f", "json")
    assert result.exit_code == 0
    assert "[warning]" in result.stderr and "archive" in result.stderr
    report = json.loads(result.stdout)
    assert report["orphans"] == ["archive"]

    strict = run(runner, str(orphan), "-f", "json", "--strict")
    assert strict.exit_code == 1
    assert json.loads(strict.stdout)["orphans"] == ["archive"]  # the report comes first


def test_many_warnings_show_the_first_twenty_and_count_the_rest(
    runner: CliRunner, tmp_path: Path
) -> None:
    orphans = "".join(f"  - id: archive-{n:02d}\n    lead_time: 1h\n" for n in range(23))
    org = tmp_path / "orphans.yaml"
    org.write_text(TINY + orphans, encoding="utf-8")
    result = run(runner, str(org), "-f", "json")
    assert result.exit_code == 0
    shown = [line for line in result.stderr.splitlines() if "[warning]" in line]
    assert len(shown) == 20 and "archive-19" in shown[-1]
    assert result.stderr.splitlines()[-1] == (
        f"icmap: 3 more not shown here (3 warnings); `icmap check {org}` lists them all"
    )
    assert len(json.loads(result.stdout)["orphans"]) == 23  # the report has them all


def test_near_and_paths_show_in_the_report(runner: CliRunner, tiny: Path) -> None:
    # Near-critical goes by the gap to the critical path, not by float against a deadline:
    # billing's longest path to patient is 2 + 3 = 5 h against the critical 6 h, a 1 h gap
    # (its total float, 11 h, only says it is 1 h less tight than the critical units' 10 h).
    near = json.loads(run(runner, str(tiny), "-f", "json", "--near", "1h").stdout)
    assert near["near_critical"] == ["billing"]
    assert near["summary"]["near_threshold_hours"] == 1.0
    assert {u["id"]: u["critical_gap_hours"] for u in near["units"]} == {
        "billing": 1.0,
        "front-desk": 0.0,
        "registration": 0.0,
    }
    not_near = json.loads(run(runner, str(tiny), "-f", "json", "--near", "30m").stdout)
    assert not_near["near_critical"] == []
    text = run(runner, str(tiny), "--near", "1d 4h", "--paths", "2").stdout
    assert "Near-critical units (within 1d 4h of critical)" in text
    assert re.search(r"^Billing +1h$", text, re.MULTILINE)
    assert "Longest paths" in text
    paths = json.loads(run(runner, str(tiny), "-f", "json", "--paths", "2").stdout)
    # registration -> front-desk -> patient: 2 + 3 + 1 = 6; registration -> billing -> patient: 5
    assert [(p["path"], p["length_hours"]) for p in paths["longest_paths"]] == [
        (["registration", "front-desk", "patient"], 6.0),
        (["registration", "billing", "patient"], 5.0),
    ]


def test_the_api_examples_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = Path(__file__).parent.parent
    docs = (root / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", docs, flags=re.MULTILINE | re.DOTALL)
    assert len(blocks) >= 3
    monkeypatch.chdir(root)
    namespace: dict[str, Any] = {}
    for block in blocks:
        exec(compile(block, "docs/api.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert "patient" in out  # a critical path of examples/clinic.yaml was printed


@pytest.mark.parametrize(("fmt", "imports_rich"), [("json", False), ("csv", False), ("text", True)])
def test_only_the_text_format_imports_rich(tiny: Path, fmt: str, imports_rich: bool) -> None:
    code = (
        "import sys\n"
        "from icmap.cli import app\n"
        "try:\n"
        f"    app(['analyze', {str(tiny)!r}, '-f', {fmt!r}, '-o', {str(tiny) + '.out'!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(str('rich' in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr == str(imports_rich)

"""`icmap simulate`: exit codes, formats, settings defaults, the chart, same seed same bytes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from icmap.cli import app

# b: fixed 2h; a: PERT(1h, 2h, 3h) (mean 2h); both feed the client; no handoffs.
# CPM: the client finishes at max(2h, 2h) = 2h. a is longer than 2h in about half the runs,
# so P(finish <= deadline 2h) = P(a <= 2h) = 1/2 (a symmetric PERT: α = β = 3).
ORG = """\
icmap: 1
organization: Two Ways
settings:
  simulation: {runs: 400, seed: 9}
external_customers:
  - id: client
    deadline: 2h
    depends_on: [a, b]
roles:
  - id: a
    lead_time: {optimistic: 1h, likely: 2h, pessimistic: 3h}
  - id: b
    lead_time: 2h
"""


def _org(tmp_path: Path, text: str = ORG) -> str:
    path = tmp_path / "org.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_json_has_the_contract_keys_and_settings_defaults(tmp_path: Path) -> None:
    code, out, err = _run("simulate", _org(tmp_path), "-f", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert (report["runs"], report["seed"]) == (400, 9)  # from settings.simulation
    (client,) = report["customers"]
    assert set(client) >= {
        "customer",
        "cpm_hours",
        "mean_hours",
        "p50_hours",
        "p80_hours",
        "p85_hours",
        "p95_hours",
        "deadline_hours",
        "on_time_probability",
    }
    assert (client["customer"], client["cpm_hours"], client["deadline_hours"]) == (
        "client",
        2.0,
        2.0,
    )
    # 400 runs: the binomial error of 1/2 is 0.025; 4 of them.
    assert client["on_time_probability"] == pytest.approx(0.5, abs=0.1)
    rows = {(u["id"], u["customer"]): u for u in report["units"]}
    assert set(rows) == {("a", "client"), ("b", "client")}
    # b is on the longest path whenever a <= 2h (ties count); a whenever a >= 2h.
    assert rows["a", "client"]["criticality"] + rows["b", "client"]["criticality"] == 1.0
    assert rows["b", "client"]["cruciality"] == 0.0  # a fixed lead time moves nothing
    assert set(rows["a", "client"]) == {
        "id",
        "customer",
        "criticality",
        "cruciality",
        "sensitivity",
    }


def test_runs_and_seed_options_win_over_settings(tmp_path: Path) -> None:
    path = _org(tmp_path)
    code, out, _ = _run("simulate", path, "-f", "json", "--runs", "50", "--seed", "4")
    assert code == 0
    assert (json.loads(out)["runs"], json.loads(out)["seed"]) == (50, 4)


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path) -> None:
    path = _org(tmp_path)
    for fmt in ("text", "json", "markdown", "csv"):
        first = _run("simulate", path, "-f", fmt)[1]
        assert _run("simulate", path, "-f", fmt)[1] == first
    assert _run("simulate", path, "-f", "json", "--seed", "10")[1] != first


def test_text_report_has_percentiles_on_time_and_tornado(tmp_path: Path) -> None:
    code, out, _ = _run("simulate", _org(tmp_path))
    assert code == 0
    assert "Simulation: Two Ways" in out
    lines = [line.strip("│ ") for line in out.splitlines()]  # the heading panel's border
    assert "Runs                  400" in lines
    assert "CPM length             2h" in lines
    assert "Deadline               2h" in lines
    on_time = next(line for line in lines if line.startswith("On time"))
    assert on_time.endswith("% of runs")
    # The tornado: a's bar and figures; b is fixed (cruciality 0, no bar).
    row_a = next(line for line in lines if line.startswith("a "))
    # The finish is max(a, 2h): it rises with a, tied at 2h whenever a is shorter.
    assert "█" in row_a and 0.5 < float(row_a.split()[-3]) < 1.0
    row_b = next(line for line in lines if line.startswith("b "))
    assert "█" not in row_b and row_b.split()[1] == "0.00"


def test_markdown_and_csv(tmp_path: Path) -> None:
    path = _org(tmp_path)
    markdown = _run("simulate", path, "-f", "markdown")[1]
    assert markdown.startswith("# Simulation: Two Ways\n")
    assert "- **Runs:** 400\n" in markdown
    assert "- **CPM length:** 2h\n" in markdown
    assert "| Unit | Tornado | Cruciality | Criticality | Sensitivity |" in markdown
    rows = list(csv.DictReader(io.StringIO(_run("simulate", path, "-f", "csv")[1])))
    assert [(r["id"], r["customer"]) for r in rows] == [("a", "client"), ("b", "client")]
    assert rows[1]["cruciality"] == "0.0"


@pytest.mark.parametrize(("name", "magic"), [("chart.png", b"\x89PNG"), ("chart.svg", b"<?xml")])
def test_plot_writes_a_chart_and_the_report(tmp_path: Path, name: str, magic: bytes) -> None:
    chart = tmp_path / name
    code, out, err = _run("simulate", _org(tmp_path), "--plot", str(chart))
    assert (code, err) == (0, "")
    assert "Simulation: Two Ways" in out.splitlines()[0]
    data = chart.read_bytes()
    assert data.startswith(magic)
    again = tmp_path / ("again" + chart.suffix)
    _run("simulate", _org(tmp_path), "--plot", str(again))
    assert again.read_bytes() == data  # no date or random id in the chart


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    path = _org(tmp_path)
    assert _run("simulate", path, "--plot", str(tmp_path / "chart.pdf"))[0] == 2
    assert _run("simulate", path, "--runs", "0")[0] == 2
    assert _run("simulate", path, "-f", "yaml")[0] == 2
    assert _run("simulate", str(tmp_path / "missing.yaml"))[0] == 2
    assert _run("simulate", path, "--plot", path)[0] == 2  # never over an input


def test_org_with_errors_exits_1(tmp_path: Path) -> None:
    code, out, err = _run("simulate", _org(tmp_path, ORG.replace("[a, b]", "[a, nobody]")))
    assert code == 1
    assert out == ""
    assert "nobody" in err


def test_bad_simulation_setting_is_a_finding(tmp_path: Path) -> None:
    text = ORG.replace("{runs: 400, seed: 9}", "{runs: 0, sed: 9}")
    code, _, err = _run("simulate", _org(tmp_path, text))
    assert code == 1
    assert "simulation.runs must be at least 1, not 0" in err
    assert "unknown key 'sed' in settings.simulation" in err

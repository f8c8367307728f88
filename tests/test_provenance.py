"""Provenance of measured figures in the reports: the JSON keys and the `n=…, period` note."""

from __future__ import annotations

import json
from pathlib import Path

from icmap.api import analyze, load
from icmap.report.analysis import write_report
from icmap.report.analysis.provenance import note, period_text

MEASURED = Path(__file__).parent / "cases" / "valid" / "measured" / "main.yaml"
FILES = "tests/cases/valid/measured/measurements.yaml"


def test_a_measured_breach_carries_its_provenance() -> None:
    report = json.loads(write_report(analyze(load(str(MEASURED))), "json"))
    (breach,) = report["service_breaches"]
    assert (breach["supplier"], breach["customer"], breach["ratio"]) == (
        "registration",
        "front-desk",
        1.875,  # 7h 30m measured / 4h standard
    )
    assert breach["actual_p90"] == 14.0
    assert breach["within_standard"] == 0.72
    assert (breach["samples"], breach["responses"]) == (412, 23)
    assert breach["dimensions"] == {
        "communication": 3.1,
        "productivity": 3.6,
        "responsiveness": 3.5,
    }
    # Two measurements: source and period are those of the one that gave `actual`.
    assert breach["source"] == "tickets-2026-q4.csv"
    assert breach["period"] == ["2026-10-01", "2026-11-30"]
    assert breach["measured_figures"]["satisfaction"].endswith("measurements.yaml:13:5")
    assert [m["figures"] for m in breach["measurements"]] == [
        ["actual", "volume", "complete_accurate"],
        ["satisfaction"],
    ]


def test_measured_handoffs_list_every_measured_dependency() -> None:
    report = json.loads(write_report(analyze(load(str(MEASURED))), "json"))
    pairs = [(h["supplier"], h["customer"]) for h in report["measured_handoffs"]]
    assert pairs == [("front-desk", "patient"), ("registration", "front-desk")]
    desk = report["measured_handoffs"][0]
    assert desk["actual_hours"] == 0.25  # (5m + 4 * 10m + 45m) / 6 = 90m / 6 = 15m
    assert desk["samples"] == 1290
    assert desk["source"] is None


def test_an_unmeasured_org_has_no_provenance_keys() -> None:
    org = Path(__file__).parent.parent / "examples" / "software.yaml"
    report = json.loads(write_report(analyze(load(str(org))), "json"))
    assert report["measured_handoffs"] == []
    for breach in report["service_breaches"]:
        assert "samples" not in breach


def test_note_beside_a_measured_figure() -> None:
    org = load(str(MEASURED))
    dep = next(d for d in org.dependencies if d.supplier == "registration")
    assert note(dep, "actual") == "n=412, Oct 1–Nov 30"
    assert note(dep, "satisfaction") == "n=23, Nov 1–Nov 30"  # responses, not samples
    assert note(dep, "standard") == ""  # written in the dependency
    plain = next(d for d in org.dependencies if d.supplier == "it")
    assert note(plain, "actual") == ""


def test_period_text() -> None:
    assert period_text(("2026-10-01", "2026-11-30")) == "Oct 1–Nov 30"
    assert period_text(("2025-12-01", "2026-01-31")) == "Dec 1, 2025–Jan 31, 2026"
    assert period_text(("2026-10-01", "2026-10-01")) == "Oct 1, 2026"


def test_text_and_markdown_show_the_samples_and_period_beside_a_measured_figure() -> None:
    analysis = analyze(load(str(MEASURED)))
    markdown = write_report(analysis, "markdown")
    # The breach: 7h 30m measured (412 tickets, Oct 1 to Nov 30) against a 4h standard.
    assert "| registration → Receptionist | 4h | 7h 30m (n=412, Oct 1–Nov 30) | **×1.88** |" in (
        markdown
    )
    assert "actual 7h 30m (n=412, Oct 1–Nov 30) · tickets-2026-q4.csv" in markdown
    assert "rating 3.4 (n=23, Nov 1–Nov 30) · icsq-2026-11.csv" in markdown  # responses
    text = write_report(analysis, "text")
    assert "7h 30m (n=412, Oct 1–Nov 30)" in text
    assert "Measured handoffs" in text


def test_reports_of_an_unmeasured_org_have_no_measured_section() -> None:
    org = Path(__file__).parent.parent / "examples" / "software.yaml"
    assert "Measured handoffs" not in write_report(analyze(load(str(org))), "markdown")

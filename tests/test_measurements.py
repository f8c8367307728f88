"""`measurements:`, three-point `actual` and the calendar settings, on small orgs written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from icmap.api import analyze, check, load
from icmap.model import ThreePoint

HEAD = """\
icmap: 1
organization: Measured
external_customers:
  - id: patient
    depends_on: [front-desk]
roles:
  - id: front-desk
    lead_time: 1h
    depends_on:
      - supplier: registration
        standard: 4h
  - id: registration
    lead_time: 2h
"""
TICKETS = """\
  - supplier: registration
    customer: front-desk
    actual: 7h 30m
    actual_p90: 14h
    volume: 96
    within_standard: 72%
    samples: 412
    period: [2026-10-01, 2026-11-30]
    source: tickets.csv
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _write(text: str, name: str = "org.yaml") -> str:
    Path(name).write_text(text, encoding="utf-8")
    return name


def test_measured_figures_count_as_if_written_in_the_dependency() -> None:
    org = load(_write(HEAD + "measurements:\n" + TICKETS))
    (dep,) = [d for d in org.dependencies if d.supplier == "registration"]
    assert (dep.actual, dep.volume, dep.standard) == (7.5, 96.0, 4.0)
    analysis = analyze(org)
    (breach,) = analysis.service_breaches
    assert breach.ratio == pytest.approx(1.875)  # 7h 30m / 4h
    (path,) = analysis.critical_paths
    assert path.length == pytest.approx(10.5)  # 2h + 7h 30m handoff + 1h


def test_provenance_is_kept_and_changes_no_figure() -> None:
    org = load(_write(HEAD + "measurements:\n" + TICKETS))
    (dep,) = [d for d in org.dependencies if d.supplier == "registration"]
    measured = dep.measured_by("actual")
    assert measured is not None and measured is dep.measured_by("volume")
    assert dep.measured_by("standard") is None  # written in the dependency itself
    # HEAD is 13 lines; `measurements:` is line 14, then the entry's keys one a line.
    assert measured.location == ("org.yaml", 15, 5)  # `- supplier: registration`
    assert measured.location_of("volume") == ("org.yaml", 19, 13)
    assert (measured.actual_p90, measured.within_standard, measured.samples) == (14.0, 0.72, 412)
    assert measured.period == ("2026-10-01", "2026-11-30")
    assert measured.source == "tickets.csv"
    assert measured.figures == ("actual", "volume")
    assert measured.count("actual") == 412
    assert org.measurements == (measured,)


def test_an_org_without_measurements_has_none() -> None:
    org = load(_write(HEAD))
    assert org.measurements == ()
    assert all(d.measurements == () for d in org.dependencies)


def test_two_measurements_of_a_pair_give_different_figures() -> None:
    survey = """\
  - supplier: registration
    customer: front-desk
    satisfaction: 3.4
    responses: 23
    dimensions: {communication: 3.1, productivity: 3.7}
    source: survey.csv
"""
    org = load(_write(HEAD + "measurements:\n" + TICKETS + survey))
    (dep,) = [d for d in org.dependencies if d.supplier == "registration"]
    assert (dep.actual, dep.satisfaction) == (7.5, 3.4)
    tickets, answers = dep.measurements
    assert dep.measured_by("actual") is tickets
    assert dep.measured_by("satisfaction") is answers
    assert answers.count("satisfaction") == 23
    assert answers.dimensions == (("communication", 3.1), ("productivity", 3.7))


def test_a_measurement_may_live_in_an_included_file() -> None:
    _write("measurements:\n" + TICKETS, "measured.yaml")
    org = load(_write(HEAD + "include: [measured.yaml]\n"))
    (dep,) = [d for d in org.dependencies if d.supplier == "registration"]
    assert dep.actual == 7.5
    assert dep.measurements[0].location.file == "measured.yaml"


def test_a_figure_in_the_dependency_and_a_measurement_names_both_places() -> None:
    text = HEAD.replace("standard: 4h", "standard: 4h\n        actual: 5h")
    result = check(_write(text + "measurements:\n" + TICKETS))
    (finding,) = [f for f in result.findings if f.code == "ICM311"]
    assert finding.message == (
        "actual of 'registration' -> 'front-desk' is set both here and in the dependency "
        "at org.yaml:10:9"
    )
    # 13 lines of HEAD + the `actual: 5h` line; then `measurements:`, supplier, customer.
    assert finding.location == ("org.yaml", 18, 13)  # the measurement's `actual:` value


def test_a_measurement_of_an_undeclared_pair_is_a_warning_that_changes_nothing() -> None:
    reverse = (
        "  - supplier: front-desk\n    customer: registration\n    samples: 9\n    volume: 2\n"
    )
    result = check(_write(HEAD + "measurements:\n" + reverse))
    (finding,) = result.findings
    assert (finding.code, finding.level.value) == ("ICM510", "warning")
    assert finding.message == (
        "undeclared handoff: 'front-desk' -> 'registration' is measured (9 samples, 2 a week), "
        "but 'registration' does not depend on 'front-desk'; the measurement is not used"
    )
    assert finding.hint == (
        "add 'front-desk' to the depends_on of 'registration', or remove the measurement"
    )
    assert result.org is not None and len(result.org.dependencies) == 2  # no new edge


def test_three_point_actual_counts_as_its_expected_value_breaches_included() -> None:
    text = HEAD.replace(
        "standard: 4h",
        "standard: 2h\n        actual: {optimistic: 1h, likely: 2h, pessimistic: 9h}",
    )
    org = load(_write(text))
    (dep,) = [d for d in org.dependencies if d.supplier == "registration"]
    assert dep.actual == 3.0  # (1 + 4 * 2 + 9) / 6 = 18 / 6
    assert dep.actual_estimate == ThreePoint(1.0, 2.0, 9.0)
    (breach,) = analyze(org).service_breaches
    assert breach.ratio == pytest.approx(1.5)  # 3h / 2h


def test_three_point_actual_in_a_measurement() -> None:
    three = "  - supplier: registration\n    customer: front-desk\n    actual: {optimistic: 30m, likely: 1h, pessimistic: 4h}\n"
    org = load(_write(HEAD + "measurements:\n" + three))
    (dep,) = [d for d in org.dependencies if d.supplier == "registration"]
    assert dep.actual == pytest.approx(8.5 / 6)  # (0.5 + 4 * 1 + 4) / 6 = 1.4167 h = 1h 25m
    assert dep.actual_estimate == ThreePoint(0.5, 1.0, 4.0)


def test_calendar_settings() -> None:
    settings = """\
settings:
  working_hours: " 09:00 - 17:30 "
  working_days: [sat, mon, sun]
  timezone: Europe/Berlin
"""
    org = load(
        _write(HEAD.replace("organization: Measured\n", "organization: Measured\n" + settings))
    )
    assert org.settings.working_hours == (540, 1050)  # 9 * 60; 17 * 60 + 30
    assert org.settings.working_days == ("mon", "sat", "sun")  # week order
    assert org.settings.timezone == "Europe/Berlin"
    default = load(_write(HEAD)).settings
    assert (default.working_hours, default.working_days, default.timezone) == (
        None,
        ("mon", "tue", "wed", "thu", "fri"),
        "UTC",
    )

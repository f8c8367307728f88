"""The loader on small org files written here: values, defaults, includes, places."""

from __future__ import annotations

from pathlib import Path

import pytest

from icmap.api import check
from icmap.loader import LoadResult, load_org
from icmap.model import Org, Unit

HEADER = """\
icmap: 1
organization: Test
"""
CUSTOMER = """\
external_customers:
  - id: buyer
    depends_on: [u]
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _write(files: dict[str, str]) -> None:
    for name, text in files.items():
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text(text, encoding="utf-8")


def _load(text: str, **more: str) -> LoadResult:
    _write({"org.yaml": text, **{name.replace("__", "/"): body for name, body in more.items()}})
    return load_org("org.yaml")


def _org(text: str) -> Org:
    result = _load(text)
    assert result.findings == ()
    assert result.org is not None
    return result.org


def _unit(fields: str, settings: str = "") -> Unit:
    """Unit `u` with the given fields (indented 4), in an org with these settings."""
    text = HEADER + (f"settings:\n{settings}" if settings else "") + CUSTOMER
    return _org(text + "roles:\n  - id: u\n" + fields).unit("u")


def _codes(result: LoadResult) -> list[tuple[str, int, int]]:
    return [(f.code, f.location.line, f.location.column) for f in result.findings if f.location]


# ---- durations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "hours"),
    [
        ("90m", 1.5),  # 90 / 60
        ("45min", 0.75),  # 45 / 60
        ("1.5h", 1.5),
        (".5h", 0.5),
        ("2d", 16.0),  # 2 * 8 hours_per_day
        ("1w", 40.0),  # 5 days_per_week * 8
        ("1d 4h", 12.0),  # 8 + 4
        ("1w 2d 3h 30m", 59.5),  # 40 + 16 + 3 + 0.5
        ("2 h", 2.0),  # a space between number and unit is allowed
        ("3", 3.0),  # a bare number is in time_unit, hours by default
        ("0", 0.0),
    ],
)
def test_duration_forms_with_default_settings(written: str, hours: float) -> None:
    assert _unit(f"    lead_time: {written}\n").lead_time == pytest.approx(hours)


@pytest.mark.parametrize(
    ("time_unit", "hours"),
    [
        ("minutes", 1.5),  # 90 minutes
        ("hours", 90.0),
        ("days", 675.0),  # 90 * 7.5
        ("weeks", 2700.0),  # 90 * 7.5 * 4
    ],
)
def test_bare_numbers_are_read_in_time_unit(time_unit: str, hours: float) -> None:
    settings = f"  time_unit: {time_unit}\n  hours_per_day: 7.5\n  days_per_week: 4\n"
    assert _unit("    lead_time: 90\n", settings).lead_time == pytest.approx(hours)


def test_days_and_weeks_follow_hours_per_day_and_days_per_week() -> None:
    settings = "  hours_per_day: 7.5\n  days_per_week: 4\n"
    # 1w 1d = 4 days * 7.5 + 7.5 = 37.5 hours; process 2d = 15 hours
    unit = _unit("    lead_time: 1w 1d\n    process_time: 2d\n", settings)
    assert (unit.lead_time, unit.process_time) == (37.5, 15.0)


def test_every_duration_field_is_converted() -> None:
    org = _org(
        HEADER
        + "settings:\n  time_unit: days\n"
        + "external_customers:\n  - id: buyer\n    deadline: 2\n"
        + "    depends_on:\n      - {supplier: u, standard: 1, actual: 90m}\n"
        + "roles:\n  - id: u\n    lead_time: 1\n    process_time: 4h\n"
    )
    (dep,) = org.dependencies
    # days of 8 hours: deadline 2 -> 16h, standard 1 -> 8h; actual 90m -> 1.5h
    assert org.external_customers[0].deadline == 16.0
    assert (dep.standard, dep.actual, dep.handoff) == (8.0, 1.5, 1.5)
    assert (org.unit("u").lead_time, org.unit("u").process_time) == (8.0, 4.0)


@pytest.mark.parametrize("written", ["2 days", "4hours", "soon", "1h x", "h", "1d-4h"])
def test_malformed_durations_are_errors_at_the_value(written: str) -> None:
    result = _load(HEADER + CUSTOMER + f"roles:\n  - id: u\n    lead_time: {written}\n")
    # HEADER (2 lines) + CUSTOMER (3) + `roles:` + `  - id: u`: lead_time is line 8;
    # its value after 4 + len("lead_time: ") (11) = 15 characters -> column 16
    assert _codes(result) == [("ICM204", 8, 16)]


@pytest.mark.parametrize("written", ["-2h", "-1", "-0.5"])
def test_negative_durations_are_errors(written: str) -> None:
    result = _load(HEADER + CUSTOMER + f"roles:\n  - id: u\n    lead_time: {written}\n")
    assert _codes(result) == [("ICM206", 8, 16)]  # line and column as above


# ---- lead time, three points, process time ---------------------------------------------------------


def test_three_point_lead_time_uses_the_expected_value() -> None:
    unit = _unit("    lead_time: {optimistic: 1h, likely: 2h, pessimistic: 9h}\n")
    # (1 + 4 * 2 + 9) / 6 = 18 / 6 = 3 hours
    assert unit.lead_time == 3.0
    assert unit.lead_time_estimate is not None
    assert (unit.lead_time_estimate.optimistic, unit.lead_time_estimate.pessimistic) == (1.0, 9.0)


def test_three_point_lead_time_in_mixed_units() -> None:
    unit = _unit("    lead_time: {optimistic: 30m, likely: 1d, pessimistic: 1w}\n")
    # (0.5 + 4 * 8 + 40) / 6 = 72.5 / 6
    assert unit.lead_time == pytest.approx(72.5 / 6)


def test_three_point_lead_time_out_of_order_or_incomplete() -> None:
    result = _load(
        HEADER
        + CUSTOMER
        + "roles:\n  - id: u\n    lead_time: {optimistic: 3h, likely: 2h, pessimistic: 9h}\n"
        + "  - id: v\n    lead_time: {optimistic: 1h, likely: 2h}\n"
    )
    # line 8: the flow mapping opens at column 16; line 10 likewise (no pessimistic)
    assert _codes(result) == [("ICM207", 8, 16), ("ICM202", 10, 16)]


def test_lead_time_defaults_to_process_time_else_zero() -> None:
    assert _unit("    process_time: 2h\n").lead_time == 2.0
    assert _unit("    name: Idle\n").lead_time == 0.0


def test_process_time_above_lead_time_is_an_error_at_the_process_time() -> None:
    result = _load(
        HEADER + CUSTOMER + "roles:\n  - id: u\n    lead_time: 1h\n    process_time: 90m\n"
    )
    # line 9 `    process_time: 90m`: 4 + len("process_time: ") (14) + 1 = 19
    assert _codes(result) == [("ICM208", 9, 19)]
    assert "(1h 30m)" in result.findings[0].message and "(1h)" in result.findings[0].message


# ---- percentages, ratings, numbers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "share"),
    [('"85%"', 0.85), ("85%", 0.85), ("0.85", 0.85), ('"100%"', 1.0), ("0", 0.0), ("1", 1.0)],
)
def test_complete_accurate_as_percentage_or_fraction(written: str, share: float) -> None:
    org = _org(
        HEADER
        + "external_customers:\n  - id: buyer\n    depends_on:\n"
        + f"      - supplier: u\n        complete_accurate: {written}\n"
        + "roles:\n  - id: u\n"
    )
    assert org.dependencies[0].complete_accurate == pytest.approx(share)


@pytest.mark.parametrize("written", ["85", "1.5", '"120%"', "mostly", "-0.1", "true"])
def test_bad_percentages(written: str) -> None:
    result = _load(
        HEADER
        + "external_customers:\n  - id: buyer\n    depends_on:\n"
        + f"      - supplier: u\n        complete_accurate: {written}\n"
        + "roles:\n  - id: u\n"
    )
    # line 7: 8 spaces + len("complete_accurate: ") (19) + 1 = 28
    assert _codes(result) == [("ICM205", 7, 28)]


def test_satisfaction_is_checked_against_the_configured_scale() -> None:
    text = (
        HEADER
        + "settings:\n  satisfaction_scale: [0, 10]\n"
        + "external_customers:\n  - id: buyer\n    depends_on:\n"
        + "      - {supplier: u, satisfaction: 9}\n      - {supplier: v, satisfaction: 11}\n"
        + "roles:\n  - id: u\n  - id: v\n"
    )
    result = _load(text)
    # line 9 `      - {supplier: v, satisfaction: 11}`: `{` at column 9, and
    # len("{supplier: v, satisfaction: ") = 28 -> 11 at column 37
    assert _codes(result) == [("ICM209", 9, 37)]
    assert result.org is not None and result.org.dependencies[0].satisfaction == 9.0


def test_capacity_headcount_volume_minimums() -> None:
    result = _load(
        HEADER
        + "external_customers:\n  - id: buyer\n    depends_on:\n"
        + "      - {supplier: u, volume: -1}\n"
        + "roles:\n  - id: u\n    capacity: 0\n    headcount: 0\n"
    )
    # capacity 0 is allowed (>= 0); headcount must be >= 1; volume >= 0
    assert [code for code, *_ in _codes(result)] == ["ICM206", "ICM206"]


# ---- sections, ids, departments ---------------------------------------------------------------


def test_names_default_to_ids_and_timestamps_stay_text() -> None:
    org = _org(
        HEADER
        + CUSTOMER
        + "roles:\n  - id: u\n    description: 2024-06-01\n    owner: 2024-06-01T10:00:00Z\n"
    )
    unit = org.unit("u")
    assert (unit.name, unit.description, unit.owner) == ("u", "2024-06-01", "2024-06-01T10:00:00Z")
    assert org.external_customers[0].name == "buyer"


def test_departments_become_groupings_as_soon_as_they_have_roles() -> None:
    org = _org(
        HEADER
        + "external_customers:\n  - id: buyer\n    depends_on: [a, b, solo]\n"
        + "departments:\n  - id: nested\n    roles:\n      - id: a\n"
        + "  - id: by-name\n  - id: solo\n    lead_time: 1h\n"
        + "roles:\n  - id: b\n    department: by-name\n"
    )
    assert sorted(d.id for d in org.departments) == ["by-name", "nested"]
    assert {d.id: d.roles for d in org.departments} == {"nested": ("a",), "by-name": ("b",)}
    assert sorted(u.id for u in org.units) == ["a", "b", "solo"]
    assert (org.unit("solo").kind, org.unit("a").department) == ("department", "nested")


def test_duplicate_ids_name_both_places() -> None:
    result = _load(HEADER + CUSTOMER + "roles:\n  - id: u\n  - id: u\n")
    (finding,) = result.findings
    # the second `  - id: u` on line 8 is reported; the first, line 7, is named
    assert (finding.code, finding.location.line if finding.location else 0) == ("ICM300", 8)
    assert "org.yaml:7:5" in finding.message


def test_unknown_keys_suggest_the_known_one() -> None:
    result = _load(HEADER + CUSTOMER + "roles:\n  - id: u\n    lead_tiem: 1h\n")
    assert _codes(result) == [("ICM200", 8, 5)]
    assert "did you mean 'lead_time'?" in result.findings[0].message


def test_merge_keys_share_service_standards() -> None:
    org = _org(
        HEADER
        + "external_customers:\n  - id: buyer\n    depends_on:\n"
        + "      - &std {supplier: u, standard: 4h, kind: service}\n"
        + "      - <<: *std\n        supplier: v\n        actual: 5h\n"
        + "roles:\n  - id: u\n  - id: v\n"
    )
    first, second = org.dependencies
    assert (second.supplier, second.standard, second.kind, second.actual) == (
        "v",
        4.0,
        "service",
        5.0,
    )
    assert (first.supplier, first.actual) == ("u", None)


def test_a_missing_main_file_is_icm001_and_exit_code_2_material() -> None:
    result = load_org("nowhere.yaml")
    assert result.org is None
    assert [(f.code, str(f.location)) for f in result.findings] == [("ICM001", "nowhere.yaml:1:1")]
    assert check("nowhere.yaml").unreadable


def test_a_directory_is_not_an_org_file(tmp_path: Path) -> None:
    result = load_org(str(tmp_path))
    assert [f.code for f in result.findings] == ["ICM003"]
    assert check(str(tmp_path)).unreadable  # exit code 2, as for a missing file


# ---- includes ---------------------------------------------------------------------------------------


MAIN = HEADER + "settings:\n  time_unit: minutes\n" + CUSTOMER


def test_include_globs_are_relative_to_the_including_file() -> None:
    _write(
        {
            "org/main.yaml": MAIN + "include: [parts/*.yaml]\n",
            "org/parts/b.yaml": "roles:\n  - id: w\n    lead_time: 30\n",
            "org/parts/a.yaml": "roles:\n  - id: u\n    depends_on: [w]\n",
            "parts/a.yaml": "this file is not the one: [\n",  # relative to cwd: never read
        }
    )
    result = load_org("org/main.yaml")
    assert result.findings == ()
    assert result.files == ("org/main.yaml", "org/parts/a.yaml", "org/parts/b.yaml")
    assert result.org is not None
    assert result.org.unit("w").lead_time == 0.5  # the main file's time_unit: 30 minutes


def test_a_file_included_by_two_routes_is_read_once() -> None:
    _write(
        {
            "main.yaml": MAIN + "include: [a.yaml, b.yaml]\n",
            "a.yaml": "roles:\n  - id: u\n    depends_on: [shared]\ninclude: [common/shared.yaml]\n",
            "b.yaml": "include: [./common/../common/shared.yaml]\n",
            "common/shared.yaml": "roles:\n  - id: shared\n",
        }
    )
    result = load_org("main.yaml")
    assert result.findings == ()  # no duplicate id `shared`
    assert result.files == ("main.yaml", "a.yaml", "common/shared.yaml", "b.yaml")


def test_settings_in_an_included_file_are_icm213_and_ignored() -> None:
    _write(
        {
            "main.yaml": MAIN + "include: part.yaml\n",
            "part.yaml": "roles:\n  - id: u\n    lead_time: 60\nsettings:\n  time_unit: days\n",
        }
    )
    result = load_org("main.yaml")
    assert [(f.code, str(f.location)) for f in result.findings] == [("ICM213", "part.yaml:4:1")]
    assert result.org is not None and result.org.unit("u").lead_time == 1.0  # 60 minutes


def test_include_loop_and_missing_includes() -> None:
    _write(
        {
            "main.yaml": MAIN + "include: [a.yaml, gone.yaml, none/*.yaml]\n",
            "a.yaml": "roles:\n  - id: u\ninclude: main.yaml\n",
        }
    )
    result = load_org("main.yaml")
    assert [(f.code, str(f.location)) for f in result.findings] == [
        ("ICM401", "a.yaml:3:10"),
        ("ICM400", "main.yaml:8:19"),  # `include: [a.yaml, ` is 18 characters
        ("ICM400", "main.yaml:8:30"),  # and `gone.yaml, ` 11 more
    ]
    assert "main.yaml -> a.yaml -> main.yaml" in result.findings[0].message


def test_problems_in_included_files_carry_their_own_path() -> None:
    _write(
        {
            "main.yaml": MAIN + "include: [team/roles.yaml]\n",
            "team/roles.yaml": "roles:\n  - id: u\n    lead_time: soon\n",
        }
    )
    result = load_org("main.yaml")
    assert [str(f.location) for f in result.findings] == ["team/roles.yaml:3:16"]


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("1e5", "write 100000"),
        ("2.5e3", "write 2500"),
        ("1.5e20", "write 1.5e+20"),
        ("1e400", "write a number below 1.8e+308"),
    ],
)
def test_an_exponent_yaml_reads_as_text_gets_how_to_write_it(written: str, hint: str) -> None:
    result = _load(HEADER + CUSTOMER + f"roles:\n  - id: u\n    capacity: {written}\n")
    (finding,) = result.findings
    assert finding.code == "ICM201"
    assert f"YAML 1.1 reads {written!r} as text" in finding.message
    assert finding.hint == hint


def test_text_that_is_no_number_gets_no_number_hint() -> None:
    result = _load(HEADER + CUSTOMER + "roles:\n  - id: u\n    capacity: lots\n")
    (finding,) = result.findings
    assert finding.message == "capacity must be a number, not text"
    assert finding.hint == ""


@pytest.mark.parametrize(
    ("setting", "hint"),
    [
        ("hours_per_day: 30", "write the hours of one working day, e.g. 8"),
        ("hours_per_day: 0", "write the hours of one working day, e.g. 8"),
        ("days_per_week: 8", "write the working days of a week, e.g. 5"),
    ],
)
def test_an_impossible_day_or_week_says_what_to_write(setting: str, hint: str) -> None:
    result = _load(HEADER + f"settings:\n  {setting}\n" + CUSTOMER + "roles:\n  - id: u\n")
    (finding,) = [f for f in result.findings if f.code == "ICM211"]
    assert finding.hint == hint


_EVERY_CASE = sorted(
    str(p)
    for p in (
        *Path("tests/cases/valid").rglob("*.yaml"),
        *Path("tests/cases/invalid").glob("*.yaml"),
        *Path("examples").rglob("*.yaml"),
    )
)


@pytest.mark.parametrize("path", _EVERY_CASE)
def test_a_load_that_lets_the_tree_go_reads_what_a_load_that_keeps_it_reads(path: str) -> None:
    # Without `on_tree` the loader lets each unit's nodes go once it is read; with it the
    # caller keeps the trees. Same org, same findings, same files either way, anchors,
    # merge keys, aliases of whole lists and broken files included.
    kept: list[object] = []
    released, keeping = load_org(path), load_org(path, on_tree=kept.append)
    assert released == keeping
    assert kept or released.org is None


def test_a_list_of_units_named_twice_by_an_alias_reads_the_same_either_way(
    tmp_path: Path,
) -> None:
    # The same list under `departments:` and (by its alias) under `roles:`: every unit is
    # declared twice. Letting a unit's nodes go after the first reading would make the
    # second one see nothing; the loader keeps the nodes of a file that has anchors.
    org = tmp_path / "org.yaml"
    org.write_text(
        "icmap: 1\norganization: Twice\nexternal_customers: [{id: client}]\n"
        "departments: &units\n  - id: desk\n    depends_on: [client]\nroles: *units\n",
        encoding="utf-8",
    )
    kept: list[object] = []
    released, keeping = load_org(str(org)), load_org(str(org), on_tree=kept.append)
    assert released == keeping
    assert [f.code for f in released.findings].count("ICM300") == 1  # desk declared twice

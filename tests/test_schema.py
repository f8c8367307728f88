"""`icmap schema`: the JSON Schema's shape follows the field tables of icmap/format.py.

These tests check the schema's structure (keys, required lists, enums, patterns,
references); tests/test_schema_validation.py validates documents with it (`jsonschema`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from icmap.cli import app
from icmap.format import DURATION_PATTERN, PERCENT_PATTERN, SECTIONS
from icmap.loader.values import parse_duration
from icmap.model import DEPENDENCY_KINDS, TIME_UNITS, Settings
from icmap.report.schema import build_schema, schema_text

SCHEMA = build_schema()
FRAGMENT = build_schema(fragment=True)
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _section(name: str, schema: dict[str, Any] = SCHEMA) -> dict[str, Any]:
    if name == "org":
        return schema
    section: dict[str, Any] = schema["$defs"][name]
    return section


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every object in the schema, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_draft_and_title() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "icmap" in SCHEMA["title"]


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_each_section_has_exactly_its_fields(name: str) -> None:
    section = _section(name)
    fields = SECTIONS[name]
    assert section["type"] == "object"
    assert section["additionalProperties"] is False
    assert list(section["properties"]) == list(fields)
    required = [key for key, spec in fields.items() if spec.required]
    assert section.get("required", []) == required
    for key, spec in fields.items():
        assert section["properties"][key]["description"] == spec.description


def test_main_file_requires_the_header() -> None:
    assert SCHEMA["required"] == ["icmap", "organization"]
    assert SCHEMA["properties"]["icmap"]["const"] == 1


def test_fragment_needs_no_header_and_has_no_settings() -> None:
    assert "required" not in FRAGMENT
    assert "settings" not in FRAGMENT["properties"]
    # settings and policy belong to the main file
    assert set(FRAGMENT["properties"]) == set(SECTIONS["org"]) - {"settings", "policy"}
    assert FRAGMENT["$defs"] == SCHEMA["$defs"]


def test_choices_are_the_models() -> None:
    assert _section("dependency")["properties"]["kind"]["enum"] == list(DEPENDENCY_KINDS)
    assert _section("settings")["properties"]["time_unit"]["enum"] == list(TIME_UNITS)


def test_settings_defaults_are_the_models() -> None:
    properties = _section("settings")["properties"]
    defaults = Settings()
    assert properties["time_unit"]["default"] == defaults.time_unit
    assert properties["hours_per_day"]["default"] == defaults.hours_per_day
    assert properties["satisfaction_scale"]["default"] == list(defaults.satisfaction_scale)


def test_every_reference_resolves() -> None:
    refs = [node["$ref"] for node in _walk(SCHEMA) if "$ref" in node]
    assert refs
    for ref in refs:
        assert ref.startswith("#/$defs/")
        assert ref.removeprefix("#/$defs/") in SCHEMA["$defs"]


def test_every_pattern_compiles() -> None:
    patterns = {node["pattern"] for node in _walk(SCHEMA) if "pattern" in node}
    assert DURATION_PATTERN in patterns
    assert PERCENT_PATTERN in patterns
    for pattern in patterns:
        re.compile(pattern)


def test_value_types() -> None:
    unit = _section("role")["properties"]
    assert unit["id"]["pattern"] == r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
    assert unit["headcount"] == {
        "description": "People in this role.",
        "type": "integer",
        "minimum": 1,
    }
    assert unit["capacity"]["minimum"] == 0
    # A lead time is a duration or a three-point estimate, in one schema (not a oneOf).
    assert unit["lead_time"]["$ref"] == "#/$defs/lead_time"
    lead_time = SCHEMA["$defs"]["lead_time"]
    assert lead_time["type"] == ["number", "string", "object"]
    assert lead_time["pattern"] == DURATION_PATTERN
    assert lead_time["required"] == ["optimistic", "likely", "pessimistic"]
    assert _section("estimate")["required"] == ["optimistic", "likely", "pessimistic"]
    # depends_on: ids or dependency mappings, in one schema.
    assert unit["depends_on"]["items"] == {"$ref": "#/$defs/supplier"}
    supplier = SCHEMA["$defs"]["supplier"]
    assert supplier["type"] == ["string", "object"]
    assert supplier["properties"] == _section("dependency")["properties"]
    duration = SCHEMA["$defs"]["duration"]
    assert duration["type"] == ["number", "string"]
    # Bare numbers in the default time unit (hours), up to icmap's limit.
    assert (duration["minimum"], duration["maximum"]) == (0, 1_000_000_000)
    assert duration["pattern"] == DURATION_PATTERN
    percentage = SCHEMA["$defs"]["percentage"]
    assert (percentage["minimum"], percentage["maximum"]) == (0, 1)
    assert percentage["pattern"] == PERCENT_PATTERN
    include = SCHEMA["properties"]["include"]
    assert include["type"] == ["string", "array", "null"]
    assert include["items"]["type"] == "string"
    # A day has 0 < hours <= 24 and a week 0 < days <= 7, as icmap check requires (ICM211).
    settings = _section("settings")["properties"]
    for name, most in (("hours_per_day", 24), ("days_per_week", 7)):
        assert (settings[name]["exclusiveMinimum"], settings[name]["maximum"]) == (0, most)
        assert "minimum" not in settings[name]


@pytest.mark.parametrize(
    "text",
    ["90m", "90min", "1.5h", "2d", "1d 4h", "1d4h", " 3w ", ".5h", "2 days", "2", "h", "-1h", "1x"],
)
def test_duration_pattern_agrees_with_the_loader(text: str) -> None:
    assert (re.match(DURATION_PATTERN, text) is not None) is (
        parse_duration(text, Settings()) is not None
    )


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("85%", True),
        ("85 %", True),
        ("0%", True),
        ("100%", True),
        ("100.0%", True),
        ("007.5%", True),  # the loader reads leading zeros: 7.5%
        ("85", False),
        ("100.5%", False),
        ("120%", False),
        ("-5%", False),
    ],
)
def test_percent_pattern_is_zero_to_a_hundred(text: str, ok: bool) -> None:
    assert (re.match(PERCENT_PATTERN, text) is not None) is ok


def test_examples_use_only_known_top_level_keys() -> None:
    files = sorted(EXAMPLES.rglob("*.yaml")) if EXAMPLES.is_dir() else []
    if not files:
        pytest.skip("no examples yet")
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict), path
        schema = SCHEMA if "icmap" in data else FRAGMENT
        assert set(data) <= set(schema["properties"]), path
        assert set(schema.get("required", [])) <= set(data), path


def test_cli_prints_the_schema() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert json.loads(result.stdout) == SCHEMA
    assert result.stdout == schema_text()  # same bytes every time


def test_cli_fragment_schema() -> None:
    result = CliRunner().invoke(app, ["schema", "--fragment"])
    assert json.loads(result.stdout) == FRAGMENT


def test_cli_writes_the_schema_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "icmap.schema.json"
    result = CliRunner().invoke(app, ["schema", "-o", str(target)])
    assert (result.exit_code, result.stdout) == (0, "")
    assert target.read_text(encoding="utf-8") == schema_text()


def test_cli_cannot_write_into_a_directory(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["schema", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "is a directory" in result.stderr

"""The JSON Schema validates documents as `icmap check` does, as far as a schema can.

Documents are validated with the `jsonschema` package. Editors with yaml-language-server
show a key's `patternErrorMessage` or `errorMessage` instead of the validator's default text;
`EditorValidator` below does the same, so the messages asserted are the ones a user sees.
Documents are read with PyYAML's safe loader (YAML 1.1, as `icmap check` reads them).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator, ValidationError, validators

from icmap.format import LONGEST_HOURS
from icmap.loader.values import parse_duration
from icmap.model import Settings
from icmap.report.schema import (
    NOT_A_DURATION,
    NOT_A_PERCENTAGE,
    TOO_LONG,
    at_most,
    build_schema,
)

REPO = Path(__file__).resolve().parent.parent
INVALID = REPO / "tests" / "cases" / "invalid"
EXAMPLES = REPO / "examples"


def _ecma(pattern: str) -> re.Pattern[str]:
    """A JSON Schema pattern as ECMA-262 reads it: `\\d` is an ASCII digit (not `١`), and a
    final `$` is the end of the text (Python's `$` also matches before a final line break)."""
    return re.compile(re.sub(r"(?<!\\)\$$", r"\\Z", pattern), re.ASCII)


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    if validator.is_type(instance, "string") and not _ecma(pattern).search(instance):
        yield ValidationError(
            schema.get("patternErrorMessage")
            or schema.get("errorMessage")
            or f"{instance!r} does not match {pattern!r}"
        )


def _type(validator: Any, types: Any, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    names = [types] if isinstance(types, str) else types
    if not any(validator.is_type(instance, name) for name in names):
        yield ValidationError(
            schema.get("errorMessage") or f"Incorrect type. Expected {' | '.join(names)}"
        )


def _not(validator: Any, subschema: Any, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    if validator.evolve(schema=subschema).is_valid(instance):
        yield ValidationError(schema.get("errorMessage") or "Matches a schema that is not allowed")


#: Draft 2020-12 with yaml-language-server's custom messages for pattern, type and not.
EditorValidator = validators.extend(
    Draft202012Validator, {"pattern": _pattern, "type": _type, "not": _not}
)
MAIN = EditorValidator(build_schema())
FRAGMENT = EditorValidator(build_schema(fragment=True))


class _TextDates(yaml.SafeLoader):
    """YAML read as icmap and editors (YAML 1.2) read it: `2026-10-01` stays text."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read(path: Path) -> Any:
    # A 5,000-digit number is past Python's default limit for int(); an editor reads it.
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDates)  # a SafeLoader
    finally:
        sys.set_int_max_str_digits(limit)


def _errors(data: Any, fragment: bool = False) -> list[tuple[str, str]]:
    """(JSON path, message) of every error, sorted."""
    validator = FRAGMENT if fragment else MAIN
    return sorted(
        ("/".join(str(part) for part in error.absolute_path), error.message)
        for error in validator.iter_errors(data)
    )


def _case_errors(case: Path) -> list[tuple[str, str]]:
    """The schema's errors for an invalid case: a file, or a folder whose main.yaml includes
    the others (validated as fragments)."""
    if case.is_file():
        return _errors(_read(case))
    found = []
    for path in sorted(case.rglob("*.yaml")):
        fragment = path.name != "main.yaml"
        found += [(f"{path.name}:{at}", m) for at, m in _errors(_read(path), fragment)]
    return found


#: Invalid cases a JSON Schema cannot refuse, and why. Every other case must be refused.
NOT_EXPRESSIBLE = {
    # Not YAML a schema ever sees: the file cannot be read into data (or reads differently).
    "alias-bomb": "alias expansion is a YAML-reading limit (the schema sees the expanded data)",
    "duplicate-key": "YAML keeps the last of two equal keys; a schema sees only that one",
    "multiple-documents": "a second `---` document: the schema validates one document",
    "not-utf8": "bytes that are not UTF-8 cannot be read as text",
    "tab-indent": "a YAML syntax error",
    "undefined-alias": "a YAML syntax error",
    "unsafe-tag": "a tag is refused while reading YAML, before any schema",
    "wrong-kind-tag": "a tag such as !!map on a list is refused while reading YAML",
    "yaml-syntax": "a YAML syntax error",
    # Cross-references between units: a schema validates each value on its own.
    "ambiguous-reference": "a supplier named by a name several units share",
    "customer-as-supplier": "a supplier that is an external customer",
    "department-reference": "a supplier that is a department with roles",
    "grouping-supplier-only": "a supplier that is a department with roles",
    "duplicate-dependency": "the same supplier twice",
    "duplicate-id": "two units with one id",
    "duplicate-id-across-files": "two units with one id, in two files",
    "role-in-two-departments": "a nested role naming another department",
    "unknown-reference": "a supplier that is not defined",
    "alias-clash": "an alias equal to another unit's id, name or alias",
    "measurement-figure-twice": "a figure in a dependency and in a measurement of it",
    "measurement-references": "measured units that are groupings, customers or undefined",
    "undeclared-handoff": "a measurement of a pair no depends_on declares",
    # Comparisons between two values: JSON Schema compares a value with constants only.
    "estimate-order": "optimistic <= likely <= pessimistic",
    "process-above-lead": "process time within lead time",
    "satisfaction-scale": "a rating against the scale in settings",
    # The graph: loops and reach.
    "dependency-cycle": "a dependency loop",
    "idle-external-customer": "a customer that depends on no unit",
    "no-external-customer": "customers may come from included files",
    "orphan-unit": "a unit with no path to a customer",
    # Files: what an include points at.
    "include-loop": "files that include each other",
    "include-missing": "an include that matches no file",
    "include-directory": "an include that names a folder",
    "include-outside-root": "an include outside the include root",
    # The org's own policy: each case is a well-formed org that breaks one of its rules.
    **{
        f"policy-{rule}": "a policy rule checked against the analysis of the whole org"
        for rule in (
            "deadlines-met",
            "max-breach-ratio",
            "max-critical-path",
            "max-critical-path-unknown-customer",
            "max-utilization",
            "min-complete-accurate",
            "min-on-time-probability",
            "min-satisfaction",
            "orphans-forbidden",
            "require-standard",
            "single-points-of-failure",
        )
    },
}


def _invalid_cases() -> list[Path]:
    return sorted(p for p in INVALID.iterdir() if p.suffix == ".yaml" or p.is_dir())


def test_the_list_names_only_existing_cases() -> None:
    names = {case.stem for case in _invalid_cases()}
    assert set(NOT_EXPRESSIBLE) <= names
    assert len(names) - len(NOT_EXPRESSIBLE) >= 20  # most cases are for the schema too


@pytest.mark.parametrize(
    "case",
    [c for c in _invalid_cases() if c.stem not in NOT_EXPRESSIBLE],
    ids=lambda case: case.stem,
)
def test_the_schema_refuses_every_case_it_can_express(case: Path) -> None:
    assert _case_errors(case) != []


@pytest.mark.parametrize(
    "path",
    sorted(EXAMPLES.rglob("*.yaml")),
    ids=lambda path: path.relative_to(EXAMPLES).as_posix(),
)
def test_the_schema_accepts_every_example(path: Path) -> None:
    data = _read(path)
    assert _errors(data, fragment="icmap" not in data) == []


def test_duration_messages_are_the_editors() -> None:
    # The case's five durations that are not durations, each with the message an editor shows.
    assert _case_errors(INVALID / "bad-duration.yaml") == [
        ("external_customers/0/deadline", NOT_A_DURATION),
        ("roles/0/depends_on/0/actual", NOT_A_DURATION),
        ("roles/0/depends_on/0/standard", NOT_A_DURATION),
        ("roles/0/lead_time", NOT_A_DURATION),
        ("roles/0/process_time", NOT_A_DURATION),
    ]
    assert NOT_A_DURATION == "not a duration: write e.g. 2d, 1.5h, 90m or 1d 4h"


def test_a_lead_time_is_a_duration_or_an_estimate() -> None:
    def role(lead_time: Any) -> dict[str, Any]:
        return {"icmap": 1, "organization": "O", "roles": [{"id": "a", "lead_time": lead_time}]}

    assert _errors(role("1d 4h")) == []
    assert _errors(role({"optimistic": "1h", "likely": "2h", "pessimistic": "4h"})) == []
    # Not "Incorrect type. Expected number | estimate": what is wrong, and how to write it.
    assert _errors(role("2 days")) == [("roles/0/lead_time", NOT_A_DURATION)]
    assert _errors(role(True)) == [
        ("roles/0/lead_time", f"{NOT_A_DURATION}, or a three-point estimate")
    ]
    assert _errors(role({"optimistic": "1h", "likely": "soon", "pessimistic": "4h"})) == [
        ("roles/0/lead_time/likely", NOT_A_DURATION)
    ]


def test_durations_beyond_the_limit() -> None:
    assert _case_errors(INVALID / "duration-too-long.yaml") == [
        ("external_customers/0/deadline", TOO_LONG),  # '1000000001h'
        ("roles/0/depends_on/0/standard", TOO_LONG),  # '9999...9h', 40 digits
        # 1e+305, a bare number: over 1,000,000,000 (hours, the default time unit)
        ("roles/0/lead_time", "1e+305 is greater than the maximum of 1000000000"),
    ]


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("1000000000h", False),  # the limit itself
        ("1000000000.0h", False),
        ("1000000000.5h", True),
        ("1000000001h", True),
        ("60000000000m", False),  # 1e9 h x 60 min
        ("60000000001min", True),
        ("125000000d", False),  # 1e9 h / 8 h a day
        ("125000000.5d", True),
        ("25000000w", False),  # 1e9 h / (8 h x 5 d) a week
        ("25000001w", True),
        ("0001.5h", False),  # leading zeros, as the loader reads them
    ],
)
def test_the_limit_agrees_with_the_loader_part_by_part(text: str, refused: bool) -> None:
    hours = parse_duration(text, Settings())
    assert hours is not None
    assert (hours > LONGEST_HOURS) is refused
    data = {"icmap": 1, "organization": "O", "external_customers": [{"id": "c", "deadline": text}]}
    expected = [("external_customers/0/deadline", TOO_LONG)] if refused else []
    assert _errors(data) == expected


def test_percentages_above_a_hundred_are_refused() -> None:
    # 85 (a bare number above 1), 120% and 'mostly', as `icmap check` refuses them (ICM205).
    assert _case_errors(INVALID / "bad-percentage.yaml") == [
        ("roles/0/depends_on/0/complete_accurate", "85 is greater than the maximum of 1"),
        ("roles/0/depends_on/1/complete_accurate", NOT_A_PERCENTAGE),
        ("roles/0/depends_on/2/complete_accurate", NOT_A_PERCENTAGE),
    ]


def test_a_grouping_department_has_no_unit_fields() -> None:
    assert _case_errors(INVALID / "grouping-with-unit-fields.yaml") == [
        (
            "departments/0/capacity",
            "a department with roles is a grouping: `capacity:` belongs on its roles",
        ),
        (
            "departments/0/lead_time",
            "a department with roles is a grouping: `lead_time:` belongs on its roles",
        ),
    ]


def test_an_included_file_may_not_set_settings() -> None:
    assert _case_errors(INVALID / "include-setting") == [
        ("sales.yaml:", "Additional properties are not allowed ('settings' was unexpected)")
    ]


@pytest.mark.parametrize("limit", [1, 7, 10, 11, 20, 101, 1990, 2000, 125_000_000])
def test_at_most_matches_exactly_the_numbers_up_to_the_limit(limit: int) -> None:
    pattern = re.compile(f"^{at_most(limit)}$")
    numbers = {*range(0, 2 * limit + 3, max(1, limit // 500)), limit - 1, limit, limit + 1}
    for n in sorted(numbers):
        for text in (str(n), f"{n}.0", f"{n}.5", f"0{n}", f".{n}"):
            assert (pattern.match(text) is not None) is (float(text) <= limit), text

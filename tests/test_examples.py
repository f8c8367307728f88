"""The bundled examples: each checks clean, and between them they use every part of the format."""

from __future__ import annotations

import glob
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from icmap.api import check
from icmap.cli import app
from icmap.format import SECTIONS
from icmap.model import DEPENDENCY_KINDS

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
MAIN_FILES = sorted(
    path.relative_to(REPO).as_posix()
    for path in [*EXAMPLES.glob("*.yaml"), *EXAMPLES.glob("*/*.yaml")]
)
runner = CliRunner()


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def test_there_are_five_examples() -> None:
    assert MAIN_FILES == [
        "examples/clinic.yaml",
        "examples/manufacturer.yaml",
        "examples/measured/northwind.yaml",
        "examples/retail/retail.yaml",
        "examples/software.yaml",
    ]


@pytest.mark.parametrize("path", MAIN_FILES)
def test_example_checks_clean_with_at_least_12_units(path: str) -> None:
    result = check(path)
    assert result.findings == ()
    assert result.org is not None
    assert len(result.org.units) >= 12
    cli = runner.invoke(app, ["check", "--format", "parsable", "--strict", path])
    assert (cli.exit_code, cli.stdout, cli.stderr) == (0, "", "")


@pytest.mark.parametrize("path", MAIN_FILES)
def test_example_names_the_schema_for_editors(path: str) -> None:
    first = (REPO / path).read_text(encoding="utf-8").splitlines()[0]
    depth = path.count("/") - 1  # examples/x.yaml -> ../docs, examples/retail/x -> ../../docs
    assert first == f"# yaml-language-server: $schema={'../' * (depth + 1)}docs/icmap.schema.json"


def test_checking_the_folder_checks_included_files_as_parts() -> None:
    # The retail department files have no header of their own; checked as part of
    # retail.yaml they are clean.
    result = runner.invoke(app, ["check", "--format", "parsable", "--strict", "examples"])
    assert (result.exit_code, result.stdout) == (0, "")


# ---- coverage: every key of every section, every value form --------------------------------


@cache
def _documents() -> list[tuple[str, Any]]:
    """Every example file (included ones too), read with plain yaml.safe_load."""
    files = sorted(glob.glob(str(EXAMPLES / "**" / "*.yaml"), recursive=True))
    return [(f, yaml.safe_load(Path(f).read_text(encoding="utf-8"))) for f in files]


def _walk(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(section name, mapping) for every mapping of a known section in one file."""
    yield "org", doc
    if isinstance(doc.get("settings"), dict):
        yield "settings", doc["settings"]
        if isinstance(doc["settings"].get("simulation"), dict):
            yield "simulation", doc["settings"]["simulation"]
    if isinstance(doc.get("policy"), dict):
        yield "policy", doc["policy"]
    units: list[tuple[str, dict[str, Any]]] = []
    for customer in doc.get("external_customers") or []:
        yield "external_customer", customer
        units.append(("external_customer", customer))
    for department in doc.get("departments") or []:
        yield "department", department
        units.append(("department", department))
        for role in department.get("roles") or []:
            yield "nested_role", role
            units.append(("nested_role", role))
    for role in doc.get("roles") or []:
        yield "role", role
        units.append(("role", role))
    for _, unit in units:
        if isinstance(unit.get("lead_time"), dict):
            yield "estimate", unit["lead_time"]
        for dependency in unit.get("depends_on") or []:
            if isinstance(dependency, dict):
                yield "dependency", dependency
                if isinstance(dependency.get("actual"), dict):
                    yield "estimate", dependency["actual"]
    for measurement in doc.get("measurements") or []:
        yield "measurement", measurement
        if isinstance(measurement.get("actual"), dict):
            yield "estimate", measurement["actual"]


@cache
def _used() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {name: set() for name in SECTIONS}
    for _, doc in _documents():
        for section, mapping in _walk(doc):
            used[section].update(mapping)
    # A nested role and a flat role share the role fields; count them together.
    used["role"] |= used["nested_role"]
    used["nested_role"] = used["role"] & set(SECTIONS["nested_role"])
    return used


@pytest.mark.parametrize("section", sorted(SECTIONS))
def test_examples_use_every_key_of_the_section(section: str) -> None:
    assert sorted(set(SECTIONS[section]) - _used()[section]) == []


def _values(key: str) -> list[Any]:
    found: list[Any] = []
    for _, doc in _documents():
        for _, mapping in _walk(doc):
            if key in mapping:
                found.append(mapping[key])
    return found


def _durations() -> list[Any]:
    found = []
    for key in ("lead_time", "process_time", "standard", "actual", "deadline"):
        for value in _values(key):
            found.extend(value.values() if isinstance(value, dict) else [value])
    return found


@pytest.mark.parametrize(
    ("form", "pattern"),
    [
        ("minutes as m", r"^\d+(\.\d+)?m$"),
        ("minutes as min", r"^\d+(\.\d+)?\s*min$"),
        ("hours", r"^\d+(\.\d+)?h$"),
        ("days", r"^\d+(\.\d+)?d$"),
        ("weeks", r"^\d+(\.\d+)?w$"),
        ("combined parts", r"^\d+[a-z]+ \d+[a-z]+$"),
    ],
)
def test_examples_write_durations_in_every_form(form: str, pattern: str) -> None:
    texts = [d for d in _durations() if isinstance(d, str)]
    assert any(re.match(pattern, text) for text in texts), form


def test_examples_use_bare_numbers_and_three_point_lead_times() -> None:
    assert any(isinstance(d, int | float) for d in _durations())
    assert any(isinstance(lead, dict) for lead in _values("lead_time"))


def test_examples_use_both_percentage_forms_every_kind_and_feedback() -> None:
    shares = _values("complete_accurate")
    assert any(isinstance(s, str) and s.endswith("%") for s in shares)
    assert any(isinstance(s, float) for s in shares)
    assert sorted(set(_values("kind"))) == sorted(DEPENDENCY_KINDS)
    assert True in _values("feedback")


def test_examples_use_short_dependencies_includes_anchors_and_role_less_departments() -> None:
    docs = _documents()
    entries = [
        entry
        for _, doc in docs
        for _, mapping in _walk(doc)
        for entry in (mapping.get("depends_on") or [])
    ]
    assert any(isinstance(entry, str) for entry in entries)  # the short form
    includes = [doc["include"] for _, doc in docs if "include" in doc]
    assert any(glob.has_magic(pattern) for patterns in includes for pattern in patterns)
    text = "".join(Path(f).read_text(encoding="utf-8") for f, _ in docs)
    assert re.search(r"&[a-z-]+\n", text)  # an anchor on a mapping
    assert "<<: *" in text  # merged into another one
    departments = [m for _, doc in docs for s, m in _walk(doc) if s == "department"]
    assert any("roles" not in d and "lead_time" in d for d in departments)  # a unit
    flat_roles = [m for _, doc in docs for s, m in _walk(doc) if s == "role"]
    assert any("department" in role for role in flat_roles)


def test_the_example_in_docs_format_checks_clean(tmp_path: Path) -> None:
    text = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    match = re.search(r"## A complete small example\n\n```yaml\n(.*?)```", text, re.DOTALL)
    assert match is not None
    org = tmp_path / "org.yaml"
    org.write_text(match.group(1), encoding="utf-8")
    (tmp_path / "finance").mkdir()
    (tmp_path / "finance" / "ledger.yaml").write_text("roles: []\n", encoding="utf-8")
    assert check(str(org)).findings == ()


def _unused_anchors(text: str) -> list[str]:
    """Anchors (`&name`) that no alias (`*name`) in the same document refers to."""
    declared: dict[str, int] = {}
    used: set[str] = set()
    for event in yaml.parse(text):
        if isinstance(event, yaml.AliasEvent):
            used.add(event.anchor)
        elif getattr(event, "anchor", None) is not None:
            declared[event.anchor] = event.start_mark.line + 1
    return [f"&{name} (line {line})" for name, line in sorted(declared.items()) if name not in used]


def test_the_unused_anchor_scan_finds_one() -> None:
    # Guard for the scan below: `&b` is declared and never aliased; `&a` is used.
    text = "x: &a {k: 1}\ny: *a\nz: &b [1]\n"
    assert _unused_anchors(text) == ["&b (line 3)"]


@pytest.mark.parametrize("path", sorted(EXAMPLES.rglob("*.yaml")), ids=lambda p: p.name)
def test_examples_declare_no_unused_anchor(path: Path) -> None:
    # Editors flag an anchor nothing uses; a reader would look for its uses in vain.
    assert _unused_anchors(path.read_text(encoding="utf-8")) == []

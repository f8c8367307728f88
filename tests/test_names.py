"""Matching written names to ids (icmap.names) and the `aliases:` that feed it."""

from __future__ import annotations

from pathlib import Path

from icmap.api import check, load
from icmap.names import NameIndex, NameMatch, normalize

VALID = Path(__file__).parent / "cases" / "valid" / "aliases.yaml"
ORG = """\
icmap: 1
organization: Names
external_customers:
  - id: patient
    name: The Patient
    depends_on: [front-desk, billing]
departments:
  - id: office
    name: Front Office
    aliases: [Group 4]
    roles:
      - id: front-desk
        name: Reception
        aliases: [IT Service Desk, "  Desk 2 "]
      - id: billing
        name: Billing
  - id: lab
    name: Reception    # the same name as front-desk: ambiguous by name
    depends_on: [front-desk]
"""


def _index(tmp_path: Path) -> NameIndex:
    path = tmp_path / "org.yaml"
    path.write_text(ORG, encoding="utf-8")
    return NameIndex.of(load(str(path)))


def test_aliases_are_kept_on_units_groupings_and_customers() -> None:
    org = load(str(VALID))
    assert org.unit("front-desk").aliases == ("Reception", "front-desk", "Front Desk")
    assert org.unit("it").aliases == ("IT Service Desk",)  # a department without roles
    (office,) = org.departments
    assert office.aliases == ("FO", "Group 4")
    assert org.external_customers[0].aliases == ("Customer",)


def test_normalize_trims_and_casefolds() -> None:
    assert normalize("  IT Straße ") == "it strasse"  # casefold, not lower: ß -> ss


def test_match_by_id_name_and_alias(tmp_path: Path) -> None:
    index = _index(tmp_path)
    assert index.match("billing") == "billing"  # id
    assert index.match("BILLING ") == "billing"  # name, trimmed and case-folded
    assert index.match("it service desk") == "front-desk"  # alias
    assert index.match("desk 2") == "front-desk"  # the alias was written with spaces
    assert index.match("the patient") == "patient"  # external customers too
    assert index.match("nobody") is None


def test_a_grouping_name_stands_for_its_roles(tmp_path: Path) -> None:
    index = _index(tmp_path)
    assert index.lookup("group 4") == NameMatch("office", "grouping", ("front-desk", "billing"))
    found = index.lookup("Front Office")
    assert found is not None and found.is_grouping
    assert index.lookup("lab") == NameMatch("lab", "department")  # a department that is a unit
    assert index.lookup("patient") == NameMatch("patient", "external_customer")


def test_a_name_two_units_share_matches_neither(tmp_path: Path) -> None:
    index = _index(tmp_path)
    assert index.match("Reception") is None
    assert index.candidates("reception") == ("front-desk", "lab")


def test_suggest_gives_the_closest_name_as_written(tmp_path: Path) -> None:
    index = _index(tmp_path)
    assert index.suggest("IT Servce Desk") == "IT Service Desk"
    assert index.match("IT Service Desk") == "front-desk"
    assert index.suggest("zzzzzz") is None


def test_with_names_adds_a_map_without_changing_the_index(tmp_path: Path) -> None:
    index = _index(tmp_path)
    mapped = index.with_names({"Abrechnung": "billing", "Reception": "lab"})
    assert mapped.match("abrechnung") == "billing"
    assert mapped.match("reception") == "lab"  # the map settles the ambiguous name
    assert index.match("abrechnung") is None


def test_alias_clash_names_both_places(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(ORG.replace("[Group 4]", "[Group 4, billing]"), encoding="utf-8")
    result = check(str(path))
    (finding,) = [f for f in result.findings if f.code == "ICM310"]
    assert (
        finding.message
        == (
            f"alias 'billing' of 'office' is also the id of 'billing' (at {path}:15:9)"  # line 15: `- id: billing`
        )
    )
    assert (finding.location.line, finding.location.column) == (10, 24)  # type: ignore[union-attr]  # 4 spaces + "aliases: [Group 4, " = 23

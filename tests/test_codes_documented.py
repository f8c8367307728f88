"""docs/codes.md documents every finding code, and only real ones, with an example that works."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from icmap.api import check, enforce_policy
from icmap.codes import RULES

DOCS = Path(__file__).resolve().parent.parent / "docs"
CODES_MD = DOCS / "codes.md"
HEADING = re.compile(r"^## (\S+) (\S+)\n", re.MULTILINE)
YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
# Codes whose trigger is not YAML text: a missing file, bytes that are not UTF-8, a file
# over 64 MiB (tests/security/test_includes.py makes one).
NO_YAML_EXAMPLE = {"ICM001", "ICM002", "ICM004"}
# Spreadsheet codes (icmap import sheet): their examples are CSV, tested in test_sheets.py.
NO_YAML_EXAMPLE |= {code for code in RULES if code.startswith("ICM7")}


def _sections() -> dict[str, tuple[str, str]]:
    """Code -> (name, the section's text), from the `## ICM101 duplicate-key` headings."""
    text = CODES_MD.read_text(encoding="utf-8")
    matches = list(HEADING.finditer(text))
    sections: dict[str, tuple[str, str]] = {}
    for match, after in zip(matches, [*matches[1:], None], strict=True):
        end = after.start() if after else len(text)
        assert match.group(1) not in sections, f"{match.group(1)} is documented twice"
        sections[match.group(1)] = (match.group(2), text[match.end() : end])
    return sections


SECTIONS = _sections()


def test_every_code_is_documented_and_no_other() -> None:
    assert sorted(SECTIONS) == sorted(RULES)


def test_docs_mention_no_code_that_does_not_exist() -> None:
    for page in sorted(DOCS.glob("*.md")):
        named = set(re.findall(r"\bICM\d{3}\b", page.read_text(encoding="utf-8")))
        assert named <= set(RULES), f"{page.name} names unknown codes {sorted(named - set(RULES))}"


@pytest.mark.parametrize("code", sorted(RULES))
def test_section_has_name_level_and_fix(code: str) -> None:
    name, body = SECTIONS[code]
    rule = RULES[code]
    assert name == rule.name
    assert f"**Level:** {rule.level.value}\n" in body
    assert "**How to fix:**" in body
    assert "Example" in body


@pytest.mark.parametrize("code", sorted(set(RULES) - NO_YAML_EXAMPLE))
def test_example_triggers_its_code(code: str, tmp_path: Path) -> None:
    blocks = YAML_BLOCK.findall(SECTIONS[code][1])
    assert blocks, f"{code} has no ```yaml example"
    names = []
    for block in blocks:
        first = block.splitlines()[0] if block.strip() else ""
        name = first.removeprefix("# file:").strip() if first.startswith("# file:") else "org.yaml"
        (tmp_path / name).write_text(block, encoding="utf-8")
        names.append(name)
    result = enforce_policy(check(str(tmp_path / names[0])))  # as icmap check does
    assert code in {f.code for f in result.findings}, [(f.code, f.message) for f in result.findings]

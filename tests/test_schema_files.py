"""The JSON Schemas committed under docs/ (which the examples' modelines point to) are current."""

from __future__ import annotations

from pathlib import Path

import pytest

from icmap.report.schema import schema_text

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.parametrize(
    ("name", "fragment"), [("icmap.schema.json", False), ("icmap-fragment.schema.json", True)]
)
def test_committed_schema_matches_icmap_schema(name: str, fragment: bool) -> None:
    committed = (DOCS / name).read_text(encoding="utf-8")
    option = " --fragment" if fragment else ""
    assert committed == schema_text(fragment=fragment), (
        f"docs/{name} is stale: run `icmap schema{option} -o docs/{name}`"
    )


def test_every_example_modeline_points_at_a_committed_schema() -> None:
    examples = Path(__file__).resolve().parent.parent / "examples"
    for path in sorted(examples.rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        if first.startswith("# Measured by `icmap import"):
            continue  # written by the importer, not by hand in an editor (examples/measured)
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert target.is_file(), f"{path}: modeline points at missing {target}"

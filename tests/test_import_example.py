"""The measured example: its data is what generate.py makes, its fragments are what
`icmap import` writes from that data (byte for byte), and the org including them is clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from icmap.api import check
from icmap.cli import app

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "measured"
IMPORTS = {
    "tickets": ["tickets", "data/tickets.csv", "--provider", "assignment_group"],
    "events": ["events", "data/events.csv"],
    "survey": ["survey", "data/survey.csv", "--period", "2026-11-02..2026-11-13"],
}


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("measured") / "measured"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_the_data_is_what_the_generator_makes(copy: Path) -> None:
    subprocess.run([sys.executable, str(copy / "generate.py")], check=True)
    for name in ("tickets.csv", "events.csv", "survey.csv"):
        assert (copy / "data" / name).read_bytes() == (EXAMPLE / "data" / name).read_bytes()


@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_the_fragments_are_what_import_writes(
    copy: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(copy)
    out = f"measured/{name}.yaml"
    command, *rest = IMPORTS[name]
    result = CliRunner().invoke(
        app, ["import", command, *rest, "--org", "northwind.yaml", "-o", out]
    )
    assert result.exit_code == 0, result.stderr
    assert (copy / out).read_bytes() == (EXAMPLE / out).read_bytes()


def test_the_org_with_its_measurements_checks_clean() -> None:
    result = check(str(EXAMPLE / "northwind.yaml"))
    assert result.findings == ()
    assert result.org is not None
    measured = {(m.supplier, m.customer) for m in result.org.measurements}
    # 7 pairs from tickets, 4 from events, 8 from the survey (2 pairs withheld)
    assert len(result.org.measurements) == 7 + 4 + 8
    assert ("parts-clerk", "technician") in measured

"""The benchmark's pandas baseline and `icmap import` compute the same figures, byte for byte
(bench/baseline_pandas_import.py; the speed comparison is bench/bench_import.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.mark.parametrize("what", ["tickets", "events"])
def test_the_baseline_and_the_importer_agree(tmp_path: Path, what: str) -> None:
    org = tmp_path / "org.yaml"
    log = tmp_path / f"{what}.csv"
    generate = [sys.executable, str(BENCH / "import_data.py")]
    subprocess.run([*generate, "org", str(org)], check=True)
    subprocess.run([*generate, what, "3000", str(log)], check=True)
    baseline = subprocess.run(
        [sys.executable, str(BENCH / "baseline_pandas_import.py"), what, str(log), str(org)],
        capture_output=True,
        text=True,
        check=True,
    )
    icmap = subprocess.run(
        [sys.executable, "-m", "icmap", "import", what, str(log), "--org", str(org)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert icmap.stdout.count("  - supplier:") > 20  # figures for many pairs, not none
    assert icmap.stdout == baseline.stdout

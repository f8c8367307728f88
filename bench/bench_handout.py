"""Handout benchmark: `icmap handout` of the clinic and of generated orgs, whole commands.

    python bench/bench_handout.py [--runs 3] [--roles 2000]

Targets (issue 9): the clinic's handout at most 1 MB; a 2,000-unit org's handout written in
at most 5 s, layout included (its chart is drawn one box per department above 300 units).
Prints wall time (best of N), peak memory and the size of each page.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchlib import ROOT, generated_org, print_machine, table, time_command, tool

TARGET_SECONDS = 5.0
TARGET_BYTES = 1_000_000


def main(argv: list[str] | None = None) -> int:
    """Time the handouts and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per org (best is kept)")
    parser.add_argument("--roles", type=int, nargs="*", default=[300, 2000], help="generated orgs")
    args = parser.parse_args(argv)
    print_machine()
    orgs = [("examples/clinic.yaml", ROOT / "examples" / "clinic.yaml")]
    orgs += [(f"generated, {n} roles", generated_org(n)) for n in args.roles]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for label, org in orgs:
            out = Path(folder) / "handout.html"
            timing = time_command([tool("icmap"), "handout", str(org), "-o", str(out)], args.runs)
            size = out.stat().st_size
            rows.append((label, f"{timing.best:.2f}", f"{timing.peak_mb:.0f}", f"{size:,}"))
    print(table(("org", "best s", "peak MB", "bytes"), rows))
    print(f"targets: clinic <= {TARGET_BYTES:,} bytes; 2,000 roles <= {TARGET_SECONDS:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

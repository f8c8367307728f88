"""Start-up benchmark: `icmap check` vs `yamllint` on a small org file, whole commands.

    python bench/bench_check.py [--runs 15] [FILE]

Target (issue 2): icmap check within 3× the wall time of yamllint on the same file. Both
are timed from spawn to exit, best of N runs. The file is examples/clinic.yaml when it
exists, else a generated 20-role org. After the timings, `-X importtime` shows which
imports icmap's start-up pays for, the heaviest first.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from benchlib import ROOT, generated_org, print_machine, table, time_commands, tool

TARGET = 3.0


def default_file() -> Path:
    """examples/clinic.yaml, or a generated 20-role org while the examples are missing."""
    clinic = ROOT / "examples" / "clinic.yaml"
    return clinic if clinic.exists() else generated_org(20, departments=5)


def import_costs(argv: list[str]) -> dict[str, float]:
    """Milliseconds of import time per top-level package (summed self times), one run."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    packages: dict[str, float] = {}
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \| *(\S+)", line)
        if match:
            package = match.group(2).split(".")[0]
            packages[package] = packages.get(package, 0.0) + int(match.group(1)) / 1000
    return packages


def main(argv: list[str] | None = None) -> int:
    """Time both commands and print the table, then icmap's heaviest imports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "file", nargs="?", type=Path, help="org file (default: examples/clinic.yaml)"
    )
    parser.add_argument("--runs", type=int, default=15, help="runs per command (best is kept)")
    parser.add_argument("--imports", type=int, default=12, help="heaviest imports to list")
    args = parser.parse_args(argv)
    path = args.file or default_file()
    icmap = [tool("icmap"), "check", str(path)]
    yamllint = [tool("yamllint"), str(path)]
    python = [sys.executable, "-c", "pass"]

    print_machine()
    print(
        f"file: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} ({path.stat().st_size:,} bytes)\n"
    )
    # exit code 1 is fine for yamllint (style problems) and icmap (org problems): we time the work.
    timed = time_commands(
        {"python -c pass": python, "yamllint FILE": yamllint, "icmap check FILE": icmap},
        args.runs,
        ok=(0, 1),
    )
    results = {name: t for name, t in timed.items() if t is not None}
    if len(results) < len(timed):
        return 2
    base = results["yamllint FILE"].best
    rows = [
        (
            name,
            f"{t.best * 1000:.0f}",
            f"{t.median * 1000:.0f}",
            f"{t.peak_mb:.0f}",
            f"{t.best / base:.2f}",
        )
        for name, t in results.items()
    ]
    print(f"best and median of {args.runs} interleaved runs, whole commands:\n")
    print(table(["command", "best ms", "median ms", "peak MB", "÷ yamllint"], rows))
    ratio = results["icmap check FILE"].best / base
    verdict = "meets" if ratio <= TARGET else "MISSES"
    print(f"\nicmap check / yamllint = {ratio:.2f} ({verdict} the target of {TARGET:g}×)\n")

    costs = sorted(import_costs(icmap).items(), key=lambda item: -item[1])
    total = sum(ms for _, ms in costs)
    print(
        f"import time of `icmap check` by package (python -X importtime, {total:.0f} ms in all):\n"
    )
    print(table(["package", "ms"], [(name, f"{ms:.1f}") for name, ms in costs[: args.imports]]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

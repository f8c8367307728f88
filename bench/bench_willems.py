"""Real-world benchmark: every Willems (2008) supply chain through `icmap check` and `analyze`.

    python bench/bench_willems.py [--runs 3] [--data DIR] [--chains 1,38] [--no-render]

Each chain is converted (bench/willems.py) into a temporary directory, then timed as whole
commands, best of N runs: `icmap check FILE` and `icmap analyze --format json FILE`. The
table gives per chain its stages and arcs, both times, and the longest chain to the market
from icmap's json report (days, and stages on it), checked against a longest-path pass
straight over the CSV data. Last, `icmap render` of chain 38 (2,025 units): DOT only, the
whole chart as SVG, and the chart with departments collapsed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchlib import CommandFailed, print_machine, table, time_command, tool
from willems import DEFAULT_DATA, chain_numbers, convert

HOURS_PER_DAY = 24  # the converter's calendar days


def critical_path(path: Path) -> tuple[float, int] | None:
    """(days, stages) of the longest critical path in icmap's json report, or None."""
    result = subprocess.run(
        [tool("icmap"), "analyze", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode not in (0, 1):
        return None
    paths = json.loads(result.stdout).get("critical_paths", [])
    if not paths:
        return None
    longest = max(paths, key=lambda p: p["length_hours"])
    units = [node for node in longest["path"] if node != longest["customer"]]
    return longest["length_hours"] / HOURS_PER_DAY, len(units)


def timed(argv: list[str], runs: int) -> str:
    """Best wall time in ms, or `n/a` (with the reason on stderr)."""
    try:
        return f"{time_command(argv, runs, ok=(0, 1)).best * 1000:.0f}"
    except CommandFailed as exc:
        print(f"not timed: {exc}", file=sys.stderr)
        return "n/a"


def render_table(icmap: str, org: Path) -> str:
    """Time `icmap render` of one chain: DOT text only, the whole chart and a collapsed one."""
    rows = []
    for label, options, suffix in (
        ("--format dot (no layout)", ["--format", "dot"], "dot"),
        ("--format svg", ["--format", "svg"], "svg"),
        (
            "--format svg --collapse departments",
            ["--format", "svg", "--collapse", "departments"],
            "c.svg",
        ),
    ):
        out = org.with_suffix(f".{suffix}")
        ms = timed([icmap, "render", str(org), *options, "-o", str(out)], 1)
        size = f"{out.stat().st_size / 1e6:.2f}" if out.exists() else "n/a"
        rows.append((f"icmap render {label}", ms, size))
    return f"render of chain 38 ({org.name}), one run each:\n\n" + table(
        ["command", "ms", "output MB"], rows
    )


def main(argv: list[str] | None = None) -> int:
    """Convert, time and tabulate every chain; then time the render of chain 38."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per command (best is kept)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the data set's folder")
    parser.add_argument("--chains", help="comma-separated chain numbers (default: all)")
    parser.add_argument("--no-render", action="store_true", help="skip the render of chain 38")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        parser.error(f"no data set at {args.data} (pass --data DIR)")
    numbers = (
        [f"{int(n):02d}" for n in args.chains.split(",")]
        if args.chains
        else chain_numbers(args.data)
    )
    icmap = tool("icmap")
    print_machine()
    rows = []
    mismatches = []
    compared = 0
    with tempfile.TemporaryDirectory(prefix="icmap-willems-") as tmp:
        for nn in numbers:
            path = Path(tmp) / f"willems-{nn}.yaml"
            chain = convert(nn, path, args.data)
            expected_days, _ = chain.longest_path()
            found = critical_path(path)
            if found is None:
                days, stages = "n/a", "n/a"
            else:
                days, stages = f"{found[0]:g}", str(found[1])
                compared += 1
                if abs(found[0] - expected_days) > 1e-6:
                    mismatches.append(f"chain {nn}: icmap {found[0]:g} d, data {expected_days:g} d")
            rows.append(
                (
                    nn,
                    f"{len(chain.stages):,}",
                    f"{len(chain.arcs):,}",
                    timed([icmap, "check", str(path)], args.runs),
                    timed([icmap, "analyze", "--format", "json", str(path)], args.runs),
                    days,
                    stages,
                )
            )
        print(f"whole commands, best of {args.runs} runs (ms); longest chain to the market:\n")
        headers = ["chain", "stages", "arcs", "check ms", "analyze ms", "longest days", "on it"]
        print(table(headers, rows))
        print()
        if mismatches:
            print("critical path length DIFFERS from the data:\n" + "\n".join(mismatches))
        else:
            print(
                f"{compared} of {len(rows)} critical path lengths compared: each equals a "
                "longest-path pass over the CSV data"
            )
        if not args.no_render and "38" in numbers:
            print()
            print(render_table(icmap, Path(tmp) / "willems-38.yaml"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

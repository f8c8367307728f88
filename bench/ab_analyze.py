"""Interleaved A/B of `icmap analyze --format json`: this checkout against an older one.

    git worktree add /tmp/old 2b7dcaf
    python bench/ab_analyze.py --old /tmp/old [--roles 10000] [--runs 10]

Each round runs the bare libyaml event pass over the org's files, then `icmap analyze` of
this checkout, then the same command with the older checkout first on `PYTHONPATH` (the same
interpreter and dependencies), so a machine whose speed drifts slows all three alike. Prints
the best and median wall seconds of each, best ÷ the event pass's best, and the median
over rounds of each ÷ the event pass of its round ("paired"). The org is the
one `bench/bench_analyze.py` generates for that size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_analyze import EVENT_PASS, ROLES_PER_FILE
from benchlib import (
    ROOT,
    compile_bytecode,
    generated_org,
    org_files,
    paired_ratio,
    print_machine,
    table,
    tool,
)


def main(argv: list[str] | None = None) -> int:
    """Run the rounds and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", required=True, type=Path, help="a checkout of the older code")
    parser.add_argument("--roles", type=int, default=10_000, help="org size (default 10,000)")
    parser.add_argument("--runs", type=int, default=10, help="rounds (default 10)")
    args = parser.parse_args(argv)
    if not (args.old / "icmap" / "__init__.py").is_file():
        parser.error(f"{args.old} holds no icmap package")
    parts = args.roles // ROLES_PER_FILE if args.roles > ROLES_PER_FILE else 0
    path = generated_org(args.roles, parts=parts)
    icmap = tool("icmap")
    commands = {
        "event pass": ([sys.executable, "-c", EVENT_PASS, *map(str, org_files(path))], {}),
        "analyze, this checkout": ([icmap, "analyze", "--format", "json", str(path)], {}),
        f"analyze, {args.old}": (
            [icmap, "analyze", "--format", "json", str(path)],
            {"PYTHONPATH": str(args.old.resolve())},
        ),
    }
    compile_bytecode(ROOT / "icmap", args.old / "icmap")
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, (command, extra) in commands.items():
            start = time.perf_counter()
            subprocess.run(
                command, stdout=subprocess.DEVNULL, env={**os.environ, **extra}, check=True
            )
            times[name].append(time.perf_counter() - start)
    print_machine()
    print(f"\n{args.roles:,} roles, {args.runs} interleaved rounds:\n")
    base = times["event pass"]
    rows = [
        (
            name,
            f"{min(t):.2f}",
            f"{statistics.median(t):.2f}",
            f"{min(t) / min(base):.2f}",
            f"{paired_ratio(t, base):.2f}",
        )
        for name, t in times.items()
    ]
    print(table(["command", "best s", "median s", "best ÷ event", "paired ÷ event"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

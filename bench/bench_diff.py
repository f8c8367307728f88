"""Diff benchmark: `icmap diff` of two 10,000-role orgs against one `icmap analyze`.

    python bench/bench_diff.py [--runs 3] [--roles 10000]

Target (issue 11): the diff of two orgs of 10,000 roles takes at most 2.5x one analyze of
one of them, whole process against whole process. The second org is the first with every
twentieth lead time changed (a realistic pull request touches some units, not all).
"""

from __future__ import annotations

import argparse
import re

from benchlib import OUT, generated_org, print_machine, table, time_commands, tool

TARGET = 2.5


def changed_copy(roles: int) -> tuple[str, str]:
    """The generated org and a copy with every twentieth `lead_time:` made 1h longer."""
    old = generated_org(roles)
    new = OUT / f"{old.stem}-changed.yaml"
    count = 0

    def bump(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f"{match.group(0)} 1h" if count % 20 == 0 else match.group(0)

    text = re.sub(r"(?m)^(\s+lead_time: \d[^\n{]*)$", bump, old.read_text(encoding="utf-8"))
    new.write_text(text, encoding="utf-8")
    return str(old), str(new)


def main(argv: list[str] | None = None) -> int:
    """Time both commands, interleaved, and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per command (best is kept)")
    parser.add_argument("--roles", type=int, default=10_000, help="roles in each org")
    args = parser.parse_args(argv)
    print_machine()
    old, new = changed_copy(args.roles)
    timings = time_commands(
        {
            "analyze": [tool("icmap"), "analyze", new, "-f", "json"],
            "diff": [tool("icmap"), "diff", old, new, "-f", "json"],
        },
        args.runs,
    )
    analyze, diff = timings["analyze"], timings["diff"]
    assert analyze is not None and diff is not None
    rows = [
        ("icmap analyze NEW -f json", f"{analyze.best:.2f}", f"{analyze.peak_mb:.0f}", "1.00"),
        (
            "icmap diff OLD NEW -f json",
            f"{diff.best:.2f}",
            f"{diff.peak_mb:.0f}",
            f"{diff.best / analyze.best:.2f}",
        ),
    ]
    print(table(("command", "best s", "peak MB", "x analyze"), rows))
    print(f"target: diff <= {TARGET}x analyze")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

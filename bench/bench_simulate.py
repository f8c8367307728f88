"""Simulation benchmark: `icmap simulate` at 1,000, 10,000 and 100,000 runs, and the policy gate.

    python bench/bench_simulate.py [--roles 10000] [--runs-list 1000,10000,100000] [--repeat 1]

A generated org (bench/generate.py --three-point 1: every role has a three-point lead time,
so every unit is drawn in every run) is simulated as a whole command
(`icmap simulate ORG -f json --runs N`, output discarded), with its peak memory.
Then `icmap check --policy P ORG`, P every rule but min_on_time_probability, against
`icmap analyze -f json ORG` on the same org, runs interleaved.
Targets (issue 11): 10,000 runs of a 10,000-unit org within 15 s and 2 GB; check with a
policy costs no more than analyze.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

from benchlib import generated_org, print_machine, table, time_commands, tool

TARGET_SECONDS = 15.0
TARGET_MB = 2048.0
POLICY = """\
policy:
  max_critical_path: 100d
  deadlines_met: true
  max_utilization: 0.95
  max_breach_ratio: 2.0
  require_standard: true
  orphans: forbidden
  single_points_of_failure: allowed
  min_satisfaction: 2
  min_complete_accurate: 70%
"""


def timed(argv: list[str]) -> tuple[float, float, float]:
    """One run of a command, output discarded: (wall s, CPU s (user + system), peak MB).

    CPU time is printed beside the wall time because a shared VM under load stretches the
    wall time of the same work several-fold; the CPU time stays close to what an idle
    machine would take.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"`{' '.join(argv)}` failed")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def main() -> int:
    """Print the machine, then the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=10_000)
    parser.add_argument("--runs-list", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs of each command")
    args = parser.parse_args()
    icmap = tool("icmap")
    print_machine()
    org = generated_org(args.roles, three_point=1)
    rows = []
    load = os.getloadavg()[0]
    for runs in (int(n) for n in args.runs_list.split(",")):
        argv = [icmap, "simulate", str(org), "-f", "json", "--runs", str(runs)]
        wall, cpu, peak = min(timed(argv) for _ in range(args.repeat))
        verdict = ""
        if runs == 10_000 and args.roles == 10_000:
            verdict = "met" if wall <= TARGET_SECONDS and peak <= TARGET_MB else "NOT met"
        rows.append((f"{runs:,}", f"{wall:.2f}", f"{cpu:.2f}", f"{peak:.0f}", verdict))
    print(
        f"\n`icmap simulate` on {args.roles:,} roles, every lead time three-point "
        f"(load average {load:.1f} at the start)\n"
    )
    print(table(("runs", "wall s", "CPU s", "peak MB", "target 15 s / 2 GB"), rows))

    with tempfile.TemporaryDirectory() as folder:
        policy = Path(folder) / "policy.yaml"
        policy.write_text(POLICY, encoding="utf-8")
        plain = generated_org(args.roles)
        timings = time_commands(
            {
                "icmap analyze -f json": [icmap, "analyze", "-f", "json", str(plain)],
                "icmap check --policy": [
                    icmap,
                    "check",
                    "-f",
                    "parsable",
                    "--policy",
                    str(policy),
                    str(plain),
                ],
                "icmap check": [icmap, "check", "-f", "parsable", str(plain)],
            },
            max(args.repeat, 3),
            ok=(0, 1),
        )
    rows = [
        (name, f"{t.best:.2f}", f"{t.peak_mb:.0f}") for name, t in timings.items() if t is not None
    ]
    print(f"\nthe policy gate on {args.roles:,} roles (best of {max(args.repeat, 3)})\n")
    print(table(("command", "best s", "peak MB"), rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

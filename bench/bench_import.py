"""`icmap import tickets` and `icmap import events` on 1,000,000-row logs vs a pandas script.

    python bench/bench_import.py [--rows 1000000] [--runs 3] [--xes-mb 0]

Targets (issue 10): each import ≤ 10 s whole process on the 2-core machine, ≥ 3× faster than
bench/baseline_pandas_import.py computing the same figures (their outputs are compared byte
for byte first), peak memory ≤ 2 GB. Logs come from bench/import_data.py (fixed seeds),
cached in bench/out/. Also times the tickets import in working time (09:00-17:00, Berlin).

With --xes-mb N it also writes XES logs of about N/4 and N MB to /tmp (never the repository)
and prints the peak memory of `icmap import events` on each: streaming means the two
figures stay close although the file is four times larger.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from benchlib import OUT, print_machine, run_once, table, time_commands, tool

HERE = Path(__file__).resolve().parent
TARGET_SECONDS = 10.0
TARGET_RATIO = 3.0
TARGET_MB = 2048.0
BYTES_PER_XES_EVENT = 247  # of bench/import_data.py's XES, measured


def generate(what: str, rows: int, path: Path) -> Path:
    """The generated log (or org), made once and cached."""
    if not path.exists():
        args = [what, str(path)] if what == "org" else [what, str(rows), str(path)]
        subprocess.run([sys.executable, str(HERE / "import_data.py"), *args], check=True)
    return path


def working_org(org: Path) -> Path:
    """The benchmark org with a working-time calendar."""
    path = OUT / "import-org-working.yaml"
    text = org.read_text(encoding="utf-8").replace(
        "settings:\n", 'settings:\n  working_hours: "09:00-17:00"\n  timezone: Europe/Berlin\n', 1
    )
    path.write_text(text, encoding="utf-8")
    return path


def agree(what: str, log: Path, org: Path) -> int:
    """Check that icmap and the baseline write the same fragment; the number of pairs."""
    icmap = subprocess.run(
        [tool("icmap"), "import", what, str(log), "--org", str(org)],
        capture_output=True,
        text=True,
        check=True,
    )
    baseline = subprocess.run(
        [sys.executable, str(HERE / "baseline_pandas_import.py"), what, str(log), str(org)],
        capture_output=True,
        text=True,
        check=True,
    )
    if icmap.stdout != baseline.stdout:
        raise SystemExit(f"bench: icmap and the pandas baseline disagree on {log}")
    return icmap.stdout.count("  - supplier:")


def xes_memory(megabytes: int, org: Path) -> list[list[str]]:
    """Peak memory of `icmap import events` on XES logs of about megabytes/4 and megabytes."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="icmap-bench-xes-") as folder:
        for size in (megabytes // 4, megabytes):
            path = Path(folder) / f"events-{size}mb.xes"
            events = size * 1024 * 1024 // BYTES_PER_XES_EVENT
            subprocess.run(
                [sys.executable, str(HERE / "import_data.py"), "events", str(events), str(path)],
                check=True,
            )
            real_mb = path.stat().st_size / 1024 / 1024
            wall, peak, code, stderr = run_once(
                [tool("icmap"), "import", "events", str(path), "--org", str(org)]
            )
            if code != 0:
                raise SystemExit(f"bench: import of {path} exited {code}: {stderr[-400:]}")
            rows.append([f"{real_mb:,.0f} MB", f"{events:,}", f"{wall:.1f}", f"{peak:.0f}"])
            path.unlink()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--xes-mb", type=int, default=0, help="also measure XES memory")
    parser.add_argument("--only", choices=("tickets", "events"), help="time one importer")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    org = generate("org", 0, OUT / "import-org.yaml")
    logs = {
        what: generate(what, args.rows, OUT / f"{what}-{args.rows}.csv")
        for what in ("tickets", "events")
        if args.only in (None, what)
    }
    print_machine()
    for what, log in logs.items():
        pairs = agree(what, log, org)
        print(f"{what}: {args.rows:,} rows, {pairs} pairs written; icmap and pandas agree")
    print()
    icmap, python = tool("icmap"), sys.executable
    baseline = str(HERE / "baseline_pandas_import.py")
    commands = {}
    for what, log in logs.items():
        commands[f"icmap import {what}"] = [icmap, "import", what, str(log), "--org", str(org)]
        commands[f"pandas {what}"] = [python, baseline, what, str(log), str(org)]
    if "tickets" in logs:
        commands["icmap import tickets (working time)"] = [
            icmap, "import", "tickets", str(logs["tickets"]), "--org", str(working_org(org)),
        ]  # fmt: skip
    timings = time_commands(commands, args.runs)
    rows = []
    for name, timing in timings.items():
        if timing is None:
            continue
        what = name.split()[2] if name.startswith("icmap") else name.split()[1]
        against = timings.get(f"pandas {what}")
        ratio = (
            f"{against.best / timing.best:.2f}×"
            if name.startswith("icmap") and against is not None
            else ""
        )
        rows.append(
            [name, f"{timing.best:.2f}", f"{timing.median:.2f}", f"{timing.peak_mb:.0f}", ratio]
        )
    print(table(["command", "best s", "median s", "peak MB", "faster than pandas"], rows))
    print(f"\ntargets: ≤ {TARGET_SECONDS:g} s, ≥ {TARGET_RATIO:g}× pandas, ≤ {TARGET_MB:,.0f} MB")
    if args.xes_mb:
        print()
        print(table(["XES log", "events", "wall s", "peak MB"], xes_memory(args.xes_mb, org)))


if __name__ == "__main__":
    main()

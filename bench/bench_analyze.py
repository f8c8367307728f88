"""Scale benchmark: `icmap analyze` and `icmap check` on generated orgs vs the bare C event pass.

    python bench/bench_analyze.py [--sizes 10000,100000] [--runs 3] [--no-stages]

For each size, a generated org (bench/generate.py, cached in bench/out/) is timed as whole
commands, best of N runs, with each command's peak memory:
(a) the bare libyaml event pass: `python -c "import yaml,sys; [None for _ in yaml.parse(...)]"`,
(b) `icmap analyze --format json FILE > /dev/null`, (c) `icmap check FILE`.
Then each stage is timed in-process through the API, in a fresh interpreter per run.
Targets: (b) within 3× of (a) at 10,000 and 100,000 roles; peak memory of (b) at
100,000 roles at most 600 MB. The ratio judged is the median over rounds of (b) ÷ (a) in
the same round ("paired"); best ÷ best is shown beside it (see benchlib.Timing.paired for
why it reads a drifting machine worse). icmap's bytecode is written first, as installing
does (a machine with PYTHONDONTWRITEBYTECODE set would compile it at every start). Above 100,000 roles (`--sizes 1000000 --runs 1 --no-stages`,
about five minutes) there is no target: the figures show how time and memory grow.

`--instructions` counts, instead of timing, the instructions each whole command executes
(valgrind's callgrind; about 1.5 minutes at 10,000 roles, 16 at 100,000): the same count
whatever the machine's neighbours do, so the ratio is exact, but blind to what memory
costs (cache misses, page faults), which the wall-time ratio includes.

`--compiled` times (d), the same command run from a copy of icmap whose hot modules are
compiled with mypyc (bench/compiled.py: about a minute to build, then cached), after
checking that it writes the same bytes as (b): what compiled code would give, measured
beside the pure-Python command that users install.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import compiled
from benchlib import (
    ROOT,
    compile_bytecode,
    count_instructions,
    generated_org,
    org_files,
    print_machine,
    table,
    time_commands,
    tool,
)

TARGET_RATIO = 3.0
TARGET_MB = 600.0  # at TARGET_MB_ROLES
TARGET_MB_ROLES = 100_000
EVENT_PASS = (
    "import yaml,sys; [None for f in sys.argv[1:] "
    "for _ in yaml.parse(open(f), Loader=yaml.CSafeLoader)]"
)
#: Above this many roles an org is generated over several included files (icmap reads no
#: file over 64 MiB), one per this many roles.
ROLES_PER_FILE = 100_000


#: The names of the commands that the targets compare, as the tables show them.
EVENT = "(a) C event pass"
ANALYZE = "(b) icmap analyze --format json"
COMPILED = "(d) (b) compiled with mypyc"


def org_of(roles: int) -> Path:
    """The generated org of `roles` roles (cached), in included files above ROLES_PER_FILE."""
    return generated_org(roles, parts=roles // ROLES_PER_FILE if roles > ROLES_PER_FILE else 0)


def commands(path: Path, built: Path | None = None) -> dict[str, list[str]]:
    """The whole commands timed, by the name shown in the table; with (d) when `built`
    holds a compiled copy of icmap (compiled.build)."""
    icmap = tool("icmap")
    found = {
        EVENT: [sys.executable, "-c", EVENT_PASS, *map(str, org_files(path))],
        ANALYZE: [icmap, "analyze", "--format", "json", str(path)],
        "(c) icmap check": [icmap, "check", str(path)],
    }
    if built is not None:
        found[COMPILED] = compiled.command(built, "analyze", "--format", "json", str(path))
    return found


def same_report(path: Path, built: Path) -> bool:
    """True when the compiled copy writes the very bytes of the installed icmap's report."""
    argvs = commands(path, built)
    pure, fast = (_output_digest(argvs[name]) for name in (ANALYZE, COMPILED))
    return pure == fast and pure is not None


def _output_digest(argv: list[str]) -> str | None:
    """The SHA-256 of a command's output (None if it writes nothing), read in chunks: a
    child's peak memory counts its parent's, and a report held whole would inflate it."""
    digest, written = hashlib.sha256(), False
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as proc:
        assert proc.stdout is not None
        while chunk := proc.stdout.read(1 << 20):
            digest.update(chunk)
            written = True
    return digest.hexdigest() if written else None


def stages(path: str) -> dict[str, float | None]:
    """Seconds per stage of the pipeline, in this process (None: not available yet).

    The cyclic garbage collector is off, as in the CLI (icmap.cli.main), so the stages add
    up to what the command spends.
    """
    import gc

    import yaml

    from icmap import yamlsource
    from icmap.graph import build_graph
    from icmap.loader import load_org
    from icmap.validate import validate

    gc.disable()
    found: dict[str, float | None] = {}

    def timed(name: str, work: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        try:
            result = work()
        except Exception as exc:  # a stage not built yet, or broken mid-edit: say so, go on
            print(f"{name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            found[name] = None
            return None
        found[name] = time.perf_counter() - start
        return result

    text = Path(path).read_text(encoding="utf-8")
    timed(
        "parse events (libyaml)", lambda: sum(1 for _ in yaml.parse(text, Loader=yaml.CSafeLoader))
    )
    timed("compose nodes (yamlsource)", lambda: yamlsource.parse(text))
    loaded = timed("load_org (read+compose+model)", lambda: load_org(path))
    graph = timed("build_graph", lambda: build_graph(loaded.org))
    timed("validate", lambda: validate(graph))
    analysis = timed("analyze", lambda: _analyze(loaded.org))
    timed("json writer", lambda: _write_json(analysis) if analysis is not None else _missing())
    return found


def _analyze(org: Any) -> Any:
    from icmap.api import analyze

    return analyze(org)


def _write_json(analysis: Any) -> str:
    from icmap.report.analysis import write_report

    text: str = write_report(analysis, "json")
    return text


def _missing() -> None:
    raise NotImplementedError


def stage_times(path: Path, runs: int, built: Path | None = None) -> dict[str, float | None]:
    """Best time per stage over `runs` fresh interpreters (of the compiled copy in `built`,
    when given: it comes first on the child's path)."""
    best: dict[str, float | None] = {}
    env = None if built is None else dict(os.environ, PYTHONPATH=str(built))
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "--stages", str(path)],
            stdout=subprocess.PIPE,
            text=True,
            check=True,
            env=env,
        ).stdout
        for name, seconds in json.loads(out).items():
            previous = best.get(name)
            if seconds is None:
                best[name] = None
            elif previous is None or seconds < previous:
                best[name] = seconds
    return best


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def bench_size(
    roles: int, runs: int, with_stages: bool = True, built: Path | None = None
) -> list[str]:
    """Time one size, print its tables (the stages too unless not `with_stages`); return
    the target verdicts. With a compiled copy in `built`, it is timed too (once it is
    shown to write the same report)."""
    path = org_of(roles)
    files = org_files(path)
    size = sum(f.stat().st_size for f in files) / 1e6
    shown = path.name if len(files) == 1 else f"{path.name} and {len(files) - 1} included files"
    print(f"## {roles:,} roles: {shown} ({size:.1f} MB)\n")
    if built is not None and not same_report(path, built):
        print("(d) not timed: the compiled copy's report differs from (b)'s\n")
        built = None
    timings = time_commands(commands(path, built), runs, ok=(0, 1))
    base = timings[EVENT]
    rows = []
    for name, t in timings.items():
        if t is None:
            rows.append((name, "n/a", "n/a", "n/a", "n/a", "n/a"))
            continue
        best = f"{t.best / base.best:.2f}" if base is not None else "n/a"
        paired = f"{t.paired(base):.2f}" if base is not None else "n/a"
        rows.append((name, f"{t.best:.2f}", f"{t.median:.2f}", f"{t.peak_mb:,.0f}", best, paired))
    print(f"whole commands, best and median of {runs} interleaved runs:\n")
    print(table(["command", "best s", "median s", "peak MB", "best ÷ (a)", "paired ÷ (a)"], rows))
    print()
    if with_stages:
        found = stage_times(path, runs)
        columns = {"seconds": found}
        if built is not None:
            columns["compiled s"] = stage_times(path, runs, built)
        print(f"in-process stages (GC off, as in the CLI), best of {runs} fresh interpreters:\n")
        print(
            table(
                ["stage", *columns],
                [(name, *(_seconds(c.get(name)) for c in columns.values())) for name in found],
            )
        )
        print()
    verdicts = []
    analyze = timings[ANALYZE]
    if analyze is not None and base is not None:
        ratio = analyze.paired(base)
        memory = f"peak {analyze.peak_mb:,.0f} MB"
        if roles == TARGET_MB_ROLES:
            met = "meets" if analyze.peak_mb <= TARGET_MB else "MISSES"
            memory += f" ({met} ≤ {TARGET_MB:,.0f} MB)"
        if roles > TARGET_MB_ROLES:
            verdicts.append(
                f"{roles:,} roles: analyze ÷ event pass = {ratio:.2f} (paired); {memory}"
            )
        else:
            met = "meets" if ratio <= TARGET_RATIO else "MISSES"
            verdicts.append(
                f"{roles:,} roles: analyze ÷ event pass = {ratio:.2f} paired, "
                f"{analyze.best / base.best:.2f} best ÷ best ({met} ≤ {TARGET_RATIO:g}×); {memory}"
            )
    else:
        verdicts.append(f"{roles:,} roles: analyze not timed")
    fast = timings.get(COMPILED)
    if fast is not None and base is not None:
        verdicts.append(
            f"{roles:,} roles: compiled analyze ÷ event pass = {fast.paired(base):.2f} paired, "
            f"{fast.best / base.best:.2f} best ÷ best (not the installed icmap)"
        )
    return verdicts


def count_size(roles: int) -> str:
    """Count the instructions of each whole command at one size, print their table; return
    the verdict."""
    path = org_of(roles)
    print(f"## {roles:,} roles: instructions (callgrind), one run each\n")
    counted = {name: count_instructions(argv, ok=(0, 1)) for name, argv in commands(path).items()}
    base = counted[EVENT]
    rows = [(name, f"{n / 1e9:.2f}", f"{n / base:.2f}") for name, n in counted.items()]
    print(table(["command", "instructions (G)", "÷ (a)"], rows))
    print()
    ratio = counted[ANALYZE] / base
    met = "meets" if ratio <= TARGET_RATIO else "MISSES"
    return (
        f"{roles:,} roles: analyze ÷ event pass = {ratio:.2f} by instructions "
        f"({met} ≤ {TARGET_RATIO:g}×)"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark for every size and print the verdicts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="10000,100000",
        help="comma-separated role counts (default: 10000,100000)",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per command (best is kept)")
    parser.add_argument(
        "--no-stages", action="store_true", help="time the whole commands only (large sizes)"
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions with valgrind's callgrind instead of timing (slow)",
    )
    parser.add_argument(
        "--compiled",
        action="store_true",
        help="also time analyze compiled with mypyc (needs a C compiler; builds once)",
    )
    parser.add_argument("--stages", metavar="FILE", help=argparse.SUPPRESS)  # child mode
    args = parser.parse_args(argv)
    if args.stages:
        print(json.dumps(stages(args.stages)))
        return 0
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if args.instructions and shutil.which("valgrind") is None:
        print("--instructions needs valgrind (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    built = None
    if args.compiled and args.instructions:
        print("--compiled times the compiled copy; it is not counted", file=sys.stderr)
        return 2
    if args.compiled:
        try:
            built = compiled.build()
        except compiled.CannotCompile as exc:
            print(f"--compiled: {exc}", file=sys.stderr)
            return 2
        expected = set(map(compiled.module_name, compiled.HOT_MODULES))
        lacking = expected - set(compiled.compiled_modules(built))
        if lacking:
            print(f"--compiled: not imported compiled: {sorted(lacking)}", file=sys.stderr)
            return 2
    # The compiled copy's Python modules too (the CLI, the model...), or they would be
    # compiled from source at each of its starts.
    compile_bytecode(ROOT / "icmap", *([] if built is None else [built / "icmap"]))
    print_machine()
    verdicts = []
    for roles in sizes:
        if args.instructions:
            verdicts.append(count_size(roles))
        else:
            verdicts.extend(bench_size(roles, args.runs, not args.no_stages, built))
    print("\n".join(verdicts))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What every benchmark script shares: timing whole commands, the machine, tables, test orgs.

Whole commands are timed from spawn to exit (interpreter start-up included, as a user waits
for it), best of N runs; peak memory is the child's own `ru_maxrss` from `os.wait4`.
"""

from __future__ import annotations

import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"  # cached generated orgs (git-ignored)


def tool(name: str) -> str:
    """The path of a console script of this environment (`icmap`, `yamllint`)."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"bench: {name} is not installed in this environment")
    return found


@dataclass(frozen=True, slots=True)
class Timing:
    """Wall times of repeated runs of one command (seconds), its peak memory and exit code."""

    times: tuple[float, ...]
    peak_mb: float
    returncode: int

    @property
    def best(self) -> float:
        """The fastest run: the least disturbed by other work on the machine."""
        return min(self.times)

    @property
    def median(self) -> float:
        """The median run."""
        return statistics.median(self.times)

    def paired(self, base: Timing) -> float:
        """The median over runs of this run's time ÷ `base`'s run of the same round.

        Runs of one round follow each other within seconds, so a machine whose speed
        drifts (a shared VM: ±20-40% between minutes) slows both alike and their ratio
        keeps; best ÷ best instead sets the luckiest run of a short command against that
        of a long one, which a short command is likelier to have (its runs vary more).
        """
        return paired_ratio(self.times, base.times)


def paired_ratio(times: Sequence[float], base: Sequence[float]) -> float:
    """The median of times[i] ÷ base[i] (runs of the same round)."""
    return statistics.median(t / b for t, b in zip(times, base, strict=True))


def compile_bytecode(*folders: Path) -> None:
    """Write the bytecode cache of the Python files under `folders`, as installing does.

    A machine that sets PYTHONDONTWRITEBYTECODE would otherwise compile icmap's modules
    from source at every start, which no installed copy does."""
    import compileall

    for folder in folders:
        compileall.compile_dir(str(folder), quiet=1)


class CommandFailed(Exception):
    """A timed or counted command exited with an unexpected code; the message ends with
    its stderr."""


def failure(argv: Sequence[str], code: int, stderr: str) -> str:
    """What to say of a command that exited with an unexpected `code`: the command, the
    code and the last two lines of its stderr."""
    tail = " ".join(stderr.strip().splitlines()[-2:])
    return f"`{' '.join(argv)}` exited with {code}: {tail}"


def run_once(argv: Sequence[str]) -> tuple[float, float, int, str]:
    """Run a command once, output discarded: (wall s, peak resident MB, exit code, stderr)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    # ru_maxrss is in KiB on Linux
    return wall, usage.ru_maxrss / 1024.0, proc.returncode, stderr


def time_command(argv: Sequence[str], runs: int, ok: Sequence[int] = (0,)) -> Timing:
    """Time `runs` runs of a command; CommandFailed if it exits with a code not in `ok`."""
    times = []
    peak = 0.0
    code = 0
    for _ in range(runs):
        wall, rss, code, stderr = run_once(argv)
        if code not in ok:
            raise CommandFailed(failure(argv, code, stderr))
        times.append(wall)
        peak = max(peak, rss)
    return Timing(tuple(times), peak, code)


def time_commands(
    commands: Mapping[str, Sequence[str]], runs: int, ok: Sequence[int] = (0,)
) -> dict[str, Timing | None]:
    """Time several commands with their runs interleaved (a, b, c, a, b, c, ...), so a
    burst of other work on the machine slows them alike. None (and a note on stderr) for a
    command that exits with a code not in `ok`; it is not run again."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks = dict.fromkeys(commands, 0.0)
    codes = dict.fromkeys(commands, 0)
    failed: set[str] = set()
    for _ in range(runs):
        for name, argv in commands.items():
            if name in failed:
                continue
            wall, rss, code, stderr = run_once(argv)
            if code not in ok:
                print(f"not timed: {failure(argv, code, stderr)}", file=sys.stderr)
                failed.add(name)
                continue
            times[name].append(wall)
            peaks[name] = max(peaks[name], rss)
            codes[name] = code
    return {
        name: None if name in failed else Timing(tuple(times[name]), peaks[name], codes[name])
        for name in commands
    }


#: The line of callgrind's summary that gives the count: "==1234== Collected : 8431234567".
_COLLECTED = re.compile(r"^==\d+== Collected : (\d+)$", re.MULTILINE)


def collected_instructions(stderr: str) -> int:
    """The instruction count in callgrind's summary of a run (ValueError if none)."""
    found = _COLLECTED.findall(stderr)
    if not found:
        raise ValueError("no 'Collected :' line: not a callgrind run")
    return int(found[-1])


def count_instructions(argv: Sequence[str], ok: Sequence[int] = (0,)) -> int:
    """Instructions one run of a command executes, counted by valgrind's callgrind.

    Unlike wall time this is the same for the same programs, input and environment
    whatever else the machine is doing, so two commands compare exactly; it does not see
    what memory costs (cache misses, page faults). CommandFailed if the command exits with
    a code not in `ok`; FileNotFoundError without valgrind."""
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        check=False,
    )
    if proc.returncode not in ok:
        raise CommandFailed(failure(argv, proc.returncode, proc.stderr))
    return collected_instructions(proc.stderr)


def machine() -> dict[str, str]:
    """What the figures were measured on: CPU, cores, RAM, Python, OS, libyaml, commit, date."""
    import yaml

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "icmap"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "date": datetime.date.today().isoformat(),
        "commit": commit + (" (icmap/ has uncommitted changes)" if dirty else ""),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": ram,
        "python": platform.python_version(),
        "os": platform.platform(),
        "libyaml": "yes" if getattr(yaml, "__with_libyaml__", False) else "no",
    }


def print_machine() -> None:
    """Print the machine block that heads every benchmark's output."""
    for key, value in machine().items():
        print(f"{key + ':':9} {value}")
    print()


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table (pastes straight into docs/benchmarks.md), numbers right-aligned."""
    cells = [[str(c) for c in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [
        any(_is_number(row[i]) for row in cells[1:])
        and all(_is_number(row[i]) or row[i] == "n/a" for row in cells[1:])
        for i in range(len(headers))
    ]

    def line(row: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if n else c.ljust(w) for c, w, n in zip(row, widths, numeric, strict=True)
        ]
        return "| " + " | ".join(parts) + " |"

    rule = (
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if n else ("-" * (w + 2))
            for w, n in zip(widths, numeric, strict=True)
        )
        + "|"
    )
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def _is_number(text: str) -> bool:
    cleaned = text.replace(",", "").replace("×", "").replace("x", "").strip()
    try:
        float(cleaned)
    except ValueError:
        return False
    return True


def org_files(path: Path) -> list[Path]:
    """A generated org's files: its parts (see `generated_org`), then the file itself."""
    return [*sorted(path.parent.glob(f"{path.stem}.part-*.yaml")), path]


def generated_org(
    roles: int,
    seed: int = 1,
    departments: int = 50,
    three_point: float | None = None,
    parts: int = 0,
) -> Path:
    """A generated org of `roles` roles, cached in bench/out/ (rebuilt when the generator
    changes); `three_point`: the share of roles with a three-point lead time (generate.py's
    default when None); `parts`: its departments spread over that many included files
    (`org_files` lists them all)."""
    share = "" if three_point is None else f"-t{three_point:g}"
    split = f"-p{parts}" if parts else ""
    path = OUT / f"org-{roles}-d{departments}-s{seed}{share}{split}.yaml"
    generator = BENCH / "generate.py"
    if not path.exists() or path.stat().st_mtime < generator.stat().st_mtime:
        subprocess.run(
            [
                sys.executable,
                str(generator),
                "--roles",
                str(roles),
                "--departments",
                str(departments),
                "--seed",
                str(seed),
                *([] if three_point is None else ["--three-point", str(three_point)]),
                *(["--parts", str(parts)] if parts else []),
                "-o",
                str(path),
            ],
            check=True,
        )
    return path

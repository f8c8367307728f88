"""Shapes that stress the algorithms rather than the parser: whole commands on generated orgs.

    python bench/bench_shapes.py [--runs 3]

The scale benchmark (bench_analyze.py) uses one realistic shape: a wide value stream with
one external customer. These orgs push other costs to their limits:

- `chain`: 50,000 roles in one line, each depending on the one before (paths 50,000 long:
  anything recursive, or quadratic along a path, shows here);
- `customers`: 10,000 roles and 300 external customers that each depend on 5 roles (the
  critical path, float and dominators are per customer);
- `loops`: 10,000 pairs of roles that depend on each other (`icmap check` names each loop
  and points at the dependency that closes it);
- `base60-Nk`, `hex-NM`: one headcount that is a YAML 1.1 base-60 integer of N thousand
  parts, one capacity of N million hex digits (`icmap check` refuses both, ICM107, in time
  linear in the size).
- `chain-customers`: a chain of 2,000 roles with 2,000 external customers, the i-th served
  by the i-th role (2 million path entries in all: the json report is legitimately
  customers x path long, its memory must stay a small multiple of it, and the text report
  must stay capped).

`--render` times the chart instead, on shapes that were superlinear in `icmap render`, each at
growing sizes (the growth is what matters):

- `feedback-N`: a chain `head -> u0 -> ... -> u(N-1) -> customer` where every `u` also feeds
  the customer and `head` has N feedback dependencies on them (`render -f dot`);
- `long-name-N`: one role whose name is N MB of one word (`render -f dot`);
- `complete-N`: every one of N roles depends on every role before it (`render -o x.svg`,
  which refuses before Graphviz starts);
- `customers-N`: 50 roles and N external customers (`render -o x.svg`, the fast layout).

Each org is written to bench/out/ (git-ignored) and the same arguments always give the
same bytes. Output: a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from pathlib import Path

from benchlib import OUT, print_machine, table, time_commands, tool


def sexagesimal(parts: int) -> str:
    """A valid org whose one headcount is a YAML 1.1 base-60 integer of `parts` parts
    (`1:59:59:...`): PyYAML's own conversion is quadratic in them; icmap refuses past 173."""
    return (
        "icmap: 1\norganization: Base 60\nroles:\n  - id: a\n    lead_time: 1h\n"
        f"    headcount: 1{':59' * (parts - 1)}\nexternal_customers:\n  - id: x\n"
        "    depends_on: [a]\n"
    )


def huge_hex(digits: int) -> str:
    """A valid org whose one capacity is `0x` and `digits` hex digits (an internal error
    once: the number was quoted with repr(), over Python's 4,300-digit limit)."""
    return (
        "icmap: 1\norganization: Huge hex\nroles:\n  - id: a\n    lead_time: 1h\n"
        f"    capacity: 0x{'f' * digits}\nexternal_customers:\n  - id: x\n"
        "    depends_on: [a]\n"
    )


def chain(length: int = 50_000) -> str:
    """One role after another, the last one serving the external customer."""
    lines = ["icmap: 1", f"organization: Chain of {length:,}", "roles:"]
    for i in range(length):
        lines += [f"  - id: u{i:05d}", "    lead_time: 1h"]
        if i:
            lines.append(f"    depends_on: [u{i - 1:05d}]")
    lines += ["external_customers:", "  - id: x", f"    depends_on: [u{length - 1:05d}]"]
    return "\n".join(lines) + "\n"


def customers(roles: int = 10_000, count: int = 300, seed: int = 3) -> str:
    """Roles depending on 1-3 of the 200 roles before them; customers on 5 later roles."""
    pick = random.Random(seed)
    lines = ["icmap: 1", f"organization: {count} customers", "roles:"]
    for i in range(roles):
        lines += [f"  - id: u{i:05d}", "    lead_time: 1h"]
        if i > 10:
            suppliers = sorted({pick.randrange(max(0, i - 200), i) for _ in range(3)})
            lines.append("    depends_on: [" + ", ".join(f"u{s:05d}" for s in suppliers) + "]")
    lines.append("external_customers:")
    for c in range(count):
        served = sorted({pick.randrange(roles // 2, roles) for _ in range(5)})
        lines += [
            f"  - id: c{c:03d}",
            "    depends_on: [" + ", ".join(f"u{s:05d}" for s in served) + "]",
        ]
    return "\n".join(lines) + "\n"


def loops(pairs: int = 10_000) -> str:
    """Pairs of roles that depend on each other; the first pair also serves a customer."""
    lines = ["icmap: 1", f"organization: {pairs:,} loops", "roles:"]
    for i in range(pairs):
        a, b = f"a{i:05d}", f"b{i:05d}"
        lines += [f"  - id: {a}", "    lead_time: 1h", f"    depends_on: [{b}]"]
        lines += [f"  - id: {b}", "    lead_time: 1h", f"    depends_on: [{a}]"]
    lines += ["external_customers:", "  - id: x", "    depends_on: [a00000]"]
    return "\n".join(lines) + "\n"


def chain_customers(length: int = 2_000) -> str:
    """A chain of roles; external customer i depends on role i and has a deadline of 1,000 h
    (so the customers past the middle are late)."""
    lines = ["icmap: 1", f"organization: Chain of {length:,} with {length:,} customers", "roles:"]
    for i in range(length):
        lines += [f"  - id: u{i:05d}", "    lead_time: 1h"]
        if i:
            lines.append(f"    depends_on: [u{i - 1:05d}]")
    lines.append("external_customers:")
    for i in range(length):
        lines += [f"  - id: c{i:05d}", "    deadline: 1000h", f"    depends_on: [u{i:05d}]"]
    return "\n".join(lines) + "\n"


def feedback(count: int) -> str:
    """`head -> u0 -> ... -> u(count-1) -> x`, each u feeding x, head's feedback on each u."""
    lines = ["icmap: 1", f"organization: {count:,} feedback handoffs", "roles:"]
    lines += ["  - id: head", "    lead_time: 1h", "    depends_on:"]
    lines += [f"      - {{supplier: u{i:05d}, feedback: true}}" for i in range(count)]
    for i in range(count):
        lines += [f"  - id: u{i:05d}", "    lead_time: 1h"]
        lines.append(f"    depends_on: [{'head' if i == 0 else f'u{i - 1:05d}'}]")
    lines += ["external_customers:", "  - id: x", "    depends_on:"]
    lines += [f"      - u{i:05d}" for i in range(count)]
    return "\n".join(lines) + "\n"


def long_name(megabytes: float) -> str:
    """One role serving one customer, its name one word of `megabytes` MB."""
    word = "N" * int(megabytes * 1_000_000)
    return (
        f"icmap: 1\norganization: Long name\nroles:\n  - id: a\n    name: {word}\n"
        "    lead_time: 1h\nexternal_customers:\n  - id: x\n    depends_on: [a]\n"
    )


def complete(count: int) -> str:
    """`count` roles, each depending on every role before it: count*(count-1)/2 handoffs."""
    lines = ["icmap: 1", f"organization: Complete DAG of {count}", "roles:"]
    for i in range(count):
        lines += [f"  - id: u{i:04d}", "    lead_time: 1h"]
        if i:
            lines.append("    depends_on: [" + ", ".join(f"u{j:04d}" for j in range(i)) + "]")
    lines += ["external_customers:", "  - id: x", f"    depends_on: [u{count - 1:04d}]"]
    return "\n".join(lines) + "\n"


def many_customers(count: int, roles: int = 50) -> str:
    """A 50-role chain; external customer i depends on role i mod 50."""
    lines = ["icmap: 1", f"organization: {count:,} customers", "roles:"]
    for i in range(roles):
        lines += [f"  - id: u{i:02d}", "    lead_time: 1h"]
        if i:
            lines.append(f"    depends_on: [u{i - 1:02d}]")
    lines.append("external_customers:")
    for c in range(count):
        lines += [f"  - id: c{c:05d}", f"    depends_on: [u{c % roles:02d}]"]
    return "\n".join(lines) + "\n"


# name -> (the org's text, the render arguments after the org file)
RENDER_SHAPES: dict[str, tuple[Callable[[], str], tuple[str, ...]]] = {
    **{
        f"feedback-{n}": (lambda n=n: feedback(n), ("-f", "dot", "-o", "-"))
        for n in (2_000, 4_000, 8_000, 16_000)
    },
    **{
        f"long-name-{mb}": (lambda mb=mb: long_name(mb), ("-f", "dot", "-o", "-"))
        for mb in (1, 2, 4, 8)
    },
    **{f"complete-{n}": (lambda n=n: complete(n), ("-o", "SVG")) for n in (250, 500)},
    **{f"customers-{n}": (lambda n=n: many_customers(n), ("-o", "SVG")) for n in (500, 1_000)},
}

SHAPES: dict[str, tuple[Callable[[], str], tuple[str, ...]]] = {
    # name -> (the org's text, the commands to time: analyze needs a valid org)
    "chain": (chain, ("check", "analyze")),
    "customers": (customers, ("check", "analyze")),
    "loops": (loops, ("check",)),
    "chain-customers": (chain_customers, ("analyze", "analyze-text")),
}
# Hostile values at growing sizes (issue 13, cases 8 and 18): `check` must grow linearly.
SHAPES.update(
    {
        f"base60-{n // 1000}k": (lambda n=n: sexagesimal(n), ("check",))
        for n in (50_000, 100_000, 200_000, 400_000)
    }
)
SHAPES.update(
    {
        f"hex-{n // 1_000_000}M": (lambda n=n: huge_hex(n), ("check",))
        for n in (1_000_000, 2_000_000, 4_000_000, 8_000_000)
    }
)

#: The arguments of each timed command after the org file.
ARGUMENTS = {"check": ["check"], "analyze": ["analyze", "--format", "json"]}
ARGUMENTS["analyze-text"] = ["analyze", "--format", "text"]


def org_file(name: str) -> Path:
    """The shape's org file under bench/out/, written if missing."""
    path = OUT / f"shape-{name}.yaml"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        make = SHAPES[name][0] if name in SHAPES else RENDER_SHAPES[name][0]
        path.write_text(make(), encoding="utf-8")
    return path


def render_rows(icmap: str, runs: int) -> list[tuple[str, ...]]:
    """Time `icmap render` on every render shape: (shape, MB, command, best s, peak, exit)."""
    rows = []
    for name, (_, arguments) in RENDER_SHAPES.items():
        path = org_file(name)
        image = OUT / f"shape-{name}.svg"
        argv = [icmap, "render", str(path), *(str(image) if a == "SVG" else a for a in arguments)]
        # render exits 2 when it refuses a chart too big to lay out: that is measured too.
        timing = time_commands({name: argv}, runs, ok=(0, 2))[name]
        shown = "n/a" if timing is None else f"{timing.best:.2f}"
        peak = "n/a" if timing is None else f"{timing.peak_mb:,.0f}"
        code = "n/a" if timing is None else str(timing.returncode)
        command = "icmap render " + " ".join(a.replace("SVG", "x.svg") for a in arguments)
        size = f"{path.stat().st_size / 1e6:.1f}"
        rows.append((name, size, command.replace(" -o -", ""), shown, peak, code))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Time every shape and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per command (best is kept)")
    parser.add_argument("--render", action="store_true", help="time the render shapes instead")
    args = parser.parse_args(argv)
    icmap = tool("icmap")
    print_machine()
    if args.render:
        print(f"icmap render, best of {args.runs} runs:\n")
        rows = render_rows(icmap, args.runs)
        print(table(["shape", "MB", "command", "best s", "peak MB", "exit"], rows))
        return 0
    rows = []
    for name, (_, verbs) in SHAPES.items():
        path = org_file(name)
        argvs = {
            verb: [icmap, ARGUMENTS[verb][0], str(path), *ARGUMENTS[verb][1:]] for verb in verbs
        }
        # check exits 1 on the loops (they are errors) and on warnings-free orgs 0.
        timings = time_commands(argvs, args.runs, ok=(0, 1))
        for verb, timing in timings.items():
            shown = "n/a" if timing is None else f"{timing.best:.2f}"
            peak = "n/a" if timing is None else f"{timing.peak_mb:,.0f}"
            code = "n/a" if timing is None else str(timing.returncode)
            command = " ".join(ARGUMENTS[verb])
            rows.append(
                (name, f"{path.stat().st_size / 1e6:.1f}", f"icmap {command}", shown, peak, code)
            )
    print(f"whole commands, best of {args.runs} interleaved runs:\n")
    print(table(["shape", "MB", "command", "best s", "peak MB", "exit"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

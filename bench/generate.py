"""Generates large, realistic org files for benchmarks: n roles in departments, one customer.

    python bench/generate.py --roles 10000 [--departments 50] [--seed 1] [--three-point 1] -o FILE

Roles are numbered in flow order and split into contiguous blocks, one per department, and
into up to 100 steps of the value stream. Each role depends on 1-5 roles of LOWER steps (so
the dependencies form a DAG and no path is longer than 100 roles), mostly of the step just
below (work flows hop by hop through a department and on to the next) and sometimes of any
lower step (a shared service such as IT). Every dependency has standard/actual/volume, some also
complete_accurate, satisfaction, provides and kind; roles have lead times as duration
strings, a few three-point estimates (`--three-point`: the share of roles that have one,
0.05 by default; 1 gives every role one, for `icmap simulate`), process times, capacities and headcounts. A few
`feedback: true` dependencies point at LATER roles (information flowing back). The external
customer depends on the last few roles and on every role nobody else depends on (the front
line of the last step), so every role has a path to it (no orphans) and analysis figures mean something.

The file is written as it is generated (memory stays flat at any size) and is the same
bytes for the same arguments.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from icmap.model import format_duration

DEPARTMENTS = (
    "Sales", "Order Entry", "Credit Control", "Customer Service", "Call Center",
    "Purchasing", "Supplier Quality", "Receiving", "Warehouse", "Inventory Control",
    "Production Planning", "Machining", "Welding", "Painting", "Assembly",
    "Quality Control", "Maintenance", "Tooling", "Engineering", "Product Design",
    "Research", "Testing", "Packaging", "Shipping", "Transport",
    "Billing", "Accounts Payable", "Accounts Receivable", "Payroll", "Controlling",
    "Treasury", "Tax", "Legal", "Compliance", "Internal Audit",
    "Human Resources", "Recruiting", "Training", "Facilities", "Security",
    "IT Helpdesk", "IT Operations", "Software Development", "Data Management", "Reporting",
    "Marketing", "Product Management", "Field Service", "Returns", "Documentation",
)  # fmt: skip
TITLES = (
    "Clerk", "Coordinator", "Specialist", "Analyst", "Planner", "Technician",
    "Officer", "Engineer", "Lead", "Supervisor", "Assistant", "Manager",
)  # fmt: skip
PROVIDES = (
    "work order", "purchase order", "invoice", "parts", "approval", "schedule",
    "report", "inspection result", "shipment", "customer record", "drawing", "forecast",
)  # fmt: skip
KINDS = ("information", "product", "service", "approval")
# Lead and handoff times people actually write, in minutes (8-hour days).
LEAD_MINUTES = (30, 45, 60, 90, 120, 180, 240, 360, 480, 600, 720, 960, 1440, 2400)
HANDOFF_MINUTES = (15, 30, 60, 120, 240, 480, 960)

# Most roles have one or two suppliers, a few have up to five (mean 2.25).
SUPPLIER_COUNTS = (1, 2, 3, 4, 5)
SUPPLIER_WEIGHTS = (35, 30, 20, 10, 5)
# Roles work at one of up to LEVELS steps of the value stream (contiguous blocks in id
# order), and depend only on lower steps: no path is longer than LEVELS roles, as in a real
# org, however many roles there are.
LEVELS = 100
FAR_SUPPLIER = 0.12  # chance that a supplier is from any lower step (a shared service)
LAST_ROLES_TO_CUSTOMER = 5


def slug(text: str) -> str:
    """An id-friendly form of a name: `IT Helpdesk` -> `it-helpdesk`."""
    return text.lower().replace(" ", "-")


def department_of(index: int, roles: int, departments: int) -> int:
    """The department (0-based) that role `index` belongs to: contiguous, even blocks."""
    return index * departments // roles


def role_id(index: int, roles: int, departments: int) -> str:
    """The id of role `index`, prefixed with its department so ids read like real ones."""
    return (
        f"{slug(DEPARTMENTS[department_of(index, roles, departments) % len(DEPARTMENTS)])}-{index}"
    )


def duration(minutes: float) -> str:
    """Minutes as a duration string in the org format (`1d 2h 30m`)."""
    return format_duration(minutes / 60.0)


class _Generator:
    """The random choices of one org; `lines()` yields its YAML text piece by piece."""

    def __init__(self, roles: int, departments: int, seed: int, three_point: float) -> None:
        self.roles = roles
        self.three_point = three_point
        self.departments = max(1, min(departments, roles))
        self.levels = max(2, min(LEVELS, roles // 10)) if roles > 1 else 1
        self.rng = random.Random(seed)
        # Roles nobody depends on yet, oldest first: each role takes the oldest of a lower
        # step, so every role gets an internal customer, except some of the last step (the
        # front line), which serve the external customer.
        self.unserved: deque[int] = deque()
        self.served: set[int] = set()
        self.next_role = 0  # the first role of the next department to make
        feedback_count = max(1, roles // 1000) if roles > LAST_ROLES_TO_CUSTOMER * 2 else 0
        self.feedback_from = (
            set(self.rng.sample(range(roles - 10), feedback_count)) if feedback_count else set()
        )

    def ident(self, index: int) -> str:
        return role_id(index, self.roles, self.departments)

    def level(self, index: int) -> int:
        """The step of the value stream that role `index` works at (0 = raw suppliers)."""
        return index * self.levels // self.roles

    def first_of_level(self, level: int) -> int:
        """The index of the first role at `level`."""
        return -(-level * self.roles // self.levels)

    def suppliers(self, index: int) -> list[int]:
        """1-5 distinct roles of lower levels (none at level 0), mostly of the level below."""
        level = self.level(index)
        if level == 0:
            return []
        rng = self.rng
        low, high = self.first_of_level(level - 1), self.first_of_level(level)
        wanted = min(rng.choices(SUPPLIER_COUNTS, SUPPLIER_WEIGHTS)[0], high)
        chosen: list[int] = []
        while self.unserved and self.unserved[0] < high:
            oldest = self.unserved.popleft()
            if oldest not in self.served:
                chosen.append(oldest)
                break
        tries = 0
        while len(chosen) < wanted and tries < 20:
            tries += 1
            far = rng.random() < FAR_SUPPLIER
            pick = rng.randrange(0, high) if far else rng.randrange(low, high)
            if pick not in chosen:
                chosen.append(pick)
        self.served.update(chosen)
        return sorted(chosen)

    def dependency(self, supplier: int) -> list[str]:
        rng = self.rng
        standard = rng.choice(HANDOFF_MINUTES)
        # Most handoffs meet their standard; about one in four takes up to three times longer.
        factor = (
            rng.choice((0.5, 0.75, 1.0, 1.0)) if rng.random() < 0.75 else rng.choice((1.5, 2, 3))
        )
        out = [
            f"    - supplier: {self.ident(supplier)}\n",
            f"      standard: {duration(standard)}\n",
            f"      actual: {duration(standard * factor)}\n",
            f"      volume: {rng.randint(5, 60)}\n",
        ]
        if rng.random() < 0.2:
            out.append(f"      provides: {rng.choice(PROVIDES)}\n")
            out.append(f"      kind: {rng.choice(KINDS)}\n")
        if rng.random() < 0.25:
            out.append(f"      complete_accurate: {rng.randint(70, 100)}%\n")
        if rng.random() < 0.2:
            out.append(f"      satisfaction: {rng.randint(2, 10) / 2:g}\n")
        return out

    def role(self, index: int) -> str:
        rng = self.rng
        title = rng.choice(TITLES)
        out = [
            f"  - id: {self.ident(index)}\n",
            f"    name: {title} {index}\n",
        ]
        lead = rng.choice(LEAD_MINUTES)
        if rng.random() < self.three_point:
            optimistic, pessimistic = lead / 2, lead * 3
            out.append(
                f"    lead_time: {{optimistic: {duration(optimistic)}, likely: "
                f"{duration(lead)}, pessimistic: {duration(pessimistic)}}}\n"
            )
            process = optimistic * rng.choice((0.25, 0.5, 1.0))
        else:
            out.append(f"    lead_time: {duration(lead)}\n")
            process = lead * rng.choice((0.1, 0.25, 0.5, 0.75, 1.0))
        out.append(f"    process_time: {duration(round(process / 5) * 5 or 5)}\n")
        out.append(f"    capacity: {rng.choice((40, 60, 80, 120, 160, 240))}\n")
        if rng.random() < 0.5:
            out.append(f"    headcount: {rng.randint(1, 6)}\n")
        suppliers = self.suppliers(index)
        feedback = index in self.feedback_from
        if suppliers or feedback:
            out.append("    depends_on:\n")
            for supplier in suppliers:
                out.extend(self.dependency(supplier))
            if feedback:
                later = index + rng.randint(1, 10)
                out.append(f"    - supplier: {self.ident(later)}\n")
                out.append("      provides: feedback on rework\n")
                out.append("      kind: information\n")
                out.append("      feedback: true\n")
        self.unserved.append(index)
        return "".join(out)

    def header(self, with_departments: bool = True) -> str:
        return (
            "# Generated by bench/generate.py for benchmarks; not a real organization.\n"
            "icmap: 1\n"
            f"organization: Generated Org ({self.roles} roles)\n"
            "settings:\n"
            "  time_unit: hours\n"
            "  hours_per_day: 8\n"
            "  utilization_warning: 0.85\n"
        ) + ("departments:\n" if with_departments else "")

    def department(self, dept: int) -> Iterator[str]:
        """The lines of department `dept`; departments are made in order, 0 first."""
        name = DEPARTMENTS[dept % len(DEPARTMENTS)]
        suffix = f" {dept // len(DEPARTMENTS) + 1}" if dept >= len(DEPARTMENTS) else ""
        yield f"- id: {slug(name)}{slug(suffix)}\n  name: {name}{suffix}\n  roles:\n"
        index = self.next_role
        while index < self.roles and department_of(index, self.roles, self.departments) == dept:
            yield self.role(index)
            index += 1
        self.next_role = index

    def customers(self) -> Iterator[str]:
        """The external customer and its suppliers: after every role is made."""
        last = set(range(max(0, self.roles - LAST_ROLES_TO_CUSTOMER), self.roles))
        final = sorted(last | (set(range(self.roles)) - self.served))
        yield "external_customers:\n- id: customer\n  name: Customer\n  depends_on:\n"
        for supplier in final:
            yield f"  - {self.ident(supplier)}\n"

    def lines(self) -> Iterator[str]:
        yield self.header()
        for dept in range(self.departments):
            yield from self.department(dept)
        yield from self.customers()


def generate(
    out: TextIO, roles: int, departments: int = 50, seed: int = 1, three_point: float = 0.05
) -> None:
    """Write an org of `roles` roles in `departments` departments to `out`; `three_point`
    is the share of roles whose lead time is a three-point estimate."""
    if roles < 1:
        raise ValueError("an org needs at least one role")
    for piece in _Generator(roles, departments, seed, three_point).lines():
        out.write(piece)


def generate_parts(
    path: Path,
    parts: int,
    roles: int,
    departments: int = 50,
    seed: int = 1,
    three_point: float = 0.05,
) -> list[Path]:
    """The same org as `generate`, its departments spread over `parts` files beside `path`
    (`<stem>.part-01.yaml`, ...) that `path` includes: one file of a million roles would
    be over icmap's 64 MiB limit per file. Returns the files written, `path` last."""
    generator = _Generator(roles, departments, seed, three_point)
    departments = generator.departments
    if not 1 <= parts <= departments:
        raise ValueError("parts must be between 1 and the number of departments")
    written = []
    for part in range(parts):
        name = path.with_name(f"{path.stem}.part-{part + 1:02d}.yaml")
        with _atomic(name) as handle:
            handle.write("departments:\n")
            for dept in range(part * departments // parts, (part + 1) * departments // parts):
                for piece in generator.department(dept):
                    handle.write(piece)
        written.append(name)
    with _atomic(path) as handle:
        handle.write(generator.header(with_departments=False))
        handle.write("include:\n")
        handle.writelines(f"- {name.name}\n" for name in written)
        handle.writelines(generator.customers())
    return [*written, path]


@contextmanager
def _atomic(path: Path) -> Iterator[TextIO]:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", buffering=1 << 20) as handle:
        yield handle
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    """Command line: write the generated org to -o FILE (or stdout)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, required=True, help="number of roles")
    parser.add_argument("--departments", type=int, default=50, help="number of departments")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same file)")
    parser.add_argument(
        "--three-point",
        type=float,
        default=0.05,
        help="share of roles with a three-point lead time, 0-1 (default 0.05)",
    )
    parser.add_argument("-o", "--output", default="-", help="file to write (default: stdout)")
    parser.add_argument(
        "--parts",
        type=int,
        default=0,
        help="spread the departments over this many included files beside -o (for orgs "
        "over 64 MiB)",
    )
    args = parser.parse_args(argv)
    if args.roles < 1:
        parser.error("--roles must be at least 1")
    if not 0 <= args.three_point <= 1:
        parser.error("--three-point must be between 0 and 1")
    if args.parts and args.output == "-":
        parser.error("--parts needs -o FILE")
    if args.parts:
        if not 1 <= args.parts <= args.departments:
            parser.error("--parts must be between 1 and --departments")
        generate_parts(
            Path(args.output),
            args.parts,
            args.roles,
            args.departments,
            args.seed,
            args.three_point,
        )
        return 0
    if args.output == "-":
        generate(sys.stdout, args.roles, args.departments, args.seed, args.three_point)
        return 0
    with _atomic(Path(args.output)) as handle:
        generate(handle, args.roles, args.departments, args.seed, args.three_point)
    return 0


if __name__ == "__main__":
    sys.exit(main())

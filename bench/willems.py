"""Converts the Willems (2008) real-world supply chains into icmap org files.

    python bench/willems.py 38 -o /tmp/willems38.yaml
    python bench/willems.py --all -o DIR            # every chain, as DIR/willems-NN.yaml

The data set (S. P. Willems, "Data Set — Real-World Multi-Echelon Supply Chains Used for
Inventory Optimization", MSOM 10(1):19–23, 2008, doi:10.1287/msom.1070.0176) is read from
../shared/data/willems2008/ beside the repository (or --data DIR); it is never copied into
the repository. Mapping:

- a stage (`NN_SD.csv`) is a role; its `stageClassification` (Part, Manuf, Dist, Retail,
  Trans) is its department; `stageTime` (days) is its lead time. Time is calendar time:
  `time_unit: days`, `hours_per_day: 24`, `days_per_week: 7`.
- where the stage time is uncertain, the role gets a three-point estimate: optimistic and
  pessimistic are the smallest and largest discrete outcome (`stageTime_k`), or mean ∓ 3σ
  from `stdDev stageTime` (PERT's σ = (p − o) / 6) when only σ is given; `likely` is chosen
  so that the PERT expected value (o + 4m + p) / 6 equals `stageTime`. When no such `likely`
  lies between o and p, the plain stage time is kept, so every expected lead time equals the
  data's stage time and critical path lengths are the data's own.
- an arc `source,destination` (`NN_LL.csv`) is a dependency: the destination depends on the
  source (it is the source's internal customer).
- one external customer, `market`, depends on every stage with `avgDemand`; if no stage has
  demand, on every stage that supplies no other stage.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Where the data set lives: ../shared/data/willems2008 beside the repository.
DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "willems2008"
OUTCOMES = 6  # discrete stage-time outcomes per stage in the workbook
CITATION = (
    'S. P. Willems, "Data Set — Real-World Multi-Echelon Supply Chains Used for Inventory '
    'Optimization", MSOM 10(1):19–23, 2008, doi:10.1287/msom.1070.0176'
)


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage of a chain: its name, classification, stage time (days), estimate, demand."""

    name: str
    classification: str
    days: float
    estimate: tuple[float, float, float] | None  # (optimistic, likely, pessimistic) in days
    demand: bool


@dataclass(frozen=True, slots=True)
class Chain:
    """A whole supply chain: its number, its stages and its arcs (source, destination)."""

    number: str
    stages: tuple[Stage, ...]
    arcs: tuple[tuple[str, str], ...]

    def customer_suppliers(self) -> list[str]:
        """The stages the external customer depends on: those with demand, else the sinks."""
        demand = [s.name for s in self.stages if s.demand]
        if demand:
            return demand
        sources = {source for source, _ in self.arcs}
        return [s.name for s in self.stages if s.name not in sources]

    def longest_path(self) -> tuple[float, int]:
        """(days, stages) of a longest path to the market, straight from the data.

        An independent check of icmap's critical path length: EF(v) = max over the stage's
        suppliers of EF(u), plus its stage time; the answer is the largest EF among the
        stages the market depends on. Stages count the units on that path (ties: fewest).
        """
        days = {s.name: s.days for s in self.stages}
        suppliers: dict[str, list[str]] = {name: [] for name in days}
        users: dict[str, list[str]] = {name: [] for name in days}
        for source, destination in self.arcs:
            suppliers[destination].append(source)
            users[source].append(destination)
        finish: dict[str, tuple[float, int]] = {}
        ready = [name for name in days if not suppliers[name]]
        waiting = {name: len(suppliers[name]) for name in days}
        while ready:  # Kahn's algorithm: a stage is done once all its suppliers are
            name = ready.pop()
            best = max(
                (finish[u] for u in suppliers[name]),
                key=lambda f: (f[0], -f[1]),
                default=(0.0, 0),
            )
            finish[name] = (best[0] + days[name], best[1] + 1)
            for user in users[name]:
                waiting[user] -= 1
                if waiting[user] == 0:
                    ready.append(user)
        ends = [finish[name] for name in self.customer_suppliers() if name in finish]
        best = max(ends, key=lambda f: (f[0], -f[1]), default=(0.0, 0))
        return best


def chain_numbers(data: Path) -> list[str]:
    """Two-digit numbers of the chains present in `data`, sorted."""
    return sorted(p.name[:2] for p in data.glob("[0-9][0-9]_SD.csv"))


def _float(text: str | None) -> float | None:
    text = (text or "").strip()
    return float(text) if text else None


def estimate(days: float, row: dict[str, str]) -> tuple[float, float, float] | None:
    """A three-point estimate whose PERT expected value is `days`, or None (see module doc)."""
    outcomes = [_float(row.get(f"stageTime_{k}")) for k in range(1, OUTCOMES + 1)]
    values = [x for x in outcomes if x is not None]
    sigma = _float(row.get("stdDev stageTime"))
    if values:
        optimistic, pessimistic = min(values), max(values)
    elif sigma:
        optimistic, pessimistic = max(0.0, days - 3 * sigma), days + 3 * sigma
    else:
        return None
    likely = (6 * days - optimistic - pessimistic) / 4
    if optimistic >= pessimistic or not optimistic <= likely <= pessimistic:
        return None
    return (optimistic, likely, pessimistic)


def read_chain(number: str | int, data: Path = DEFAULT_DATA) -> Chain:
    """Read chain `number` (1-38) from the data set's CSV files."""
    nn = f"{int(number):02d}"
    stages = []
    with open(data / f"{nn}_SD.csv", newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            days = _float(row["stageTime"]) or 0.0
            stages.append(
                Stage(
                    name=row["Stage Name"].strip(),
                    classification=row["stageClassification"].strip() or "Unclassified",
                    days=days,
                    estimate=estimate(days, row),
                    demand=_float(row["avgDemand"]) is not None,
                )
            )
    with open(data / f"{nn}_LL.csv", newline="", encoding="utf-8-sig") as handle:
        arcs = tuple(
            (row["sourceStage"].strip(), row["destinationStage"].strip())
            for row in csv.DictReader(handle)
        )
    return Chain(nn, tuple(stages), arcs)


def _number(value: float) -> str:
    """A number as YAML text: whole numbers without `.0`, others to 6 decimals."""
    rounded = round(value, 6)
    return str(int(rounded)) if rounded == int(rounded) else repr(rounded)


def org_lines(chain: Chain) -> Iterator[str]:
    """The org file of a chain, line by line."""
    yield f"# Willems (2008) supply chain {chain.number}, converted by bench/willems.py.\n"
    yield f"# Source: {CITATION}.\n"
    yield "icmap: 1\n"
    yield f"organization: Willems 2008 chain {chain.number}\n"
    yield "settings:\n  time_unit: days\n  hours_per_day: 24\n  days_per_week: 7\n"
    yield "external_customers:\n- id: market\n  name: Market (external demand)\n  depends_on:\n"
    for name in chain.customer_suppliers():
        yield f"  - {name}\n"
    suppliers: dict[str, list[str]] = {}
    for source, destination in chain.arcs:
        suppliers.setdefault(destination, []).append(source)
    departments: dict[str, list[Stage]] = {}
    for stage in chain.stages:
        departments.setdefault(stage.classification, []).append(stage)
    yield "departments:\n"
    for classification in sorted(departments):
        yield f"- id: {classification.lower()}\n  name: {classification}\n  roles:\n"
        for stage in departments[classification]:
            yield f"  - id: {stage.name}\n"
            if stage.estimate is None:
                yield f"    lead_time: {_number(stage.days)}\n"
            else:
                o, m, p = (_number(x) for x in stage.estimate)
                yield f"    lead_time: {{optimistic: {o}, likely: {m}, pessimistic: {p}}}\n"
            if stage.name in suppliers:
                yield "    depends_on:\n"
                for source in suppliers[stage.name]:
                    yield f"    - {source}\n"


def convert(number: str | int, output: Path, data: Path = DEFAULT_DATA) -> Chain:
    """Write chain `number` as an org file at `output`; return the chain read."""
    chain = read_chain(number, data)
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "w", encoding="utf-8") as handle:
        handle.writelines(org_lines(chain))
    return chain


def main(argv: list[str] | None = None) -> int:
    """Command line: convert one chain to a file, or --all chains into a directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chain", nargs="?", help="chain number, 1-38")
    parser.add_argument("--all", action="store_true", help="convert every chain into -o DIR")
    parser.add_argument("-o", "--output", required=True, help="file (or directory with --all)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the data set's folder")
    args = parser.parse_args(argv)
    if args.all == (args.chain is not None):
        parser.error("give a chain number or --all (not both)")
    if not args.data.is_dir():
        parser.error(f"no data set at {args.data} (pass --data DIR)")
    numbers = chain_numbers(args.data) if args.all else [f"{int(args.chain):02d}"]
    for nn in numbers:
        path = Path(args.output) / f"willems-{nn}.yaml" if args.all else Path(args.output)
        try:
            chain = convert(nn, path, args.data)
        except FileNotFoundError as exc:
            parser.error(f"chain {nn}: {exc.strerror}: {exc.filename}")
        print(f"{path}: {len(chain.stages)} stages, {len(chain.arcs)} arcs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

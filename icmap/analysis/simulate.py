"""`simulate(org)`: Monte Carlo on the critical paths — finish-time percentiles, on-time
probability, and how often and how much each unit drives each external customer's finish.

Each run draws every uncertain duration (icmap.analysis.draws), then schedules the org
exactly as the deterministic CPM does, on the same `Network` (icmap.analysis.montecarlo
does the passes, a batch of runs at a time, so memory stays bounded at any number of runs).
Figures (docs/analysis.md, "Simulation"):

- per external customer: mean, P50, P80, P85, P95 of its finish (linear interpolation
  between the two nearest runs), the deterministic CPM length beside them, and with a
  deadline the share of runs that finish by it;
- per unit and external customer it has a path to: the criticality index (share of runs in
  which the unit lies on a longest path to the customer, every tied path counting), the
  cruciality (|Spearman ρ| between the unit's drawn lead time and the customer's finish) and
  the schedule sensitivity index (criticality × σ(lead) ÷ σ(finish), 0 when a σ is 0).

A unit that is on no longest path to a customer in any run cannot move that customer's
finish: its cruciality there is 0 (the sample correlation would be noise), and its draws are
not ranked at all, which keeps the cost of cruciality to the units that matter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from icmap.analysis.network import TICKS_PER_HOUR, build_network, ticks
from icmap.graph import OrgGraph, build_graph
from icmap.model import Org

PERCENTILES = (50, 80, 85, 95)
# Elements of one (nodes × runs) array of a batch: 2^24 int64 values are 128 MiB; a batch
# holds about four such arrays at once, well inside 2 GB.
BATCH_CELLS = 1 << 23
# Lead-time draws kept for cruciality when they fit in 1 GiB (10,000 uncertain units ×
# 10,000 runs is 800 MB); beyond that each critical unit's draws are made again from its
# own stream, which gives the same values.
KEPT_CELLS = 1 << 27
DEFAULT_RUNS = 10_000
DEFAULT_SEED = 1


@dataclass(frozen=True, slots=True)
class CustomerForecast:
    """The simulated finish of one external customer (hours)."""

    customer: str
    cpm: float  # the deterministic critical path length
    mean: float
    p50: float
    p80: float
    p85: float
    p95: float
    deadline: float | None
    on_time_probability: float | None  # share of runs finishing by the deadline
    spread: float  # σ of the finish
    curve: tuple[float, ...] = field(repr=False)  # percentiles 0, 1, ..., 100 (an S-curve)


@dataclass(frozen=True, slots=True)
class UnitInfluence:
    """How much one unit drives one external customer's finish (fractions 0..1)."""

    id: str
    customer: str
    criticality: float
    cruciality: float
    sensitivity: float


@dataclass(frozen=True, slots=True)
class Simulation:
    """What `simulate` returns: sorted by customer id, then by unit id."""

    organization: str
    runs: int
    seed: int
    customers: tuple[CustomerForecast, ...]
    units: tuple[UnitInfluence, ...]
    uncertain_units: int
    uncertain_handoffs: int
    # Handoffs whose actual_p90 / actual was beyond any lognormal (σ = z was used).
    unfit_handoffs: tuple[tuple[str, str], ...] = ()

    def drivers(self, customer: str, limit: int = 10) -> list[UnitInfluence]:
        """The units that drive this customer's finish most: by cruciality, then
        criticality, then id; units never on a longest path to it are left out."""
        rows = [u for u in self.units if u.customer == customer and u.criticality > 0]
        rows.sort(key=lambda u: (-u.cruciality, -u.criticality, u.id))
        return rows[:limit]


def simulate(
    org: Org,
    *,
    runs: int = DEFAULT_RUNS,
    seed: int = DEFAULT_SEED,
    graph: OrgGraph | None = None,
    batch: int | None = None,
) -> Simulation:
    """Simulate `runs` schedules of a valid org with random stream `seed`.

    `batch`: runs scheduled at once (default: as many as fit in a bounded amount of
    memory); it changes no figure. Raises ValueError for runs < 1, a negative seed, or an
    org whose non-feedback dependencies form a loop (validate it first).
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    if seed < 0:
        raise ValueError("seed must not be negative")
    import numpy as np

    from icmap.analysis import draws
    from icmap.analysis import montecarlo as mc
    from icmap.analysis.cpm import schedule

    graph = graph if graph is not None else build_graph(org)
    net = build_network(graph)
    deadlines = {
        net.index[c.id]: ticks(c.deadline) for c in org.external_customers if c.deadline is not None
    }
    plan = schedule(net, deadlines)
    units, flow = graph.units, graph.flow_dependencies
    lead_draws = {
        node: how
        for node, name in enumerate(net.ids)
        if name in units and (how := draws.lead_draw(units[name])) is not None
    }
    edge_draws = {
        e: drawn_as
        for e, dep in enumerate(flow)
        if (drawn_as := draws.handoff_draw(dep)) is not None
    }
    scale = _tick_scale(net.lead, [dep.handoff for dep in flow], lead_draws, edge_draws)
    per_hour = TICKS_PER_HOUR / scale
    cap = (1 << 62) // max(1, net.size + len(flow))
    fixed_lead = np.array([(value + scale // 2) // scale for value in net.lead], dtype=np.int64)
    fixed_handoff = np.array([round(dep.handoff * per_hour) for dep in flow], dtype=np.int64)
    edge_ids = sorted(edge_draws)
    drawn_row = np.full(len(flow), -1, dtype=np.int64)
    drawn_row[edge_ids] = np.arange(len(edge_ids))
    tails = np.array(graph.tails, dtype=np.int64)
    heads = np.array(graph.heads, dtype=np.int64)
    layout = mc.plan(net, tails, heads, fixed_handoff, drawn_row)
    row_of = layout.row_of_node
    fixed_rows = fixed_lead[layout.node_of_row][:, None]

    lead_nodes = sorted(lead_draws)
    lead_streams = [draws.stream(np, seed, draws.stream_key(net.ids[v])) for v in lead_nodes]
    edge_streams = [
        draws.stream(np, seed, draws.stream_key(flow[e].supplier, flow[e].customer))
        for e in edge_ids
    ]

    customers = net.customers
    customer_rows = row_of[customers]
    chunks = [list(range(i, min(i + 64, len(customers)))) for i in range(0, len(customers), 64)]
    finish = np.zeros((len(customers), runs), dtype=np.int64)
    counts = np.zeros((net.size, len(customers)), dtype=np.int64)  # by row
    size = batch or max(1, BATCH_CELLS // max(net.size, layout.widest, 1))
    size = min(size, runs)
    # One set of buffers for every batch: fresh arrays of this size cost a page fault per
    # 4 KiB each time, as much as the pass itself.
    lead = np.empty((net.size, size), dtype=np.int64)
    es, ef = np.empty_like(lead), np.empty_like(lead)
    scratch = np.empty((max(layout.widest, 1), size), dtype=np.int64)
    marks_buffer = np.empty((net.size, size), dtype=_bits_dtype(np, min(len(customers), 64)))
    drawn = np.empty((len(edge_ids), size), dtype=np.int64)
    lead_rows = row_of[np.array(lead_nodes, dtype=np.int64)] if lead_nodes else None
    kept = None
    if len(lead_nodes) * runs <= KEPT_CELLS:
        # Every run's draws of each unit in one call (a stream gives the same values in one
        # call as in several): 10,000 calls instead of one per unit and batch.
        kept = np.empty((len(lead_nodes), runs), dtype=np.int64)
        for i, (v, gen) in enumerate(zip(lead_nodes, lead_streams, strict=True)):
            kept[i] = draws.draw_ticks(np, gen, lead_draws[v], runs, per_hour, cap)
    for first in range(0, runs, size):
        width = min(size, runs - first)
        if width < size:  # the last batch
            lead, es, ef = lead[:, :width], es[:, :width], ef[:, :width]
            scratch, marks_buffer, drawn = (
                scratch[:, :width],
                marks_buffer[:, :width],
                drawn[:, :width],
            )
        lead[:] = fixed_rows
        if kept is not None and lead_rows is not None:
            lead[lead_rows] = kept[:, first : first + width]
        else:
            for v, gen in zip(lead_nodes, lead_streams, strict=True):
                lead[row_of[v]] = draws.draw_ticks(np, gen, lead_draws[v], width, per_hour, cap)
        for row, (e, gen) in enumerate(zip(edge_ids, edge_streams, strict=True)):
            drawn[row] = draws.draw_ticks(np, gen, edge_draws[e], width, per_hour, cap)
        mc.forward(layout, lead, drawn, es, ef, scratch)
        finish[:, first : first + width] = ef[customer_rows]
        for chunk in chunks:
            bits = {int(customer_rows[k]): 1 << i for i, k in enumerate(chunk)}
            marks = marks_buffer
            mc.longest_path_marks(layout, es, ef, drawn, bits, marks, scratch)
            if len(chunk) == 1:
                counts[:, chunk[0]] += np.count_nonzero(marks, axis=1)
                continue
            for i, k in enumerate(chunk):
                counts[:, k] += np.count_nonzero(marks & marks.dtype.type(1 << i), axis=1)
    counts = counts[row_of]  # by node

    forecasts = tuple(
        _forecast(np, net.ids[c], hours_of_ticks, plan.ef[c], deadlines.get(c), scale)
        for c, hours_of_ticks in zip(customers, finish, strict=True)
    )

    def sample(v: int) -> Any:
        """Unit v's lead-time draws of every run (ticks)."""
        if kept is not None:
            return kept[kept_row[v]]
        gen = draws.stream(np, seed, draws.stream_key(net.ids[v]))
        return draws.draw_ticks(np, gen, lead_draws[v], runs, per_hour, cap)

    kept_row = {v: i for i, v in enumerate(lead_nodes)}
    influence = _influence(
        np, mc, net, runs, per_hour, lead_draws, sample, finish, counts, forecasts
    )
    unfit = tuple(
        sorted(
            (flow[e].supplier, flow[e].customer)
            for e, how in edge_draws.items()
            if isinstance(how, draws.Lognormal) and not how.fits
        )
    )
    return Simulation(
        organization=org.name,
        runs=runs,
        seed=seed,
        customers=forecasts,
        units=influence,
        uncertain_units=len(lead_draws),
        uncertain_handoffs=len(edge_draws),
        unfit_handoffs=unfit,
    )


def _tick_scale(
    lead: list[int], handoffs: list[float], lead_draws: dict[int, Any], edge_draws: dict[int, Any]
) -> int:
    """Ticks per deterministic tick (1, or a power of 1,000): the coarsest needed so that
    the longest possible path of the org still fits in 63 bits."""
    from icmap.analysis.draws import LOGNORMAL_CAP, Pert

    bound = sum(lead) + sum(ticks(h) for h in handoffs)
    for how in [*lead_draws.values(), *edge_draws.values()]:
        top = how.pessimistic if isinstance(how, Pert) else how.mean * LOGNORMAL_CAP
        bound += ticks(top)
    scale = 1
    while bound // scale >= 1 << 61:
        scale *= 1000
    return scale


def _bits_dtype(np: Any, customers: int) -> Any:
    """The narrowest unsigned integer holding one bit per customer (up to 64)."""
    for dtype, width in ((np.uint8, 8), (np.uint16, 16), (np.uint32, 32)):
        if customers <= width:
            return dtype
    return np.uint64


def _forecast(
    np: Any, customer: str, finish: Any, cpm: int, deadline: int | None, scale: int
) -> CustomerForecast:
    per_hour = TICKS_PER_HOUR / scale
    values = finish.astype(np.float64)
    p50, p80, p85, p95 = (float(v) / per_hour for v in np.percentile(values, PERCENTILES))
    curve = tuple(float(v) / per_hour for v in np.percentile(values, np.arange(101)))
    on_time = None
    if deadline is not None:
        # finish <= floor(deadline / scale) exactly when finish × scale <= deadline
        on_time = float(np.count_nonzero(finish <= deadline // scale)) / len(finish)
    return CustomerForecast(
        customer=customer,
        cpm=cpm / TICKS_PER_HOUR,
        mean=float(values.mean()) / per_hour,
        p50=p50,
        p80=p80,
        p85=p85,
        p95=p95,
        deadline=None if deadline is None else deadline / TICKS_PER_HOUR,
        on_time_probability=on_time,
        spread=float(values.std()) / per_hour,
        curve=curve,
    )


def _influence(
    np: Any,
    mc: Any,
    net: Any,
    runs: int,
    per_hour: float,
    lead_draws: dict[int, Any],
    sample: Callable[[int], Any],
    finish: Any,
    counts: Any,
    forecasts: tuple[CustomerForecast, ...],
) -> tuple[UnitInfluence, ...]:
    """Criticality, cruciality and sensitivity per unit and customer it reaches."""
    customers = net.customers
    finish_ranks: list[Any] = [None] * len(customers)
    rows = []
    for v, name in enumerate(net.ids):
        if net.is_customer[v] or not net.reaches[v]:
            continue
        reached = [k for k, c in enumerate(customers) if net.reaches[v] & net.customer_bit[c]]
        critical = [k for k in reached if counts[v, k]]
        spread = 0.0
        order = None
        if critical and v in lead_draws:
            drawn = sample(v)
            spread = float(drawn.astype(np.float64).std()) / per_hour
            order = np.argsort(drawn, kind="stable")  # the one sort of this unit's draws
        for k in reached:
            index = counts[v, k] / runs
            crucial = sensitivity = 0.0
            finish_spread = forecasts[k].spread
            if index and spread > 0 and finish_spread > 0:
                if finish_ranks[k] is None:
                    finish_ranks[k] = mc.average_ranks(finish[k])
                crucial = abs(mc.spearman_ordered(order, finish_ranks[k]))
                sensitivity = float(index * spread / finish_spread)
            rows.append(
                UnitInfluence(name, net.ids[customers[k]], float(index), crucial, sensitivity)
            )
    return tuple(rows)

"""The uncertain durations of an org and how `icmap simulate` draws them.

- a three-point estimate {o, m, p} with o < p: beta-PERT, α = 1 + 4(m−o)/(p−o),
  β = 1 + 4(p−m)/(p−o), scaled to [o, p] (mean (o + 4m + p)/6); o = p is fixed;
- a measured handoff `actual` with `actual_p90` > `actual`: a lognormal with that mean and
  90th percentile (see `lognormal_parameters`);
- everything else is fixed at its deterministic value.

Every uncertain duration draws from its own random stream, keyed by the seed and by the
unit's id (or the dependency's supplier and customer): a unit's draws do not depend on the
batch size, on the other units, or on the order of the file, so one unit's draws can be made
again on their own (cruciality needs each one's whole sample once more) and two versions of
an org share their common random numbers.

numpy is imported by the caller (icmap.analysis.simulate); this module only names it for
the type checker, so importing it costs nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from hashlib import blake2b
from typing import TYPE_CHECKING, Any

from icmap.model import Dependency, ThreePoint, Unit

if TYPE_CHECKING:
    import numpy as np

Z90 = 1.28155  # the standard normal's 90th percentile
# p90 / mean above e^(z²/2) has no lognormal: σ would need to exceed z.
LOGNORMAL_LIMIT = math.exp(Z90 * Z90 / 2.0)
# A lognormal has no upper bound; a draw is capped at this multiple of its mean (reached
# with probability below 1e-8 for σ <= z), so sums of durations stay within 64-bit ticks.
LOGNORMAL_CAP = 1000.0


@dataclass(frozen=True, slots=True)
class Pert:
    """A beta-PERT duration on [optimistic, pessimistic] (hours) with shapes α, β."""

    optimistic: float
    pessimistic: float
    alpha: float
    beta: float


@dataclass(frozen=True, slots=True)
class Lognormal:
    """A lognormal handoff (hours) with log-mean μ and log-sd σ; `fits` is False when its
    p90 / mean was beyond what a lognormal can have, so σ = z was used instead."""

    mean: float
    mu: float
    sigma: float
    fits: bool = True


Draw = Pert | Lognormal


def pert(estimate: ThreePoint) -> Pert | None:
    """The beta-PERT of a three-point estimate; None when optimistic = pessimistic (fixed)."""
    o, m, p = estimate.optimistic, estimate.likely, estimate.pessimistic
    span = p - o
    if span <= 0:
        return None
    return Pert(o, p, 1.0 + 4.0 * (m - o) / span, 1.0 + 4.0 * (p - m) / span)


def lognormal_parameters(mean: float, p90: float) -> tuple[float, float, bool]:
    """(μ, σ, fits) of the lognormal with this mean and 90th percentile (hours, p90 > mean).

    σ = z − √(z² − 2·ln(p90/mean)), z = 1.28155, μ = ln(mean) − σ²/2. Where p90/mean exceeds
    e^(z²/2) ≈ 2.27 the root is imaginary: no lognormal fits, σ = z and `fits` is False.
    """
    ratio = p90 / mean
    inside = Z90 * Z90 - 2.0 * math.log(ratio)
    fits = inside >= 0.0
    sigma = Z90 - math.sqrt(inside) if fits else Z90
    return math.log(mean) - sigma * sigma / 2.0, sigma, fits


def lead_draw(unit: Unit) -> Pert | None:
    """How a unit's lead time is drawn, or None when it is fixed."""
    estimate = unit.lead_time_estimate
    return pert(estimate) if estimate is not None else None


def handoff_draw(dep: Dependency) -> Draw | None:
    """How a dependency's handoff time is drawn, or None when it is fixed.

    A three-point `actual` (written in the dependency or in its measurement) is beta-PERT;
    a measured `actual` with an `actual_p90` above it is lognormal. Only a measured `actual`
    is uncertain: a `standard` is an agreement, not a measurement.
    """
    estimate = dep.actual_estimate
    if estimate is None:
        source = dep.measured_by("actual")
        estimate = source.actual_estimate if source is not None else None
    if estimate is not None:
        return pert(estimate)
    measured = dep.measured_by("actual_p90")
    p90 = measured.actual_p90 if measured is not None else None
    actual = dep.actual
    if actual is None or p90 is None or actual <= 0 or p90 <= actual:
        return None
    mu, sigma, fits = lognormal_parameters(actual, p90)
    return Lognormal(actual, mu, sigma, fits)


def stream_key(*parts: str) -> int:
    """A stable 64-bit key of a unit id or a (supplier, customer) pair, for its stream."""
    digest = blake2b("\0".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def stream(np_: Any, seed: int, key: int) -> np.random.Generator:
    """The random stream of one uncertain duration under `seed`."""
    sequence = np_.random.SeedSequence(entropy=seed, spawn_key=(key,))
    generator: np.random.Generator = np_.random.Generator(np_.random.PCG64(sequence))
    return generator


def draw_ticks(
    np_: Any, generator: np.random.Generator, how: Draw, size: int, per_hour: float, cap: int
) -> np.ndarray[Any, Any]:
    """`size` draws of one duration, in whole ticks (`per_hour` ticks an hour), as int64.

    A stream gives the same values drawn in one call or in several: each draw takes the next
    values of the stream, so batching the runs does not change them.
    """
    if isinstance(how, Pert):
        low = round(how.optimistic * per_hour)
        span = round(how.pessimistic * per_hour) - low
        drawn_ticks = generator.beta(how.alpha, how.beta, size)
        drawn_ticks *= span  # in place: a draw of 10,000 runs makes no temporary array
        np_.rint(drawn_ticks, out=drawn_ticks)
        drawn_ticks += low  # whole numbers below 2^53 stay exact in a float
        result: np.ndarray[Any, Any] = drawn_ticks.astype(np_.int64)
        return result
    values = generator.lognormal(how.mu + math.log(per_hour), how.sigma, size)
    np_.minimum(values, min(float(cap), how.mean * per_hour * LOGNORMAL_CAP), out=values)
    drawn: np.ndarray[Any, Any] = np_.rint(values).astype(np_.int64)
    return drawn

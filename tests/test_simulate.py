"""icmap simulate's engine: beta-PERT and lognormal draws, percentiles, criticality index,
cruciality and sensitivity, against figures worked out by hand or with scipy."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import scipy.stats
from test_analysis_support import load

from icmap.analysis import draws
from icmap.analysis.simulate import simulate

ONE_PERT = """\
external_customers:
  - id: patient
    deadline: 4h
    depends_on: [a]
roles:
  - id: a
    lead_time: {optimistic: 1h, likely: 2h, pessimistic: 9h}
"""

PARALLEL = """\
external_customers:
  - id: client
    depends_on: [a, b]
roles:
  - id: a
    lead_time: {optimistic: 1h, likely: 2h, pessimistic: 9h}
  - id: b
    lead_time: {optimistic: 1h, likely: 2h, pessimistic: 9h}
"""

# s (1h) --30m--> a (2h) --1h--> client;  s --> b (90m) --> client: a's path is longer.
# CPM: a finishes at 1h + 30m + 2h = 3h 30m, the client at 3h 30m + 1h = 4h 30m;
# b finishes at 1h + 1h 30m = 2h 30m. Deadline 4h: late in every run.
FIXED_CHAIN = """\
external_customers:
  - id: client
    deadline: 4h
    depends_on:
      - supplier: a
        actual: 1h
      - b
roles:
  - id: s
    lead_time: 1h
  - id: a
    lead_time: {optimistic: 2h, likely: 2h, pessimistic: 2h}
    depends_on:
      - supplier: s
        standard: 30m
  - id: b
    lead_time: 90m
    depends_on: [s]
"""


def test_pert_single_unit_mean_and_median(tmp_path: Path) -> None:
    runs = 40_000
    result = simulate(load(tmp_path, ONE_PERT), runs=runs, seed=7)
    (patient,) = result.customers
    # PERT(1h, 2h, 9h): α = 1 + 4(2-1)/(9-1) = 1.5, β = 1 + 4(9-2)/8 = 4.5;
    # mean = (1 + 4·2 + 9)/6 = 3h; σ = 8·√(αβ / ((α+β)²(α+β+1))) = 8·√(6.75/252) = 1.309h.
    sigma = 8 * math.sqrt(1.5 * 4.5 / (6.0**2 * 7.0))
    assert patient.cpm == 3.0
    assert patient.mean == pytest.approx(3.0, abs=4 * sigma / math.sqrt(runs))  # 4 SE
    assert patient.spread == pytest.approx(sigma, rel=0.02)
    # P50 = 1 + 8 × median of Beta(1.5, 4.5) (≈ 2.769h). The sampling error of a median is
    # 1 / (2 f(median) √n) in Beta units, f the Beta density: allow 4 of them.
    median = scipy.stats.beta.median(1.5, 4.5)
    density = scipy.stats.beta.pdf(median, 1.5, 4.5)
    error = 8 / (2 * density * math.sqrt(runs))
    assert patient.p50 == pytest.approx(1 + 8 * median, abs=4 * error)
    # P(finish <= 4h) = the Beta CDF at (4 - 1)/8.
    expected = scipy.stats.beta.cdf(3 / 8, 1.5, 4.5)
    binomial = math.sqrt(expected * (1 - expected) / runs)
    assert patient.on_time_probability == pytest.approx(expected, abs=4 * binomial)
    assert patient.p50 <= patient.p80 <= patient.p85 <= patient.p95 <= 9.0
    # One unit: always critical, its lead time is the finish: ρ = 1 and SSI = 1 × σ/σ.
    (unit,) = result.units
    assert (unit.id, unit.customer, unit.criticality) == ("a", "patient", 1.0)
    assert unit.cruciality == pytest.approx(1.0)
    assert unit.sensitivity == pytest.approx(1.0)


def test_two_parallel_identical_units_share_criticality(tmp_path: Path) -> None:
    result = simulate(load(tmp_path, PARALLEL), runs=10_000, seed=3)
    a, b = result.units
    assert (a.id, b.id) == ("a", "b")
    # Each is the longer of the two in about half the runs (ties have probability ~0).
    assert a.criticality == pytest.approx(0.5, abs=0.02)
    assert b.criticality == pytest.approx(0.5, abs=0.02)
    assert a.criticality + b.criticality == pytest.approx(1.0, abs=0.001)
    # The finish is max(a, b): it rises with each, but neither explains it alone.
    assert 0.3 < a.cruciality < 0.9 and 0.3 < b.cruciality < 0.9


def test_fixed_chain_equals_cpm(tmp_path: Path) -> None:
    result = simulate(load(tmp_path, FIXED_CHAIN), runs=500, seed=1)
    (client,) = result.customers
    # 1h + 30m + 2h + 1h = 4.5h in every run.
    for figure in (client.cpm, client.mean, client.p50, client.p80, client.p85, client.p95):
        assert figure == 4.5
    assert client.spread == 0.0
    assert client.deadline == 4.0
    assert client.on_time_probability == 0.0  # 4h 30m > 4h every time
    by_unit = {u.id: u for u in result.units}
    assert by_unit["s"].criticality == 1.0
    assert by_unit["a"].criticality == 1.0
    assert by_unit["b"].criticality == 0.0  # 2h 30m + 0 < 4h 30m
    # Nothing varies: no correlation and no sensitivity.
    assert all(u.cruciality == 0.0 and u.sensitivity == 0.0 for u in result.units)
    assert result.uncertain_units == 0


def test_tied_fixed_paths_are_all_critical(tmp_path: Path) -> None:
    text = """\
    external_customers:
      - id: client
        depends_on: [a, b]
    roles:
      - id: a
        lead_time: 0.1h
        depends_on:
          - supplier: s
            actual: 0.2h
      - id: b
        lead_time: 0.3h
      - id: s
        lead_time: 0h
    """
    # a: 0 + 0.2h + 0.1h = 0.3h; b: 0.3h; exact ticks make the two paths tie.
    result = simulate(load(tmp_path, text), runs=100, seed=1)
    assert {u.id: u.criticality for u in result.units} == {"a": 1.0, "b": 1.0, "s": 1.0}


def test_same_seed_same_figures_other_seed_differs(tmp_path: Path) -> None:
    org = load(tmp_path, PARALLEL)
    first = simulate(org, runs=2_000, seed=5)
    assert simulate(org, runs=2_000, seed=5) == first
    other = simulate(org, runs=2_000, seed=6)
    assert other.customers[0].mean != first.customers[0].mean
    assert other.units != first.units


def test_batch_size_changes_no_figure(tmp_path: Path) -> None:
    org = load(tmp_path, PARALLEL)
    # Each duration draws from its own stream, so batches of 7 runs give the same draws.
    assert simulate(org, runs=1_000, seed=2, batch=7) == simulate(org, runs=1_000, seed=2)


def test_bad_arguments(tmp_path: Path) -> None:
    org = load(tmp_path, PARALLEL)
    with pytest.raises(ValueError, match="runs"):
        simulate(org, runs=0)
    with pytest.raises(ValueError, match="seed"):
        simulate(org, runs=10, seed=-1)


def test_pert_shapes_and_fixed_estimate() -> None:
    from icmap.model import ThreePoint

    # α = 1 + 4(2-1)/8 = 1.5, β = 1 + 4(9-2)/8 = 4.5
    assert draws.pert(ThreePoint(1.0, 2.0, 9.0)) == draws.Pert(1.0, 9.0, 1.5, 4.5)
    assert draws.pert(ThreePoint(2.0, 2.0, 2.0)) is None  # o = p: fixed


def test_lognormal_parameters_by_hand() -> None:
    # mean 10h, p90 15h: ln(1.5) = 0.405465, z² = 1.642370,
    # σ = 1.28155 − √(1.642370 − 2·0.405465) = 1.28155 − √0.831440 = 1.28155 − 0.911833
    #   = 0.369717; μ = ln(10) − σ²/2 = 2.302585 − 0.068345 = 2.234240.
    mu, sigma, fits = draws.lognormal_parameters(10.0, 15.0)
    assert sigma == pytest.approx(0.369717, abs=1e-6)
    assert mu == pytest.approx(2.234240, abs=1e-6)
    assert fits
    # p90 / mean = 3 > e^(z²/2) = 2.27: no lognormal fits; σ = z, μ = ln(10) − z²/2.
    mu, sigma, fits = draws.lognormal_parameters(10.0, 30.0)
    assert (sigma, fits) == (1.28155, False)
    assert mu == pytest.approx(2.302585 - 1.642370 / 2, abs=1e-6)


def test_lognormal_draws_have_the_mean_and_p90() -> None:
    mu, sigma, _ = draws.lognormal_parameters(10.0, 15.0)
    how = draws.Lognormal(10.0, mu, sigma)
    generator = draws.stream(np, 1, draws.stream_key("x"))
    sample = draws.draw_ticks(np, generator, how, 200_000, 1.0e6, 1 << 62) / 1.0e6
    assert sample.mean() == pytest.approx(10.0, rel=0.01)
    assert np.percentile(sample, 90) == pytest.approx(15.0, rel=0.01)


MEASURED = """\
external_customers:
  - id: client
    depends_on:
      - supplier: a
      - supplier: b
        actual: {optimistic: 1h, likely: 2h, pessimistic: 9h}
roles:
  - id: a
    lead_time: 0h
  - id: b
    lead_time: 0h
  - id: c
    lead_time: 0h
  - id: d
    lead_time: 0h
    depends_on: [c]
measurements:
  - supplier: a
    customer: client
    actual: 10h
    actual_p90: 15h
  - supplier: c
    customer: d
    actual: 2h
    actual_p90: 6h
"""


def test_measured_handoffs_are_lognormal_and_three_point_actuals_pert(tmp_path: Path) -> None:
    org = load(tmp_path, MEASURED)
    by_edge = {(d.supplier, d.customer): d for d in org.dependencies}
    # a -> client: mean 10h, p90 15h (σ = 0.369717 as worked out above).
    how = draws.handoff_draw(by_edge["a", "client"])
    assert isinstance(how, draws.Lognormal) and how.fits
    assert how.sigma == pytest.approx(0.369717, abs=1e-6)
    # b -> client: a three-point actual is PERT(1h, 2h, 9h), α = 1.5, β = 4.5.
    assert draws.handoff_draw(by_edge["b", "client"]) == draws.Pert(1.0, 9.0, 1.5, 4.5)
    # c -> d: p90 / mean = 3 > 2.27, no lognormal fits: σ = z, and the report names it.
    unfit = draws.handoff_draw(by_edge["c", "d"])
    assert isinstance(unfit, draws.Lognormal) and not unfit.fits
    result = simulate(org, runs=20_000, seed=4)
    assert result.unfit_handoffs == (("c", "d"),)
    assert result.uncertain_handoffs == 3
    # The client waits for the later of the lognormal (mean 10h) and the PERT (at most 9h):
    # the lognormal is later in most runs, so the mean finish is a little above 10h.
    (client,) = result.customers
    assert client.cpm == 10.0  # max(10h, (1 + 8 + 9)/6 = 3h)
    assert 10.0 < client.mean < 10.5


def test_kept_and_redrawn_samples_give_the_same_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from icmap.analysis import simulate as engine

    org = load(tmp_path, PARALLEL)
    kept = simulate(org, runs=3_000, seed=8)  # two units × 3,000 runs: kept in memory
    monkeypatch.setattr(engine, "KEPT_CELLS", 0)  # as if they did not fit: drawn again
    assert simulate(org, runs=3_000, seed=8, batch=256) == kept

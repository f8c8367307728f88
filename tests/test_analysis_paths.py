"""Longest paths: top-k by hand, and CPM against brute force on random DAGs (hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from test_analysis_support import all_paths, load, random_orgs, run

from icmap.api import analyze

TOLERANCE = 1e-9


def test_top_k_paths_by_hand(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        """\
        external_customers:
          - {id: client, depends_on: [d]}
        roles:
          - {id: a, lead_time: 2h}
          - {id: b, lead_time: 3h, depends_on: [{supplier: a, standard: 1h}]}
          - {id: c, lead_time: 1h, depends_on: [{supplier: a, actual: 30m}, e]}
          - {id: d, lead_time: 4h, depends_on: [{supplier: b, actual: 2h}, c]}
          - {id: e, lead_time: 1h}
        """,
        paths=5,
    )
    # Every path into client, with its duration:
    #   a b d: 2 + 1 + 3 + 2 + 4 = 12
    #   a c d: 2 + 0.5 + 1 + 0 + 4 = 7.5
    #   e c d: 1 + 0 + 1 + 0 + 4 = 6
    # Only three exist, so asking for five gives three, longest first.
    assert [(p.path, p.length) for p in result.longest_paths] == [
        (("a", "b", "d", "client"), 12.0),
        (("a", "c", "d", "client"), 7.5),
        (("e", "c", "d", "client"), 6.0),
    ]
    assert result.longest_paths[0].path == result.critical_paths[0].path


def test_no_paths_unless_asked(tmp_path: Path) -> None:
    result = run(tmp_path, "external_customers:\n  - {id: c, depends_on: [u]}\nroles: [{id: u}]\n")
    assert result.longest_paths == ()


@settings(max_examples=150, deadline=None)
@given(random_orgs())
def test_cpm_agrees_with_brute_force_on_random_dags(text: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        org = load(Path(directory), text)
    result = analyze(org, paths=4)
    on_longest: set[str] = set()
    for path in result.critical_paths:
        every = list(all_paths(org, path.customer))
        longest = max(length for _, length in every)
        # The critical path length is the brute-force longest path ...
        assert path.length == pytest.approx(longest, abs=TOLERANCE)
        # ... and the path's own durations add up to it.
        own = dict(every)[path.path]
        assert own == pytest.approx(path.length, abs=TOLERANCE)
        critical_here = {u for p, length in every if length >= longest - TOLERANCE for u in p}
        critical_here.discard(path.customer)
        on_longest |= critical_here
        assert critical_here == {u.id for u in result.units if path.customer in u.critical_for}
        # Top-k: the k longest durations, each a real path with its own duration; the first
        # is the critical path.
        ranked = [p for p in result.longest_paths if p.customer == path.customer]
        expected = sorted((length for _, length in every), reverse=True)[:4]
        assert [p.length for p in ranked] == pytest.approx(expected, abs=TOLERANCE)
        assert len({p.path for p in ranked}) == len(ranked)
        for p in ranked:
            assert dict(every)[p.path] == pytest.approx(p.length, abs=TOLERANCE)
        assert ranked[0].path == path.path
    for unit in result.units:
        if unit.critical:
            assert unit.total_float == pytest.approx(0.0, abs=TOLERANCE)
        if unit.id not in result.orphans and abs(unit.total_float) <= TOLERANCE:
            assert unit.id in on_longest
        assert unit.critical == (unit.id in on_longest)

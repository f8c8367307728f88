"""Issue 13, case 15: many external customers along one long chain.

A chain of N roles with N external customers, the i-th served by the i-th role, has N
critical paths of 1..N units: N * (N + 1) / 2 path entries. The json report may hold them
all (it does: every path, every handoff), but the text and markdown reports must stay
readable at any size: every section capped, with counts of what was left out. Their size
must not grow with N once N is past the caps.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from icmap.api import analyze, load
from icmap.report.analysis import Options, write_report

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from bench_shapes import chain_customers

# What a capped report can hold, at most: 10 paths of at most 12 units, 25 late units, 10
# rows per table, 5 names and 5 clauses per phrase. 80 columns x 400 lines is generous.
BOUND = 80 * 400


def _analysis(tmp_path: Path, length: int, deadline: str):  # type: ignore[no-untyped-def]
    path = tmp_path / f"chain-{length}.yaml"
    # deadline: the customers past the deadline's hour are late (1h per role).
    path.write_text(chain_customers(length).replace("1000h", deadline), encoding="utf-8")
    return analyze(load(str(path)))


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_text_and_markdown_stay_capped_with_200_customers_on_a_200_chain(
    tmp_path: Path, fmt: str
) -> None:
    small = write_report(_analysis(tmp_path, 50, "25h"), fmt, Options(width=80))
    large = write_report(_analysis(tmp_path, 200, "100h"), fmt, Options(width=80))
    # 200 * 201 / 2 = 20,100 path entries, 200 critical paths, 199 single points of failure
    # guarding up to 199 customers each: none of it is listed in full.
    assert len(large) < BOUND
    # Past the caps, four times the org is hardly a longer report (names are 6 characters
    # at both sizes; only the counts in the notes get a digit or two longer).
    assert len(large) < 1.25 * len(small)
    assert "… and 190 more critical paths (all of them in --format json)" in large
    # Every unit feeds c00199, whose 200 h path misses its 100 h deadline: 200 late units,
    # 25 listed.
    assert "… and 175 more late units (all of them in --format json)" in large
    if fmt == "text":
        assert max(len(line) for line in large.splitlines()) <= 80
        # A path of 100 units shows its first and last 6: 200 - 12 = 188 left out.
        assert "… 188 more units …" in large


def test_the_json_report_has_every_path_and_handoff(tmp_path: Path) -> None:
    analysis = _analysis(tmp_path, 200, "100h")
    report = json.loads(write_report(analysis, "json"))
    paths = report["critical_paths"]
    assert len(paths) == 200
    # Customer c00199 is served by the last of the chain: 200 units and the customer;
    # 199 handoffs between units and one to the customer.
    last = next(p for p in paths if p["customer"] == "c00199")
    assert len(last["path"]) == 201 and len(last["handoffs"]) == 200
    assert sum(len(p["handoffs"]) for p in paths) == 200 * 201 // 2
    # 200 > INDENT_LIMIT path entries: written compact, on one line.
    assert write_report(analysis, "json").count("\n") == 1
    # Each unit's late_for: u00000 feeds c00000..c00199; the latest is c00199, whose path
    # of 200 h misses its 100 h deadline by 100 h.
    first = next(u for u in report["units"] if u["id"] == "u00000")
    assert (first["late_for"], first["total_float_hours"]) == ("c00199", -100.0)

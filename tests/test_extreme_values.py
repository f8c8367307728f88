"""Numbers at the edges of what a float holds: refused with a position when they cannot be
real, analyzed and reported in every format when they can. Never an internal error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from icmap.cli import app
from icmap.yamlsource import parse

# Valid, but at the edges: a volume that overflows when two are summed (1.0e+308 * 2 = inf),
# a capacity below the smallest normal float, the longest duration icmap reads, and a
# satisfaction scale as wide as a float allows.
EDGES = """\
icmap: 1
organization: Edges
settings:
  satisfaction_scale: [0, 1.0e+308]
roles:
  - id: a
    lead_time: {optimistic: 0, likely: 999999999h, pessimistic: 999999999h}
    capacity: 1.0e-320
  - id: b
    lead_time: 1h
    capacity: 1.0e+308
    depends_on:
      - supplier: a
        volume: 1.0e+308
        standard: 0
        actual: 999999999h
        satisfaction: 1.0e+308
        complete_accurate: 1.0e-320
  - id: c
    lead_time: 1h
    depends_on:
      - supplier: a
        volume: 1.0e+308
external_customers:
  - id: x
    depends_on: [b, c]
    deadline: 999999999h
"""


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "--format", "json"],
        ["analyze", "--format", "text"],
        ["analyze", "--format", "markdown"],
        ["analyze", "--format", "csv"],
        ["render", "--format", "dot"],
        ["render", "--format", "mermaid"],
    ],
)
def test_figures_at_the_float_limits_are_analyzed_in_every_format(
    tmp_path: Path, args: list[str]
) -> None:
    org = tmp_path / "edges.yaml"
    org.write_text(EDGES, encoding="utf-8")
    result = CliRunner().invoke(app, [args[0], str(org), *args[1:]])
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output


def test_an_overflowing_load_is_an_infinite_utilization_in_json(tmp_path: Path) -> None:
    org = tmp_path / "edges.yaml"
    org.write_text(EDGES, encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(org), "--format", "json"])
    units = {u["id"]: u for u in json.loads(result.stdout)["units"]}
    # a serves 1.0e+308 + 1.0e+308 = inf against a capacity of 1.0e-320.
    assert (units["a"]["utilization"], units["a"]["utilization_infinite"]) == (None, True)
    # b: its own capacity 1.0e+308 against no volume.
    assert units["b"]["utilization"] is None and units["b"]["utilization_infinite"] is False


def test_a_plain_integer_beyond_pythons_digit_limit_is_refused_unread() -> None:
    # int() refuses decimal text over 4,300 digits; the composer refuses any integer of
    # 2**1024 or more (ICM107) before converting it, and leaves it out of its mapping
    # (tests/cases/invalid/huge-numbers).
    source = parse("capacity: " + "9" * 5000 + "\n")
    assert [(p.code, p.line, p.column) for p in source.problems] == [("ICM107", 1, 11)]
    assert "(5,000 characters)" in source.problems[0].message
    assert source.root is not None
    assert "capacity" not in source.root.value

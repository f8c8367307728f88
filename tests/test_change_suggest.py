"""whatif --suggest: exact gains from halving each unit on a critical path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from change_fixtures import write_small

from icmap.api import analyze, check, load
from icmap.change.scenarios import Scenario
from icmap.change.suggest import suggest
from icmap.change.whatif import parse_changes
from icmap.graph import build_graph

EXAMPLES = sorted(Path(__file__).parent.parent.joinpath("examples").glob("*.yaml"))


def test_small_org_by_hand(tmp_path: Path) -> None:
    org = load(str(write_small(tmp_path)))
    found = suggest(build_graph(org), 5)
    # Critical path a (2h) -> b (3h) -> client, 7h. Halving b: 3h -> 1.5h, the client at
    # 4 + 1.5 = 5.5h (gain 1.5h). Halving a: 2h -> 1h, b starts 1 + 2 = 3, ends 6 (gain 1h).
    # c is not on the critical path, so it is not tried.
    assert [(s.unit, s.gain, s.new_length) for s in found["client"]] == [
        ("b", 1.5, 5.5),
        ("a", 1.0, 6.0),
    ]
    assert found["client"][0].change == "b.lead_time=-50%"
    assert [s.unit for s in suggest(build_graph(org), 1)["client"]] == ["b"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_each_suggestion_matches_analyze_of_the_changed_org(example: Path) -> None:
    result = check(str(example))
    assert result.org is not None and result.graph is not None
    for customer, found in suggest(result.graph, 3).items():
        for suggestion in found:
            changed, findings = Scenario("s", tuple(parse_changes([suggestion.change]))).apply(
                result.org
            )
            assert findings == ()
            again = analyze(changed)
            length = next(p.length for p in again.critical_paths if p.customer == customer)
            assert length == pytest.approx(suggestion.new_length, abs=1e-9)


def test_cli_suggest_json(tmp_path: Path) -> None:
    import json

    org = write_small(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "icmap", "whatif", str(org), "--suggest", "1", "-f", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["suggestions"] == {
        "client": [
            {
                "unit": "b",
                "change": "b.lead_time=-50%",
                "length_hours": 7.0,
                "new_length_hours": 5.5,
                "gain_hours": 1.5,
            }
        ]
    }

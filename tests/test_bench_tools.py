"""The benchmark tools make valid orgs: bench/generate.py and the Willems converter."""

from __future__ import annotations

import csv
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from icmap.api import check
from icmap.model import Level

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _module(name: str) -> ModuleType:
    """Import a bench script by path (bench/ is scripts, not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


generate = _module("generate")
willems = _module("willems")
DATA: Path = willems.DEFAULT_DATA
needs_data = pytest.mark.skipif(
    not (DATA / "01_SD.csv").exists(),
    reason=f"the Willems (2008) data set is not at {DATA} (it lives beside the repository)",
)


def _generate(path: Path, seed: int = 1) -> Path:
    assert (
        generate.main(["--roles", "60", "--departments", "6", "--seed", str(seed), "-o", str(path)])
        == 0
    )
    return path


def test_generated_org_is_valid_with_no_orphans(tmp_path: Path) -> None:
    result = check(str(_generate(tmp_path / "org.yaml")))
    assert [f for f in result.findings if f.level is Level.ERROR] == []
    assert result.warnings == 0  # every role has a path to the customer: no orphan warning
    org = result.org
    assert org is not None
    assert len(org.units) == 60
    assert [c.id for c in org.external_customers] == ["customer"]
    # 60 roles in 6 departments: ten each, in contiguous blocks.
    assert sorted(len(d.roles) for d in org.departments) == [10] * 6
    # max(1, 60 // 1000) = 1 feedback dependency, pointing at a later role.
    feedback = [d for d in org.dependencies if d.feedback]
    assert len(feedback) == 1
    order = [u.id for u in org.units]
    assert order.index(feedback[0].supplier) > order.index(feedback[0].customer)
    # Every other dependency between roles runs from an earlier role to a later one (a DAG).
    for dep in org.dependencies:
        if not dep.feedback and dep.customer != "customer":
            assert order.index(dep.supplier) < order.index(dep.customer)
            assert dep.standard is not None and dep.actual is not None and dep.volume is not None


def test_generator_is_deterministic_per_seed(tmp_path: Path) -> None:
    first = _generate(tmp_path / "a.yaml").read_bytes()
    again = _generate(tmp_path / "b.yaml").read_bytes()
    other = _generate(tmp_path / "c.yaml", seed=2).read_bytes()
    assert first == again
    assert first != other


def _csv_rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@needs_data
@pytest.mark.parametrize("number", ["01", "13"])
def test_willems_chain_converts_to_a_valid_org(tmp_path: Path, number: str) -> None:
    path = tmp_path / f"willems-{number}.yaml"
    willems.convert(number, path, DATA)
    result = check(str(path))
    assert result.errors == 0, result.findings
    org = result.org
    assert org is not None
    stages = _csv_rows(f"{number}_SD.csv")
    arcs = _csv_rows(f"{number}_LL.csv")
    demand = [row for row in stages if row["avgDemand"].strip()]
    assert len(org.units) == len(stages)
    # one dependency per arc, plus the market's dependency on each stage with demand
    assert len(org.dependencies) == len(arcs) + len(demand)
    assert [c.id for c in org.external_customers] == ["market"]
    assert {d.id for d in org.departments} == {row["stageClassification"].lower() for row in stages}


@needs_data
def test_willems_three_point_estimate_keeps_the_stage_time(tmp_path: Path) -> None:
    path = tmp_path / "willems-01.yaml"
    willems.convert("01", path, DATA)
    org = check(str(path)).org
    assert org is not None
    part = org.unit("Part_0001")
    # Outcomes 20/25/50 days: o = 20, p = 50; stageTime 28 (= .4*20 + .4*25 + .2*50), so
    # likely = (6*28 - 20 - 50) / 4 = 24.5 and (20 + 4*24.5 + 50) / 6 = 28 days = 672 hours.
    assert part.lead_time_estimate is not None
    assert (
        part.lead_time_estimate.optimistic,
        part.lead_time_estimate.likely,
        part.lead_time_estimate.pessimistic,
    ) == (480.0, 588.0, 1200.0)
    assert part.lead_time == pytest.approx(672.0)


@needs_data
def test_willems_longest_path_from_the_data() -> None:
    # Chain 01: Part_0001 (28 d) -> Manuf_0001 (10 d) -> Retail_0001 (0 d) = 38 days, 3 stages.
    assert willems.read_chain(1, DATA).longest_path() == (38.0, 3)


def test_an_org_in_parts_is_the_same_org_as_in_one_file(tmp_path: Path) -> None:
    whole = tmp_path / "whole.yaml"
    with whole.open("w", encoding="utf-8") as out:
        generate.generate(out, roles=120, departments=6, seed=3)
    files = generate.generate_parts(tmp_path / "split.yaml", 3, roles=120, departments=6, seed=3)
    # Six departments over three included files: two each, then the file that includes them.
    assert [f.name for f in files] == [
        "split.part-01.yaml",
        "split.part-02.yaml",
        "split.part-03.yaml",
        "split.yaml",
    ]
    one, split = check(str(whole)), check(str(tmp_path / "split.yaml"))
    assert not one.errors and not split.errors
    assert one.org is not None and split.org is not None
    assert [(u.id, u.lead_time) for u in split.org.units] == [
        (u.id, u.lead_time) for u in one.org.units
    ]
    assert [(d.supplier, d.customer, d.standard) for d in split.org.dependencies] == [
        (d.supplier, d.customer, d.standard) for d in one.org.dependencies
    ]


def test_the_paired_ratio_is_the_median_of_each_rounds_ratio() -> None:
    # Round by round: 1.0/0.5 = 2.0, 3.3/1.1 = 3.0, 1.2/0.3 = 4.0; the median is 3.0.
    # Best ÷ best would be 1.0/0.3 = 3.33: the luckiest short run against the luckiest long one.
    benchlib = _module("benchlib")
    analyze = benchlib.Timing((1.0, 3.3, 1.2), 0.0, 0)
    event_pass = benchlib.Timing((0.5, 1.1, 0.3), 0.0, 0)
    assert analyze.paired(event_pass) == pytest.approx(3.0)
    assert analyze.best / event_pass.best == pytest.approx(3.333, abs=1e-3)


def test_the_instruction_count_is_read_from_callgrinds_summary() -> None:
    benchlib = _module("benchlib")
    stderr = (
        "==4242== Callgrind, a call-graph generating cache profiler\n"
        "==4242== Events    : Ir\n"
        "==4242== Collected : 8431234567\n"
        "==4242== \n"
        "==4242== I   refs:      8,431,234,567\n"
    )
    assert benchlib.collected_instructions(stderr) == 8_431_234_567
    with pytest.raises(ValueError, match="not a callgrind run"):
        benchlib.collected_instructions("Traceback (most recent call last):\n")


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_counting_instructions_sees_more_work_and_refuses_a_failed_command() -> None:
    # Counts, not seconds: a loop of 200,000 steps runs millions more instructions than an
    # empty program whatever else the machine is doing.
    benchlib = _module("benchlib")
    empty = benchlib.count_instructions([sys.executable, "-S", "-c", "pass"])
    looped = benchlib.count_instructions(
        [sys.executable, "-S", "-c", "for _ in range(200_000): pass"]
    )
    assert 0 < empty < looped
    assert looped - empty > 2_000_000  # at least 10 instructions a step
    with pytest.raises(benchlib.CommandFailed, match="exited with 3"):
        benchlib.count_instructions([sys.executable, "-S", "-c", "raise SystemExit(3)"])


def _compiled() -> ModuleType:
    _module("benchlib")  # bench/compiled.py imports it by name, as the scripts do
    return _module("compiled")


def test_the_compiled_build_names_modules_that_exist() -> None:
    compiled = _compiled()
    root = BENCH.parent
    assert [m for m in compiled.HOT_MODULES if not (root / m).is_file()] == []
    assert compiled.module_name("icmap/loader/__init__.py") == "icmap.loader"
    assert compiled.module_name("icmap/analysis/cpm.py") == "icmap.analysis.cpm"


def test_the_compiled_build_is_keyed_by_the_sources(tmp_path: Path) -> None:
    compiled = _compiled()
    (tmp_path / "icmap").mkdir()
    source = tmp_path / "icmap" / "graph.py"
    source.write_text("X = 1\n", encoding="utf-8")
    first = compiled.sources_digest(tmp_path / "icmap")
    assert compiled.sources_digest(tmp_path / "icmap") == first
    source.write_text("X = 2\n", encoding="utf-8")
    assert compiled.sources_digest(tmp_path / "icmap") != first


def test_the_compiled_command_runs_the_copy_ahead_of_the_installed_icmap(tmp_path: Path) -> None:
    # A stand-in copy whose CLI says where it runs from; run from the repository's root,
    # where `python -m icmap` would find the source package first.
    compiled = _compiled()
    (tmp_path / "icmap").mkdir()
    (tmp_path / "icmap" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "icmap" / "cli.py").write_text(
        "import sys\ndef main():\n    print('copy', sys.argv[1:])\n", encoding="utf-8"
    )
    done = subprocess.run(
        compiled.command(tmp_path, "analyze", "--format", "json", "org.yaml"),
        cwd=BENCH.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "copy ['analyze', '--format', 'json', 'org.yaml']\n"


def test_a_source_copy_has_no_compiled_modules_and_a_missing_compiler_stops_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = _compiled()
    assert compiled.compiled_modules(BENCH.parent) == []  # the repository: .py files only
    monkeypatch.setattr(compiled, "missing", lambda: "no C compiler (cc)")
    with pytest.raises(compiled.CannotCompile, match="no C compiler"):
        compiled.build(BENCH.parent, tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing half-built left behind

"""The console script builds only the command it runs; `icmap --help` and typos get them all."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main

from icmap.cli import COMMANDS, build_app, command_named


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["analyze", "org.yaml"], "analyze"),
        (["--debug", "check", "-f", "sarif", "org.yaml"], "check"),
        (["import", "tickets", "log.csv"], "import"),
        (["--help"], None),
        ([], None),
        (["anlyze", "org.yaml"], None),  # no command: the whole app says so, with a suggestion
        (["org.yaml"], None),
    ],
)
def test_the_command_of_a_command_line(args: list[str], expected: str | None) -> None:
    assert command_named(args) == expected


def test_an_app_for_one_command_has_that_command_alone() -> None:
    group = typer.main.get_command(build_app("import"))
    assert sorted(group.commands) == ["import"]  # type: ignore[attr-defined]
    assert sorted(group.commands["import"].commands) == [  # type: ignore[attr-defined]
        "events",
        "sheet",
        "survey",
        "tickets",
    ]


def test_the_whole_app_has_every_command() -> None:
    group = typer.main.get_command(build_app())
    assert sorted(group.commands) == sorted(COMMANDS)  # type: ignore[attr-defined]


def _icmap(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "icmap", *args], capture_output=True, text=True, check=False
    )


def test_the_console_script_lists_every_command_and_runs_one() -> None:
    listed = _icmap("--help")
    assert listed.returncode == 0
    for name in COMMANDS:
        assert f"  {name} " in listed.stdout
    ran = _icmap("--debug", "analyze", "--help")
    assert ran.returncode == 0 and "Usage: python -m icmap analyze [OPTIONS]" in ran.stdout
    typo = _icmap("anlyze", "x.yaml")
    assert (
        typo.returncode == 2 and "No such command 'anlyze'. Did you mean 'analyze'?" in typo.stderr
    )

"""What ships and what CI runs: the sdist holds what the tests need; CI runs the README's command."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readmes_test_command_verbatim() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (command,) = re.findall(r"```sh\n(python3 -m venv .venv && .*pytest)\n```", readme)
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in script  # a line of its own, as written in the README
    # ...before the sdist is tested with the venv it makes.
    assert script.index(command) < next(
        i for i, line in enumerate(script) if "build --sdist" in line
    )


def test_ci_tests_the_unpacked_sdist() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "-m build --sdist" in script
    assert "-m pytest" in script.split("-m build --sdist", 1)[1]


def test_the_sdist_ships_every_folder_the_tests_read() -> None:
    manifest = (REPO / "MANIFEST.in").read_text(encoding="utf-8").split()
    for folder in ("bench", "docs", "examples", "tests"):
        assert ["graft", folder] in [manifest[i : i + 2] for i in range(len(manifest) - 1)]


def test_metadata_names_python_versions_os_and_status() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    classifiers = set(project["classifiers"])
    for version in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {version}" in classifiers
    assert "Operating System :: OS Independent" in classifiers
    assert any(c.startswith("Development Status :: ") for c in classifiers)
    # No placeholder address: no public repository path is known.
    assert "urls" not in project
    assert {"jsonschema", "build"} <= {
        re.split(r"[<>=\[; ]", requirement)[0]
        for requirement in project["optional-dependencies"]["test"]
    }

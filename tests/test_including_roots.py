"""A fragment named on its own: `icmap check` checks the org files that include it, and
`icmap analyze`/`render` name them (one mechanism: `icmap.api.find_including_roots`)."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
import yaml
from test_check_cli import MAIN  # main.yaml: a customer depends on `maker`; parts/*.yaml
from typer.testing import CliRunner

from icmap.api import find_including_roots
from icmap.cli import app
from icmap.loader.files import work_tree_root
from icmap.loader.roots import LEVELS_ABOVE, candidate_roots, search_folders

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()

# Line 3 is `    lead_time: 1h`: 4 spaces + `lead_time: ` (11) = 15, the value at column 16.
FRAGMENT = """\
roles:
  - id: maker
    lead_time: 1h
"""
OTHER_ORG = """\
icmap: 1
organization: Unrelated
external_customers:
  - id: walk-in
    depends_on: [desk]
roles:
  - id: desk
    lead_time: 1h
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git work tree: org/main.yaml includes org/parts/*.yaml; org/other.yaml does not."""
    (tmp_path / ".git").mkdir()
    write(tmp_path / "org" / "main.yaml", MAIN)
    write(tmp_path / "org" / "parts" / "maker.yaml", FRAGMENT)
    write(tmp_path / "org" / "other.yaml", OTHER_ORG)
    write(tmp_path / "ci.yml", "jobs: {}\n")  # YAML, but no org file: never a candidate
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


def test_the_root_that_includes_a_fragment_is_found(repo: Path) -> None:
    # Candidates: the org files (with `icmap:`) in parts/, org/ and the work tree's root.
    assert candidate_roots("org/parts/maker.yaml") == ["org/main.yaml", "org/other.yaml"]
    # Of those, only main.yaml's includes reach the fragment.
    assert find_including_roots("org/parts/maker.yaml") == ("org/main.yaml",)
    # Named as the user would type them, from wherever icmap runs.
    os.chdir(repo / "org" / "parts")
    assert find_including_roots("maker.yaml") == ("../main.yaml",)


def test_a_fragment_included_through_another_fragment(repo: Path) -> None:
    write(repo / "org" / "parts" / "maker.yaml", FRAGMENT + "include: [deep/*.yaml]\n")
    write(repo / "org" / "parts" / "deep" / "tool.yaml", "roles:\n  - id: tool\n")
    assert find_including_roots("org/parts/deep/tool.yaml") == ("org/main.yaml",)


def test_an_org_file_or_a_file_nothing_includes_has_no_root(repo: Path) -> None:
    assert find_including_roots("org/main.yaml") == ()  # it has a header
    write(repo / "org" / "loose" / "stray.yaml", FRAGMENT)
    assert find_including_roots("org/loose/stray.yaml") == ()


def test_the_search_stops_at_the_work_tree_root(tmp_path: Path) -> None:
    # An org file above the work tree is never tried, even if its includes would match.
    write(tmp_path / "outer.yaml", MAIN.replace("parts/*.yaml", "repo/parts/*.yaml"))
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    fragment = write(tmp_path / "repo" / "parts" / "maker.yaml", FRAGMENT)
    assert work_tree_root(str(fragment.parent)) == str(tmp_path / "repo")
    assert search_folders(str(fragment)) == [
        str(tmp_path / "repo" / "parts"),
        str(tmp_path / "repo"),
    ]
    assert find_including_roots(str(fragment)) == ()


def test_outside_a_work_tree_the_search_goes_three_folders_up(tmp_path: Path) -> None:
    # a/b/c/d/e/maker.yaml: its folder e, then d, c and b (3 above); a is one too many.
    assert LEVELS_ABOVE == 3
    deep = tmp_path / "a" / "b" / "c" / "d" / "e"
    fragment = write(deep / "maker.yaml", FRAGMENT)
    if work_tree_root(str(tmp_path)) is not None:
        pytest.skip("the temporary folder is inside a git work tree")
    assert search_folders(str(fragment)) == [
        str(deep),
        str(deep.parent),
        str(deep.parent.parent),
        str(deep.parent.parent.parent),
    ]
    write(tmp_path / "a" / "root.yaml", MAIN.replace("parts/*.yaml", "b/c/d/e/*.yaml"))
    assert find_including_roots(str(fragment)) == ()
    root = write(tmp_path / "a" / "b" / "root.yaml", MAIN.replace("parts/*.yaml", "c/d/e/*.yaml"))
    assert find_including_roots(str(fragment)) == (str(root),)


# --- icmap check FRAGMENT -------------------------------------------------------------------


def test_check_of_a_clean_fragment_checks_its_root(repo: Path) -> None:
    result = runner.invoke(app, ["check", "--format", "parsable", "org/parts/maker.yaml"])
    # Not the three errors about a missing `icmap:`, `organization:` and customer.
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    text = runner.invoke(app, ["check", "--format", "text", "org/parts/maker.yaml"])
    assert (text.exit_code, text.stdout) == (0, "2 files checked: all clean\n")


def test_check_of_a_broken_fragment_reports_it_through_its_root(repo: Path) -> None:
    write(repo / "org" / "parts" / "maker.yaml", FRAGMENT.replace("1h", "2 days"))
    result = runner.invoke(app, ["check", "--format", "parsable", "org/parts/maker.yaml"])
    assert result.exit_code == 1
    assert result.stdout == (
        "org/parts/maker.yaml:3:16: [error] lead_time '2 days' is not a duration (ICM204)\n"
    )
    assert result.stderr == ""


def test_check_of_a_fragment_and_its_root_checks_the_root_once(repo: Path) -> None:
    for order in (
        ["org/parts/maker.yaml", "org/main.yaml"],
        ["org/main.yaml", "org/parts/maker.yaml"],
    ):
        result = runner.invoke(app, ["check", "--format", "json", *order])
        assert result.exit_code == 0
        document = yaml.safe_load(result.stdout)
        assert [f["path"] for f in document["files"]] == ["org/main.yaml"]


def test_check_of_a_fragment_nothing_includes_still_says_what_is_missing(repo: Path) -> None:
    write(repo / "org" / "loose" / "stray.yaml", FRAGMENT)
    result = runner.invoke(app, ["check", "--format", "parsable", "org/loose/stray.yaml"])
    assert result.exit_code == 1
    assert "the org file has no `icmap:` (ICM202)" in result.stdout


def test_the_default_pre_commit_hook_passes_a_changed_fragment(repo: Path) -> None:
    # The hook as shipped: pre-commit runs its entry with the changed files appended.
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    entry = shlex.split(hook["entry"])
    assert entry[:2] == ["icmap", "check"]
    clean = runner.invoke(app, [*entry[1:], *hook.get("args", []), "org/parts/maker.yaml"])
    assert (clean.exit_code, clean.stderr) == (0, "")
    write(repo / "org" / "parts" / "maker.yaml", FRAGMENT.replace("id: maker", "id: makr"))
    broken = runner.invoke(app, [*entry[1:], *hook.get("args", []), "org/parts/maker.yaml"])
    # main.yaml's customer depends on `maker`, which the edit renamed.
    assert broken.exit_code == 1
    assert "supplier 'maker' of 'buyer' is not defined" in broken.stdout


# --- icmap analyze / render FRAGMENT --------------------------------------------------------


@pytest.mark.parametrize("command", ["analyze", "render"])
def test_analyze_or_render_of_a_fragment_names_the_file_to_use(repo: Path, command: str) -> None:
    args = [command, "org/parts/maker.yaml"] + (["-o", "chart.svg"] if command == "render" else [])
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "icmap: org/parts/maker.yaml is part of an org, not an org file of its own: "
        f"org/main.yaml includes it; {command} that one instead: icmap {command} org/main.yaml\n"
    )
    assert not (repo / "chart.svg").exists()


def test_analyze_of_a_fragment_two_roots_include(repo: Path) -> None:
    write(repo / "org" / "all.yaml", MAIN)
    result = runner.invoke(app, ["analyze", "org/parts/maker.yaml"])
    assert result.exit_code == 2
    assert "org/all.yaml and org/main.yaml include it; analyze one of them instead" in (
        result.stderr
    )


def test_an_include_outside_the_roots_include_root_does_not_count(tmp_path: Path) -> None:
    # parts/maker.yaml is a link to a file outside the work tree: main.yaml's include of it
    # is refused by the loader (outside the include root), so main.yaml is not its root.
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    write(tmp_path / "repo" / "main.yaml", MAIN)
    outside = write(tmp_path / "elsewhere" / "maker.yaml", FRAGMENT)
    link = tmp_path / "repo" / "parts" / "maker.yaml"
    link.parent.mkdir()
    link.symlink_to(outside)
    assert find_including_roots(str(link)) == ()
    # With an include root that holds both, the include is read and main.yaml counts.
    assert find_including_roots(str(link), str(tmp_path)) == (str(tmp_path / "repo" / "main.yaml"),)

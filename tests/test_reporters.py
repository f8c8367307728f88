"""The check report and its writers, on hand-made findings (no loader involved)."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icmap.codes import RULES
from icmap.loader.files import work_tree_root
from icmap.model import Finding, Level, Location
from icmap.report.check import (
    FORMATS,
    REPORTERS,
    CheckReport,
    FileReport,
    choose_format,
    github,
    sarif,
    text,
)

ERROR = Finding(
    "ICM204", Level.ERROR, "lead_time '2 days' is not a duration", Location("a.yaml", 3, 16), "fix"
)
WARNING = Finding("ICM501", Level.WARNING, "'idle' is an orphan", Location("a.yaml", 5, 5))
NOWHERE = Finding("ICM502", Level.ERROR, "no external customer")


def render(name: str, report: CheckReport) -> str:
    stream = io.StringIO()
    REPORTERS[name](report, stream)
    return stream.getvalue()


def one(*findings: Finding, path: str = "a.yaml") -> CheckReport:
    return CheckReport.of([FileReport.of(path, [path], findings)])


# --- the report ---------------------------------------------------------------------------


def test_a_finding_without_a_place_goes_to_line_1_of_its_root() -> None:
    report = one(NOWHERE)
    (finding,) = report.findings
    assert finding.location == Location("a.yaml", 1, 1)


def test_findings_are_sorted_and_counted() -> None:
    report = one(WARNING, ERROR, NOWHERE)
    assert [f.code for f in report.findings] == ["ICM502", "ICM204", "ICM501"]  # lines 1, 3, 5
    assert (report.errors, report.warnings) == (2, 1)
    assert not report.passed()
    assert report.summary() == "1 file checked: 2 errors, 1 warning"


@pytest.mark.parametrize(
    ("findings", "strict", "passed", "summary"),
    [
        ((), False, True, "1 file checked: all clean"),
        ((WARNING,), False, True, "1 file checked: 1 warning"),
        ((WARNING,), True, False, "1 file checked: 1 warning"),
        ((ERROR,), False, False, "1 file checked: 1 error"),
    ],
)
def test_passed_and_summary(
    findings: tuple[Finding, ...], strict: bool, passed: bool, summary: str
) -> None:
    report = one(*findings)
    assert report.passed(strict) is passed
    assert report.summary() == summary


def test_a_root_included_by_another_is_left_out_whatever_the_order(tmp_path: Path) -> None:
    main, part = str(tmp_path / "main.yaml"), str(tmp_path / "part.yaml")
    fragment = FileReport.of(part, [part], [NOWHERE])
    whole = FileReport.of(main, [main, part], [ERROR])
    for order in ([fragment, whole], [whole, fragment]):
        report = CheckReport.of(order)
        assert [r.path for r in report.roots] == [main]
        assert report.files == (main, part)
        assert report.summary() == "2 files checked: 1 error"


def test_files_including_each_other_keep_the_first(tmp_path: Path) -> None:
    a, b = str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")
    report = CheckReport.of([FileReport.of(b, [b, a], []), FileReport.of(a, [a, b], [])])
    assert [r.path for r in report.roots] == [b]


def test_a_fragment_shared_by_two_roots_reports_its_findings_once(tmp_path: Path) -> None:
    a, b, shared = (str(tmp_path / n) for n in ("a.yaml", "b.yaml", "shared.yaml"))
    finding = Finding("ICM200", Level.ERROR, "unknown key", Location(shared, 2, 3))
    report = CheckReport.of(
        [FileReport.of(a, [a, shared], [finding]), FileReport.of(b, [b, shared], [finding])]
    )
    assert len(report.roots) == 2
    assert report.findings == (finding,)
    assert report.summary() == "3 files checked: 1 error"


def test_auto_format() -> None:
    assert choose_format("auto", {"GITHUB_ACTIONS": "true"}) == "github"
    assert choose_format("auto", {"GITHUB_ACTIONS": "false"}) == "text"
    assert choose_format("auto", {}) == "text"
    assert choose_format("json", {"GITHUB_ACTIONS": "true"}) == "json"
    assert set(FORMATS) == {*REPORTERS, "auto"}


# --- parsable -----------------------------------------------------------------------------


def test_parsable_is_one_line_per_finding() -> None:
    multi = Finding("ICM100", Level.ERROR, "YAML syntax error:\nwhile parsing", Location("a", 2, 1))
    assert render("parsable", one(multi, WARNING, path="a")) == (
        "a:2:1: [error] YAML syntax error: while parsing (ICM100)\n"
        "a.yaml:5:5: [warning] 'idle' is an orphan (ICM501)\n"
    )


# --- github -------------------------------------------------------------------------------


def test_github_escapes_data_and_properties() -> None:
    odd = Finding(
        "ICM200", Level.WARNING, "100% wrong\r\nreally", Location("dir,x/a:b.yaml", 1, 2), "a%b"
    )
    assert render("github", one(odd, path="dir,x/a:b.yaml")) == (
        "::warning file=dir%2Cx/a%3Ab.yaml,line=1,col=2,title=ICM200::"
        "100%25 wrong%0D%0Areally — a%25b\n"
    )


def test_github_escaping_functions() -> None:
    assert github.escape_data("50%\n") == "50%25%0A"
    assert github.escape_property("a,b:c%") == "a%2Cb%3Ac%25"


# --- json ---------------------------------------------------------------------------------


def test_json_is_stable() -> None:
    report = one(WARNING, ERROR)
    first = render("json", report)
    assert first == render("json", one(ERROR, WARNING))
    document = json.loads(first)
    assert document["format"] == 1
    assert [f["line"] for f in document["files"][0]["findings"]] == [3, 5]
    assert document["summary"] == {"files": 1, "errors": 1, "warnings": 1}


# --- sarif --------------------------------------------------------------------------------


def _sarif(report: CheckReport) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(render("sarif", report))
    return document


def test_sarif_structure() -> None:
    log = _sarif(one(ERROR, WARNING, NOWHERE))
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert isinstance(log["runs"], list)
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "icmap"
    assert isinstance(driver["version"], str)
    assert driver["version"]
    assert driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted(RULES)
    for entry in rules:
        rule = RULES[entry["id"]]
        assert entry["name"] == rule.name
        assert entry["shortDescription"]["text"] == rule.summary
        assert entry["fullDescription"]["text"].startswith(rule.summary)
        assert entry["defaultConfiguration"]["level"] == rule.level.value
        assert entry["helpUri"].endswith(f"docs/codes.md#{rule.code.lower()}-{rule.name}")
        assert set(entry["help"]) == {"text", "markdown"}
    assert run["columnKind"] == "unicodeCodePoints"
    results = run["results"]
    assert len(results) == 3
    for result in results:
        assert set(result) == {"ruleId", "ruleIndex", "level", "message", "locations"}
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}
        assert isinstance(result["message"]["text"], str)
        assert result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": "a.yaml", "uriBaseId": "%SRCROOT%"}
        region = physical["region"]
        assert region["startLine"] >= 1
        assert region["startColumn"] >= 1
    by_rule = {r["ruleId"]: r for r in results}
    assert by_rule["ICM204"]["message"]["text"] == "lead_time '2 days' is not a duration — fix"
    region = by_rule["ICM204"]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 16}
    assert by_rule["ICM501"]["level"] == "warning"
    assert by_rule["ICM501"]["message"]["text"] == "'idle' is an orphan"  # no hint: no dash


def test_sarif_rules_are_linked_to_headings_in_docs_codes_md() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "codes.md").read_text("utf-8")
    for rule in RULES.values():
        assert f"\n## {rule.code} {rule.name}\n" in docs
        assert sarif.help_uri(rule).endswith(f"#{rule.code.lower()}-{rule.name}")


def test_sarif_uris(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    inside = os.path.join(str(tmp_path), "org", "my org.yaml")
    assert sarif.artifact_location(inside) == {
        "uri": "org/my%20org.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    assert sarif.artifact_location("./org/../org/a.yaml") == {
        "uri": "org/a.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    outside = str(tmp_path.parent / "elsewhere.yaml")
    assert sarif.artifact_location(outside) == {"uri": Path(outside).as_uri()}
    # Relative to a base folder: a path given from the working directory, named from the base.
    (tmp_path / "repo" / "ops").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "repo" / "ops")
    base = str(tmp_path / "repo")
    assert sarif.artifact_location("org/a.yaml", base) == {
        "uri": "ops/org/a.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    assert sarif.artifact_location("../../b.yaml", base) == {"uri": (tmp_path / "b.yaml").as_uri()}


def test_work_tree_root_walks_up_to_the_nearest_git(tmp_path: Path) -> None:
    (tmp_path / "outer" / ".git").mkdir(parents=True)
    (tmp_path / "outer" / "inner" / "deep").mkdir(parents=True)
    (tmp_path / "outer" / "inner" / ".git").write_text("gitdir: x\n", encoding="utf-8")
    deep = str(tmp_path / "outer" / "inner" / "deep")
    assert work_tree_root(deep) == str(tmp_path / "outer" / "inner")
    assert work_tree_root(str(tmp_path / "outer")) == str(tmp_path / "outer")


def test_sarif_without_findings_is_still_a_log() -> None:
    log = _sarif(one())
    assert log["runs"][0]["results"] == []
    assert len(log["runs"][0]["tool"]["driver"]["rules"]) == len(RULES)


# --- text ---------------------------------------------------------------------------------


def test_text_shows_the_source_line_with_a_caret(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("icmap: 1\nroles:\n  - id: x\n    lead_time: 2 days\n", encoding="utf-8")
    finding = Finding("ICM204", Level.ERROR, "bad", Location(str(path), 4, 16), "write 2d")
    lines = render("text", one(finding, path=str(path))).splitlines()
    assert lines[0] == str(path)
    assert lines[1].split() == ["4:16", "error", "bad", "(ICM204)"]
    assert lines[2].split() == ["-->", f"{path}:4:16"]  # the place, as rustc and ruff print it
    assert lines[3].endswith("4 │     lead_time: 2 days")
    assert lines[4].index("^") == lines[3].index("2 days")
    assert lines[5].strip() == "fix: write 2d"
    assert lines[6] == "1 file checked: 1 error"


def test_text_copes_with_a_file_that_is_gone_or_a_line_past_its_end(tmp_path: Path) -> None:
    path = tmp_path / "short.yaml"
    path.write_text("icmap: 1\n", encoding="utf-8")
    gone = Finding("ICM100", Level.ERROR, "gone", Location(str(tmp_path / "gone.yaml"), 3, 1))
    past = Finding("ICM100", Level.ERROR, "past", Location(str(path), 40, 1))
    output = render("text", one(gone, past, path=str(path)))
    assert "│" not in output  # no source to show, and no crash
    assert output.splitlines()[-1] == "1 file checked: 2 errors"  # only the root was read


def test_text_has_no_markup_surprises(tmp_path: Path) -> None:
    # Rich would read `[bold]` as markup and `:warning:` as an emoji: both must stay text.
    odd = Finding("ICM200", Level.ERROR, "key [bold]x[/bold] :warning:", Location("a.yaml", 1, 1))
    assert "key [bold]x[/bold] :warning: (ICM200)" in render("text", one(odd))


def test_text_uses_yaml_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "cr.yaml"
    path.write_bytes(b"icmap: 1\rorganization: X\r\nroles: 3\n")
    finding = Finding("ICM201", Level.ERROR, "roles must be a list", Location(str(path), 3, 8))
    assert "3 │ roles: 3" in render("text", one(finding, path=str(path)))


@pytest.mark.parametrize(
    ("line", "column", "width", "shown", "caret"),
    [
        ("short", 3, 20, "short", 2),
        # 30 characters in 10 cells, column 16 (index 15): start at 15 - 5 = 10.
        ("abcdefghijklmnopqrstuvwxyz0123", 16, 10, "…lmnopqrs…", 5),
        # Near the start: no cut on the left.
        ("abcdefghijklmnopqrstuvwxyz0123", 2, 10, "abcdefghi…", 1),
        # One past the last character (index 30): start at min(30 - 5, 30 - 10) = 20.
        ("abcdefghijklmnopqrstuvwxyz0123", 31, 10, "…vwxyz0123", 10),
        ("a\tb", 3, 20, "a b", 2),
    ],
)
def test_window(line: str, column: int, width: int, shown: str, caret: int) -> None:
    assert text._window(line, column, width) == (shown, caret)


def test_window_counts_wide_characters_as_two_cells() -> None:
    # 20 CJK characters (40 cells), then ", 1": the `1` is at column 23 (index 22), the
    # last character, so the window runs to the end and takes its 20 cells from the left:
    # "1" and ", " (3 cells), 8 CJK characters (16), and 1 cell left over; the first of
    # the 8 becomes the `…` (1 cell): 1 + 7 * 2 + 3 = 18 cells.
    line = "中" * 20 + ", 1"
    shown, caret = text._window(line, 23, 20)
    assert shown == "…" + "中" * 7 + ", 1"
    assert shown[caret] == "1"


@given(
    line=st.text(alphabet="ab 中文,", max_size=60),
    column=st.integers(1, 61),
    width=st.integers(6, 30),
)
def test_window_fits_and_keeps_the_caret_character(line: str, column: int, width: int) -> None:
    from rich.cells import cell_len

    column = min(column, len(line) + 1)
    shown, caret = text._window(line, column, width)
    assert cell_len(shown) <= width
    index = column - 1
    if index < len(line.rstrip()):
        assert shown[caret] == line[index]
    else:  # past the end of the line (trailing spaces are not shown): just after it
        assert caret == len(shown)


def test_text_snippet_of_a_wide_line_fits_and_points_at_the_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", "80")
    path = tmp_path / "wide.yaml"
    line = "    tags: [" + "中文名字" * 15 + ", 1]"
    path.write_text("roles:\n" + line + "\n", encoding="utf-8")
    column = line.index("1") + 1
    finding = Finding("ICM201", Level.ERROR, "a tag must be text", Location(str(path), 2, column))
    output = render("text", one(finding, path=str(path))).splitlines()
    source = next(row for row in output if "2 │ " in row)
    caret = output[output.index(source) + 1]
    # Every line fits, but the `--> path:line:col` one: a link is never broken (this path,
    # in a temporary folder, is longer than the terminal).
    assert all(cell_len(row) <= 80 for row in output if "--> " not in row)
    # The caret sits under the `1`, counting cells: a CJK character takes two.
    ones = source.index("1")
    assert cell_len(caret.rstrip()) - 1 == cell_len(source[:ones])

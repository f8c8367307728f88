"""Hostile values (issue 13, cases 8, 13, 18, 20, 21, 22, 23): each is a clear finding at its
place, never an internal error, a silent acceptance or a quadratic parse.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from icmap.api import CheckResult, check
from icmap.cli import app
from icmap.codes import RULES
from icmap.loader.values import parse_duration
from icmap.model import Settings

HEADER = """\
icmap: 1
organization: Values Ltd
external_customers:
  - id: buyer
    depends_on: [clerk]
roles:
  - id: clerk
"""  # 7 lines: what a test adds starts on line 8
HUGE_HEX = "0x" + "f" * 5000
FORMATS = ("text", "parsable", "json", "github", "sarif")


def check_text(text: str) -> CheckResult:
    """Check an org file holding `text` (in a fresh temporary folder)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "org.yaml"
        path.write_text(text, encoding="utf-8")
        return check(str(path))


def findings(tmp_path: Path, text: str) -> list[tuple[str, int, int]]:
    """(code, line, column) of every finding of an org file holding `text`."""
    path = tmp_path / "org.yaml"
    path.write_text(text, encoding="utf-8")
    result = check(str(path))
    return [(f.code, f.location.line, f.location.column) for f in result.findings if f.location]


def message(tmp_path: Path, text: str, code: str) -> str:
    path = tmp_path / "org.yaml"
    path.write_text(text, encoding="utf-8")
    (found,) = [f.message for f in check(str(path)).findings if f.code == code]
    return found


def check_cli(tmp_path: Path, text: str, fmt: str = "parsable") -> tuple[int, str, str]:
    path = tmp_path / "org.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "--format", fmt, str(path)])
    return result.exit_code, result.stdout, result.stderr


# ---- case 8: numbers too large for any figure -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        # `    capacity: ` is 14 characters: the value starts at column 15.
        (f"    capacity: {HUGE_HEX}\n", (8, 15)),
        ("    capacity: 0b" + "1" * 20000 + "\n", (8, 15)),
        ("    capacity: 0" + "7" * 2000 + "\n", (8, 15)),  # YAML 1.1 octal
        ("    capacity: " + "9" * 5000 + "\n", (8, 15)),  # past int()'s 4,300 digits
        ("    capacity: " + "9" * 310 + "\n", (8, 15)),  # within them, over 1.8e308
        (f"    headcount: {HUGE_HEX}\n", (8, 16)),  # was silently accepted
        (f"    lead_time: {HUGE_HEX}\n", (8, 16)),
        (f"    lead_time:\n      optimistic: {HUGE_HEX}\n", (9, 19)),
        (f"  - id: {HUGE_HEX}\n", (8, 9)),
        (f"    ? {HUGE_HEX}\n    : 1\n", (8, 7)),  # as a key (explicit: a plain one is short)
        (f"    depends_on:\n      - supplier: c2\n        volume: -{HUGE_HEX}\n", (10, 17)),
    ],
)
def test_a_huge_integer_is_a_clear_finding_wherever_it_stands(
    tmp_path: Path, text: str, where: tuple[int, int]
) -> None:
    org = HEADER + text
    assert ("ICM107", *where) in findings(tmp_path, org)
    for fmt in FORMATS:
        code, out, err = check_cli(tmp_path, org, fmt)
        assert code == 1
        assert "internal error" not in out + err and "Traceback" not in out + err
        assert "f" * 100 not in out and "9" * 100 not in out  # quoted short, never whole


def test_a_huge_integer_in_settings_is_a_clear_finding(tmp_path: Path) -> None:
    org = HEADER.replace("roles:", f"settings:\n  hours_per_day: {HUGE_HEX}\nroles:")
    assert ("ICM107", 7, 18) in findings(tmp_path, org)
    text = message(tmp_path, org, "ICM107")
    assert text == (
        "the number 0xffffffffffffffffff... (5,002 characters) is too large for any figure "
        "(icmap reads numbers up to about 1.8e308)"
    )


def test_the_largest_integer_a_float_holds_is_still_a_number(tmp_path: Path) -> None:
    # 2**1024 - 1 is 0x followed by 256 f's: float() rounds it to infinity, so it is refused
    # as not finite (ICM201), not as too large; 2**1024 itself is 0x1 and 256 zeros: ICM107.
    below = HEADER + "    capacity: 0x" + "f" * 256 + "\n"
    assert findings(tmp_path, below) == [("ICM201", 8, 15)]
    at = HEADER + "    capacity: 0x1" + "0" * 256 + "\n"
    assert findings(tmp_path, at) == [("ICM107", 8, 15)]
    assert findings(tmp_path, HEADER + "    capacity: 0x" + "f" * 250 + "\n") == []


def test_an_integer_yaml_cannot_convert_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    # `0b_` matches YAML 1.1's integer pattern but holds no digit: an internal error before.
    org = HEADER + "    capacity: 0b_\n"
    assert findings(tmp_path, org) == [("ICM201", 8, 15)]
    assert message(tmp_path, org, "ICM201") == "'0b_' is not a valid number"


# ---- case 18: YAML 1.1 base-60 integers ---------------------------------------------------------


def test_a_short_sexagesimal_integer_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(HEADER + "    headcount: 1:30\n", encoding="utf-8")
    org = check(str(path)).org
    assert org is not None
    assert org.unit("clerk").headcount == 90  # 1 * 60 + 30


def test_a_600_kb_sexagesimal_integer_is_refused_unconverted(tmp_path: Path) -> None:
    # 200,000 parts of `:59`: PyYAML's loop multiplies ever larger integers (13 s at 600 KB);
    # over 173 parts the value is past 2**1024, refused by counting the parts.
    path = tmp_path / "org.yaml"
    path.write_text(HEADER + "    headcount: 1" + ":59" * 200_000 + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "icmap", "check", "--format", "parsable", str(path)],
        capture_output=True,
        text=True,
        timeout=120,  # a safety net, not a timing assert
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == (
        f"{path}:8:16: [error] the number 1:59:59:59:59:59:59:... (600,001 characters) is too "
        "large for any figure (icmap reads numbers up to about 1.8e308) (ICM107)\n"
    )


# ---- case 20: an id is the whole value --------------------------------------------------------


def test_an_id_ending_in_a_line_break_is_not_an_id(tmp_path: Path) -> None:
    org = HEADER + '  - id: "clerk\\n"\n'
    # Both were `clerk` to a reader; now the second is refused (its place: `  - id: ` + 1).
    assert ("ICM210", 8, 9) in findings(tmp_path, org)
    assert "id 'clerk\\n' is not a valid id" in message(tmp_path, org, "ICM210")


def test_a_dot_name_is_the_id_only_when_the_whole_id_is_well_formed() -> None:
    from icmap.render.dot import _dot_names

    # `a\n` matched `^...$` with re.match and went into the DOT unquoted, line break and all.
    assert _dot_names(["a", "a\n", "b"]) == {"a": "a", "a\n": "_n2", "b": "b"}


# ---- case 21: tags on the wrong kind of value ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "said"),
    [
        ("    tags: !!map [x]\n", "ICM104", "tag '!!map' does not fit a list: it marks a mapping"),
        ("    owner: !!str [b]\n", "ICM104", "tag '!!str' does not fit a list"),
        ("    owner: !!seq {a: 1}\n", "ICM104", "tag '!!seq' does not fit a mapping"),
        ("    headcount: !!map 3\n", "ICM104", "tag '!!map' does not fit a single value"),
        ("    description: !!timestamp junk\n", "ICM201", "'junk' is not a valid !!timestamp"),
        ("    name: !!bool maybe\n", "ICM201", "'maybe' is not a valid !!bool"),
    ],
)
def test_a_tag_that_does_not_fit_is_refused(
    tmp_path: Path, text: str, code: str, said: str
) -> None:
    org = HEADER + text
    assert [c for c, _, _ in findings(tmp_path, org)] == [code]
    assert said in message(tmp_path, org, code)


def test_tags_that_fit_still_work(tmp_path: Path) -> None:
    org = HEADER + (
        "    name: !!str 42\n    headcount: !!int 3\n    tags: !!seq [a]\n"
        "    description: !!timestamp 2024-01-31\n    lead_time: !!str 2h\n"
    )
    assert findings(tmp_path, org) == []


def test_a_dropped_value_does_not_take_a_later_one_with_it(tmp_path: Path) -> None:
    # A refused node used to be freed and its id() reused by a later node, which was then
    # silently left out too (`role has no id:`, one time in a few).
    org = (
        HEADER
        + "    tags: !!map [x]\n"
        + "".join(
            f"  - id: r{k}\n    depends_on: [clerk]\n    owner: !!str [b]\n" for k in range(50)
        )
    )
    codes = [c for c, _, _ in findings(tmp_path, org) if c != "ICM501"]  # r0... are orphans
    assert codes == ["ICM104"] * 51  # no `ICM202 role has no id:`


# ---- case 22: ASCII digits only -----------------------------------------------------------------


@pytest.mark.parametrize("text", ["١h", "٢d ٤h", "１h", "1h ٣m"])
def test_a_duration_in_other_scripts_digits_is_not_a_duration(text: str) -> None:
    assert parse_duration(text, Settings()) is None
    assert parse_duration("1h 3m", Settings()) == 1.05  # 1h + 3m (0.05h)


def test_unicode_digits_are_findings_in_an_org(tmp_path: Path) -> None:
    org = HEADER + (
        "    lead_time: ١h\n"
        "    depends_on:\n      - supplier: c2\n        complete_accurate: '٨٥%'\n"
        "  - id: c2\n"
    )
    assert findings(tmp_path, org) == [
        ("ICM204", 8, 16),  # `    lead_time: ` + 1
        ("ICM205", 11, 28),  # `        complete_accurate: ` + 1
    ]


# ---- case 23: a duplicate key written through an alias ----------------------------------------


def test_a_duplicate_key_through_an_alias_is_reported_at_the_alias(tmp_path: Path) -> None:
    org = HEADER.replace("  - id: clerk", "  - id: &word clerk") + (
        "    lead_time: 1h\n  - id: other\n    *word : 1h\n    clerk: 2h\n"
    )
    found = findings(tmp_path, org)
    # line 10 is `    *word : 1h` (the alias, column 5); the duplicate `clerk:` is line 11.
    assert ("ICM200", 10, 5) in found
    assert ("ICM101", 11, 5) in found
    assert "already set on line 10" in message(tmp_path, org, "ICM101")


# ---- case 13: labels --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "said"),
    [
        ('    name: " "\n', (8, 11), "name is only blank space"),
        ('    name: ""\n', (8, 11), "name is empty"),
        ('    name: "Clerk\\tdesk"\n', (8, 11), "holds the control character '\\t'"),
        ('    owner: "\\x1b[31mred"\n', (8, 12), "holds the control character '\\x1b'"),
        ("    name: >\n      Clerk\n", (8, 11), "has a blank line"),
        ('    tags: [" "]\n', (8, 12), "a tag is only blank space"),
        (
            '    depends_on:\n      - supplier: c2\n        provides: "x\\n"\n  - id: c2\n',
            (10, 19),
            "provides 'x\\n' has a blank line",
        ),
    ],
)
def test_a_blank_or_broken_label_is_refused_by_check(
    tmp_path: Path, text: str, where: tuple[int, int], said: str
) -> None:
    org = HEADER + text
    assert findings(tmp_path, org) == [("ICM215", *where)]
    assert said in message(tmp_path, org, "ICM215")


def test_a_refused_name_falls_back_to_the_id_and_lines_of_text_pass(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(
        HEADER.replace("organization: Values Ltd", 'organization: "Values\\u00a0Ltd"')
        + '    name: " "\n    depends_on:\n      - supplier: c2\n'
        + '        provides: "line one\\nline two"\n  - id: c2\n    name: "Ünï 😀"\n',
        encoding="utf-8",
    )
    result = check(str(path))
    assert [f.code for f in result.findings] == ["ICM215"]
    org = result.org
    assert org is not None
    assert org.name == "Values\u00a0Ltd"  # a no-break space is text
    assert org.unit("clerk").name == "clerk"
    assert org.unit("c2").name == "Ünï 😀"
    assert [d.provides for d in org.dependencies] == [None, "line one\nline two"]


# ---- and any number-like text at all: a property ----------------------------------------------

_DIGITS = st.text("0123456789abcdefABCDEF_", min_size=0, max_size=400)
_NUMBERISH = st.one_of(
    st.builds(lambda s, p, d: s + p + d, st.sampled_from(["", "-", "+"]),
              st.sampled_from(["0x", "0b", "0o", "0", "", "1", "9"]), _DIGITS),
    st.builds(lambda parts: "1" + "".join(":" + p for p in parts),
              st.lists(st.sampled_from(["59", "0", "5", "60", "_", "9_9"]), max_size=400)),
    st.builds(lambda n, tail: "1" * n + tail, st.integers(0, 5000), st.sampled_from(["", "e5", ".5"])),
)  # fmt: skip
_FIELDS = ["capacity", "headcount", "lead_time", "id", "name", "process_time"]


@settings(max_examples=150, deadline=None)
@given(
    value=_NUMBERISH,
    field=st.sampled_from(_FIELDS),
    tag=st.sampled_from(["", "!!int ", "!!float "]),
)
@example(value="1" * 885 + "e5", field="capacity", tag="")  # was quoted whole: 1,000 characters
@example(value="", field="capacity", tag="!!int ")
@example(value="", field="capacity", tag="!!float ")  # PyYAML's float reader: IndexError
@example(value="_", field="capacity", tag="!!float ")
@example(value="0b_", field="headcount", tag="")
def test_no_number_like_value_crashes_the_loader(value: str, field: str, tag: str) -> None:
    text = (
        HEADER + f"    {field}: {tag}{value}\n"
        if field != "id"
        else HEADER + f"  - id: {tag}{value}\n"
    )
    result = check_text(text)
    assert all(f.code in RULES for f in result.findings)
    for f in result.findings:
        assert len(f.message) < 1000  # quoted short, never whole


@pytest.mark.parametrize(
    "text",
    [
        "    lead_time: " + "x" * 100_000 + "\n",
        "    lead_time: -" + "1" * 100_000 + "h\n",
        "    lead_time: " + "2 days " * 20_000 + "\n",
        "    capacity: " + "1" * 100_000 + "e5\n",
        "    depends_on:\n      - supplier: c2\n        complete_accurate: "
        + "1" * 100_000
        + "%\n",
        "    depends_on:\n      - supplier: c2\n        complete_accurate: x"
        + "1" * 100_000
        + "\n",
        "    ? " + "k" * 100_000 + "\n    : 1\n",  # an unknown key
        "    ? " + "k" * 100_000 + "\n    : 1\n    ? " + "k" * 100_000 + "\n    : 2\n",
        "  - id: " + "x y" * 30_000 + "\n",
        "    depends_on:\n      - supplier: c2\n        kind: " + "k" * 100_000 + "\n",
    ],
    ids=[
        "text",
        "negative",
        "words",
        "exponent",
        "percent",
        "not-percent",
        "unknown-key",
        "duplicate-key",
        "bad-id",
        "kind",
    ],
)
def test_a_long_wrong_value_is_quoted_short(text: str) -> None:
    result = check_text(HEADER + text + "  - id: c2\n")
    assert result.findings
    for finding in result.findings:
        assert len(finding.message) + len(finding.hint) < 400, finding.message[:200]

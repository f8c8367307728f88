"""Hostile text in names and file names (issue 13, cases 5, 6, 7): no Mermaid directive, no
forged log line or terminal escape, no Markdown link or bidirectional reordering.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import cmarkgfm
import pytest
from typer.testing import CliRunner

from icmap.cli import app
from icmap.textsafety import BIDI_CONTROLS, markdown_inline, one_line, shown, shown_path

# Names built to attack each output: a Mermaid directive (case 5), links GFM would make
# (case 7) and bidirectional controls (U+202E reverses what follows; U+2066…U+2069
# isolate). A terminal escape in a name is refused by the loader (ICM215).
DIRECTIVE = '%%{init: {"theme":"forest","themeCSS":"body{display:none}"}}%%'
HOSTILE = """\
icmap: 1
organization: "%%{init: {'theme':'dark'}}%% https://evil.example/org"
external_customers:
  - id: customer
    name: '%%{init: {"theme":"forest","themeCSS":"body{display:none}"}}%%'
    depends_on: [first]
roles:
  - id: first
    name: "https://evil.example/phish \\u202eevil"
    lead_time: 2h
    depends_on: [second]
  - id: second
    name: "www.evil.example mail evil@evil.example \\u2066x\\u2069 \\u200f\\u061c"
    lead_time: 3h
"""
# The critical path: second (3h) -> first (2h) -> customer = 5h through 2 units.


def invoke(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "80"})


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


def no_bidi_or_escape(text: str) -> None:
    assert not BIDI_CONTROLS & set(text)
    assert "\x1b" not in text


# --- case 5: Mermaid directives ----------------------------------------------------------------


@pytest.mark.parametrize("output", ["chart.mmd", "chart.md"])
def test_no_user_text_reaches_a_mermaid_directive_or_comment(
    hostile: Path, tmp_path: Path, output: str
) -> None:
    out = tmp_path / output
    result = invoke("render", hostile, "-o", out)
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    # Nodes are numbered in id order: customer n1, first n2, second n3.
    # The only `%%` in the whole text is icmap's own comment, which names the customer by
    # its node id: 3h + 2h = 5h.
    assert [line for line in text.splitlines() if "%%" in line] == [
        "  %% Critical path to n1: 5h through 2 units"
    ]
    assert "%%{" not in text
    # Outside the front matter (where `%` is `\x25`), `{` is `#123;` everywhere.
    assert "{init" not in text.split("---\nflowchart", 1)[1]
    assert "themeCSS" in text  # the name is still shown, made inert: `#123;`, `#58;`
    assert (
        "title: \"\\x25\\x25{init: {'theme':'dark'}}\\x25\\x25 https://evil.example/org\"" in text
    )
    no_bidi_or_escape(text)


def test_a_mermaid_comment_names_no_user_text_even_when_a_customer_is_plain(
    hostile: Path,
) -> None:
    result = invoke("render", hostile, "-f", "mermaid")
    comments = [line for line in result.stdout.splitlines() if line.lstrip().startswith("%%")]
    assert comments == ["  %% Critical path to n1: 5h through 2 units"]


# --- case 6: control characters in paths and messages --------------------------------------

# A file name that, printed raw, would start a line of its own: a GitHub workflow command.
FORGED = "org\n::error file=README.md,line=1::INJECTED\x1b[31m\u202e.yaml"
FORGED_SHOWN = "org\\n::error file=README.md,line=1::INJECTED\\x1b[31m\\u202e.yaml"
BAD_ORG = """\
icmap: 1
organization: Bad
external_customers:
  - id: customer
    name: Customer
    depends_on: [maker]
roles:
  - id: maker
    name: Maker
    lead_time: 2h
    bogus: 1
"""


@pytest.fixture
def forged(tmp_path: Path) -> Path:
    path = tmp_path / FORGED
    path.write_text(BAD_ORG, encoding="utf-8")
    return path


def no_forged_line(text: str) -> None:
    """No line (even after spaces, as the Actions runner reads them) is a command."""
    assert not [line for line in text.splitlines() if line.lstrip().startswith("::")]
    no_bidi_or_escape(text)


def test_parsable_shows_a_newline_in_a_file_name_as_an_escape(forged: Path) -> None:
    result = invoke("check", forged, "-f", "parsable")
    assert result.exit_code == 1
    assert result.stdout == (
        f"{forged.parent}/{FORGED_SHOWN}:11:5: [error] unknown key 'bogus' in role (ICM200)\n"
    )
    no_forged_line(result.stdout)


def test_text_shows_a_newline_in_a_file_name_as_an_escape(forged: Path) -> None:
    result = invoke("check", forged, "-f", "text")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == f"{forged.parent}/{FORGED_SHOWN}"
    no_forged_line(result.stdout)


@pytest.mark.parametrize("command", [["analyze"], ["render", "-f", "dot"]])
def test_analyze_and_render_show_findings_on_one_line_each(
    forged: Path, command: list[str]
) -> None:
    result = invoke(command[0], forged, *command[1:])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{forged.parent}/{FORGED_SHOWN}:11:5: [error] unknown key 'bogus' in role (ICM200)"
    )
    no_forged_line(result.stderr)


def test_github_format_still_escapes_as_the_runner_expects(forged: Path) -> None:
    result = invoke("check", forged, "-f", "github")
    lines = result.stdout.splitlines()
    assert len(lines) == 1  # one finding, one command
    assert lines[0].startswith("::error file=")
    assert "%0A%3A%3Aerror file=README.md%2Cline=1%3A%3AINJECTED" in lines[0]


@pytest.mark.parametrize("command", [["check"], ["analyze"], ["render", "-f", "dot"]])
def test_a_missing_file_with_a_newline_in_its_name(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / FORGED
    result = invoke(command[0], missing, *command[1:])
    assert result.exit_code == 2
    assert result.stderr == f"icmap: {tmp_path}/{FORGED_SHOWN}: no such file\n"
    no_forged_line(result.stderr)


def test_a_relative_name_starting_a_command_is_shown_as_dot_slash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No control character at all: `icmap check *.yaml` with a file named like a command.
    name = "::error file=README.md,line=1::INJECTED.yaml"
    (tmp_path / name).write_text(BAD_ORG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    parsable = invoke("check", name, "-f", "parsable")
    assert parsable.stdout == f"./{name}:11:5: [error] unknown key 'bogus' in role (ICM200)\n"
    text = invoke("check", name, "-f", "text")
    assert text.stdout.splitlines()[0] == f"./{name}"
    analyzed = invoke("analyze", name)
    assert analyzed.stderr.splitlines()[0].startswith(f"./{name}:11:5: [error]")
    for output in (parsable.stdout, text.stdout, analyzed.stderr):
        no_forged_line(output)


def test_an_output_error_shows_the_name_escaped(tmp_path: Path, hostile: Path) -> None:
    out = tmp_path / "no\nsuch" / "x.json"
    result = invoke("analyze", hostile, "-o", out)
    assert result.exit_code == 2
    assert result.stderr == (
        f"icmap: cannot write {tmp_path}/no\\nsuch/x.json: No such file or directory\n"
    )


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\r\\nb"),
        ("tab\there", "tab\\there"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("nul\x00del\x7f", "nul\\x00del\\x7f"),
        ("c1 \x85 \x9b", "c1 \\x85 \\x9b"),  # NEL and CSI, the 8-bit escapes
        ("\u2028\u2029", "\\u2028\\u2029"),  # line and paragraph separators
        ("abc\u202edef", "abc\\u202edef"),
        (
            "\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
            "\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c",
        ),
        ("plain ünï 😀 text", "plain ünï 😀 text"),
    ],
)
def test_shown_writes_every_control_character_visibly(raw: str, escaped: str) -> None:
    assert shown(raw) == escaped


def test_shown_path_keeps_an_absolute_name_as_it_is() -> None:
    assert shown_path("/tmp/::error x") == "/tmp/::error x"
    assert shown_path("::error x") == "./::error x"
    assert shown_path("  ::x") == "./  \\x3a:x"  # and the `::` after spaces, as everywhere


# --- case 7: Markdown links and bidirectional controls -------------------------------------------


def html_of(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown)


@pytest.mark.parametrize(
    "name",
    [
        "https://evil.example/phish",
        "http://evil.example",
        "HTTPS://EVIL.EXAMPLE",
        "ftp://evil.example/x",
        "www.evil.example",
        "WWW.evil.example",
        "see www.evil.example/x now",
        "evil@evil.example",
        "first.last+tag@evil.example",
        "mailto:evil@evil.example",
        "xmpp:evil@evil.example/x",
        "<https://evil.example>",
        "[click](https://evil.example)",
        "![x](https://evil.example/x.png)",
        "<img src=x onerror=alert(1)>",
        "@team",
    ],
)
def test_a_name_never_becomes_a_link_or_html_in_markdown(name: str) -> None:
    html = html_of(f"| {markdown_inline(name)} |\n|---|\n\n- **{markdown_inline(name)}**\n")
    assert "<a " not in html and "<img" not in html and "href" not in html
    # The text reads as written (the empty comment that splits an address shows nothing).
    shown_text = re.sub(r"<!--.*?-->", "", html)
    assert name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in shown_text


def test_the_markdown_report_has_no_link_and_no_bidi_control(hostile: Path) -> None:
    result = invoke("analyze", hostile, "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    html = html_of(result.stdout)
    assert "<a " not in html and "href" not in html
    assert "https://evil.example/phish evil" in html  # shown, not linked, U+202E gone
    no_bidi_or_escape(result.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "-f", "text"],
        ["analyze", "-f", "csv"],
        ["render", "-f", "dot"],
        ["render", "-f", "mermaid"],
        ["check", "-f", "text"],
        ["check", "-f", "parsable"],
    ],
)
def test_no_bidi_control_or_escape_in_text_for_people(hostile: Path, args: list[str]) -> None:
    result = invoke(args[0], hostile, *args[1:])
    assert result.exit_code == 0, result.stderr
    no_bidi_or_escape(result.stdout + result.stderr)


def test_one_line_removes_bidi_controls_and_spaces_out_control_characters() -> None:
    assert one_line(" a\u202eb\u2066c\u2069\nd\x1be\u2028f ") == "abc d e f"


# --- GitHub's legacy `##[command]` form, obeyed anywhere in a line -----------------------------

LEGACY = """\
icmap: 1
organization: "##[error]forged org"
external_customers:
  - id: customer
    name: "##[error]forged customer"
    depends_on: [maker]
roles:
  - id: maker
    name: "##[warning]forged unit"
    lead_time: 2h
    depends_on: [wrapper]
  - id: wrapper
    name: "a name long enough to wrap in the report ::error file=x,line=1::forged"
    lead_time: 1h
"""
# 49 a's and a space fill the first line of the message at COLUMNS=80, so the text format
# wraps right before `::error`, onto an indented line of its own.
WRAPPED = LEGACY.replace(
    "    lead_time: 2h\n",
    '    lead_time: 2h\n    "' + "a" * 49 + ' ::error file=x,line=1::forged": 1\n'
    '    "##[error]key": 2\n',
)


def no_log_command_in(text: str) -> None:
    assert "##[" not in text
    no_forged_line(text)


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "-f", "text"],
        ["analyze", "-f", "csv"],
        ["analyze", "-f", "markdown"],
        ["render", "-f", "dot"],
        ["render", "-f", "mermaid"],
    ],
)
def test_no_legacy_log_command_in_reports_and_charts(tmp_path: Path, args: list[str]) -> None:
    org = tmp_path / "legacy.yaml"
    org.write_text(LEGACY, encoding="utf-8")
    result = invoke(args[0], org, *args[1:])
    assert result.exit_code == 0, result.stderr
    no_log_command_in(result.stdout + result.stderr)
    assert "forged" in result.stdout  # still shown, only made inert


@pytest.mark.parametrize(
    "args", [["check", "-f", "text"], ["check", "-f", "parsable"], ["analyze"]]
)
def test_no_command_in_findings_however_they_wrap(tmp_path: Path, args: list[str]) -> None:
    org = tmp_path / "wrapped.yaml"
    org.write_text(WRAPPED, encoding="utf-8")
    result = invoke(args[0], org, *args[1:])
    assert result.exit_code == 1
    no_log_command_in(result.stdout + result.stderr)
    assert "unknown key '##\\x5berror]key' in role (ICM200)" in result.stdout + result.stderr


def test_the_text_format_escapes_a_wrapped_line_that_would_be_a_command(tmp_path: Path) -> None:
    org = tmp_path / "wrapped.yaml"
    org.write_text(WRAPPED, encoding="utf-8")
    lines = invoke("check", org, "-f", "text").stdout.splitlines()
    # An unknown key is quoted cut to 38 characters (35 and `...`), so the forged command
    # after the 49 a's never reaches the report, wrapped or not; no line starts with `::`.
    assert lines[1] == "  11:5 error   unknown key '" + "a" * 35 + "...' in role"
    assert not any(line.lstrip().startswith("::") for line in lines)
    assert "forged" not in "\n".join(lines[:3])
    # The source line (after the `--> path:12:5` line): `##[` as `##\x5b`, the caret
    # still under column 5.
    assert lines[10] == f"               --> {org}:12:5"
    assert lines[11] == '               12 │     "##\\x5berror]key": 2'
    assert lines[12] == "                  │     ^"


def test_no_log_command_escapes_only_what_a_log_would_obey() -> None:
    assert shown("a ##[error]b") == "a ##\\x5berror]b"
    assert one_line(" ##[group]x ") == "##\\x5bgroup]x"
    assert markdown_inline("##[error]") == "\\#\\#\\[error\\]"
    assert shown("# [x] #[y]") == "# [x] #[y]"
    # `::` where a line could start (the text's start, after a space): its first `:`.
    assert one_line("::error x") == "\\x3a:error x"
    assert shown("a ::error::b") == "a \\x3a:error::b"
    assert shown("std::vector a::b") == "std::vector a::b"

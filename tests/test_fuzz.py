"""Hypothesis feeds the loader random text, random org-shaped YAML and broken examples.

Whatever comes in, a LoadResult / CheckResult comes out, never an exception, and every
finding has a known code, its rule's level and a place inside the file it names (a line the
file has, a column at most one past that line's end). Whatever checks clean is analyzed,
written in every report format and drawn as DOT, again without an exception. A key of an
example renamed to a word the format does not know is reported as an unknown key at that
key's line and column; `icmap check` exits 1 exactly when there is an error (or, with
`--strict`, any finding). Example counts are kept moderate so CI stays fast; no test here
measures time.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from icmap.api import CheckResult, analyze, check, find_including_roots
from icmap.cli import app
from icmap.codes import RULES
from icmap.format import SECTIONS
from icmap.loader import LoadResult, load_org
from icmap.model import Finding, Level
from icmap.render import chart_of, to_dot
from icmap.report.analysis import FORMATS, write_report

REPO = Path(__file__).resolve().parent.parent
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the examples (includes and all) to break, one file at a time."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(REPO / "examples", root / "examples")
    yield root


# What YAML counts as a line break (PyYAML's marks count lines this way).
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _lines(path: str) -> list[int]:
    """The length of each line of a file: in characters, or in bytes if it is not UTF-8."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:  # the loader places the bad byte by its byte offset
        return [len(line) for line in re.split(b"\r\n|[\r\n]", data)]
    return [len(line) for line in _LINE_BREAK.split(text)]


def _assert_sound(findings: tuple[Finding, ...], files: tuple[str, ...] = ()) -> None:
    line_lengths = {path: _lines(path) for path in set(files)}
    for finding in findings:
        assert finding.code in RULES
        assert finding.level is RULES[finding.code].level
        assert finding.message
        location = finding.location
        assert location is not None
        assert location.line >= 1 and location.column >= 1
        if location.file in line_lengths:
            # Inside the file: a line it has, at most one column past that line's end.
            lengths = line_lengths[location.file]
            assert location.line <= len(lengths), finding
            assert location.column <= lengths[location.line - 1] + 1, finding
    assert list(findings) == sorted(findings, key=Finding.sort_key)


def _load_and_check(path: Path) -> None:
    loaded = load_org(str(path))
    assert isinstance(loaded, LoadResult)
    _assert_sound(loaded.findings, loaded.files)
    checked = check(str(path))
    assert isinstance(checked, CheckResult)
    _assert_sound(checked.findings, checked.files)
    # Every finding names a file that was read (or the main file, when it could not be).
    assert {f.location.file for f in checked.findings if f.location} <= {str(path), *checked.files}
    if checked.org is not None and not checked.errors:
        # Whatever checks clean analyzes, reports in every format and draws.
        analysis = analyze(checked.org, graph=checked.graph)
        for output_format in FORMATS:
            assert write_report(analysis, output_format)
        assert to_dot(chart_of(analysis))


# ---- random text ------------------------------------------------------------------------------

_YAML_CHARS = st.sampled_from(
    list(" \n\t:-[]{},&*!|>'\"#%@`?<=~0123456789.eE+aZ_\x00\x07é中\ufeff")
)


@FUZZ
@given(text=st.one_of(st.text(max_size=300), st.text(_YAML_CHARS, max_size=300)))
def test_random_text_never_raises(workdir: Path, text: str) -> None:
    path = workdir / "random.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _load_and_check(path)


@FUZZ
@given(data=st.binary(max_size=200))
def test_random_bytes_never_raise(workdir: Path, data: bytes) -> None:
    path = workdir / "bytes.yaml"
    path.write_bytes(data)
    _load_and_check(path)


# ---- random org-shaped YAML -------------------------------------------------------------------

_KNOWN_KEYS = sorted({key for fields in SECTIONS.values() for key in fields})
_TYPOS = ["depnds_on", "leadtime", "Lead_time", "supplier ", "kind_", "roles2", "on", "<<", ""]
_IDS = ["buyer", "clerk", "desk", "lab", "ops", "Desk", "bad id", "-x", "dept", "1"]
# Durations, percentages, choices and YAML look-alikes, good and bad.
_WORDS = ["1h", "2d", "90m", "45min", "1w", ".5h", "-1h", "1d 4h", "2 days", "1h x"]
_WORDS += ["85%", "120%", "0.5", "information", "data", "minutes", "2024-06-01", "12:30", "on"]
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10_000),
    st.sampled_from([10**400, -(10**400), 10**20]),  # beyond a float, beyond exact floats
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from([*_IDS, *_WORDS]),
)
_KEYS = st.one_of(st.sampled_from(_KNOWN_KEYS), st.sampled_from(_TYPOS))
_ANY = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=5)),
    max_leaves=10,
)


def _mapping_of(section: str) -> st.SearchStrategy[dict[str, Any]]:
    """A mapping using mostly the section's own keys, with plausible or random values."""
    keys = st.one_of(st.sampled_from(sorted(SECTIONS[section])), _KEYS)
    return st.dictionaries(keys, _ANY, max_size=6)


def _unit() -> st.SearchStrategy[dict[str, Any]]:
    dependency = st.one_of(st.sampled_from(_IDS), _mapping_of("dependency"))
    return st.fixed_dictionaries(
        {"id": st.sampled_from(_IDS)},
        optional={
            "depends_on": st.lists(dependency, max_size=4),
            "lead_time": st.one_of(_SCALARS, _mapping_of("estimate")),
            "department": st.sampled_from(_IDS),
            "roles": st.lists(_mapping_of("nested_role"), max_size=3),
        },
    ).flatmap(lambda base: _mapping_of("role").map(lambda extra: {**extra, **base}))


_ORG = st.fixed_dictionaries(
    {},
    optional={
        "icmap": st.one_of(st.just(1), _SCALARS),
        "organization": _SCALARS,
        "settings": st.one_of(_mapping_of("settings"), _ANY),
        "external_customers": st.lists(_unit(), max_size=3),
        "departments": st.lists(_unit(), max_size=3),
        "roles": st.lists(_unit(), max_size=4),
        "include": st.one_of(st.sampled_from(["*.yaml", "none/*.yaml", "org.yaml"]), _ANY),
    },
).flatmap(lambda org: st.dictionaries(_KEYS, _ANY, max_size=2).map(lambda extra: {**extra, **org}))


@FUZZ
@given(org=_ORG)
def test_random_org_shaped_yaml_never_raises(workdir: Path, org: dict[str, Any]) -> None:
    folder = workdir / "shaped"
    folder.mkdir(exist_ok=True)
    path = folder / "org.yaml"
    path.write_text(yaml.safe_dump(org, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _load_and_check(path)


# ---- mutated examples ----------------------------------------------------------------------------

_EXAMPLE_FILES = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "examples").rglob("*.yaml"))
_INSERTS = st.sampled_from([*":-[]{}&*!#'\"\t%|>,? \n", "on: x", "<<: *nope", "- ", "  "])


@st.composite
def _mutation(draw: st.DrawFn, text: str) -> str:
    """The text with one to four lines deleted, duplicated, swapped, re-indented or typed into."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "insert"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "indent":
            shift = draw(st.sampled_from([-4, -2, -1, 1, 2, 4]))
            lines[i] = " " * shift + lines[i] if shift > 0 else lines[i][-shift:]
        else:
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(_INSERTS) + lines[i][at:]
        if not lines:
            lines = [""]
    return "\n".join(lines)


@cache
def _main_of(relative: str) -> str:
    """The example's main file: itself, or for an included file the file that includes it."""
    roots = find_including_roots(str(REPO / relative))
    return Path(roots[0]).relative_to(REPO).as_posix() if roots else relative


def test_included_examples_have_their_main_file() -> None:
    assert _main_of("examples/retail/departments/stores.yaml") == "examples/retail/retail.yaml"
    assert _main_of("examples/clinic.yaml") == "examples/clinic.yaml"


@FUZZ
@given(data=st.data(), relative=st.sampled_from(_EXAMPLE_FILES))
def test_mutated_examples_never_raise(workdir: Path, data: st.DataObject, relative: str) -> None:
    target = workdir / relative
    original = (REPO / relative).read_text(encoding="utf-8")
    target.write_text(data.draw(_mutation(original)), encoding="utf-8")
    try:
        _load_and_check(workdir / _main_of(relative))
    finally:
        target.write_text(original, encoding="utf-8")


runner = CliRunner()


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    data=st.data(),
    relative=st.sampled_from(_EXAMPLE_FILES),
    output_format=st.sampled_from(["text", "parsable", "json", "github", "sarif"]),
)
def test_cli_on_mutated_examples_shows_no_traceback(
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    data: st.DataObject,
    relative: str,
    output_format: str,
) -> None:
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("NO_COLOR", "1")
    original = (REPO / relative).read_text(encoding="utf-8")
    (workdir / relative).write_text(data.draw(_mutation(original)), encoding="utf-8")
    try:
        result = runner.invoke(app, ["check", "--format", output_format, _main_of(relative)])
    finally:
        (workdir / relative).write_text(original, encoding="utf-8")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code in (0, 1)


# ---- a key renamed: an unknown key, at its place -------------------------------------------------

_VALID_KEYS = {key for fields in SECTIONS.values() for key in fields}
# Words YAML 1.1 reads as booleans or null: a key spelt so has its own error (ICM102).
_NOT_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
_NEW_KEYS = st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12).filter(
    lambda word: word not in _VALID_KEYS and word not in _NOT_WORDS
)
# A key of a block mapping, alone or after `- `: `    lead_time: 2h`, `  - id: desk`.
_BLOCK_KEY = re.compile(r"^( *(?:- )?)([a-z_]+):(?: |$)")


def _block_keys(text: str) -> list[tuple[int, int]]:
    """(0-based line, 0-based column) of every block-mapping key in the text."""
    found = []
    for number, line in enumerate(text.split("\n")):
        match = _BLOCK_KEY.match(line)
        if match:
            found.append((number, len(match.group(1))))
    return found


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), relative=st.sampled_from(_EXAMPLE_FILES), new_key=_NEW_KEYS)
def test_a_key_renamed_to_an_unknown_word_is_reported_at_its_place(
    workdir: Path, data: st.DataObject, relative: str, new_key: str
) -> None:
    original = (REPO / relative).read_text(encoding="utf-8")
    line, column = data.draw(st.sampled_from(_block_keys(original)))
    lines = original.split("\n")
    old_key = _BLOCK_KEY.match(lines[line]).group(2)  # type: ignore[union-attr]
    lines[line] = lines[line][:column] + new_key + lines[line][column + len(old_key) :]
    target = workdir / relative
    target.write_text("\n".join(lines), encoding="utf-8")
    try:
        result = check(str(workdir / _main_of(relative)))
    finally:
        target.write_text(original, encoding="utf-8")
    unknown = [
        f
        for f in result.findings
        if f.code == "ICM200" and f.location is not None and f.location.file == str(target)
    ]
    # An unknown key at the renamed key (its 1-based line and column), its word named, and
    # at no other place. A key of an anchored mapping is found once per alias of it, as the
    # same finding, which the report shows once.
    assert {(f.location.line, f.location.column) for f in unknown if f.location} == {
        (line + 1, column + 1)
    }
    assert len(set(unknown)) == 1
    assert f"unknown key {new_key!r}" in unknown[0].message
    assert result.errors >= 1


# ---- exit codes follow the levels ------------------------------------------------------------


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), relative=st.sampled_from(_EXAMPLE_FILES), strict=st.booleans())
def test_check_exits_1_exactly_when_a_finding_fails_the_check(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, data: st.DataObject, relative: str, strict: bool
) -> None:
    monkeypatch.chdir(workdir)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    original = (REPO / relative).read_text(encoding="utf-8")
    (workdir / relative).write_text(data.draw(_mutation(original)), encoding="utf-8")
    try:
        # Each finding once: a key of an anchored mapping is found once per alias of it,
        # as the same finding, which the report shows once.
        expected = set(check(_main_of(relative)).findings)
        args = ["check", "--format", "parsable", *(["--strict"] if strict else [])]
        result = runner.invoke(app, [*args, _main_of(relative)])
    finally:
        (workdir / relative).write_text(original, encoding="utf-8")
    errors = [f for f in expected if f.level is Level.ERROR]
    # 1 iff an error, or with --strict any finding; 0 with warnings only otherwise.
    assert result.exit_code == (1 if errors or (strict and expected) else 0)
    # One line per finding (and its hint), each naming its level.
    reported = [line for line in result.stdout.splitlines() if not line.startswith("  hint: ")]
    assert len(reported) == len(expected)
    assert sum("[error]" in line for line in reported) == len(errors)
    assert result.stderr == ""

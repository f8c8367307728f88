"""YAML text to positioned nodes: positions, the traps YAML hides, anchors, and both parsers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from icmap import yamlsource
from icmap.loader import load_org
from icmap.yamlsource import ALIAS_BUDGET, ALIAS_FACTOR, Node, parse

REPO = Path(__file__).resolve().parent.parent


def _root(text: str) -> Node:
    source = parse(text)
    assert source.problems == ()
    assert source.root is not None
    return source.root


def _codes(text: str) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.column) for p in parse(text).problems]


# ---- positions ---------------------------------------------------------------------------


def test_positions_are_one_based_and_point_at_the_token() -> None:
    root = _root("icmap: 1\nroles:\n  - id: clerk\n    tags: [a, b]\n")
    key, value = yamlsource.key_node(root.value, "icmap"), root.value["icmap"]
    assert (key.value, key.line, key.column, value.line, value.column) == ("icmap", 1, 1, 1, 8)
    # A key gets no Node of its own: its value node carries where the key is written.
    assert (value.key_line, value.key_column) == (1, 1)
    roles = root.value["roles"]
    # The block sequence starts at its first `-`, line 3 column 3; the item's mapping at
    # the `id` key after `  - `, column 5; the id's value after `id: `, column 9.
    assert (roles.line, roles.column) == (3, 3)
    item = roles.value[0]
    assert (item.line, item.column) == (3, 5)
    tags_key = yamlsource.key_node(item.value, "tags")
    assert (tags_key.line, tags_key.column) == (4, 5)
    assert (item.value["id"].line, item.value["id"].column) == (3, 9)
    tags = item.value["tags"]
    # `    tags: [a, b]`: the flow sequence `[` at 4 + len("tags: ") + 1 = 11; `b` at 15.
    assert (tags.line, tags.column) == (4, 11)
    assert [(t.value, t.column) for t in tags.value] == [("a", 12), ("b", 15)]


def test_scalars_resolve_like_safe_load() -> None:
    text = (
        "a: 1\nb: 1.5\nc: .5\nd: true\ne: ~\nf: 0x1F\ng: 1_000\nh: '1'\ni: !!str 12\nj: !!int '7'\n"
    )
    values = {k: v.value for k, v in _root(text).value.items()}
    assert values == yaml.safe_load(text)


_LONG_WORDS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=6, max_size=12
)


@given(
    text=st.one_of(
        _LONG_WORDS,
        st.sampled_from(["falsey", "nullify", "Trueish", "~tilde", ".infinity", "12345678"]),
    )
)
def test_long_plain_values_skip_resolving_only_when_they_must_stay_text(text: str) -> None:
    # The composer takes a value of more than 5 characters not starting with one of
    # _MAY_RESOLVE as text without resolving it: that must be what resolving would give.
    if text[0] not in yamlsource._MAY_RESOLVE:
        assert yamlsource._resolve_plain(text) == text


@pytest.mark.parametrize(
    "value",
    ["Officer 12", "sales-0001", "FALSE", "falsey", "nullable", "~", "Onwards", "123456", "-1.5e3"],
)
def test_values_resolve_like_safe_load_whatever_their_length(value: str) -> None:
    text = f"a: {value}\n"
    assert {"a": _root(text).value["a"].value} == yaml.safe_load(text)


def test_timestamps_stay_text() -> None:
    values = {
        k: v.value for k, v in _root("a: 2024-06-01\nb: 2024-06-01T09:30:00Z\n").value.items()
    }
    assert values == {"a": "2024-06-01", "b": "2024-06-01T09:30:00Z"}


# ---- what YAML parsers accept silently ---------------------------------------------------


def test_duplicate_key_is_reported_at_the_second_key_with_the_first_line() -> None:
    source = parse("a: 1\nb: 2\na: 3\n")
    (problem,) = source.problems
    assert (problem.code, problem.line, problem.column) == ("ICM101", 3, 1)
    assert "already set on line 1" in problem.message
    assert source.root is not None and source.root.value["a"].value == 1  # the first one


@pytest.mark.parametrize("word", ["on", "On", "ON", "off", "yes", "No", "true", "FALSE"])
def test_yaml11_boolean_key_has_its_own_error(word: str) -> None:
    source = parse(f"roles: []\n{word}: call\n")
    (problem,) = source.problems
    assert (problem.code, problem.line, problem.column) == ("ICM102", 2, 1)
    assert f"'{word}'" in problem.message and "quotes" in problem.message


def test_quoted_yaml11_words_and_y_n_are_plain_keys() -> None:
    # PyYAML's YAML 1.1 resolver leaves `y` and `n` alone; quoting makes any word text.
    root = _root("\"on\": 1\n'yes': 2\ny: 3\nn: 4\nfeedback: yes\n")
    assert sorted(root.value) == ["feedback", "n", "on", "y", "yes"]
    assert root.value["feedback"].value is True  # as a value, yes is still true


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: !!python/object:os.system {}\n", 1, 4),
        ("a: !!python/name:os.system ''\n", 1, 4),
        ("a:\n  - !!python/tuple [1, 2]\n", 2, 5),
        ("a: !custom 1\n", 1, 4),
    ],
)
def test_unsafe_tags_are_reported_and_left_out(text: str, line: int, column: int) -> None:
    source = parse(text)
    assert [(p.code, p.line, p.column) for p in source.problems] == [("ICM104", line, column)]
    assert source.root is not None
    value = source.root.value["a"].value if "a" in source.root.value else None
    # The tagged node is gone: the key is absent, or the list lost the item.
    assert value in (None, [])


def test_a_bad_explicit_tag_value_is_a_wrong_type_once() -> None:
    source = parse("a: !!int abc\nb: 1\n")
    assert [(p.code, p.line, p.column) for p in source.problems] == [("ICM201", 1, 4)]
    assert source.root is not None and list(source.root.value) == ["b"]  # `a` is left out


def test_second_document_is_reported_and_the_first_is_kept() -> None:
    source = parse("a: 1\n---\nb: 2\n---\nc: 3\n")
    assert [(p.code, p.line, p.column) for p in source.problems] == [("ICM105", 2, 1)]
    assert source.root is not None and list(source.root.value) == ["a"]


def test_syntax_error_names_where_the_construct_started() -> None:
    source = parse("a: [1, 2\nb: 3\n")
    (problem,) = source.problems
    assert problem.code == "ICM100"
    # libyaml notices at `b: 3`'s colon (line 2, column 2); the `[` opened at line 1 col 4.
    assert (problem.line, problem.column) == (2, 2)
    assert "starts at line 1, column 4" in problem.message
    assert source.root is None


def test_control_character_is_a_syntax_error_at_its_place() -> None:
    assert _codes("a: 1\nb: x\x07y\n") == [("ICM100", 2, 5)]


def test_undefined_alias_is_reported_once_and_left_out() -> None:
    source = parse("a:\n  <<: *nowhere\n  b: 1\n")
    assert [(p.code, p.line, p.column) for p in source.problems] == [("ICM100", 2, 7)]
    assert source.root is not None and list(source.root.value["a"].value) == ["b"]


# ---- anchors, aliases and merge keys ---------------------------------------------------------


def test_alias_shares_the_anchored_node() -> None:
    root = _root("a: &x {k: 1}\nb: *x\n")
    a, b = root.value["a"], root.value["b"]
    # One mapping under two keys; each place keeps its own key position (line 1 and 2).
    assert a.value is b.value
    assert [(a.key_line, a.key_column), (b.key_line, b.key_column)] == [(1, 1), (2, 1)]


def test_merge_keys_copy_missing_keys_and_explicit_keys_win() -> None:
    text = "base: &b {x: 1, y: 2}\nmore: &m {z: 3}\nc:\n  <<: [*b, *m]\n  y: 20\n"
    c = _root(text).value["c"].value
    assert {k: v.value for k, v in c.items()} == {"x": 1, "y": 20, "z": 3}
    assert {k: v.value for k, v in c.items()} == yaml.safe_load(text)["c"]


def test_explicit_key_before_the_merge_also_wins() -> None:
    c = _root("b: &b {x: 1}\nc:\n  x: 5\n  <<: *b\n").value["c"].value
    assert c["x"].value == 5


def test_a_key_twice_after_a_merge_is_still_a_duplicate() -> None:
    assert _codes("b: &b {x: 1}\nc:\n  <<: *b\n  x: 2\n  x: 3\n") == [("ICM101", 5, 3)]


def test_merging_a_scalar_is_a_wrong_type() -> None:
    # Reported at the `<<` key (3:3), not at the anchored scalar on line 1.
    assert _codes("b: &b 1\nc:\n  <<: *b\n") == [("ICM201", 3, 3)]


def _bomb(levels: int) -> str:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, levels):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ", ".join(f"*{prev}" for _ in range(9)) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_stops_within_the_node_budget() -> None:
    # Nine levels of nine aliases would expand to 9**9 (387 million) nodes; the file holds
    # 9 + 8 * 9 + the 9 keys = 90 scalars and 9 sequences plus the root (100 nodes).
    source = parse(_bomb(9))
    (problem,) = source.problems
    assert problem.code == "ICM103"
    assert source.root is None
    expanded, held = (int(n.replace(",", "")) for n in re.findall(r"[\d,]+\d", problem.message))
    # It stops at the first alias that crosses ALIAS_BUDGET + ALIAS_FACTOR * held, so it
    # overshoots by at most one alias's target. Level k holds 9**k scalars (plus its
    # sequences); the budget is crossed inside level 6, by an alias of level 5: < 9**6.
    assert held <= 100
    assert expanded <= ALIAS_BUDGET + ALIAS_FACTOR * held + 9**6
    assert expanded < 1_000_000


def test_small_shared_blocks_are_not_a_bomb() -> None:
    # Three levels: 9**3 = 729 expanded nodes, far inside the budget.
    assert parse(_bomb(3)).problems == ()


# ---- the pure-Python parser gives the same findings ---------------------------------------------


def _all_case_files() -> list[str]:
    cases = REPO / "tests" / "cases"
    files = [*cases.glob("*/*.yaml"), *cases.glob("*/*/main.yaml"), *REPO.glob("examples/*.yaml")]
    return sorted(p.relative_to(REPO).as_posix() for p in files)


def _findings(path: str) -> list[tuple[str, str, int, int, str]]:
    result = load_org(path)
    return [
        (f.code, f.location.file, f.location.line, f.location.column, f.message)
        for f in result.findings
        if f.location is not None
    ]


@pytest.mark.parametrize("path", _all_case_files())
def test_pure_python_parser_gives_the_same_findings(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    with_libyaml = _findings(path)
    monkeypatch.setattr(yamlsource, "_Loader", yaml.SafeLoader)
    without = _findings(path)
    if any(code == "ICM100" for code, *_ in with_libyaml):
        # The two parsers word syntax errors differently; the place and code must agree.
        assert [f[:4] for f in without] == [f[:4] for f in with_libyaml]
    else:
        assert without == with_libyaml


def test_a_bad_character_after_non_ascii_text_is_placed_by_characters() -> None:
    # libyaml counts bytes: `é` (2 bytes) and `中` (3) before the control character would put
    # it at byte offset 5, column 6 of `é中\x1f`; in characters it is the third: column 3.
    (problem,) = parse("é中\x1f\n").problems
    assert (problem.code, problem.line, problem.column) == ("ICM100", 1, 3)


def test_the_end_of_a_file_without_a_last_line_break_is_on_its_last_line() -> None:
    # `[` never closed: libyaml reports the end of the stream on line 2, which the file does
    # not have; it is just past the end of line 1 (column 1 + 1).
    (problem,) = parse("[").problems
    assert (problem.line, problem.column) == (1, 2)
    (problem,) = parse("a: [1,\n  2").problems  # line 2 is `  2` (3 characters): column 4
    assert (problem.line, problem.column) == (2, 4)


def test_a_bad_character_after_a_yaml_line_break_is_on_the_next_line() -> None:
    # NEL (U+0085) and `\r` end a line in YAML: the control character after it is at 2:1.
    for text in ("\x85\x1f", "\r\x1f", "a\u2028\x1f"):
        (problem,) = parse(text).problems
        assert (problem.line, problem.column) == (2, 1), repr(text)


# ---- light events --------------------------------------------------------------------------


def _tree(node: Node | None) -> object:
    """A node and everything under it as plain values, positions included."""
    if node is None:
        return None
    value = node.value
    if isinstance(value, dict):
        value = {k: _tree(v) for k, v in value.items()}
    elif isinstance(value, list):
        value = [_tree(v) for v in value]
    return (value, node.line, node.column, node.key_line, node.key_column)


def _composed(text: str) -> tuple[object, object, bool]:
    source = parse(text)
    return _tree(source.root), source.problems, source.anchored


@pytest.mark.parametrize("path", _all_case_files())
def test_light_events_compose_what_the_parsers_own_events_compose(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Lending libyaml our event makers changes how fast events come, never what they say:
    # the same tree, positions, problems, for every case file (broken ones included).
    text = (REPO / path).read_bytes().decode("utf-8", errors="replace")
    lent = _composed(text)
    monkeypatch.setattr(yamlsource._LENDER, "works", False)  # the parser's own events
    assert _composed(text) == lent


def _parsers_own_classes() -> bool:
    from yaml import _yaml, events

    return all(getattr(_yaml, name) is getattr(events, name) for name in yamlsource._EVENT_MAKERS)


@pytest.mark.skipif(not yamlsource.HAS_LIBYAML, reason="needs libyaml")
def test_the_parser_has_its_own_event_classes_back_after_every_parse() -> None:
    parse("a: [b, {c: d}]\n")
    assert yamlsource._LENDER.works is True  # the sample read as expected: lent
    assert _parsers_own_classes()
    assert parse("a: [b\n").problems[0].code == "ICM100"  # a syntax error raised mid-parse
    assert _parsers_own_classes()
    assert yaml.safe_load("a: [b]") == {"a": ["b"]}  # PyYAML's own users are unaffected


@pytest.mark.skipif(not yamlsource.HAS_LIBYAML, reason="needs libyaml")
def test_nothing_is_lent_while_another_thread_runs() -> None:
    import threading

    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert yamlsource._LENDER.lend() is False
        assert _parsers_own_classes()
        assert _tree(parse("a: 1\n").root) == ({"a": (1, 1, 4, 1, 1)}, 1, 1, 0, 0)
    finally:
        release.set()
        other.join()
    assert yamlsource._LENDER.lend() is True  # one thread again
    yamlsource._LENDER.give_back()
    assert _parsers_own_classes()


@pytest.mark.skipif(not yamlsource.HAS_LIBYAML, reason="needs libyaml")
def test_a_parser_that_makes_other_events_is_not_lent_the_makers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A PyYAML that called its event classes otherwise would fail the sample: it is then
    # never lent the makers, and icmap reads its own events, as it does without libyaml.
    monkeypatch.setattr(yamlsource._LENDER, "works", None)
    monkeypatch.setattr(yamlsource, "_as_expected", lambda events: False)
    assert _tree(parse("a: [b]\n").root) == (
        {"a": ([("b", 1, 5, 0, 0)], 1, 4, 1, 1)},
        1,
        1,
        0,
        0,
    )
    assert yamlsource._LENDER.works is False
    assert _parsers_own_classes()
    assert yamlsource._LENDER.lend() is False


@pytest.mark.skipif(not yamlsource.HAS_LIBYAML, reason="needs libyaml")
def test_loading_an_org_parses_it_with_the_makers_lent(monkeypatch: pytest.MonkeyPatch) -> None:
    # What `icmap analyze` and `check` run: every file of the org is read with light events
    # straight from the parser (the clinic is one file), and the classes are back after.
    lent: list[bool] = []
    lend = yamlsource._LENDER.lend

    def recording() -> bool:
        lent.append(lend())
        return lent[-1]

    monkeypatch.setattr(yamlsource._LENDER, "lend", recording)
    assert load_org(str(REPO / "examples" / "clinic.yaml")).org is not None
    assert lent == [True]
    assert _parsers_own_classes()


@pytest.mark.skipif(not yamlsource.HAS_LIBYAML, reason="needs libyaml")
def test_an_interrupt_while_the_sample_is_read_gives_the_classes_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def interrupted() -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr(yamlsource._LENDER, "works", None)
    monkeypatch.setattr(yamlsource, "_reads_sample", interrupted)
    with pytest.raises(KeyboardInterrupt):
        parse("a: 1\n")
    assert _parsers_own_classes()
    assert yamlsource._LENDER.lock.acquire(blocking=False)  # not left held
    yamlsource._LENDER.lock.release()

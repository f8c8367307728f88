"""YAML text to a tree of positioned nodes, built straight from the parser's events.

PyYAML's own composer is pure Python and is most of the cost of `yaml.safe_load`; its C
parser alone emits every event with line/column marks many times faster. So we compose the
events ourselves into light `Node`s that keep their 1-based position, and on the way we catch
what YAML parsers silently accept: duplicate keys, YAML 1.1 boolean keys (`on:`), unsafe tags,
and anchors/aliases that expand without bound (an alias bomb). Scalars are resolved with
`yaml.safe_load` semantics; timestamps stay text (no org field is a date).

The composer reads *light events*: a scalar as the tuple of what the parser knows of it, a
mapping or list start as a short list, their ends as one shared marker (see `_light`).
libyaml's parser builds each event by calling a pure-Python class of `yaml.events`, and
that is two fifths of the parser's time; for the span of one parse we let it call our
makers instead, when that is safe (see `_EventMakers`), and otherwise turn its events into
light ones as they come.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import yaml
from yaml import events as ev

#: libyaml's C parser; the pure-Python one where libyaml is missing.
HAS_LIBYAML: bool = getattr(yaml, "__with_libyaml__", False)
_C_LOADER: type | None = getattr(yaml, "CSafeLoader", None) if HAS_LIBYAML else None
_Loader: type = _C_LOADER or yaml.SafeLoader

#: Aliases may expand the document to this many nodes beyond ten times what it really holds.
ALIAS_BUDGET = 100_000
ALIAS_FACTOR = 10


class Node:
    """A YAML node with its 1-based position.

    `value` is a str/int/float/bool/None for a scalar, a list of Nodes for a sequence, or a
    dict mapping each key to the Node of its value for a mapping (see `Pairs`). Keys are the
    resolved key values (strings in any valid org file) and get no Node of their own (a large
    org has over a million): the value node of a key carries where the key is written, as
    `key_line` and `key_column` (0 for a node that is no key's value); `key_node` gives it.
    """

    __slots__ = ("column", "key_column", "key_line", "line", "value")

    def __init__(
        self, value: Any, line: int, column: int, key_line: int = 0, key_column: int = 0
    ) -> None:
        self.value = value
        self.line = line
        self.column = column
        self.key_line = key_line
        self.key_column = key_column

    @property
    def is_mapping(self) -> bool:
        """True for a mapping node."""
        return isinstance(self.value, dict)

    @property
    def is_sequence(self) -> bool:
        """True for a sequence node."""
        return isinstance(self.value, list)

    def __repr__(self) -> str:
        return f"Node({self.value!r}, {self.line}, {self.column})"


#: A mapping node's value: each key to the node of its value, which knows where the key is.
Pairs = dict[Any, Node]


class _At(NamedTuple):
    """Where a key that came as a Node (anchored, tagged, an alias, a container) starts,
    0-based like the parser's marks."""

    line: int
    column: int


def key_node(pairs: Pairs, key: Any) -> Node:
    """The key `key` of a mapping's pairs as a Node: the key's value at the key's position."""
    value = pairs[key]
    return Node(key, value.key_line, value.key_column)


def _keyed(node: Node, at: Any) -> Node:
    """`node` as the value of a key that starts at `at` (0-based): it carries the key's place.

    A node already under a key (an alias's target) is copied, sharing its value, so each
    place keeps its own key position."""
    if node.key_line:
        node = Node(node.value, node.line, node.column)
    node.key_line = at.line + 1
    node.key_column = at.column + 1
    return node


@dataclass(frozen=True, slots=True)
class SourceProblem:
    """A YAML-level problem: a finding code, a message, a hint and a 1-based position."""

    code: str
    message: str
    line: int
    column: int
    hint: str = ""


@dataclass(frozen=True, slots=True)
class Source:
    """The result of reading YAML text: the root node (None if unusable) and any problems.

    `anchored` is True when the text defines an anchor: then a node may stand in more than
    one place, and the tree is not a tree of distinct nodes."""

    root: Node | None
    problems: tuple[SourceProblem, ...]
    anchored: bool = False


_YAML11_BOOLS = {
    w: w.lower() in ("yes", "true", "on")
    for w in [
        "yes",
        "Yes",
        "YES",
        "no",
        "No",
        "NO",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
    ]
}
_STR_TAG = "tag:yaml.org,2002:str"
_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:merge",
}
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_MERGE_KEY = "<<"
_DROPPED_KEY = object()  # a key already reported (unsafe tag, undefined alias)


#: Plain scalars longer than 5 characters (`false`, the longest YAML 1.1 boolean) resolve to
#: anything but text only if they start with one of these (numbers, timestamps, `.inf`...).
_MAY_RESOLVE = frozenset(
    first
    for first, resolvers in _RESOLVERS.items()
    if first and any(tag.rsplit(":", 1)[-1] not in ("bool", "null") for tag, _ in resolvers)
)


def _resolve_plain(text: str) -> Any:
    """Resolve a plain (unquoted) scalar the way `yaml.safe_load` would."""
    for tag, regexp in _RESOLVERS.get(text[:1], ()):
        if regexp.match(text):
            return _construct(tag, text)
    return text


class NumberTooLarge(Exception):
    """An integer no float can hold (2**1024 or more): no figure in an org is that large."""


#: Integers this many bits long or longer are refused: no float holds them (1.8e308).
_INT_BITS = 1024
#: A base-60 integer of more parts than this is over 60**173 > 2**1024: refused unread.
_SEXAGESIMAL_PARTS = 174


def _yaml11_int(text: str) -> int:
    """A YAML 1.1 integer (`12`, `0x1f`, `0b101`, `017`, `1:30`), as `yaml.safe_load` reads it.

    Raises ValueError for text that is no integer and NumberTooLarge for one too large,
    cheaply: the decimal digits are counted before converting (Python refuses over 4,300
    of them), and a base-60 value is refused by its number of parts before the arithmetic
    (PyYAML's own loop is quadratic in them).
    """
    digits = text.replace("_", "")
    sign = -1 if digits[:1] == "-" else 1
    if digits[:1] in "+-":
        digits = digits[1:]
    if digits == "0":
        return 0
    if digits.startswith("0b"):
        value = int(digits[2:], 2)
    elif digits.startswith("0x"):
        value = int(digits[2:], 16)
    elif digits.startswith("0"):
        value = int(digits, 8)
    elif ":" in digits:
        parts = digits.split(":")
        if len(parts) > _SEXAGESIMAL_PARTS or len(parts[0]) > 310:
            raise NumberTooLarge(text)
        value = 0
        for part in parts:
            value = value * 60 + int(part)
    else:
        if len(digits) > 310:  # over 10**309: too large, and maybe too long for int()
            raise NumberTooLarge(text)
        value = int(digits)
    if value.bit_length() >= _INT_BITS + 1:
        raise NumberTooLarge(text)
    return sign * value


def _construct(tag: str, text: str) -> Any:
    if tag == "tag:yaml.org,2002:bool":
        value = _YAML11_BOOLS.get(text)
        if value is None:  # an explicit `!!bool` takes any case, as yaml.safe_load does
            lowered = text.lower()
            if lowered not in _YAML11_BOOLS:
                raise ValueError(text)
            value = _YAML11_BOOLS[lowered]
        return value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:int":
        return _yaml11_int(text)
    if tag == "tag:yaml.org,2002:float":
        if not text.replace("_", ""):  # PyYAML's reader fails on it with an IndexError
            raise ValueError(text)
        return _CONSTRUCTOR.construct_yaml_float(yaml.ScalarNode(tag, text))
    if tag == "tag:yaml.org,2002:merge":
        return _MERGE_KEY
    if tag == "tag:yaml.org,2002:timestamp" and not _TIMESTAMP.match(text):
        raise ValueError(text)
    return text  # timestamps and str stay text


_TIMESTAMP = next(regexp for tag, regexp in _RESOLVERS["2"] if tag == "tag:yaml.org,2002:timestamp")
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_KIND_OF_TAG = {_MAP_TAG: "a mapping", _SEQ_TAG: "a list"}


_TAG_SHORT = re.compile(r"^tag:yaml\.org,2002:")


# Light events. A scalar is the tuple of what the parser passes to make its event:
# (anchor, tag, implicit, value, start_mark, end_mark, style); the start of a mapping or a
# list is the list [its yaml.events class, anchor, tag, start_mark] (a list, so that one
# test of the type tells it from a scalar); both ends are `_END`. Aliases, documents and
# the stream come as the parser's own events (few, and read by class).
_SCALAR_FIELDS = 7


class _End:
    """The end of a mapping or a list (the composer needs no more of it)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "_END"


_END = _End()


def _scalar(*fields: Any) -> tuple[Any, ...]:
    return fields


def _mapping_start(
    anchor: Any, tag: Any, implicit: Any, start_mark: Any, end_mark: Any, flow_style: Any
) -> list[Any]:
    return [ev.MappingStartEvent, anchor, tag, start_mark]


def _sequence_start(
    anchor: Any, tag: Any, implicit: Any, start_mark: Any, end_mark: Any, flow_style: Any
) -> list[Any]:
    return [ev.SequenceStartEvent, anchor, tag, start_mark]


def _end(start_mark: Any, end_mark: Any) -> _End:
    return _END


#: The names under which libyaml's parser module finds the event classes it calls, and what
#: it calls instead while one of our parses lends it these.
_EVENT_MAKERS: dict[str, Callable[..., Any]] = {
    "ScalarEvent": _scalar,
    "MappingStartEvent": _mapping_start,
    "SequenceStartEvent": _sequence_start,
    "MappingEndEvent": _end,
    "SequenceEndEvent": _end,
}


def _light(event: Any) -> Any:
    """A parser's own event as a light event (None, the end of events, stays None)."""
    cls = event.__class__
    if cls is ev.ScalarEvent:
        return (
            event.anchor,
            event.tag,
            event.implicit,
            event.value,
            event.start_mark,
            event.end_mark,
            event.style,
        )
    if cls is ev.MappingStartEvent or cls is ev.SequenceStartEvent:
        return [cls, event.anchor, event.tag, event.start_mark]
    if cls is ev.MappingEndEvent or cls is ev.SequenceEndEvent:
        return _END
    return event


class _EventMakers:
    """Lends libyaml's parser module our light event makers for the span of one parse.

    PyYAML's compiled parser (`yaml._yaml`) looks its event classes up by name in its own
    module each time it makes an event; while lent, those names are our makers. That is
    safe only while no other thread could be parsing YAML, so it is done only when this is
    the process's one thread, and undone before `parse` returns or raises; and only after
    a parse of a small sample with the makers lent gave exactly the events expected (a
    PyYAML that calls its classes otherwise is not lent them again).
    """

    def __init__(self) -> None:
        self.module: Any = None  # libyaml's parser module, while lent
        self.works: bool | None = None  # None until the sample has been read
        self.lock = threading.Lock()

    def lend(self) -> bool:
        """Lend the makers if that is safe now; True if lent (then `give_back` them)."""
        if self.works is False or threading.active_count() != 1:
            return False
        module = sys.modules.get("yaml._yaml") if _Loader is _C_LOADER else None
        if module is None or not self.lock.acquire(blocking=False):
            return False  # not libyaml's parser, or lent already (a parse within a parse)
        if any(getattr(module, name, None) is not getattr(ev, name) for name in _EVENT_MAKERS):
            self.lock.release()  # not PyYAML's own classes: changed by someone; leave them be
            return False
        self.module = module
        for name, maker in _EVENT_MAKERS.items():
            setattr(module, name, maker)
        if self.works is None:
            try:
                self.works = _reads_sample()
            finally:  # an interrupt (Ctrl-C) while reading the sample gives them back too
                if not self.works:
                    self.give_back()
            if not self.works:
                return False
        return True

    def give_back(self) -> None:
        """Put the parser's own event classes back."""
        for name in _EVENT_MAKERS:
            setattr(self.module, name, getattr(ev, name))
        self.module = None
        self.lock.release()


def _reads_sample() -> bool:
    """Whether the parser, with our makers lent, reads `k: [v]` as the light events expected."""
    try:
        parser = _Loader("k: [v]\n")
        try:
            events = []
            while (event := parser.get_event()) is not None:
                events.append(event)
        finally:
            parser.dispose()
    except Exception:  # a parser that calls its event classes otherwise
        return False
    return _as_expected(events)


def _as_expected(events: list[Any]) -> bool:
    """Whether `events` are the light events of the text `k: [v]`."""
    shapes = [
        (event[0], len(event)) if event.__class__ in (tuple, list) else event.__class__
        for event in events
    ]
    expected = [
        ev.StreamStartEvent,
        ev.DocumentStartEvent,
        (ev.MappingStartEvent, 4),
        (None, _SCALAR_FIELDS),
        (ev.SequenceStartEvent, 4),
        (None, _SCALAR_FIELDS),
        _End,
        _End,
        ev.DocumentEndEvent,
        ev.StreamEndEvent,
    ]
    if shapes != expected:
        return False
    key, item = events[3], events[5]
    return (key[3], key[4].line, key[4].column, item[3], item[4].column) == ("k", 0, 0, "v", 4)


_LENDER = _EventMakers()


class _Composer:
    """Turns an event stream into Nodes, collecting problems instead of raising."""

    def __init__(self) -> None:
        self.problems: list[SourceProblem] = []
        self.anchors: dict[str, Node] = {}
        self.bool_text: dict[tuple[int, int], str] = {}  # how a boolean scalar was written
        self.merged: dict[int, set[Any]] = {}  # keys a mapping got from `<<`, by id(node)
        # Nodes already reported (unsafe tag, undefined alias), by id: left out of their
        # parent, so the one mistake is not reported again as a wrong type or a bad merge.
        # Each is kept alive here (id -> node): a freed node's id could be reused by a good
        # node later in the file, which would then be left out too.
        self.dropped: dict[int, Node] = {}

    def problem(self, code: str, message: str, line: int, column: int, hint: str = "") -> None:
        self.problems.append(SourceProblem(code, message, line + 1, column + 1, hint))

    def scalar(self, event: tuple[Any, ...]) -> Node:
        """The node of a light scalar event, after reporting what is wrong with it."""
        _, tag, implicit, text, mark, _, _ = event
        try:
            if tag is None or tag == "!":
                value = _resolve_plain(text) if implicit[0] else text
                if value.__class__ is bool:
                    self.bool_text[mark.line, mark.column] = text
                return Node(value, mark.line + 1, mark.column + 1)
            if tag in _KIND_OF_TAG:
                self.wrong_kind(tag, "a single value", mark)
                return self.dropped_node(text, mark)
            if tag not in _SAFE_TAGS:
                self.unsafe_tag(tag, mark)
                return self.dropped_node(None, mark)
            value = text if tag == _STR_TAG else _construct(tag, text)
        except NumberTooLarge:
            shown = text if len(text) <= 24 else f"{text[:20]}... ({len(text):,} characters)"
            self.problem(
                "ICM107",
                f"the number {shown} is too large for any figure (icmap reads numbers up "
                "to about 1.8e308)",
                mark.line,
                mark.column,
                "check the value; write it in quotes if it is meant as text",
            )
            return self.dropped_node(text, mark)
        except (ValueError, yaml.YAMLError):
            shown = repr(text) if len(text) <= 40 else repr(text[:36]) + "..."
            what = _TAG_SHORT.sub("!!", tag) if tag else "number"  # untagged: `0b_`
            self.problem(
                "ICM201",
                f"{shown} is not a valid {what}",
                mark.line,
                mark.column,
            )
            return self.dropped_node(text, mark)  # reported once, not again as a wrong type
        return Node(value, mark.line + 1, mark.column + 1)

    def dropped_node(self, value: Any, mark: Any) -> Node:
        """A node already reported, left out of its parent."""
        node = Node(value, mark.line + 1, mark.column + 1)
        self.dropped[id(node)] = node
        return node

    def wrong_kind(self, tag: str, kind: str, mark: Any) -> None:
        self.problem(
            "ICM104",
            f"tag {_TAG_SHORT.sub('!!', tag)!r} does not fit {kind}: it marks "
            f"{_KIND_OF_TAG.get(tag, 'a single value')}",
            mark.line,
            mark.column,
            "remove the tag; write the value as plain YAML",
        )

    def unsafe_tag(self, tag: str, mark: Any) -> None:
        self.problem(
            "ICM104",
            f"tag {_TAG_SHORT.sub('!!', tag)!r} is not allowed: org files are read as plain data",
            mark.line,
            mark.column,
            "remove the tag; write the value as plain YAML",
        )

    def compose(self, get_event: Callable[[], Any]) -> Node | None:
        """Compose the first document of light events; later documents are reported and
        ignored. `get_event` gives the next event, None after the last.

        This loop runs once per YAML event (millions for a large org), so it keeps its state
        in locals and does the least work for the common cases: a plain scalar, and a plain
        key, which gets no Node (only its value and its mark are kept).
        """
        root: Node | None = None
        documents = 0
        # The innermost open container: its node, value (dict or list), anchor, and for a
        # mapping the key waiting for its value (`key_at` is None when none is). Outer ones
        # wait on the stack.
        stack: list[tuple[Any, Any, Any, Any, Any]] = []
        node_open: Any = None
        items: Any = None
        anchor_open: Any = None
        key: Any = None
        key_at: Any = None
        nodes = 0  # nodes really in the file
        expanded = 0  # nodes counting every alias expansion
        sizes: dict[int, int] = {}  # expanded size of anchored nodes, by id
        dropped = self.dropped
        merged = self.merged  # empty unless a `<<` merge key was met: then id() is needed
        mark: Any
        node: Any
        plain: dict[str, Any] = {}  # resolved plain scalars; org files repeat many values
        alias_event, mapping_start = ev.AliasEvent, ev.MappingStartEvent
        list_type, dict_type, tuple_type = list, dict, tuple
        end = _END
        while True:
            event = get_event()
            if event is None:
                break
            cls = event.__class__
            anchor = None
            if cls is tuple_type:
                anchor, tag, implicit, text, mark, _, _ = event
                try:  # free unless raised (Python 3.11+): the hot path pays nothing
                    if tag is None and implicit[0]:
                        # The common case, kept fast: an untagged plain scalar.
                        if key_at is not None and len(text) > 5 and text[0] not in _MAY_RESOLVE:
                            value = text  # a value such as a name: text, and seldom seen twice
                        else:  # keys, numbers, durations, words: few and often repeated
                            try:
                                value = plain[text]
                            except KeyError:
                                value = plain[text] = _resolve_plain(text)
                        if value.__class__ is bool:
                            self.bool_text[mark.line, mark.column] = text
                        nodes += 1
                        if anchor is None:
                            if key_at is not None:  # the value of a key (mappings only have those)
                                if (
                                    key.__class__ is str
                                    and key not in items
                                    and key is not _MERGE_KEY
                                    and not dropped
                                    and not merged
                                ):
                                    # The commonest event, done here: a new key's plain value.
                                    # The key's line is shared with the value's when the
                                    # same: one int object fewer per pair.
                                    line = mark.line + 1
                                    key_line = key_at.line + 1
                                    items[key] = Node(
                                        value,
                                        line,
                                        mark.column + 1,
                                        line if key_line == line else key_line,
                                        key_at.column + 1,
                                    )
                                    key_at = None
                                    continue
                            elif items.__class__ is dict_type:
                                key, key_at = value, mark  # a plain key: no Node
                                continue
                        node = Node(value, mark.line + 1, mark.column + 1)
                    else:
                        node = self.scalar(event)
                        nodes += 1
                except (
                    NumberTooLarge,
                    ValueError,
                ):  # a plain scalar such as 0x + 5,000 digits, or 0b_
                    node = self.scalar(event)  # reports it; a node left out of its parent
                    nodes += 1
            elif cls is list_type:  # the start of a mapping or a list
                kind, anchor, tag, mark = event
                stack.append((node_open, items, anchor_open, key, key_at))
                items = {} if kind is mapping_start else []
                node_open = Node(items, mark.line + 1, mark.column + 1)
                anchor_open = anchor
                key_at = None
                if tag is not None and tag != "!":
                    expected = _MAP_TAG if kind is mapping_start else _SEQ_TAG
                    if tag != expected:
                        if tag in _SAFE_TAGS:  # `!!str [b]`, `!!map [x]`: yaml.safe_load fails
                            self.wrong_kind(tag, _KIND_OF_TAG[expected], mark)
                        else:
                            self.unsafe_tag(tag, mark)
                        dropped[id(node_open)] = node_open
                continue
            elif event is end:  # of a mapping or a list
                node, anchor = node_open, anchor_open
                node_open, items, anchor_open, key, key_at = stack.pop()
                nodes += 1
            elif cls is alias_event:
                mark = event.start_mark
                target = self.anchors.get(event.anchor)
                if target is None:
                    self.problem(
                        "ICM100",
                        f"alias *{event.anchor} refers to no anchor defined before it",
                        mark.line,
                        mark.column,
                        f"define &{event.anchor} before using *{event.anchor}",
                    )
                    node = Node(None, mark.line + 1, mark.column + 1)
                    dropped[id(node)] = node
                else:
                    node = target
                    # An alias adds its target's whole (expanded) size; aliases of aliases
                    # grow it geometrically, which is what this budget stops.
                    expanded += _expanded_size(node, sizes)
                    if expanded + nodes > ALIAS_BUDGET + ALIAS_FACTOR * max(nodes, 1):
                        self.problem(
                            "ICM103",
                            f"aliases expand this file to more than {expanded + nodes:,} "
                            f"nodes although it holds only {nodes:,}: "
                            "refusing to expand it (an alias bomb?)",
                            mark.line,
                            mark.column,
                            "use anchors for small shared blocks, not nested aliases of aliases",
                        )
                        return None
                if key_at is None and items.__class__ is dict_type:
                    # An alias as a key: the key is written here, not at its anchor, so a
                    # duplicate is reported where the alias stands.
                    key = _DROPPED_KEY if dropped and id(node) in dropped else node.value
                    key_at = _At(mark.line, mark.column)
                    continue
            elif cls is ev.DocumentStartEvent:
                documents += 1
                if documents == 2:
                    mark = event.start_mark
                    self.problem(
                        "ICM105",
                        "a second YAML document (`---`) starts here; an org file holds one",
                        mark.line,
                        mark.column,
                        "split the documents into separate files and list them under `include:`",
                    )
                continue
            else:
                continue
            if anchor is not None:
                self.anchors[anchor] = node
            if items is None:
                if documents == 1 and id(node) not in dropped:
                    root = node
            elif items.__class__ is list_type:
                if not dropped or id(node) not in dropped:
                    items.append(node)
            elif key_at is None:  # a key that came as a Node: anchored, tagged, an alias...
                key = _DROPPED_KEY if dropped and id(node) in dropped else node.value
                key_at = _At(node.line - 1, node.column - 1)
            else:
                if (
                    key.__class__ is str
                    and key not in items
                    and key != _MERGE_KEY
                    and not dropped
                    and (not merged or id(node_open) not in merged)
                ):
                    items[key] = _keyed(node, key_at)  # the common case: a new plain key
                elif key is not _DROPPED_KEY and (not dropped or id(node) not in dropped):
                    self.add_pair(node_open, key, key_at, node)
                key_at = None
        return root

    def add_pair(self, mapping: Node, k: Any, at: Any, value: Node) -> None:
        pairs: Pairs = mapping.value
        if k.__class__ is bool:
            written = self.bool_text.get((at.line, at.column), str(k))
            self.problem(
                "ICM102",
                f"the key {written!r} is read by YAML 1.1 as the boolean {str(k).lower()}, "
                f'not as a word; write "{written}": in quotes if you mean the word',
                at.line,
                at.column,
                "YAML 1.1 reads unquoted on/off, yes/no and true/false as booleans",
            )
            return
        elif k.__class__ is dict or k.__class__ is list:
            self.problem(
                "ICM201",
                "a key must be a plain word, not a mapping or a list",
                at.line,
                at.column,
            )
            return
        elif k is _MERGE_KEY:
            self.merge(mapping, at, value)
            return
        merged = self.merged.get(id(mapping))
        if merged is not None and k in merged:
            merged.discard(k)  # an explicit key overrides a merged one
        elif k in pairs:
            first = pairs[k]
            self.problem(
                "ICM101",
                f"duplicate key {_quoted(k)}: already set on line {first.key_line}; "
                "YAML would silently keep only the last one",
                at.line,
                at.column,
                "remove one of the two, or merge their contents",
            )
            return
        pairs[k] = _keyed(value, at)

    def merge(self, mapping: Node, at: Any, value: Node) -> None:
        """YAML merge key `<<: *base` (or a list of them): keys not set here are copied.

        A wrong value is reported at the `<<` key: an alias's own node sits at its anchor.
        """
        sources = value.value if isinstance(value.value, list) else [value]
        pairs: Pairs = mapping.value
        for source in sources:
            if not isinstance(source.value, dict):
                self.problem(
                    "ICM201",
                    "`<<` merges only mappings: write `<<: *anchor` or `<<: [*a, *b]`, "
                    "each anchor on a mapping",
                    at.line,
                    at.column,
                )
                continue
            merged = self.merged.setdefault(id(mapping), set())
            for k, pair in source.value.items():
                if k not in pairs:
                    pairs[k] = pair
                    merged.add(k)


# What YAML counts as a line break.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _within(text: str, line: int, column: int) -> tuple[int, int]:
    """A 0-based position moved onto the text's last line if it is past it.

    libyaml puts "unexpected end of stream" on the line after a last line that has no line
    break: a line editors and code scanning do not have. Just past the end of the last line
    is where the text stops.
    """
    if "\n" in text[-1:] or line < text.count("\n"):  # the common case: no need to split
        return line, column
    lines = _LINE_BREAK.split(text)
    if line < len(lines):
        return line, column
    return len(lines) - 1, len(lines[-1])


def parse(text: str) -> Source:
    """Compose YAML `text` into positioned Nodes, collecting every YAML-level problem.

    A syntax error stops the parser; it is reported with its position and the root is None.
    """
    composer = _Composer()
    try:
        parser = _Loader(text)
        lent = _LENDER.lend()
        try:
            if lent:
                root = composer.compose(parser.get_event)
            else:
                get_event = parser.get_event
                root = composer.compose(lambda: _light(get_event()))
        finally:
            if lent:
                _LENDER.give_back()
            parser.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line, mark.column) if mark is not None else (0, 0)
        line, column = _within(text, line, column)
        message = _syntax_message(exc)
        composer.problem(
            "ICM100", f"YAML syntax error: {message}", line, column, _syntax_hint(message)
        )
        return Source(None, tuple(composer.problems))
    except yaml.reader.ReaderError as exc:  # control characters and the like
        line, column = _offset_to_line_col(text, exc.position)
        composer.problem(
            "ICM100",
            f"character {_char(exc.character)} is not allowed in YAML: {exc.reason}",
            line,
            column,
            "remove the character, or write it as an escape in a double-quoted string",
        )
        return Source(None, tuple(composer.problems))
    except RecursionError:
        composer.problem("ICM100", "the YAML nests too deeply to read", 0, 0)
        return Source(None, tuple(composer.problems))
    if any(p.code == "ICM103" for p in composer.problems):
        return Source(None, tuple(composer.problems))
    return Source(root, tuple(composer.problems), bool(composer.anchors))


def _expanded_size(node: Node, sizes: dict[int, int]) -> int:
    """How many nodes `node` stands for with every alias inside it expanded.

    Memoised by node id, so each distinct node is counted once however often it is aliased.
    """
    known = sizes.get(id(node))
    if known is not None:
        return known
    value = node.value
    if value.__class__ is list:
        size = 1 + sum(_expanded_size(child, sizes) for child in value)
    elif value.__class__ is dict:
        size = 1 + sum(1 + _expanded_size(v, sizes) for v in value.values())
    else:
        size = 1
    sizes[id(node)] = size
    return size


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    """The parser's problem first, then what it was reading and where that began.

    The problem is reported where the parser noticed it, which can be lines after the
    cause (an unclosed `[`), so the start of the construct is named too.
    """
    problem = exc.problem or "the YAML cannot be read here"
    context, start, where = exc.context, exc.context_mark, exc.problem_mark
    if not context:
        return problem
    if start is not None and (
        where is None or (start.line, start.column) != (where.line, where.column)
    ):
        return (
            f"{problem} ({context} that starts at line {start.line + 1}, column {start.column + 1})"
        )
    return f"{problem} ({context})"


def _quoted(value: Any) -> str:
    """repr(value), cut after 40 characters (a key may be long: it is quoted, not copied)."""
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:36] + "..." + shown[0]


def _char(character: Any) -> str:
    if isinstance(character, int):
        return f"#x{character:04x}"
    return repr(character)


def _offset_to_line_col(text: str, offset: int) -> tuple[int, int]:
    """The 0-based line and column (in characters) of libyaml's reader `offset`.

    libyaml reads the text as UTF-8 and counts its offset in bytes: `é` before a bad
    character is two of them, so the offset is turned into characters first. Lines end at
    every YAML line break (`\r`, NEL and the Unicode separators too), as in libyaml's marks.
    """
    offset = len(text.encode("utf-8", errors="surrogatepass")[:offset].decode("utf-8", "ignore"))
    ends = [found.end() for found in _LINE_BREAK.finditer(text, 0, offset)]
    return len(ends), offset - (ends[-1] if ends else 0)


def _syntax_hint(message: str) -> str:
    if "found character '\\t'" in message or "\\t" in message:
        return "indent with spaces; YAML does not allow tabs for indentation"
    if "mapping values are not allowed" in message:
        return "a value containing ': ' must be quoted, or a key is indented wrongly"
    if "could not find expected ':'" in message:
        return "check the indentation, and quote values that contain ':' or '#'"
    if "found undefined alias" in message:
        return "define the anchor (&name) before the alias (*name)"
    return "check the indentation and quoting near this position"

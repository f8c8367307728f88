"""Reading single values of an org file: durations, percentages, ratings, numbers, ids, text.

Each reader takes a positioned node and a `Report` to add findings to, and returns the value
in the model's terms (durations in hours, percentages as fractions) or None when it is wrong.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from icmap.codes import RULES
from icmap.format import ID_PATTERN, LONGEST_HOURS, SECTIONS
from icmap.model import Finding, Location, Settings, ThreePoint
from icmap.names import suggest
from icmap.yamlsource import Node, Pairs, key_node

_ID = re.compile(ID_PATTERN)
# Units are lower case, as in the contract (and the JSON Schema): `2H` gets a clear error.
# ASCII digits only (re.ASCII): `\d` alone would read the Arabic-Indic `١h` as 1h.
_DURATION_PART = re.compile(r"\s*(\d+(?:\.\d+)?|\.\d+)\s*(min|m|h|d|w)(?![A-Za-z])", re.ASCII)
_WORD_UNITS = {
    "m": "m", "min": "min", "h": "h", "d": "d", "w": "w",
    "minute": "m", "minutes": "m", "mins": "min", "hr": "h", "hrs": "h", "hour": "h",
    "hours": "h", "day": "d", "days": "d", "week": "w", "weeks": "w", "wk": "w", "wks": "w",
}  # fmt: skip
_WORDY = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)", re.IGNORECASE | re.ASCII)
_PERCENT = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*%\s*", re.ASCII)


_new_location = tuple.__new__  # Location(...) without its Python-level __new__ (hot path)


@dataclass
class Report:
    """Collects the findings about one file, each with its position."""

    file: str
    findings: list[Finding] = field(default_factory=list)

    def at(self, node: Node) -> Location:
        """The location of a node in this file."""
        return _new_location(Location, (self.file, node.line, node.column))

    def add(self, code: str, node: Node | Location | None, message: str, hint: str = "") -> None:
        """Add a finding with the rule's default level."""
        location = self.at(node) if isinstance(node, Node) else node
        self.findings.append(Finding(code, RULES[code].level, message, location, hint))


def with_suggestion(message: str, word: str, choices: Iterable[str]) -> str:
    """`message`, ending in a did-you-mean when a choice is close to `word`.

    The suggestion goes in the message itself, not only in the hint, because one-line
    formats (parsable, github) show the message alone.
    """
    close = suggest(word, choices)
    return f"{message}; {close}" if close else message


def type_name(value: Any) -> str:
    """How a YAML value's type is called in messages."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, int | float):
        return "a number"
    return "text"


def check_keys(node: Node, section: str, report: Report, what: str, required: bool = True) -> Pairs:
    """The pairs of a mapping node, after reporting unknown (and missing) keys of `section`."""
    fields = SECTIONS[section]
    pairs: Pairs = node.value
    if not pairs.keys() <= fields.keys():  # a set test in C: the common case costs little
        for key in pairs:
            if key not in fields:
                message = with_suggestion(
                    f"unknown key {shortened(key)} in {what}", str(key), fields
                )
                hint = "known keys: " + ", ".join(fields)
                report.add("ICM200", key_node(pairs, key), message, hint)
    if required:
        for name in _REQUIRED[section]:
            if name not in pairs:
                spec = fields[name]
                report.add(
                    "ICM202",
                    node,
                    f"{what} has no `{name}:`",
                    f"add `{name}:` ({spec.description})",
                )
    return pairs


_REQUIRED = {
    section: tuple(name for name, spec in fields.items() if spec.required)
    for section, fields in SECTIONS.items()
}


def text(node: Node, report: Report, what: str) -> str | None:
    """A text value. Numbers and true/false are refused: YAML would have changed them."""
    value = node.value
    if isinstance(value, str):
        return value
    message = f"{what} must be text, not {type_name(value)}"
    if isinstance(value, bool):
        # YAML 1.1 turned a word such as on, off, yes or no into a boolean.
        message += "; put the word in quotes"
    elif isinstance(value, int | float):
        message += "; put it in quotes"
    report.add("ICM201", node, message, "YAML reads unquoted numbers and yes/no/on/off as values")
    return None


def label(node: Node, report: Report, what: str) -> str | None:
    """Text shown as a label (a name, `provides`, an owner, a tag): not blank, and no
    control character but the line breaks between lines of text.

    A label may span lines ("line one\\nline two" is drawn as two), but no line of it may be
    blank, so `"x\\n"` (a `>` block's final line break) is refused like `" "`, and so is a
    tab or an escape such as "\\x1b". A refused label is read as missing: charts and
    reports fall back to the id.
    """
    value = node.value
    if value.__class__ is str and value and value.isprintable() and not value.isspace():
        return value  # the common case, tested in C; the rest is rarely reached
    value = text(node, report, what)
    if value is None:
        return None
    problem = None
    if not value.strip():
        problem = f"{what} is {'empty' if not value else 'only blank space'}"
        hint = f"write the {what}, or leave the key out"
    elif any(not line.strip() for line in value.split("\n")):
        problem = (
            f"{what} {shortened(value)} has a blank line (a line break at its start or end, "
            "or two in a row)"
        )
        hint = "remove the extra line break (a `>-` block, not `>`, drops the final one)"
    else:
        control = next((c for c in value if c != "\n" and unicodedata.category(c) == "Cc"), None)
        if control is not None:
            problem = f"{what} {shortened(value)} holds the control character {control!r}"
            hint = "remove it; a label is text on one or more lines"
    if problem is None:
        return value  # printable after all: non-ASCII spaces, letters and lines are fine
    report.add("ICM215", node, problem, hint)
    return None


#: The longest id icmap reads: ids are quoted in messages and drawn in charts.
LONGEST_ID = 200


def identifier(node: Node, report: Report, what: str) -> str | None:
    """An id: text matching the id pattern.

    A bad id is reported, but still returned: the unit it names stays in the org, so the
    one mistake does not come back as "no external customer", orphans or unknown suppliers.
    """
    value = node.value
    if isinstance(value, int) and not isinstance(value, bool):
        report.add("ICM201", node, f"{what} must be text, not a number", f'quote it: "{value}"')
        return str(value)
    ident = text(node, report, what)
    if ident is None:
        return None
    if len(ident) > LONGEST_ID:
        # Not kept: every later message about the unit would quote it whole.
        report.add(
            "ICM210",
            node,
            f"{what} {shortened(ident)} is {len(ident):,} characters long; an id has at most "
            f"{LONGEST_ID}",
            "use a short id and put the full wording in `name:`",
        )
        return None
    if not _ID.fullmatch(ident):  # not match: `$` also matches before a final \n
        fixed = re.sub(r"[^A-Za-z0-9_.-]+", "-", ident.strip()).strip("-_.") or "unit"
        report.add(
            "ICM210",
            node,
            f"{what} {shortened(ident)} is not a valid id: use letters, digits, '_', '.' and '-', "
            "starting with a letter or digit",
            f"e.g. {shortened(fixed)}; put the full wording in `name:`",
        )
    return ident


def number(node: Node, report: Report, what: str, minimum: float | None = 0.0) -> float | None:
    """A finite number, at least `minimum`."""
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        message = f"{what} must be a number, not {type_name(value)}"
        written = _yaml11_number(value)
        if written is None:
            report.add("ICM201", node, message)
        else:  # `1e5`: a number to a person, text to YAML 1.1
            message += (
                f": YAML 1.1 reads {shortened(value)} as text (an exponent needs a dot and a sign,"
                " as in 1.0e+5)"
            )
            report.add("ICM201", node, message, f"write {written}")
        return None
    finite = as_finite(value)
    if finite is None:
        shown = shortened(value)
        report.add("ICM201", node, f"{what} must be a finite number, not {shown}")
        return None
    if minimum is not None and finite < minimum:
        report.add("ICM206", node, f"{what} must be at least {minimum:g}, not {finite:g}")
        return None
    return finite


def _yaml11_number(value: object) -> str | None:
    """How to write text such as `1e5` so YAML 1.1 reads it as the number it looks like
    (`100000`, `1.5e+20`); None for text that is no number in exponent form."""
    if not isinstance(value, str):
        return None
    try:
        meant = float(value.replace("_", ""))
    except ValueError:
        return None
    if "e" not in value.lower() or math.isnan(meant):
        return None
    if math.isinf(meant):
        return "a number below 1.8e+308"
    if meant.is_integer() and abs(meant) < 1e15:
        return str(int(meant))
    mantissa, _, exponent = repr(meant).partition("e")
    if not exponent:
        return mantissa
    if "." not in mantissa:
        mantissa += ".0"
    return f"{mantissa}e{'' if exponent[0] in '+-' else '+'}{exponent}"


def as_finite(value: float) -> float | None:
    """A YAML number as a float; None if it is infinite, NaN, or an integer too large for a
    float (YAML reads `1` followed by 400 zeros as an exact int)."""
    try:
        finite = float(value)
    except OverflowError:
        return None
    return finite if math.isfinite(finite) else None


def whole_number(node: Node, report: Report, what: str, minimum: int) -> int | None:
    """An integer, at least `minimum`."""
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int):
        shown = f"{value:g}" if isinstance(value, float) else type_name(value)
        report.add("ICM201", node, f"{what} must be a whole number, not {shown}")
        return None
    if value < minimum:
        report.add("ICM206", node, f"{what} must be at least {minimum}, not {value}")
        return None
    return value


def boolean(node: Node, report: Report, what: str) -> bool | None:
    """true or false."""
    if isinstance(node.value, bool):
        return node.value
    report.add("ICM201", node, f"{what} must be true or false, not {type_name(node.value)}")
    return None


def duration(node: Node, report: Report, settings: Settings, what: str) -> float | None:
    """A duration in hours: a bare number in `time_unit`, or text like `90m`, `1d 4h`."""
    value = node.value
    if value.__class__ is str and _KNOWN_DURATIONS.settings is settings:
        # The common case first: text like `4h`, seen many times (inlined: 650,000 calls
        # at 100,000 roles).
        known = _KNOWN_DURATIONS.hours.get(value)
        if known is not None:
            return known
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        report.add(
            "ICM201",
            node,
            f"{what} must be a duration such as 4h or 1d 2h, not {type_name(value)}",
        )
        return None
    if isinstance(value, int | float):
        finite = as_finite(value)
        if finite is None and value != value:  # NaN (`.nan`)
            report.add("ICM204", node, f"{what} {value} is not a duration")
            return None
        if finite is None:  # infinite, or an integer too large for a float
            return _not_too_long(math.inf, node, report, what)
        if finite < 0:
            report.add("ICM206", node, f"{what} cannot be negative ({finite:g})")
            return None
        return _not_too_long(finite * settings.hours_per(settings.time_unit), node, report, what)
    hours = parse_duration(value, settings)
    if hours is not None:
        hours = _not_too_long(hours, node, report, what)
        if hours is not None:
            _KNOWN_DURATIONS.remember(settings, value, hours)
        return hours
    if value.strip().startswith("-"):
        report.add("ICM206", node, f"{what} cannot be negative ({shortened(value)})")
        return None
    report.add(
        "ICM204",
        node,
        f"{what} {shortened(value)} is not a duration",
        _duration_hint(value),
    )
    return None


def _not_too_long(hours: float, node: Node, report: Report, what: str) -> float | None:
    if hours <= LONGEST_HOURS:
        return hours
    report.add(
        "ICM204",
        node,
        f"{what} {shortened(node.value)} is {_hours(hours)} hours, longer than any real "
        f"wait (icmap reads up to {LONGEST_HOURS:,} hours)",
        "check the number and its unit",
    )
    return None


def shortened(value: object) -> str:
    """repr(value), cut short after 36 characters; cheap and safe for any size of value.

    A huge integer is not written out: Python refuses to turn one of over 4,300 digits into
    decimal, and a long one would bury the message.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 100:
        return f"a number of about {int(value.bit_length() * 0.30103) + 1:,} digits"
    if isinstance(value, str) and len(value) > 40:
        value = value[:40]  # repr of the start only: a 50 MB name is not copied whole
        shown = repr(value)
        return shown[:36] + "..." + shown[0]
    shown = repr(value)
    if len(shown) <= 40:
        return shown
    quote = shown[0] if shown[0] in "'\"" else ""
    return shown[:36] + "..." + quote


def _hours(hours: float) -> str:
    if not math.isfinite(hours):
        return "over 1e308"
    return f"{hours:,.0f}" if hours < 1e15 else f"{hours:.3g}"


class _DurationCache:
    """Valid durations already read, for the settings in use.

    Org files repeat the same few durations (`4h`, `1d`) thousands of times; a dict lookup
    keyed by the text alone, checked against the settings object by identity, is the
    cheapest way to skip the parse (hashing the settings each time cost a third of it).
    """

    __slots__ = ("hours", "settings")

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.hours: dict[str, float] = {}

    def remember(self, settings: Settings, text: str, hours: float) -> None:
        if settings is not self.settings:
            self.settings, self.hours = settings, {}
        if len(self.hours) < 65536:
            self.hours[text] = hours


_KNOWN_DURATIONS = _DurationCache()


def parse_duration(value: str, settings: Settings) -> float | None:
    """Hours in a duration text like `1d 4h`, or None when it is not one."""
    pos = 0
    total = 0.0
    parts = 0
    for match in _DURATION_PART.finditer(value):
        if match.start() != pos:
            return None
        total += float(match.group(1)) * settings.hours_per(match.group(2))
        pos = match.end()
        parts += 1
    if parts == 0 or value[pos:].strip():
        return None
    return total


# A bare number of hours on the command line: ASCII digits only (`float` would also take
# `1e3`, `nan`, `1_000` and other scripts' digits).
_BARE_HOURS = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")


def duration_argument(value: str, settings: Settings) -> float:
    """Hours in a duration given outside an org file (a command-line option): a bare
    number of hours, or text like `4h`, `1d 2h`, read as in an org file and within the
    same limit. ValueError says what is wrong and how to write it."""
    text = value.strip()
    hours = float(text) if _BARE_HOURS.fullmatch(text) else parse_duration(text, settings)
    if hours is None:
        if text.startswith("-"):
            raise ValueError(f"{value!r} is negative; write 0 or more")
        raise ValueError(f"{value!r} is not a duration; write hours or e.g. 90m, 4h, 1d 2h")
    if hours > LONGEST_HOURS:
        raise ValueError(
            f"{shortened(value)} is {_hours(hours)} hours, longer than any real wait "
            f"(icmap reads up to {LONGEST_HOURS:,} hours)"
        )
    return hours


def _duration_hint(value: str) -> str:
    parts = _WORDY.findall(value)
    if parts and len(parts) <= 8 and all(unit.lower() in _WORD_UNITS for _, unit in parts):
        fixed = " ".join(f"{n}{_WORD_UNITS[unit.lower()]}" for n, unit in parts)
        return f"write {fixed!r}: a number followed by m, h, d or w"
    return "write a number followed by m, h, d or w, e.g. 90m, 1.5h, 2d or 1d 4h"


def lead_time(
    node: Node, report: Report, settings: Settings, what: str = "lead_time"
) -> tuple[float, ThreePoint | None] | None:
    """A duration, or a three-point estimate (hours: its expected value, and the estimate).

    `what` names the key in messages: `lead_time`, or an `actual` handoff time.
    """
    if not isinstance(node.value, dict):
        hours = duration(node, report, settings, what)
        return None if hours is None else (hours, None)
    pairs = check_keys(node, "estimate", report, f"a three-point {what}")
    points: dict[str, float] = {}
    for key in ("optimistic", "likely", "pessimistic"):
        if key in pairs:
            hours = duration(pairs[key], report, settings, f"{what} {key}")
            if hours is not None:
                points[key] = hours
    if len(points) < 3:
        return None
    estimate = ThreePoint(points["optimistic"], points["likely"], points["pessimistic"])
    if not estimate.optimistic <= estimate.likely <= estimate.pessimistic:
        report.add(
            "ICM207",
            node,
            f"three-point {what} must have optimistic <= likely <= pessimistic "
            # As written: 8h shown as "1d" would puzzle the person who wrote 8h.
            f"(got {', '.join(f'{key} {pairs[key].value}' for key in points)})",
            "swap the values so they grow from optimistic to pessimistic",
        )
        return None
    return estimate.expected, estimate


def percentage(node: Node, report: Report, what: str) -> float | None:
    """A share as a fraction 0-1, written `85%` or `0.85`."""
    value = node.value
    if isinstance(value, str):
        match = _PERCENT.fullmatch(value)
        if match is None:
            report.add(
                "ICM205",
                node,
                f'{what} {shortened(value)} is not a percentage; write e.g. "85%" or 0.85',
            )
            return None
        share = float(match.group(1)) / 100.0
        if not 0.0 <= share <= 1.0:
            report.add(
                "ICM205",
                node,
                f"{what} must be between 0% and 100%, not "
                f"{value if len(value) <= 40 else shortened(value)}",
            )
            return None
        return share
    if isinstance(value, bool) or not isinstance(value, int | float):
        report.add(
            "ICM205",
            node,
            f'{what} must be a percentage such as "85%" or 0.85, not {type_name(value)}',
        )
        return None
    finite = as_finite(value)
    if finite is None or not 0.0 <= finite <= 1.0:
        fix = f'did you mean "{value:g}%"?' if 1 < value <= 100 else 'write e.g. "85%" or 0.85'
        shown = shortened(value) if finite is None else f"{finite:g}"
        report.add("ICM205", node, f"{what} {shown} is not a fraction between 0 and 1; {fix}")
        return None
    return finite


def rating(node: Node, report: Report, settings: Settings, what: str) -> float | None:
    """A satisfaction rating inside the settings' scale."""
    value = number(node, report, what, minimum=None)
    if value is None:
        return None
    low, high = settings.satisfaction_scale
    if not low <= value <= high:
        report.add(
            "ICM209",
            node,
            f"{what} {value:g} is outside the satisfaction scale [{low:g}, {high:g}]",
            "rate on the scale in settings.satisfaction_scale, or change that scale",
        )
        return None
    return value

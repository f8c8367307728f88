"""Rows of the sheets to org-file YAML, remembering which cell each line of YAML came from.

Every value is written on a line of its own, so that the loader's finding about a line can be
put back at its cell. Text is written double-quoted (YAML cannot turn it into a number or a
boolean); numbers and booleans as such; a three-point estimate `1h/2h/8h` as a mapping, a
comma-separated list (`tags`, `aliases`, `working_days`) as a list.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from icmap.model import Location

_NUMBER = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$")
_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0"}


@dataclass
class YamlText:
    """YAML being written, line by line, with the cell of each line."""

    lines: list[str] = field(default_factory=list)
    cells: dict[int, Location] = field(default_factory=dict)  # 1-based line -> cell

    def add(self, line: str, cell: Location | None = None) -> None:
        """Append one line; `cell` is where its value came from."""
        self.lines.append(line)
        if cell is not None:
            self.cells[len(self.lines)] = cell

    def text(self) -> str:
        """The whole document, ending in a newline."""
        return "\n".join(self.lines) + "\n"


def quoted(text: str) -> str:
    """Text as a YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def scalar(value: Any, kind: str) -> str:
    """A cell as the YAML value of a field of type `kind` (icmap.format.Field types)."""
    if kind in ("number", "integer", "rating", "percentage", "version", "duration"):
        return _number_or_text(value)
    if kind == "lead_time":
        return _estimate(value)
    if kind == "boolean":
        return _boolean(value)
    if kind in ("tags", "working_days"):
        return _list(value, quoted)
    if kind == "scale":
        return _list(value, _number_or_text, separators=r"[,;]|\s+-\s+|(?<=\d)-(?=\d)")
    if kind == "dimensions" or kind.startswith("section:"):  # `runs=4000, seed=1` too
        return _dimensions(value)
    if kind == "period":
        return _period(value)
    return quoted(_as_text(value))


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value).strip() if isinstance(value, str) else str(value)


def _number_or_text(value: Any) -> str:
    if isinstance(value, bool):
        return quoted(_as_text(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else quoted(repr(value))
    text = str(value).strip()
    if _NUMBER.match(text):
        number = float(text)
        if number.is_integer() and "e" not in text.lower() and "." not in text:
            return str(int(text))
        return repr(number) if math.isfinite(number) else quoted(text)
    return quoted(text)


def _boolean(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = _as_text(value).lower()
    if text in _TRUE:
        return "true"
    if text in _FALSE:
        return "false"
    return quoted(_as_text(value))


def _estimate(value: Any) -> str:
    """`1h/2h/8h` as {optimistic, likely, pessimistic}; anything else as a duration."""
    if isinstance(value, str) and "/" in value:
        parts = [p.strip() for p in value.split("/")]
        if len(parts) == 3:
            o, m, p = (_number_or_text(part) for part in parts)
            return f"{{optimistic: {o}, likely: {m}, pessimistic: {p}}}"
        return quoted(value.strip())
    return _number_or_text(value)


def _list(value: Any, item: Callable[[str], str], separators: str = r"[,;]") -> str:
    parts = [p.strip() for p in re.split(separators, _as_text(value))]
    return "[" + ", ".join(item(p) for p in parts if p) + "]"


def _dimensions(value: Any) -> str:
    """`communication=3.1, productivity=3.6` as a mapping; text the loader refuses otherwise."""
    pairs = []
    for part in re.split(r"[,;]", _as_text(value)):
        if not part.strip():
            continue
        name, sep, mean = part.partition("=")
        if not sep:
            return quoted(_as_text(value))
        pairs.append(f"{quoted(name.strip())}: {_number_or_text(mean)}")
    return "{" + ", ".join(pairs) + "}"


def _period(value: Any) -> str:
    """`2026-10-01..2026-11-30` as a list of two dates."""
    text = _as_text(value)
    parts = [p.strip() for p in text.split("..")]
    if len(parts) != 2:
        return quoted(text)
    return f"[{quoted(parts[0])}, {quoted(parts[1])}]"

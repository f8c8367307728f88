"""How figures are written for people: durations, ratios, percentages, ratings, scores, counts.

The one place where a number becomes words, for every report (text, Markdown, HTML to come)
and every chart: `duration(26, 8)` is `3d 2h`, `ratio(2.25)` is `×2.25`, `percent(0.125)`
is `12.5%`, `plural(3, "breach")` is `3 breaches`. It imports nothing from icmap, so any
layer may use it (the org model's `format_duration` is this `duration`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

UNKNOWN = "n/a"  # a figure that is not known (no measurement, no ratings)


def duration(hours: float, hours_per_day: float = 8.0) -> str:
    """Hours as people write them, in working days: `1d 2h`, `45m`, `-3h` (0 is `0h`).

    Days are `hours_per_day` hours; weeks are not used, so figures stay comparable.
    Rounded to the minute; `n/a` for NaN, `∞` for infinity.
    """
    if hours != hours:  # NaN
        return UNKNOWN
    if hours in (math.inf, -math.inf):
        return "∞" if hours > 0 else "-∞"
    sign = "-" if hours < 0 else ""
    minutes = round(abs(hours) * 60)
    if minutes == 0:
        return "0h"
    day_minutes = round(hours_per_day * 60)
    days, rest = divmod(minutes, day_minutes) if day_minutes > 0 else (0, minutes)
    whole_hours, mins = divmod(rest, 60)
    parts = [f"{days}d"] if days else []
    if whole_hours:
        parts.append(f"{whole_hours}h")
    if mins:
        parts.append(f"{mins}m")
    return sign + " ".join(parts)


def ratio(value: float) -> str:
    """An actual/standard (or load/capacity) ratio: `×2.25`, `×∞` when the base is 0."""
    if value != value:
        return UNKNOWN
    return "×∞" if math.isinf(value) else f"×{value:.2f}"


def percent(fraction: float | None) -> str:
    """0.8 -> `80%`, 0.125 -> `12.5%`, 0.9613 -> `96.1%`; `n/a` when unknown or infinite."""
    if fraction is None or not math.isfinite(fraction):
        return UNKNOWN
    shown = f"{fraction * 100:.1f}".removesuffix(".0")
    return "0%" if shown == "-0" else shown + "%"


def rating(value: float | None) -> str:
    """A satisfaction rating or a mean of ratings: `2`, `2.5`, `3.33`; `n/a` when unknown."""
    if value is None or not math.isfinite(value):
        return UNKNOWN
    shown = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if shown == "-0" else shown


def scale(low: float, high: float) -> str:
    """A rating scale: `1-5`."""
    return f"{low:g}-{high:g}"


def score(value: float) -> str:
    """A bottleneck score out of 100, two decimals: `67.22`."""
    return f"{value:.2f}"


def count(number: int) -> str:
    """A count with thousands separators: `12,345`."""
    return f"{number:,}"


def plural(number: int, noun: str, many: str | None = None) -> str:
    """`1 unit`, `2 units`, `3 breaches`, `2 dependencies`, `1,000 units`.

    `many` is the plural when the English rule below does not give it.
    """
    if number == 1:
        return f"1 {noun}"
    return f"{number:,} {many or plural_noun(noun)}"


def plural_noun(noun: str) -> str:
    """The plural of a noun icmap uses: `breach` -> `breaches`, `dependency` ->
    `dependencies`, `unit` -> `units`."""
    if noun.endswith(("ch", "sh", "s", "x")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"


def joined(items: Iterable[str], last: str = "and") -> str:
    """`a`, `a and b`, `a, b and c`."""
    words = list(items)
    if len(words) <= 2:
        return f" {last} ".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def suggestion(close: Iterable[str]) -> str:
    """`; did you mean 'a' or 'b'?` for the suggestions, empty without any."""
    words = [repr(c) for c in close]
    return f"; did you mean {' or '.join(words)}?" if words else ""

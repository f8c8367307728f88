"""The measurements fragment: the org-file YAML an import writes, same input → same bytes.

Entries are sorted by supplier then customer; durations are written in hours and minutes
(rounded to the minute, so they read back the same whatever `hours_per_day` is), shares as
percentages with one decimal, volumes and ratings with two. No time of the run is written:
the source and the period say what the figures come from.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from icmap.importing.figures import Measurement, Period


def duration_text(hours: float) -> str:
    """Hours as `7h 30m` (rounded to the minute; `0m` for nothing)."""
    minutes = round(hours * 60)
    whole, rest = divmod(minutes, 60)
    if whole and rest:
        return f"{whole}h {rest}m"
    return f"{whole}h" if whole else f"{rest}m"


def _number(value: float, places: int = 2) -> str:
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _percent(share: float) -> str:
    return f"{_number(share * 100, 1)}%"


def _scalar(text: str) -> str:
    """A string as a YAML scalar: plain when that reads back as the same string."""
    plain = text.replace("_", "").replace("-", "").replace(".", "")
    if plain.isalnum() and not text[0].isdigit() and text.lower() not in _YAML11_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


_YAML11_WORDS = frozenset(
    {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "none", "~"}
)


def write_fragment(
    measurements: Iterable[Measurement],
    *,
    command: str,
    source: str,
    period: Period | None,
) -> str:
    """The fragment's YAML text: a comment saying how it was made, then `measurements:`."""
    lines = [
        f"# Measured by `icmap {command}` from {source}; import again rather than edit.",
        "measurements:",
    ]
    entries = sorted(measurements, key=lambda m: (m.supplier, m.customer))
    if not entries:
        lines[-1] = "measurements: []"
    for m in entries:
        lines.append(f"  - supplier: {_scalar(m.supplier)}")
        lines.append(f"    customer: {_scalar(m.customer)}")
        if m.actual is not None:
            lines.append(f"    actual: {duration_text(m.actual)}")
        if m.actual_p90 is not None:
            # rounded the same way, so it never reads back below `actual`
            lines.append(f"    actual_p90: {duration_text(max(m.actual_p90, m.actual or 0.0))}")
        if m.volume is not None:
            lines.append(f"    volume: {_number(m.volume)}")
        if m.complete_accurate is not None:
            lines.append(f"    complete_accurate: {_percent(m.complete_accurate)}")
        if m.within_standard is not None:
            lines.append(f"    within_standard: {_percent(m.within_standard)}")
        if m.satisfaction is not None:
            lines.append(f"    satisfaction: {_number(m.satisfaction)}")
        if m.responses is not None:
            lines.append(f"    responses: {m.responses}")
        if m.dimensions:
            inner = ", ".join(
                f"{_scalar(k)}: {_number(v)}" for k, v in sorted(m.dimensions.items())
            )
            lines.append(f"    dimensions: {{{inner}}}")
        if m.samples is not None:
            lines.append(f"    samples: {m.samples}")
        if period is not None:
            first, last = period.as_strings()
            lines.append(f"    period: [{first}, {last}]")
        lines.append(f"    source: {_scalar(source)}")
    return "\n".join(lines) + "\n"

"""What an import read, used and left out: the data behind its report on stderr and JSON.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

SHOWN_ROWS = 20  # row numbers listed per reason; the count has them all


@dataclass
class Tally:
    """How many rows one reason covers, and the first `SHOWN_ROWS` of their numbers."""

    count: int = 0
    rows: list[int] = field(default_factory=list)

    def add(self, row: int) -> None:
        """Count one more row."""
        self.count += 1
        if len(self.rows) < SHOWN_ROWS:
            self.rows.append(row)

    def add_many(self, count: int, rows: Iterable[int]) -> None:
        """Count `count` rows, of which `rows` are (some of) the first ones."""
        self.count += count
        for row in rows:
            if len(self.rows) >= SHOWN_ROWS:
                break
            self.rows.append(row)


@dataclass(frozen=True, slots=True)
class UnmatchedName:
    """A name in the input that matches no unit: how often, and the closest known name."""

    column: str
    name: str
    count: int
    suggestion: str | None


@dataclass(frozen=True, slots=True)
class Undeclared:
    """A handoff measured between two units whose dependency the org does not declare."""

    supplier: str
    customer: str
    samples: int
    volume: float | None


@dataclass(frozen=True, slots=True)
class WorkTime:
    """A unit's observed work time (mean completion − start) beside its lead time (hours)."""

    unit: str
    mean_hours: float
    events: int
    lead_time_hours: float | None


@dataclass
class ImportReport:
    """Everything an import tells its user besides the figures it writes."""

    importer: str
    source: str
    rows_read: int = 0
    rows_used: int = 0
    skipped: dict[str, Tally] = field(default_factory=dict)
    ignored: dict[str, Tally] = field(default_factory=dict)  # cells left out, row still used
    unmatched: list[UnmatchedName] = field(default_factory=list)
    undeclared: list[Undeclared] = field(default_factory=list)
    ambiguous: list[tuple[str, str, str]] = field(default_factory=list)  # supplier, name, why
    withheld: int = 0
    work_times: list[WorkTime] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    period: tuple[str, str] | None = None
    calendar: str = "calendar time"
    pairs_written: int = 0
    row_word: str = "row"  # "event" for an XES log, whose rows are its events in order

    def skip(self, reason: str) -> Tally:
        """The tally of rows skipped for `reason` (made on first use)."""
        return self.skipped.setdefault(reason, Tally())

    def ignore(self, reason: str) -> Tally:
        """The tally of cells ignored for `reason` (the row itself is still used)."""
        return self.ignored.setdefault(reason, Tally())

    @property
    def rows_skipped(self) -> int:
        """Rows read but not used, for every reason."""
        return sum(t.count for t in self.skipped.values())

    @property
    def problems(self) -> bool:
        """True when `--strict` fails the import: a row skipped or a name unmatched."""
        return bool(self.rows_skipped or self.unmatched)

    def as_json(self) -> dict[str, Any]:
        """The report as JSON-ready data, keys and lists in a stable order."""

        def tallies(found: dict[str, Tally]) -> list[dict[str, Any]]:
            return [
                {"reason": reason, "count": t.count, "first_rows": t.rows}
                for reason, t in sorted(found.items())
            ]

        return {
            "importer": self.importer,
            "source": self.source,
            "period": list(self.period) if self.period else None,
            "durations": self.calendar,
            "rows": {
                "read": self.rows_read,
                "used": self.rows_used,
                "skipped": self.rows_skipped,
            },
            "skipped": tallies(self.skipped),
            "ignored": tallies(self.ignored),
            "unmatched_names": [
                {"column": u.column, "name": u.name, "count": u.count, "did_you_mean": u.suggestion}
                for u in self.unmatched
            ],
            "undeclared_handoffs": [
                {
                    "supplier": u.supplier,
                    "customer": u.customer,
                    "samples": u.samples,
                    "volume": u.volume,
                }
                for u in self.undeclared
            ],
            "ambiguous": [
                {"supplier": s, "name": n, "reason": why} for s, n, why in self.ambiguous
            ],
            "pairs_written": self.pairs_written,
            "pairs_withheld": self.withheld,
            "work_times": [
                {
                    "unit": w.unit,
                    "mean_hours": w.mean_hours,
                    "events": w.events,
                    "lead_time_hours": w.lead_time_hours,
                }
                for w in self.work_times
            ],
            "notes": self.notes,
        }

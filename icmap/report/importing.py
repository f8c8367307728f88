"""The report of an import, for people (text) and programs (JSON); both go to stderr."""

from __future__ import annotations

import json

from icmap.importing.report import ImportReport
from icmap.model import format_duration

SHOWN_UNDECLARED = 20  # the biggest first; the JSON report has them all


def _rows(rows: list[int], count: int, word: str = "row") -> str:
    shown = ", ".join(str(r) for r in rows)
    more = ", …" if count > len(rows) else ""
    return f"{word} {shown}" if count == 1 else f"{word}s {shown}{more}"


def report_text(report: ImportReport, written_to: str | None) -> str:
    """What the import read, used, skipped and left out, one finding a line."""
    period = f", {report.period[0]}..{report.period[1]}" if report.period else ""
    lines = [f"icmap import {report.importer}: {report.source}{period}, {report.calendar}"]
    lines.append(
        f"  rows: {report.rows_read:,} read, {report.rows_used:,} used, "
        f"{report.rows_skipped:,} skipped"
    )
    for reason, tally in sorted(report.skipped.items(), key=lambda i: (-i[1].count, i[0])):
        lines.append(
            f"  skipped {tally.count:,}: {reason} ({_rows(tally.rows, tally.count, report.row_word)})"
        )
    for reason, tally in sorted(report.ignored.items(), key=lambda i: (-i[1].count, i[0])):
        lines.append(
            f"  cell ignored in {tally.count:,} rows (the rest of each row is used): {reason} "
            f"({_rows(tally.rows, tally.count, report.row_word)})"
        )
    for unmatched in report.unmatched:
        hint = f"; did you mean {unmatched.suggestion!r}?" if unmatched.suggestion else ""
        lines.append(
            f"  {unmatched.column} {unmatched.name!r} matches no unit: "
            f"{unmatched.count:,} rows{hint} "
            "(add it to the unit's aliases, or map it with --map)"
        )
    for supplier, name, why in report.ambiguous:
        lines.append(f"  not written: requester {name!r} to {supplier}: {why}")
    biggest = sorted(report.undeclared, key=lambda u: (-u.samples, u.supplier, u.customer))
    for u in biggest[:SHOWN_UNDECLARED]:
        volume = f", {u.volume:g} a week" if u.volume is not None else ""
        lines.append(
            f"  undeclared handoff {u.supplier} -> {u.customer}: {u.samples:,} measured{volume}, "
            f"not written (add {u.supplier} to {u.customer}'s depends_on, then import again)"
        )
    if len(biggest) > SHOWN_UNDECLARED:
        rest = biggest[SHOWN_UNDECLARED:]
        lines.append(
            f"  and {len(rest)} more undeclared handoffs ({sum(u.samples for u in rest):,} "
            "measured); --report json lists them all"
        )
    if report.withheld:
        lines.append(
            f"  withheld for anonymity: {report.withheld} pair"
            f"{'s' if report.withheld != 1 else ''} with too few responses (no figures written)"
        )
    for w in report.work_times:
        lead = format_duration(w.lead_time_hours) if w.lead_time_hours is not None else "none"
        lines.append(
            f"  work time of {w.unit}: {format_duration(w.mean_hours)} observed over "
            f"{w.events:,} events (lead_time in the org: {lead})"
        )
    lines.extend(f"  note: {note}" for note in report.notes)
    where = f" to {written_to}" if written_to else ""
    lines.append(
        f"  wrote {report.pairs_written} measurement{'s' if report.pairs_written != 1 else ''}{where}"
    )
    return "\n".join(lines) + "\n"


def report_json(report: ImportReport) -> str:
    """The report as one JSON document (stable keys, see docs/import.md)."""
    return json.dumps(report.as_json(), indent=2, sort_keys=False, ensure_ascii=False) + "\n"

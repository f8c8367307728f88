"""Reading XES event logs (IEEE 1849) streaming: one event at a time, never the whole tree.

Each `<event>` becomes one CSV row (case, unit, completion, start) written to a file that
the event importer then reads like any CSV log. The parser's elements are cleared as soon
as their event or trace is written, and the log's root lets go of each finished trace, so
memory does not grow with the file (docs/benchmarks.md has the figure for a 1 GB log).
"""

from __future__ import annotations

import csv
import gzip
from typing import TYPE_CHECKING, BinaryIO, cast
from xml.etree.ElementTree import ParseError, iterparse

from icmap.importing.engine import InputError

if TYPE_CHECKING:
    from icmap.importing.events import EventColumns

ATTRIBUTES = ("string", "date", "int", "float", "boolean", "id")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def xes_to_csv(path: str, target: str, columns: EventColumns) -> int:
    """Write the events of the XES log at `path` to the CSV file `target` with the event
    importer's default columns; the number of events. InputError (with line:column) when
    the file is not well-formed XML."""
    from icmap.importing.events import EventColumns

    out_columns = EventColumns()
    events = 0
    try:
        source: BinaryIO = open(path, "rb")  # noqa: SIM115 - closed by the with below
        if path.lower().endswith(".gz"):
            source = cast(BinaryIO, gzip.GzipFile(fileobj=source, mode="rb"))
    except OSError as exc:
        raise InputError(path, f"cannot read the file: {exc.strerror}") from exc
    with source, open(target, "w", newline="", encoding="utf-8") as sink:
        writer = csv.writer(sink)
        writer.writerow(
            [out_columns.case, out_columns.unit, out_columns.timestamp, out_columns.start]
        )
        case: str | None = None
        event: dict[str, str] | None = None
        depth = 0
        trace_depth = event_depth = -1
        root = None
        try:
            for kind, element in iterparse(source, events=("start", "end")):
                if kind == "start":
                    depth += 1
                    tag = _local(element.tag)
                    if root is None:
                        root = element
                    elif tag == "trace" and trace_depth < 0:
                        trace_depth, case = depth, None
                    elif tag == "event" and trace_depth > 0 and event_depth < 0:
                        event_depth, event = depth, {}
                    continue
                tag = _local(element.tag)
                if tag in ATTRIBUTES and depth == event_depth + 1 and event is not None:
                    key = element.get("key")
                    if key is not None:
                        event[key] = element.get("value", "")
                elif tag in ATTRIBUTES and depth == trace_depth + 1 and event is None:
                    if element.get("key") == columns.case or (
                        element.get("key") == "concept:name" and case is None
                    ):
                        case = element.get("value")
                elif tag == "event" and depth == event_depth and event is not None:
                    if event.get("lifecycle:transition", "complete").lower() != "start":
                        writer.writerow(
                            [
                                case or "",
                                event.get(columns.unit, ""),
                                event.get(columns.timestamp, ""),
                                event.get(columns.start, ""),
                            ]
                        )
                        events += 1
                    event, event_depth = None, -1
                    element.clear()
                elif tag == "trace" and depth == trace_depth:
                    trace_depth = -1
                    element.clear()
                    if root is not None:
                        root.clear()  # the log lets go of the finished trace
                depth -= 1
        except ParseError as exc:
            line, column = exc.position
            raise InputError(
                f"{path}:{line}:{column + 1}",
                f"not well-formed XES: {exc.msg if hasattr(exc, 'msg') else exc}",
            ) from exc
        except (OSError, EOFError) as exc:
            raise InputError(path, f"cannot read the file: {exc}") from exc
    return events

"""Reading the sheets of a workbook (python-calamine) or CSV files into positioned tables.

Every cell keeps its place: `units.csv:7:3` (row 7, the third column) or
`book.xlsx:units!C7`. Formulas are read as the values the spreadsheet saved with them. A file
that cannot be read, or a sheet without the columns it needs, is a `SheetError` (the command
cannot run); problems with single cells are left to the importer, which reports them all.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
from dataclasses import dataclass, field
from typing import Any

from icmap.model import CellLocation, Location, WorkbookCell
from icmap.sheets.columns import REQUIRED, SHEETS

__all__ = ["SheetError", "Table", "read_tables"]


class SheetError(Exception):
    """A file or sheet that cannot be used at all; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet: its name, where it is, its header (normalized) and its rows of cells."""

    name: str
    source: str  # `book.xlsx:units` or `units.csv`, as the user named the file
    xlsx: bool
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]  # (1-based row number, cells)
    columns: dict[str, int] = field(default_factory=dict)  # column name -> 0-based index

    def at(self, row: int, column: int) -> Location:
        """The place of a cell (row and column 1-based)."""
        return (WorkbookCell if self.xlsx else CellLocation)(self.source, row, column)

    def cell(self, cells: tuple[Any, ...], name: str) -> Any:
        """The value of column `name` in a row (None when the column or the cell is empty)."""
        index = self.columns.get(name)
        if index is None or index >= len(cells):
            return None
        value = cells[index]
        if isinstance(value, str) and not value.strip():
            return None
        return value


def read_tables(paths: list[str]) -> list[Table]:
    """The tables of one workbook, or of CSV files (units first, then dependencies; others
    named `*settings*.csv` / `*measurements*.csv`, or recognized by their header)."""
    if not paths:
        raise SheetError("name a workbook (.xlsx) or the CSV files to read")
    if any(p.lower().endswith((".xlsx", ".xlsm")) for p in paths):
        if len(paths) > 1:
            raise SheetError("a workbook holds every sheet: name the .xlsx file alone")
        return _workbook(paths[0])
    tables = []
    for number, path in enumerate(paths):
        header, rows = _csv(path)
        name = _csv_sheet(path, header, number)
        tables.append(_table(name, path, False, header, rows))
    names = [t.name for t in tables]
    for name in set(names):
        if names.count(name) > 1:
            raise SheetError(f"two files hold the {name} sheet: {', '.join(_files(tables, name))}")
    return tables


def _files(tables: list[Table], name: str) -> list[str]:
    return [t.source for t in tables if t.name == name]


def _csv_sheet(path: str, header: list[str], number: int) -> str:
    stem = os.path.basename(path).lower()
    for name in ("measurements", "settings", "dependencies"):
        if name in stem:
            return name
    normalized = [_column(h) for h in header]
    if normalized[:2] == ["key", "value"]:
        return "settings"
    return "units" if number == 0 else "dependencies"


def _csv(path: str) -> tuple[list[str], list[tuple[int, tuple[Any, ...]]]]:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise SheetError(f"{path}: no such file") from None
    except OSError as exc:
        raise SheetError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SheetError(f"{path}:{line}: not UTF-8 text; save the CSV as UTF-8") from None
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise SheetError(f"{path}: not a CSV file: {exc}") from None
    if not records:
        raise SheetError(f"{path}:1: the file is empty; it needs a header row")
    rows = [(number, tuple(record)) for number, record in enumerate(records[1:], start=2)]
    return records[0], rows


def _workbook(path: str) -> list[Table]:
    if not os.path.exists(path):
        raise SheetError(f"{path}: no such file")
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(path)
    except Exception as exc:  # calamine raises its own errors for any unreadable book
        raise SheetError(f"{path}: not a workbook icmap can read: {exc}") from None
    tables = []
    by_name = {name.strip().lower(): name for name in book.sheet_names}
    if "units" not in by_name:
        raise SheetError(
            f"{path}: no sheet named `units` (it has {', '.join(book.sheet_names) or 'none'}); "
            "name the sheets units, dependencies, measurements and settings"
        )
    for name in SHEETS:
        if name not in by_name:
            continue
        records = book.get_sheet_by_name(by_name[name]).to_python(skip_empty_area=False)
        source = f"{path}:{by_name[name]}"
        if not records:
            raise SheetError(f"{source}!A1: the sheet is empty; it needs a header row")
        header = [_text(cell) for cell in records[0]]
        rows = [
            (number, tuple(_value(cell) for cell in record))
            for number, record in enumerate(records[1:], start=2)
        ]
        tables.append(_table(name, source, True, header, rows))
    return tables


def _table(
    name: str, source: str, xlsx: bool, header: list[str], rows: list[tuple[int, tuple[Any, ...]]]
) -> Table:
    normalized = tuple(_column(h) for h in header)
    columns: dict[str, int] = {}
    for index, column in enumerate(normalized):
        if column and column not in columns:
            columns[column] = index
    missing = [c for c in REQUIRED[name] if c not in columns]
    if missing:
        where = (WorkbookCell if xlsx else CellLocation)(source, 1, 1)
        raise SheetError(
            f"{where}: the {name} sheet has no {' or '.join(f'`{c}`' for c in missing)} column "
            f"(its header row is: {', '.join(h for h in header if h) or 'empty'}); "
            f"the columns are {', '.join(SHEETS[name])}"
        )
    kept = tuple((n, cells) for n, cells in rows if any(_filled(c) for c in cells))
    return Table(name, source, xlsx, normalized, kept, columns)


def _column(header: str) -> str:
    """`Lead time` and ` lead_time ` name the column `lead_time`."""
    return "_".join(header.strip().lower().replace("-", " ").split())


def _filled(cell: Any) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _text(cell: Any) -> str:
    value = _value(cell)
    return "" if value is None else str(value)


def _value(cell: Any) -> Any:
    """A calamine cell as the importer reads it: text, int, float, bool, or None.

    Whole floats become ints (`120.0` -> 120), dates ISO text, times of day and durations
    minutes (`4:30` -> `270m`), so that they read as the same value typed as text.
    """
    if cell is None or cell == "":
        return None
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 2**53:
        return int(cell)
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() if cell.time() == datetime.time() else cell.isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    if isinstance(cell, datetime.timedelta):
        return f"{cell.total_seconds() / 60:g}m"
    if isinstance(cell, datetime.time):
        return f"{cell.hour * 60 + cell.minute + cell.second / 60:g}m"
    return cell

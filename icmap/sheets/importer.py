"""`icmap import sheet`: the tables of a workbook or CSV files to an org file, checked.

The rows are written as org-file YAML, one value a line, and that YAML is checked by the same
loader and validation as `icmap check`; each finding is then put back at the cell its line
came from (`book.xlsx:units!C7`). So a cell means exactly what the same value in a YAML file
means, and the org written passes `icmap check`.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass

from icmap.api import check
from icmap.codes import RULES
from icmap.format import SECTIONS
from icmap.model import Finding, Level, Location
from icmap.names import suggest
from icmap.sheets.columns import SHEETS, UNIT_KINDS, field, settings_field
from icmap.sheets.tables import Table, read_tables
from icmap.sheets.writer import YamlText, quoted, scalar

__all__ = ["SheetImport", "import_sheets"]


@dataclass(frozen=True, slots=True)
class SheetImport:
    """What an import gave: the org file's YAML (None when there is an error) and findings."""

    yaml: str | None
    findings: tuple[Finding, ...]
    files: tuple[str, ...]
    rows: dict[str, int]  # sheet name -> rows read

    @property
    def errors(self) -> int:
        """How many findings are errors."""
        return sum(1 for f in self.findings if f.level is Level.ERROR)


def import_sheets(paths: list[str]) -> SheetImport:
    """Read the workbook or CSV files at `paths` into an org file; SheetError if unusable."""
    tables = {t.name: t for t in read_tables(paths)}
    converter = _Converter(tables)
    yaml = converter.convert()
    findings = list(converter.findings)
    findings += _checked(yaml, converter.out.cells, tables["units"])
    findings.sort(key=Finding.sort_key)
    failed = any(f.level is Level.ERROR for f in findings)
    rows = {name: len(t.rows) for name, t in tables.items()}
    return SheetImport(None if failed else yaml, tuple(findings), tuple(paths), rows)


def _checked(yaml: str, cells: dict[int, Location], units: Table) -> list[Finding]:
    """The findings of `icmap check` on the YAML, each moved to the cell of its line."""
    with tempfile.TemporaryDirectory(prefix="icmap-sheet-") as folder:
        path = os.path.join(folder, "org.yaml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(yaml)
        result = check(path)
    header = units.at(1, 1)
    here = re.compile(re.escape(path) + r":(\d+):(\d+)")

    def cell(line: int) -> Location:
        return cells.get(line, header)

    moved = []
    for f in result.findings:
        location = cell(f.location.line) if f.location is not None else header
        message = here.sub(lambda m: str(cell(int(m.group(1)))), f.message)
        moved.append(Finding(f.code, f.level, message, location, f.hint))
    return moved


class _Converter:
    """Writes the YAML from the tables, and reports what only the sheets can get wrong."""

    def __init__(self, tables: dict[str, Table]) -> None:
        self.tables = tables
        self.out = YamlText()
        self.findings: list[Finding] = []

    def add(self, code: str, where: Location, message: str, hint: str = "") -> None:
        self.findings.append(Finding(code, RULES[code].level, message, where, hint))

    def convert(self) -> str:
        units = self.tables["units"]
        for table in self.tables.values():
            self._check_header(table)
        out = self.out
        out.add("icmap: 1", units.at(1, 1))
        out.add(f"organization: {quoted(self._organization())}", self._organization_cell())
        self._settings()
        by_kind = self._units_by_kind(units)
        depends = self._dependencies(by_kind)
        for kind, section in (
            ("external_customer", "external_customers"),
            ("department", "departments"),
            ("role", "roles"),
        ):
            if by_kind[kind]:
                out.add(f"{section}:", units.at(1, 1))
            for row, cells in by_kind[kind]:
                self._unit(units, kind, row, cells, depends)
        self._measurements()
        return out.text()

    def _check_header(self, table: Table) -> None:
        known = SHEETS[table.name]
        seen: set[str] = set()
        for index, column in enumerate(table.header, start=1):
            if not column:
                continue
            where = table.at(1, index)
            if column in seen:
                self.add(
                    "ICM700",
                    where,
                    f"column {column!r} appears twice in the {table.name} sheet",
                    "keep one of them",
                )
            elif column not in known:
                message = f"the {table.name} sheet has no column {column!r}"
                close = suggest(column, known)
                message += f"; {close}" if close else ""
                self.add("ICM700", where, message, "its columns are " + ", ".join(known))
            seen.add(column)

    # -- settings ---------------------------------------------------------------------------

    def _settings_rows(self) -> list[tuple[int, str, object]]:
        table = self.tables.get("settings")
        if table is None:
            return []
        rows = []
        for row, cells in table.rows:
            key = table.cell(cells, "key")
            if key is not None:
                rows.append((row, str(key).strip(), table.cell(cells, "value")))
        return rows

    def _organization(self) -> str:
        for _, key, value in self._settings_rows():
            if key == "organization" and value is not None:
                return str(value).strip()
        units = self.tables["units"]
        # A workbook's sheet is `book.xlsx:units`; the book's own path may hold a `:` (C:\).
        first = units.source.rsplit(":", 1)[0] if units.xlsx else units.source
        return os.path.splitext(os.path.basename(first))[0]

    def _organization_cell(self) -> Location:
        table = self.tables.get("settings")
        for row, key, _ in self._settings_rows():
            if key == "organization" and table is not None:
                return table.at(row, table.columns["value"] + 1)
        return self.tables["units"].at(1, 1)

    def _settings(self) -> None:
        table = self.tables.get("settings")
        rows = [r for r in self._settings_rows() if r[1] != "organization"]
        if table is None or not rows:
            return
        self.out.add("settings:", table.at(1, 1))
        key_column, value_column = table.columns["key"] + 1, table.columns["value"] + 1
        for row, key, value in rows:
            spec = settings_field(key)
            if spec is None:  # the loader says so, with a did-you-mean, at the key's cell
                self.out.add(f"  {quoted(key)}: null", table.at(row, key_column))
                continue
            if value is None:
                continue
            self.out.add(f"  {key}: {scalar(value, spec.type)}", table.at(row, value_column))

    # -- units and dependencies -------------------------------------------------------------

    def _units_by_kind(self, units: Table) -> dict[str, list[tuple[int, tuple[object, ...]]]]:
        by_kind: dict[str, list[tuple[int, tuple[object, ...]]]] = {k: [] for k in UNIT_KINDS}
        kind_column = units.columns["kind"] + 1
        for row, cells in units.rows:
            written = units.cell(cells, "kind")
            kind = "" if written is None else str(written).strip().lower().replace(" ", "_")
            if kind not in UNIT_KINDS:
                shown = "empty" if written is None else repr(str(written))
                close = suggest(kind, UNIT_KINDS) if kind else ""
                message = f"kind is {shown}; it must be role, department or external_customer"
                self.add(
                    "ICM701",
                    units.at(row, kind_column),
                    message + (f"; {close}" if close else ""),
                    "write what the row is: role, department or external_customer",
                )
                continue
            if units.cell(cells, "id") is None:
                self.add(
                    "ICM202",
                    units.at(row, units.columns["id"] + 1),
                    f"the {kind.replace('_', ' ')} in row {row} has no id",
                    "give every row an id: letters, digits, _ . -",
                )
                continue
            by_kind[kind].append((row, cells))
        return by_kind

    def _dependencies(
        self, by_kind: dict[str, list[tuple[int, tuple[object, ...]]]]
    ) -> dict[str, list[tuple[int, tuple[object, ...]]]]:
        """Customer id -> its dependency rows, after reporting rows whose customer is unknown."""
        table = self.tables.get("dependencies")
        units = self.tables["units"]
        if table is None:
            return {}
        ids = {str(units.cell(c, "id")).strip() for rows in by_kind.values() for _, c in rows}
        depends: dict[str, list[tuple[int, tuple[object, ...]]]] = {}
        column = table.columns["customer"] + 1
        for row, cells in table.rows:
            written = table.cell(cells, "customer")
            customer = None if written is None else str(written).strip()
            if customer in ids:
                depends.setdefault(customer, []).append((row, cells))
                continue
            if customer is None:
                message = "the dependency has no customer"
            else:
                message = f"customer {customer!r} is not a row of the units sheet"
                close = suggest(customer, ids)
                message += f"; {close}" if close else ""
            self.add(
                "ICM702",
                table.at(row, column),
                message,
                "name the internal or external customer by its id in the units sheet",
            )
        return depends

    def _unit(
        self,
        units: Table,
        kind: str,
        row: int,
        cells: tuple[object, ...],
        depends: dict[str, list[tuple[int, tuple[object, ...]]]],
    ) -> None:
        out = self.out
        section = UNIT_KINDS[kind]
        first = True
        columns = sorted(dict.fromkeys(units.header), key=lambda c: c != "id")  # `- id:` first
        for column in columns:
            if column in ("kind", "") or column not in SHEETS["units"]:
                continue
            value = units.cell(cells, column)
            if value is None:
                continue
            where = units.at(row, units.columns[column] + 1)
            spec = field(section, column)
            if spec is None or (kind == "department" and column == "department"):
                self.add(
                    "ICM703",
                    where,
                    f"{column} does not apply to a {kind.replace('_', ' ')}",
                    f"leave the {column} cell of a {kind.replace('_', ' ')} empty",
                )
                continue
            lead = "  - " if first else "    "
            first = False
            out.add(f"{lead}{column}: {scalar(value, spec.type)}", where)
        ident = str(units.cell(cells, "id")).strip()
        rows = depends.get(ident, [])
        if rows:
            table = self.tables["dependencies"]
            out.add("    depends_on:", table.at(rows[0][0], table.columns["customer"] + 1))
            for dep_row, dep_cells in rows:
                self._entry(table, "dependency", dep_row, dep_cells, indent=6, skip=("customer",))

    def _entry(
        self,
        table: Table,
        section: str,
        row: int,
        cells: tuple[object, ...],
        indent: int,
        skip: tuple[str, ...] = (),
    ) -> None:
        """One mapping of a list: a dependency or a measurement, its key column first."""
        order = [c for c in table.header if c in SECTIONS[section] and c not in skip]
        key = "supplier"
        order.sort(key=lambda c: c != key)  # `- supplier:` first, the rest as in the sheet
        first = True
        for column in order:
            value = table.cell(cells, column)
            if value is None:
                continue
            spec = SECTIONS[section][column]
            lead = " " * indent + ("- " if first else "  ")
            first = False
            self.out.add(
                f"{lead}{column}: {scalar(value, spec.type)}",
                table.at(row, table.columns[column] + 1),
            )
        if first:  # nothing but the customer: a dependency on nobody
            self.out.add(" " * indent + "- supplier: null", table.at(row, 1))

    def _measurements(self) -> None:
        table = self.tables.get("measurements")
        if table is None or not table.rows:
            return
        self.out.add("measurements:", table.at(1, 1))
        for row, cells in table.rows:
            self._entry(table, "measurement", row, cells, indent=2)

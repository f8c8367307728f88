"""xlsx readers for `icmap import sheet`: openpyxl against python-calamine, whole processes.

    python bench/bench_sheet_read.py [--rows 10000] [--runs 5]

Writes a book like the one `icmap export sheet` writes (sheets units and dependencies, one
row per role and one per dependency, 12 and 10 columns, some cells formulas with cached
values as Excel saves them), then times a fresh interpreter that imports the reader and reads
every cell of every sheet as values, best of N interleaved runs. Also reports each reader's
installed size, and whether it returns a formula cell's cached value.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from benchlib import print_machine, table, time_commands

from icmap.sheets.columns import DEPENDENCY_COLUMNS, UNIT_COLUMNS

READERS = {
    "openpyxl (read_only, data_only)": (
        "import openpyxl\n"
        "book = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)\n"
        "n = sum(1 for ws in book.worksheets for row in ws.iter_rows(values_only=True))\n"
    ),
    "python-calamine": (
        "import python_calamine\n"
        "book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])\n"
        "n = sum(len(book.get_sheet_by_name(s).to_python()) for s in book.sheet_names)\n"
    ),
}
FORMULA_CELL = "units!E2"  # =1+1, cached value 2


def write_book(path: Path, rows: int) -> None:
    """A units/dependencies book of `rows` roles; units!E2 is a formula with its cached value."""
    import openpyxl

    book = openpyxl.Workbook()
    units = book.active
    units.title = "units"
    units.append(list(UNIT_COLUMNS))
    deps = book.create_sheet("dependencies")
    deps.append(list(DEPENDENCY_COLUMNS))
    for i in range(rows):
        units.append(
            [
                f"role-{i}",
                "role",
                f"Role {i}",
                f"dept-{i % 50}",
                "A role of the generated org.",
                "4h",
                "1h",
                120,
                2,
                None,
                "Ann Lee",
                "a, b",
                f"Group {i}",
            ]
        )
        if i:
            deps.append(
                [
                    f"role-{i}",
                    f"role-{i - 1}",
                    "work",
                    "information",
                    "1d",
                    "1d 2h",
                    "85%",
                    3.5,
                    40,
                    False,
                ]
            )
    units["E2"] = "=1+1"
    book.save(path)
    cache_formula_values(path, {"E2": "2"})


def cache_formula_values(path: Path, values: dict[str, str], sheet: int = 1) -> None:
    """Give formula cells the cached values Excel stores beside a formula (`<v>2</v>`).

    openpyxl writes a formula with an empty `<v />`; Excel and LibreOffice save the value they
    computed. `values` maps a cell (`E2`) to the text of its value.
    """
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    name = f"xl/worksheets/sheet{sheet}.xml"
    xml = parts[name].decode("utf-8")
    for cell, value in values.items():
        start = xml.index(f'<c r="{cell}"')
        end = xml.index("</c>", start)
        xml = xml[:start] + xml[start:end].replace("<v />", f"<v>{value}</v>") + xml[end:]
    parts[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for part, data in parts.items():
            target.writestr(part, data)


def formula_value(reader: str, path: Path) -> object:
    """What the reader gives for the formula cell (in a child process, as above)."""
    if reader.startswith("openpyxl"):
        code = (
            "import openpyxl, sys\n"
            "book = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)\n"
            "print(repr(next(book['units'].iter_rows(min_row=2, max_row=2, values_only=True))[4]))"
        )
    else:
        code = (
            "import python_calamine, sys\n"
            "book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])\n"
            "print(repr(book.get_sheet_by_name('units').to_python()[1][4]))"
        )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    return out.stdout.strip()


def installed_kb(distribution: str) -> int:
    """Installed size of a distribution's files, in KB."""
    files = importlib.metadata.distribution(distribution).files or []
    return round(sum(f.locate().stat().st_size for f in files if f.locate().exists()) / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000, help="roles in the book")
    parser.add_argument("--runs", type=int, default=5, help="runs per reader (best is kept)")
    parser.add_argument("--write", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        write_book(Path(args.write), args.rows)
        return
    print_machine()
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "book.xlsx"
        # In a child process: the readers' peak memory would otherwise start from this
        # process's (a forked child inherits its high-water mark).
        subprocess.run(
            [sys.executable, __file__, "--write", str(book), "--rows", str(args.rows)], check=True
        )
        print(
            f"book: {args.rows:,} roles, {args.rows - 1:,} dependencies, "
            f"{book.stat().st_size / 1e6:.1f} MB\n"
        )
        commands = {
            name: [sys.executable, "-c", "import sys\n" + code, str(book)]
            for name, code in READERS.items()
        }
        commands["(python start-up)"] = [sys.executable, "-c", "pass"]
        timings = time_commands(commands, args.runs)
        sizes = {
            "openpyxl (read_only, data_only)": installed_kb("openpyxl")
            + installed_kb("et_xmlfile"),
            "python-calamine": installed_kb("python-calamine"),
        }
        rows = []
        for name, timing in timings.items():
            if timing is None:
                continue
            formula = "" if name not in READERS else str(formula_value(name, book))
            size = f"{sizes[name]:,}" if name in sizes else ""
            rows.append(
                [
                    name,
                    f"{timing.best:.2f}",
                    f"{timing.median:.2f}",
                    f"{timing.peak_mb:.0f}",
                    size,
                    formula,
                ]
            )
        print(
            table(
                [
                    "reader",
                    "best s",
                    "median s",
                    "peak MB",
                    "installed KB",
                    f"{FORMULA_CELL} (=1+1)",
                ],
                rows,
            )
        )


if __name__ == "__main__":
    main()

"""`icmap import sheet` and `icmap export sheet`: arguments, reports and exit codes."""

from __future__ import annotations

from icmap.cli.common import fail


def import_sheet(paths: list[str], output: str | None, report_format: str) -> None:
    """Run `icmap import sheet`."""
    fail("import sheet is being built on this branch; it is not available yet")


def export_sheet(path: str, output: str) -> None:
    """Run `icmap export sheet`."""
    fail("export sheet is being built on this branch; it is not available yet")

"""Measured data in: ticket logs, event logs and surveys turned into measurement figures.

Each importer reads a file, matches its names to the org's units, and returns the figures
per handoff (`figures.Measurement`) with a report of what it read, used and skipped
(`report.ImportReport`); `fragment` writes the figures as org-file YAML. The columnar work
(a million rows) is done by DuckDB, imported only when an importer runs. See docs/import.md.
"""

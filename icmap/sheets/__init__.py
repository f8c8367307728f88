"""The spreadsheet round trip: an org kept in a workbook or CSV files, in and out.

`import_tables` turns the sheets `units`, `dependencies`, `measurements` and `settings` into
an org file (YAML), every problem at its cell; `export_org` writes an org as those sheets.
The xlsx libraries (python-calamine to read, openpyxl to write) are imported only here, on
use. The columns are documented in docs/import.md ("Spreadsheets").
"""

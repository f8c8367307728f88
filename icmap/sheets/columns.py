"""The sheets of the spreadsheet format and their columns, from the org format's field tables.

Each column is a key of the org format (icmap.format.SECTIONS), so a cell is checked exactly
as the same value in a YAML file would be.
"""

from __future__ import annotations

from icmap.format import SECTIONS, Field

#: What `kind` a row of the units sheet may have, and the section its columns come from.
UNIT_KINDS = {"role": "role", "department": "department", "external_customer": "external_customer"}

UNIT_COLUMNS = (
    "id",
    "kind",
    "name",
    "department",
    "description",
    "lead_time",
    "process_time",
    "capacity",
    "headcount",
    "deadline",
    "owner",
    "tags",
    "aliases",
)
DEPENDENCY_COLUMNS = (
    "customer",
    "supplier",
    "provides",
    "kind",
    "standard",
    "actual",
    "complete_accurate",
    "satisfaction",
    "volume",
    "feedback",
)
MEASUREMENT_COLUMNS = tuple(SECTIONS["measurement"])
SETTINGS_COLUMNS = ("key", "value")
#: The settings sheet's keys: `organization`, then every key of `settings:`.
SETTINGS_KEYS = ("organization", *SECTIONS["settings"])

#: Sheet name -> its columns, and the columns a sheet cannot do without.
SHEETS: dict[str, tuple[str, ...]] = {
    "units": UNIT_COLUMNS,
    "dependencies": DEPENDENCY_COLUMNS,
    "measurements": MEASUREMENT_COLUMNS,
    "settings": SETTINGS_COLUMNS,
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "units": ("id", "kind"),
    "dependencies": ("customer", "supplier"),
    "measurements": ("supplier", "customer"),
    "settings": ("key", "value"),
}


def field(section: str, column: str) -> Field | None:
    """The format's field behind a column in a section, or None if the section has no such key."""
    return SECTIONS[section].get(column)


def settings_field(key: str) -> Field | None:
    """The field of a settings-sheet key (`organization` is the org's name)."""
    if key == "organization":
        return SECTIONS["org"]["organization"]
    return SECTIONS["settings"].get(key)

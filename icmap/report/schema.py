"""The JSON Schema (draft 2020-12) of the org file format, built from `icmap.format.SECTIONS`.

Editors with the YAML language server use it to complete keys and flag mistakes while typing.
It is generated from the same field tables the loader checks against, so the two agree on
which keys exist, which are required and what their values look like. The schema is a first
line of defence: `icmap check` still does the checks a schema cannot express (references,
o <= m <= p, process time within lead time, cycles...).
"""

from __future__ import annotations

import json
from dataclasses import fields as dataclass_fields
from typing import Any

from icmap.format import (
    DURATION_PATTERN,
    FORMAT_VERSION,
    ID_PATTERN,
    MAIN_FILE_ONLY_KEYS,
    PERCENT_PATTERN,
    SECTIONS,
    WORKING_HOURS_PATTERN,
    Field,
)
from icmap.model import Settings

DRAFT = "https://json-schema.org/draft/2020-12/schema"
#: Keys of the top-level section that only a main file needs (an included file may omit them).
HEADER_KEYS = ("icmap", "organization")

_DURATION = {
    "oneOf": [
        {"type": "number", "minimum": 0, "description": "In `settings.time_unit` units."},
        {
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": "Parts like `90m`, `1.5h`, `2d`, `1d 4h` (m/min, h, d, w).",
        },
    ]
}
_PERCENTAGE = {
    "oneOf": [
        {"type": "string", "pattern": PERCENT_PATTERN, "description": "e.g. `85%`."},
        {"type": "number", "minimum": 0, "maximum": 1, "description": "A fraction, e.g. 0.85."},
    ]
}
# What each simple field type of `icmap.format.Field` is in JSON Schema terms.
_SIMPLE: dict[str, dict[str, Any]] = {
    "text": {"type": "string"},
    "id": {"type": "string", "pattern": ID_PATTERN},
    "reference": {"type": "string", "minLength": 1},
    "duration": {"$ref": "#/$defs/duration"},
    "lead_time": {"oneOf": [{"$ref": "#/$defs/duration"}, {"$ref": "#/$defs/estimate"}]},
    "number": {"type": "number"},
    "integer": {"type": "integer"},
    "percentage": {"$ref": "#/$defs/percentage"},
    "rating": {"type": "number"},
    "boolean": {"type": "boolean"},
    "tags": {"type": ["array", "null"], "items": {"type": "string"}},
    "scale": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
    "version": {"const": FORMAT_VERSION},
    "includes": {
        "oneOf": [
            {"type": "string", "minLength": 1},
            {"type": ["array", "null"], "items": {"type": "string", "minLength": 1}},
        ]
    },
    "working_hours": {"type": ["string", "null"], "pattern": WORKING_HOURS_PATTERN},
    "dimensions": {"type": "object", "additionalProperties": {"type": "number"}},
    "period": {
        "type": "array",
        "items": {"type": "string", "format": "date"},
        "minItems": 2,
        "maxItems": 2,
    },
    "dependencies": {
        "type": ["array", "null"],
        "items": {
            "oneOf": [
                {"type": "string", "minLength": 1, "description": "Just the supplier's id."},
                {"$ref": "#/$defs/dependency"},
            ]
        },
    },
}


def build_schema(fragment: bool = False) -> dict[str, Any]:
    """The schema of a main org file, or with `fragment` of a file another one includes.

    An included file needs no `icmap:`/`organization:` header and may not set `settings:`.
    """
    top = _section("org", omit=MAIN_FILE_ONLY_KEYS if fragment else ())
    if fragment:
        top["required"] = [k for k in top.get("required", []) if k not in HEADER_KEYS]
        if not top["required"]:
            del top["required"]
    kind = "an included org file (a fragment)" if fragment else "an org file"
    defs: dict[str, Any] = {name: _section(name) for name in sorted(SECTIONS) if name != "org"}
    defs["duration"] = _DURATION
    defs["percentage"] = _PERCENTAGE
    return {
        "$schema": DRAFT,
        "title": f"icmap org file, format {FORMAT_VERSION}" + (" (included)" if fragment else ""),
        "description": (
            f"The YAML of {kind} for icmap, the internal-customer mapper. Check a file fully "
            "with `icmap check`."
        ),
        **top,
        "$defs": dict(sorted(defs.items())),
    }


def schema_text(fragment: bool = False) -> str:
    """The schema as JSON text, indented by 2 and ending in a newline."""
    return json.dumps(build_schema(fragment), indent=2, ensure_ascii=False) + "\n"


def _section(name: str, omit: tuple[str, ...] = ()) -> dict[str, Any]:
    """An object schema for one section of the format: its keys, and nothing else."""
    fields = {key: spec for key, spec in SECTIONS[name].items() if key not in omit}
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {key: _field(name, spec) for key, spec in fields.items()},
        "additionalProperties": False,
    }
    required = [key for key, spec in fields.items() if spec.required]
    if required:
        schema["required"] = required
    return schema


def _field(section: str, spec: Field) -> dict[str, Any]:
    """The schema of one key, with its description (and default, for settings)."""
    kind, _, target = spec.type.partition(":")
    schema: dict[str, Any]
    if kind == "section":
        schema = {"$ref": f"#/$defs/{target}"}
    elif kind == "list":
        # An empty `roles:` is read as no roles, so null is allowed too.
        schema = {"type": ["array", "null"], "items": {"$ref": f"#/$defs/{target}"}}
    elif kind == "choice":
        schema = {"enum": list(spec.choices)}
    elif kind == "working_days":
        schema = {"type": "array", "items": {"enum": list(spec.choices)}, "minItems": 1}
    elif kind in _SIMPLE:
        schema = dict(_SIMPLE[kind])
    else:
        raise ValueError(f"field {section}.{spec.name} has unknown type {spec.type!r}")
    if spec.minimum is not None:
        schema["exclusiveMinimum" if spec.minimum_excluded else "minimum"] = spec.minimum
    if spec.maximum is not None:
        schema["maximum"] = spec.maximum
    if kind == "text" and not spec.required:
        schema["type"] = ["string", "null"]  # an empty optional text is read as absent
    if section == "settings" and spec.name in _SETTINGS_DEFAULTS:
        schema["default"] = _SETTINGS_DEFAULTS[spec.name]
    return {"description": spec.description, **schema}


def _settings_defaults() -> dict[str, Any]:
    defaults = Settings()
    values = {f.name: getattr(defaults, f.name) for f in dataclass_fields(defaults)}
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


_SETTINGS_DEFAULTS = _settings_defaults()

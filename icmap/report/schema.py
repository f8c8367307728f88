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
    LONGEST_HOURS,
    MAIN_FILE_ONLY_KEYS,
    PERCENT_PATTERN,
    SECTIONS,
    UNIT_ONLY_KEYS,
    WORKING_HOURS_PATTERN,
    Field,
)
from icmap.model import Settings

DRAFT = "https://json-schema.org/draft/2020-12/schema"
#: Keys of the top-level section that only a main file needs (an included file may omit them).
HEADER_KEYS = ("icmap", "organization")

#: What an editor shows for a value that is not a duration (yaml-language-server reads
#: `patternErrorMessage` and `errorMessage`; other validators ignore them).
NOT_A_DURATION = "not a duration: write e.g. 2d, 1.5h, 90m or 1d 4h"
TOO_LONG = (
    f"longer than any real wait: icmap reads up to {LONGEST_HOURS:,} hours "
    "(about 114,000 years); check the number and its unit"
)
NOT_A_LABEL = "write text: not blank, no blank line, no tab or other control character"
# Lines of text, each with something besides spaces, no control character but the line
# breaks between them; the end asserted with a look-ahead, as `$` also matches before a
# final line break in some regex engines (Python's).
_LINE = r"[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*"
LABEL_PATTERN = rf"^{_LINE}(?:\n{_LINE})*(?![\s\S])"
NOT_A_PERCENTAGE = 'not a percentage from 0% to 100%: write e.g. "85%" or 0.85'
# The schema cannot see a file's settings (an included file has none of its own), so its
# limits read bare numbers, days and weeks with the default settings (hours, 8-hour day,
# 5-day week); `icmap check` applies the file's own.
_DEFAULTS = Settings()


def at_most(limit: int) -> str:
    """A regular expression for a decimal number (`12`, `0.5`, `.5`) of at most `limit`.

    Leading zeros are allowed, as the loader reads them. Integer parts below the limit may
    have any fraction; the limit itself only `.0`.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    digits = str(limit)
    below = []
    if len(digits) > 1:  # fewer digits
        below.append("[0-9]" if len(digits) == 2 else f"[0-9]{{1,{len(digits) - 1}}}")
    for i, digit in enumerate(digits):  # as many digits, the first smaller one at i
        # A leading 0 makes a shorter number, matched above (and by `0*`).
        low = "1" if i == 0 and len(digits) > 1 else "0"
        if digit > low:
            choice = low if int(digit) - 1 == int(low) else f"[{low}-{int(digit) - 1}]"
            rest = len(digits) - i - 1
            below.append(digits[:i] + choice + (f"[0-9]{{{rest}}}" if rest > 1 else "[0-9]" * rest))
    return rf"0*(?:(?:{'|'.join(below)})(?:\.[0-9]+)?|\.[0-9]+|{digits}(?:\.0+)?)"


def _bounded_duration_pattern() -> str:
    """A duration whose every part is within icmap's limit (a sum of parts is not checked)."""
    parts = []
    for units, written in (("m", "(?:min|m)"), ("h", "h"), ("d", "d"), ("w", "w")):
        limit = round(LONGEST_HOURS / _DEFAULTS.hours_per(units))
        parts.append(rf"{at_most(limit)}\s*{written}")
    part = f"(?:{'|'.join(parts)})"
    return rf"^\s*{part}(?:\s*{part})*\s*$"


_DURATION: dict[str, Any] = {
    "type": ["number", "string"],
    "description": (
        "A number in `settings.time_unit` units, or parts like `90m`, `1.5h`, `2d`, `1d 4h` "
        "(m/min, h, d, w)."
    ),
    "minimum": 0,
    "maximum": round(LONGEST_HOURS / _DEFAULTS.hours_per(_DEFAULTS.time_unit)),
    "pattern": DURATION_PATTERN,
    "patternErrorMessage": NOT_A_DURATION,
    "errorMessage": NOT_A_DURATION,
    # Only a string that is a duration is checked against the limit, so that a word like
    # `soon` gets the message above, not this one.
    "if": {"pattern": DURATION_PATTERN},
    "then": {
        "pattern": _bounded_duration_pattern(),
        "patternErrorMessage": TOO_LONG,
        "errorMessage": TOO_LONG,
    },
}
_PERCENTAGE: dict[str, Any] = {
    "type": ["number", "string"],
    "description": "A share: a percentage such as `85%`, or a fraction such as 0.85.",
    "minimum": 0,
    "maximum": 1,
    "pattern": PERCENT_PATTERN,
    "patternErrorMessage": NOT_A_PERCENTAGE,
    "errorMessage": NOT_A_PERCENTAGE,
}
# What each simple field type of `icmap.format.Field` is in JSON Schema terms.
_SIMPLE: dict[str, dict[str, Any]] = {
    "text": {"type": "string"},
    "label": {"type": "string", "pattern": LABEL_PATTERN, "patternErrorMessage": NOT_A_LABEL},
    "id": {"type": "string", "pattern": ID_PATTERN},
    "reference": {"type": "string", "minLength": 1},
    "duration": {"$ref": "#/$defs/duration"},
    "policy_duration": {
        "oneOf": [
            {"$ref": "#/$defs/duration"},
            {
                "type": "object",
                "additionalProperties": {"$ref": "#/$defs/duration"},
                "description": "By external customer id, and `default` for the others.",
            },
        ]
    },
    "lead_time": {"$ref": "#/$defs/lead_time"},
    "number": {"type": "number"},
    "integer": {"type": "integer"},
    "percentage": {"$ref": "#/$defs/percentage"},
    "rating": {"type": "number"},
    "boolean": {"type": "boolean"},
    "tags": {
        "type": ["array", "null"],
        "items": {"type": "string", "pattern": LABEL_PATTERN, "patternErrorMessage": NOT_A_LABEL},
    },
    "scale": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
    "version": {"const": FORMAT_VERSION},
    # One path or a list of them; minLength applies to the path, items to the list.
    "includes": {
        "type": ["string", "array", "null"],
        "minLength": 1,
        "items": {"type": "string", "minLength": 1},
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
        "items": {"$ref": "#/$defs/supplier"},
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
    defs["lead_time"] = _lead_time(defs["estimate"])
    defs["supplier"] = _supplier(defs["dependency"])
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


def _lead_time(estimate: dict[str, Any]) -> dict[str, Any]:
    """A duration or a three-point estimate, as one schema.

    Not a `oneOf`: editors then report the branch they guessed ("Expected number |
    estimate") instead of what is wrong. The duration's keywords apply to numbers and
    strings only and the estimate's to mappings only, so the two merge without overlap.
    """
    merged = {key: value for key, value in _DURATION.items() if key != "description"}
    merged["type"] = [*_DURATION["type"], "object"]
    merged.update({key: value for key, value in estimate.items() if key != "type"})
    merged["errorMessage"] = f"{NOT_A_DURATION}, or a three-point estimate"
    return {
        "description": "A duration, or a three-point estimate {optimistic, likely, pessimistic}.",
        **merged,
    }


def _supplier(dependency: dict[str, Any]) -> dict[str, Any]:
    """One entry of `depends_on`: the supplier's id, or a dependency mapping (one schema).

    `minLength` applies to the id only and the mapping's keywords to mappings only, so an
    editor reports what is wrong inside the mapping rather than "matches no schema".
    """
    return {
        "description": "The supplier's id, or a mapping with `supplier:` and service figures.",
        "type": ["string", "object"],
        "minLength": 1,
        **{key: value for key, value in dependency.items() if key != "type"},
    }


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
    if name == "department":
        schema.update(_GROUPING_HAS_NO_UNIT_FIELDS)
    return schema


# A department with roles is a grouping: the unit fields belong on its roles (ICM214).
_GROUPING_HAS_NO_UNIT_FIELDS: dict[str, Any] = {
    "if": {"required": ["roles"], "properties": {"roles": {"type": "array", "minItems": 1}}},
    "then": {
        "properties": {
            key: {
                "not": {},
                "errorMessage": (
                    f"a department with roles is a grouping: `{key}:` belongs on its roles"
                ),
            }
            for key in UNIT_ONLY_KEYS
        }
    },
}


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
    if kind in ("text", "label") and not spec.required:
        schema["type"] = ["string", "null"]  # an empty optional text is read as absent
    if section == "settings" and spec.name in _SETTINGS_DEFAULTS:
        schema["default"] = _SETTINGS_DEFAULTS[spec.name]
    return {"description": spec.description, **schema}


def _settings_defaults() -> dict[str, Any]:
    defaults = Settings()
    values = {f.name: getattr(defaults, f.name) for f in dataclass_fields(defaults)}
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


_SETTINGS_DEFAULTS = _settings_defaults()

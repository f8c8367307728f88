"""The `sarif` format of `icmap check`: SARIF 2.1.0 for GitHub code scanning and other viewers.

One run; the driver lists every rule of `icmap.codes.RULES` with a link to its documentation,
and each finding becomes a result with its rule, level, message (with the hint) and region.
Artifact URIs are relative to the source root (`%SRCROOT%`), with forward slashes: the root
of the git work tree the check runs in (so code scanning places alerts right when icmap runs
in a subfolder), or `--base-dir`, or else the working directory.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from icmap.codes import RULES, Rule
from icmap.model import Level

if TYPE_CHECKING:
    from icmap.model import Finding, Location
    from icmap.report.check import CheckReport

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
#: Where the project lives; rule help links point into its docs/codes.md.
PROJECT_URL = "https://github.com/icmap/icmap"
CODES_URL = f"{PROJECT_URL}/blob/main/docs/codes.md"
SOURCE_ROOT = "%SRCROOT%"
_LEVEL = {Level.ERROR: "error", Level.WARNING: "warning"}


def write(report: CheckReport, stream: TextIO) -> None:
    """Write the report as a SARIF 2.1.0 log, indented by 2."""
    json.dump(document(report), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def document(report: CheckReport) -> dict[str, Any]:
    """The SARIF log as plain data."""
    rules = sorted(RULES.values(), key=lambda rule: rule.code)
    index = {rule.code: i for i, rule in enumerate(rules)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "icmap",
                        "version": _version(),
                        "informationUri": PROJECT_URL,
                        "rules": [_rule(rule) for rule in rules],
                    }
                },
                # PyYAML counts columns in characters, not UTF-16 units.
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index[f.code], report.base_dir) for f in report.findings],
            }
        ],
    }


def _version() -> str:
    # From the installed metadata: `icmap.__version__` would pull in the whole API here.
    # Imported on use: importlib.metadata is slow to import, and only SARIF needs it.
    from importlib import metadata

    try:
        return metadata.version("icmap")
    except metadata.PackageNotFoundError:
        return "unknown"


def help_uri(rule: Rule) -> str:
    """The link to a rule's section of docs/codes.md (GitHub's anchor for its heading)."""
    return f"{CODES_URL}#{rule.code.lower()}-{rule.name}"


def _rule(rule: Rule) -> dict[str, Any]:
    link = help_uri(rule)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{rule.summary} See {link} for an example and how to fix it."},
        "defaultConfiguration": {"level": _LEVEL[rule.level]},
        "helpUri": link,
        "help": {
            "text": f"{rule.summary} Example and fix: {link}",
            "markdown": f"{rule.summary} [Example and fix]({link}).",
        },
    }


def _result(finding: Finding, rule_index: int, base_dir: str | None) -> dict[str, Any]:
    location = finding.location
    assert location is not None  # CheckReport gives every finding a place
    text = finding.message + (f" — {finding.hint}" if finding.hint else "")
    return {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.level],
        "message": {"text": text},
        "locations": [{"physicalLocation": _physical(location, base_dir)}],
    }


def _physical(location: Location, base_dir: str | None) -> dict[str, Any]:
    return {
        "artifactLocation": artifact_location(location.file, base_dir),
        "region": {"startLine": location.line, "startColumn": location.column},
    }


def artifact_location(path: str, base_dir: str | None = None) -> dict[str, str]:
    """A file as SARIF names it: a URI relative to `%SRCROOT%`, which is `base_dir`.

    `path` is read from the working directory, as the user gave it. A file inside `base_dir`
    (the working directory if None) is named relative to it; one outside it becomes a
    `file:` URI of its own.
    """
    here = os.getcwd()
    base = os.path.normpath(os.path.join(here, base_dir)) if base_dir else here
    normal = os.path.normpath(os.path.join(here, path))
    try:
        inside = os.path.commonpath([base, normal]) == base
    except ValueError:  # another drive on Windows
        inside = False
    if not inside:
        return {"uri": Path(normal).as_uri()}
    return {"uri": quote(Path(os.path.relpath(normal, base)).as_posix()), "uriBaseId": SOURCE_ROOT}

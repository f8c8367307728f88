"""The `json` format of `icmap check`: a stable document of every root file and its findings.

Keys never change meaning; more may be added. Roots, findings and keys are sorted, so the same
input gives the same bytes.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from icmap.model import Finding
    from icmap.report.check import CheckReport

#: Version of this document's layout.
JSON_FORMAT = 1


def write(report: CheckReport, stream: TextIO) -> None:
    """Write the report as JSON, indented by 2."""
    json.dump(document(report), stream, indent=2, sort_keys=True, ensure_ascii=False)
    stream.write("\n")


def document(report: CheckReport) -> dict[str, Any]:
    """The report as plain data: `format`, `files` (one per root) and `summary`."""
    return {
        "format": JSON_FORMAT,
        "files": [
            {
                "path": root.path,
                "includes": sorted(root.includes),
                "findings": [_finding(f) for f in root.findings],
            }
            for root in sorted(report.roots, key=lambda root: root.path)
        ],
        "summary": {
            "files": len(report.files),
            "errors": report.errors,
            "warnings": report.warnings,
        },
    }


def _finding(finding: Finding) -> dict[str, Any]:
    location = finding.location
    assert location is not None  # CheckReport gives every finding a place
    return {
        "code": finding.code,
        "level": finding.level.value,
        "message": finding.message,
        "hint": finding.hint,
        "file": location.file,
        "line": location.line,
        "column": location.column,
    }

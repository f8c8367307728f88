"""The findings of `icmap check` as one report, and the registry of writers for its formats.

A `CheckReport` holds one `FileReport` per root file (a file named by the user, or found in a
named directory, that no other checked file includes). Every finding in it has a location, so
each writer can rely on `file:line:column`; one without a place is put at line 1 of its root.
Writers take the report and a text stream; `REPORTERS` maps each `--format` name to its writer.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TextIO

from icmap.formatting import plural
from icmap.model import Finding, Level, Location, count_level

__all__ = [
    "FORMATS",
    "REPORTERS",
    "CheckReport",
    "FileReport",
    "Reporter",
    "choose_format",
]


@dataclass(frozen=True, slots=True)
class FileReport:
    """One root file: its path as the user gave it, every file read for it, its findings."""

    path: str
    files: tuple[str, ...]
    findings: tuple[Finding, ...]

    @classmethod
    def of(cls, path: str, files: Iterable[str], findings: Iterable[Finding]) -> FileReport:
        """A report whose findings all have a location (line 1 of `path` if they had none)."""
        start = Location(path, 1, 1)
        located = {
            f if f.location is not None else Finding(f.code, f.level, f.message, start, f.hint)
            for f in findings
        }
        return cls(path, tuple(files), tuple(sorted(located, key=Finding.sort_key)))

    @property
    def includes(self) -> tuple[str, ...]:
        """The files read for this root other than the root itself, in reading order."""
        own = os.path.realpath(self.path)
        return tuple(f for f in self.files if os.path.realpath(f) != own)


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Everything one `icmap check` run found, ready for any writer."""

    roots: tuple[FileReport, ...]
    #: The directory SARIF names files relative to (`%SRCROOT%`): the git work tree's root
    #: or `--base-dir`; None for the working directory.
    base_dir: str | None = None

    @classmethod
    def of(cls, reports: Iterable[FileReport], base_dir: str | None = None) -> CheckReport:
        """The report of these files, leaving out each one that another of them includes.

        An included fragment checked on its own would only report a missing `icmap:` header;
        its real findings come with the file that includes it. Files that include each other
        in a loop are kept in the order given until one covers the rest. A file named twice
        is reported once.
        """
        reports = list(reports)
        included = [{os.path.realpath(f) for f in r.includes} for r in reports]
        anywhere = set().union(*included)
        covered = set().union(
            *(inc for r, inc in zip(reports, included, strict=True) if _real(r) not in anywhere)
        )
        kept: list[FileReport] = []
        for report, inc in zip(reports, included, strict=True):
            if _real(report) in covered:
                continue
            kept.append(report)
            covered |= inc | {_real(report)}
        return cls(tuple(kept), base_dir)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding once (a fragment two roots share may be reported by both), sorted."""
        unique = {f for root in self.roots for f in root.findings}
        return tuple(sorted(unique, key=Finding.sort_key))

    @property
    def files(self) -> tuple[str, ...]:
        """Every file checked, roots and included files, each once, sorted."""
        seen: dict[str, str] = {}
        for root in self.roots:
            for path in (root.path, *root.files):
                seen.setdefault(os.path.realpath(path), path)
        return tuple(sorted(seen.values()))

    @property
    def errors(self) -> int:
        """How many findings are errors."""
        return count_level(self.findings, Level.ERROR)

    @property
    def warnings(self) -> int:
        """How many findings are warnings."""
        return count_level(self.findings, Level.WARNING)

    def passed(self, strict: bool = False) -> bool:
        """True when nothing fails the check: no error, and no warning when `strict`."""
        return self.errors == 0 and not (strict and self.warnings)

    def summary(self) -> str:
        """One line for people: `2 files checked: 3 errors, 1 warning` or `...: all clean`."""
        head = f"{plural(len(self.files), 'file')} checked"
        if not self.findings:
            return f"{head}: all clean"
        return f"{head}: {finding_counts(self.findings)}"


def finding_counts(findings: Iterable[Finding]) -> str:
    """`3 errors, 1 warning`, `2 warnings`: the levels there are, errors first."""
    findings = tuple(findings)
    counts = ((count_level(findings, level), level.value) for level in (Level.ERROR, Level.WARNING))
    return ", ".join(plural(count, noun) for count, noun in counts if count)


def _real(report: FileReport) -> str:
    return os.path.realpath(report.path)


Reporter = Callable[[CheckReport, TextIO], None]
"""A writer: puts the whole report on the stream, in one format."""


def _registry() -> dict[str, Reporter]:
    # Imported here so that each writer module can import this one for CheckReport.
    from icmap.report.check import github, json_report, parsable, sarif, text

    return {
        "text": text.write,
        "parsable": parsable.write,
        "json": json_report.write,
        "github": github.write,
        "sarif": sarif.write,
    }


REPORTERS: dict[str, Reporter] = _registry()
#: Every `--format` value: the writers, and `auto`.
FORMATS: tuple[str, ...] = (*REPORTERS, "auto")


def choose_format(name: str, environ: Mapping[str, str] | None = None) -> str:
    """The writer to use for `--format name`: `auto` is github under GitHub Actions, else text."""
    if name != "auto":
        return name
    env = os.environ if environ is None else environ
    return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"

"""Org files to an Org: reads a file and its includes, collecting every problem with its place.

`load_org(path)` never raises for anything a user can put in a file; it returns the Org it
could build (None when the main file is unusable) and every finding, sorted.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from dataclasses import dataclass

from icmap.format import FORMAT_VERSION, MAIN_FILE_ONLY_KEYS
from icmap.lifetime import keep
from icmap.loader import sections
from icmap.loader.references import build_org
from icmap.loader.values import Report, check_keys, text, type_name
from icmap.model import Finding, Level, Location, Org
from icmap.yamlsource import Node, Pairs, gc_paused, key_node, parse

__all__ = ["LoadResult", "load_org", "read_text"]


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What loading gave: the Org (None if the main file is unusable), findings, files read."""

    org: Org | None
    findings: tuple[Finding, ...]
    files: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when there is an Org and no error (warnings allowed)."""
        return self.org is not None and not any(f.level is Level.ERROR for f in self.findings)


def read_text(path: str, report: Report, at: Location | None = None) -> str | None:
    """The text of a file, or None after reporting why it cannot be read."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        report.add("ICM001", at or Location(path, 1, 1), f"{path}: no such file")
        return None
    except IsADirectoryError:
        report.add("ICM001", at or Location(path, 1, 1), f"{path} is a directory, not a file")
        return None
    except OSError as exc:
        report.add("ICM001", at or Location(path, 1, 1), f"{path}: cannot read: {exc.strerror}")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        report.add(
            "ICM002",
            Location(path, line, column),
            f"byte 0x{data[exc.start]:02x} is not UTF-8 text",
            "save the file as UTF-8",
        )
        return None


def load_org(path: str, leave_out: Iterable[str] = ()) -> LoadResult:
    """Read the org file at `path` (as the user named it) and everything it includes.

    An included file named in `leave_out` is not read, and not missed when it does not exist:
    `icmap import -o FRAGMENT` replaces it, so the org is read as it would be without it.
    """
    loader = _Loader(frozenset(os.path.realpath(p) for p in leave_out))
    with gc_paused():
        org = loader.load(path)
    keep(loader)  # its YAML trees and draft, when the command keeps them until it exits
    findings = sorted(
        (f for report in loader.reports for f in report.findings), key=Finding.sort_key
    )
    return LoadResult(org, tuple(findings), tuple(loader.files))


def _include_path(base: str, pattern: str) -> str:
    """An include relative to its file, spelt the way the user spelt the main path.

    `./org/main.yaml` including `parts/a.yaml` gives `./org/parts/a.yaml`; only `..` steps
    are folded away, so paths in findings read as the user would type them.
    """
    joined = os.path.join(base, pattern) if base else pattern
    if ".." not in pattern.replace("\\", "/").split("/"):
        return joined
    prefix = "./" if joined.startswith("./") else ""
    return prefix + os.path.normpath(joined)


class _Loader:
    def __init__(self, leave_out: frozenset[str] = frozenset()) -> None:
        self.leave_out = leave_out  # real paths of included files not to read
        self.reports: list[Report] = []
        self.files: list[str] = []
        self.real_paths: dict[str, str] = {}  # real path -> the path as first named
        self.draft = sections.Draft()
        self.trees: list[Node] = []  # each file's root, alive as long as this loader

    def load(self, path: str) -> Org | None:
        report = self._report(path)
        root = self._root(path, report, None)
        if root is None:
            return None
        pairs = self._read_header(root, report, main=True)
        self._read_file(root, pairs, path, report, chain=(os.path.realpath(path),))
        return build_org(self.draft, report, tuple(self.files))

    def _report(self, path: str) -> Report:
        report = Report(path)
        self.reports.append(report)
        return report

    def _root(self, path: str, report: Report, at: Location | None) -> Node | None:
        content = read_text(path, report, at)
        if content is None:
            return None
        self.files.append(path)
        self.real_paths.setdefault(os.path.realpath(path), path)
        source = parse(content)
        if source.root is not None:
            self.trees.append(source.root)
        for problem in source.problems:
            location = Location(path, problem.line, problem.column)
            report.add(problem.code, location, problem.message, problem.hint)
        # A file of comments, or of a bare `---` or `~`, holds no data either.
        if source.root is None or source.root.value is None:
            if not source.problems:
                hint = (
                    "start it with `icmap: 1` and `organization: <name>`"
                    if at is None
                    else "give it `departments:`, `roles:` or `external_customers:`, "
                    "or stop including it"
                )
                report.add(
                    "ICM106",
                    Location(path, 1, 1),
                    "the file holds no data: it is empty or has only comments",
                    hint,
                )
            return None
        if not isinstance(source.root.value, dict):
            report.add(
                "ICM201",
                source.root,
                f"an org file must be a mapping of keys, not {type_name(source.root.value)}",
                "start it with `icmap: 1` and `organization: <name>`",
            )
            return None
        return source.root

    def _read_header(self, root: Node, report: Report, main: bool) -> Pairs:
        pairs = check_keys(root, "org", report, "the org file") if main else root.value
        if main:
            self.draft.location = report.at(root)
        if "icmap" in pairs:
            version_node = pairs["icmap"][1]
            if version_node.value != FORMAT_VERSION or isinstance(version_node.value, bool):
                report.add(
                    "ICM203",
                    version_node,
                    f"format version {version_node.value!r} is not supported; this icmap reads "
                    f"version {FORMAT_VERSION}",
                    f"write `icmap: {FORMAT_VERSION}`",
                )
        if "organization" in pairs:
            name = text(pairs["organization"][1], report, "organization")
            if main and name is not None:
                self.draft.name = name
        if main and "settings" in pairs:
            self.draft.settings = sections.read_settings(pairs["settings"][1], report)
        return pairs

    def _read_file(
        self,
        root: Node,
        pairs: Pairs,
        path: str,
        report: Report,
        chain: tuple[str, ...],
    ) -> None:
        draft = self.draft
        if "external_customers" in pairs:
            for item in sections.items_of(
                pairs["external_customers"][1], report, "external_customers"
            ):
                sections.read_external_customer(item, draft, report)
        if "departments" in pairs:
            for item in sections.items_of(pairs["departments"][1], report, "departments"):
                sections.read_unit(item, "department", draft, report)
        if "roles" in pairs:
            for item in sections.items_of(pairs["roles"][1], report, "roles"):
                sections.read_unit(item, "role", draft, report)
        if "measurements" in pairs:
            from icmap.loader.measurements import read_measurements

            read_measurements(pairs["measurements"][1], draft, report)
        if "include" in pairs:
            self._includes(pairs["include"][1], path, report, chain)

    def _includes(self, node: Node, path: str, report: Report, chain: tuple[str, ...]) -> None:
        entries = (
            [node] if isinstance(node.value, str) else sections.items_of(node, report, "include")
        )
        base = os.path.dirname(path)
        for entry in entries:
            pattern = text(entry, report, "an include")
            if pattern is None:
                continue
            joined = _include_path(base, pattern)
            matches = sorted(glob.glob(joined)) if glob.has_magic(joined) else [joined]
            matches = [m for m in matches if not os.path.isdir(m)]
            if glob.has_magic(joined) and not matches:
                report.add(
                    "ICM400",
                    entry,
                    f"include {pattern!r} matches no file (looked for {joined})",
                    "check the pattern; it is relative to the file that includes it",
                )
                continue
            for match in matches:
                self._include(match, entry, report, chain)

    def _include(self, path: str, entry: Node, report: Report, chain: tuple[str, ...]) -> None:
        real = os.path.realpath(path)
        if real in self.leave_out:
            return
        if real in chain:
            # Paths as the user named them (not relative to wherever icmap runs).
            loop = " -> ".join([*(self.real_paths.get(p, p) for p in chain), path])
            report.add(
                "ICM401",
                entry,
                f"include loop: {loop}",
                "remove the include that points back to a file that includes this one",
            )
            return
        if real in self.real_paths:
            return  # included twice by different routes: read once
        if not os.path.exists(path):
            report.add(
                "ICM400",
                entry,
                f"included file {path} does not exist",
                "check the path; it is relative to the file that includes it",
            )
            return
        child_report = self._report(path)
        root = self._root(path, child_report, report.at(entry))
        if root is None:
            return
        pairs = check_keys(root, "org", child_report, "an included file", required=False)
        for key in MAIN_FILE_ONLY_KEYS:
            if key in pairs:
                child_report.add(
                    "ICM213",
                    key_node(pairs, key),
                    f"`{key}:` belongs in the main file, not in an included one",
                    "move it to the file that includes this one",
                )
        self._read_header(root, child_report, main=False)
        self._read_file(root, pairs, path, child_report, (*chain, real))

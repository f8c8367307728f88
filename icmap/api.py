"""The Python API: load and check org files, analyze an org. The CLI is a thin layer on this."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from icmap.graph import OrgGraph, build_graph
from icmap.loader import load_org
from icmap.model import Finding, Level, Org, count_level
from icmap.validate import validate

if TYPE_CHECKING:  # `icmap check` never analyzes: keep the engine out of its start-up
    from icmap.analysis.result import Analysis


class OrgFileError(Exception):
    """An org file has errors; `findings` lists every one (and any warnings)."""

    def __init__(self, path: str, findings: tuple[Finding, ...]) -> None:
        errors = [f for f in findings if f.level is Level.ERROR]
        first = errors[0] if errors else None
        where = f"{first.location}: " if first is not None and first.location else ""
        detail = f"{where}{first.message}" if first is not None else "unusable"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{path}: {detail}{more}")
        self.path = path
        self.findings = findings


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of checking one org file: its findings and the files it read."""

    path: str
    findings: tuple[Finding, ...]
    files: tuple[str, ...]
    org: Org | None = None
    graph: OrgGraph | None = None

    @property
    def errors(self) -> int:
        """How many findings are errors."""
        return count_level(self.findings, Level.ERROR)

    @property
    def warnings(self) -> int:
        """How many findings are warnings."""
        return count_level(self.findings, Level.WARNING)

    @property
    def unreadable(self) -> bool:
        """True when the main file itself could not or may not be read (exit code 2)."""
        return self.org is None and any(
            f.code in _UNREADABLE and f.location is not None and f.location.file == self.path
            for f in self.findings
        )


#: Codes saying a file was not read: missing, not a regular file, too large, outside the root.
_UNREADABLE = frozenset({"ICM001", "ICM003", "ICM004", "ICM402"})


def check(
    path: str,
    include_root: str | None = None,
    on_tree: Callable[[object], object] | None = None,
    leave_out: Iterable[str] = (),
) -> CheckResult:
    """Load and validate an org file and its includes, collecting every finding.

    Includes are read only from inside `include_root` (default: the file's folder, or the
    git work tree holding it); see docs/format.md. `on_tree` is called with each file's
    YAML tree once it is read; included files named in `leave_out` are not read (see
    `icmap.loader.load_org`).
    """
    loaded = load_org(path, include_root, on_tree, leave_out)
    if loaded.org is None:
        return CheckResult(path, loaded.findings, loaded.files)
    graph = build_graph(loaded.org)
    findings = tuple(sorted((*loaded.findings, *validate(graph)), key=Finding.sort_key))
    return CheckResult(path, findings, loaded.files, loaded.org, graph)


def load(path: str, include_root: str | None = None) -> Org:
    """Load an org file; raise `OrgFileError` (with every finding) if it has any error."""
    result = check(path, include_root)
    if result.org is None or result.errors:
        raise OrgFileError(path, result.findings)
    return result.org


def analyze(
    org: Org,
    *,
    near: float = 0.0,
    paths: int = 0,
    graph: OrgGraph | None = None,
    customer: str | None = None,
) -> Analysis:
    """Analyze an org: CPM per external customer, bottlenecks, service figures, orphans.

    `near`: hours of float within which a unit is near-critical; `paths`: how many longest
    paths to list per external customer; `customer`: list only what feeds this external
    customer (KeyError for an id that is not one). The org must have no dependency loop
    (`check` first); durations in the result are hours. See docs/analysis.md.
    """
    from icmap.analysis import engine

    return engine.analyze(org, near=near, paths=paths, graph=graph, customer=customer)

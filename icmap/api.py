"""The Python API: load and check org files, analyze an org. The CLI is a thin layer on this."""

from __future__ import annotations

import os
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


def enforce_policy(result: CheckResult, policy_path: str | None = None) -> CheckResult:
    """`result` with the violations of the org's policy added as error findings.

    The policy is the org's `policy:` section, or the one of `policy_path` (a file holding
    just `policy:`, read with the org's settings), which replaces it; that file's own
    problems are findings too. Nothing is analyzed for an org with errors or no policy, so
    a check without a policy costs what it always did. See docs/format.md, "policy".
    """
    org = result.org
    if org is None:
        return result
    policy, files = org.policy, result.files
    extra: list[Finding] = []
    if policy_path is not None:
        from icmap.loader.policy import load_policy_file

        policy, found = load_policy_file(policy_path, org.settings)
        extra.extend(found)
        files = (*files, policy_path)
    if policy is not None and policy.rules and not result.errors and not extra:
        from icmap.analysis.policy import evaluate

        extra.extend(evaluate(org, policy, graph=result.graph))
    if not extra and files == result.files:
        return result
    findings = tuple(sorted((*result.findings, *extra), key=Finding.sort_key))
    return CheckResult(result.path, findings, files, org, result.graph)


def find_including_roots(path: str, include_root: str | None = None) -> tuple[str, ...]:
    """The org files that include the file at `path`, directly or through other includes.

    For a fragment named on its own (it has no `icmap:` header). The candidates are the org
    files in its folder and the folders above it, up to the git work tree's root (see
    `icmap.loader.roots` and docs/ci.md); each is loaded as `check(candidate, include_root)`
    loads it, so only includes the loader itself follows count: one that resolves outside
    the candidate's include root does not. Nearest first; empty for a file that has a
    header, that nothing includes, or that is not a file.
    """
    from icmap.loader.roots import candidate_roots, has_header

    if not os.path.isfile(path) or has_header(path):
        return ()
    own = os.path.realpath(path)
    found: list[str] = []
    for candidate in candidate_roots(path):
        files = load_org(candidate, include_root).files  # its trees go at once
        if any(os.path.realpath(f) == own for f in files):
            found.append(candidate)
    return tuple(found)


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

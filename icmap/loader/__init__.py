"""Org files to an Org: reads a file and its includes, collecting every problem with its place.

`load_org(path)` never raises for anything a user can put in a file; it returns the Org it
could build (None when the main file is unusable) and every finding, sorted.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from icmap.format import FORMAT_VERSION, MAIN_FILE_ONLY_KEYS
from icmap.loader import files, sections
from icmap.loader.references import build_org
from icmap.loader.values import Report, check_keys, label, text, type_name
from icmap.model import Finding, Location, Org
from icmap.yamlsource import Node, Pairs, key_node, parse

__all__ = ["LoadResult", "load_org", "read_text"]


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What loading gave: the Org (None if the main file is unusable), findings, files read."""

    org: Org | None
    findings: tuple[Finding, ...]
    files: tuple[str, ...]


def read_text(
    path: str, report: Report, at: Location | None = None, written: str | None = None
) -> str | None:
    """The text of a file, or None after reporting why it cannot or may not be read.

    `at` is the `include:` entry that named the file (None for the main file) and
    `written` the name as written there; a refusal is reported at the entry and names
    only the path, never anything read from the file (see files.read_bytes).
    """
    try:
        data = files.read_bytes(path)
    except files.Unreadable as exc:
        code, message, hint = _refusal(path, exc, at is not None, written)
        report.add(code, at or Location(path, 1, 1), message, hint)
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


def _refusal(
    path: str, exc: files.Unreadable, included: bool, written: str | None
) -> tuple[str, str, str]:
    """The code, message and hint for a file that cannot be read."""
    reason, detail = exc.reason, exc.detail
    if len(path) > 200:  # a name too long for the system: its start says enough
        path = path[:196] + "..."
    name = f"included file {path}" if included else path
    if reason == "missing":
        if included:
            return "ICM400", f"{name} does not exist", _RELATIVE
        return "ICM001", f"{path}: no such file", ""
    if reason == "loop":
        return "ICM001", f"{name} is a symbolic link loop", "point the link at a real file"
    if reason == "directory":
        if included:
            message = f"include {written!r} is a directory, not a file"
            return "ICM003", message, "name its files, or a glob such as 'parts/*.yaml'"
        return "ICM003", f"{path} is a directory, not a file", ""
    if reason == "special":
        message = f"{name} is {detail}, not a regular file; it is not read"
        return "ICM003", message, "org files are plain files of YAML text"
    if reason == "too-large":
        message = (
            f"{name} is larger than {files.MAX_FILE_BYTES // (1024 * 1024)} MiB ({detail}); "
            "it is not read"
        )
        return "ICM004", message, "split the org over several files with `include:`"
    return "ICM001", f"{path}: cannot read: {detail}", ""


_RELATIVE = "check the path; it is relative to the file that includes it"


def _as_written(name: str) -> str:
    """An include name as written, quoted with its control characters escaped; only a
    name of over 200 characters is cut (the rest of a path matters to the reader)."""
    return repr(name) if len(name) <= 200 else repr(name[:196]) + "..."


def load_org(
    path: str,
    include_root: str | None = None,
    on_tree: Callable[[Node], object] | None = None,
    leave_out: Iterable[str] = (),
) -> LoadResult:
    """Read the org file at `path` (as the user named it) and everything it includes.

    Includes are read only from inside `include_root` (by default the main file's folder,
    or the git work tree holding it; see docs/format.md), and the main file itself must
    resolve inside it too. `on_tree` is called with each file's YAML tree once it is read
    (a caller that wants the trees, or wants them to outlive the load, keeps them); without
    `on_tree`, each unit's nodes are let go as soon as the unit is read, which keeps the
    peak memory of a large org near the size of its tree.
    An included file named in `leave_out` is not read, and not missed when it does not
    exist: `icmap import -o FRAGMENT` replaces it, so the org is read as it would be without.
    """
    if include_root is None:
        root = files.default_include_root(path)
    else:
        root = os.path.realpath(include_root)
    loader = _Loader(root, on_tree, frozenset(os.path.realpath(p) for p in leave_out))
    org = loader.load(path)
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


class _Chain(NamedTuple):
    """A file being read and the one that included it: the chain back to the main file."""

    real: str
    parent: _Chain | None

    def reals(self) -> list[str]:
        """The real paths from the main file down to this one."""
        chain: list[str] = []
        link: _Chain | None = self
        while link is not None:
            chain.append(link.real)
            link = link.parent
        return chain[::-1]


class _Including(NamedTuple):
    """An include waiting to be read: the file, the entry naming it, who included it."""

    path: str
    entry: Node
    written: str  # the name as written in the entry
    report: Report  # the including file's
    parent: _Chain


#: Put in place of a unit's node in the tree once the unit is read (see _read_file).
_READ = Node(None, 0, 0)


class _Loader:
    def __init__(
        self,
        root: str,
        on_tree: Callable[[Node], object] | None = None,
        leave_out: frozenset[str] = frozenset(),
    ) -> None:
        self.root = root  # the include root, a real path
        self.leave_out = leave_out  # real paths of included files not to read
        self.reports: list[Report] = []
        self.files: list[str] = []
        self.real_paths: dict[str, str] = {}  # real path -> the path as first named
        self.draft = sections.Draft()
        # Includes still to read, the next one last. A work list, not recursion: a chain of
        # thousands of included files must not exhaust Python's stack.
        self.pending: list[_Including] = []
        self.on_tree = on_tree

    def load(self, path: str) -> Org | None:
        report = self._report(path)
        real = os.path.realpath(path)
        if not files.inside(real, self.root):
            report.add(
                "ICM402",
                Location(path, 1, 1),
                f"{path} resolves to a file outside the include root {self.root} (or in a "
                ".git folder); it is not read",
                "name a file inside the include root, or choose the root with --include-root",
            )
            return None
        found = self._root(path, report, None, None)
        if found is None:
            return None
        root, release = found
        pairs = self._read_header(root, report, main=True)
        self._read_file(pairs, path, report, _Chain(real, None), release)
        while self.pending:
            self._include(self.pending.pop())
        return build_org(self.draft, report, tuple(self.files))

    def _report(self, path: str) -> Report:
        report = Report(path)
        self.reports.append(report)
        return report

    def _root(
        self, path: str, report: Report, at: Location | None, written: str | None
    ) -> tuple[Node, bool] | None:
        """The file's root mapping, and whether its units' nodes may be let go once read:
        when nobody keeps the tree and no anchor lets a node stand in two places."""
        content = read_text(path, report, at, written)
        if content is None:
            return None
        self.files.append(path)
        self.real_paths.setdefault(os.path.realpath(path), path)
        source = parse(content)
        if source.root is not None and self.on_tree is not None:
            self.on_tree(source.root)
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
        return source.root, self.on_tree is None and not source.anchored

    def _read_header(self, root: Node, report: Report, main: bool) -> Pairs:
        pairs = check_keys(root, "org", report, "the org file") if main else root.value
        if main:
            self.draft.location = report.at(root)
        if "icmap" in pairs:
            version_node = pairs["icmap"]
            if version_node.value != FORMAT_VERSION or isinstance(version_node.value, bool):
                report.add(
                    "ICM203",
                    version_node,
                    f"format version {version_node.value!r} is not supported; this icmap reads "
                    f"version {FORMAT_VERSION}",
                    f"write `icmap: {FORMAT_VERSION}`",
                )
        if "organization" in pairs:
            name = label(pairs["organization"], report, "organization")
            if main and name is not None:
                self.draft.name = name
        if main and "settings" in pairs:
            self.draft.settings = sections.read_settings(pairs["settings"], report)
        if main and "policy" in pairs:
            from icmap.loader.policy import read_policy

            self.draft.policy = read_policy(pairs["policy"], report, self.draft.settings)
        return pairs

    def _read_file(
        self, pairs: Pairs, path: str, report: Report, chain: _Chain, release: bool
    ) -> None:
        draft = self.draft
        if "external_customers" in pairs:
            for item in sections.items_of(
                pairs["external_customers"], report, "external_customers"
            ):
                sections.read_external_customer(item, draft, report)
        for key, kind in (("departments", "department"), ("roles", "role")):
            if key in pairs:
                items = sections.items_of(pairs[key], report, key)
                for index, item in enumerate(items):
                    sections.read_unit(item, kind, draft, report)
                    if release:
                        # Let the unit's nodes go now (those a draft needs are held by
                        # it), so the model grows into their memory instead of beside
                        # the whole tree.
                        items[index] = _READ

        if "measurements" in pairs:
            from icmap.loader.measurements import read_measurements

            read_measurements(pairs["measurements"], draft, report)
        if "include" in pairs:
            found = self._includes(pairs["include"], path, report, chain)
            # Read in the order written, each with all it includes before the next, as
            # recursion would: the next to read goes last on the work list.
            self.pending.extend(reversed(found))

    def _includes(self, node: Node, path: str, report: Report, chain: _Chain) -> list[_Including]:
        """The files an `include:` names that may be read, after reporting the others."""
        entries = (
            [node] if isinstance(node.value, str) else sections.items_of(node, report, "include")
        )
        base = os.path.dirname(path)
        found: list[_Including] = []
        for entry in entries:
            pattern = text(entry, report, "an include")
            if pattern is None:
                continue
            problem = files.bad_name(pattern)
            if problem is not None:
                report.add(
                    "ICM403",
                    entry,
                    f"the include name {_as_written(pattern)} {problem}",
                    "write the path of a file, relative to the file that includes it",
                )
                continue
            if os.path.isabs(pattern):
                report.add(
                    "ICM402",
                    entry,
                    f"include {_as_written(pattern)} is an absolute path; includes are read "
                    "only from inside the include root",
                    f"write a path relative to this file, inside {self.root}",
                )
                continue
            if glob.has_magic(pattern):
                matches = self._glob(base, pattern, entry, report)
            else:
                matches = [_include_path(base, pattern)]
            for match in matches:
                found.append(_Including(match, entry, pattern, report, chain))
        return found

    def _glob(self, base: str, pattern: str, entry: Node, report: Report) -> list[str]:
        """The files inside the include root that an include glob matches."""
        parts = pattern.replace("\\", "/").split("/")
        fixed = next(i for i, part in enumerate(parts) if glob.has_magic(part))
        start = os.path.join(base or ".", *parts[:fixed])
        matches: list[str] = []
        outside = 0
        if not files.inside(os.path.realpath(start), self.root):
            outside = 1  # the folder it looks in is outside the root: not even listed
        else:
            # The base is the folder of a file: its name may hold `[` or `*`, taken literally.
            for match in sorted(glob.glob(_include_path(glob.escape(base), pattern))):
                if not files.inside(os.path.realpath(match), self.root):
                    outside += 1
                elif not os.path.isdir(match):  # `parts/*` may match folders: not files
                    matches.append(match)
        if outside:
            report.add(
                "ICM402",
                entry,
                f"include {_as_written(pattern)} reaches outside the include root; "
                "nothing it matches there is read",
                f"keep includes inside {self.root} (no '..' or symbolic links out of it)",
            )
        elif not matches:
            joined = _include_path(base, pattern)
            report.add(
                "ICM400",
                entry,
                f"include {_as_written(pattern)} matches no file (looked for {joined[:200]})",
                "check the pattern; it is relative to the file that includes it",
            )
        return matches

    def _include(self, including: _Including) -> None:
        path, entry, written, report, chain = including
        real = os.path.realpath(path)
        if real in self.leave_out:
            return  # being replaced (`icmap import -o`): read as if it were not there
        if not files.inside(real, self.root):
            report.add(
                "ICM402",
                entry,
                f"include {_as_written(written)} {self._escape(report.file, written, real)}; "
                "it is not read",
                f"keep includes inside {self.root}, or choose the root with --include-root",
            )
            return
        if real in self.real_paths:
            reals = chain.reals()
            if real in reals:
                # Paths as the user named them (not relative to wherever icmap runs).
                loop = " -> ".join([*(self.real_paths.get(p, p) for p in reals), path])
                report.add(
                    "ICM401",
                    entry,
                    f"include loop: {loop}",
                    "remove the include that points back to a file that includes this one",
                )
            return  # or included twice by different routes: read once
        child_report = self._report(path)
        found = self._root(path, child_report, report.at(entry), written)
        if found is None:
            return
        root, release = found
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
        self._read_file(pairs, path, child_report, _Chain(real, chain), release)

    def _escape(self, including: str, written: str, real: str) -> str:
        """How an include that resolves outside the root gets there: `..`, a link, or
        into a `.git` folder."""
        folder = os.path.realpath(os.path.dirname(including) or ".")
        lexical = os.path.normpath(os.path.join(folder, written))
        top = self.root.rstrip(os.sep) + os.sep
        if any(p.startswith(top) and files.in_git_folder(p[len(top) :]) for p in (lexical, real)):
            return "is in a .git folder, which icmap never reads (it may hold credentials)"
        if not files.inside(lexical, self.root):
            return "leads out of the include root with '..'"
        return "is a symbolic link (or passes through one) to outside the include root"

"""Org files as they were at a git revision: `REV:PATH`, includes read at the same revision.

The org files of the revision (every `*.yaml`/`*.yml` blob of its tree) are written to a
private temporary folder laid out like the repository, and loaded from there with the
repository's root as the include root; findings and file names are then told as `REV:PATH`,
the way `git show` names them. PATH is relative to the repository's top, as in git, unless
it starts with `./` or `../` (then relative to the current folder).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from icmap.model import Finding, Location

ORG_SUFFIXES = (".yaml", ".yml")


class RevisionError(Exception):
    """The revision or path cannot be read from git (the command cannot run)."""


@dataclass(frozen=True, slots=True)
class RevisionPath:
    """`REV:PATH` split: the revision as written and the path inside the repository."""

    revision: str
    path: str  # relative to the repository's top, with / separators

    def __str__(self) -> str:
        return f"{self.revision}:{self.path}"


def split_revision(argument: str, cwd: str = ".") -> RevisionPath | None:
    """`REV:PATH` when `argument` names no existing file and has a revision before a colon."""
    if os.path.exists(argument) or ":" not in argument:
        return None
    revision, path = argument.split(":", 1)
    if not revision or (len(revision) == 1 and revision.isalpha()):  # C:\org.yaml on Windows
        return None
    top = _git(["rev-parse", "--show-toplevel"], cwd).strip()
    if path.startswith(("./", "../")):
        path = os.path.relpath(os.path.join(os.path.abspath(cwd), path), top)
    return RevisionPath(revision, path.replace(os.sep, "/").lstrip("/"))


@contextmanager
def checked_out(where: RevisionPath, cwd: str = ".") -> Iterator[tuple[str, str]]:
    """The org files of the revision in a temporary folder: yields (root folder, path of
    the org file in it). The folder is removed on exit."""
    commit = _git(["rev-parse", "--verify", "--quiet", f"{where.revision}^{{commit}}"], cwd).strip()
    listing = _git(["ls-tree", "-r", "-z", "--full-tree", commit], cwd)
    blobs = []
    for entry in listing.split("\0"):
        if not entry:
            continue
        meta, name = entry.split("\t", 1)
        mode, kind, sha = meta.split()
        if kind == "blob" and mode != "120000" and name.endswith(ORG_SUFFIXES):
            blobs.append((name, sha))
    if where.path not in {name for name, _ in blobs}:
        raise RevisionError(f"{where}: no such org file at that revision")
    with tempfile.TemporaryDirectory(prefix="icmap-rev-") as folder:
        for name, sha in blobs:
            target = os.path.join(folder, *name.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as handle:
                handle.write(_git_bytes(["cat-file", "blob", sha], cwd))
        yield folder, os.path.join(folder, *where.path.split("/"))


def told_as_revision(
    findings: tuple[Finding, ...], folder: str, revision: str
) -> tuple[Finding, ...]:
    """Findings with every path inside `folder` told as `REV:PATH`."""
    prefix = folder.rstrip(os.sep) + os.sep

    def name(path: str) -> str:
        if path.startswith(prefix):
            return f"{revision}:{path[len(prefix) :].replace(os.sep, '/')}"
        return path

    def told(finding: Finding) -> Finding:
        location = finding.location
        if location is not None:
            location = Location(name(location.file), location.line, location.column)
        message = finding.message.replace(prefix, f"{revision}:")
        return Finding(finding.code, finding.level, message, location, finding.hint)

    return tuple(told(f) for f in findings)


def _git(arguments: list[str], cwd: str) -> str:
    return _git_bytes(arguments, cwd).decode("utf-8", "surrogateescape")


def _git_bytes(arguments: list[str], cwd: str) -> bytes:
    try:
        done = subprocess.run(
            ["git", *arguments], cwd=cwd, capture_output=True, check=False, timeout=120
        )
    except FileNotFoundError:
        raise RevisionError("git is not installed, so REV:PATH cannot be read") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = detail[-1] if detail else f"git {arguments[0]} failed"
        if arguments[0] == "rev-parse" and "--verify" in arguments:
            reason = f"{arguments[-1].removesuffix('^{commit}')!r} is not a revision git knows"
        raise RevisionError(reason)
    return done.stdout

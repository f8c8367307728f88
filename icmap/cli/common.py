"""What every command shares: exit codes, finding the files to read, writing output safely."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any


class ExitCode(IntEnum):
    """The exit codes of ORG-FORMAT.md, for every command."""

    OK = 0
    PROBLEMS = 1
    CANNOT_RUN = 2


@dataclass
class _State:
    debug: bool = False


state = _State()

ORG_FILE_SUFFIXES = (".yaml", ".yml")


class CannotRun(Exception):
    """The command cannot run (exit code 2); the message says why and how to fix it."""


def output_option(what: str) -> Any:
    """The `-o/--output FILE` option every command has, writing `what` atomically."""
    import typer

    return typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help=f"Write the {what} to FILE (atomically) instead of standard output.",
    )


def one_of(choices: tuple[str, ...]) -> Callable[[str | None], str | None]:
    """A Typer callback refusing a value outside `choices` (a usage error: exit 2)."""
    import typer

    def check(value: str | None) -> str | None:
        if value is not None and value not in choices:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}")
        return value

    return check


def fail(message: str, code: ExitCode = ExitCode.CANNOT_RUN) -> None:
    """Print `icmap: message` on stderr and exit."""
    sys.stderr.write(f"icmap: {message}\n")
    raise SystemExit(int(code))


def refuse_fragment(path: str, command: str) -> None:
    """Exit 2 when `path` is a fragment that org files include, naming them.

    An included file has no `icmap:`, `organization:` or customer of its own: analyzing it
    alone would only report those as missing. Nothing happens for any other file.
    """
    from icmap.api import find_including_roots

    roots = find_including_roots(path)
    if not roots:
        return
    names = " and ".join(roots) if len(roots) <= 2 else f"{', '.join(roots[:2])} and others"
    which = "that one" if len(roots) == 1 else "one of them"
    verb = "includes" if len(roots) == 1 else "include"
    fail(
        f"{path} is part of an org, not an org file of its own: {names} {verb} it; "
        f"{command} {which} instead: icmap {command} {roots[0]}"
    )


def expand_paths(paths: Iterable[str]) -> list[str]:
    """The org files named: files as given, directories as every *.yaml/*.yml below them."""
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(
                    os.path.join(root, name)
                    for name in sorted(files)
                    if name.endswith(ORG_FILE_SUFFIXES)
                )
        else:
            found.append(path)
    return found


def write_output(target: str | None, data: str | bytes, inputs: Iterable[str] = ()) -> None:
    """Write to stdout (None or "-") or atomically to a file, never over an input file."""
    if target is None or target == "-":
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
            sys.stdout.flush()
        return
    destination = Path(target)
    real = os.path.realpath(destination)
    if any(os.path.realpath(p) == real for p in inputs):
        raise CannotRun(f"{target} is one of the input files; refusing to write over it")
    if destination.is_dir():
        raise CannotRun(f"{target} is a directory; name a file to write")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    directory = destination.parent if str(destination.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise CannotRun(f"cannot write {target}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if destination.exists():
            os.chmod(temp, os.stat(destination).st_mode & 0o7777)
        else:
            os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, destination)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise CannotRun(f"cannot write {target}: {exc.strerror}") from exc


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

"""What every command shares: exit codes, finding the files to read, writing output safely."""

from __future__ import annotations

import errno
import io
import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from icmap.textsafety import shown


class ExitCode(IntEnum):
    """The exit codes of every command (docs/cli.md)."""

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


class Stopped(BaseException):
    """A stop signal arrived (SIGINT, SIGTERM, SIGHUP): raised where icmap was, so that
    cleanup runs (no temporary file is left); not an Exception, so nothing swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def stop_on_signals() -> None:
    """Turn the stop signals into `Stopped`; signals ignored by whoever started icmap (as
    `nohup` ignores SIGHUP) stay ignored. Called once, by the console script."""

    def stop(signum: int, frame: object) -> None:
        raise Stopped(signum)

    for signum in sorted(_STOP_SIGNALS):
        if signal.getsignal(signum) in (signal.SIG_DFL, signal.default_int_handler):
            signal.signal(signum, stop)


def format_option(formats: tuple[str, ...], help: str | None = None) -> Any:
    """The `-f/--format FORMAT` option: one of `formats` (`help` says so by default)."""
    import typer

    return typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        callback=one_of(formats),
        help=help if help is not None else f"Report format: {', '.join(formats)}.",
    )


def output_option(what: str) -> Any:
    """The `-o/--output FILE` option every command has, writing `what` atomically."""
    import typer

    return typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        callback=output_name,
        help=f"Write the {what} to FILE (atomically) instead of standard output.",
    )


def output_name(value: str | None) -> str | None:
    """A Typer callback refusing an empty `-o ''` (a usage error: exit 2)."""
    import typer

    if value == "":
        raise typer.BadParameter(EMPTY_OUTPUT)
    return value


def finite(value: float | None) -> float | None:
    """A Typer callback refusing `nan` (which passes any range check) and infinities."""
    import math

    import typer

    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a number; write one such as 96 or 150")
    return value


def include_root_option() -> Any:
    """The `--include-root DIR` option of every command that reads an org."""
    import typer

    return typer.Option(
        "--include-root",
        metavar="DIR",
        callback=_existing_folder,
        help=(
            "Read includes only from inside DIR (default: the folder of the org file, or the "
            "git work tree holding it). Nothing outside it is ever opened."
        ),
    )


def _existing_folder(value: str | None) -> str | None:
    import typer

    if value is not None and not os.path.isdir(value):
        raise typer.BadParameter(f"{value!r} is not a folder")
    return value


def one_of(choices: tuple[str, ...]) -> Callable[[str | None], str | None]:
    """A Typer callback refusing a value outside `choices` (a usage error: exit 2)."""
    import typer

    def check(value: str | None) -> str | None:
        if value is not None and value not in choices:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}")
        return value

    return check


def fail(message: str, code: ExitCode = ExitCode.CANNOT_RUN) -> None:
    """Print `icmap: message` on stderr, control characters made visible, and exit."""
    sys.stderr.write(f"icmap: {shown(message)}\n")
    raise SystemExit(int(code))


def refuse_fragment(path: str, command: str, include_root: str | None = None) -> None:
    """Exit 2 when `path` is a fragment that org files include, naming them.

    An included file has no `icmap:`, `organization:` or customer of its own: analyzing it
    alone would only report those as missing. Nothing happens for any other file.
    """
    from icmap.api import find_including_roots

    roots = find_including_roots(path, include_root)
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
    """The org files named: files as given, directories as every *.yaml/*.yml below them.

    A `*.yaml` found in a directory that is not a regular file (a FIFO, a device, a socket)
    is skipped with a message on stderr: opening a FIFO would wait forever for a writer.
    """
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.endswith(ORG_FILE_SUFFIXES) and _regular(os.path.join(root, name)):
                        found.append(os.path.join(root, name))
        else:
            found.append(path)
    return found


def _regular(path: str) -> bool:
    """False, after saying so on stderr, for a file that exists but is not a regular file."""
    from icmap.loader.files import kind_of

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return True  # a broken link: checking it says what is wrong
    if stat.S_ISREG(mode):
        return True
    sys.stderr.write(f"icmap: skipping {shown(path)}: it is {kind_of(mode)}, not a regular file\n")
    return False


def write_output(
    target: str | None, data: str | bytes | Iterable[str], inputs: Iterable[str] = ()
) -> None:
    """Write to stdout (None or "-"), or to the file `target`, never over an input file.

    `data` is text, bytes, or text in pieces (written as they come: a large report
    is never held whole, nor encoded whole).

    A regular file (or a missing one) is replaced atomically: written to a temporary file
    beside it, then renamed over it, keeping its permission bits but never its setuid,
    setgid or sticky bit. A character device or a FIFO is written in place, never replaced,
    also through a symbolic link (`/dev/stdout`, bash's `>(…)`). A symbolic link to
    anything else is refused and left as it is: a link committed in a checkout could
    otherwise send the output over any file the user may write. So is anything else (a
    directory, a block device, a socket). The temporary file is removed whatever happens,
    an interruption included. Raises CannotRun when it cannot write.
    """
    if target is None or target == "-":
        with writing_to_stdout():
            if isinstance(data, bytes):
                sys.stdout.buffer.write(data)
                sys.stdout.buffer.flush()
            else:
                for piece in (data,) if isinstance(data, str) else data:
                    sys.stdout.write(piece)
                sys.stdout.flush()
        return
    if not target:
        raise CannotRun(EMPTY_OUTPUT)
    real = os.path.realpath(target)
    if any(os.path.realpath(p) == real for p in inputs):
        raise CannotRun(f"{target} is one of the input files; refusing to write over it")
    payload = _encoded(data)
    try:
        mode: int | None = os.stat(target).st_mode  # through any symbolic link
    except FileNotFoundError:
        mode = None  # nothing there yet (or a link to nothing)
    except OSError as exc:
        raise CannotRun(f"cannot write {target}: {exc.strerror}") from exc
    if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        _write_in_place(target, payload)
    elif os.path.islink(target):
        raise CannotRun(
            f"{target} is a symbolic link (to {os.readlink(target)}); icmap writes no file "
            "through a link, which could lead anywhere: name the file itself"
        )
    elif mode is None or stat.S_ISREG(mode):
        # Renamed over `target` itself: were it swapped for a link meanwhile, the rename
        # would replace the link, never write where it leads.
        _replace(target, payload, mode)
    elif stat.S_ISDIR(mode):
        raise CannotRun(f"{target} is a directory; name a file to write")
    else:
        from icmap.loader.files import kind_of

        raise CannotRun(
            f"{target} is {kind_of(mode)}; icmap writes only regular files, "
            "character devices (such as /dev/null) and FIFOs: name another file"
        )


#: What `-o ''` gets (an empty name is no file, and no directory either).
EMPTY_OUTPUT = "the output file name is empty; name a file, or write -o - for standard output"

# The signals that stop icmap; while a temporary file is being made they wait, so that it
# is always known (and removed) by the time one arrives.
_STOP_SIGNALS = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)  # Windows has no SIGHUP


def _encoded(data: str | bytes | Iterable[str]) -> Iterator[bytes]:
    """The bytes to write, piece by piece (text as UTF-8)."""
    if isinstance(data, bytes):
        yield data
    elif isinstance(data, str):
        yield data.encode("utf-8")
    else:
        for piece in data:
            yield piece.encode("utf-8")


def _replace(target: str, payload: Iterable[bytes], mode: int | None) -> None:
    """Write `payload` to a temporary file beside `target` and rename it over `target`."""
    directory = os.path.dirname(target) or "."
    # The name is shortened so that the temporary name stays within the 255-byte limit.
    prefix = f".{os.path.basename(target)[:100]}."
    temp: str | None = None
    try:
        with _signals_held():
            fd, temp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=directory)
        try:
            # Only the permission bits: a setuid, setgid or sticky bit is not copied onto a
            # file icmap writes (it would be owned by whoever runs icmap, root included).
            os.chmod(temp, (mode & 0o777) if mode is not None else 0o666 & ~_umask())
            _write_all(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
        temp = None
    except OSError as exc:
        raise CannotRun(f"cannot write {target}: {exc.strerror}") from exc
    finally:
        if temp is not None:  # failed or interrupted: the old file stays, the temporary goes
            Path(temp).unlink(missing_ok=True)


def _write_in_place(target: str, payload: Iterable[bytes]) -> None:
    """Write to a character device or FIFO as it is: opened for writing, never created,
    truncated or replaced (a FIFO waits for its reader, as the shell's `>` does)."""
    try:
        # No O_CREAT, no O_TRUNC; O_NOCTTY so that a terminal never becomes icmap's own.
        fd = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise CannotRun(f"cannot write {target}: {exc.strerror}") from exc
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
            # Replaced by something else since it was looked at: nothing was written.
            raise CannotRun(f"{target} changed while icmap opened it; nothing was written")
        _write_all(fd, payload)
    except OSError as exc:
        raise CannotRun(f"cannot write {target}: {exc.strerror}") from exc
    finally:
        os.close(fd)


def _write_all(fd: int, payload: Iterable[bytes]) -> None:
    for piece in payload:
        view = memoryview(piece)
        while view:
            view = view[os.write(fd, view) :]


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back the stop signals for the duration (delivered at the end)."""
    if not hasattr(signal, "pthread_sigmask") or (
        threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def writing_to_stdout() -> Iterator[None]:
    """Report a failure to write standard output as CannotRun, with the reason.

    A reader that left (`icmap ... | head`) is not an error: the writing just stops.
    """
    try:
        yield
    except BrokenPipeError:
        return
    except OSError as exc:
        if exc.errno == errno.EBADF:
            reason = "it is closed; name a file to write with -o FILE"
        else:
            reason = exc.strerror or str(exc)
        raise CannotRun(f"cannot write to standard output: {reason}") from exc


class ClosedStream(io.TextIOBase):
    """Standard output when icmap was started with it closed (`>&-`): writing fails with
    EBADF, which `writing_to_stdout` reports."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    @property
    def buffer(self) -> ClosedStream:
        return self

    def isatty(self) -> bool:
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

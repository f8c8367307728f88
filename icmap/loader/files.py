"""Opening org files safely: regular files of bounded size, and includes kept inside the include root.

An org file may come from a stranger (a pull request checked in CI), so what it names is
never trusted: an include must resolve inside the include root, and any file icmap reads
must be a regular file no larger than `MAX_FILE_BYTES`. A file that breaks a rule is refused
before a byte of it is read, so nothing of it can reach a report. See docs/format.md.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import Literal

#: The largest org file icmap reads (64 MiB, about 170,000 roles); split a bigger org with
#: `include:`. Reading is capped at this, so `/dev/zero` or a growing file cannot fill memory.
MAX_FILE_BYTES = 64 * 1024 * 1024

#: Trees of files that look regular but are the kernel's (their size says 0 or 4096 whatever
#: they hold): never org files, and `/proc/self/environ` holds the environment's secrets.
_SYSTEM_TREES = ("/proc/", "/sys/", "/dev/")

Reason = Literal["missing", "loop", "directory", "special", "too-large", "error"]


class Unreadable(Exception):
    """A file icmap will not or cannot read: `reason` says which rule, `detail` how."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason: Reason = reason
        self.detail = detail


def default_include_root(main_path: str) -> str:
    """The include root of a main file: its folder, or the git work tree holding it (the
    real path, so symbolic links in it cannot confuse the confinement)."""
    folder = os.path.realpath(os.path.dirname(os.path.abspath(main_path)))
    return work_tree_root(folder) or folder


def work_tree_root(start: str) -> str | None:
    """The git work tree `start` is in: the nearest folder upward holding `.git`, or None.

    `.git` is a folder in a clone and a file in a worktree or submodule; either counts. Git
    itself is not run: this must work where git is not installed.
    """
    probe = os.path.abspath(start)
    while True:
        if os.path.lexists(os.path.join(probe, ".git")):
            return probe
        parent = os.path.dirname(probe)
        if parent == probe:
            return None
        probe = parent


def inside(real: str, root: str) -> bool:
    """True when the real path `real` is the real folder `root` or below it, and not in a
    `.git` folder there (see `in_git_folder`)."""
    if real == root:
        return True
    top = root.rstrip(os.sep) + os.sep
    return real.startswith(top) and not in_git_folder(real[len(top) :])


def in_git_folder(relative: str) -> bool:
    """True when a path relative to the include root passes through a `.git` folder.

    git's own files are never org files, and `.git/config` holds the token a CI checkout
    leaves there (actions/checkout's `persist-credentials`): a finding quoting one of its
    lines would put that token in the log.
    """
    return ".git" in relative.split(os.sep)


def bad_name(pattern: str) -> str | None:
    """Why an include name cannot name a file (empty, a NUL byte), or None when it can."""
    if not pattern.strip():
        return "is empty" if not pattern else "is only blank space"
    if "\0" in pattern:
        return "holds a NUL byte (\\0), which no file name can"
    return None


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words: `a FIFO (named pipe)`..."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_bytes(path: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them.

    Raises `Unreadable` for a missing file, a symbolic link loop, a directory, a device,
    FIFO or socket, a kernel file (/proc, /sys), a file over `limit` bytes, or any other
    OS error. Nothing is opened before the kind of file is known, and the open never blocks
    (O_NONBLOCK: a FIFO with no writer would hang a plain open forever).
    """
    try:
        info = os.stat(path)
    except FileNotFoundError as exc:
        raise Unreadable("missing") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Unreadable("loop") from exc
        if exc.errno == errno.ENOTDIR:
            raise Unreadable("missing") from exc
        raise Unreadable("error", exc.strerror or str(exc)) from exc
    except ValueError as exc:  # a NUL byte in the path
        raise Unreadable("error", "the name holds a NUL byte") from exc
    _check_kind(info)
    real = os.path.realpath(path)
    if real.startswith(_SYSTEM_TREES):
        raise Unreadable("special", f"a system file (under /{real.split('/', 2)[1]})")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise Unreadable("error", exc.strerror or str(exc)) from exc
    try:
        # Checked again on what was opened: the path may have changed since the stat.
        info = os.fstat(fd)
        _check_kind(info)
        if info.st_size > limit:
            raise Unreadable("too-large", f"{info.st_size:,} bytes")
        # One read of the size stat gives (plus one byte, to see the end), then more only
        # if the file grew meanwhile; never past the limit.
        chunks = []
        size = 0
        want = info.st_size + 1
        while size <= limit:
            chunk = os.read(fd, min(limit + 1 - size, want))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            want = 1 << 20
        if size > limit:
            raise Unreadable("too-large", "it grew while being read")
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except OSError as exc:
        raise Unreadable("error", exc.strerror or str(exc)) from exc
    finally:
        os.close(fd)


def _check_kind(info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise Unreadable("directory")
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable("special", kind_of(info.st_mode))

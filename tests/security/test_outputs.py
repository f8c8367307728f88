"""Hostile output targets (issue 13, cases 1, 2, 3, 11, 22, 23): what `-o` and standard
output do with devices, FIFOs, links, modes, signals, a closed or full standard output.

Device nodes and FIFOs are made here, in a temporary directory (the tests run as root:
`os.mknod`), never the machine's own /dev entries. Major 1 minor 3 is /dev/null's device,
major 1 minor 7 /dev/full's (every write fails with ENOSPC).
"""

from __future__ import annotations

import os
import select
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from icmap.cli import app
from icmap.cli.common import CannotRun, write_output

NULL_DEVICE = os.makedev(1, 3)
FULL_DEVICE = os.makedev(1, 7)

# No warnings, so a run's standard error is only what the output problem causes.
ORG = """\
icmap: 1
organization: Output Test
external_customers:
  - id: customer
    name: Customer
    depends_on: [maker]
roles:
  - id: maker
    name: Maker
    lead_time: 2h
"""

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="making device nodes needs root")


@pytest.fixture
def org(tmp_path: Path) -> Path:
    path = tmp_path / "org.yaml"
    path.write_text(ORG, encoding="utf-8")
    return path


def invoke(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "80"})


def json_report(org: Path) -> bytes:
    """What `analyze -f json` writes to standard output: the bytes every target should get."""
    result = invoke("analyze", org, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


def device(path: Path, number: int) -> Path:
    os.mknod(path, stat.S_IFCHR | 0o666, number)
    return path


def is_device(path: Path, number: int) -> bool:
    info = os.lstat(path)
    return stat.S_ISCHR(info.st_mode) and info.st_rdev == number


def temporaries(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def clean_stderr(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert "internal error" not in stderr
    assert "bug in icmap" not in stderr


class FifoReader:
    """The read end of a FIFO, opened at once (so a writer never waits to open it), drained
    by a thread (so a large write never waits either), until a writer has come and gone."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # needs no writer
        self.data = bytearray()
        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()

    def _drain(self) -> None:
        poller = select.poll()
        poller.register(self.fd, select.POLLIN)
        while True:
            poller.poll()  # data, or every writer gone (never before a first writer came)
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                continue
            if not chunk:
                return
            self.data += chunk

    def finish(self) -> bytes:
        """Everything written. A writer of our own comes and goes, so the thread ends even
        when nothing else ever opened the FIFO."""
        # Through our own descriptor: the same pipe even if the path were replaced.
        os.close(os.open(f"/proc/self/fd/{self.fd}", os.O_WRONLY | os.O_NONBLOCK))
        self.thread.join(timeout=120)  # a safety net for a broken writer, not a timing test
        assert not self.thread.is_alive()
        os.close(self.fd)
        return bytes(self.data)


@contextmanager
def fifo_reader(path: Path) -> Iterator[FifoReader]:
    reader = FifoReader(path)
    try:
        yield reader
    finally:
        if reader.thread.is_alive():
            reader.finish()


# --- case 1: devices, FIFOs and links are never replaced by a regular file -----------------


@needs_root
def test_a_character_device_is_written_in_place(org: Path, tmp_path: Path) -> None:
    null = device(tmp_path / "null", NULL_DEVICE)
    result = invoke("analyze", org, "-o", null)
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", "")
    assert is_device(null, NULL_DEVICE)  # still the device node, not a regular file
    assert temporaries(tmp_path) == []


@needs_root
@pytest.mark.parametrize("command", [["analyze"], ["check"], ["render", "-f", "dot"]])
def test_a_full_device_is_exit_2_and_stays_a_device(
    org: Path, tmp_path: Path, command: list[str]
) -> None:
    full = device(tmp_path / "full", FULL_DEVICE)
    args = [command[0], org, *command[1:], "-o", full]
    if command == ["check"]:
        args += ["-f", "text"]  # the text report always writes a summary line
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr == f"icmap: cannot write {full}: No space left on device\n"
    clean_stderr(result.stderr)
    assert is_device(full, FULL_DEVICE)
    assert temporaries(tmp_path) == []


def test_a_fifo_gets_the_report_and_stays_a_fifo(org: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    with fifo_reader(fifo) as reader:
        result = invoke("analyze", org, "-f", "json", "-o", fifo)
        received = reader.finish()
    assert result.exit_code == 0, result.stderr
    assert received == json_report(org)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert temporaries(tmp_path) == []


def test_a_link_to_a_fifo_writes_into_the_fifo(org: Path, tmp_path: Path) -> None:
    # As a link to /proc/self/fd/1 does when standard output is a pipe.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out.json"
    link.symlink_to(fifo)
    with fifo_reader(fifo) as reader:
        result = invoke("analyze", org, "-f", "json", "-o", link)
        received = reader.finish()
    assert result.exit_code == 0, result.stderr
    assert received == json_report(org)
    assert link.is_symlink() and os.readlink(link) == str(fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_link_to_proc_self_fd_1_writes_into_standard_output(org: Path, tmp_path: Path) -> None:
    # Standard output is a pipe here: the link leads to it, and it is written in place.
    link = tmp_path / "out.json"
    link.symlink_to("/proc/self/fd/1")
    run = run_cli("analyze", org, "-f", "json", "-o", link)
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout.encode() == json_report(org)
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"


@pytest.mark.parametrize("points_to", ["real.json", "nothing.json", "folder"])
def test_a_link_to_a_file_is_refused_and_left_as_it_is(
    org: Path, tmp_path: Path, points_to: str
) -> None:
    # A link committed in a checkout (`icmap.sarif -> ~/.bashrc`) must not lead the output
    # over another file: refused, exit 2, the link and its target as they were.
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    link = tmp_path / "link.json"
    link.symlink_to(points_to)
    result = invoke("analyze", org, "-f", "json", "-o", link)
    assert result.exit_code == 2
    assert result.stderr == (
        f"icmap: {link} is a symbolic link (to {points_to}); icmap writes no file through a "
        "link, which could lead anywhere: name the file itself\n"
    )
    assert link.is_symlink() and os.readlink(link) == points_to
    assert real.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "folder",
        "link.json",
        "org.yaml",
        "real.json",
    ]


def test_the_file_a_link_names_can_be_written_by_its_own_name(org: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    os.chmod(real, 0o640)
    (tmp_path / "link.json").symlink_to("real.json")
    result = invoke("analyze", org, "-f", "json", "-o", real)
    assert result.exit_code == 0, result.stderr
    assert real.read_bytes() == json_report(org)
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640
    assert os.readlink(tmp_path / "link.json") == "real.json"
    assert temporaries(tmp_path) == []


@needs_root
def test_a_block_device_is_refused_untouched(org: Path, tmp_path: Path) -> None:
    # A loop device number that is refused before anything opens it.
    block = tmp_path / "disk"
    os.mknod(block, stat.S_IFBLK | 0o600, os.makedev(7, 250))
    result = invoke("analyze", org, "-o", block)
    assert result.exit_code == 2
    assert result.stderr == (
        f"icmap: {block} is a block device; icmap writes only regular files, character "
        "devices (such as /dev/null) and FIFOs: name another file\n"
    )
    info = os.lstat(block)
    assert stat.S_ISBLK(info.st_mode) and info.st_rdev == os.makedev(7, 250)


def test_a_link_loop_is_exit_2_with_the_reason(org: Path, tmp_path: Path) -> None:
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop.name)
    result = invoke("analyze", org, "-o", loop)
    assert result.exit_code == 2
    assert result.stderr == f"icmap: cannot write {loop}: Too many levels of symbolic links\n"
    assert loop.is_symlink()


# --- case 2: no setuid, setgid or sticky bit is copied ---------------------------------------


@pytest.mark.parametrize(
    ("old_mode", "new_mode"),
    [
        (0o6777, 0o777),  # -rwsrwsrwx: the s bits go, rwx stays
        (0o4755, 0o755),
        (0o1640, 0o640),  # the sticky bit goes
        (0o600, 0o600),
    ],
)
def test_writing_over_a_file_keeps_only_its_rwx_bits(
    org: Path, tmp_path: Path, old_mode: int, new_mode: int
) -> None:
    out = tmp_path / "out.json"
    out.write_text("old", encoding="utf-8")
    os.chmod(out, old_mode)
    assert stat.S_IMODE(os.stat(out).st_mode) == old_mode
    result = invoke("analyze", org, "-f", "json", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(os.stat(out).st_mode) == new_mode
    assert out.read_bytes() == json_report(org)


# --- case 3: an interruption leaves no temporary file ----------------------------------------

# Run icmap's console script with os.write patched: the first write to a file (not to the
# standard streams) writes half its bytes, says how big the temporary file is, and sends
# the signal to icmap itself. Python runs the handler as soon as os.kill returns, so the
# signal arrives in the middle of the write, every time, with no sleep.
INTERRUPTING = """\
import os, sys
signum = int(sys.argv[1])
real_write = os.write
fired = []

def write(fd, data):
    if fd <= 2 or fired:
        return real_write(fd, data)
    fired.append(fd)
    written = real_write(fd, bytes(data[: len(data) // 2]))
    sys.stderr.write(f"partial temporary: {os.fstat(fd).st_size} bytes\\n")
    os.kill(os.getpid(), signum)
    return written

os.write = write
sys.argv = ["icmap", *sys.argv[2:]]
from icmap.cli import main
main()
"""


@pytest.mark.parametrize(
    ("signum", "code", "message"),
    [
        (2, 130, "icmap: interrupted\n"),  # SIGINT, 128 + 2
        (15, 143, "icmap: stopped by SIGTERM\n"),  # 128 + 15
        (1, 129, "icmap: stopped by SIGHUP\n"),  # 128 + 1
    ],
)
def test_a_signal_during_a_write_leaves_no_temporary(
    org: Path, tmp_path: Path, signum: int, code: int, message: str
) -> None:
    driver = tmp_path / "driver.py"
    driver.write_text(INTERRUPTING, encoding="utf-8")
    out = tmp_path / "out" / "report.json"
    out.parent.mkdir()
    out.write_text("the old report", encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            str(driver),
            str(signum),
            "analyze",
            str(org),
            "-f",
            "json",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == code, run.stderr
    size = len(json_report(org)) // 2
    assert run.stderr == f"partial temporary: {size} bytes\n{message}"
    assert size > 0  # the temporary file really was there, half written
    assert temporaries(out.parent) == []
    assert sorted(p.name for p in out.parent.iterdir()) == ["report.json"]
    assert out.read_text(encoding="utf-8") == "the old report"


def test_an_interrupt_inside_the_writer_removes_the_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.txt"
    out.write_bytes(b"old")
    seen: list[list[str]] = []

    def interrupted(fd: int) -> None:
        seen.append(temporaries(tmp_path))  # written, not yet renamed
        raise KeyboardInterrupt

    monkeypatch.setattr("icmap.cli.common.os.fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_output(str(out), b"new")
    assert len(seen) == 1 and len(seen[0]) == 1 and seen[0][0].startswith(".out.txt.")
    assert temporaries(tmp_path) == []
    assert out.read_bytes() == b"old"


def test_text_in_pieces_is_written_whole_over_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_bytes(b"old")
    write_output(str(out), iter(['{"a":', "1,", '"é":2}', "\n"]))
    assert out.read_text(encoding="utf-8") == '{"a":1,"é":2}\n'
    assert temporaries(tmp_path) == []


def test_a_failure_while_the_pieces_are_made_leaves_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_bytes(b"old")

    def pieces() -> Iterator[str]:
        yield '{"units":['
        raise KeyboardInterrupt  # half-way through the report

    with pytest.raises(KeyboardInterrupt):
        write_output(str(out), pieces())
    assert out.read_bytes() == b"old"
    assert temporaries(tmp_path) == []


# --- cases 11 and 23: standard output closed, or full ----------------------------------------


def run_cli(*args: str | Path, shell: str = "", stdout: Any = subprocess.PIPE) -> Any:
    """icmap in a child process; `shell` is a redirection applied to it (`>&-`)."""
    command = [sys.executable, "-m", "icmap", *map(str, args)]
    if shell:
        command = ["sh", "-c", f'exec "$@" {shell}', "sh", *command]
    return subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, text=True, check=False)


CLOSED = "icmap: cannot write to standard output: it is closed; name a file to write with -o FILE\n"


@pytest.mark.parametrize(
    "args",
    [
        ["analyze"],
        ["analyze", "-f", "json"],
        ["check", "-f", "text"],
        ["render", "-f", "mermaid"],
    ],
)
def test_a_closed_standard_output_is_exit_2_with_a_message(org: Path, args: list[str]) -> None:
    run = run_cli(args[0], org, *args[1:], shell=">&-")
    assert run.returncode == 2
    assert run.stderr == CLOSED
    clean_stderr(run.stderr)


def test_schema_to_a_closed_standard_output(org: Path) -> None:
    run = run_cli("schema", shell=">&-")
    assert (run.returncode, run.stderr) == (2, CLOSED)


def test_a_closed_standard_output_does_not_stop_a_file_output(org: Path, tmp_path: Path) -> None:
    # A file opened with descriptor 1 closed would get number 1; icmap keeps 1 taken, so
    # the report lands in the file, whole, and nothing else does.
    out = tmp_path / "out.json"
    run = run_cli("analyze", org, "-f", "json", "-o", out, shell=">&-")
    assert (run.returncode, run.stderr) == (0, "")
    assert out.read_bytes() == json_report(org)


@needs_root
@pytest.mark.parametrize(
    "args", [["analyze"], ["check", "-f", "text"], ["render", "-f", "dot"], ["schema"]]
)
def test_a_full_standard_output_is_exit_2_not_a_bug(
    org: Path, tmp_path: Path, args: list[str]
) -> None:
    full = device(tmp_path / "full", FULL_DEVICE)
    command = [args[0], *([org] if args[0] != "schema" else []), *args[1:]]
    with open(full, "wb") as stdout:
        run = run_cli(*command, stdout=stdout)
    assert run.returncode == 2
    assert run.stderr == "icmap: cannot write to standard output: No space left on device\n"
    clean_stderr(run.stderr)
    assert is_device(full, FULL_DEVICE)


def test_a_reader_that_leaves_is_not_an_error(org: Path) -> None:
    # `icmap analyze ... | head -c 1`: the pipe closes early; nothing to report.
    run = subprocess.run(
        ["sh", "-c", f'"{sys.executable}" -m icmap schema | head -c 1 >/dev/null'],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0
    clean_stderr(run.stderr)
    assert run.stderr == ""


@pytest.mark.parametrize("command", [["analyze"], ["check"], ["render", "-f", "dot"], ["schema"]])
def test_an_empty_output_name_is_a_usage_error(org: Path, command: list[str]) -> None:
    args = [command[0], *([org] if command[0] != "schema" else []), *command[1:], "-o", ""]
    result = invoke(*args)
    assert result.exit_code == 2
    assert (
        "Invalid value for '--output' / '-o': the output file name is empty; name a file, "
        "or write -o - for standard output" in " ".join(result.stderr.split())
    )
    assert "is a directory" not in result.stderr


def test_write_output_refuses_an_empty_name_itself() -> None:
    with pytest.raises(CannotRun, match="the output file name is empty"):
        write_output("", "text")


# --- case 22: --dpi and --near out of range ---------------------------------------------------


@pytest.mark.parametrize("dpi", ["nan", "NaN", "inf", "-inf", "-96", "0"])
def test_a_dpi_that_is_no_pixel_size_is_refused(org: Path, dpi: str) -> None:
    result = invoke("render", org, "-f", "dot", "--dpi", dpi)
    assert result.exit_code == 2
    assert "Invalid value for '--dpi'" in result.stderr
    assert result.stdout == ""  # never `dpi=nan` in a DOT file


def test_a_dpi_in_range_is_written(org: Path) -> None:
    result = invoke("render", org, "-f", "dot", "--dpi", "150")
    assert result.exit_code == 0
    assert "dpi=150" in result.stdout


@pytest.mark.parametrize(
    ("near", "message"),
    [
        (
            "99999999999999999h",
            "'99999999999999999h' is 1e+17 hours, longer than any real wait (icmap reads up "
            "to 1,000,000,000 hours)",
        ),
        (
            # 125,000,001 days of 8 h = 1,000,000,008 h: just over the limit
            "125000001d",
            "'125000001d' is 1,000,000,008 hours, longer than any real wait (icmap reads up "
            "to 1,000,000,000 hours)",
        ),
        ("nan", "'nan' is not a duration; write hours or e.g. 90m, 4h, 1d 2h"),
        ("1e3", "'1e3' is not a duration; write hours or e.g. 90m, 4h, 1d 2h"),
        ("1_000", "'1_000' is not a duration; write hours or e.g. 90m, 4h, 1d 2h"),
        ("١", "'١' is not a duration; write hours or e.g. 90m, 4h, 1d 2h"),  # Arabic-Indic 1
    ],
)
def test_a_near_duration_beyond_the_org_limit_is_refused(
    org: Path, near: str, message: str
) -> None:
    result = invoke("analyze", org, "--near", near)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())


@pytest.mark.parametrize("near", ["1000000000", "1000000000h", "125000000d"])  # 125e6 * 8 = 1e9
def test_a_near_duration_at_the_limit_is_read(org: Path, near: str) -> None:
    result = invoke("analyze", org, "--near", near, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert '"near_threshold_hours": 1000000000' in result.stdout


# --- the output writer, for any kind of target -------------------------------------------------

KINDS = [
    "missing",
    "regular",
    "link to regular",
    "link to nothing",
    "fifo",
    "null device",
    "full device",
    "directory",
    "in a read-only directory",
]


def make_target(directory: Path, kind: str, old: bytes) -> Path:
    """A target of `kind` in `directory` (the old content `old` where it has content)."""
    target = directory / "target"
    if kind == "regular":
        target.write_bytes(old)
    elif kind == "link to regular":
        (directory / "real").write_bytes(old)
        target.symlink_to("real")
    elif kind == "link to nothing":
        target.symlink_to("nothing")
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "null device":
        device(target, NULL_DEVICE)
    elif kind == "full device":
        device(target, FULL_DEVICE)
    elif kind == "directory":
        target.mkdir()
        (target / "inside").write_bytes(old)
    elif kind == "in a read-only directory":
        locked = directory / "locked"
        locked.mkdir()
        target = locked / "target"
        target.write_bytes(old)
        os.chmod(locked, 0o555)
    return target


def snapshot(directory: Path) -> dict[str, tuple[int, int, bytes | str | None]]:
    """Every entry below `directory`: its type and device bits, and content or link."""
    seen: dict[str, tuple[int, int, bytes | str | None]] = {}
    for root, dirs, files in os.walk(directory):
        for name in sorted(dirs + files):
            path = Path(root) / name
            info = os.lstat(path)
            content: bytes | str | None = None
            if stat.S_ISREG(info.st_mode):
                content = path.read_bytes()
            elif stat.S_ISLNK(info.st_mode):
                content = os.readlink(path)
            key = str(path.relative_to(directory))
            seen[key] = (stat.S_IFMT(info.st_mode), info.st_rdev, content)
    return seen


@needs_root
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(KINDS), old=st.binary(max_size=300), new=st.binary(max_size=200_000))
def test_the_writer_puts_the_new_bytes_in_place_or_refuses_untouched(
    kind: str, old: bytes, new: bytes
) -> None:
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        target = make_target(directory, kind, old)
        before = snapshot(directory)
        reader = FifoReader(target) if kind == "fifo" else None
        try:
            write_output(str(target), new)
            refused = None
        except CannotRun as exc:
            refused = exc
        received = reader.finish() if reader else None
        after = snapshot(directory)
        if refused is not None:  # exit 2: the target as it was, nothing beside it
            assert after == before
            assert str(target) in str(refused)
        elif kind == "fifo":
            assert received == new
        elif kind in ("null device", "full device"):
            assert after == before  # still the device node; what it keeps cannot be read
        else:
            assert Path(target).read_bytes() == new
        # A device, a FIFO, a link or a directory stays what it was, whatever happened.
        if kind not in ("missing", "link to nothing"):
            assert (
                after["target" if "read-only" not in kind else "locked/target"][:2]
                == (before["target" if "read-only" not in kind else "locked/target"][:2])
            )
        if kind in ("link to regular", "link to nothing"):
            assert refused is not None  # no file is written through a link
        if kind == "directory":
            assert refused is not None
        if kind == "full device":
            assert (refused is None) == (new == b"")  # ENOSPC unless there is nothing to write
        assert not [p for p in after if p.endswith(".tmp")]
        if kind == "in a read-only directory":
            os.chmod(directory / "locked", 0o755)  # so that it can be cleaned up
        shutil.rmtree(directory, ignore_errors=True)

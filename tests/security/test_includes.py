"""Hostile includes and main files (issue 13, cases 4, 9, 10, 14, 21, 23): confinement to the
include root, regular files only, bounded size, and nothing of a refused file in any output.

Every command runs in a subprocess with a generous timeout (a safety net against a hang,
not a timing assert). Devices and FIFOs are made here, in a temporary folder, never the
machine's own /dev entries (the tests run as root, which `os.mknod` needs).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from icmap.cli import app
from icmap.loader import files, load_org

SECRET = "ICMAP_PLANTED_SECRET_123"
CHECK_FORMATS = ("text", "parsable", "json", "github", "sarif")
HEADER = """\
icmap: 1
organization: Target Ltd
external_customers:
  - id: buyer
    depends_on: [clerk]
roles:
  - id: clerk
    lead_time: 1h
"""  # 8 lines: an `include:` written after it is on line 9
TIMEOUT = 120  # seconds; only reached if icmap hangs


def run(*args: str, cwd: Path, alone: bool = True) -> subprocess.CompletedProcess[str]:
    """Run icmap with the secret in its environment too: in a subprocess (`alone`), where
    /proc/self/environ holds the secret and a hang is cut off, or in-process (faster)."""
    if not alone:
        previous = os.getcwd()
        os.chdir(cwd)
        try:
            done = CliRunner().invoke(app, list(args), env={"NO_COLOR": "1"})
        finally:
            os.chdir(previous)
        return subprocess.CompletedProcess(args, done.exit_code, done.stdout, done.stderr)
    env = {**os.environ, "SECRET_TOKEN": SECRET, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "icmap", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    """No secret, no traceback, no internal error, in either stream."""
    for stream in (result.stdout, result.stderr):
        assert SECRET not in stream
        assert "Traceback" not in stream
        assert "internal error" not in stream
        assert "db_password" not in stream


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """tmp/outside/secret.yaml (the secret), tmp/repo/.git, tmp/repo/org/ (the org)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(f"db_password: {SECRET}\nroles: [{SECRET}]\n")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "org").mkdir()
    return tmp_path


def write_org(site: Path, include: str) -> str:
    """repo/org/main.yaml with `include: <include>` on line 9; its path from `site`."""
    (site / "repo" / "org" / "main.yaml").write_text(f"{HEADER}include: {include}\n")
    return "repo/org/main.yaml"


def check_every_format(
    site: Path, main: str, *extra: str, alone: bool = False
) -> list[dict[str, object]]:
    """Check `main` in every format, then analyze and render it (each free of the secret);
    the JSON report's findings."""
    findings: list[dict[str, object]] = []
    for fmt in CHECK_FORMATS:
        result = run("check", "--format", fmt, *extra, main, cwd=site, alone=alone)
        assert_clean(result)
        assert result.returncode == 1, (fmt, result.stderr)
        if fmt == "json":
            report = json.loads(result.stdout)
            findings = [f for file in report["files"] for f in file["findings"]]
    for command in (["analyze"], ["render", "-f", "dot"]):
        result = run(*command, *extra, main, cwd=site, alone=alone)
        assert_clean(result)
        assert result.returncode == 1
        assert result.stdout == ""
    return findings


def include_and_check(
    site: Path, name: str
) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    """`check --format parsable` of a main file including repo/org/NAME, and of NAME alone."""
    main = write_org(site, f"[{name}]")
    included = run("check", "--format", "parsable", main, cwd=site, alone=False)
    alone = run("check", f"repo/org/{name}", cwd=site, alone=False)
    return included, alone


def codes_at(findings: list[dict[str, object]]) -> list[tuple[object, object, object]]:
    return [(f["code"], f["line"], f["column"]) for f in findings]


# ---- case 4: confinement --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("include", "column", "said"),
    [
        # `include: [` is 10 characters: the entry starts at column 11.
        ("[/proc/self/environ]", 11, "is an absolute path"),
        ("[/etc/passwd]", 11, "is an absolute path"),
        ('["/etc/*"]', 11, "is an absolute path"),
        ("[OUTSIDE]", 11, "is an absolute path"),  # the secret, by its absolute path
        ("[../../outside/secret.yaml]", 11, "leads out of the include root with '..'"),
        ('["../../outside/*.yaml"]', 11, "reaches outside the include root"),
        ('["../../*/secret.yaml"]', 11, "reaches outside the include root"),
        ("[link.yaml]", 11, "is a symbolic link (or passes through one) to outside"),
        ("[linked/secret.yaml]", 11, "is a symbolic link (or passes through one) to outside"),
        ('["linked/*.yaml"]', 11, "reaches outside the include root"),
        ("[environ.yaml]", 11, "is a symbolic link (or passes through one) to outside"),
    ],
)
def test_an_include_outside_the_root_is_refused_and_shows_nothing(
    site: Path, include: str, column: int, said: str
) -> None:
    org = site / "repo" / "org"
    (org / "link.yaml").symlink_to(site / "outside" / "secret.yaml")
    (org / "linked").symlink_to(site / "outside")
    (org / "environ.yaml").symlink_to("/proc/self/environ")
    main = write_org(site, include.replace("OUTSIDE", str(site / "outside" / "secret.yaml")))
    # In a subprocess where /proc/self/environ is named: its environment holds the secret.
    findings = check_every_format(site, main, alone="environ" in include)
    assert codes_at(findings) == [("ICM402", 9, column)]
    message = str(findings[0]["message"])
    assert said in message
    written = include[1:-1].strip('"').replace("OUTSIDE", str(site / "outside" / "secret.yaml"))
    assert f"include {written!r}" in message  # the path as written, and nothing else of it


@pytest.mark.parametrize(
    ("include", "said"),
    [
        ("[../.git/config]", "is in a .git folder, which icmap never reads"),
        ("[config-link.yaml]", "is in a .git folder, which icmap never reads"),
        ('["../.git/*"]', "reaches outside the include root"),
    ],
)
def test_git_s_own_files_are_never_read(site: Path, include: str, said: str) -> None:
    # actions/checkout leaves the job's token in .git/config (persist-credentials): inside
    # the work tree, but never an org file, and a syntax error would quote its line.
    (site / "repo" / ".git" / "config").write_text(
        f"[http]\n\textraheader = AUTHORIZATION: basic {SECRET}\n"
    )
    (site / "repo" / "org" / "config-link.yaml").symlink_to("../.git/config")
    main = write_org(site, include)
    findings = check_every_format(site, main)
    assert codes_at(findings) == [("ICM402", 9, 11)]
    assert said in str(findings[0]["message"])


def test_a_main_file_linked_into_git_is_refused(site: Path) -> None:
    (site / "repo" / ".git" / "config").write_text(f"token = {SECRET}\n")
    (site / "repo" / "org" / "evil.yaml").symlink_to("../.git/config")
    result = run("check", "repo/org", cwd=site, alone=False)
    assert_clean(result)
    assert result.returncode == 2
    assert "repo/org/evil.yaml resolves to a file outside the include root" in result.stderr
    assert "(or in a .git folder)" in result.stderr


def test_proc_environ_inside_a_root_of_slash_is_still_refused(site: Path) -> None:
    # --include-root / puts /proc inside the root: the kernel's files are refused anyway.
    main = write_org(site, "[../../../../../../../../../../proc/self/environ]")
    findings = check_every_format(site, main, "--include-root", "/", alone=True)
    assert codes_at(findings) == [("ICM003", 9, 11)]
    assert "a system file (under /proc)" in str(findings[0]["message"])


def test_a_glob_inside_the_root_still_works(site: Path) -> None:
    finance = site / "repo" / "org" / "finance"
    finance.mkdir()
    (finance / "a.yaml").write_text("roles:\n  - id: payer\n    depends_on: [clerk]\n")
    (finance / "b.yaml").write_text("external_customers:\n  - id: bank\n    depends_on: [payer]\n")
    (finance / "sub").mkdir()  # a folder the glob also matches: skipped, not an error
    main = write_org(site, "[finance/*]")
    result = run("check", "--format", "json", main, cwd=site, alone=False)
    assert result.returncode == 0, result.stdout
    (root,) = json.loads(result.stdout)["files"]
    assert root["includes"] == ["repo/org/finance/a.yaml", "repo/org/finance/b.yaml"]


def test_the_default_root_is_the_git_work_tree(site: Path) -> None:
    shared = site / "repo" / "shared"
    shared.mkdir()
    (shared / "part.yaml").write_text("roles:\n  - id: helper\n    depends_on: [clerk]\n")
    (site / "repo" / "org" / "main.yaml").write_text(
        HEADER.replace("[clerk]", "[clerk, helper]") + "include: [../shared/part.yaml]\n"
    )
    assert files.default_include_root(str(site / "repo" / "org" / "main.yaml")) == str(
        site / "repo"
    )
    assert run("check", "repo/org/main.yaml", cwd=site, alone=False).returncode == 0
    os.rmdir(site / "repo" / ".git")  # no work tree: the root is the main file's folder
    result = run("check", "--format", "parsable", "repo/org/main.yaml", cwd=site, alone=False)
    assert result.returncode == 1
    assert "main.yaml:9:11: [error] include '../shared/part.yaml' leads out of" in result.stdout


@pytest.mark.parametrize("command", [["check"], ["analyze"], ["render", "-f", "dot"]])
def test_include_root_widens_the_root_on_every_command(site: Path, command: list[str]) -> None:
    os.rmdir(site / "repo" / ".git")
    (site / "repo" / "shared").mkdir()
    (site / "repo" / "shared" / "part.yaml").write_text("roles:\n  - id: helper\n")
    main = write_org(site, "[../shared/part.yaml]")
    refused = run(*command, main, cwd=site, alone=False)
    assert refused.returncode == 1
    assert "ICM402" in refused.stdout + refused.stderr
    widened = run(*command, "--include-root", "repo", main, cwd=site, alone=False)
    assert_clean(widened)
    assert "ICM402" not in widened.stdout + widened.stderr
    # helper is an orphan (a warning): nothing stops the command.
    assert widened.returncode == 0, widened.stderr


def test_include_root_must_be_a_folder(site: Path) -> None:
    main = write_org(site, "[]")
    result = run("check", "--include-root", "repo/nowhere", main, cwd=site, alone=False)
    assert result.returncode == 2
    assert "'repo/nowhere' is not a folder" in result.stderr


def test_a_main_file_that_links_outside_the_root_is_refused(site: Path) -> None:
    (site / "repo" / "org" / "evil.yaml").symlink_to(site / "outside" / "secret.yaml")
    for command in (["check"], ["analyze"], ["render", "-f", "dot"]):
        result = run(*command, "repo/org/evil.yaml", cwd=site, alone=False)
        assert_clean(result)
        assert result.returncode == 2
        assert "repo/org/evil.yaml resolves to a file outside the include root" in result.stderr
    # In a folder given to check, too: refused, not read.
    result = run("check", "repo/org", cwd=site, alone=False)
    assert_clean(result)
    assert result.returncode == 2


# ---- cases 14 and 21: only regular files, at most 64 MiB ---------------------------------------


def _device(path: Path, minor: int) -> None:
    os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, minor))


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda p: _device(p, 5), "a character device"),  # /dev/zero's numbers
        (lambda p: _device(p, 9), "a character device"),  # /dev/urandom's
        (os.mkfifo, "a FIFO (named pipe)"),  # no writer: a plain open would hang
    ],
    ids=["zero", "urandom", "fifo"],
)
def test_an_include_that_is_a_device_or_fifo_is_refused_unread(
    site: Path, make: object, kind: str
) -> None:
    node = site / "repo" / "org" / "part.yaml"
    make(node)  # type: ignore[operator]
    main = write_org(site, "[part.yaml]")
    # Each in a subprocess, so that a hang or a read without end is cut off.
    result = run("check", "--format", "json", main, cwd=site)
    assert result.returncode == 1
    findings = [f for file in json.loads(result.stdout)["files"] for f in file["findings"]]
    for command in (["analyze"], ["render", "-f", "dot"]):
        drawn = run(*command, main, cwd=site)
        assert_clean(drawn)
        assert (drawn.returncode, drawn.stdout) == (1, "")
        assert "part.yaml is " + kind in drawn.stderr
    assert codes_at(findings) == [("ICM003", 9, 11)]
    assert findings[0]["message"] == (
        f"included file repo/org/part.yaml is {kind}, not a regular file; it is not read"
    )
    mode = os.lstat(node).st_mode
    assert stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)  # still what it was


@pytest.mark.parametrize("minor", [5, 9])
def test_a_main_file_that_is_a_device_is_refused(site: Path, minor: int) -> None:
    _device(site / "repo" / "org" / "zero.yaml", minor)
    for command in (["check"], ["analyze"], ["render", "-f", "dot"]):
        result = run(*command, "repo/org/zero.yaml", cwd=site)
        assert_clean(result)
        assert result.returncode == 2
        assert result.stderr == (
            "icmap: repo/org/zero.yaml is a character device, not a regular file; it is not read\n"
        )


def test_a_main_file_that_is_a_fifo_is_refused_without_waiting(site: Path) -> None:
    os.mkfifo(site / "repo" / "org" / "pipe.yaml")
    result = run("check", "repo/org/pipe.yaml", cwd=site)
    assert result.returncode == 2
    assert "is a FIFO (named pipe), not a regular file" in result.stderr


def test_a_fifo_in_a_checked_folder_is_skipped_with_a_message(site: Path) -> None:
    org = site / "repo" / "org"
    os.mkfifo(org / "pipe.yaml")
    (org / "main.yaml").write_text(HEADER)
    result = run("check", "--format", "parsable", "repo/org", cwd=site)
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == (
        "icmap: skipping repo/org/pipe.yaml: it is a FIFO (named pipe), not a regular file\n"
    )


def test_a_file_over_64_mib_is_refused_unread(site: Path) -> None:
    big = site / "repo" / "org" / "big.yaml"
    with open(big, "wb") as handle:  # sparse: no disk used
        handle.truncate(files.MAX_FILE_BYTES + 1)
    included, alone = include_and_check(site, "big.yaml")
    assert (included.returncode, included.stdout) == (
        1,
        "repo/org/main.yaml:9:11: [error] included file repo/org/big.yaml is larger than "
        "64 MiB (67,108,865 bytes); it is not read (ICM004)\n",
    )
    assert alone.returncode == 2
    assert "repo/org/big.yaml is larger than 64 MiB" in alone.stderr


def test_read_bytes_stops_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_bytes(b"x" * 11)
    assert files.read_bytes(str(path), limit=11) == b"x" * 11
    with pytest.raises(files.Unreadable) as refused:
        files.read_bytes(str(path), limit=10)
    assert (refused.value.reason, refused.value.detail) == ("too-large", "11 bytes")


@pytest.mark.parametrize("include", ['["."]', "[adir]", "[adir/]"])
def test_an_include_that_is_a_folder_is_a_finding(site: Path, include: str) -> None:
    (site / "repo" / "org" / "adir").mkdir()
    (site / "repo" / "org" / "adir" / "x.yaml").write_text("roles: [{id: x}]\n")
    main = write_org(site, include)
    result = run("check", "--format", "parsable", main, cwd=site, alone=False)
    assert result.returncode == 1
    written = include[1:-1].strip('"')
    assert result.stdout == (
        f"repo/org/main.yaml:9:11: [error] include {written!r} is a directory, "
        "not a file (ICM003)\n"
    )


# ---- cases 9 and 23: names that name no file, and a symbolic link loop --------------------------


@pytest.mark.parametrize(
    ("include", "said"),
    [
        ('["a\\0b"]', "the include name 'a\\x00b' holds a NUL byte (\\0), which no file name can"),
        ('[""]', "the include name '' is empty"),
        ('["  "]', "the include name '  ' is only blank space"),
    ],
)
def test_an_include_name_that_names_no_file_is_a_finding(
    site: Path, include: str, said: str
) -> None:
    main = write_org(site, include)
    result = run("check", "--format", "parsable", main, cwd=site, alone=False)
    assert_clean(result)
    assert result.returncode == 1
    assert result.stdout == f"repo/org/main.yaml:9:11: [error] {said} (ICM403)\n"


def test_a_symbolic_link_loop_says_so(site: Path) -> None:
    org = site / "repo" / "org"
    (org / "a.yaml").symlink_to("b.yaml")
    (org / "b.yaml").symlink_to("a.yaml")
    included, alone = include_and_check(site, "a.yaml")
    assert (included.returncode, included.stdout) == (
        1,
        "repo/org/main.yaml:9:11: [error] included file repo/org/a.yaml is a symbolic link "
        "loop (ICM001)\n",
    )
    assert (alone.returncode, alone.stderr) == (
        2,
        "icmap: repo/org/a.yaml is a symbolic link loop\n",
    )


# ---- case 10: a long chain of includes ----------------------------------------------------------


def test_a_chain_of_1000_includes_is_read_without_recursion(tmp_path: Path) -> None:
    # main -> part1 -> ... -> part1000 (RecursionError came at 330); part k holds role r<k>,
    # which depends on r<k-1>.
    count = 1000
    (tmp_path / "main.yaml").write_text(
        "icmap: 1\norganization: Chain\nexternal_customers:\n"
        f"  - id: buyer\n    depends_on: [r{count}]\nroles:\n  - id: r0\ninclude: part1.yaml\n"
    )
    for k in range(1, count + 1):
        tail = f"include: part{k + 1}.yaml\n" if k < count else ""
        (tmp_path / f"part{k}.yaml").write_text(
            f"roles:\n  - id: r{k}\n    depends_on: [r{k - 1}]\n{tail}"
        )
    loaded = load_org(str(tmp_path / "main.yaml"))
    assert loaded.findings == ()
    assert loaded.org is not None
    assert len(loaded.files) == count + 1
    assert len(loaded.org.units) == count + 1  # r0 ... r1000
    result = run("check", "main.yaml", cwd=tmp_path)
    assert_clean(result)
    assert result.returncode == 0


def test_a_loop_at_the_end_of_a_long_chain_names_the_whole_chain(tmp_path: Path) -> None:
    (tmp_path / "main.yaml").write_text(HEADER + "include: p1.yaml\n")
    for k in range(1, 501):
        target = f"p{k + 1}.yaml" if k < 500 else "p1.yaml"
        (tmp_path / f"p{k}.yaml").write_text(f"roles: [{{id: u{k}}}]\ninclude: {target}\n")
    loaded = load_org(str(tmp_path / "main.yaml"))
    loops = [f for f in loaded.findings if f.code == "ICM401"]
    assert len(loops) == 1
    assert str(loops[0].location).endswith("p500.yaml:2:10")
    # main -> p1 -> ... -> p500 -> p1: 1 + 500 + 1 names.
    assert loops[0].message.count(" -> ") == 501


# ---- and any include at all: a property ---------------------------------------------------------

_PARTS = st.sampled_from(
    ["..", ".", "org", "part.yaml", "link", "loop", "outside", "secret.yaml", "*", "*.yaml",
     "?", "[s]*", "**", "", "x\0", "environ"]
)  # fmt: skip
_NAMES = st.builds(
    lambda absolute, parts: ("/" if absolute else "") + "/".join(parts),
    st.booleans(),
    st.lists(_PARTS, min_size=1, max_size=6),
)


@pytest.fixture(scope="module")
def maze(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """root/org/main.yaml's folder, with links out (to the secret, its folder, /proc) and a
    link loop; root/org/part.yaml a good part; outside/secret.yaml the secret."""
    base = tmp_path_factory.mktemp("maze")
    (base / "outside").mkdir()
    (base / "outside" / "secret.yaml").write_text(f"roles: [{{id: {SECRET}}}]\n")
    org = base / "root" / "org"
    org.mkdir(parents=True)
    (org / "part.yaml").write_text("roles:\n  - id: part\n    depends_on: [clerk]\n")
    (org / "link").symlink_to(base / "outside")
    (org / "secret.yaml").symlink_to(base / "outside" / "secret.yaml")
    (org / "environ").symlink_to("/proc/self/environ")
    (org / "loop").symlink_to("loop")
    return base


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(_NAMES, min_size=1, max_size=4))
def test_no_include_name_reads_outside_the_root(maze: Path, names: list[str]) -> None:
    main = maze / "root" / "org" / "main.yaml"
    main.write_text(HEADER + "include: " + json.dumps(names) + "\n")  # JSON is YAML
    loaded = load_org(str(main))  # root: root/org (no .git)
    root = os.path.realpath(maze / "root" / "org")

    def inside(path: str) -> bool:  # not files.inside: the test must not trust the code
        return os.path.commonpath([os.path.realpath(path), root]) == root

    assert all(inside(f) for f in loaded.files)
    for finding in loaded.findings:
        assert SECRET not in finding.message and SECRET not in finding.hint
        assert finding.location is not None
        assert inside(finding.location.file)

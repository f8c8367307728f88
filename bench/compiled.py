"""icmap's hot path compiled with mypyc, to measure what compiled code would give.

icmap is installed as pure Python; this builds, for the benchmark only, a copy of the
package with the modules `icmap analyze --format json` spends its time in compiled to C
extensions by mypyc (the compiler that ships with mypy, one of the test tools), and
gives the command line that runs that copy. A build takes about a minute and is kept in
bench/out/ under a digest of the sources, so it is made again only when the code changes.

Left out of `HOT_MODULES`, because mypyc refuses them as written: `icmap.model` (a class
derived from a named tuple) and `icmap.analysis.result` (dataclasses with a `ClassVar`
holding a value, which mypyc takes for a field). Both are records read by the compiled
code, which costs little. The writers of other formats, `simulate` and the CLI are not on
the measured path.
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from benchlib import OUT, ROOT

#: The modules compiled, as paths under the repository (every one exists: a test checks).
HOT_MODULES = (
    "icmap/yamlsource.py",
    "icmap/loader/__init__.py",
    "icmap/loader/aliases.py",
    "icmap/loader/calendar.py",
    "icmap/loader/files.py",
    "icmap/loader/measurements.py",
    "icmap/loader/policy.py",
    "icmap/loader/references.py",
    "icmap/loader/roots.py",
    "icmap/loader/sections.py",
    "icmap/loader/values.py",
    "icmap/graph.py",
    "icmap/analysis/bottlenecks.py",
    "icmap/analysis/columns.py",
    "icmap/analysis/cpm.py",
    "icmap/analysis/dominators.py",
    "icmap/analysis/engine.py",
    "icmap/analysis/focus.py",
    "icmap/analysis/network.py",
    "icmap/analysis/paths.py",
    "icmap/analysis/reach.py",
    "icmap/analysis/recommendations.py",
    "icmap/analysis/service.py",
    "icmap/report/analysis/_common.py",
    "icmap/report/analysis/json_report.py",
    "icmap/report/analysis/provenance.py",
)

#: Runs icmap's CLI from the folder given as the first argument, ahead of the installed
#: icmap (and of the working directory, which `python -m` would put first).
_LAUNCH = "import sys; sys.path.insert(0, sys.argv.pop(1)); from icmap.cli import main; main()"

_SETUP = """\
from setuptools import setup
from mypyc.build import mypycify

setup(
    name="icmap-bench-compiled",
    ext_modules=mypycify(["--config-file", {config!r}, *{modules!r}], opt_level="3"),
)
"""


class CannotCompile(Exception):
    """What this machine lacks to build the compiled copy, or why the build failed."""


def missing() -> str | None:
    """What the build needs and this machine lacks (None: nothing)."""
    if importlib.util.find_spec("mypyc") is None:
        return "mypyc is not installed (it comes with mypy: pip install -e '.[test]')"
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        return f"no C compiler ({compiler}); Debian: apt-get install gcc"
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").exists():
        return "no Python headers (Python.h); Debian: apt-get install python3-dev"
    return None


def sources_digest(package: Path) -> str:
    """A digest of the package's Python sources (names and bytes), which keys the build."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def build(root: Path = ROOT, out: Path = OUT) -> Path:
    """The folder holding the compiled copy of `root`'s icmap (built if not there yet).

    Raises CannotCompile when the machine lacks what the build needs or the build fails
    (the last lines of its log in the message)."""
    lacking = missing()
    if lacking is not None:
        raise CannotCompile(lacking)
    package = root / "icmap"
    built = out / f"compiled-{sources_digest(package)}"
    if (built / "icmap").is_dir():
        return built
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="compiling-", dir=out))
    try:
        shutil.copytree(package, work / "icmap", ignore=shutil.ignore_patterns("__pycache__"))
        setup = _SETUP.format(config=str(root / "pyproject.toml"), modules=list(HOT_MODULES))
        (work / "setup.py").write_text(setup, encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "setup.py", "build_ext", "--inplace"],
            cwd=work,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-8:])
            raise CannotCompile(f"the mypyc build failed:\n{tail}")
        for leftover in ("build", ".mypy_cache", "setup.py"):
            path = work / leftover
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        work.rename(built)  # whole or not at all: a build cut short is never reused
    finally:
        if work.exists():
            shutil.rmtree(work)
    return built


def command(built: Path, *args: str) -> list[str]:
    """The command line that runs `icmap ARGS` from the compiled copy in `built`."""
    return [sys.executable, "-c", _LAUNCH, str(built), *args]


def module_name(path: str) -> str:
    """The dotted name of a module given as a path: `icmap/loader/__init__.py` -> `icmap.loader`."""
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def compiled_modules(built: Path) -> list[str]:
    """The names of the HOT_MODULES that the compiled copy really imports as extensions
    (a module that fell back to its .py source is missing from the list)."""
    names = list(map(module_name, HOT_MODULES))
    probe = (
        "import sys, importlib; sys.path.insert(0, sys.argv[1]);"
        "print('\\n'.join(n for n in sys.argv[2:] "
        "if not importlib.import_module(n).__file__.endswith('.py')))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe, str(built), *names],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return found.split()

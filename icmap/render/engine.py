"""Turning DOT text into SVG, PNG or PDF bytes with whichever Graphviz is at hand.

First choice is the Graphviz bundled in the pygraphviz wheel (works after a plain pip install,
no system package); then a system `dot` through the `graphviz` package. Where neither exists,
`EngineMissing` says how to install one; DOT and Mermaid output need neither.

Graphviz is C code that can stop the whole process on an internal assertion (it does, in
`mincross.c`, on some graphs). So the bundled Graphviz lays out in a forked child process
where the platform can fork: a crash there becomes `LayoutCrashed`, which the caller can answer
(icmap draws again with the fast layout), instead of killing icmap without a word. Forking
costs about 40 ms a drawing (the clinic on the shared 2-core VM: 52-68 ms in the process,
93-95 ms forked). On systems other than Linux (forking a process that has loaded macOS
frameworks is unsafe; Windows has no fork) the layout runs in the process.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

IMAGE_FORMATS = ("svg", "png", "pdf")
LAYOUT_FORMAT = "json"  # Graphviz's layout as JSON (with xdot drawing operations): layout.py

INSTALL_HINT = (
    "no Graphviz to draw with: install the pygraphviz wheel (`pip install pygraphviz`, it "
    "bundles Graphviz) or a system Graphviz (`apt install graphviz`, `brew install graphviz`); "
    "`--format dot` and `--format mermaid` work without it"
)


class EngineMissing(RuntimeError):
    """Neither pygraphviz nor a system Graphviz is available."""

    def __init__(self) -> None:
        super().__init__(INSTALL_HINT)


class DrawFailed(RuntimeError):
    """Graphviz could not lay out or draw the graph."""


class LayoutCrashed(DrawFailed):
    """Graphviz stopped (an assertion, a signal) while laying out: a bug in Graphviz that
    this graph triggers. Another layout of the same chart usually works."""


@dataclass(frozen=True, slots=True)
class Drawing:
    """An image, with what Graphviz said while drawing it (warnings; errors raise)."""

    data: bytes
    messages: tuple[str, ...] = ()


def draw(dot: str, fmt: str, *, prog: str = "dot") -> bytes:
    """The DOT graph laid out by `prog` and drawn as `fmt` (svg, png or pdf)."""
    return drawing(dot, fmt, prog=prog).data


def drawing(dot: str, fmt: str, *, prog: str = "dot") -> Drawing:
    """Like `draw`, keeping Graphviz's warnings (e.g. a PNG scaled down to fit)."""
    if fmt not in (*IMAGE_FORMATS, LAYOUT_FORMAT):
        raise ValueError(f"cannot draw {fmt!r}; choose one of {', '.join(IMAGE_FORMATS)}")
    try:
        import pygraphviz  # noqa: F401
    except ImportError:
        return Drawing(_draw_with_system_graphviz(dot, fmt, prog))
    # Graphviz reports problems (a label it cannot read, say) on the process's stderr and
    # draws anyway; they are caught here so that a broken chart fails instead of passing.
    # The redirection is made before forking, so the child's stderr (an assertion message
    # included) is collected here too.
    with _stderr_of_graphviz() as messages:
        outcome = _in_child(dot, fmt, prog) if _CAN_FORK else _draw_here(dot, fmt, prog)
    if isinstance(outcome, int):
        said = [line for line in messages if not line.startswith("Fontconfig")]
        detail = f" ({' '.join(said)})" if said else ""
        raise LayoutCrashed(f"Graphviz stopped while laying out the chart{detail}")
    if isinstance(outcome, str):
        raise DrawFailed(f"Graphviz could not draw the chart: {outcome}")
    errors = [line for line in messages if line.startswith("Error")]
    if errors:
        raise DrawFailed("Graphviz could not draw the chart: " + " ".join(errors))
    if not outcome:
        raise DrawFailed("Graphviz drew nothing")
    return Drawing(outcome, tuple(_graphviz_warnings(messages)))


_CAN_FORK = hasattr(os, "fork") and sys.platform.startswith("linux")


def _draw_here(dot: str, fmt: str, prog: str) -> bytes | str:
    """The image, or what Graphviz said when it refused the graph (in this process)."""
    import pygraphviz

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            data = pygraphviz.AGraph(string=dot).draw(format=fmt, prog=prog)
        except (ValueError, OSError) as exc:
            return str(exc)
    return data if isinstance(data, bytes) else b""


def _in_child(dot: str, fmt: str, prog: str) -> bytes | str | int:
    """`_draw_here` in a forked child: its result, or the child's exit status if it died."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, dot, fmt, prog), daemon=True)
    child.start()
    sender.close()
    try:
        outcome: bytes | str | int = receiver.recv()  # before join: a big image fills the pipe
    except EOFError:
        outcome = -1
    finally:
        receiver.close()
        child.join()
    if child.exitcode != 0:
        return child.exitcode if child.exitcode is not None else -1
    return outcome


def _child(sender: Connection, dot: str, fmt: str, prog: str) -> None:
    import faulthandler

    faulthandler.disable()  # an abort here is expected and reported by the parent
    sender.send(_draw_here(dot, fmt, prog))
    sender.close()


def _graphviz_warnings(messages: list[str]) -> list[str]:
    """Graphviz's own warnings, worded for people: without pygraphviz's size notice, font
    set-up noise, the `Warning:` prefix and the `(null):` file name of in-memory output."""
    return [
        line.removeprefix("Warning: ").removeprefix("(null): ")
        for line in messages
        if not line.startswith("Fontconfig") and "layout may take a long time" not in line
    ]


def engine_name() -> str | None:
    """Which Graphviz `draw` would use: "pygraphviz", "graphviz" (a system dot) or None."""
    try:
        import pygraphviz  # noqa: F401
    except ImportError:
        pass
    else:
        return "pygraphviz"
    try:
        import graphviz

        graphviz.version()
    except (ImportError, RuntimeError, OSError):
        return None
    return "graphviz"


@contextlib.contextmanager
def _stderr_of_graphviz() -> Iterator[list[str]]:
    """Collect what C code writes to file descriptor 2 (and Python to sys.stderr) meanwhile."""
    messages: list[str] = []
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with tempfile.TemporaryFile() as sink, contextlib.redirect_stderr(io.StringIO()) as py:
            os.dup2(sink.fileno(), 2)
            try:
                yield messages
            finally:
                os.dup2(saved, 2)
                sink.seek(0)
                text = sink.read().decode("utf-8", "replace") + py.getvalue()
                messages.extend(line.strip() for line in text.splitlines() if line.strip())
    finally:
        os.close(saved)


def _draw_with_system_graphviz(dot: str, fmt: str, prog: str) -> bytes:
    try:
        import graphviz
    except ImportError:
        raise EngineMissing() from None
    try:
        data = graphviz.Source(dot).pipe(format=fmt, engine=prog, quiet=True)
    except graphviz.ExecutableNotFound:
        raise EngineMissing() from None
    except graphviz.CalledProcessError as exc:
        if exc.returncode < 0:  # killed by a signal: an assertion in Graphviz
            raise LayoutCrashed(f"Graphviz stopped while laying out the chart: {exc}") from exc
        raise DrawFailed(f"Graphviz could not draw the chart: {exc}") from exc
    return bytes(data)

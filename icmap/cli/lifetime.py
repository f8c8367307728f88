"""Keeping big objects alive until the process exits, instead of freeing them one by one.

The `icmap` command exits with `os._exit` once its output is flushed, so the memory of a
run is given back to the system in one go. Freeing the node trees, the org, the graph and
the analysis of a 100,000-role file object by object before that would take about half a
second the user waits for. Inside `kept_until_exit()`, `keep(obj)` parks an object in a
list the command holds until it exits; outside it (a program that goes on running and
wants its memory back), `keep` does nothing. Only the command line uses this module: the
loader and the analysis know nothing of it (the CLI hands `keep` to `api.check` as its
`on_tree` hook, and keeps the results itself).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_KEPT: ContextVar[list[object] | None] = ContextVar("icmap_kept", default=None)


@contextmanager
def kept_until_exit() -> Iterator[list[object]]:
    """Within this block, objects given to `keep` go to the list it yields.

    Hold that list until the process exits without freeing its memory (`os._exit`).
    """
    kept: list[object] = []
    token = _KEPT.set(kept)
    try:
        yield kept
    finally:
        _KEPT.reset(token)


def keep(*objects: object) -> None:
    """Keep `objects` alive until exit, inside `kept_until_exit`; otherwise do nothing."""
    kept = _KEPT.get()
    if kept is not None:
        kept.extend(objects)

"""icmap: map internal customers, find bottlenecks and critical paths, render charts.

The public API is `load`, `check`, `analyze` and `find_including_roots`; they are imported on first use so that
`import icmap` (and the CLI's start-up) stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["OrgFileError", "analyze", "check", "find_including_roots", "load"]

if TYPE_CHECKING:
    from icmap.api import OrgFileError, analyze, check, find_including_roots, load


def __getattr__(name: str) -> Any:
    if name in __all__:
        from icmap import api

        return getattr(api, name)
    raise AttributeError(f"module 'icmap' has no attribute {name!r}")

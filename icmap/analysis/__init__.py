"""The analysis engine: critical paths, floats, bottlenecks and service figures of an org.

`analyze(org)` returns an `Analysis` (see result.py, the contract with reports and charts).
The engine is imported on first use, so reading result.py stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Analysis", "analyze"]

if TYPE_CHECKING:
    from icmap.analysis.engine import analyze
    from icmap.analysis.result import Analysis


def __getattr__(name: str) -> Any:
    if name == "analyze":
        from icmap.analysis.engine import analyze

        return analyze
    if name == "Analysis":
        from icmap.analysis.result import Analysis

        return Analysis
    raise AttributeError(f"module 'icmap.analysis' has no attribute {name!r}")

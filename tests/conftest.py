"""Shared pytest options: `--regen-cases` rewrites the expected output of the case files."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add `--regen-cases` (see tests/cases/README.md)."""
    parser.addoption(
        "--regen-cases",
        action="store_true",
        default=False,
        help="Rewrite tests/cases/invalid/**/*.expected from the current output; "
        "then read every difference before committing it.",
    )

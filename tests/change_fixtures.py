"""A small org whose CPM figures are worked out by hand, shared by the change tests.

    a (2h) --[actual 2h, standard 1h]--> b (3h) --> client (deadline 10h)
    a (2h) ------------------------------> c (1h) --> client

Forward: a 0-2; b starts 2 + 2 = 4, ends 7; c 2-3; client = max(7, 3) = 7h (slack 10 - 7 = 3h).
Backward for client (LF 10h): b LF 10, float 10 - 7 = 3h; c LF 10, float 10 - 3 = 7h;
a LF = min(LS(b) - 2, LS(c) - 0) = min(10 - 3 - 2, 10 - 1) = 5, float 5 - 2 = 3h.
"""

from __future__ import annotations

from pathlib import Path

SMALL = """\
icmap: 1
organization: Small
external_customers:
  - id: client
    deadline: 10h
    depends_on: [b, c]
roles:
  - id: a
    lead_time: 2h
  - id: b
    lead_time: 3h
    depends_on:
      - supplier: a
        standard: 1h
        actual: 2h
  - id: c
    lead_time: 1h
    depends_on: [a]
"""


def write_small(folder: Path, text: str = SMALL, name: str = "org.yaml") -> Path:
    """The small org (or `text`) written to `folder/name`."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path

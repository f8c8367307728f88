"""Small orgs and logs the importer tests share, written into a test's tmp_path."""

from __future__ import annotations

from pathlib import Path

import yaml

from icmap.api import load
from icmap.model import Org

ORG = """\
icmap: 1
organization: Test Works
settings:
  satisfaction_scale: [1, 5]
external_customers:
  - id: client
    name: Client
    depends_on: [desk]
departments:
  - id: sales
    name: Sales
    roles:
      - id: desk
        name: Front Desk
        aliases: [FD]
        depends_on:
          - supplier: it
            standard: 4h
          - supplier: legal
      - id: clerk
        depends_on:
          - supplier: legal
          - supplier: desk
  - id: ops
    name: Operations
    roles:
      - id: planner
        depends_on: [it]
      - id: buyer
        depends_on: [it]
  - id: it
    name: IT Helpdesk
    aliases: [Group 4]
  - id: legal
    name: Legal
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    """Write `text` to tmp_path/name and return the path."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def org(tmp_path: Path, text: str = ORG, settings: str = "") -> Org:
    """The org `text` (with `settings` lines added under settings:), loaded."""
    if settings:
        text = text.replace("settings:\n", "settings:\n" + settings, 1)
    return load(str(write(tmp_path, "org.yaml", text)))


def fragment(text: str) -> dict[tuple[str, str], dict[str, object]]:
    """A written fragment, read back: (supplier, customer) -> its figures."""
    data = yaml.safe_load(text)
    return {(m["supplier"], m["customer"]): m for m in data["measurements"] or []}

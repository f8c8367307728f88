"""Orgs for the handout tests: a hostile one whose names try to be markup and script."""

from __future__ import annotations

from pathlib import Path

#: Each name tries another way out of the text it is put in: an element, an attribute,
#: the JSON in a <script>, an HTML comment, a Jinja2 expression, a bidi override.
HOSTILE_NAMES = {
    "desk": '<img src=x onerror="window.__pwned=1">Desk',
    "lab": "</script><script>window.__pwned=2</script>Lab",
    "billing": 'Billing " onmouseover="window.__pwned=3',
    "coder": "--><script>window.__pwned=4</script>{{ 7*7 }}",
    "client": "Client \u202egnp.exe",
}

HOSTILE = f"""\
icmap: 1
organization: "<script>window.__pwned=5</script> -- Evil Org --> <b>x</b>"
external_customers:
  - id: client
    name: "Client \\u202egnp.exe"
    deadline: 2d
    depends_on: [billing]
roles:
  - id: desk
    name: '{HOSTILE_NAMES["desk"]}'
    lead_time: 1h
  - id: lab
    name: '{HOSTILE_NAMES["lab"]}'
    lead_time: 2h
    depends_on: [desk]
  - id: coder
    name: '{HOSTILE_NAMES["coder"]}'
    lead_time: 3h
    depends_on:
      - supplier: lab
        provides: "<iframe src=javascript:alert(1)>"
        standard: 1h
        actual: 2h
  - id: billing
    name: '{HOSTILE_NAMES["billing"]}'
    lead_time: 4h
    depends_on: [coder, desk]
"""


def write_hostile(folder: Path) -> Path:
    """The hostile org in `folder`."""
    path = folder / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return path

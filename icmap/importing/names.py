"""Names in a log or survey to the org's units: suppliers, customers and grouping raters.

Matching itself (id, name or alias, trimmed and case-folded) is `icmap.names.NameIndex`; this
module adds what the importers need on top: a `--map NAMES.csv` file, which kinds of thing
may be a supplier or a customer, a grouping department resolved to its roles, and the
dependencies the org declares.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field

from icmap.importing.engine import InputError
from icmap.model import Dependency, Org
from icmap.names import NameIndex

UNIT_KINDS = ("role", "department")


def read_map(path: str, org: Org) -> dict[str, str]:
    """A `--map` file: rows of (name in the log, unit id); a header row is allowed.

    InputError at `file:row` for a row without two cells or with an id the org lacks.
    """
    known = {u.id for u in org.units} | {d.id for d in org.departments}
    known |= {c.id for c in org.external_customers}
    found: dict[str, str] = {}
    try:
        with open(path, newline="", encoding="utf-8-sig", errors="replace") as handle:
            for number, row in enumerate(csv.reader(handle), start=1):
                cells = [c.strip() for c in row]
                if not any(cells):
                    continue
                if len(cells) < 2 or not cells[0] or not cells[1]:
                    raise InputError(
                        f"{path}:{number}", "a row needs two cells: the name in the log, a unit id"
                    )
                if cells[1] not in known:
                    if number == 1:
                        continue  # a header row such as `name,unit`
                    from icmap.names import suggest

                    hint = suggest(cells[1], known)
                    raise InputError(
                        f"{path}:{number}",
                        f"{cells[1]!r} is not an id in the org{'; ' + hint if hint else ''}",
                    )
                found[cells[0]] = cells[1]
    except OSError as exc:
        raise InputError(path, f"cannot read the name map: {exc.strerror}") from exc
    return found


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a name in the log stands for here: an id, or why it stands for none."""

    id: str | None
    reason: str | None = None


@dataclass
class Names:
    """The org's names for one import, with the dependencies that decide what is declared."""

    org: Org
    index: NameIndex
    declared: dict[tuple[str, str], Dependency] = field(default_factory=dict)

    @classmethod
    def of(cls, org: Org, extra: Mapping[str, str] | None = None) -> Names:
        """The names of `org`, plus the `--map` names in `extra`."""
        index = NameIndex.of(org)
        if extra:
            index = index.with_names(extra)
        declared = {(d.supplier, d.customer): d for d in org.dependencies}
        return cls(org, index, declared)

    def unit(self, raw: str | None) -> Resolved:
        """The unit a supplier's (or an event's) name stands for."""
        if raw is None or not raw.strip():
            return Resolved(None, "empty")
        found = self.index.lookup(raw)
        if found is None:
            several = self.index.candidates(raw)
            if several:
                return Resolved(None, f"ambiguous: names {', '.join(several)}")
            return Resolved(None, "unmatched")
        if found.kind in UNIT_KINDS:
            return Resolved(found.id)
        if found.is_grouping:
            return Resolved(None, f"names the grouping department {found.id}, not a unit")
        return Resolved(None, f"names the external customer {found.id}, not a unit")

    def customer(self, raw: str | None, supplier: str) -> Resolved:
        """The internal (or external) customer a requester's or rater's name stands for,
        a grouping department resolved to its one role that depends on `supplier`."""
        if raw is None or not raw.strip():
            return Resolved(None, "empty")
        found = self.index.lookup(raw)
        if found is None:
            several = self.index.candidates(raw)
            if several:
                return Resolved(None, f"ambiguous: names {', '.join(several)}")
            return Resolved(None, "unmatched")
        if not found.is_grouping:
            return Resolved(found.id)
        roles = self.depending_roles(found.roles, supplier)
        if len(roles) == 1:
            return Resolved(roles[0])
        if not roles:
            return Resolved(None, f"grouping {found.id}: none of its roles depends on {supplier}")
        return Resolved(
            None,
            f"grouping {found.id}: several of its roles depend on {supplier} ({', '.join(roles)})",
        )

    def depending_roles(self, roles: tuple[str, ...], supplier: str) -> list[str]:
        """The roles among `roles` that depend on `supplier`, sorted."""
        return sorted(r for r in roles if (supplier, r) in self.declared)

    def suggestion(self, raw: str) -> str | None:
        """A did-you-mean for a name that matches nothing."""
        return self.index.suggest(raw)

    def lead_time(self, unit: str) -> float | None:
        """The lead time of a unit in the org, hours (None for one without)."""
        for u in self.org.units:
            if u.id == unit:
                return u.lead_time
        return None

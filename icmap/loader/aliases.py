"""`aliases:` of units, groupings and external customers: reading them, and one name one owner.

An alias may not be another unit's id, name or alias (compared trimmed and case-folded, as
the importers match names: icmap.names); such a clash is ICM310, naming both places.
"""

from __future__ import annotations

from typing import NamedTuple

from icmap.loader import values as v
from icmap.loader.values import Report
from icmap.model import Location
from icmap.names import normalize
from icmap.yamlsource import Node, Pairs


class AliasPlace(NamedTuple):
    """One alias as written: its text, whose it is, and where."""

    alias: str
    owner: str
    location: Location
    report: Report


class NamePlace(NamedTuple):
    """An id or name of a unit, grouping or external customer, and where it is defined."""

    name: str
    what: str  # "id" or "name"
    owner: str
    location: Location


def read_aliases(
    pairs: Pairs, owner: str, report: Report, places: list[AliasPlace]
) -> tuple[str, ...]:
    """The `aliases:` of one entry (a list of text), each also recorded in `places`."""
    if "aliases" not in pairs:
        return ()
    node: Node = pairs["aliases"]
    if node.value is None:
        return ()
    items = [node] if isinstance(node.value, str) else node.value
    if not isinstance(items, list):
        report.add("ICM201", node, f"aliases must be a list of names, not {v.type_name(items)}")
        return ()
    aliases: list[str] = []
    for item in items:
        alias = v.text(item, report, "an alias")
        if alias is None:
            continue
        if not alias.strip():
            report.add("ICM201", item, "an alias cannot be empty", "remove it, or write the name")
            continue
        aliases.append(alias)
        places.append(AliasPlace(alias, owner, report.at(item), report))
    return tuple(aliases)


def report_alias_clashes(aliases: list[AliasPlace], names: list[NamePlace]) -> None:
    """ICM310 for every alias that is another owner's id, name or earlier alias."""
    taken: dict[str, list[NamePlace]] = {}
    for place in names:
        taken.setdefault(normalize(place.name), []).append(place)
    for alias in aliases:
        key = normalize(alias.alias)
        other = next((p for p in taken.get(key, ()) if p.owner != alias.owner), None)
        if other is not None:
            whose = "an alias" if other.what == "alias" else f"the {other.what}"
            alias.report.add(
                "ICM310",
                alias.location,
                f"alias {alias.alias!r} of {alias.owner!r} is also {whose} of "
                f"{other.owner!r} (at {other.location})",
                "a name may stand for one unit only: remove the alias, or rename one of them",
            )
            continue
        taken.setdefault(key, []).append(
            NamePlace(alias.alias, "alias", alias.owner, alias.location)
        )

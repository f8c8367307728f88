"""Matching the names people write (in logs, surveys, spreadsheets) to the org's ids.

A unit, a grouping department or an external customer answers to its id, its `name` and each
of its `aliases`, compared after trimming and case-folding (docs/format.md, "aliases").
`NameIndex.of(org)` builds the index once; `match` gives the id, `lookup` says whether the
name stands for a grouping (and its roles), `suggest` gives a did-you-mean.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from icmap.model import Org

__all__ = ["NameIndex", "NameMatch", "closest", "did_you_mean", "normalize", "suggest"]


def normalize(name: str) -> str:
    """A name as it is compared: trimmed and case-folded (`" IT Desk "` -> `"it desk"`)."""
    return name.strip().casefold()


def suggest(word: str, choices: Iterable[str]) -> str:
    """A did-you-mean phrase for a misspelt word, or an empty string."""
    close = closest(word, choices)
    return f"did you mean {close!r}?" if close is not None else ""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to `word` (difflib, cutoff 0.6; else one equal but for case)."""
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return close[0]
    lowered = {c.lower(): c for c in choices}
    return lowered.get(word.lower())


def did_you_mean(wanted: str, known: Mapping[str, str], *, limit: int = 3) -> tuple[str, ...]:
    """The ids in `known` (id -> name) closest to what the user typed, best first.

    Matches an id or a name, case-insensitively, so a user who types a name (or part of
    one) is pointed to its id. The one did-you-mean of icmap with `closest` (which picks
    one word among words): both use difflib with the same cutoff.
    """
    by_text: dict[str, str] = {}
    for key in sorted(known):
        by_text.setdefault(key.lower(), key)
        by_text.setdefault(known[key].lower(), key)
    matches = difflib.get_close_matches(wanted.lower(), list(by_text), n=2 * limit, cutoff=0.6)
    return tuple(dict.fromkeys(by_text[m] for m in matches))[:limit]


@dataclass(frozen=True, slots=True)
class NameMatch:
    """What a name stands for.

    `kind` is `role`, `department` (a department without roles: a unit), `grouping` (a
    department with roles: the name stands for its `roles`) or `external_customer`.
    """

    id: str
    kind: str
    roles: tuple[str, ...] = ()

    @property
    def is_grouping(self) -> bool:
        """True when the name is a department with roles, standing for those roles."""
        return self.kind == "grouping"


@dataclass(frozen=True, slots=True)
class NameIndex:
    """Every id, name and alias of an org, normalized, to the things they name."""

    _matches: dict[str, tuple[NameMatch, ...]] = field(default_factory=dict)
    _spelt: dict[str, str] = field(default_factory=dict)  # normalized -> as first written

    @classmethod
    def of(cls, org: Org) -> NameIndex:
        """The index of an org's units, grouping departments and external customers.

        An id outranks a name or alias that happens to be spelt the same: `match("billing")`
        is the unit whose id is `billing`, even if another unit is *named* Billing.
        """
        named: list[tuple[NameMatch, str, tuple[str, ...]]] = []
        for unit in org.units:
            named.append((NameMatch(unit.id, unit.kind), unit.name, unit.aliases))
        for dept in org.departments:
            named.append((NameMatch(dept.id, "grouping", dept.roles), dept.name, dept.aliases))
        for customer in org.external_customers:
            match = NameMatch(customer.id, "external_customer")
            named.append((match, customer.name, customer.aliases))
        by_id: dict[str, list[NameMatch]] = {}
        by_name: dict[str, list[NameMatch]] = {}
        spelt: dict[str, str] = {}
        for match, name, aliases in named:
            by_id.setdefault(normalize(match.id), []).append(match)
            spelt.setdefault(normalize(match.id), match.id)
            for word in (name, *aliases):
                if word:
                    key = normalize(word)
                    spelt.setdefault(key, word)
                    found = by_name.setdefault(key, [])
                    if match not in found:
                        found.append(match)
        matches = {key: tuple(found) for key, found in by_name.items()}
        matches.update((key, tuple(found)) for key, found in by_id.items())
        return cls(matches, spelt)

    def with_names(self, names: Mapping[str, str]) -> NameIndex:
        """A copy in which each name in `names` (as in a `--map` file) stands for its id.

        A mapped name replaces what the org would have matched; an id that the org does not
        have raises KeyError (the importer reports it).
        """
        known = {m.id: m for found in self._matches.values() for m in found}
        matches = dict(self._matches)
        spelt = dict(self._spelt)
        for name, ident in sorted(names.items()):
            key = normalize(name)
            matches[key] = (known[ident],)
            spelt.setdefault(key, name)
        return NameIndex(matches, spelt)

    def lookup(self, raw_name: str) -> NameMatch | None:
        """What `raw_name` names, or None when it names nothing or several things."""
        found = self._matches.get(normalize(raw_name), ())
        return found[0] if len(found) == 1 else None

    def match(self, raw_name: str) -> str | None:
        """The id `raw_name` names (by id, name or alias), or None (unknown or ambiguous)."""
        found = self.lookup(raw_name)
        return None if found is None else found.id

    def candidates(self, raw_name: str) -> tuple[str, ...]:
        """Every id that `raw_name` could name, sorted: several when it is ambiguous."""
        return tuple(sorted(m.id for m in self._matches.get(normalize(raw_name), ())))

    def suggest(self, raw_name: str) -> str | None:
        """For a name that matches nothing: the known id, name or alias closest to it.

        Returned as it is written in the org (`IT Service Desk`), so a report can say
        "did you mean 'IT Service Desk'?"; `match()` of it gives the id.
        """
        close = closest(normalize(raw_name), self._spelt)
        return None if close is None else self._spelt[close]

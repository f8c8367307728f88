"""Named scenarios: lists of changes read from the command line or a `--scenario` file.

A scenario file is YAML: `scenarios: {name: [change, ...], ...}`, each change a string as
`icmap whatif` takes it. Applying a scenario gives the changed org and every error that
`icmap check` would find in it (a bad value, a dependency loop), each naming the scenario.
"""

from __future__ import annotations

from dataclasses import dataclass

from icmap.change.whatif import Change, ChangeError, apply_changes, parse_change
from icmap.graph import build_graph
from icmap.model import Finding, Level, Org
from icmap.validate import validate
from icmap.yamlsource import Node, key_node, parse


class ScenarioError(Exception):
    """A scenario file cannot be read or is not shaped as scenarios (the command cannot run)."""


@dataclass(frozen=True, slots=True)
class Scenario:
    """A named list of changes; `where` is `file:line:col: ` when it came from a file."""

    name: str
    changes: tuple[Change, ...]
    where: str = ""

    def apply(self, org: Org) -> tuple[Org, tuple[Finding, ...]]:
        """The changed org and the errors it has (empty when it is a valid org).

        Raises `ChangeError` when a change names something the org does not have.
        """
        applied = apply_changes(org, self.changes)
        if applied.findings:
            return applied.org, applied.findings
        errors = tuple(
            Finding(
                f.code, f.level, f"{f.message} (after scenario {self.name!r})", f.location, f.hint
            )
            for f in validate(build_graph(applied.org))
            if f.level is Level.ERROR
        )
        return applied.org, errors


def read_scenarios(path: str) -> list[Scenario]:
    """The scenarios of a file, in the order written."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ScenarioError(f"{path}: cannot read the scenario file: {reason}") from None
    source = parse(text)
    if source.problems:
        first = source.problems[0]
        raise ScenarioError(f"{path}:{first.line}:{first.column}: {first.message}")
    root = source.root
    shape = f"{path}: write `scenarios:` with a list of changes under each name"
    if root is None or not root.is_mapping or set(root.value) != {"scenarios"}:
        raise ScenarioError(shape)
    named = root.value["scenarios"]
    if not named.is_mapping or not named.value:
        raise ScenarioError(f"{_at(path, named)}{shape.split(': ', 1)[1]}")
    found = []
    for name, items in named.value.items():
        where = _at(path, key_node(named.value, name))
        entries = [items] if isinstance(items.value, str) else items.value
        if not isinstance(entries, list) or not entries:
            raise ScenarioError(f"{where}scenario {name!r} must be a list of changes")
        changes = []
        for entry in entries:
            if not isinstance(entry.value, str):
                raise ScenarioError(
                    f"{_at(path, entry)}a change must be text, e.g. 'billing.lead_time=1d'"
                )
            try:
                changes.append(parse_change(entry.value))
            except ChangeError as exc:
                raise ScenarioError(f"{_at(path, entry)}{exc}") from None
        found.append(Scenario(str(name), tuple(changes), where))
    return found


def _at(path: str, node: Node | object) -> str:
    line, column = getattr(node, "line", 1), getattr(node, "column", 1)
    return f"{path}:{line}:{column}: "

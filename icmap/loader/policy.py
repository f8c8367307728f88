"""Reading `policy:` (in the main org file, or alone in a `--policy FILE`) into a Policy.

Each rule keeps where it is written, so that a violation can name the policy's own
`file:line`. Only the values are checked here; whether a customer named in
`max_critical_path` exists is known once the whole org is read (icmap.analysis.policy).
"""

from __future__ import annotations

from icmap.format import POLICY_CHOICES, SECTIONS
from icmap.loader import values as v
from icmap.loader.values import Report
from icmap.model import Finding, Location, Policy, PolicyRule, Settings
from icmap.yamlsource import Node, key_node, parse

_BOOLEAN = ("deadlines_met", "require_standard")
_NUMBER = ("max_utilization", "max_breach_ratio")
_CHOICE = ("orphans", "single_points_of_failure")
_SHARE = ("min_complete_accurate", "min_on_time_probability")


def read_policy(node: Node, report: Report, settings: Settings) -> Policy | None:
    """The `policy:` section; rules with a bad value are reported and left out."""
    if node.value is None:
        return Policy()
    if not isinstance(node.value, dict):
        report.add("ICM201", node, f"policy must be a mapping, not {v.type_name(node.value)}")
        return None
    pairs = v.check_keys(node, "policy", report, "policy")
    rules = []
    for name in SECTIONS["policy"]:
        if name not in pairs:
            continue
        value_node = pairs[name]
        value = _value(name, value_node, report, settings)
        if value is not None:
            rules.append(PolicyRule(name, value, report.at(key_node(pairs, name))))
    return Policy(tuple(rules))


def _value(name: str, node: Node, report: Report, settings: Settings) -> object | None:
    """A rule's value as the Policy holds it, or None after reporting why it is wrong."""
    what = f"policy {name}"
    if name == "max_critical_path":
        return _durations(node, report, settings)
    if name in _BOOLEAN:
        flag = v.boolean(node, report, what)
        if flag is False:
            return None  # `false` asks for nothing: the same as leaving the rule out
        return flag
    if name in _NUMBER:
        return v.number(node, report, what)
    if name in _CHOICE:
        choice = v.text(node, report, what)
        if choice is not None and choice not in POLICY_CHOICES:
            message = f"policy {name} {choice!r} is not one of {', '.join(POLICY_CHOICES)}"
            report.add("ICM212", node, v.with_suggestion(message, choice, POLICY_CHOICES))
            return None
        return choice
    if name == "min_satisfaction":
        return v.rating(node, report, settings, what)
    if name in _SHARE:
        return v.percentage(node, report, what)
    raise AssertionError(f"policy rule {name} has no reader")  # the table and this agree


def _durations(
    node: Node, report: Report, settings: Settings
) -> tuple[tuple[str | None, float, Location], ...] | None:
    """max_critical_path: one duration (every customer), or durations by customer id with
    `default` for the rest."""
    if not isinstance(node.value, dict):
        hours = v.duration(node, report, settings, "policy max_critical_path")
        return None if hours is None else ((None, hours, report.at(node)),)
    entries = []
    for key, value_node in node.value.items():
        hours = v.duration(value_node, report, settings, f"policy max_critical_path {key}")
        if hours is not None:
            customer = None if key == "default" else str(key)
            entries.append((customer, hours, report.at(key_node(node.value, key))))
    return tuple(entries)


def load_policy_file(path: str, settings: Settings) -> tuple[Policy | None, tuple[Finding, ...]]:
    """A file holding just `policy:` (for `icmap check --policy FILE`), read with the org's
    settings (a day is its hours_per_day). The findings are the file's own problems; the
    policy is None when the file is unusable."""
    from icmap.loader import read_text

    report = Report(path)
    content = read_text(path, report)
    if content is None:
        return None, tuple(report.findings)
    source = parse(content)
    for problem in source.problems:
        report.add(problem.code, Location(path, problem.line, problem.column), problem.message)
    root = source.root
    if root is None or not isinstance(root.value, dict) or "policy" not in root.value:
        if not source.problems:
            report.add(
                "ICM201",
                root if root is not None else Location(path, 1, 1),
                "a policy file must be a mapping with one key, `policy:`",
                "write `policy:` and the rules under it (docs/format.md, policy)",
            )
        return None, tuple(report.findings)
    for key in root.value:
        if key != "policy":
            report.add(
                "ICM200",
                key_node(root.value, key),
                f"unknown key {key!r} in a policy file",
                "a policy file holds only `policy:`",
            )
    policy = read_policy(root.value["policy"], report, settings)
    return policy, tuple(report.findings)

"""The catalogue of finding codes: one stable code per kind of problem, with its default level.

Codes never change meaning once released; `docs/codes.md` documents each one and a test keeps
the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from icmap.model import Level


@dataclass(frozen=True, slots=True)
class Rule:
    """A kind of problem icmap can report."""

    code: str
    name: str
    level: Level
    summary: str


_E, _W = Level.ERROR, Level.WARNING

RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        # 0xx: the file itself
        Rule("ICM001", "file-unreadable", _E, "The file does not exist or cannot be read."),
        Rule("ICM002", "not-utf8", _E, "The file is not valid UTF-8 text."),
        Rule(
            "ICM003",
            "not-a-regular-file",
            _E,
            "The file is a directory, a device, a FIFO, a socket or a system file (/proc).",
        ),
        Rule("ICM004", "file-too-large", _E, "The file is larger than 64 MiB; it is not read."),
        # 1xx: YAML
        Rule("ICM100", "yaml-syntax", _E, "The file is not valid YAML."),
        Rule("ICM101", "duplicate-key", _E, "The same key appears twice in one mapping."),
        Rule(
            "ICM102",
            "boolean-key",
            _E,
            "A key such as `on`, `yes` or `no` that YAML 1.1 reads as true/false.",
        ),
        Rule(
            "ICM103",
            "alias-expansion",
            _E,
            "Anchors and aliases expand to far more data than the file holds (an alias bomb).",
        ),
        Rule(
            "ICM104",
            "unsupported-tag",
            _E,
            "A YAML tag that safe loading does not allow (`!!python/object`), or one on the "
            "wrong kind of value (`!!map [x]`).",
        ),
        Rule("ICM105", "multiple-documents", _E, "The file holds more than one YAML document."),
        Rule("ICM106", "empty-file", _E, "The file holds no org definition."),
        Rule(
            "ICM107",
            "number-too-large",
            _E,
            "An integer too large for any figure (2**1024 or more), such as 0x and 5,000 digits.",
        ),
        # 2xx: structure and values
        Rule("ICM200", "unknown-key", _E, "A key the org format does not know (often a typo)."),
        Rule(
            "ICM201",
            "wrong-type",
            _E,
            "A value of the wrong type, e.g. a list where a mapping belongs.",
        ),
        Rule("ICM202", "missing-key", _E, "A required key is missing."),
        Rule(
            "ICM203",
            "format-version",
            _E,
            "The `icmap:` format version is missing or not supported.",
        ),
        Rule(
            "ICM204",
            "bad-duration",
            _E,
            "A duration that cannot be read (`2 days` for `2d`), or one too long to be real.",
        ),
        Rule(
            "ICM205",
            "bad-percentage",
            _E,
            "A `complete_accurate` value that is not a percentage or a fraction 0-1.",
        ),
        Rule(
            "ICM206",
            "negative-number",
            _E,
            "A duration, capacity, volume or headcount below its minimum.",
        ),
        Rule(
            "ICM207",
            "estimate-order",
            _E,
            "A three-point lead time whose values are not optimistic <= likely <= pessimistic.",
        ),
        Rule(
            "ICM208", "process-above-lead", _E, "A `process_time` longer than the unit's lead time."
        ),
        Rule(
            "ICM209",
            "satisfaction-scale",
            _E,
            "A satisfaction rating outside `satisfaction_scale`.",
        ),
        Rule("ICM210", "bad-id", _E, "An id that does not match `^[A-Za-z0-9][A-Za-z0-9_.-]*$`."),
        Rule(
            "ICM211",
            "bad-setting",
            _E,
            "A setting with an impossible value (unknown time unit, empty scale, ...).",
        ),
        Rule(
            "ICM212",
            "bad-choice",
            _E,
            "A value outside its list of choices, e.g. an unknown dependency `kind`.",
        ),
        Rule(
            "ICM213",
            "include-setting",
            _E,
            "An included file sets something only the main file may set.",
        ),
        Rule(
            "ICM214",
            "grouping-with-unit-fields",
            _E,
            "A department that has roles also has unit fields (`lead_time`, `depends_on`, ...).",
        ),
        Rule(
            "ICM215",
            "bad-label",
            _E,
            "A name or label that is blank, has a blank line, or holds a control character (a tab).",
        ),
        # 3xx: references and ids
        Rule(
            "ICM220",
            "bad-period",
            _E,
            "A measurement `period` that is not two dates, the first not after the second.",
        ),
        Rule(
            "ICM221",
            "p90-below-actual",
            _E,
            "A measured `actual_p90` below the mean `actual` of the same handoff.",
        ),
        Rule(
            "ICM222",
            "unknown-timezone",
            _E,
            "A `settings.timezone` that is not an IANA time zone name.",
        ),
        Rule(
            "ICM300",
            "duplicate-id",
            _E,
            "Two units, departments or external customers share an id.",
        ),
        Rule(
            "ICM301",
            "unknown-reference",
            _E,
            "A `depends_on` or `department` names an id that does not exist.",
        ),
        Rule(
            "ICM302",
            "ambiguous-reference",
            _E,
            "A reference that is not an id but matches the names of several units.",
        ),
        Rule(
            "ICM303",
            "department-reference",
            _E,
            "A dependency on a department that has roles; depend on one of its roles.",
        ),
        Rule(
            "ICM304",
            "customer-as-supplier",
            _E,
            "A dependency on an external customer; external customers only receive.",
        ),
        Rule(
            "ICM305",
            "duplicate-dependency",
            _E,
            "The same supplier is listed twice for one customer.",
        ),
        Rule(
            "ICM306",
            "role-in-two-departments",
            _E,
            "A nested role also names a different `department:`.",
        ),
        Rule(
            "ICM310",
            "alias-clash",
            _E,
            "An alias that is also another unit's id, name or alias: a name must mean one unit.",
        ),
        Rule(
            "ICM311",
            "figure-set-twice",
            _E,
            "A handoff figure given both in its dependency and in a measurement, or in two "
            "measurements of one pair.",
        ),
        Rule(
            "ICM312",
            "measured-grouping",
            _E,
            "A measurement whose supplier or customer is a department with roles.",
        ),
        # 4xx: includes
        Rule(
            "ICM400",
            "include-missing",
            _E,
            "An `include` names a file or pattern that matches nothing.",
        ),
        Rule("ICM401", "include-loop", _E, "Files include each other in a loop."),
        Rule(
            "ICM402",
            "include-outside-root",
            _E,
            "An include (or the main file) resolves outside the include root: an absolute "
            "path, `..` or a symbolic link out of it.",
        ),
        Rule(
            "ICM403",
            "include-bad-name",
            _E,
            "An include name that can name no file: empty, blank, or holding a NUL byte.",
        ),
        # 5xx: the graph
        Rule(
            "ICM500",
            "dependency-cycle",
            _E,
            "Non-feedback dependencies form a loop, so no unit on it can ever start.",
        ),
        Rule(
            "ICM501",
            "orphan-unit",
            _W,
            "A unit with no path to any external customer: nobody who pays depends on it.",
        ),
        Rule(
            "ICM502",
            "no-external-customer",
            _E,
            "The org has no external customer, so value has nowhere to go.",
        ),
        Rule(
            "ICM503", "idle-external-customer", _W, "An external customer that depends on nobody."
        ),
        Rule(
            "ICM510",
            "undeclared-handoff",
            _W,
            "A measurement of a handoff the org does not declare: its supplier is not in the "
            "customer's `depends_on`.",
        ),
        # 6xx: the org's own policy (`policy:` or `icmap check --policy FILE`)
        Rule(
            "ICM600",
            "policy-critical-path",
            _E,
            "An external customer's critical path is longer than policy max_critical_path.",
        ),
        Rule(
            "ICM601",
            "policy-deadline",
            _E,
            "An external customer's critical path misses its deadline (policy deadlines_met).",
        ),
        Rule(
            "ICM602",
            "policy-utilization",
            _E,
            "A unit's utilization is above policy max_utilization.",
        ),
        Rule(
            "ICM603",
            "policy-breach-ratio",
            _E,
            "A dependency's actual ÷ standard is above policy max_breach_ratio.",
        ),
        Rule(
            "ICM604",
            "policy-standard",
            _E,
            "A non-feedback dependency has no standard (policy require_standard).",
        ),
        Rule("ICM605", "policy-orphan", _E, "An orphan unit, and the policy forbids orphans."),
        Rule(
            "ICM606",
            "policy-single-point-of-failure",
            _E,
            "A single point of failure, and the policy forbids them.",
        ),
        Rule(
            "ICM607",
            "policy-satisfaction",
            _E,
            "A dependency's satisfaction is below policy min_satisfaction.",
        ),
        Rule(
            "ICM608",
            "policy-complete-accurate",
            _E,
            "A dependency's %C&A is below policy min_complete_accurate.",
        ),
        Rule(
            "ICM609",
            "policy-on-time-probability",
            _E,
            "An external customer's simulated on-time probability is below policy "
            "min_on_time_probability.",
        ),
        Rule(
            "ICM620",
            "policy-unknown-customer",
            _E,
            "policy max_critical_path names an id that is no external customer.",
        ),
        # 7xx: spreadsheets (icmap import sheet); cells, not YAML, so no YAML case shows them
        Rule(
            "ICM700",
            "bad-column",
            _E,
            "A sheet's header names a column the sheet does not have, or one column twice.",
        ),
        Rule(
            "ICM701",
            "bad-unit-kind",
            _E,
            "A units-sheet row whose `kind` is not role, department or external_customer.",
        ),
        Rule(
            "ICM702",
            "unknown-customer-row",
            _E,
            "A dependencies-sheet row whose customer is no row of the units sheet.",
        ),
        Rule(
            "ICM703",
            "cell-not-for-kind",
            _E,
            "A units-sheet cell that does not apply to the row's kind (a role's `deadline`).",
        ),
    )
}

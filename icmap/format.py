"""The org file format, version 1, as data: every section, its keys, their types and meaning.

The loader checks keys against these tables and `icmap schema` builds its JSON Schema from
them, so the two can never disagree about which keys exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from icmap.model import DEPENDENCY_KINDS, TIME_UNITS, WEEKDAYS

FORMAT_VERSION = 1
POLICY_CHOICES = ("allowed", "forbidden")
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
DURATION_PATTERN = r"^\s*([0-9]+(\.[0-9]+)?|\.[0-9]+)\s*(m|min|h|d|w)(\s*([0-9]+(\.[0-9]+)?|\.[0-9]+)\s*(m|min|h|d|w))*\s*$"
#: A percentage from 0% to 100% (leading zeros allowed, as the loader reads them).
PERCENT_PATTERN = r"^\s*0*(100(\.0+)?|[0-9]{1,2}(\.[0-9]+)?)\s*%\s*$"
#: The longest duration icmap reads (about 114,000 years): anything longer is a slip of the
#: keyboard, and sums of such figures would lose every hour to rounding.
LONGEST_HOURS = 1_000_000_000
WORKING_HOURS_PATTERN = r"^\s*\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}\s*$"


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a section: its name, value type, whether it is required, and what it means.

    Types: `text`, `label` (text shown as a label: not blank, no control character), `id`, `reference`, `duration`, `lead_time` (duration or three-point),
    `number`, `integer`, `percentage`, `rating`, `boolean`, `tags`, `choice`, `scale`,
    `version`, `includes`, `working_hours`, `working_days`, `dimensions`, `period`, or the
    name of another section (`section:NAME`, `list:NAME`), or `dependencies`.
    """

    name: str
    type: str
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    minimum_excluded: bool = False  # the value must be more than `minimum`
    maximum: float | None = None


def _fields(*fields: Field) -> dict[str, Field]:
    return {f.name: f for f in fields}


_ALIASES = (
    "Other names it goes by in ticket logs, event logs, surveys and spreadsheets "
    "(matched trimmed and case-folded), e.g. [Group 4, IT Service Desk]."
)
_UNIT_FIELDS = (
    Field("id", "id", "Unique id, used in `depends_on`.", required=True),
    Field("name", "label", "Name shown in reports and charts (defaults to the id)."),
    Field("description", "text", "What this unit does."),
    Field("owner", "label", "Who is accountable for it."),
    Field("tags", "tags", "Free labels, e.g. [frontline, night-shift]."),
    Field("aliases", "tags", _ALIASES),
    Field(
        "lead_time",
        "lead_time",
        "Time from request to handoff: a duration or a three-point estimate.",
    ),
    Field("process_time", "duration", "Hands-on work time within the lead time."),
    Field("capacity", "number", "Requests it can serve per week.", minimum=0),
    Field("headcount", "integer", "People in this role.", minimum=1),
    Field("depends_on", "dependencies", "Its suppliers: ids, or mappings with service figures."),
)

SECTIONS: dict[str, dict[str, Field]] = {
    "org": _fields(
        Field("icmap", "version", "Format version; must be 1.", required=True),
        Field("organization", "label", "The organization's name.", required=True),
        Field("settings", "section:settings", "How numbers and durations are read."),
        Field("external_customers", "list:external_customer", "The customers who pay."),
        Field("departments", "list:department", "Departments, with their roles nested."),
        Field("roles", "list:role", "Roles listed flat; `department:` places one in a department."),
        Field("include", "includes", "More files of the same org (globs, relative to this file)."),
        Field(
            "measurements",
            "list:measurement",
            "Measured figures of handoffs (written by `icmap import`), kept apart from the "
            "structure.",
        ),
        Field("policy", "section:policy", "Rules the org must keep; `icmap check` enforces them."),
    ),
    "policy": _fields(
        Field(
            "max_critical_path",
            "policy_duration",
            "Longest critical path allowed: a duration for every external customer, or "
            "{customer: duration, default: duration}.",
        ),
        Field(
            "deadlines_met", "boolean", "Every external customer with a deadline gets it in time."
        ),
        Field("max_utilization", "number", "Highest utilization allowed, e.g. 0.95.", minimum=0),
        Field("max_breach_ratio", "number", "Highest actual ÷ standard allowed.", minimum=0),
        Field("require_standard", "boolean", "Every non-feedback dependency has a standard."),
        Field(
            "orphans",
            "choice",
            "forbidden: an orphan is an error (default allowed: a warning).",
            choices=POLICY_CHOICES,
        ),
        Field(
            "single_points_of_failure",
            "choice",
            "forbidden: a single point of failure is an error (default allowed).",
            choices=POLICY_CHOICES,
        ),
        Field("min_satisfaction", "rating", "Lowest satisfaction allowed on a dependency."),
        Field("min_complete_accurate", "percentage", "Lowest %C&A allowed on a dependency."),
        Field(
            "min_on_time_probability",
            "percentage",
            "Lowest share of simulated runs finishing by the deadline (icmap simulate).",
        ),
    ),
    "settings": _fields(
        Field("time_unit", "choice", "Unit of bare numbers in durations.", choices=TIME_UNITS),
        Field(
            "hours_per_day",
            "number",
            "Length of a working day: `1d` = this many hours.",
            minimum=0,
            minimum_excluded=True,
            maximum=24,
        ),
        Field(
            "days_per_week",
            "number",
            "Working days in a week: `1w` = this many days.",
            minimum=0,
            minimum_excluded=True,
            maximum=7,
        ),
        Field("satisfaction_scale", "scale", "Lowest and highest survey rating, e.g. [1, 5]."),
        Field(
            "utilization_warning",
            "number",
            "Utilization at or above which a unit is flagged.",
            minimum=0,
        ),
        Field(
            "working_hours",
            "working_hours",
            'The working part of each working day, e.g. "09:00-17:00": importers count only '
            "this time (none: calendar time).",
        ),
        Field(
            "working_days",
            "working_days",
            "Days on which `working_hours` count (default [mon, tue, wed, thu, fri]).",
            choices=WEEKDAYS,
        ),
        Field(
            "timezone",
            "text",
            "IANA time zone (e.g. Europe/Berlin) of log timestamps that carry no offset "
            "(default UTC).",
        ),
        Field(
            "simulation",
            "section:simulation",
            "Defaults of `icmap simulate` and of the policy rule min_on_time_probability.",
        ),
    ),
    "simulation": _fields(
        Field("runs", "integer", "Runs to simulate (default 10000).", minimum=1),
        Field(
            "seed",
            "integer",
            "Random seed: the same seed, the same figures (default 1).",
            minimum=0,
        ),
    ),
    "external_customer": _fields(
        Field("id", "id", "Unique id.", required=True),
        Field("name", "label", "Name shown in reports and charts (defaults to the id)."),
        Field("description", "text", "Who this customer is."),
        Field("aliases", "tags", _ALIASES),
        Field(
            "deadline",
            "duration",
            "What the customer is promised: the time within which the work must reach them.",
        ),
        Field("depends_on", "dependencies", "The units that serve this customer directly."),
    ),
    "department": _fields(
        *_UNIT_FIELDS,
        Field(
            "roles",
            "list:nested_role",
            "Its roles. A department with roles is a grouping; without, it is a unit.",
        ),
    ),
    "role": _fields(
        *_UNIT_FIELDS,
        Field("department", "reference", "The department this flat role belongs to."),
    ),
    "nested_role": _fields(
        *_UNIT_FIELDS,
        Field("department", "reference", "Optional; if given, must be the enclosing department."),
    ),
    "dependency": _fields(
        Field("supplier", "reference", "Id of the unit depended on.", required=True),
        Field("provides", "label", "What the supplier hands over."),
        Field("kind", "choice", "What kind of handoff it is.", choices=DEPENDENCY_KINDS),
        Field("standard", "duration", "Agreed response time (the service standard)."),
        Field(
            "actual",
            "lead_time",
            "Measured response time: a duration or a three-point estimate.",
        ),
        Field(
            "complete_accurate",
            "percentage",
            "Share of handoffs that arrive complete and accurate (%C&A): `85%` or 0.85.",
        ),
        Field(
            "satisfaction",
            "rating",
            "How satisfied the internal customer is, on `satisfaction_scale`.",
        ),
        Field("volume", "number", "Requests per week to this supplier.", minimum=0),
        Field("feedback", "boolean", "Information flowing back: drawn, but not part of any path."),
    ),
    "measurement": _fields(
        Field("supplier", "reference", "Id of the supplier unit.", required=True),
        Field(
            "customer",
            "reference",
            "Id of the internal or external customer that depends on it.",
            required=True,
        ),
        Field(
            "actual",
            "lead_time",
            "Mean measured response time: a duration or a three-point estimate.",
        ),
        Field("actual_p90", "duration", "90% of requests were served within this."),
        Field("volume", "number", "Requests a week over the period.", minimum=0),
        Field("complete_accurate", "percentage", "Share of handoffs not sent back."),
        Field(
            "within_standard",
            "percentage",
            "Share served within the dependency's standard.",
        ),
        Field("satisfaction", "rating", "Mean rating, on `satisfaction_scale`."),
        Field("responses", "integer", "Survey responses behind `satisfaction`.", minimum=1),
        Field("dimensions", "dimensions", "Mean rating per survey dimension."),
        Field(
            "samples",
            "integer",
            "Observations behind `actual`, `volume` and `complete_accurate`.",
            minimum=1,
        ),
        Field(
            "period", "period", "The dates measured: [first, last], e.g. [2026-10-01, 2026-11-30]."
        ),
        Field("source", "text", "Where the figures come from, e.g. the export's file name."),
    ),
    "estimate": _fields(
        Field("optimistic", "duration", "Best case.", required=True),
        Field("likely", "duration", "Most likely.", required=True),
        Field("pessimistic", "duration", "Worst case.", required=True),
    ),
}

#: Keys only a department with no roles (a unit) may use.
UNIT_ONLY_KEYS = ("lead_time", "process_time", "capacity", "headcount", "depends_on")
#: Keys an included file may not set (they belong to the main file).
MAIN_FILE_ONLY_KEYS = ("settings", "policy")

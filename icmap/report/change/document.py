"""The report document of `icmap diff` and `icmap whatif`, for the text and markdown renderers.

Sections in the order of what matters to the external customer: a one-line verdict, the
customers (critical path, slack, on time or late, who joined or left the path), floats that
moved, bottleneck ranks, breaches, orphans and single points of failure, the structure; and
for `whatif --suggest` the best single changes. Each table shows at most `rows` rows and
says how many more there are (the json report lists every one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from icmap import formatting
from icmap.change.diff import OrgDiff
from icmap.change.suggest import Suggestion
from icmap.model import Org
from icmap.report import document as d

#: Rows per table in a people's report; markdown may be cut further to fit a PR comment.
ROWS = 10


def change_document(
    diffs: Sequence[tuple[str, OrgDiff]],
    old: str,
    new: str,
    *,
    scenarios: bool = False,
    suggestions: dict[str, tuple[Suggestion, ...]] | None = None,
    baseline: Org | None = None,
    rows: int = ROWS,
) -> d.Document:
    """The document of one diff (old -> new), or of each named scenario against the baseline;
    `suggestions` (of `whatif --suggest`) name the units of `baseline`."""
    sections: list[d.Section] = []
    for name, diff in diffs:
        prefix = f"{name}: " if scenarios else ""
        sections.extend(_Diff(diff, rows, prefix, scenarios).sections())
    if suggestions is not None and baseline is not None:
        sections.append(_suggestions(suggestions, baseline, rows))
    title = d.line(f"What changes: {old} → {new}")
    return d.Document(title, tuple(sections))


class _Diff:
    def __init__(self, diff: OrgDiff, rows: int, prefix: str, scenarios: bool) -> None:
        self.diff = diff
        self.rows = rows
        self.prefix = prefix
        self.level = 2 if scenarios else 1
        self.key = prefix.rstrip(": ").replace(" ", "-") + ":" if prefix else ""
        settings = diff.new.org.settings
        self.per_day = settings.hours_per_day
        self.labels = {u.id: u.label for u in (*diff.old.org.units, *diff.new.org.units)}
        for customer in (*diff.old.org.external_customers, *diff.new.org.external_customers):
            self.labels[customer.id] = customer.label

    # -- spans

    def name(self, node_id: str) -> d.Span:
        return d.name(node_id, self.labels.get(node_id, node_id))

    def hours(self, value: float | None) -> d.Span:
        return d.duration(value, self.per_day)

    def delta(self, value: float | None) -> d.Span:
        """A change in hours, signed: `+5h` is later (bad), `-30m` sooner (good)."""
        if value is None:
            return d.plain(formatting.UNKNOWN)
        if abs(value) < 1e-9:
            return d.plain("±0")
        tone = "bad" if value > 0 else "good"
        span = d.duration(value, self.per_day, tone)
        return span if value < 0 else d.Span("+" + span.text, span.kind, span.value, tone)

    def old_new(self, old: d.Span, new: d.Span) -> d.Line:
        return (old, d.plain(" → "), new)

    def section(self, key: str, title: str, blocks: Iterable[d.Block]) -> d.Section:
        return d.Section(self.key + key, d.line(self.prefix + title), tuple(blocks), self.level)

    def table(
        self,
        title: str,
        columns: Sequence[d.Column],
        items: Sequence[Any],
        row: Callable[[Any], tuple[d.Cell, ...]],
    ) -> d.Table:
        shown = items[: self.rows]
        rest = len(items) - len(shown)
        more = d.Note(f"… and {rest:,} more (-f json lists every one)") if rest else None
        return d.Table(title, tuple(columns), tuple(row(i) for i in shown), more)

    # -- sections

    def sections(self) -> list[d.Section]:
        diff = self.diff
        found = [self.section("verdict", "Verdict", [d.Paragraph(self.verdict())])]
        if diff.customers:
            found.append(self.customers())
        if diff.float_changes:
            found.append(self.floats())
        if diff.bottlenecks:
            found.append(self.bottlenecks())
        if diff.breaches_new or diff.breaches_resolved:
            found.append(self.breaches())
        risks = self.risks()
        if risks.rows:
            found.append(self.section("risks", "Orphans and single points of failure", [risks]))
        structure = self.structure()
        if structure:
            found.append(self.section("structure", "Structure", structure))
        return found

    def verdict(self) -> d.Line:
        diff = self.diff
        if not diff.changed:
            return d.line(d.plain("No change", "strong"), ": the two orgs give the same figures.")
        late = [c for c in diff.customers if c.new_late and not c.old_late]
        longer = [c for c in diff.customers if (c.delta or 0) > 1e-9]
        shorter = [c for c in diff.customers if (c.delta or 0) < -1e-9]
        parts: list[d.Span] = []
        if diff.worse:
            parts.append(d.plain("Worse", "bad"))
        elif longer or late:
            parts.append(d.plain("Changed", "strong"))
        elif shorter:
            parts.append(d.plain("Better", "good"))
        else:
            parts.append(d.plain("Changed", "strong"))
        clauses: list[list[d.Span]] = []
        for change in (*longer, *shorter):
            word = "longer" if (change.delta or 0) > 0 else "shorter"
            clauses.append(
                [
                    d.plain("the critical path to "),
                    self.name(change.customer),
                    d.plain(" is "),
                    self.hours(abs(change.delta or 0.0)),
                    d.plain(f" {word}"),
                ]
            )
        for change in late:
            clauses.append([self.name(change.customer), d.plain(" is now late", "bad")])
        counts = [
            (diff.breaches_new, "new breach", "new breaches"),
            (diff.orphans_new, "new orphan", "new orphans"),
            (
                diff.single_points_of_failure_new,
                "new single point of failure",
                "new single points of failure",
            ),
        ]
        for items, one, many in counts:
            if items:
                clauses.append([d.plain(formatting.plural(len(items), one, many))])
        if not clauses:
            clauses.append([d.plain("no customer's critical path moved")])
        line: list[d.Span] = [*parts, d.plain(": ")]
        for position, clause in enumerate(clauses):
            if position:
                line.append(d.plain("; "))
            line.extend(clause)
        line.append(d.plain("."))
        return tuple(line)

    def customers(self) -> d.Section:
        def row(c: Any) -> tuple[d.Cell, ...]:
            on_time = "n/a" if c.new_late is None else ("late" if c.new_late else "on time")
            was = (
                ""
                if c.old_late is None or c.old_late == c.new_late
                else (" (was late)" if c.old_late else " (was on time)")
            )
            tone = "bad" if c.new_late else ("good" if c.new_late is False else None)
            return (
                (self.name(c.customer),),
                self.old_new(self.hours(c.old_length), self.hours(c.new_length)),
                (self.delta(c.delta),),
                self.old_new(self.hours(c.old_slack), self.hours(c.new_slack))
                if c.new_deadline is not None or c.old_deadline is not None
                else d.line("no deadline"),
                d.line(d.plain(on_time + was, tone)),
            )

        columns = (
            d.Column("Customer"),
            d.Column("Critical path"),
            d.Column("Change", numeric=True),
            d.Column("Deadline slack"),
            d.Column("Now"),
        )
        title = "Critical path and deadline slack, old → new"
        blocks: list[d.Block] = [self.table(title, columns, self.diff.customers, row)]
        moved = []
        for c in self.diff.customers:
            for label, ids in (("joined", c.joined_critical_path), ("left", c.left_critical_path)):
                if ids:
                    moved.append(
                        (
                            f"{label.capitalize()} the path to {self.labels.get(c.customer, c.customer)}",
                            self.listed(ids),
                        )
                    )
        if moved:
            blocks.append(d.Facts(tuple(moved)))
        return self.section("customers", "External customers", blocks)

    def names(self, ids: Sequence[str]) -> list[d.Span]:
        spans: list[d.Span] = []
        for position, node_id in enumerate(ids):
            if position:
                spans.append(d.plain(", "))
            spans.append(self.name(node_id))
        return spans

    def floats(self) -> d.Section:
        diff = self.diff
        columns = (
            d.Column("Unit"),
            d.Column("For"),
            d.Column("Float"),
            d.Column("Change", numeric=True),
        )

        def row(f: Any) -> tuple[d.Cell, ...]:
            # Less float is worse: show the change of float with the tone of its effect.
            delta = self.delta(-f.delta)
            signed = d.Span(_flip(delta.text), delta.kind, f.delta, delta.tone)
            return (
                (self.name(f.id),),
                (self.name(f.customer),),
                self.old_new(self.hours(f.old), self.hours(f.new)),
                (signed,),
            )

        title = f"Float moved by more than {formatting.duration(diff.threshold, self.per_day)}"
        return self.section(
            "floats", "Float", [self.table(title, columns, diff.float_changes, row)]
        )

    def bottlenecks(self) -> d.Section:
        def rank(value: int | None) -> d.Span:
            return d.plain("—") if value is None else d.count(value)

        def score(value: float | None) -> d.Span:
            return d.plain("—") if value is None else d.score(value)

        def row(b: Any) -> tuple[d.Cell, ...]:
            what = "entered the top 10" if b.entered else ("left the top 10" if b.left else "")
            return (
                (self.name(b.id),),
                self.old_new(rank(b.old_rank), rank(b.new_rank)),
                self.old_new(score(b.old_score), score(b.new_score)),
                d.line(what),
            )

        columns = (d.Column("Unit"), d.Column("Rank"), d.Column("Score"), d.Column(""))
        title = "Rank and score in either top 10, old → new"
        table = self.table(title, columns, self.diff.bottlenecks, row)
        return self.section("bottlenecks", "Bottlenecks", [table])

    def breaches(self) -> d.Section:
        diff = self.diff
        items = [("new", b) for b in diff.breaches_new] + [
            ("resolved", b) for b in diff.breaches_resolved
        ]

        def row(item: Any) -> tuple[d.Cell, ...]:
            status, b = item
            return (
                d.line(d.plain(status, "bad" if status == "new" else "good")),
                (self.name(b.supplier), d.plain(" → "), self.name(b.customer)),
                (self.hours(b.standard),),
                (self.hours(b.actual),),
                (d.ratio(b.ratio),),
            )

        columns = (
            d.Column(""),
            d.Column("Handoff"),
            d.Column("Standard", numeric=True),
            d.Column("Actual", numeric=True),
            d.Column("Ratio", numeric=True),
        )
        return self.section(
            "breaches", "Service breaches", [self.table("New and resolved", columns, items, row)]
        )

    def risks(self) -> d.Facts:
        diff = self.diff
        found = []
        for label, ids in (
            ("New orphans", diff.orphans_new),
            ("Orphans resolved", diff.orphans_resolved),
            ("New single points of failure", diff.single_points_of_failure_new),
            ("Single points of failure resolved", diff.single_points_of_failure_resolved),
        ):
            if ids:
                found.append((label, self.listed(ids)))
        return d.Facts(tuple(found))

    def listed(self, ids: Sequence[str]) -> d.Line:
        shown = list(ids[: self.rows])
        spans = self.names(shown)
        if len(ids) > len(shown):
            spans.append(d.plain(f" … and {len(ids) - len(shown)} more"))
        return tuple(spans)

    def structure(self) -> list[d.Block]:
        diff = self.diff
        facts = []
        for label, ids in (
            ("Units added", diff.units_added),
            ("Units removed", diff.units_removed),
            ("External customers added", diff.customers_added),
            ("External customers removed", diff.customers_removed),
        ):
            if ids:
                facts.append((label, self.listed(ids)))
        for label, pairs in (
            ("Dependencies added", diff.dependencies_added),
            ("Dependencies removed", diff.dependencies_removed),
        ):
            if pairs:
                spans: list[d.Span] = []
                for position, (supplier, customer) in enumerate(pairs[: self.rows]):
                    if position:
                        spans.append(d.plain(", "))
                    spans += [self.name(supplier), d.plain(" → "), self.name(customer)]
                if len(pairs) > self.rows:
                    spans.append(d.plain(f" … and {len(pairs) - self.rows} more"))
                facts.append((label, tuple(spans)))
        blocks: list[d.Block] = [d.Facts(tuple(facts))] if facts else []
        if diff.fields_changed:

            def row(f: Any) -> tuple[d.Cell, ...]:
                where = (
                    (self.name(f.supplier), d.plain(" → "), self.name(f.id))
                    if f.supplier
                    else (self.name(f.id),)
                )
                return (
                    where,
                    d.line(f.field),
                    (self.value(f.field, f.old),),
                    (self.value(f.field, f.new),),
                )

            columns = (
                d.Column("Unit or handoff"),
                d.Column("Field"),
                d.Column("Old"),
                d.Column("New"),
            )
            blocks.append(self.table("Fields changed", columns, diff.fields_changed, row))
        return blocks

    def value(self, field: str, value: Any) -> d.Span:
        if value is None:
            return d.plain("—")
        if field in _DURATIONS and isinstance(value, int | float):
            return self.hours(float(value))
        if field == "complete_accurate" and isinstance(value, int | float):
            return d.percent(float(value))
        if isinstance(value, dict) and {"optimistic", "likely", "pessimistic"} <= value.keys():
            points = [
                formatting.duration(value[k], self.per_day)
                for k in ("optimistic", "likely", "pessimistic")
            ]
            return d.plain(" / ".join(points))
        if isinstance(value, list):
            return d.plain(", ".join(map(str, value)) or "—")
        if isinstance(value, bool):
            return d.plain("yes" if value else "no")
        if isinstance(value, float):
            return d.plain(f"{value:g}")
        return d.plain(str(value))


_DURATIONS = {"lead_time", "process_time", "standard", "actual", "deadline", "actual_p90"}


def _flip(text: str) -> str:
    """The sign of a signed duration text turned over (`+5h` <-> `-5h`)."""
    if text.startswith("+"):
        return "-" + text[1:]
    if text.startswith("-"):
        return "+" + text[1:]
    return text


def _suggestions(found: dict[str, tuple[Suggestion, ...]], org: Org, rows: int) -> d.Section:
    per_day = org.settings.hours_per_day
    labels = {u.id: u.label for u in org.units}
    labels.update({c.id: c.label for c in org.external_customers})
    tables: list[d.Block] = []
    for customer, items in found.items():
        table_rows = tuple(
            (
                (d.name(s.unit, labels.get(s.unit, s.unit)),),
                (d.duration(s.length, per_day), d.plain(" → "), d.duration(s.new_length, per_day)),
                (d.duration(s.gain, per_day, "good"),),
            )
            for s in items[:rows]
        )
        columns = (
            d.Column("Halve the lead time of"),
            d.Column("Critical path"),
            d.Column("Gain", numeric=True),
        )
        title = f"Best single changes for {labels.get(customer, customer)}"
        if not table_rows:
            tables.append(d.Note(f"{title}: no single halving shortens its critical path."))
        else:
            tables.append(d.Table(title, columns, table_rows))
    tables.append(
        d.Note(
            "Try one with: icmap whatif ORG UNIT.lead_time=-50% (the json report gives each change)."
        )
    )
    return d.Section("suggestions", d.line("Suggestions: halve one lead time"), tuple(tables))

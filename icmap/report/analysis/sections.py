"""The report of `icmap analyze` as one `Document`: every section, in reading order.

Text and Markdown are renderings of this document, so they show the same sections with the
same rows. Each section is capped (`SHOWN` rows, `LATE_SHOWN` late units, `CHAIN_SHOWN`
units of a path, `wording.NAMED` names in a phrase) and says how many it left out: the
report stays readable at any size, and every figure is in `--format json` or `csv`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from icmap import formatting
from icmap.analysis.result import Analysis, CriticalPath
from icmap.report.analysis import provenance
from icmap.report.analysis._common import Names, gap, late_units, more, near_critical
from icmap.report.analysis._common import plain as one_line
from icmap.report.analysis.wording import bottleneck_reason, names_list, swap_reason
from icmap.report.document import (
    Block,
    Bullets,
    Cell,
    Chain,
    Column,
    Document,
    Facts,
    Line,
    Note,
    Paragraph,
    Section,
    Span,
    Step,
    Table,
    count,
    line,
    percent,
    plain,
    rating,
    ratio,
    score,
)

SHOWN = 10  # rows of a ranked list in people-facing formats; json and csv show everything
LATE_SHOWN = 25  # late units listed
CHAIN_SHOWN = 12  # units of a path shown: the first and last half of them


@dataclass(frozen=True, slots=True)
class Layout:
    """What the analysis report includes beyond its default sections."""

    all_units: bool = False  # `--units`: the float of every unit


def analysis_document(analysis: Analysis, layout: Layout | None = None) -> Document:
    """The analysis as a document: summary, critical paths, late units, bottlenecks, …"""
    layout = layout or Layout()
    names = Names.of(analysis.org)
    title: Line = (Span(one_line(analysis.org.name), "name"),)
    if analysis.focus is not None:
        title = (*title, plain(" — what feeds "), names.span(analysis.focus))
    sections = [
        _summary(analysis, names),
        *_critical_paths(analysis, names),
        *_late(analysis, names),
        *_floats(analysis, names, layout),
        _bottlenecks(analysis, names),
        *_single_points(analysis, names),
        _breaches(analysis, names),
        *_measured_handoffs(names),
        *_satisfaction(analysis, names),
        *_near_critical(analysis, names),
        *_longest_paths(analysis, names),
        *_orphans(analysis, names),
        *_recommendations(analysis, names),
    ]
    return Document(title, tuple(sections))


def _section(key: str, title: Line | str, *blocks: Block | None, level: int = 1) -> Section:
    heading = line(title) if isinstance(title, str) else title
    return Section(key, heading, tuple(b for b in blocks if b is not None), level)


def _note(total: int, shown: int, noun: str = "", listed: int | None = None) -> Note | None:
    text = more(total, shown, noun, listed)
    return Note(text) if text else None


def _summary(analysis: Analysis, names: Names) -> Section:
    s = analysis.summary
    late = line(count(s.late_customers, "bad" if s.late_customers else "good"), " late")
    found = line(
        formatting.plural(len(analysis.service_breaches), "breach"),
        " · ",
        formatting.plural(len(analysis.orphans), "orphan"),
        " · ",
        formatting.plural(
            len(analysis.single_points_of_failure),
            "single point of failure",
            "single points of failure",
        ),
    )
    rows: list[tuple[str, Line]] = [
        ("Units", line(count(s.units), f" in {formatting.plural(s.departments, 'department')}")),
        ("Dependencies", line(count(s.dependencies), f" ({s.feedback_dependencies:,} feedback)")),
        ("External customers", line(count(s.external_customers), " (", *late, ")")),
        ("Critical units", line(count(s.critical_units))),
        ("Longest path", line(names.duration(s.longest_path))),
        ("Late units", _late_summary(analysis, names)),
        (
            "Bottlenecks",
            line(
                count(s.bottlenecks, "bad" if s.bottlenecks else None),
                f" (of {formatting.plural(s.ranked, 'unit')} ranked)",
            ),
        ),
        ("Found", found),
    ]
    return _section("summary", "Summary", Facts(tuple(rows)))


def _late_summary(analysis: Analysis, names: Names) -> Line:
    late = late_units(analysis)
    if not late:
        return line(count(0))
    customers = sorted({u.late_for for u in late if u.late_for is not None})
    return line(count(len(late), "bad"), " (for ", *names_list(customers, names), ")")


def _path_order(paths: Sequence[CriticalPath]) -> list[CriticalPath]:
    # The latest first (the most late, then by id), then those on time or without deadline.
    return sorted(
        paths, key=lambda p: (p.slack if p.slack is not None and p.slack < 0 else 0.0, p.customer)
    )


def _critical_paths(analysis: Analysis, names: Names) -> Iterator[Section]:
    if not analysis.critical_paths:
        yield _section(
            "critical_paths",
            "Critical paths",
            Paragraph(line("No external customer is reached by any unit.")),
        )
        return
    ordered = _path_order(analysis.critical_paths)
    total = len(ordered)
    for index, path in enumerate(ordered[:SHOWN]):
        last = index == min(total, SHOWN) - 1
        yield _section(
            f"critical_path:{path.customer}",
            line("Critical path to ", names.span(path.customer)),
            chain(path.path, names, {(h.supplier, h.customer): h.time for h in path.handoffs}),
            Facts(_path_facts(path, names)),
            _note(total, SHOWN, "critical path") if last else None,
        )


def _path_facts(path: CriticalPath, names: Names) -> tuple[tuple[str, Line], ...]:
    length = line(names.duration(path.length))
    if path.deadline is None or path.slack is None:
        length = line(*length, " · no deadline")
    elif path.slack < 0:
        length = line(
            *length,
            " · deadline ",
            names.duration(path.deadline),
            " · late by ",
            names.duration(-path.slack, "bad"),
        )
    else:
        length = line(
            *length,
            " · deadline ",
            names.duration(path.deadline),
            " · ",
            names.duration(path.slack, "good"),
            " to spare",
        )
    rows: list[tuple[str, Line]] = [
        ("Length", length),
        (
            "Activity ratio",
            line(
                percent(path.activity_ratio),
                " · rolled %C&A ",
                percent(path.rolled_complete_accurate),
            ),
        ),
    ]
    weakest = path.weakest_handoff
    if weakest is not None:
        rows.append(
            (
                "Weakest handoff",
                line(
                    names.span(weakest.supplier),
                    " → ",
                    names.span(weakest.customer),
                    " (",
                    percent(weakest.complete_accurate),
                    " complete and accurate",
                    *_measured(
                        names, weakest.supplier, weakest.customer, "complete_accurate", ", "
                    ),
                    ")",
                ),
            )
        )
    return tuple(rows)


def chain(
    nodes: Sequence[str], names: Names, times: dict[tuple[str, str], float] | None = None
) -> Chain:
    """The chain of a path, at most `CHAIN_SHOWN` units (the first and last of them).

    A handoff step carries its time only when it is above 0."""
    positions = [i for i, node in enumerate(nodes) if node in names.units]
    omitted = max(0, len(positions) - CHAIN_SHOWN)
    hidden = range(0)
    if omitted:
        half = CHAIN_SHOWN // 2
        hidden = range(positions[half], positions[len(positions) - (CHAIN_SHOWN - half)])
    steps: list[Step] = []
    head = 0
    for index, node in enumerate(nodes):
        if index in hidden:
            continue
        if index:
            if omitted and index == hidden.stop:
                head = len(steps)
            time = (times or {}).get((nodes[index - 1], node), 0.0)
            steps.append(Step("handoff", time=names.duration(time) if time > 0 else None))
        unit = names.units.get(node)
        if unit is not None:
            steps.append(Step("unit", names.span(node), names.duration(unit.lead_time)))
        else:
            steps.append(Step("customer", names.span(node)))
    return Chain(tuple(steps), omitted, head)


def _late(analysis: Analysis, names: Names) -> Iterator[Section]:
    if not any(c.deadline is not None for c in analysis.org.external_customers):
        return
    late = late_units(analysis)
    if not late:
        yield _section(
            "late_units", "Late units", Paragraph(line("None: every unit meets every deadline."))
        )
        return
    rows: list[tuple[Cell, ...]] = [
        (
            line(names.span(u.id)),
            line(names.duration(-u.total_float, "bad")),
            line(names.span(u.late_for)) if u.late_for is not None else line("n/a"),
        )
        for u in late[:LATE_SHOWN]
    ]
    table = Table(
        "Units late for a customer, the latest first",
        (Column("Unit"), Column("Late by", numeric=True), Column("Latest for")),
        tuple(rows),
        _note(len(late), LATE_SHOWN, "late unit"),
    )
    yield _section("late_units", f"Late units ({len(late):,} of {len(analysis.units):,})", table)


def _floats(analysis: Analysis, names: Names, layout: Layout) -> Iterator[Section]:
    if not layout.all_units:
        return
    units = sorted(analysis.units, key=lambda u: (u.total_float, u.id))
    rows: list[tuple[Cell, ...]] = [
        (
            line(names.span(u.id)),
            line(names.duration(u.total_float, "bad" if u.total_float < 0 else None)),
            line(names.duration(u.free_float)),
            names_list(u.critical_for, names) if u.critical_for else line(""),
        )
        for u in units
    ]
    table = Table(
        "Float of every unit, the least first",
        (
            Column("Unit"),
            Column("Total float", numeric=True),
            Column("Free float", numeric=True),
            Column("Critical for"),
        ),
        tuple(rows),
    )
    yield _section("unit_floats", "Float per unit", table)


def _bottlenecks(analysis: Analysis, names: Names) -> Section:
    s = analysis.summary
    title = f"Bottlenecks: {s.bottlenecks:,} (of {formatting.plural(s.ranked, 'unit')} ranked)"
    listed = [b for b in analysis.bottlenecks if b.bottleneck]
    if not listed:
        return _section("bottlenecks", title, Paragraph(line("None.")), _others(analysis, names))
    rows: list[tuple[Cell, ...]] = [
        (
            line(count(b.rank)),
            line(names.span(b.id)),
            line(score(b.score)),
            Bullets(tuple(bottleneck_reason(r, names) for r in b.reasons)),
        )
        for b in listed[:SHOWN]
    ]
    table = Table(
        "Units with a hard reason, by score",
        (
            Column("#", numeric=True),
            Column("Unit"),
            Column("Score", numeric=True),
            Column("Reasons"),
        ),
        tuple(rows),
        _note(s.bottlenecks, SHOWN, "bottleneck", listed=len(listed)),
    )
    return _section("bottlenecks", title, table, _others(analysis, names))


def _others(analysis: Analysis, names: Names) -> Paragraph | None:
    """The ranked units that are not bottlenecks, named in one line."""
    others = [b.id for b in analysis.bottlenecks if not b.bottleneck]
    total = analysis.summary.ranked - analysis.summary.bottlenecks
    if not total:
        return None
    return Paragraph(
        line(
            f"Ranked, with no hard reason ({total:,}): ",
            *names_list(others, names, total=total),
            ". Their reasons are in --format json.",
        )
    )


def _single_points(analysis: Analysis, names: Names) -> Iterator[Section]:
    spofs = sorted(analysis.single_points_of_failure, key=lambda s: (-s.guards, s.id))
    if not spofs:
        return
    rows: list[tuple[Cell, ...]] = [
        (line(names.span(s.id)), names_list(s.customers, names), line(count(s.guards)))
        for s in spofs[:SHOWN]
    ]
    table = Table(
        "Units every path from others passes through",
        (Column("Unit"), Column("For customers"), Column("Units behind it", numeric=True)),
        tuple(rows),
        _note(len(spofs), SHOWN),
    )
    yield _section("single_points_of_failure", "Single points of failure", table)


def _breaches(analysis: Analysis, names: Names) -> Section:
    breaches = analysis.service_breaches
    if not breaches:
        return _section(
            "service_breaches",
            "Service breaches",
            Paragraph(line("None: every measured handoff meets its standard.")),
        )
    rows: list[tuple[Cell, ...]] = [
        (
            line(names.span(b.supplier), " → ", names.span(b.customer)),
            line(names.duration(b.standard)),
            line(names.duration(b.actual), *_measured(names, b.supplier, b.customer, "actual")),
            line(ratio(b.ratio, "bad")),
        )
        for b in breaches[:SHOWN]
    ]
    table = Table(
        "Handoffs slower than their standard, the worst first",
        (
            Column("Supplier → customer"),
            Column("Standard", numeric=True),
            Column("Actual", numeric=True),
            Column("Ratio", numeric=True),
        ),
        tuple(rows),
        _note(len(breaches), SHOWN),
    )
    return _section("service_breaches", "Service breaches", table)


def _measured(
    names: Names, supplier: str, customer: str, figure: str, before: str = " "
) -> tuple[Span, ...]:
    """`(n=412, Oct 1–Nov 30)` after a figure that came from a measurement, else nothing."""
    if not names.measured:
        return ()
    note = provenance.note(names.measured.get((supplier, customer)), figure)
    if not note:
        return ()
    return (plain(f"{before}({note})" if before == " " else f"{before}{note}", "dim"),)


def _measured_handoffs(names: Names) -> Iterator[Section]:
    """Every handoff with a figure from `measurements:`: each figure, its samples and source."""
    if not names.measured:
        return
    measured = sorted(names.measured.items())
    rows: list[tuple[Cell, ...]] = []
    for (supplier, customer), dep in measured[:SHOWN]:
        figures = []
        for figure, label, shown in (
            ("actual", "actual", names.duration(dep.actual)),
            ("volume", "volume", plain(f"{dep.volume or 0:g} a week")),
            ("complete_accurate", "%C&A", percent(dep.complete_accurate)),
            ("satisfaction", "rating", rating(dep.satisfaction)),
        ):
            by = dep.measured_by(figure)
            if by is None:
                continue
            # The source is user text: a `name` span, so Markdown escapes it.
            source = (plain(" · "), Span(one_line(by.source), "name")) if by.source else ()
            figures.append(
                line(f"{label} ", shown, *_measured(names, supplier, customer, figure), *source)
            )
        rows.append(
            (line(names.span(supplier), " → ", names.span(customer)), Bullets(tuple(figures)))
        )
    table = Table(
        "Figures from measurements, with their samples, period and source",
        (Column("Supplier → customer"), Column("Measured")),
        tuple(rows),
        _note(len(measured), SHOWN),
    )
    yield _section("measured_handoffs", "Measured handoffs", table)


def _satisfaction(analysis: Analysis, names: Names) -> Iterator[Section]:
    if not analysis.hotspots and not analysis.supplier_ratings:
        return
    blocks: list[Block] = []
    if analysis.hotspots:
        rows: list[tuple[Cell, ...]] = [
            (
                line(names.span(h.supplier), " → ", names.span(h.customer)),
                line(
                    rating(h.satisfaction),
                    *_measured(names, h.supplier, h.customer, "satisfaction"),
                ),
                line(
                    percent(h.complete_accurate),
                    *_measured(names, h.supplier, h.customer, "complete_accurate"),
                ),
            )
            for h in analysis.hotspots[:SHOWN]
        ]
        blocks.append(
            Table(
                "Lowest-rated handoffs",
                (
                    Column("Supplier → customer"),
                    Column("Rating", numeric=True),
                    Column("%C&A", numeric=True),
                ),
                tuple(rows),
                _note(len(analysis.hotspots), SHOWN),
            )
        )
    if analysis.supplier_ratings:
        rows = [
            (line(names.span(r.supplier)), line(rating(r.mean)), line(count(r.ratings)))
            for r in analysis.supplier_ratings[:SHOWN]
        ]
        blocks.append(
            Table(
                "Suppliers by their customers' mean rating, the lowest first",
                (
                    Column("Supplier"),
                    Column("Mean rating", numeric=True),
                    Column("Ratings", numeric=True),
                ),
                tuple(rows),
                _note(len(analysis.supplier_ratings), SHOWN),
            )
        )
    yield _section("satisfaction", "Satisfaction", *blocks)


def _near_critical(analysis: Analysis, names: Names) -> Iterator[Section]:
    if analysis.near_threshold <= 0:
        return
    title = line(
        "Near-critical units (within ", names.duration(analysis.near_threshold), " of critical)"
    )
    units = near_critical(analysis)
    if not units:
        yield _section("near_critical", title, Paragraph(line("None.")))
        return
    rows: list[tuple[Cell, ...]] = [
        (line(names.span(u.id)), line(names.duration(gap(u)))) for u in units[:SHOWN]
    ]
    table = Table(
        "Units close to a critical path, the closest first",
        (Column("Unit"), Column("Gap to critical", numeric=True)),
        tuple(rows),
        _note(len(units), SHOWN),
    )
    yield _section("near_critical", title, table)


def _longest_paths(analysis: Analysis, names: Names) -> Iterator[Section]:
    paths = analysis.longest_paths
    if not paths:
        return
    rows: list[tuple[Cell, ...]] = [
        (line(names.span(p.customer)), line(names.duration(p.length)), _path_line(p.path, names))
        for p in paths[:SHOWN]
    ]
    table = Table(
        "The longest paths to each customer",
        (Column("Customer"), Column("Length", numeric=True), Column("Path")),
        tuple(rows),
        _note(len(paths), SHOWN, "path"),
    )
    yield _section("longest_paths", "Longest paths", table)


def _path_line(path: Sequence[str], names: Names) -> Line:
    """`A → B → … (3 more) → Z`, at most `CHAIN_SHOWN` names."""
    if len(path) <= CHAIN_SHOWN:
        shown: list[str | None] = list(path)
    else:
        half = CHAIN_SHOWN // 2
        shown = [*path[:half], None, *path[len(path) - half :]]
    parts: list[Span | str] = []
    for index, node in enumerate(shown):
        if index:
            parts.append(" → ")
        parts.append(
            names.span(node) if node is not None else f"… {len(path) - CHAIN_SHOWN:,} more"
        )
    return line(*parts)


def _orphans(analysis: Analysis, names: Names) -> Iterator[Section]:
    if not analysis.orphans:
        return
    orphans = sorted(analysis.orphans)
    yield _section(
        "orphans",
        f"Orphans ({len(orphans):,})",
        Paragraph(
            line("No external customer depends on: ", *names_list(orphans, names, SHOWN), ".")
        ),
    )


def _recommendations(analysis: Analysis, names: Names) -> Iterator[Section]:
    if not analysis.job_swaps and not analysis.improvement_teams:
        return
    blocks: list[Block] = []
    if analysis.job_swaps:
        rows: list[tuple[Cell, ...]] = [
            (
                line(names.span(j.supplier), " ↔ ", names.span(j.customer)),
                Bullets(tuple(swap_reason(r, j, names) for r in j.reasons)),
            )
            for j in analysis.job_swaps[:SHOWN]
        ]
        blocks.append(
            Table(
                "Job swaps: pairs who should learn each other's work",
                (Column("Pair"), Column("Why")),
                tuple(rows),
                _note(len(analysis.job_swaps), SHOWN),
            )
        )
    if analysis.improvement_teams:
        teams = analysis.improvement_teams
        rows = [(line(names.span(t.customer)), _team(t.members, names)) for t in teams[:SHOWN]]
        blocks.append(
            Table(
                "Improvement teams: one member per department on each critical path",
                (Column("Critical path to"), Column("Team")),
                tuple(rows),
                _note(len(teams), SHOWN, "team"),
            )
        )
    yield _section("recommendations", "Recommendations", *blocks)


def _team(members: Sequence[tuple[str, str]], names: Names) -> Line:
    """`Claims Specialist (Finance), Family Physician (Clinical)`, at most `SHOWN` members."""
    parts: list[Span | str] = []
    for index, (department, unit) in enumerate(members[:SHOWN]):
        if index:
            parts.append(", ")
        parts.append(names.span(unit))
        if department != unit:
            parts += [" (", names.span(department), ")"]
    if len(members) > SHOWN:
        parts.append(f" and {len(members) - SHOWN:,} more")
    return line(*parts)

"""The text report of `icmap analyze`: Rich panels, chains and tables for people.

Readable at 80 columns. User text only ever enters as `Text` objects (never markup), so a
name such as `[bold]x` or `:smile:` is shown as written and cannot restyle the report.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from icmap.analysis.result import Analysis, CriticalPath
from icmap.report.analysis._common import (
    SHOWN,
    Names,
    bottleneck_count,
    chain,
    gap,
    more,
    more_bottlenecks,
    near_critical,
    node_chain,
    percent,
    plain,
    plural,
    ratio,
    score,
    slack_text,
    team_member,
)


def write_text(analysis: Analysis, *, width: int = 80, color: bool = False) -> str:
    """The report as text `width` columns wide; with ANSI colours only when `color`."""
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=color,
        color_system="auto" if color else None,
        no_color=None if color else True,  # None: Rich still honours NO_COLOR
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
    )
    for renderable in sections(analysis, width):
        console.print(renderable)
    if color:
        return out.getvalue()
    # Rich pads table cells to the column width; in a file those spaces are only noise.
    return "".join(line.rstrip() + "\n" for line in out.getvalue().splitlines())


def sections(analysis: Analysis, width: int = 80) -> Iterator[RenderableType]:
    """Every part of the report, in reading order."""
    names = Names.of(analysis.org)
    yield _summary(analysis, names)
    for path in analysis.critical_paths:
        yield from _critical_path(path, names, width)
    yield from _bottlenecks(analysis, names)
    yield from _single_points(analysis, names)
    yield from _breaches(analysis, names)
    yield from _satisfaction(analysis, names)
    yield from _near_critical(analysis, names)
    yield from _longest_paths(analysis, names)
    yield from _orphans(analysis, names)
    yield from _recommendations(analysis, names)


def _heading(*parts: str | Text) -> Group:
    title = Text.assemble(*parts, style="bold")
    return Group(Text(), Rule(title, align="left", style="dim"))


def _table(*headers: str, spaced: bool = False) -> Table:
    # `spaced`: a blank line between rows, for cells of several lines (reasons).
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        header_style="bold",
        show_lines=spaced,
    )
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


def _more(items: Sequence[object]) -> Iterator[Text]:
    note = more(len(items), SHOWN)
    if note:
        yield Text(note, style="dim")


def _reasons(reasons: Sequence[str]) -> RenderableType:
    if len(reasons) == 1:
        return Text(reasons[0])
    # A grid, so that a reason wrapped onto more lines hangs under its own bullet.
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for reason in reasons:
        grid.add_row("•", Text(reason))
    return grid


def _summary(analysis: Analysis, names: Names) -> Panel:
    s = analysis.summary
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    late = Text(f"{s.late_customers:,} late", style="red" if s.late_customers else "green")
    rows: list[tuple[str, Text]] = [
        ("Units", Text(f"{s.units:,} in {plural(s.departments, 'department')}")),
        ("Dependencies", Text(f"{s.dependencies:,} ({s.feedback_dependencies:,} feedback)")),
        ("External customers", Text(f"{s.external_customers:,} (") + late + Text(")")),
        ("Critical units", Text(f"{s.critical_units:,}")),
        ("Longest path", Text(names.duration(s.longest_path))),
        (
            "Found",
            Text(
                f"{plural(bottleneck_count(analysis), 'bottleneck')} · "
                f"{plural(len(analysis.service_breaches), 'breach')} · "
                f"{plural(len(analysis.orphans), 'orphan')}"
            ),
        ),
    ]
    for key, value in rows:
        grid.add_row(key, value)
    return Panel(grid, title=Text(plain(analysis.org.name)), title_align="left")


def chain_rich(path: CriticalPath, names: Names, width: int = 80) -> Text:
    """`Reception (15m) →[4h] Registration (2h 50m) → … → Patient` as styled Text.

    Lines break only before an arrow, so a handoff stays with the unit it hands to and a
    duration such as `1d 4h` is never split (a single step wider than `width` still wraps)."""
    steps: list[Text] = []
    current = Text()
    for step in chain(path, names):
        if step.kind == "handoff":
            steps.append(current)
            current = Text()
            current.append("→", style="cyan")
            if step.text:
                current.append(f"[{step.text}]", style="yellow")
            current.append(" ")
        else:
            current.append(step.text, style="bold")
            if step.detail:
                current.append(f" ({step.detail})", style="dim")
    steps.append(current)
    text = Text()
    used = 0
    for piece in steps:
        if used and used + 1 + piece.cell_len > width:
            text.append("\n")
            used = 0
        elif used:
            text.append(" ")
            used += 1
        text.append_text(piece)
        used += piece.cell_len
    return text


def _critical_path(path: CriticalPath, names: Names, width: int) -> Iterator[RenderableType]:
    yield _heading("Critical path to ", names.label(path.customer))
    yield chain_rich(path, names, width)
    late = path.slack is not None and path.slack < 0
    length = Text(f"Length {names.duration(path.length)}")
    if path.deadline is not None:
        length.append(f" · deadline {names.duration(path.deadline)} · ")
        length.append(slack_text(path, names), style="bold red" if late else "green")
    else:
        length.append(" · no deadline")
    lines = [
        length,
        Text(
            f"Activity ratio {percent(path.activity_ratio)} · "
            f"rolled %C&A {percent(path.rolled_complete_accurate)}"
        ),
    ]
    weakest = path.weakest_handoff
    if weakest is not None:
        lines.append(
            Text.assemble(
                "Weakest handoff ",
                (names.label(weakest.supplier), "bold"),
                " → ",
                (names.label(weakest.customer), "bold"),
                f" ({percent(weakest.complete_accurate)} complete and accurate)",
            )
        )
    yield Group(*lines)


def _bottlenecks(analysis: Analysis, names: Names) -> Iterator[RenderableType]:
    yield _heading("Bottlenecks")
    if not analysis.bottlenecks:
        yield Text("None.")
        return
    table = _table("#", "Unit", "Score", "Reasons", spaced=True)
    table.columns[0].justify = "right"
    table.columns[2].justify = "right"
    for b in analysis.bottlenecks[:SHOWN]:
        table.add_row(str(b.rank), Text(names.label(b.id)), score(b.score), _reasons(b.reasons))
    yield table
    note = more_bottlenecks(analysis)
    if note:
        yield Text(note, style="dim")


def _single_points(analysis: Analysis, names: Names) -> Iterator[RenderableType]:
    spofs = sorted(analysis.single_points_of_failure, key=lambda s: (-s.guards, s.id))
    if not spofs:
        return
    yield _heading("Single points of failure")
    table = _table("Unit", "For customers", "Units behind it")
    table.columns[2].justify = "right"
    for s in spofs[:SHOWN]:
        customers = Text(", ".join(names.label(c) for c in s.customers))
        table.add_row(Text(names.label(s.id)), customers, str(s.guards))
    yield table
    yield from _more(spofs)


def _breaches(analysis: Analysis, names: Names) -> Iterator[RenderableType]:
    yield _heading("Service breaches")
    if not analysis.service_breaches:
        yield Text("None: every measured handoff meets its standard.")
        return
    table = _table("Supplier → customer", "Standard", "Actual", "Ratio")
    for column in table.columns[1:]:
        column.justify = "right"
    for b in analysis.service_breaches[:SHOWN]:
        pair = Text.assemble(names.label(b.supplier), " → ", names.label(b.customer))
        table.add_row(
            pair,
            names.duration(b.standard),
            names.duration(b.actual),
            Text(ratio(b.ratio), style="red"),
        )
    yield table
    yield from _more(analysis.service_breaches)


def _satisfaction(analysis: Analysis, names: Names) -> Iterator[RenderableType]:
    if not analysis.hotspots and not analysis.supplier_ratings:
        return
    yield _heading("Satisfaction")
    if analysis.hotspots:
        table = _table("Lowest-rated handoffs", "Rating", "%C&A")
        for h in analysis.hotspots[:SHOWN]:
            pair = Text.assemble(names.label(h.supplier), " → ", names.label(h.customer))
            rating = "n/a" if h.satisfaction is None else f"{h.satisfaction:g}"
            table.add_row(pair, rating, percent(h.complete_accurate))
        table.columns[1].justify = table.columns[2].justify = "right"
        yield table
        yield from _more(analysis.hotspots)
    if analysis.supplier_ratings:
        table = _table("Supplier", "Mean rating", "Ratings")
        for r in analysis.supplier_ratings[:SHOWN]:
            table.add_row(Text(names.label(r.supplier)), f"{r.mean:.2f}", str(r.ratings))
        table.columns[1].justify = table.columns[2].justify = "right"
        yield table
        yield from _more(analysis.supplier_ratings)


def _near_critical(analysis: Analysis, names: Names) -> Iterator[RenderableType]:
    if analysis.near_threshold <= 0:
        return
    yield _heading(
        f"Near-critical units (within {names.duration(analysis.near_threshold)} of critical)"
    )
    units = near_critical(analysis)
    if not units:
        yield Text("None.")
        return
    table = _table("Unit", "Gap to critical")
    for u in units[:SHOWN]:
        table.add_row(Text(names.label(u.id)), names.duration(gap(u)))
    table.columns[1].justify = "right"
    yield table
    yield from _more(units)


def _longest_paths(analysis: Analysis, names: Names) -> Iterator[RenderableType]:
    if not analysis.longest_paths:
        return
    yield _heading("Longest paths")
    table = _table("Customer", "Length", "Path")
    for p in analysis.longest_paths:
        steps = [s.text for s in node_chain(p.path, names) if s.kind != "handoff"]
        table.add_row(
            Text(names.label(p.customer)), names.duration(p.length), Text(" → ".join(steps))
        )
    yield table


def _orphans(analysis: Analysis, names: Names) -> Iterator[RenderableType]:
    if not analysis.orphans:
        return
    orphans = sorted(analysis.orphans)
    yield _heading("Orphans")
    shown = ", ".join(names.label(o) for o in orphans[:SHOWN])
    yield Text(f"No external customer depends on: {shown}.")
    yield from _more(orphans)


def _recommendations(analysis: Analysis, names: Names) -> Iterator[RenderableType]:
    if not analysis.job_swaps and not analysis.improvement_teams:
        return
    yield _heading("Recommendations")
    if analysis.job_swaps:
        table = _table("Job swap", "Why", spaced=True)
        for j in analysis.job_swaps[:SHOWN]:
            pair = Text.assemble(names.label(j.supplier), " ↔ ", names.label(j.customer))
            table.add_row(pair, _reasons(j.reasons))
        yield table
        yield from _more(analysis.job_swaps)
    for team in analysis.improvement_teams:
        members = ", ".join(team_member(dept, unit, names) for dept, unit in team.members)
        yield Text.assemble(
            "Improvement team for ", (names.label(team.customer), "bold"), f": {members}"
        )

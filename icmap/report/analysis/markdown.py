"""The markdown report of `icmap analyze`, for a wiki page or a pull-request comment.

GitHub-flavoured: headings, the critical path chains, tables. Every piece of user text goes
through `escape`, so a name such as `a|b<script>` can neither break a table nor inject HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from icmap.analysis.result import Analysis, CriticalPath
from icmap.report.analysis._common import (
    SHOWN,
    Names,
    chain,
    gap,
    more,
    more_bottlenecks,
    near_critical,
    node_chain,
    percent,
    plural,
    ratio,
    score,
    slack_text,
    team_member,
)
from icmap.textsafety import markdown_inline


def escape(text: str) -> str:
    """User text as literal markdown on one line: active characters backslash-escaped, no
    autolink, no bidirectional control (see icmap.textsafety)."""
    return markdown_inline(text)


def write_markdown(analysis: Analysis) -> str:
    """The report as GitHub-flavoured markdown text."""
    names = Names.of(analysis.org)
    lines: list[str] = [f"# Analysis of {escape(analysis.org.name)}", ""]
    lines += _summary(analysis, names)
    lines += _critical_paths(analysis, names)
    lines += _bottlenecks(analysis, names)
    lines += _single_points(analysis, names)
    lines += _breaches(analysis, names)
    lines += _hotspots(analysis, names)
    lines += _near_critical(analysis, names)
    lines += _longest_paths(analysis, names)
    lines += _orphans(analysis, names)
    lines += _recommendations(analysis, names)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A GitHub table; cells must already be escaped (`|` in them breaks the table)."""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return [*out, ""]


def _name(names: Names, node_id: str) -> str:
    return escape(names.label(node_id))


def _summary(analysis: Analysis, names: Names) -> list[str]:
    s = analysis.summary
    return [
        f"- **Units:** {s.units:,} in {plural(s.departments, 'department')}",
        f"- **Dependencies:** {s.dependencies:,} ({s.feedback_dependencies:,} feedback)",
        f"- **External customers:** {s.external_customers:,} ({s.late_customers:,} late)",
        f"- **Critical units:** {s.critical_units:,}",
        f"- **Longest path:** {names.duration(s.longest_path)}",
        "",
    ]


def chain_markdown(path: CriticalPath, names: Names) -> str:
    """`Reception (15m) →\\[4h\\] Registration (2h 50m) → Patient` with names escaped."""
    parts: list[str] = []
    for step in chain(path, names):
        if step.kind == "handoff":
            parts.append(f"→\\[{step.text}\\]" if step.text else "→")
        elif step.detail:
            parts.append(f"**{escape(step.text)}** ({step.detail})")
        else:
            parts.append(f"**{escape(step.text)}**")
    return " ".join(parts)


def _critical_paths(analysis: Analysis, names: Names) -> list[str]:
    lines = ["## Critical paths", ""]
    if not analysis.critical_paths:
        return [*lines, "No external customer is reached by any unit.", ""]
    for path in analysis.critical_paths:
        weakest = path.weakest_handoff
        lines += [
            f"### {_name(names, path.customer)}",
            "",
            f"Path: {chain_markdown(path, names)}",
            "",
            f"- **Length:** {names.duration(path.length)}"
            + (
                f" · **deadline** {names.duration(path.deadline)} · {slack_text(path, names)}"
                if path.deadline is not None
                else " · no deadline"
            ),
            f"- **Activity ratio:** {percent(path.activity_ratio)}"
            f" · **rolled %C&A:** {percent(path.rolled_complete_accurate)}",
        ]
        if weakest is not None:
            lines.append(
                f"- **Weakest handoff:** {_name(names, weakest.supplier)} → "
                f"{_name(names, weakest.customer)} ({percent(weakest.complete_accurate)})"
            )
        lines.append("")
    return lines


def _bottlenecks(analysis: Analysis, names: Names) -> list[str]:
    lines = ["## Bottlenecks", ""]
    if not analysis.bottlenecks:
        return [*lines, "None.", ""]
    rows = [
        (str(b.rank), _name(names, b.id), score(b.score), _reasons(b.reasons))
        for b in analysis.bottlenecks[:SHOWN]
    ]
    note = more_bottlenecks(analysis)
    return (
        lines + table(("#", "Unit", "Score", "Reasons"), rows) + ([f"_{note}_", ""] if note else [])
    )


def _single_points(analysis: Analysis, names: Names) -> list[str]:
    spofs = sorted(analysis.single_points_of_failure, key=lambda s: (-s.guards, s.id))
    if not spofs:
        return []
    rows = [
        (_name(names, s.id), ", ".join(_name(names, c) for c in s.customers), str(s.guards))
        for s in spofs[:SHOWN]
    ]
    lines = ["## Single points of failure", ""]
    return lines + table(("Unit", "For customers", "Units behind it"), rows) + _more(spofs)


def _breaches(analysis: Analysis, names: Names) -> list[str]:
    lines = ["## Service breaches", ""]
    if not analysis.service_breaches:
        return [*lines, "None: every measured handoff meets its standard.", ""]
    rows = [
        (
            f"{_name(names, b.supplier)} → {_name(names, b.customer)}",
            names.duration(b.standard),
            names.duration(b.actual),
            ratio(b.ratio),
        )
        for b in analysis.service_breaches[:SHOWN]
    ]
    return (
        lines
        + table(("Supplier → customer", "Standard", "Actual", "Ratio"), rows)
        + _more(analysis.service_breaches)
    )


def _hotspots(analysis: Analysis, names: Names) -> list[str]:
    if not analysis.hotspots and not analysis.supplier_ratings:
        return []
    lines = ["## Satisfaction", ""]
    if analysis.hotspots:
        rows = [
            (
                f"{_name(names, h.supplier)} → {_name(names, h.customer)}",
                "n/a" if h.satisfaction is None else f"{h.satisfaction:g}",
                percent(h.complete_accurate),
            )
            for h in analysis.hotspots[:SHOWN]
        ]
        lines += table(("Lowest-rated handoffs", "Satisfaction", "%C&A"), rows)
        lines += _more(analysis.hotspots)
    if analysis.supplier_ratings:
        rows = [
            (_name(names, r.supplier), f"{r.mean:.2f}", str(r.ratings))
            for r in analysis.supplier_ratings[:SHOWN]
        ]
        lines += table(("Supplier", "Mean rating", "Ratings"), rows)
        lines += _more(analysis.supplier_ratings)
    return lines


def _near_critical(analysis: Analysis, names: Names) -> list[str]:
    if analysis.near_threshold <= 0:
        return []
    lines = [
        f"## Near-critical units (within {names.duration(analysis.near_threshold)} of critical)",
        "",
    ]
    units = near_critical(analysis)
    if not units:
        return [*lines, "None.", ""]
    rows = [(_name(names, u.id), names.duration(gap(u))) for u in units[:SHOWN]]
    return lines + table(("Unit", "Gap to critical"), rows) + _more(units)


def _longest_paths(analysis: Analysis, names: Names) -> list[str]:
    if not analysis.longest_paths:
        return []
    lines = ["## Longest paths", ""]
    rows = []
    for p in analysis.longest_paths:
        steps = [s for s in node_chain(p.path, names) if s.kind != "handoff"]
        rows.append(
            (
                _name(names, p.customer),
                names.duration(p.length),
                " → ".join(escape(s.text) for s in steps),
            )
        )
    return lines + table(("Customer", "Length", "Path"), rows)


def _orphans(analysis: Analysis, names: Names) -> list[str]:
    if not analysis.orphans:
        return []
    orphans = sorted(analysis.orphans)
    shown = ", ".join(_name(names, o) for o in orphans[:SHOWN])
    return [
        "## Orphans",
        "",
        f"No external customer depends on: {shown}.",
        "",
        *_more(orphans),
    ]


def _recommendations(analysis: Analysis, names: Names) -> list[str]:
    if not analysis.job_swaps and not analysis.improvement_teams:
        return []
    lines = ["## Recommendations", ""]
    if analysis.job_swaps:
        lines += ["### Job swaps", ""]
        rows = [
            (
                f"{_name(names, j.supplier)} ↔ {_name(names, j.customer)}",
                _reasons(j.reasons),
            )
            for j in analysis.job_swaps[:SHOWN]
        ]
        lines += table(("Pair", "Why"), rows) + _more(analysis.job_swaps)
    if analysis.improvement_teams:
        lines += ["### Improvement teams", ""]
        for team in analysis.improvement_teams:
            members = ", ".join(escape(team_member(d, u, names)) for d, u in team.members)
            lines.append(f"- **{_name(names, team.customer)}:** {members}")
        lines.append("")
    return lines


def _reasons(reasons: Sequence[str]) -> str:
    # One table cell: reasons on their own lines (<br>, ours; user text has `<` escaped).
    if len(reasons) == 1:
        return escape(reasons[0])
    return "<br>".join(f"• {escape(reason)}" for reason in reasons)


def _more(items: Sequence[object]) -> list[str]:
    note = more(len(items))
    return [f"_{note}_", ""] if note else []

"""The one report document: text and markdown show the same sections with the same rows, and
the examples' reports match their golden files.

Regenerate the golden files after an intended change with
`ICMAP_REGEN_GOLDEN=1 .venv/bin/pytest tests/test_report_document.py`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from icmap.api import analyze, load
from icmap.report import document as doc
from icmap.report.analysis import Options, write_report
from icmap.report.analysis.sections import Layout, analysis_document
from icmap.report.document import (
    Bullets,
    Column,
    Document,
    Facts,
    Section,
    Table,
    rows_of,
    text_of,
)
from icmap.report.render_markdown import render_markdown
from icmap.report.render_text import render_text

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = ["clinic", "manufacturer", "retail/retail", "software"]


@pytest.fixture(autouse=True)
def _in_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    # Examples are named as a user in the checkout names them (`examples/clinic.yaml`), so
    # the places a report gives (a measurement's file:line:col) are the same in any clone.
    monkeypatch.chdir(REPO)


def _analysis(example: str, **options: object):  # type: ignore[no-untyped-def]
    return analyze(load(f"examples/{example}.yaml"), **options)  # type: ignore[arg-type]


def check_golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME, or rewrite it when ICMAP_REGEN_GOLDEN=1."""
    path = GOLDEN / name
    if os.environ.get("ICMAP_REGEN_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with ICMAP_REGEN_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.mark.parametrize("example", EXAMPLES)
@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_every_example_matches_its_golden_report(example: str, fmt: str) -> None:
    analysis = _analysis(example, near=4.0, paths=2)
    suffix = {"text": "txt", "markdown": "md", "json": "json"}[fmt]
    check_golden(f"analyze-{example.split('/')[-1]}.{suffix}", write_report(analysis, fmt))


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("example", EXAMPLES)
def test_text_and_markdown_show_every_section_with_the_same_rows(example: str) -> None:
    analysis = _analysis(example, near=4.0, paths=2)
    document = analysis_document(analysis, Layout(all_units=True))
    text = _flat(render_text(document, width=200))
    markdown = render_markdown(document)
    # Emphasis and escapes aside, the same words.
    flat_markdown = _flat(markdown.replace("**", "").replace("\\", ""))
    assert document.sections, "a report has sections"
    for section in document.sections[1:]:  # the first is the summary panel, titled by the org
        title = text_of(section.title)
        assert _flat(title) in text
        assert f"{'#' * (section.level + 1)} {_flat(title)} " in flat_markdown
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Table):
                assert block.title and all(c.title for c in block.columns)  # every table heads
                assert block.title in text
                for row in block.rows:
                    for cell in row:
                        lines = cell.lines if isinstance(cell, Bullets) else (cell,)
                        for item in lines:
                            words = text_of(item)
                            assert _flat(words) in text, words
                            assert _flat(words) in flat_markdown, words
            if isinstance(block, Facts):
                for label, value in block.rows:
                    assert re.search(
                        re.escape(label) + " +" + re.escape(_flat(text_of(value))), text
                    )
                    assert f"- **{label}:** " in markdown
    assert rows_of(document.sections[0])  # the summary has its facts


def test_no_name_or_duration_is_broken_across_lines_at_80_columns() -> None:
    analysis = _analysis("clinic")
    out = write_report(analysis, "text", Options(width=80))
    assert max(len(line) for line in out.splitlines()) <= 80
    names = sorted({u.label for u in analysis.org.units}, key=len, reverse=True)
    for line in out.splitlines():
        stripped = line.strip(" │•")
        for name in names:
            words = name.split()
            # a line may not end with the first words of a name whose next word starts the
            # next line: a line ending in "Family" followed by "Physician ..." would be one
            if len(words) > 1:
                assert not stripped.endswith(" " + words[0]) or words[0] in ("IT",), line
    for duration in re.findall(r"\d+d \d+h(?: \d+m)?", _flat(out)):
        assert duration in out  # each duration seen in the flattened text is on one line


def _figures_table(label: str) -> Document:
    """A table like `icmap simulate`'s drivers: one column of names beside four columns of
    figures, none of which can wrap."""
    columns = (
        Column("Unit"),
        Column("Tornado"),
        Column("Cruciality", numeric=True),
        Column("Criticality", numeric=True),
        Column("Sensitivity", numeric=True),
    )
    rows = (
        (
            doc.line(doc.name("pa", label)),
            doc.line("███████████▏"),
            doc.line("0.93"),
            doc.line("61%"),
            doc.line("0.79"),
        ),
        (
            doc.line(doc.name("fp", "Family Physician")),
            doc.line("██▏"),
            doc.line("0.18"),
            doc.line("100%"),
            doc.line("0.06"),
        ),
    )
    table = Table("What drives the finish", columns, rows)
    return Document(doc.line("Drivers"), (Section("drivers", doc.line("Drivers"), (table,)),))


def test_a_table_too_narrow_for_whole_names_breaks_them_at_spaces_never_inside_a_word() -> None:
    # Rich sets 3 cells between columns (padding, divider, padding). Unbreakable pieces of
    # the other columns: the bar 12 and the titles 10, 11, 11 = 44, plus 4 gaps of 3 = 56,
    # which leaves 80 - 56 = 24 columns for the names.
    # A name of 25 cannot stay whole: it wraps at its last space that fits.
    out = render_text(_figures_table("Service Parts Coordinator"), width=80)
    lines = out.splitlines()
    first = next(i for i, text in enumerate(lines) if text.startswith("Service"))
    assert lines[first].split("  ")[0] == "Service Parts"  # Rich would cut "Coordinato|r"
    assert lines[first + 1].strip() == "Coordinator"
    assert max(map(len, lines)) <= 80
    # A name of 24 fits exactly, and stays whole on one line, as names do.
    out = render_text(_figures_table("Field Service Technician"), width=80)
    assert any(text.startswith("Field Service Technician ") for text in out.splitlines())
    assert max(map(len, out.splitlines())) <= 80


def test_a_table_too_wide_is_narrowed_where_its_text_can_wrap_not_through_a_name() -> None:
    # Like `icmap diff`'s customers. Whole lines: names 25, "49d 1h 30m → 49d 1h 30m" 23,
    # "Change" 6, 23, "on time" 7 = 84, plus 4 gaps of 3 = 96 > 80. Rich alone takes cells
    # from the widest column, the names, and cut "Industrial Distribu|tor". Unbreakable
    # pieces: 25 + 10 ("49d 1h 30m") + 6 + 10 + 4 ("time") = 55 + 12 = 67 <= 80, so the
    # durations' columns wrap at their arrows and every name stays whole.
    def row(label: str, length: float) -> tuple[doc.Line, ...]:
        both = doc.line(doc.duration(length, 8), " → ", doc.duration(length, 8))
        return (doc.line(doc.name(label, label)), both, doc.line("±0"), both, doc.line("on time"))

    columns = (
        Column("Customer"),
        Column("Critical path"),
        Column("Change", numeric=True),
        Column("Deadline slack"),
        Column("Now"),
    )
    rows = (row("Industrial Distributor", 49 * 8 + 1.5), row("Service Contract Customer", 21.5))
    table = Table("Critical path and deadline slack, old → new", columns, rows)
    document = Document(doc.line("Diff"), (Section("customers", doc.line("Customers"), (table,)),))
    lines = render_text(document, width=80).splitlines()
    assert any(text.startswith("Industrial Distributor ") for text in lines)
    assert any(text.startswith("Service Contract Customer ") for text in lines)
    assert any("49d 1h 30m →" in text for text in lines)  # a duration is never cut either
    assert max(map(len, lines)) <= 80


# ---- the clinic, by hand -------------------------------------------------------------------

H = 1.0  # an hour; the clinic's day is 8 h, so 2w = 10d = 80 h
MINUTE = H / 60


def test_the_clinics_late_units_by_hand() -> None:
    analysis = _analysis("clinic")
    late = {u.id: (-u.total_float, u.late_for) for u in analysis.units if u.total_float < 0}
    # The patient's critical path, customer's deadline 2w = 80 h:
    #   prior authorization, three-point (1d + 4 * 2d + 1w) / 6 = (8 + 64 + 40) / 6 = 18h 40m
    #   -> handoff 2d 6h (22 h) -> physician (20m + 4 * 30m + 2h) / 6 = 43 1/3 m
    #   -> 2d (16 h) -> medical coder 2d (16 h) -> 4h -> billing clerk 1d 4h (12 h) -> patient
    length = 18 * H + 40 * MINUTE + 22 * H + 260 / 6 * MINUTE + 16 * H + 16 * H + 4 * H + 12 * H
    assert length == pytest.approx(89 * H + 23 * MINUTE, abs=MINUTE / 2)  # 11d 1h 23m, shown
    on_path = 80 * H - length  # every unit on it has the path's slack as float: -9h 23m
    for unit in ("prior-authorization", "physician", "medical-coder", "billing-clerk"):
        assert late[unit][0] == pytest.approx(-on_path, abs=1e-6)
        assert late[unit][1] == "patient"
    # The referral coordinator: starts 1d (8 h) after the physician finishes, takes 1.5d
    # (12 h), and hands to the patient after 3d (24 h):
    #   EF(physician) = 18h 40m + 22 h + 43 1/3 m = 41 h 23 1/3 m
    #   arrival = 41 h 23 1/3 m + 8 + 12 + 24 = 85 h 23 1/3 m; late by 85h 23m - 80 h = 5h 23m
    physician_done = 18 * H + 40 * MINUTE + 22 * H + 260 / 6 * MINUTE
    assert late["referral-coordinator"] == (
        pytest.approx(physician_done + 8 * H + 12 * H + 24 * H - 80 * H, abs=1e-6),
        "patient",
    )
    # Claims (insurer only, 3d 2h 37m to spare), medical records and environmental services
    # are on time; the other eight are late for the patient too (12 of 15).
    assert {"claims-specialist", "medical-records", "environmental-services"}.isdisjoint(late)
    assert len(late) == analysis.summary.late_units == 12
    text = write_report(analysis, "text", Options(width=80))
    assert re.search(r"^Referral Coordinator +5h 23m +Patient$", text, re.MULTILINE)
    assert re.search(r"^Billing Clerk +1d 1h 23m +Patient$", text, re.MULTILINE)
    assert "Late units          12 (for Patient)" in text


def test_a_reason_gives_one_clause_per_customer_when_the_floats_differ() -> None:
    analysis = _analysis("clinic")
    physician = next(b for b in analysis.bottlenecks if b.id == "physician")
    json_report = write_report(analysis, "json")
    # The patient's path is 89 h 23 1/3 m long against 80 h (above). The insurer's goes on
    # from the billing clerk: + 1d (8 h) handoff + claims 3d (24 h) + 1d 4h (12 h) handoff
    # = 133 h 23 1/3 m against 4w = 20d = 160 h: 26 h 36 2/3 m = 3d 2h 37m to spare. The
    # physician is on both, so two clauses, names not ids.
    patient_length = 89 + (23 + 1 / 3) / 60
    sentence = (
        "on the critical path to Health Insurer, 3d 2h 37m of float before its deadline; "
        "to Patient with no float, 1d 1h 23m late"
    )
    assert sentence in json_report
    assert physician.reasons[0].floats == (  # type: ignore[union-attr]
        ("insurer", pytest.approx(160 - (patient_length + 8 + 24 + 12))),
        ("patient", pytest.approx(80 - patient_length)),
    )
    markdown = write_report(analysis, "markdown")
    assert "Health Insurer, 3d 2h 37m of float before its deadline; to Patient" in markdown


def test_the_clinics_improvement_teams_hold_each_paths_top_bottleneck() -> None:
    analysis = _analysis("clinic")
    ranks = {b.id: b.rank for b in analysis.bottlenecks}
    teams = {t.customer: t.members for t in analysis.improvement_teams}
    # The patient's path: prior authorization (revenue cycle, rank 8), physician (clinical,
    # rank 1), medical coder (revenue cycle, rank 5), billing clerk (revenue cycle, rank 4):
    # revenue cycle is represented by the billing clerk (best rank of its three), clinical
    # by the physician, the path's top bottleneck.
    assert teams["patient"] == (("finance", "billing-clerk"), ("clinical", "physician"))
    assert [ranks[u] for u in ("prior-authorization", "physician", "medical-coder")] == [8, 1, 5]
    assert ranks["billing-clerk"] == 4
    # The insurer's path adds the claims specialist (rank 2), who outranks the billing clerk.
    assert teams["insurer"] == (("finance", "claims-specialist"), ("clinical", "physician"))
    for path in analysis.critical_paths:
        top = min((u for u in path.path if u in ranks), key=ranks.__getitem__)
        assert top in {unit for _, unit in teams[path.customer]}

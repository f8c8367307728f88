"""The diff/whatif report for people: one document, the same rows in text and markdown."""

from __future__ import annotations

from pathlib import Path

from change_fixtures import SMALL, write_small

from icmap.api import load
from icmap.change.diff import compare
from icmap.change.figures import figures_of
from icmap.report import document as d
from icmap.report.change import MARKDOWN_LIMIT, write_report
from icmap.report.change.document import change_document


def _diff(tmp_path: Path, new_text: str):  # type: ignore[no-untyped-def]
    old = load(str(write_small(tmp_path, name="old.yaml")))
    new = load(str(write_small(tmp_path, new_text, "new.yaml")))
    return compare(figures_of(old), figures_of(new))


def test_verdict_says_what_got_worse(tmp_path: Path) -> None:
    # b 3h -> 8h: the client's path 7h -> 12h (5h longer) and late (deadline 10h).
    diff = _diff(tmp_path, SMALL.replace("lead_time: 3h", "lead_time: 8h"))
    document = change_document([("", diff)], "old.yaml", "new.yaml")
    verdict = next(s for s in document.sections if s.key == "verdict")
    paragraph = verdict.blocks[0]
    assert isinstance(paragraph, d.Paragraph)
    assert d.text_of(paragraph.line) == (
        "Worse: the critical path to client is 5h longer; client is now late."
    )
    customers = next(s for s in document.sections if s.key == "customers")
    # 12h is 1d 4h in 8-hour working days.
    assert d.rows_of(customers)[0] == "client | 7h → 1d 4h | +5h | 3h → -2h | late (was on time)"


def test_no_change_says_so(tmp_path: Path) -> None:
    diff = _diff(tmp_path, SMALL)
    text = write_report([("", diff)], "text", "old.yaml", "new.yaml")
    assert "No change: the two orgs give the same figures." in text
    assert "Float" not in text  # no empty sections


def test_every_section_has_the_same_rows_in_text_and_markdown(tmp_path: Path) -> None:
    # A change that touches every section: b slower (path, floats, late), a breach on a -> c
    # (new), a -> b resolved, a new unit d that nobody needs (orphan), c's name changed.
    changed = (
        SMALL.replace("lead_time: 3h", "lead_time: 8h")
        .replace("        actual: 2h\n", "        actual: 1h\n")
        .replace(
            "    depends_on: [a]\n",
            "    name: Clerk\n    depends_on:\n      - supplier: a\n        standard: 1h\n"
            "        actual: 3h\n  - id: d\n    lead_time: 1h\n",
        )
    )
    diff = _diff(tmp_path, changed)
    document = change_document([("", diff)], "old.yaml", "new.yaml")
    keys = [s.key for s in document.sections]
    assert keys == [
        "verdict",
        "customers",
        "floats",
        "bottlenecks",
        "breaches",
        "risks",
        "structure",
    ]
    text = write_report([("", diff)], "text", "old.yaml", "new.yaml", width=200)
    markdown = write_report([("", diff)], "markdown", "old.yaml", "new.yaml")
    for section in document.sections:
        for row in d.rows_of(section):
            cells = [c.strip() for c in row.replace(":", "|").split("|") if c.strip()]
            for cell in cells:
                assert cell in text, (section.key, cell)
                assert cell in markdown.replace("\\", ""), (section.key, cell)


def test_markdown_fits_a_pull_request_comment(tmp_path: Path) -> None:
    # 3,000 new units, each with a long name: the structure lists are cut with a count.
    roles = "".join(
        f"  - id: u{i}\n    name: {'A very long unit name that fills the comment ' * 3}{i}\n"
        "    lead_time: 1h\n"
        for i in range(3000)
    )
    diff = _diff(tmp_path, SMALL + roles)
    markdown = write_report([("", diff)], "markdown", "old.yaml", "new.yaml")
    assert len(markdown) <= MARKDOWN_LIMIT
    assert "more" in markdown


def test_a_cut_table_counts_the_rows_left_out(tmp_path: Path) -> None:
    # The client's deadline 10h -> 20h gives every unit 10h more float (a 3h -> 13h, b 3h
    # -> 13h, c 7h -> 17h): three rows; listing one leaves two counted.
    diff = _diff(tmp_path, SMALL.replace("deadline: 10h", "deadline: 20h"))

    def floats(rows: int) -> d.Table:
        document = change_document([("", diff)], "old.yaml", "new.yaml", rows=rows)
        section = next(s for s in document.sections if s.key == "floats")
        table = section.blocks[0]
        assert isinstance(table, d.Table)
        return table

    assert len(floats(100).rows) == 3
    cut = floats(1)
    assert len(cut.rows) == 1 and cut.more is not None
    assert cut.more.text == "… and 2 more (-f json lists every one)"  # it said "2 mores"

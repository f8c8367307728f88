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
from icmap.report.analysis import Options, write_report
from icmap.report.analysis.sections import Layout, analysis_document
from icmap.report.document import Bullets, Facts, Table, rows_of, text_of
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

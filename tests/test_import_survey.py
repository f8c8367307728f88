"""`icmap import survey`: satisfaction per pair, dimensions, scales and withheld pairs."""

from __future__ import annotations

from pathlib import Path

from import_fixtures import org, write

from icmap.importing.common import ImportOptions
from icmap.importing.survey import SurveyColumns, import_survey

SURVEY = (
    "rater,supplier,communication,responsiveness,comment\n"
    "desk,it,4,5,fine\n"  # row 2
    "FD,it,3,,\n"  # row 3: responsiveness unanswered
    "desk,IT Helpdesk,5,4,\n"  # row 4
    "desk,it,2,3,\n"  # row 5
    "Sales,it,4,4,\n"  # row 6: the grouping Sales -> desk, its one role depending on it
    "desk,it,,,nothing\n"  # row 7: no rating at all
    "desk,it,9,3,\n"  # row 8: 9 is off the 1-5 scale, ignored; 3 counts
    + "clerk,legal,4,4,\n" * 2  # rows 9-10: only two responses
    + "Operations,it,2,2,\n" * 5  # rows 11-15: planner and buyer both depend on it
    + "legal,desk,3,3,\n" * 5  # rows 16-20: legal does not depend on desk
    + "Nobody,it,3,3,\n"  # row 21
)


def run(tmp_path: Path, text: str = SURVEY, **kwargs: object):  # type: ignore[no-untyped-def]
    path = write(tmp_path, "survey.csv", text)
    return import_survey(str(path), org(tmp_path), ImportOptions(), **kwargs)  # type: ignore[arg-type]


def test_satisfaction_responses_and_dimensions(tmp_path: Path) -> None:
    result = run(tmp_path)
    by_pair = {(m.supplier, m.customer): m for m in result.measurements}
    m = by_pair[("it", "desk")]
    # responses: rows 2, 3, 4, 5, 6, 8 (row 7 has no rating) = 6
    assert m.responses == 6
    # communication 4, 3, 5, 2, 4 (the 9 is ignored) = 18 / 5 = 3.6
    # responsiveness 5, 4, 3, 4, 3 = 19 / 5 = 3.8
    assert dict(m.dimensions) == {"communication": 3.6, "responsiveness": 3.8}
    # satisfaction: every rating of the pair, (18 + 19) / 10 = 3.7
    assert abs(m.satisfaction - 3.7) < 1e-12  # type: ignore[operator]
    assert m.samples is None and m.actual is None


def test_a_grouping_rater_counts_for_each_of_its_roles_that_depend_on_the_supplier(
    tmp_path: Path,
) -> None:
    by_pair = {(m.supplier, m.customer): m for m in run(tmp_path).measurements}
    for role in ("buyer", "planner"):
        assert (by_pair[("it", role)].responses, by_pair[("it", role)].satisfaction) == (5, 2.0)


def test_pairs_below_the_threshold_are_withheld(tmp_path: Path) -> None:
    result = run(tmp_path)
    # clerk -> legal has 2 responses < 5: withheld, no figure anywhere
    assert ("legal", "clerk") not in {(m.supplier, m.customer) for m in result.measurements}
    assert result.report.withheld == 1
    # with --min-responses 2 it is written: (4 + 4 + 4 + 4) / 4 = 4
    lowered = {(m.supplier, m.customer): m for m in run(tmp_path, min_responses=2).measurements}
    assert lowered[("legal", "clerk")].satisfaction == 4.0
    # at 7 every pair is below: it -> desk (6), it -> buyer (5), it -> planner (5),
    # legal -> clerk (2), and the undeclared desk -> legal (5) is not even listed: 5
    at_seven = run(tmp_path, min_responses=7)
    assert (at_seven.measurements, at_seven.report.withheld) == ((), 5)
    assert at_seven.report.undeclared == []


def test_undeclared_pairs_and_bad_rows_in_the_report(tmp_path: Path) -> None:
    report = run(tmp_path).report
    assert [(u.supplier, u.customer, u.samples) for u in report.undeclared] == [
        ("desk", "legal", 5)
    ]
    assert {k: t.rows for k, t in report.skipped.items()} == {
        "no rating in any dimension": [7],
        "rater matches no unit": [21],
    }
    assert [(t.count, t.rows) for t in report.ignored.values()] == [(1, [8])]
    assert (report.rows_read, report.rows_used) == (20, 18)


def test_the_survey_scale_is_mapped_onto_the_orgs(tmp_path: Path) -> None:
    text = "rater,supplier,q1\n" + "".join(f"desk,it,{v}\n" for v in (0, 10, 5, 5, 5))
    (m,) = run(tmp_path, text, scale=(0.0, 10.0)).measurements
    # mean 25 / 5 = 5 on 0-10; onto 1-5: 1 + (5 − 0) × (5 − 1) / (10 − 0) = 3
    assert m.satisfaction == 3.0
    assert dict(m.dimensions) == {"q1": 3.0}


def test_chosen_dimensions_only(tmp_path: Path) -> None:
    columns = SurveyColumns(dimensions=("responsiveness",))
    by_pair = {(m.supplier, m.customer): m for m in run(tmp_path, columns=columns).measurements}
    m = by_pair[("it", "desk")]
    # responsiveness only: 5, 4, 3, 4, 3 = 3.8 over 5 responses (row 3 has none, row 7 none)
    assert (m.satisfaction, m.responses) == (3.8, 5)

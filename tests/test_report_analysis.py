"""The `icmap analyze` report writers (text, json, markdown, csv) on a hand-built Analysis."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from icmap.analysis.result import (
    Analysis,
    Bottleneck,
    CriticalPath,
    Handoff,
    ImprovementTeam,
    JobSwap,
    LowRating,
    OnCriticalPath,
    Overloaded,
    RankedPath,
    RatedLow,
    ServiceBreach,
    SinglePointOfFailure,
    SlowHandoff,
    Summary,
    SupplierRating,
    UnitFigures,
)
from icmap.model import Department, ExternalCustomer, Location, Org, Unit
from icmap.report.analysis import FORMATS, Options, write_report
from icmap.report.analysis.csv_report import COLUMNS, write_csv
from icmap.report.analysis.json_report import INDENT_LIMIT, write_json
from icmap.report.analysis.markdown import escape, write_markdown

HERE = Location("org.yaml", 1, 1)
EVIL = "a|b<script>"  # a name that would break a table and inject HTML if not escaped

# The org behind the sample: registration --4h--> reception --0--> patient (deadline 5d = 40h),
# billing (named EVIL) --0--> patient, helpdesk (named "=cmd") serves registration.
# Lead times: registration 2h 50m = 17/6 h, reception 15m = 0.25 h, billing 2h, helpdesk 1h.
#   EF(helpdesk) = 1;  ES(registration) = 1, EF = 1 + 17/6 = 23/6 = 3.833333
#   ES(reception) = 23/6 + 4 = 47/6 = 7.833333, EF = 47/6 + 0.25 = 8.083333 = length
#   = 485 min = 1d 5m; slack = 40 - 8.083333 = 31.916667 h = 1915 min = 3d 7h 55m (8 h days)
#   critical path rounded figures below are these numbers to 6 decimals.
LENGTH = 1 + 17 / 6 + 4 + 0.25


def sample() -> Analysis:
    """A small analysis built by hand; the engine is not involved."""
    org = Org(
        name="Riverside <Clinic>",
        location=HERE,
        units=(
            Unit("billing", HERE, name=EVIL, department="finance", lead_time=2.0),
            Unit("helpdesk", HERE, name="=cmd", kind="department", lead_time=1.0),
            Unit("reception", HERE, name="Reception", department="front", lead_time=0.25),
            Unit(
                "registration",
                HERE,
                name="Registration",
                department="front",
                lead_time=17 / 6,
                process_time=0.5,
                capacity=0.0,
            ),
        ),
        departments=(
            Department("finance", HERE, name="Finance", roles=("billing",)),
            Department("front", HERE, name="Front Office", roles=("reception", "registration")),
        ),
        external_customers=(ExternalCustomer("patient", HERE, name="Patient", deadline=40.0),),
    )
    handoff = Handoff("registration", "reception", 4.0, complete_accurate=0.8, satisfaction=2.5)
    units = (
        # billing -> patient is 2 h against the critical 8.083333 h: 6.083333 h (6h 5m) short
        UnitFigures(
            "billing",
            0,
            2,
            38,
            40,
            38,
            6.083333,
            False,
            near_critical=True,
            critical_gap=LENGTH - 2,
        ),
        UnitFigures(
            "helpdesk", 0, 1, 31 + 11 / 12, 32 + 11 / 12, 31 + 11 / 12, 0, True, ("patient",)
        ),
        UnitFigures(
            "reception",
            47 / 6,
            LENGTH,
            47 / 6 + 31 + 11 / 12,
            40.0,
            31 + 11 / 12,
            0,
            True,
            ("patient",),
            utilization=0.5,
            downstream_units=0,
            downstream_customers=1,
            single_point_of_failure_for=("patient",),
        ),
        UnitFigures(
            "registration",
            1,
            23 / 6,
            1 + 31 + 11 / 12,
            23 / 6 + 31 + 11 / 12,
            31 + 11 / 12,
            0,
            True,
            ("patient",),
            near_critical=True,
            utilization=float("inf"),
            downstream_units=1,
            downstream_customers=1,
        ),
    )
    path = CriticalPath(
        customer="patient",
        path=("helpdesk", "registration", "reception", "patient"),
        length=LENGTH,
        deadline=40.0,
        slack=40.0 - LENGTH,
        total_lead_time=1 + 17 / 6 + 0.25,
        total_handoff_time=4.0,
        total_process_time=0.5,
        activity_ratio=0.5 / (1 + 17 / 6 + 0.25),
        rolled_complete_accurate=0.8,
        weakest_handoff=handoff,
        handoffs=(
            Handoff("helpdesk", "registration", 0.0),
            handoff,
            Handoff("reception", "patient", 0.0),
        ),
    )
    return Analysis(
        org=org,
        summary=Summary(4, 4, 1, 2, 0, 3, LENGTH, 0, late_units=0, bottlenecks=1, ranked=2),
        units=units,
        critical_paths=(path,),
        bottlenecks=(
            Bottleneck(
                "registration",
                1,
                4.5,
                (OnCriticalPath((("patient", 40.0 - LENGTH),)), Overloaded(float("inf"), 0.85)),
                (("critical", 3.0), ("utilization", 1.5)),
                ("overloaded",),
            ),
            Bottleneck("billing", 2, 1.0, (RatedLow(2.0, 1, 1.0, 5.0),)),
        ),
        single_points_of_failure=(
            SinglePointOfFailure("reception", ("patient",), 3, (("patient", 3),)),
        ),
        orphans=(),
        service_breaches=(
            ServiceBreach("helpdesk", "registration", 0.0, 1.0, float("inf")),
            ServiceBreach("registration", "reception", 2.0, 4.0, 2.0, provides="record"),
        ),
        hotspots=(handoff,),
        supplier_ratings=(SupplierRating("registration", 2.5, 1),),
        job_swaps=(
            JobSwap(
                "registration",
                "reception",
                (
                    SlowHandoff("registration", "reception", 4.0, 2.0, 2.0),
                    LowRating("registration", "reception", 2.5, 1.0, 5.0),
                ),
                3,
            ),
        ),
        improvement_teams=(
            ImprovementTeam("patient", (("front", "registration"), ("helpdesk", "helpdesk"))),
        ),
        longest_paths=(RankedPath("patient", ("billing", "patient"), 2.0),),
        near_threshold=8.0,
    )


# --- json -----------------------------------------------------------------------------------


def test_json_has_the_contract_keys_and_hand_computed_values() -> None:
    report = json.loads(write_json(sample()))
    assert report["organization"] == "Riverside <Clinic>"
    assert report["format"] == 1
    assert {"units", "dependencies", "external_customers"} <= report["summary"].keys()
    assert report["summary"]["units"] == 4
    assert report["summary"]["longest_path_hours"] == 8.083333  # 1 + 17/6 + 4 + 0.25
    (path,) = report["critical_paths"]
    assert path == {
        "customer": "patient",
        "length_hours": 8.083333,
        "path": ["helpdesk", "registration", "reception", "patient"],
        "deadline_hours": 40.0,
        "slack_hours": 31.916667,  # 40 - 8.083333
        "late": False,
        "total_lead_time_hours": 4.083333,  # 1 + 17/6 + 0.25
        "total_handoff_time_hours": 4.0,
        "total_process_time_hours": 0.5,
        "activity_ratio": 0.122449,  # 0.5 / 4.083333
        "rolled_complete_accurate": 0.8,
        "weakest_handoff": {
            "supplier": "registration",
            "customer": "reception",
            "time_hours": 4.0,
            "complete_accurate": 0.8,
            "satisfaction": 2.5,
        },
        "handoffs": path["handoffs"],
    }
    assert [u["id"] for u in report["units"]] == [
        "billing",
        "helpdesk",
        "reception",
        "registration",
    ]
    registration = report["units"][3]
    contract = {"es_hours", "ef_hours", "ls_hours", "lf_hours", "total_float_hours"}
    assert contract | {"free_float_hours", "critical", "utilization"} <= registration.keys()
    assert registration["es_hours"] == 1.0
    assert registration["ef_hours"] == 3.833333  # 1 + 17/6
    assert registration["name"] == "Registration"
    assert registration["department"] == "front"
    assert registration["utilization"] is None  # capacity 0: infinite, JSON has no Infinity
    assert registration["utilization_infinite"] is True
    assert report["units"][2]["utilization"] == 0.5
    assert report["bottlenecks"][0] == {
        "id": "registration",
        "rank": 1,
        "score": 4.5,
        "reasons": [
            # slack 40 - 8.083333 = 31.916667 h = 3d 7h 55m
            "on the critical path to Patient, 3d 7h 55m of float before its deadline",
            "utilization infinite: more work arrives than it can serve, "
            "so its queue grows without bound",
        ],
        "facts": [
            {
                "kind": "critical_path",
                "floats": [{"customer": "patient", "float_hours": 31.916667}],
            },
            {
                "kind": "utilization",
                "utilization": None,
                "utilization_infinite": True,
                "warning": 0.85,
            },
        ],
        "bottleneck": True,
        "hard_reasons": ["overloaded"],
        "components": {"critical": 3.0, "utilization": 1.5},
    }
    assert report["job_swaps"][0]["reasons"] == [
        "Registration takes 4h against a 2h standard (×2.00)",
        "Reception rates Registration 2.5 on a 1-5 scale",
    ]
    assert report["job_swaps"][0]["facts"][0] == {
        "kind": "breach",
        "supplier": "registration",
        "customer": "reception",
        "actual_hours": 4.0,
        "standard_hours": 2.0,
        "ratio": 2.0,
    }
    assert report["single_points_of_failure"] == [
        {
            "id": "reception",
            "customers": ["patient"],
            "guards": 3,
            "guards_by_customer": {"patient": 3},
        }
    ]
    assert report["orphans"] == []
    # registration is marked near-critical but is critical: only billing is listed
    assert report["near_critical"] == ["billing"]
    assert report["units"][0]["critical_gap_hours"] == 6.083333  # 8.083333 - 2
    assert report["service_breaches"] == [
        {
            "supplier": "helpdesk",
            "customer": "registration",
            "provides": None,
            "standard_hours": 0.0,
            "actual_hours": 1.0,
            "ratio": None,
            "ratio_infinite": True,
        },
        {
            "supplier": "registration",
            "customer": "reception",
            "provides": "record",
            "standard_hours": 2.0,
            "actual_hours": 4.0,
            "ratio": 2.0,
            "ratio_infinite": False,
        },
    ]
    assert report["improvement_teams"] == [
        {
            "customer": "patient",
            "members": [
                {"department": "front", "unit": "registration"},
                {"department": "helpdesk", "unit": "helpdesk"},
            ],
        }
    ]
    assert report["longest_paths"] == [
        {"customer": "patient", "path": ["billing", "patient"], "length_hours": 2.0}
    ]


def test_json_bytes_are_exactly_the_standard_indent_2_sorted_dump() -> None:
    # Odd names, no department, several customers and no units at all.
    analysis = sample()
    odd = Unit("z", HERE, name='Zoë "\\" \n\u2028 {x}: [1],', department=None)
    many = UnitFigures("z", -0.0, 1e-9, 2.5, 1e7 / 3, -4.25, 0, True, ("b", "a"), True)
    for case in (
        analysis,
        replace(analysis, org=replace(analysis.org, units=(odd,)), units=(many,)),
        replace(analysis, units=()),
    ):
        text = write_json(case)
        assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"


def test_json_is_stable_sorted_and_plain() -> None:
    text = write_json(sample())
    assert text == write_json(sample())
    assert text.endswith("}\n")
    assert "Infinity" not in text and "NaN" not in text
    assert "\x1b" not in text
    keys = list(json.loads(text))
    assert keys == sorted(keys)


# --- csv ------------------------------------------------------------------------------------


def test_csv_one_row_per_unit_with_numbers_and_flags() -> None:
    rows = list(csv.DictReader(io.StringIO(write_csv(sample()))))
    assert tuple(rows[0].keys()) == COLUMNS
    assert [r["id"] for r in rows] == ["billing", "helpdesk", "reception", "registration"]
    registration = rows[3]
    assert registration["ef_hours"] == "3.833333"  # 1 + 17/6
    assert registration["lead_time_hours"] == "2.833333"  # 2h 50m
    assert registration["critical"] == "true"
    assert registration["critical_for"] == "patient"
    assert registration["utilization"] == "inf"
    assert registration["bottleneck_rank"] == "1"
    assert registration["bottleneck_score"] == "4.5"
    assert registration["department"] == "front"
    assert rows[2]["spof_customers"] == "patient"
    assert rows[0]["bottleneck_rank"] == "2"
    assert rows[1]["bottleneck_rank"] == ""
    assert rows[1]["kind"] == "department"
    assert rows[0]["critical_gap_hours"] == "6.083333"  # 8.083333 - 2
    assert rows[0]["near_critical"] == "true"


def test_csv_guards_against_formula_injection() -> None:
    rows = list(csv.DictReader(io.StringIO(write_csv(sample()))))
    assert rows[1]["name"] == "'=cmd"  # a spreadsheet shows the text instead of running it
    assert rows[0]["name"] == EVIL  # nothing to guard: left as written


@pytest.mark.parametrize("name", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1"])
def test_csv_guards_every_formula_start(name: str) -> None:
    from icmap.report.analysis.csv_report import text

    assert text(name).startswith("'")


# --- markdown -------------------------------------------------------------------------------


def test_markdown_escapes_names_in_tables_and_text() -> None:
    md = write_markdown(sample())
    assert "<script>" not in md and "a|b" not in md
    assert r"a\|b\<script\>" in md
    assert re.findall(r"(?<!\\)<(?!br>)", md) == []  # the only raw tag is our own <br>
    assert (
        "| 1 | Registration | 4.50 | • on the critical path to Patient, 3d 7h 55m of float "
        "before its deadline<br>• utilization infinite: more work arrives than it can serve, "
        "so its queue grows without bound |" in md
    )
    assert "Ranked, with no hard reason (1): a\\|b\\<script\\>." in md
    assert md.startswith("# Riverside \\<Clinic\\>\n")
    # Every table row keeps its column count: only the table's own pipes are unescaped.
    for line in md.splitlines():
        if line.startswith("| #"):
            header_cells = len(re.split(r"(?<!\\)\|", line))
        if line.startswith("| 2 "):
            assert len(re.split(r"(?<!\\)\|", line)) == header_cells


def test_markdown_has_the_chain_and_sections() -> None:
    md = write_markdown(sample())
    assert (
        "\n**=cmd** (1h) → **Registration** (2h 50m) →\\[4h\\] **Reception** (15m) → "
        "**Patient**\n" in md
    )
    for heading in (
        "## Summary",
        "## Critical path to Patient",
        "## Late units",
        "## Bottlenecks: 1 (of 2 units ranked)",
        "## Service breaches",
        "## Single points of failure",
        "## Near-critical units (within 1d of critical)",
        "## Recommendations",
    ):
        assert heading + "\n" in md
    assert "| Registration → Reception | 2h | 4h | **×2.00** |" in md
    assert "×∞" in md  # a breach of a 0 standard
    assert "| a\\|b\\<script\\> | 6h 5m |" in md  # near-critical, 6h 5m from critical
    assert "- **Length:** 1d 5m · deadline 5d · 3d 7h 55m to spare" in md


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a|b<script>", r"a\|b\<script\>"),
        ("`code` *x* _y_", r"\`code\` \*x\* \_y\_"),
        ("[link](http://x)", r"\[link\](http\://x)"),  # `:` escaped: no autolink
        ("line\nbreak", "line break"),
        ("@team & $x$", r"\@team \& \$x\$"),
    ],
)
def test_markdown_escape(raw: str, escaped: str) -> None:
    assert escape(raw) == escaped


# --- text -----------------------------------------------------------------------------------


def write_text(analysis: Analysis, *, width: int, color: bool = False) -> str:
    """The text writer, imported here so importing this module does not import rich."""
    from icmap.report.analysis.text import write_text as write

    return write(analysis, width=width, color=color)


def test_text_at_80_columns_shows_the_chain_and_fits() -> None:
    out = write_text(sample(), width=80)
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    flat = " ".join(out.split())
    assert "=cmd (1h) → Registration (2h 50m) →[4h] Reception (15m) → Patient" in flat
    assert "Length 1d 5m · deadline 5d · 3d 7h 55m to spare" in flat
    assert "Activity ratio 12.2% · rolled %C&A 80%" in flat
    assert "Riverside <Clinic>" in out
    assert EVIL in out  # shown as written, not read as markup
    assert "\x1b" not in out
    assert re.search(r"^Patient +Registration \(Front Office\), =cmd$", out, re.MULTILINE)
    assert re.search(r"^a\|b<script> +6h 5m$", out, re.MULTILINE)  # near-critical table
    for title in ("Bottlenecks", "Service breaches", "Single points of failure"):
        assert title in out


def test_text_does_not_read_markup_or_emoji_in_names() -> None:
    analysis = sample()
    units = (Unit("x", HERE, name="[bold red]boom[/] :smile:"), *analysis.org.units[1:])
    analysis = replace(
        analysis,
        org=replace(analysis.org, units=units),
        bottlenecks=(Bottleneck("x", 1, 1.0, (RatedLow(2.0, 1, 1.0, 5.0),), hard=("overloaded",)),),
    )
    out = write_text(analysis, width=100)
    assert "[bold red]boom[/] :smile:" in out


def test_text_colour_only_when_asked() -> None:
    assert "\x1b[" in write_text(sample(), width=80, color=True)


def test_text_narrow_terminal_still_fits() -> None:
    out = write_text(sample(), width=50)
    assert max(len(line) for line in out.splitlines()) <= 50


# --- registry -------------------------------------------------------------------------------


def test_registry_has_every_format() -> None:
    assert FORMATS == ("text", "json", "markdown", "csv")
    for fmt in FORMATS:
        assert write_report(sample(), fmt, Options(width=80))


def test_machine_formats_do_not_import_rich() -> None:
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_report_analysis import sample\n"
        "from icmap.report.analysis import write_report\n"
        "for fmt in ('json', 'csv', 'markdown'):\n"
        "    write_report(sample(), fmt)\n"
        "print(sorted(m for m in sys.modules if m == 'rich' or m.startswith('rich.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_text_chain_breaks_only_before_an_arrow() -> None:
    # pieces: "=cmd (1h)" 9, "→ Registration (2h 50m)" 23, "→[4h] Reception (15m)" 21,
    # "→ Patient" 9: at 40 columns 9 + 1 + 23 = 33 fits, + 1 + 21 does not.
    lines = write_text(sample(), width=40).splitlines()
    assert "=cmd (1h) → Registration (2h 50m)" in lines
    assert "→[4h] Reception (15m) → Patient" in lines


def test_json_of_a_large_org_is_compact_and_the_same_data() -> None:
    # Above INDENT_LIMIT units the report is one line; its data are those of the indented one.
    analysis = sample()
    figures = analysis.units[0]
    many = tuple(replace(figures, id=f"u{i:05d}") for i in range(INDENT_LIMIT + 1))
    large = replace(analysis, units=many)
    text = write_json(large)
    assert text.count("\n") == 1 and text.endswith("}\n")
    report = json.loads(text)
    assert len(report["units"]) == INDENT_LIMIT + 1
    assert report["units"][0]["id"] == "u00000"
    small = json.loads(write_json(replace(analysis, units=many[:1])))
    per_unit = {"units", "near_critical"}  # these two list every unit
    assert {k: v for k, v in report.items() if k not in per_unit} == {
        k: v for k, v in small.items() if k not in per_unit
    }
    assert report["units"][0] == small["units"][0]


def test_bottlenecks_beyond_the_shortlist_are_counted_not_claimed_listed() -> None:
    # 12 listed + 30 omitted = 42 units with a reason; text shows 10, so 32 more, and json
    # holds only the 12 listed: the note must not say "all of them".
    busy = (RatedLow(2.0, 1, 1.0, 5.0),)
    listed = tuple(
        Bottleneck(f"b{i:02d}", i + 1, 50.0 - i, busy, hard=("overloaded",)) for i in range(12)
    )
    base = sample()
    summary = replace(base.summary, bottlenecks=42, ranked=42)
    analysis = replace(base, bottlenecks=listed, bottlenecks_omitted=30, summary=summary)
    text = write_report(analysis, "text", Options(width=100))
    assert "Bottlenecks: 42 (of 42 units ranked)" in text
    assert "… and 32 more bottlenecks (the top 12 in --format json)" in text
    assert "_… and 32 more bottlenecks (the top 12 in --format json)_" in write_markdown(analysis)
    summary = json.loads(write_json(analysis))["summary"]
    assert (summary["bottlenecks"], summary["bottlenecks_omitted"]) == (12, 30)

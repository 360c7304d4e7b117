"""The engine through the public `validate`: blank-cell interval semantics (docs/standard.md, Blank
cells), how findings name cells and word messages, their order, CELL-TYPE vs CELL-MISSING, and exact
money amounts."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ogi_report
from ogi_report import Finding, ValidationResult, get_layout
from ogi_report.readers.narrative import narrative_figures
from ogi_report.rules.engine import Mode
from tests.helpers import COMPLETE_2021, COMPLETE_TRIAL, patched, raw

IDENTITY_RULES = {r.id for r in ogi_report.CATALOGUE if isinstance(r, ogi_report.Identity)}
CELL_RULES = {*IDENTITY_RULES, "CELL-TYPE", "CELL-NEGATIVE", "CELL-MISSING"}
ORDER = {r.id: i for i, r in enumerate(ogi_report.CATALOGUE)}
CELL_PATH = re.compile(r"^[a-z_]+\.[a-z_]+\.[a-z_]+$")


def run(base: str, changes: dict[str, Any], mode: Mode = "submission") -> ValidationResult:
    loaded = ogi_report.parse_report(patched(raw(base), changes))
    return ogi_report.validate(loaded.report, mode=mode, unreadable=loaded.unreadable)


def of(result: ValidationResult, rule: str, cell: str | None = None) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule and (cell is None or cell in f.cells)]


def only(result: ValidationResult, rule: str, cell: str) -> Finding:
    found = of(result, rule, cell)
    assert len(found) == 1, [f.message_en for f in result.findings]
    return found[0]


# --- one blank that decides the identity --------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "rule", "path", "needed"),
    [
        # granted: 48 + 3 + 1 + 0 + 1 + 1
        (COMPLETE_2021, "T3-ROW-TOTAL", "applications.granted.total", 54),
        # reconsideration: 3 + 1 + 0 + 1
        (COMPLETE_2021, "T4-TOTAL", "review_litigation.reconsideration.total", 5),
        # natural_person outcomes of the 2019-trial example: 31+6+3+32+11+4
        (COMPLETE_TRIAL, "T3-HANDLED-SUM", "applications.total_handled.natural_person", 87),
        # carried_out: 5 + 1
        (COMPLETE_TRIAL, "T3-ROW-TOTAL", "applications.carried_out.total", 6),
    ],
)
def test_one_blank_total_is_a_warning_giving_the_needed_value(
    base: str, rule: str, path: str, needed: int
) -> None:
    finding = only(run(base, {path: None}), rule, path)
    assert finding.severity.value == "warning"
    assert finding.stated is None
    assert finding.expected == needed
    assert finding.fill == {path: needed}
    assert finding.blanks == (path,)
    assert str(needed) in finding.message_zh
    assert str(needed) in finding.message_en


def test_one_blank_decides_every_identity_it_is_in() -> None:
    # total_handled.total is in T3-BALANCE (total), T3-HANDLED-SUM (total) and T3-ROW-TOTAL
    # (total_handled): 141 - 16 = 125, the outcome totals sum to 125, the row sums to 125.
    path = "applications.total_handled.total"
    result = run(COMPLETE_2021, {path: None})
    identities = [f for f in result.findings if f.rule in IDENTITY_RULES]
    assert [f.rule for f in identities] == ["T3-BALANCE", "T3-HANDLED-SUM", "T3-ROW-TOTAL"]
    for finding in identities:
        assert finding.severity.value == "warning"
        assert finding.fill == {path: 125}
    balance = identities[0]
    assert balance.expected == 141  # new_received + carried_in = 134 + 7: what the stated side must be


def test_a_blank_item_is_filled_with_the_difference() -> None:
    # T4: 3 + ? + 0 + 1 = 5 -> corrected = 1
    path = "review_litigation.reconsideration.corrected"
    finding = only(run(COMPLETE_2021, {path: None}), "T4-TOTAL", path)
    assert finding.severity.value == "warning"
    assert finding.stated == 5
    assert finding.fill == {path: 1}


def test_blanks_that_must_all_be_zero_are_filled_with_zero() -> None:
    # Shanghai 2019 reconsideration: 5 + ? + ? + 2 = 7
    result = ogi_report.validate(ogi_report.parse_report(raw("shanghai-2019-trial.json")).report)
    finding = only(result, "T4-TOTAL", "review_litigation.reconsideration.total")
    assert finding.severity.value == "warning"
    assert finding.fill == {
        "review_litigation.reconsideration.corrected": 0,
        "review_litigation.reconsideration.other": 0,
    }


# --- no non-negative value can make it hold: error ---------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "rule", "cell", "stated", "present"),
    [
        # 5 + ? + 0 + 1 > 5
        (
            {
                "review_litigation.reconsideration.corrected": None,
                "review_litigation.reconsideration.upheld": 5,
            },
            "T4-TOTAL",
            "review_litigation.reconsideration.corrected",
            5,
            6,
        ),
        # 120 + ? + 1 + 0 + 3 + 2 = 126 > 100
        (
            {"applications.new_received.business": None, "applications.new_received.total": 100},
            "T3-ROW-TOTAL",
            "applications.new_received.business",
            100,
            126,
        ),
        # two blank outcomes, the present ones 114 - 48 - 10 + 200 - 3 + 1 = 254 > 114
        (
            {
                "applications.granted.natural_person": None,
                "applications.denied_process_info.natural_person": None,
                "applications.partially_granted.natural_person": 200,
            },
            "T3-HANDLED-SUM",
            "applications.granted.natural_person",
            114,
            253,
        ),
    ],
)
def test_present_items_exceeding_a_stated_total_with_blank_items_is_an_error(
    changes: dict[str, Any], rule: str, cell: str, stated: int, present: int
) -> None:
    finding = only(run(COMPLETE_2021, changes), rule, cell)
    assert finding.severity.value == "error"
    assert finding.stated == stated
    assert finding.expected == present
    assert finding.fill == {}
    assert set(finding.blanks) == {p for p, v in changes.items() if v is None}
    # still an error when read from a published page: the report contradicts itself
    assert only(run(COMPLETE_2021, changes, "published"), rule, cell).severity.value == "error"


def test_the_boundary_where_the_blank_must_be_zero_is_a_warning() -> None:
    # 4 + ? + 0 + 1 = 5 holds with corrected = 0: not an error
    changes = {
        "review_litigation.reconsideration.corrected": None,
        "review_litigation.reconsideration.upheld": 4,
    }
    finding = only(run(COMPLETE_2021, changes), "T4-TOTAL", "review_litigation.reconsideration.corrected")
    assert finding.severity.value == "warning"
    assert finding.fill == {"review_litigation.reconsideration.corrected": 0}


def test_a_blank_stated_cell_beside_items_already_too_large_is_an_error() -> None:
    # 100 + 6 = 106 = 114 + ? needs carried_out = -8
    changes = {
        "applications.carried_out.natural_person": None,
        "applications.new_received.natural_person": 100,
    }
    finding = only(run(COMPLETE_2021, changes), "T3-BALANCE", "applications.carried_out.natural_person")
    assert finding.severity.value == "error"
    assert finding.fill == {}


# --- blanks on both sides: open, warning without fill ---------------------------------------------


@pytest.mark.parametrize(
    ("rule", "blanks", "others"),
    [
        ("T3-BALANCE", ["applications.carried_in.business", "applications.carried_out.business"], {}),
        ("T3-ROW-TOTAL", ["applications.granted.business", "applications.granted.total"], {}),
        (
            "T4-TOTAL",
            ["review_litigation.litigation_direct.upheld", "review_litigation.litigation_direct.total"],
            {},
        ),
        # even when the present cells are far apart: ? + 0 = ? + 1000000 holds with a large new_received
        (
            "T3-BALANCE",
            ["applications.new_received.nonprofit", "applications.total_handled.nonprofit"],
            {"applications.carried_out.nonprofit": 1_000_000},
        ),
    ],
)
def test_mixed_sign_blanks_give_a_warning_without_fill(
    rule: str, blanks: list[str], others: dict[str, int]
) -> None:
    finding = only(run(COMPLETE_2021, {**dict.fromkeys(blanks), **others}), rule, blanks[0])
    assert finding.severity.value == "warning"
    assert finding.fill == {}
    assert list(finding.blanks) == blanks
    for path in blanks:
        assert path in finding.message_en


# --- all blank: nothing to check ---------------------------------------------------------------------


def test_an_identity_whose_cells_are_all_blank_gives_no_finding_from_that_rule() -> None:
    layout = get_layout("2021")
    row = [p for p in layout.cell_paths() if p.startswith("applications.denied_admin_query.")]
    block = [p for p in layout.cell_paths() if p.startswith("review_litigation.litigation_direct.")]
    column = [
        f"applications.{r}.research" for r in ("new_received", "carried_in", "total_handled", "carried_out")
    ]
    assert len(row) == 7
    assert len(block) == 5
    result = run(COMPLETE_2021, dict.fromkeys([*row, *block, *column]))
    assert [f.cells[0] for f in of(result, "T3-ROW-TOTAL")] == [
        "applications.new_received.total",
        "applications.carried_in.total",
        "applications.total_handled.total",
        "applications.carried_out.total",
    ]  # the research cells of these four rows are blank, denied_admin_query is not reported
    assert of(result, "T4-TOTAL") == []
    assert [f.cells[0] for f in of(result, "T3-BALANCE")] == []  # only the research column had blanks
    # HANDLED-SUM still sees the denied_admin_query blanks in every column with other cells present
    assert {f.severity.value for f in of(result, "T3-HANDLED-SUM")} == {"warning"}
    # and the blanks themselves are reported once, per table
    missing = of(result, "CELL-MISSING")
    assert [len(f.cells) for f in missing] == [7 + 4, 5]


# --- how findings name cells and word messages -------------------------------------------------------

BROKEN: dict[str, Any] = {
    "year": 2020,  # FORMAT-YEAR
    "published": "2025-04-01",  # PUBLISHED-LATE (2020 report)
    "agency.code": "11330000MB12345670",  # AGENCY-CODE
    "sections.problems": "",  # SECTION-MISSING
    "sections.other_matters": "无。",  # T3-FEE-NOTICE
    "applications.carried_out.natural_person": 13,  # T3-BALANCE, T3-ROW-TOTAL
    "applications.granted.business": 4,  # T3-HANDLED-SUM, T3-ROW-TOTAL
    "applications.denied_third_party.research": None,  # CELL-MISSING, blank warnings
    "applications.other_misc.natural_person": -1,  # CELL-NEGATIVE
    "review_litigation.litigation_direct.total": 5,  # T4-TOTAL
    "review_litigation.reconsideration.upheld": "3件",  # CELL-TYPE
}
METADATA_PATHS = {"format", "year", "published", "agency.kind", "agency.code"}


def test_the_broken_report_triggers_every_report_rule() -> None:
    loaded = ogi_report.parse_report(patched(raw(COMPLETE_2021), BROKEN))
    # NARRATIVE-MISMATCH: the text says 1 licensing decision, table 二 says 18734.
    narrative = narrative_figures({"overview": "全年行政许可决定数量1件。"})
    # CELL-UNPLACED and METADATA-MISSING: what a page reader recorded.
    result = ogi_report.validate(
        loaded.report,
        unreadable=loaded.unreadable,
        narrative=narrative,
        unplaced={"review_litigation.reconsideration.upheld": "3 values for 5 columns"},
        missing_metadata=("year",),
    )
    report_rules = {r.id for r in ogi_report.CATALOGUE if r.scope == "report"}
    assert {f.rule for f in result.findings} == report_rules


@pytest.mark.parametrize("mode", ["submission", "published"])
def test_every_finding_names_its_cells_by_path(mode: Mode) -> None:
    layout = get_layout("2021")
    cells = set(layout.cell_paths())
    sections = {f"sections.{s.code}" for s in layout.sections if s.table is None}
    tables = {t.code for t in layout.tables}
    for finding in run(COMPLETE_2021, BROKEN, mode).findings:
        assert finding.cells, finding.rule
        if finding.rule in CELL_RULES:
            for path in finding.cells:
                assert CELL_PATH.match(path), (finding.rule, path)
                assert path in cells, (finding.rule, path)
        else:
            for path in finding.cells:
                assert path in cells | sections | tables | METADATA_PATHS, (finding.rule, path)
        assert set(finding.blanks) <= set(finding.cells)
        assert set(finding.fill) <= set(finding.blanks)


def test_identity_findings_name_every_cell_of_the_identity() -> None:
    result = run(COMPLETE_2021, BROKEN)
    balance = only(result, "T3-BALANCE", "applications.carried_out.natural_person")
    assert set(balance.cells) == {
        f"applications.{r}.natural_person"
        for r in ("new_received", "carried_in", "total_handled", "carried_out")
    }
    handled = only(result, "T3-HANDLED-SUM", "applications.granted.business")
    table = get_layout("2021").table("applications")
    assert set(handled.cells) == {f"applications.{r.code}.business" for r in table.descendants("results")}
    assert handled.cells[0] == "applications.total_handled.business"  # the stated cell first
    row = only(result, "T3-ROW-TOTAL", "applications.granted.business")
    assert set(row.cells) == {f"applications.granted.{c.code}" for c in table.columns}
    assert row.cells[0] == "applications.granted.total"
    t4 = only(result, "T4-TOTAL", "review_litigation.litigation_direct.total")
    assert len(t4.cells) == 5
    assert t4.cells[0] == "review_litigation.litigation_direct.total"


def test_messages_are_bilingual_and_mention_the_bound_line() -> None:
    result = run(COMPLETE_2021, BROKEN)
    for finding in result.findings:
        assert finding.message_zh.strip(), finding.rule
        assert finding.message_en.strip(), finding.rule
        assert finding.message("zh") == finding.message_zh
        assert finding.message("en") == finding.message_en
        assert re.search(r"[\u4e00-\u9fff]", finding.message_zh), finding.message_zh
    # column-bound identities: the column's label in Chinese, its code in English
    balance = only(result, "T3-BALANCE", "applications.carried_out.natural_person")
    assert "自然人" in balance.message_zh
    assert "natural_person" in balance.message_en
    handled = only(result, "T3-HANDLED-SUM", "applications.granted.business")
    assert "商业企业" in handled.message_zh
    assert "business" in handled.message_en
    # row-bound identities: the row's label / code
    row = only(result, "T3-ROW-TOTAL", "applications.granted.business")
    assert "（一）予以公开" in row.message_zh
    assert "granted" in row.message_en
    t4 = only(result, "T4-TOTAL", "review_litigation.litigation_direct.total")
    assert "未经复议直接起诉" in t4.message_zh
    assert "litigation_direct" in t4.message_en
    # a blank-cell warning, bound to the research column, names the blank row
    blank = only(result, "T3-HANDLED-SUM", "applications.denied_third_party.research")
    assert "科研机构" in blank.message_zh
    assert "4.保护第三方合法权益" in blank.message_zh
    assert "research" in blank.message_en
    assert "applications.denied_third_party.research" in blank.message_en
    # the stated and expected figures are in the words
    assert "127" in balance.message_en
    assert "126" in balance.message_en


BROKEN_TRIAL: dict[str, Any] = {
    "year": 2022,
    "published": "2023-04-01",
    "agency.code": "X",
    "sections.overview": " ",
    "proactive.licensing.decisions": -1,
    "applications.carried_out.natural_person": 6,
    "applications.granted.total": "三十八",
    "review_litigation.reconsideration.upheld": None,
}


@pytest.mark.parametrize(
    ("base", "changes", "rules"),
    [
        (COMPLETE_2021, BROKEN, 12),
        (COMPLETE_TRIAL, BROKEN_TRIAL, 11),
        ("shanghai-2019-trial.json", {"year": 2022, "agency.code": "X"}, 7),
    ],
)
def test_findings_come_in_catalogue_order(base: str, changes: dict[str, Any], rules: int) -> None:
    findings = run(base, changes).findings
    ranks = [ORDER[f.rule] for f in findings]
    assert ranks == sorted(ranks)
    assert len(set(ranks)) == rules  # the ordering is exercised across that many rules


def test_identity_findings_follow_the_bound_lines_in_table_order() -> None:
    # carried_out one off in three columns: T3-BALANCE natural_person, business, total (column order)
    changes = {
        "applications.carried_out.total": 17,
        "applications.carried_out.natural_person": 13,
        "applications.carried_out.business": 3,
    }
    balance = of(run(COMPLETE_2021, changes), "T3-BALANCE")
    assert [f.cells[0].split(".")[2] for f in balance] == ["natural_person", "business", "total"]


# --- CELL-TYPE vs CELL-MISSING ---------------------------------------------------------------------


def test_an_unreadable_cell_is_reported_by_cell_type_not_cell_missing() -> None:
    result = run(COMPLETE_2021, {"applications.granted.natural_person": "12件"})
    [cell_type] = of(result, "CELL-TYPE")
    assert cell_type.severity.value == "error"
    assert cell_type.cells == ("applications.granted.natural_person",)
    assert cell_type.stated == "12件"
    assert "12件" in cell_type.message_zh
    assert "12件" in cell_type.message_en
    assert of(result, "CELL-MISSING") == []
    # the other rules still run, the cell read as blank (48 would settle both identities)
    for rule in ("T3-HANDLED-SUM", "T3-ROW-TOTAL"):
        finding = only(result, rule, "applications.granted.natural_person")
        assert finding.severity.value == "warning"
        assert finding.fill == {"applications.granted.natural_person": 48}


def test_an_unreadable_cell_beside_a_blank_one() -> None:
    result = run(
        COMPLETE_2021,
        {"applications.granted.natural_person": "12件", "applications.granted.business": None},
        "published",
    )
    assert [f.cells for f in of(result, "CELL-TYPE")] == [("applications.granted.natural_person",)]
    [missing] = of(result, "CELL-MISSING")
    assert missing.cells == ("applications.granted.business",)
    assert missing.severity.value == "warning"


def test_unreadable_cells_passed_to_validate_directly() -> None:
    report = ogi_report.parse_report(
        patched(raw(COMPLETE_2021), {"applications.granted.research": None})
    ).report
    result = ogi_report.validate(report, unreadable={"applications.granted.research": "一"})
    assert [f.cells for f in of(result, "CELL-TYPE")] == [("applications.granted.research",)]
    assert of(result, "CELL-MISSING") == []


# --- money keeps every digit ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "path", "written"),
    [
        (COMPLETE_2021, "proactive.fees.amount", "2181.669177"),
        (COMPLETE_2021, "proactive.fees.amount", "123456789012345678.123456789"),
        (COMPLETE_TRIAL, "proactive.procurement.amount", "46825300.50"),
    ],
)
def test_money_amounts_keep_every_digit(base: str, path: str, written: str) -> None:
    report = ogi_report.parse_report(patched(raw(base), {path: written})).report
    assert report.cell(path) == Decimal(written)
    assert str(report.cell(path)) == written
    negative = "-" + written
    finding = only(run(base, {path: negative}), "CELL-NEGATIVE", path)
    assert isinstance(finding.stated, Decimal)
    assert str(finding.stated) == negative
    assert negative in finding.message_zh
    assert negative in finding.message_en
    assert finding.to_dict()["stated"] == negative


def test_money_from_a_json_file_keeps_every_digit(tmp_path: Path) -> None:
    data = raw(COMPLETE_2021, decimals=False)
    text = json.dumps(data, ensure_ascii=False).replace('"356.208143"', "-356.20814300000000001")
    path = tmp_path / "report.json"
    path.write_text(text, "utf-8")
    [finding] = of(ogi_report.validate_file(path), "CELL-NEGATIVE")
    assert str(finding.stated) == "-356.20814300000000001"


# --- modes and cross-year entry point ------------------------------------------------------------


def test_mode_changes_only_the_severity_of_cell_missing() -> None:
    changes = {**BROKEN, "applications.granted.research": None}
    submission = run(COMPLETE_2021, changes, "submission").findings
    published = run(COMPLETE_2021, changes, "published").findings
    assert [(f.rule, f.cells) for f in submission] == [(f.rule, f.cells) for f in published]
    for a, b in zip(submission, published, strict=True):
        if a.rule == "CELL-MISSING":
            assert (a.severity.value, b.severity.value) == ("error", "warning")
        else:
            assert a.severity == b.severity


def test_compare_years_needs_consecutive_years() -> None:
    report = ogi_report.parse_report(raw(COMPLETE_2021)).report
    with pytest.raises(ValueError, match="consecutive"):
        ogi_report.compare_years(report, report)

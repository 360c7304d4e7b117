"""The layout registry against docs/standard.md (Sections, Codes).

The expected codes and labels below are copied by hand from the official tables: they are the
independent check of the registry (they are retyped here, not parsed from any document).
Labels are compared character for character.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from ogi_report import LAYOUT_2019_TRIAL, LAYOUT_2021, LAYOUTS, get_layout
from ogi_report.layout import APPLICATIONS_NOTE, SECTIONS, TEXT_SECTIONS, CellKind, Layout, Table

BOTH = pytest.mark.parametrize("layout", [LAYOUT_2021, LAYOUT_2019_TRIAL], ids=["2021", "2019-trial"])

# --- docs/standard.md, Sections -----------------------------------------------------------------------------

EXPECTED_SECTIONS: list[tuple[str, str, str | None]] = [
    ("overview", "一、总体情况", None),
    ("proactive", "二、主动公开政府信息情况", "proactive"),
    ("applications", "三、收到和处理政府信息公开申请情况", "applications"),
    ("review_litigation", "四、政府信息公开行政复议、行政诉讼情况", "review_litigation"),
    ("problems", "五、存在的主要问题及改进情况", None),
    ("other_matters", "六、其他需要报告的事项", None),
]

# --- docs/standard.md, Codes: table 二 ----------------------------------------------------------------------

ART20_1 = "第二十条第（一）项"
ART20_5 = "第二十条第（五）项"
ART20_6 = "第二十条第（六）项"
ART20_8 = "第二十条第（八）项"
ART20_9 = "第二十条第（九）项"

# (code, label, kind, unit of a money column)
PROACTIVE_2021_COLUMNS: list[tuple[str, str, CellKind, str | None]] = [
    ("issued", "本年制发件数", CellKind.COUNT, None),
    ("repealed", "本年废止件数", CellKind.COUNT, None),
    ("in_force", "现行有效件数", CellKind.COUNT, None),
    ("decisions", "本年处理决定数量", CellKind.COUNT, None),
    ("amount", "本年收费金额（单位：万元）", CellKind.MONEY, "万元"),
]

DOCS_2021 = ("issued", "repealed", "in_force")

# (code, label, block, columns)
PROACTIVE_2021_ROWS: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("regulations", "规章", ART20_1, DOCS_2021),
    ("normative_documents", "行政规范性文件", ART20_1, DOCS_2021),
    ("licensing", "行政许可", ART20_5, ("decisions",)),
    ("penalty", "行政处罚", ART20_6, ("decisions",)),
    ("coercion", "行政强制", ART20_6, ("decisions",)),
    ("fees", "行政事业性收费", ART20_8, ("amount",)),
]

PROACTIVE_2019_COLUMNS: list[tuple[str, str, CellKind, str | None]] = [
    ("new_made", "本年新制作数量", CellKind.COUNT, None),
    ("new_published", "本年新公开数量", CellKind.COUNT, None),
    ("total_published", "对外公开总数量", CellKind.COUNT, None),
    ("prior_year_items", "上一年项目数量", CellKind.COUNT, None),
    ("change", "本年增/减", CellKind.SIGNED, None),
    ("decisions", "处理决定数量", CellKind.COUNT, None),
    ("items", "采购项目数量", CellKind.COUNT, None),
    ("amount", "采购总金额", CellKind.MONEY, "元"),
]

DOCS_TRIAL = ("new_made", "new_published", "total_published")
ITEMS_TRIAL = ("prior_year_items", "change", "decisions")

PROACTIVE_2019_ROWS: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("regulations", "规章", ART20_1, DOCS_TRIAL),
    ("normative_documents", "规范性文件", ART20_1, DOCS_TRIAL),
    ("licensing", "行政许可", ART20_5, ITEMS_TRIAL),
    ("other_services", "其他对外管理服务事项", ART20_5, ITEMS_TRIAL),
    ("penalty", "行政处罚", ART20_6, ITEMS_TRIAL),
    ("coercion", "行政强制", ART20_6, ITEMS_TRIAL),
    ("fees", "行政事业性收费", ART20_8, ("prior_year_items", "change")),
    ("procurement", "政府集中采购", ART20_9, ("items", "amount")),
]

# --- docs/standard.md, Codes: table 三 ----------------------------------------------------------------------

APPLICANT = "申请人情况"
LEGAL_PERSON = "法人或其他组织"

# (code, label, header group)
APPLICATION_COLUMNS: list[tuple[str, str, str]] = [
    ("natural_person", "自然人", APPLICANT),
    ("business", "商业企业", LEGAL_PERSON),
    ("research", "科研机构", LEGAL_PERSON),
    ("nonprofit", "社会公益组织", LEGAL_PERSON),
    ("legal_service", "法律服务机构", LEGAL_PERSON),
    ("other_org", "其他", LEGAL_PERSON),
    ("total", "总计", APPLICANT),
]
APPLICATION_COLUMN_CODES = tuple(code for code, _, _ in APPLICATION_COLUMNS)

STANDARD_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# (code, label, parent group, is a group row) in table order, layout 2021.
APPLICATION_ROWS_2021: list[tuple[str, str, str | None, bool]] = [
    ("new_received", "一、本年新收政府信息公开申请数量", None, False),
    ("carried_in", "二、上年结转政府信息公开申请数量", None, False),
    ("results", "三、本年度办理结果", None, True),
    ("granted", "（一）予以公开", "results", False),
    ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "results", False),
    ("denied", "（三）不予公开", "results", True),
    ("denied_state_secret", "1.属于国家秘密", "denied", False),
    ("denied_law_prohibited", "2.其他法律行政法规禁止公开", "denied", False),
    ("denied_security_stability", "3.危及“三安全一稳定”", "denied", False),
    ("denied_third_party", "4.保护第三方合法权益", "denied", False),
    ("denied_internal_affairs", "5.属于三类内部事务信息", "denied", False),
    ("denied_process_info", "6.属于四类过程性信息", "denied", False),
    ("denied_enforcement_file", "7.属于行政执法案卷", "denied", False),
    ("denied_admin_query", "8.属于行政查询事项", "denied", False),
    ("unavailable", "（四）无法提供", "results", True),
    ("unavailable_not_held", "1.本机关不掌握相关政府信息", "unavailable", False),
    ("unavailable_needs_creation", "2.没有现成信息需要另行制作", "unavailable", False),
    ("unavailable_unclear", "3.补正后申请内容仍不明确", "unavailable", False),
    ("not_processed", "（五）不予处理", "results", True),
    ("not_processed_complaint", "1.信访举报投诉类申请", "not_processed", False),
    ("not_processed_repeat", "2.重复申请", "not_processed", False),
    ("not_processed_publication", "3.要求提供公开出版物", "not_processed", False),
    ("not_processed_excessive", "4.无正当理由大量反复申请", "not_processed", False),
    ("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息", "not_processed", False),
    ("other_handling", "（六）其他处理", "results", True),
    (
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "other_handling",
        False,
    ),
    (
        "other_no_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "other_handling",
        False,
    ),
    ("other_misc", "3.其他", "other_handling", False),
    ("total_handled", "（七）总计", "results", False),
    ("carried_out", "四、结转下年度继续办理", None, False),
]

_OTHER_HANDLING_SUBROWS = {"other_no_correction", "other_no_fee", "other_misc"}

# Layout 2019-trial: the same, except （六）其他处理 is one data row with no sub-items.
APPLICATION_ROWS_2019: list[tuple[str, str, str | None, bool]] = [
    ("other_handling", "（六）其他处理", "results", False)
    if code == "other_handling"
    else (code, label, p, g)
    for code, label, p, g in APPLICATION_ROWS_2021
    if code not in _OTHER_HANDLING_SUBROWS
]

OUTCOMES_2021 = [
    "granted",
    "partially_granted",
    "denied_state_secret",
    "denied_law_prohibited",
    "denied_security_stability",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_file",
    "denied_admin_query",
    "unavailable_not_held",
    "unavailable_needs_creation",
    "unavailable_unclear",
    "not_processed_complaint",
    "not_processed_repeat",
    "not_processed_publication",
    "not_processed_excessive",
    "not_processed_confirmation",
    "other_no_correction",
    "other_no_fee",
    "other_misc",
]
OUTCOMES_2019 = [*OUTCOMES_2021[:18], "other_handling"]

# --- docs/standard.md, Codes: table 四 ----------------------------------------------------------------------

REVIEW_COLUMNS: list[tuple[str, str]] = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
]
REVIEW_ROWS: list[tuple[str, str, str | None, bool]] = [
    ("reconsideration", "行政复议", None, False),
    ("litigation", "行政诉讼", None, True),
    ("litigation_direct", "未经复议直接起诉", "litigation", False),
    ("litigation_after_reconsideration", "复议后起诉", "litigation", False),
]


def all_tables() -> list[tuple[str, Table]]:
    return [(f"{lay.code}/{t.code}", t) for lay in LAYOUTS.values() for t in lay.tables]


ALL_TABLES = pytest.mark.parametrize(("name", "table"), all_tables(), ids=[n for n, _ in all_tables()])


# --- Layouts and sections ------------------------------------------------------------------------


def test_exactly_two_layouts_are_registered() -> None:
    assert list(LAYOUTS) == ["2021", "2019-trial"]
    assert get_layout("2021") is LAYOUT_2021
    assert get_layout("2019-trial") is LAYOUT_2019_TRIAL
    assert LAYOUT_2021.basis == "国办公开办函〔2021〕30号"
    assert LAYOUT_2019_TRIAL.basis == "国办公开办函〔2019〕60号"


@pytest.mark.parametrize("code", ["2020", "2019", "2021 ", "", "2019-Trial", "trial"])
def test_get_layout_rejects_an_unknown_code_naming_the_known_ones(code: str) -> None:
    with pytest.raises(KeyError) as info:
        get_layout(code)
    text = str(info.value)
    assert repr(code) in text
    assert "2021" in text
    assert "2019-trial" in text


@BOTH
def test_sections_codes_labels_and_tables(layout: Layout) -> None:
    assert [(s.code, s.label, s.table) for s in layout.sections] == EXPECTED_SECTIONS


def test_text_sections_are_the_sections_without_a_table() -> None:
    assert [s.code for s in TEXT_SECTIONS] == ["overview", "problems", "other_matters"]
    assert [s.code for s in SECTIONS] == [code for code, _, _ in EXPECTED_SECTIONS]


@BOTH
def test_tables_are_the_three_table_sections_with_their_labels(layout: Layout) -> None:
    assert [t.code for t in layout.tables] == ["proactive", "applications", "review_litigation"]
    labels = {code: label for code, label, _ in EXPECTED_SECTIONS}
    for table in layout.tables:
        assert table.label == labels[table.code]
        assert layout.table(table.code) is table


# --- Table 二 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("layout", "columns", "rows", "cells"),
    [
        (LAYOUT_2021, PROACTIVE_2021_COLUMNS, PROACTIVE_2021_ROWS, 10),
        (LAYOUT_2019_TRIAL, PROACTIVE_2019_COLUMNS, PROACTIVE_2019_ROWS, 22),
    ],
    ids=["2021", "2019-trial"],
)
def test_table_2_matches_the_standard(
    layout: Layout,
    columns: list[tuple[str, str, CellKind, str | None]],
    rows: list[tuple[str, str, str, tuple[str, ...]]],
    cells: int,
) -> None:
    table = layout.table("proactive")
    assert [(c.code, c.label, c.kind, c.unit) for c in table.columns] == columns
    assert [(r.code, r.label, r.block, r.columns) for r in table.rows] == rows
    assert all(r.parent is None and not r.is_group for r in table.rows)
    assert len(list(table.cells())) == cells


def test_table_2_money_and_signed_columns() -> None:
    money_2021 = [
        (r.code, c.code, c.unit)
        for r, c in LAYOUT_2021.table("proactive").cells()
        if c.kind is CellKind.MONEY
    ]
    assert money_2021 == [("fees", "amount", "万元")]
    trial = LAYOUT_2019_TRIAL.table("proactive")
    assert [(r.code, c.code, c.unit) for r, c in trial.cells() if c.kind is CellKind.MONEY] == [
        ("procurement", "amount", "元")
    ]
    signed = [(r.code, c.code) for r, c in trial.cells() if c.kind is CellKind.SIGNED]
    assert signed == [
        ("licensing", "change"),
        ("other_services", "change"),
        ("penalty", "change"),
        ("coercion", "change"),
        ("fees", "change"),
    ]


def test_only_2019_trial_change_is_signed_and_only_amounts_are_money() -> None:
    for name, table in all_tables():
        for column in table.columns:
            if (name, column.code) == ("2019-trial/proactive", "change"):
                assert column.kind is CellKind.SIGNED
            elif column.code == "amount":
                assert column.kind is CellKind.MONEY, name
                assert column.unit in ("元", "万元")
            else:
                assert column.kind is CellKind.COUNT, (name, column.code)
                assert column.unit is None


# --- Table 三 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("layout", "rows", "data_rows", "cells"),
    [
        (LAYOUT_2021, APPLICATION_ROWS_2021, 25, 175),
        (LAYOUT_2019_TRIAL, APPLICATION_ROWS_2019, 23, 161),
    ],
    ids=["2021", "2019-trial"],
)
def test_table_3_rows_match_the_standard(
    layout: Layout, rows: list[tuple[str, str, str | None, bool]], data_rows: int, cells: int
) -> None:
    table = layout.table("applications")
    assert [(r.code, r.label, r.parent, r.is_group) for r in table.rows] == rows
    assert len(table.data_rows) == data_rows
    assert len(list(table.cells())) == cells
    for row in table.rows:
        assert row.columns == (() if row.is_group else APPLICATION_COLUMN_CODES), row.code
        assert row.block is None


@BOTH
def test_table_3_columns_and_header(layout: Layout) -> None:
    table = layout.table("applications")
    assert [(c.code, c.label, c.group) for c in table.columns] == APPLICATION_COLUMNS
    assert all(c.kind is CellKind.COUNT for c in table.columns)
    assert [label for label, _ in table.column_groups] == [APPLICANT, LEGAL_PERSON]
    assert table.note == STANDARD_NOTE
    assert APPLICATIONS_NOTE == STANDARD_NOTE


def test_table_3_layouts_differ_only_in_other_handling() -> None:
    rows_2021 = {r.code: r for r in LAYOUT_2021.table("applications").rows}
    rows_2019 = {r.code: r for r in LAYOUT_2019_TRIAL.table("applications").rows}
    assert set(rows_2021) - set(rows_2019) == _OTHER_HANDLING_SUBROWS
    assert set(rows_2019) <= set(rows_2021)
    for code, row in rows_2019.items():
        if code != "other_handling":
            assert row == rows_2021[code]
    assert rows_2021["other_handling"].is_group
    assert not rows_2019["other_handling"].is_group


@pytest.mark.parametrize(
    ("layout", "outcomes"),
    [(LAYOUT_2021, OUTCOMES_2021), (LAYOUT_2019_TRIAL, OUTCOMES_2019)],
    ids=["2021", "2019-trial"],
)
def test_descendants_of_results_are_the_outcomes_and_the_total(layout: Layout, outcomes: list[str]) -> None:
    table = layout.table("applications")
    assert [r.code for r in table.descendants("results")] == [*outcomes, "total_handled"]


def test_descendants_of_the_groups_2021() -> None:
    table = LAYOUT_2021.table("applications")
    assert [r.code for r in table.descendants("denied")] == OUTCOMES_2021[2:10]
    assert [r.code for r in table.descendants("unavailable")] == OUTCOMES_2021[10:13]
    assert [r.code for r in table.descendants("not_processed")] == OUTCOMES_2021[13:18]
    assert [r.code for r in table.descendants("other_handling")] == OUTCOMES_2021[18:21]
    # A data row has no descendants; neither has an unknown code.
    assert table.descendants("granted") == ()
    assert table.descendants("no_such_row") == ()


def test_descendants_of_other_handling_in_2019_trial_is_empty() -> None:
    assert LAYOUT_2019_TRIAL.table("applications").descendants("other_handling") == ()


@BOTH
def test_ancestors_outermost_first(layout: Layout) -> None:
    table = layout.table("applications")
    assert [r.code for r in table.ancestors("denied_state_secret")] == ["results", "denied"]
    assert [r.code for r in table.ancestors("unavailable_unclear")] == ["results", "unavailable"]
    assert [r.code for r in table.ancestors("granted")] == ["results"]
    assert [r.code for r in table.ancestors("total_handled")] == ["results"]
    assert table.ancestors("new_received") == ()
    assert table.ancestors("results") == ()
    assert [r.code for r in table.ancestors("denied")] == ["results"]


def test_ancestors_of_the_2021_other_handling_items() -> None:
    table = LAYOUT_2021.table("applications")
    for code in _OTHER_HANDLING_SUBROWS:
        assert [r.label for r in table.ancestors(code)] == ["三、本年度办理结果", "（六）其他处理"]


def test_ancestors_of_an_unknown_row_raise_key_error() -> None:
    with pytest.raises(KeyError):
        LAYOUT_2021.table("applications").ancestors("no_such_row")


# --- Table 四 -----------------------------------------------------------------------------------


@BOTH
def test_table_4_matches_the_standard(layout: Layout) -> None:
    table = layout.table("review_litigation")
    assert [(c.code, c.label) for c in table.columns] == REVIEW_COLUMNS
    assert [(r.code, r.label, r.parent, r.is_group) for r in table.rows] == REVIEW_ROWS
    for row in table.data_rows:
        assert row.columns == tuple(code for code, _ in REVIEW_COLUMNS)
    assert len(list(table.cells())) == 15
    assert [r.code for r in table.descendants("litigation")] == [
        "litigation_direct",
        "litigation_after_reconsideration",
    ]


def test_table_4_is_shared_by_both_layouts() -> None:
    assert LAYOUT_2021.table("review_litigation") is LAYOUT_2019_TRIAL.table("review_litigation")


# --- Whole-registry invariants -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("layout", "cells"),
    [(LAYOUT_2021, 10 + 175 + 15), (LAYOUT_2019_TRIAL, 22 + 161 + 15)],
    ids=["2021", "2019-trial"],
)
def test_cell_paths_are_unique_and_complete(layout: Layout, cells: int) -> None:
    paths = list(layout.cell_paths())
    assert len(paths) == cells
    assert len(set(paths)) == len(paths)
    assert "applications.granted.total" in paths
    assert "proactive.licensing.decisions" in paths
    assert "review_litigation.litigation_direct.pending" in paths
    for path in paths:
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+\.[a-z_]+", path), path


@ALL_TABLES
def test_codes_are_unique_and_references_resolve(name: str, table: Table) -> None:
    row_codes = [r.code for r in table.rows]
    column_codes = [c.code for c in table.columns]
    assert len(set(row_codes)) == len(row_codes), name
    assert len(set(column_codes)) == len(column_codes), name
    used: set[str] = set()
    for row in table.rows:
        assert re.fullmatch(r"[a-z][a-z_]*", row.code)
        assert set(row.columns) <= set(column_codes), row.code
        assert len(set(row.columns)) == len(row.columns), row.code
        used.update(row.columns)
        if row.parent is not None:
            parent = table.row(row.parent)
            assert parent.is_group, row.code
            # a parent comes before its children
            assert row_codes.index(row.parent) < row_codes.index(row.code)
    assert used == set(column_codes), f"{name}: every column is used by some row"
    assert table.column_map == {c.code: c for c in table.columns}
    assert table.row_map == {r.code: r for r in table.rows}


@ALL_TABLES
def test_labels_use_official_punctuation(name: str, table: Table) -> None:
    labels = [r.label for r in table.rows] + [c.label for c in table.columns]
    for label in labels:
        assert label, name
        assert not re.search(r"\s", label), label
        # half-width brackets, colon and comma never appear; the full-width forms do
        assert not re.search(r"[():,;]", label), label
        # full-width digits and dots are not used: numbered items are ASCII "1."
        assert not re.search(r"[０-９．]", label), label
        if re.match(r"[0-9]", label):
            assert re.match(r"[0-9]\.[^\s.]", label), label


def test_numbered_labels_are_ascii_digit_and_dot() -> None:
    label = LAYOUT_2021.table("applications").row("denied_state_secret").label
    assert label == "1.属于国家秘密"
    assert label.encode("utf-8")[:2] == b"1."
    quoted = LAYOUT_2021.table("applications").row("denied_security_stability").label
    assert "\u201c" in quoted
    assert "\u201d" in quoted
    assert '"' not in quoted
    amount = LAYOUT_2021.table("proactive").column("amount").label
    assert "\uff08" in amount
    assert "\uff1a" in amount
    assert "\uff09" in amount


def test_registry_records_are_immutable() -> None:
    row = LAYOUT_2021.table("applications").row("granted")
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.label = "x"  # type: ignore[misc]
    column = LAYOUT_2021.table("applications").column("total")
    with pytest.raises(dataclasses.FrozenInstanceError):
        column.kind = CellKind.MONEY  # type: ignore[misc]


def test_unknown_row_or_column_lookup_raises_key_error() -> None:
    table = LAYOUT_2021.table("applications")
    with pytest.raises(KeyError):
        table.row("no_such_row")
    with pytest.raises(KeyError):
        table.column("no_such_column")
    with pytest.raises(KeyError):
        LAYOUT_2021.table("no_such_table")

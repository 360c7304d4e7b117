"""Lenient label matching (layout/labels.py): every registry label and its usual variants find their row."""

from __future__ import annotations

import pytest

from ogi_report import LAYOUT_2019_TRIAL, LAYOUT_2021
from ogi_report.layout import Layout
from ogi_report.layout.labels import match_row, match_row_misspelt, normalise

BOTH = pytest.mark.parametrize("layout", [LAYOUT_2021, LAYOUT_2019_TRIAL], ids=["2021", "2019-trial"])


def test_normalise_removes_what_copying_changes() -> None:
    assert normalise("（二）部分公开（区分处理的，只计这一情形）") == "(二)部分公开(区分处理的,只计这一情形)"
    assert normalise(" 商业 企业\u3000") == "商业企业"
    assert normalise("一、本年") == normalise("一，本年") == normalise("一,本年")
    assert normalise("３.危及“三安全一稳定”") == normalise('3.危及"三安全一稳定"')
    assert normalise("\ufeff规章\u200b") == "规章"
    assert normalise("本年（2021年度）新收") == "本年新收"  # a bracketed year never changes the row
    assert normalise("上一年项目数量(指2019年事项数)") == "上一年项目数量(指2019年事项数)"  # a note stays


@BOTH
def test_every_label_matches_its_row(layout: Layout) -> None:
    for table in layout.tables:
        for row in table.rows:
            assert match_row(table, row.label) is row
            half = row.label.replace("（", "(").replace("）", ")").replace("、", ",").replace("，", ",")
            assert match_row(table, half) is row
            assert match_row(table, " ".join(row.label)) is row


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("(一)予以公开", "granted"),
        ("（二）部分公开", "partially_granted"),  # truncated
        ("1、属于国家秘密", "denied_state_secret"),  # another enumerator style
        ("属于国家秘密", "denied_state_secret"),  # no enumerator
        ("（一）予以公开（件）", "granted"),  # a bracketed note after the label
        ("三、本年度办理结果", "results"),  # a group row
        ("2.申请人逾期未按收费通知要求缴纳费用", "other_no_fee"),
        ("一、本年(2021)新收政府信息公开申请数量", "new_received"),  # the year inside the label
        ("二、上年（2020年）结转政府信息公开申请数量", "carried_in"),
    ],
)
def test_variants_match(text: str, code: str) -> None:
    row = match_row(LAYOUT_2021.table("applications"), text)
    assert row is not None
    assert row.code == code


def test_shortened_label_matches() -> None:
    row = match_row(LAYOUT_2021.table("proactive"), "规范性文件")
    assert row is not None
    assert row.code == "normative_documents"


@pytest.mark.parametrize(
    "text", ["", "  ", "其他主动公开文件", "合计", "三、收到和处理政府信息公开申请情况", "1."]
)
def test_unknown_text_matches_nothing(text: str) -> None:
    for table in LAYOUT_2021.tables:
        assert match_row(table, text) is None


# --- one slip of the pen ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "text", "code"),
    [
        ("applications", "二、上年转结政府信息公开申请数量", "carried_in"),  # two characters swapped
        ("proactive", "行政事业型收费", "fees"),  # a homophone typed for 性
        ("applications", "(一)予以分开", "granted"),  # 公 retyped, enumerator kept
        ("applications", "2.申请人逾期未按收费通知要求交纳费用", "other_no_fee"),  # cut label, 交 for 缴
    ],
)
def test_one_slip_names_its_row(table: str, text: str, code: str) -> None:
    assert match_row(LAYOUT_2021.table(table), text) is None  # not a label as written
    row = match_row_misspelt(LAYOUT_2021.table(table), text)
    assert row is not None
    assert row.code == code


@pytest.mark.parametrize(
    ("table", "text"),
    [
        ("proactive", "规草"),  # too short to forgive
        ("proactive", "行政处可"),  # one slip from 行政许可 and from 行政处罚: either could be meant
        ("applications", "三、本年度办理结杲"),  # a group row: never a row with cells
        ("applications", "上年转结"),  # cut to fewer than six characters
        ("proactive", "行政事业性收费"),  # exact: match_row's, not a slip
        ("proactive", "行政事业型收废"),  # two slips
    ],
)
def test_what_is_not_forgiven(table: str, text: str) -> None:
    assert match_row_misspelt(LAYOUT_2021.table(table), text) is None


@BOTH
def test_a_slip_never_names_another_row(layout: Layout) -> None:
    """Every label with each character retyped, and each two neighbours swapped: the row it names is
    its own or none (no slip of one label reads as another row)."""
    for table in layout.tables:
        for row in table.rows:
            label = row.label
            slips = [label[:i] + "□" + label[i + 1 :] for i in range(len(label))]
            slips += [label[:i] + label[i + 1] + label[i] + label[i + 2 :] for i in range(len(label) - 1)]
            for slip in slips:
                found = match_row(table, slip) or match_row_misspelt(table, slip)
                assert found in (row, None), (label, slip, found)

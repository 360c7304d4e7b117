"""Lenient label matching (layout/labels.py): every registry label and its usual variants find their row."""

from __future__ import annotations

import pytest

from ogi_report import LAYOUT_2019_TRIAL, LAYOUT_2021
from ogi_report.layout import Layout
from ogi_report.layout.labels import match_row, normalise

BOTH = pytest.mark.parametrize("layout", [LAYOUT_2021, LAYOUT_2019_TRIAL], ids=["2021", "2019-trial"])


def test_normalise_removes_what_copying_changes() -> None:
    assert normalise("（二）部分公开（区分处理的，只计这一情形）") == "(二)部分公开(区分处理的,只计这一情形)"
    assert normalise(" 商业 企业\u3000") == "商业企业"
    assert normalise("一、本年") == normalise("一，本年") == normalise("一,本年")
    assert normalise("３.危及“三安全一稳定”") == normalise('3.危及"三安全一稳定"')
    assert normalise("\ufeff规章\u200b") == "规章"


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

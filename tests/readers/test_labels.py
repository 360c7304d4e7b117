"""Lenient matching for published pages (layout/labels.py): Traditional characters, pinyin, section
headings and their variants, column headers and header notes, all derived from the registry."""

from __future__ import annotations

import re

import pytest
import zhconv

from ogi_report import LAYOUT_2019_TRIAL, LAYOUT_2021
from ogi_report.layout import SECTIONS, Layout
from ogi_report.layout.labels import (
    HEADING_VARIANTS,
    headings_in,
    label_texts,
    match_column,
    match_header,
    match_row,
    match_section,
    normalise,
    row_ending,
    simplified_characters,
    simplify,
)
from ogi_report.readers.cell_text import _NUMBER, PLACEHOLDER_WORDS
from ogi_report.readers.narrative import PATTERNS

BOTH = pytest.mark.parametrize("layout", [LAYOUT_2021, LAYOUT_2019_TRIAL], ids=["2021", "2019-trial"])
VARIANTS = ("zh-hant", "zh-tw", "zh-hk")
NUMERALS = {s.code: s.label.split("、", 1)[0] for s in SECTIONS}
CJK = re.compile(r"[\u4e00-\u9fff]+")


def _words_read() -> list[str]:
    """Every text the page readers match in Simplified form: labels, headings, placeholder and unit
    words of cells, and the words of the narrative patterns."""
    units = CJK.findall(_NUMBER.pattern)
    pattern_words = [w for p in PATTERNS for w in CJK.findall(p.pattern)]
    return [*label_texts(), *PLACEHOLDER_WORDS, *units, *pattern_words]


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_traditional_table_covers_every_word_read(variant: str) -> None:
    """A mirror site's Traditional text is made Simplified again, character for character."""
    for text in _words_read():
        traditional = zhconv.convert(text, variant)
        if len(traditional) == len(text):
            quotes = str.maketrans("「」", "“”")  # quote styles are folded by normalise, not here
            assert simplified_characters(traditional).translate(quotes) == text, (text, traditional)
        assert normalise(traditional) == normalise(text), (text, traditional)


def test_pinyin_in_brackets_is_removed_but_notes_are_kept() -> None:
    assert normalise("數(shù)量") == "数量"
    assert normalise("本年處（chǔ）理決(jué)定數(shù)量") == "本年处理决定数量"
    assert normalise("行政 許可（xǔ kě）") == "行政许可"
    assert normalise("上一年项目数量(指2019年事项数)") == "上一年项目数量(指2019年事项数)"
    assert normalise("（一）予以公开") == "(一)予以公开"
    assert simplify("１２ 件") == "12 件"  # white space kept, full-width digits folded


@BOTH
def test_traditional_labels_with_pinyin_find_their_rows_and_columns(layout: Layout) -> None:
    for table in layout.tables:
        for row in table.rows:
            text = zhconv.convert(row.label, "zh-hant").replace("數", "數(shù)")
            assert match_row(table, text) is row, text
        for column in table.columns:
            text = zhconv.convert(column.label, "zh-hant").replace("數", "數(shù)")
            assert match_column(table, text) is column, text


# --- section headings ------------------------------------------------------------------------------


def test_every_section_heading_matches() -> None:
    for section in SECTIONS:
        assert match_section(section.label) is section
        assert match_section(section.label.split("、", 1)[1]) is section  # without its numeral
        assert match_section(zhconv.convert(section.label, "zh-hant")) is section
        assert match_section(" " + section.label.replace("、", ".") + "：") is section


@pytest.mark.parametrize(
    ("text", "code"),
    [
        *[(f"{NUMERALS[code]}、{v}", code) for code, variants in HEADING_VARIANTS.items() for v in variants],
        ("四、政府信息公开行政复议及行政诉讼情况", "review_litigation"),
        ("因政府信息公开工作被申请行政复议和提起行政诉讼情况", "review_litigation"),
        ("存在的问题和改进措施", "problems"),
        ("其他需报告的事项", "other_matters"),
        ("一、总体情况", "overview"),
        ("一、概述", "overview"),
        ("三是收到和处理政府信息公开申请情况", "applications"),  # one slip: 是 typed for 、
        ("四、政府信息公开行政复议、行政拆讼情况", "review_litigation"),  # one slip, numbered
    ],
)
def test_heading_variants(text: str, code: str) -> None:
    section = match_section(text)
    assert section is not None, text
    assert section.code == code


@pytest.mark.parametrize(
    "text",
    [
        "",
        "（一）主动公开方面。全面贯彻落实《中华人民共和国政府信息公开条例》",
        "(二)依申请公开方面",
        "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议及"
        "行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等六部分组成。",
        "二、存在的问题和改进措施",  # a known wording under another section's numeral
        "三、本年度办理结果",  # a row of table 三, not a heading
        "七、附件",
        "三是收到和处理政府信息公开申请情况有所增加",  # a sentence: longer than any heading slipped
        "二是主动公开政府信息",  # prose counting its points (一是……二是……)
        "三是收到和处理政府信息公开申请情兄况",  # a character added: not one slip
    ],
)
def test_lines_that_are_not_headings(text: str) -> None:
    assert match_section(text) is None


# --- columns and header cells ----------------------------------------------------------------------


@BOTH
def test_every_column_label_and_its_usual_variants_match(layout: Layout) -> None:
    for table in layout.tables:
        for column in table.columns:
            assert match_column(table, column.label) is column
            half = column.label.replace("（", "(").replace("）", ")").replace("：", ":")
            assert match_column(table, half) is column
            assert match_column(table, " ".join(column.label)) is column


@pytest.mark.parametrize(
    ("layout", "text", "code"),
    [
        (LAYOUT_2021, "本年收费金额(万元)", "amount"),
        (LAYOUT_2021, "本年收费金额", "amount"),  # the unit note left out
        (LAYOUT_2021, "处理决定数量", "decisions"),  # shortened at the start
        (LAYOUT_2019_TRIAL, "上一年项目数量(指2019年事项数)", "prior_year_items"),  # a note after the label
        (LAYOUT_2019_TRIAL, "采购总金额（万元）", "amount"),
        (LAYOUT_2019_TRIAL, "本年增／减", "change"),
    ],
)
def test_column_variants(layout: Layout, text: str, code: str) -> None:
    table = layout.table("proactive")
    column = match_column(table, text)
    assert column is not None, text
    assert column.code == code


@pytest.mark.parametrize(
    "text", ["商业", "企业", "科研", "机构", "其他主动公开文件", "合计", "1.属于国家秘密"]
)
def test_split_words_and_other_texts_are_no_column(text: str) -> None:
    assert match_column(LAYOUT_2021.table("applications"), text) is None


def test_header_cells_are_recognised() -> None:
    applications = LAYOUT_2021.table("applications")
    assert applications.note is not None
    assert match_header(applications, applications.note) == "note"
    assert match_header(applications, "(本列数据的勾稽关系为:第一项加第二项之和,") == "note"  # cut short
    assert match_header(applications, "申请人情况") == "column_group"
    assert match_header(applications, "法人或其他组织") == "column_group"
    assert match_header(applications, "三、收到和处理政府信息公开申请情况") == "title"
    proactive = LAYOUT_2021.table("proactive")
    assert match_header(proactive, "第二十条第(一)项") == "block"
    assert match_header(proactive, "信 息 内 容") == "row_heading"
    assert match_header(proactive, "规章") is None


def test_headings_run_into_a_line_are_found_in_full() -> None:
    text = (
        "…总体情况 一、总体情况全年推进。二、主动公开政府信息情况第二十条"
        "三、收到和处理政府信息公开申请情况申请人"
    )
    found = [text[a:b] for a, b in headings_in(text)]
    assert found == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]
    assert headings_in("我们将在二、三季度主动公开更多信息") == []


def test_reworded_headings_run_into_a_line_are_found_by_their_numeral_and_words() -> None:
    text = (
        "结转下年度继续办理0000000四、因政府信息公开工作被申请行政复议、提起行政诉讼情况行政复议 行政诉讼"
        "五、存在的主要问题及明年工作计划2024年，我局…"
    )
    found = [text[a:b] for a, b in headings_in(text)]
    assert found == [
        "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
        "五、存在的主要问题及明年工作计划",
    ]
    assert headings_in("三、本年度办理结果（一）予以公开情况") == []  # 三 is not a heading of 办理结果


@BOTH
def test_a_row_label_is_found_at_the_end_of_the_words_it_ran_into(layout: Layout) -> None:
    proactive = layout.table("proactive")
    assert row_ending(proactive, "第二十条第（五）项信息内容本年处理决定数量行政许可").code == "licensing"  # type: ignore[union-attr]
    assert row_ending(proactive, "信息内容本年制发件数本年废止件数现行有效件数规章").code == "regulations"  # type: ignore[union-attr]
    applications = layout.table("applications")
    assert row_ending(applications, "本年度办理结果（一）予以公开").code == "granted"  # type: ignore[union-attr]
    assert row_ending(applications, "全年共收到申请") is None

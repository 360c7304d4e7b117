"""Real pages' text shapes (readers/text_page.py, page_tables.py, page_metadata.py): each shape from a
small snippet written for the test, a page without its title, cells the reader must not place, and a
property: a table drawn one cell a line with random blanks reads back exactly, never shifted."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ogi_report.layout import LAYOUT_2021
from ogi_report.notes import place_words
from ogi_report.readers.page import ExtractedReport, extract_page
from ogi_report.readers.page_metadata import UNNAMED_AGENCY, find_agency, find_year
from ogi_report.readers.page_tables import find_row
from ogi_report.validation import validate_loaded

HEAD = "示例县水利局2023年政府信息公开工作年度报告\n一、总体情况\n全年推进公开。\n"


def cells(extracted: ExtractedReport, table: str) -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = extracted.report.to_dict()[table]
    return data


# --- shapes ------------------------------------------------------------------------------------------


def test_one_cell_a_line_with_lone_pipe_separators() -> None:
    cells_text = ["第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    cells_text += ["规章", "1", "2", "3", "行政规范性文件", "4"]
    body = "\n|\n".join(cells_text) + "\n|\n|\n6\n|\n第二十条第（五）项\n|\n行政许可\n|\n9"
    extracted = extract_page(HEAD + "二、主动公开政府信息情况\n" + body)
    table = cells(extracted, "proactive")
    assert table["regulations"] == {"issued": 1, "repealed": 2, "in_force": 3}
    assert table["normative_documents"] == {"issued": 4, "repealed": None, "in_force": 6}  # two | meet
    assert table["licensing"] == {"decisions": 9}


def test_one_row_a_line_separated_by_spaces() -> None:
    body = (
        "第二十条第（一）项\n信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 0 1 7\n"
        "行政规范性文件 2 0 15\n说明：本表数据截至年底。\n"
    )
    table = cells(extract_page(HEAD + "二、主动公开政府信息情况\n" + body), "proactive")
    assert table["regulations"] == {"issued": 0, "repealed": 1, "in_force": 7}
    assert table["normative_documents"] == {"issued": 2, "repealed": 0, "in_force": 15}


def test_table_four_as_one_line_of_fifteen_figures() -> None:
    body = "行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n" + " ".join(str(n) for n in range(15)) + "\n"
    table = cells(extract_page(HEAD + "四、政府信息公开行政复议、行政诉讼情况\n" + body), "review_litigation")
    assert table["reconsideration"] == {"upheld": 0, "corrected": 1, "other": 2, "pending": 3, "total": 4}
    assert table["litigation_after_reconsideration"]["total"] == 14


def test_one_cell_a_paragraph_with_labels_broken_over_lines() -> None:
    body = "\n\n".join(["第二十条第（一）项", "信息内容", "本年新\n制发件数", "本年废止件数", "现行有效件数"])
    body += "\n\n" + "\n\n".join(["规章", "5", "0", "12", "行政规范性文件", "3"]) + "\n\n\n" + "8"
    table = cells(extract_page(HEAD + "二、主动公开政府信息情况\n" + body), "proactive")
    assert table["regulations"] == {"issued": 5, "repealed": 0, "in_force": 12}
    assert table["normative_documents"] == {"issued": 3, "repealed": None, "in_force": 8}


def test_a_lone_pipe_line_is_an_empty_cell_where_cells_end_in_pipes() -> None:
    header = ["申请人情况", "自然人", "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织"]
    header += ["法律服务机构", "其他"]
    lines = [f"{h} |" for h in header] + ["|||||", "一、本年新收政府信息公开申请数量 |"]
    lines += ["|", "|", "|", "|", "|", "|", "4 |", "||", "二、上年结转政府信息公开申请数量 |"]
    lines += ["1 |", "0 |", "0 |", "0 |", "0 |", "0 |", "1 |"]
    table = cells(
        extract_page(HEAD + "三、收到和处理政府信息公开申请情况\n" + "\n".join(lines)), "applications"
    )
    assert list(table["new_received"].values()) == [None] * 6 + [4]
    assert list(table["carried_in"].values()) == [1, 0, 0, 0, 0, 0, 1]


def test_a_cell_whose_pipe_broke_onto_the_next_line_keeps_its_row() -> None:
    body = (
        "第二十条第（一）项 |\n|||\n信息内容 |\n本年制发件数 |\n本年废止件数 |\n现行有效件数 |\n"
        "规章 |\n1 |\n0 |\n4 |\n行政规范性文件\n|\n2 |\n0 |\n7 |\n第二十条第（五）项 |\n|||\n"
        "信息内容 |\n本年处理决定数量 |\n||\n行政许可 |\n5 |\n||\n"
    )
    table = cells(extract_page(HEAD + "二、主动公开政府信息情况\n" + body), "proactive")
    assert table["regulations"] == {"issued": 1, "repealed": 0, "in_force": 4}
    assert table["normative_documents"] == {"issued": 2, "repealed": 0, "in_force": 7}  # not a blank
    assert table["licensing"] == {"decisions": 5}


def test_a_figure_that_lost_its_pipe_at_a_cut_off_is_read() -> None:
    body = "第二十条第（五）项 |\n本年处理决定数量 |\n行政许可 |\n3 |\n行政处罚 |\n7"
    table = cells(extract_page(HEAD + "二、主动公开政府信息情况\n" + body), "proactive")
    assert (table["licensing"]["decisions"], table["penalty"]["decisions"]) == (3, 7)


def test_a_row_label_with_a_note_or_retyped_is_found() -> None:
    body = (
        "| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n"
        "| 规章（设区的市应提供相关数据） | 1 | 1 | 4 |\n| 規範性檔案 | 2 | 2 | 9 |\n"
    )
    extracted = extract_page(HEAD.replace("2023", "2020") + "二、主动公开政府信息情况\n" + body)
    table = cells(extracted, "proactive")
    assert extracted.report.format == "2019-trial"
    assert table["regulations"]["total_published"] == 4
    assert table["normative_documents"]["total_published"] == 9


# Table 三 one row a line with spaces between the cells, as a PDF's text gives a table without rules.
SPACED_HEADER = (
    "三、收到和处理政府信息公开申请情况\n申请人情况\n"
    "自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计\n"
    "一、本年新收政府信息公开申请数量 9 1 0 0 0 0 10\n"
)


def test_a_piece_of_the_group_label_before_a_row_on_its_line_is_not_its_label() -> None:
    body = SPACED_HEADER + "三、本年度 （一）予以公开 4 3 1 0 1 1 10\n"
    table = cells(extract_page(HEAD + body), "applications")
    assert table["new_received"]["total"] == 10
    assert table["granted"] == dict(zip(table["granted"], [4, 3, 1, 0, 1, 1, 10], strict=True))


def test_a_row_label_wrapped_around_its_figures_is_joined_back() -> None:
    body = SPACED_HEADER + (
        "办理结果 （二）部分公开（区分处理的，只计这一情形，不\n2 1 0 0 0 0 3\n计其他情形）\n"
        "5.要求行政机关确认或重新出具已获取\n0 1 0 0 0 0 1\n信息\n"
        "1.申请人无正当理由逾期不补正、行政\n1 0 0 0 0 0 1\n机关不再处理其政府信息公开申请\n"
    )
    table = cells(extract_page(HEAD + body), "applications")
    assert list(table["partially_granted"].values()) == [2, 1, 0, 0, 0, 0, 3]
    assert list(table["not_processed_confirmation"].values()) == [0, 1, 0, 0, 0, 0, 1]
    assert list(table["other_no_correction"].values()) == [1, 0, 0, 0, 0, 0, 1]


def test_figures_between_two_labels_are_not_joined_to_either() -> None:
    # The line after starts a label of its own (`1.`): the figures have no label and stay unread.
    body = SPACED_HEADER + ("（三）不予公开\n5 0 0 0 0 0 5\n1.属于国家秘密 1 0 0 0 0 0 1\n")
    table = cells(extract_page(HEAD + body), "applications")
    assert list(table["denied_state_secret"].values()) == [1, 0, 0, 0, 0, 0, 1]
    assert 5 not in [v for row in table.values() for v in row.values()]


# --- cells that cannot be placed ----------------------------------------------------------------------


def test_fewer_figures_than_columns_in_one_cell_a_line_are_left_out_not_shifted() -> None:
    body = (
        "信息内容 |\n本年制发件数 |\n本年废止件数 |\n现行有效件数 |\n规章 |\n5 |\n"
        "行政规范性文件 |\n1 |\n2 |\n3 |\n"
    )
    extracted = extract_page(HEAD + "二、主动公开政府信息情况\n" + body)
    table = cells(extracted, "proactive")
    assert table["regulations"] == {"issued": None, "repealed": None, "in_force": None}
    assert table["normative_documents"] == {"issued": 1, "repealed": 2, "in_force": 3}
    assert set(extracted.loaded.unplaced) == {
        f"proactive.regulations.{c}" for c in ("issued", "repealed", "in_force")
    }
    [warning] = [w for w in extracted.warnings if w.code == "CELLS-UNPLACED"]
    assert warning.params["found"] == 1
    assert warning.params["wanted"] == 3
    assert "left blank, not guessed" in warning.message("en")
    assert "不作猜测" in warning.message("zh")
    findings = [f for f in validate_loaded(extracted.loaded).findings if f.rule == "CELL-UNPLACED"]
    assert [f.cells[0] for f in findings] == sorted(
        extracted.loaded.unplaced, key=list(extracted.loaded.unplaced).index
    )
    assert all(f.severity.value == "warning" for f in findings)
    assert "页面未显示哪些列为空" in findings[0].message_zh  # why, in each language
    assert "does not show which columns are empty" in findings[0].message_en


def test_a_row_short_of_figures_where_blanks_leave_no_trace_places_none() -> None:
    # Cells separated by spaces (a PDF's text): `18 18` are two of seven cells, which ones is unknown.
    body = SPACED_HEADER + "二、上年结转政府信息公开申请数量 18 18\n"
    extracted = extract_page(HEAD + body)
    table = cells(extracted, "applications")
    assert set(table["carried_in"].values()) == {None}
    assert table["new_received"]["total"] == 10
    assert len([k for k in extracted.loaded.unplaced if k.startswith("applications.carried_in.")]) == 7
    [warning] = [w for w in extracted.warnings if w.code == "CELLS-UNPLACED"]
    assert (warning.params["found"], warning.params["wanted"]) == (2, 7)


# --- a page without its title --------------------------------------------------------------------------


def test_a_page_without_its_title_is_read_with_year_and_agency_from_its_text() -> None:
    text = (
        "一、总体情况\n2022年，示例市文化旅游局认真落实公开要求。本报告所列数据的统计期限自2022年1月1日起"
        "至2022年12月31日止。\n二、主动公开政府信息情况\n"
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| 规章 | 0 | 0 | 0 |\n"
    )
    extracted = extract_page(text)
    assert (extracted.report.year, extracted.report.agency.name) == (2022, "示例市文化旅游局")
    assert not extracted.loaded.missing_metadata
    assert not [f for f in validate_loaded(extracted.loaded).findings if f.rule == "METADATA-MISSING"]


def test_a_page_that_never_states_them_gets_stand_ins_and_metadata_missing() -> None:
    extracted = extract_page(
        "二、主动公开政府信息情况\n"
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| 规章 | 1 | 0 | 2 |\n"
    )
    assert extracted.report.agency.name == UNNAMED_AGENCY
    assert extracted.loaded.missing_metadata == ("year", "agency.name")
    assert cells(extracted, "proactive")["regulations"] == {"issued": 1, "repealed": 0, "in_force": 2}
    rules = [f.rule for f in validate_loaded(extracted.loaded).findings if f.rule == "METADATA-MISSING"]
    assert rules == ["METADATA-MISSING", "METADATA-MISSING"]


def test_year_and_agency_wordings() -> None:
    assert find_year(["现将我办2021年度政府信息公开情况报告如下"]).value == 2021  # type: ignore[union-attr]
    assert find_year(["统计期限为2024年1月1日至2024年12月31日。"]).value == 2024  # type: ignore[union-attr]
    assert find_year(["无年份"], "发布日期：2023-02-01").value == 2022  # type: ignore[union-attr]
    assert find_year(["没有年份的文字"]) is None
    assert find_year(["(二)依申请公开", "2022年共收到8项依申请公开。"]).value == 2022  # type: ignore[union-attr]
    assert find_year(["较2022年共减少3件。"]) is None  # a year compared with, mid-sentence
    assert find_agency(["本报告由示例省交通运输厅编制。"]).value == "示例省交通运输厅"  # type: ignore[union-attr]
    assert find_agency(["2021年示例区统计局政府信息公开工作年度报告"]).value == "示例区统计局"  # type: ignore[union-attr]
    assert find_agency(["2023年，我局认真落实。"]) is None  # 我局 is not a name
    quoted = ["根据条例，编制完成《示例县乡村振兴局2023年政府信息公开工作年度报告》，所列数据如下。"]
    assert find_agency(quoted).value == "示例县乡村振兴局"  # type: ignore[union-attr]
    assert find_agency(["根据《中华人民共和国政府信息公开条例》要求编制。"]) is None  # a law, not a title
    assert find_agency(["2022年示例县卫生健康委员会信息公开年报"]).value == "示例县卫生健康委员会"  # type: ignore[union-attr]
    # a notice the text cites names the work, not the agency (`…和政府` + `信息公开…报告`)
    cited = "根据《关于做好2020年度政务公开工作总结和政府信息公开工作年度报告有关事项的通知》编制。"
    assert find_agency([cited, "如有疑问，请与示例市交通运输局办公室联系。"]).value == "示例市交通运输局"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("sentence", "agency"),
    [
        # the report named in full after the words announcing it, mid-paragraph (a page whose title is lost)
        ("根据《条例》，现向社会公布示例市水利局2025年信息公开工作年度报告。本报告涵盖……", "示例市水利局"),
        ("根據《條例》的規定,現向社會公布示例市水利局2025年信息公開工作年度報告。", "示例市水利局"),
        ("现将示例县统计局2024年度政府信息公开工作年度报告公布如下。", "示例县统计局"),
        ("按照要求，特此公布示例镇人民政府2023年政府信息公开工作年度报告。", "示例镇人民政府"),
        # no name between the words and the year: nothing named
        ("现将我局2025年政府信息公开工作年度报告公布如下。", None),
        ("现向社会公布2025年政府信息公开工作年度报告。", None),
        ("现将本单位2025年度政府信息公开工作年度报告公布如下。", None),
    ],
)
def test_agency_named_by_the_words_announcing_the_report(sentence: str, agency: str | None) -> None:
    found = find_agency(["一、总体情况", sentence])
    assert (found.value if found else None) == agency


@pytest.mark.parametrize(
    "title",
    [
        "示例乡人民政府2019年度政府信息公开年度工作报告",
        "示例乡人民政府2019年政府信息公开工作报告",
        "示例乡人民政府2019年政务信息公开工作开展年度报告",
        "示例乡人民政府2019年政府信息公开年报",
    ],
)
def test_the_wordings_agencies_title_their_report_with(title: str) -> None:
    extracted = extract_page(title + "\n2019年，本乡贯彻条例。\n" + _PROACTIVE)
    assert (extracted.report.agency.name, extracted.report.year) == ("示例乡人民政府", 2019)


def test_words_announcing_the_report_are_not_part_of_the_agency() -> None:
    table = (
        "\n二、主动公开政府信息情况\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
        "| 规章 | 0 | 0 | 0 |\n"
    )
    text = "根据条例，现向社会公布示例镇2022年度政府信息公开工作年度报告。"
    assert extract_page(text + table).report.agency.name == "示例镇"
    traditional = "根據條例規定,現將示例鎮2022年政府信息公開工作年度報告進行公開。"
    assert extract_page(traditional + table).report.agency.name == "示例鎮"
    special = "根据条例规定，特向社会公布示例县卫生健康局2020年政府信息公开工作年度报告。"
    assert extract_page(special + table).report.agency.name == "示例县卫生健康局"


_PROACTIVE = (
    "\n二、主动公开政府信息情况\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
    "| 规章 | 0 | 0 | 0 |\n"
)


@pytest.mark.parametrize(
    ("text", "agency", "noted"),
    [
        # the title names the town; the text names its government: the report is the government's
        ("示例镇2022年政府信息公开工作年度报告\n示例镇人民政府认真贯彻条例。", "示例镇人民政府", True),
        ("示例鄉2022年政府信息公開工作年度報告\n示例鄉人民政府認真貫徹條例。", "示例鄉人民政府", True),
        (
            "示例县2023年政府信息公开工作年度报告\n如有疑问，请与示例县人民政府办公室联系。",
            "示例县人民政府",
            True,
        ),
        # a title without 政府 before 信息公开
        (
            "示例镇人民政府2021年信息公开年度报告\n现将示例镇2021年政府信息公开年度报告公布。",
            "示例镇人民政府",
            False,
        ),
        # the government only as a channel's name: no author named, the place stays
        (
            "示例镇2022年政府信息公开工作年度报告\n通过“示例县示例镇人民政府”微信公众号发布信息。",
            "示例镇",
            False,
        ),
        # an agency, not a place: never extended
        ("示例县统计局2022年政府信息公开工作年度报告\n示例县人民政府统计工作。", "示例县统计局", False),
        # a place the text never names as a government
        ("示例镇2022年政府信息公开工作年度报告\n本镇认真贯彻条例。", "示例镇", False),
        # what the agency does is no name, though it stands where a title's name would
        (
            "示例县人民政府2021年政府信息公开工作年度报告\n不断加强管理,认真撰写2021年度信息公开年度报告。",
            "示例县人民政府",
            False,
        ),
    ],
    ids=[
        "town",
        "traditional",
        "county",
        "title-without-zhengfu",
        "channel",
        "bureau",
        "place-only",
        "doing",
    ],
)
def test_a_place_is_read_as_its_government(text: str, agency: str, noted: bool) -> None:
    extracted = extract_page(text + _PROACTIVE)
    assert extracted.report.agency.name == agency
    assert ("AGENCY-GOVERNMENT" in {n.code for n in extracted.loaded.notes}) is noted


@pytest.mark.parametrize(
    "text",
    [
        "本年度报告是根据条例规定，由示例市行政审批局编制的2020年度政府信息公开工作报告。",
        "本年度報告是根據條例規定，由示例市行政審批局編制的2020年度政府信息公開工作報告。",
    ],
)
def test_the_author_named_around_its_name_is_the_agency(text: str) -> None:
    # (and a sentence saying what the agency does names no agency at all)
    assert (
        extract_page("认真撰写2021年度信息公开年度报告。\n" + _PROACTIVE).report.agency.name == UNNAMED_AGENCY
    )
    extracted = extract_page(text + "\n" + _PROACTIVE)
    assert extracted.report.agency.name in ("示例市行政审批局", "示例市行政審批局")
    assert find_agency(["本报告由示例省交通运输厅编制。"]).value == "示例省交通运输厅"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        # the sentence's maker is no title's name; the title broken over two lines names the agency
        (
            "2024 年示例市科委政府信息公开工作\n年度报告\n"
            "根据条例的要求，市科委编制了 2024 年度政务公开工作报告，报告全文包括六部分。",
            "示例市科委",
        ),
        # without a title, the clause's subject is the maker of the report
        ("根据条例的要求，示例县统计局编制了2024年度政府信息公开工作年度报告。", "示例县统计局"),
        # `我局` is no name
        ("根据条例的要求，我局编制了2019年度政府信息公开年度报告。", UNNAMED_AGENCY),
    ],
    ids=["title-over-sentence", "maker", "we"],
)
def test_a_sentence_naming_the_reports_maker_is_no_title(text: str, agency: str) -> None:
    extracted = extract_page(text + "\n" + _PROACTIVE)
    assert extracted.report.agency.name == agency
    assert extracted.report.year in (2024, 2019)


def test_a_title_without_its_year_on_a_line_of_its_own_names_the_agency() -> None:
    page = "示例区教育局政府信息公开工作年度报告\n2024-01-23 16:45\n一、总体情况\n"
    page += "2023年，区教育局累计主动公开信息120条。\n"
    extracted = extract_page(page + _PROACTIVE)
    assert (extracted.report.agency.name, extracted.report.year) == ("示例区教育局", 2023)
    # inside a sentence it is no title
    prose = "现将示例区教育局政府信息公开工作年度报告公布如下。\n2023年，区教育局累计主动公开信息120条。\n"
    assert extract_page(prose + _PROACTIVE).report.agency.name == UNNAMED_AGENCY


def test_a_governments_own_office_that_wrote_the_report_names_the_government() -> None:
    assert find_agency(["本报告由示例镇人民政府党政办公室编制。"]).value == "示例镇人民政府"  # type: ignore[union-attr]
    # a government's office publishes reports of its own: it stays the agency
    assert find_agency(["本报告由示例县人民政府办公室编制。"]).value == "示例县人民政府办公室"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("title", "agency"),
    [
        (
            "示例市风景区管理委员会 卫生健康办公室2023年政府信息公开工作年度报告",
            "示例市风景区管理委员会 卫生健康办公室",
        ),
        # a site's name before a bureau's title is no parent: a bureau stands alone
        ("示例县人民政府 示例县教育局2023年政府信息公开工作年度报告", "示例县教育局"),
    ],
    ids=["office-of-a-committee", "site-name"],
)
def test_an_office_in_a_title_keeps_the_agency_it_belongs_to(title: str, agency: str) -> None:
    assert extract_page(title + "\n" + _PROACTIVE).report.agency.name == agency


def test_a_title_saying_about_the_year_names_the_agency() -> None:
    title = (
        "示例县新九镇人民政府\n关于2021年度政府信息公开工作的年度报告\n一、总体情况\n新九镇认真贯彻条例。\n"
    )
    extracted = extract_page(title + _PROACTIVE)
    assert (extracted.report.agency.name, extracted.report.year) == ("示例县新九镇人民政府", 2021)


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("一、总体情况\n2022年我局严格按照条例要求，全面推进信息公开工作。\n", 2022),
        ("一、总体情况\n坚持依法公开，2022年，我局在县政府网站主动公开信息416条。\n", 2022),
        ("一、总体情况\n坚持依法公开。\n2023年我局将进一步加强公开。\n", None),  # plans, not the year
    ],
    ids=["clause", "after-a-comma", "plans"],
)
def test_a_clause_of_what_the_agency_did_that_year_gives_the_year(text: str, year: int | None) -> None:
    extracted = extract_page(text + _PROACTIVE)
    missing = any(n.code == "YEAR-MISSING" for n in extracted.warnings)
    assert (extracted.report.year, missing) == (year, False) if year else missing


def test_what_the_agency_does_is_no_name() -> None:
    # `认真撰写` stands where a title's name would (a title may end 信息公开年度报告)
    page = "严格按照通知要求,认真撰写2021年度信息公开年度报告。\n" + _PROACTIVE
    assert extract_page(page).report.agency.name == UNNAMED_AGENCY


def test_a_given_agency_is_never_extended() -> None:
    text = "示例镇2022年政府信息公开工作年度报告\n示例镇人民政府认真贯彻条例。"
    assert extract_page(text + _PROACTIVE, agency="示例镇").report.agency.name == "示例镇"


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("如对本报告有任何疑问，请与示例镇人民政府办公室联系。", "示例镇人民政府"),
        ("如對本報告有任何疑問，請與示例鎮人民政府辦公室聯系。", "示例鎮人民政府"),
        ("请与示例县统计局联系（电话：0000）。", "示例县统计局"),
        ("请与示例县交通运输局党政办联系。", "示例县交通运输局"),
        ("请与县政务公开办公室联系。", None),  # an office that is no agency's own
        ("请与我局办公室联系。", None),
    ],
)
def test_the_agency_whose_office_is_to_be_contacted(text: str, agency: str | None) -> None:
    found = find_agency([text])
    assert (found.value if found else None) == agency


@pytest.mark.parametrize(
    ("title", "text", "agency"),
    [
        # the title names the agency by its level alone; the text names the report in full
        (
            "市人民政府办公室",
            "现公开示例市人民政府办公室2025年政府信息公开工作年度报告。",
            "示例市人民政府办公室",
        ),
        ("縣衛生健康局", "現公開示例縣衛生健康局2025年政府信息公開工作年度報告。", "示例縣衛生健康局"),
        # the name alone in the text, or after words that are no place: the title's name stays
        ("市人民政府办公室", "2025年，市人民政府办公室认真贯彻条例。", "市人民政府办公室"),
        (
            "市人民政府办公室",
            "组织全市人民政府办公室2025年政府信息公开工作年度报告的编写。",
            "市人民政府办公室",
        ),
        ("县卫生健康局", "我们组织县卫生健康局2025年政府信息公开培训。", "县卫生健康局"),
    ],
)
def test_a_title_naming_the_level_alone_takes_the_place_the_text_gives(
    title: str, text: str, agency: str
) -> None:
    report = title + "2025年政府信息公开工作年度报告\n" + text + "\n" + _PROACTIVE
    extracted = extract_page(report)
    assert extracted.report.agency.name == agency  # as written, Traditional characters kept
    placed = [n for n in extracted.notes if n.code == "AGENCY-PLACED"]
    assert len(placed) == (agency != title)


def test_a_channel_is_never_taken_for_the_agency() -> None:
    # `通过政府网站` is how the work was done, not who did it: the agency stays unnamed.
    assert find_agency(["为做好通过政府网站政府信息公开工作，特编制本报告。"]) is None


# --- property: one cell a line with random blanks ------------------------------------------------------

APPLICATIONS = LAYOUT_2021.table("applications")
VALUE = st.one_of(st.none(), st.integers(0, 999))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(VALUE, min_size=7 * 3, max_size=7 * 3),
    st.sampled_from(["pipe", "empty line"]),
)
def test_one_cell_a_line_with_random_blanks_reads_back_exactly(values: list[Any], blank: str) -> None:
    rows = list(APPLICATIONS.data_rows)[:3]
    cells_text = ["申请人情况", *(c.label for c in APPLICATIONS.columns)]
    body: list[str] = []
    for text in cells_text:
        body += [text, "|"]
    for index, row in enumerate(rows):
        body += [row.label, "|"]
        for value in values[index * 7 : index * 7 + 7]:
            body += (["", "|"] if blank == "empty line" else ["|"]) if value is None else [str(value), "|"]
    extracted = extract_page(HEAD + "三、收到和处理政府信息公开申请情况\n" + "\n".join(body))
    table = cells(extracted, "applications")
    for index, row in enumerate(rows):
        for k, column in enumerate(APPLICATIONS.columns):
            want = values[index * 7 + k]
            got = table[row.code][column.code]
            path = f"applications.{row.code}.{column.code}"
            assert got == want or (got is None and path in extracted.loaded.unplaced), (path, want, got)


def test_a_slip_of_the_pen_in_a_row_label_is_read_and_noted() -> None:
    page = (
        "示例县统计局2022年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| 规章 | 1 | 0 | 2 |\n"
        "| 信息内容 | 本年收费金额（单位：万元） |\n| 行政事业型收费 | 1.5 |\n"
    )
    extracted = extract_page(page)
    assert str(cells(extracted, "proactive")["fees"]["amount"]) == "1.5"
    edited = [n for n in extracted.loaded.notes if n.code == "LABEL-EDITED"]
    assert [(n.written, n.became) for n in edited] == [("行政事业型收费", "行政事业性收费")]


# --- a row's name and figures run together (every separator lost) ------------------------------------

RUN_TOGETHER_HEAD = (
    HEAD + "二、主动公开政府信息情况\n第二十条第(一)项\n信息内容本年制发件数本年废止件数现行有效件数\n"
    "规章000\n行政规范性文件130\n第二十条第(五)项\n信息内容本年处理决定数量\n行政许可512\n"
    "第二十条第(八)项\n信息内容本年收费金额(单位:万元)\n行政事业性收费1.25\n"
    "三、收到和处理政府信息公开申请情况\n申请人情况\n自然人法人或其他组织总计\n"
    "商业企业科研机构社会公益组织法律服务机构其他\n"
)


def test_figures_run_together_are_split_only_where_certain() -> None:
    page = RUN_TOGETHER_HEAD + (
        "一、本年新收政府信息公开申请数量3000003\n"
        "二、上年结转政府信息公开申请数量12000012\n"  # eight digits for seven columns: no split
        "三、本年度办理结果(一)予以公开2000002\n"  # the group's name in the same cell
        "(三)不予公开1.属于国家秘密0000000\n"
    )
    extracted = extract_page(page)
    proactive, applications = cells(extracted, "proactive"), cells(extracted, "applications")
    assert proactive["regulations"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert proactive["normative_documents"] == {"issued": 1, "repealed": 3, "in_force": 0}
    assert proactive["licensing"] == {"decisions": 512}  # one column takes the whole run
    assert str(proactive["fees"]["amount"]) == "1.25"
    assert list(applications["new_received"].values()) == [3, 0, 0, 0, 0, 0, 3]
    assert list(applications["granted"].values()) == [2, 0, 0, 0, 0, 0, 2]
    assert list(applications["denied_state_secret"].values()) == [0] * 7
    assert list(applications["carried_in"].values()) == [None] * 7  # never guessed
    assert {p for p in extracted.loaded.unplaced if p.startswith("applications.carried_in.")} == {
        f"applications.carried_in.{c.code}" for c in APPLICATIONS.columns
    }
    joined = [n for n in extracted.loaded.notes if n.code == "CELLS-JOINED"]
    assert [n.written for n in joined][:2] == ["规章000", "行政规范性文件130"]
    [unsplit] = [w for w in extracted.warnings if w.code == "CELLS-RUN-UNSPLIT"]  # says why, both languages
    assert "12000012" in unsplit.message("zh")
    assert "不止一种" in unsplit.message("zh")
    assert "more than one way" in unsplit.message("en")
    finding = next(
        f for f in validate_loaded(extracted.loaded).findings if f.cells == ("applications.carried_in.total",)
    )
    assert "more than one way" in finding.message_en


def test_a_run_that_cannot_be_split_in_the_last_row_is_never_placed() -> None:
    extracted = extract_page(RUN_TOGETHER_HEAD + "一、本年新收政府信息公开申请数量1000010001\n")
    assert list(cells(extracted, "applications")["new_received"].values()) == [None] * 7


def test_a_rows_figures_run_into_one_cell_under_its_label_are_split_only_where_no_one_figure_can_be() -> None:
    # one cell a line: the label, then its figures with the separators between them lost
    page = RUN_TOGETHER_HEAD + (
        "一、本年新收政府信息公开申请数量\n0000000\n"  # a leading zero: no one figure; seven digits
        "二、上年结转政府信息公开申请数量\n0 00 0000\n"  # spaces between figures: the cuts kept
        "三、本年度办理结果\n(一)予以公开\n01000001\n"  # 0/10/0/0/0/0/1 only: 01 or 00 is no figure
        "(二)部分公开\n0210000021\n"  # 0/21/0/…/21 or 0/2/10/…/21: not split, placed nowhere
        "(三)不予公开\n1.属于国家秘密\n0000000\n"
    )
    extracted = extract_page(page)
    applications = cells(extracted, "applications")
    assert list(applications["new_received"].values()) == [0] * 7
    assert list(applications["carried_in"].values()) == [0] * 7
    assert list(applications["granted"].values()) == [0, 10, 0, 0, 0, 0, 1]
    assert list(applications["partially_granted"].values()) == [None] * 7
    assert "applications.partially_granted.total" in extracted.loaded.unplaced
    assert list(applications["denied_state_secret"].values()) == [0] * 7
    joined = [n for n in extracted.warnings if n.code == "FIGURES-JOINED"]
    assert joined[0].written == "0000000"
    assert "一、本年新收政府信息公开申请数量" in joined[0].message("zh")
    assert "runs the figures of" in joined[0].message("en")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 120), min_size=7 * 4, max_size=7 * 4), st.booleans())
def test_a_rows_figures_in_one_cell_never_invent_a_value(values: list[int], spaced: bool) -> None:
    """Each row's figures written as one cell under its label (one cell a line), run together or kept
    apart by spaces: read back exactly, or left blank; a run of single digits opening with 0 (no one
    figure) reads back always. (The rows are followed by another's label: a table's last row, cut off
    with the page, is read from the left, `1000000` as one figure.)"""
    rows = list(APPLICATIONS.data_rows)[:5]
    sep = " " if spaced else ""
    body = "".join(
        row.label + "\n" + sep.join(str(v) for v in values[n * 7 : n * 7 + 7]) + "\n"
        for n, row in enumerate(rows[:4])
    )
    table = cells(extract_page(RUN_TOGETHER_HEAD + body + rows[4].label + "\n"), "applications")
    for n, row in enumerate(rows[:4]):
        written = values[n * 7 : n * 7 + 7]
        got = [table[row.code][c.code] for c in APPLICATIONS.columns]
        assert got in (written, [None] * 7), (row.code, written, got)
        if not spaced and all(v < 10 for v in written) and written[0] == 0:
            assert got == written


def test_one_figure_under_a_rows_label_is_never_split() -> None:
    # `100` may be one cell of the three: which one cannot be told, and it is not cut into 1/0/0
    page = RUN_TOGETHER_HEAD.replace("行政规范性文件130\n", "行政规范性文件\n100\n第二十条第(二)项\n")
    normative = cells(extract_page(page), "proactive")["normative_documents"]
    assert list(normative.values()) != [1, 0, 0]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 120), min_size=7 * 4, max_size=7 * 4))
def test_run_together_rows_never_invent_a_value(values: list[int]) -> None:
    """Each row's figures written with no separator: a row of single digits reads back exactly; any
    other row reads back exactly where its digits split one way only, else it is left blank and
    unplaced, never split by guess."""
    rows = list(APPLICATIONS.data_rows)[:4]
    body = "".join(
        row.label + "".join(str(v) for v in values[n * 7 : n * 7 + 7]) + "\n" for n, row in enumerate(rows)
    )
    extracted = extract_page(RUN_TOGETHER_HEAD + body)
    table = cells(extracted, "applications")
    for n, row in enumerate(rows):
        written = values[n * 7 : n * 7 + 7]
        got = [table[row.code][c.code] for c in APPLICATIONS.columns]
        assert got in (written, [None] * 7), (row.code, written, got)
        if all(v < 10 for v in written):
            assert got == written


# A page whose lines were all run into one, tables included (a crawler's text of the page).
ONE_LINE = (
    "示例县财政局2023年政府信息公开工作年度报告 一、总体情况 2023年，我局全面推进政务公开。"
    "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000"
    "行政规范性文件77132470第二十条第（五）项信息内容本年处理决定数量行政许可2629"
    "第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费5949.088667"
    "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
    "一、本年新收政府信息公开申请数量801000081二、上年结转政府信息公开申请数量0000000"
    "三、本年度办理结果（一）予以公开4000004（三）不予公开1.属于国家秘密0000000"
    "2.其他法律行政法规禁止公开0 0 0 0 0 00"
    "（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请1000001"
    "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
    "未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"
    "110024001510102五、存在的主要问题及改进情况一是解读不够丰富。六、其他需要报告的事项无。"
)


def test_a_page_run_into_one_line_is_read_section_by_section_and_row_by_row() -> None:
    extracted = extract_page(ONE_LINE)
    proactive, applications = cells(extracted, "proactive"), cells(extracted, "applications")
    assert proactive["regulations"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert proactive["licensing"] == {"decisions": 2629}  # after the header words it ran into
    assert str(proactive["fees"]["amount"]) == "5949.088667"
    assert set(proactive["normative_documents"].values()) == {None}  # 77132470 splits many ways
    assert list(applications["carried_in"].values()) == [0] * 7
    assert list(applications["granted"].values()) == [4, 0, 0, 0, 0, 0, 4]  # after its group's label
    assert list(applications["denied_state_secret"].values()) == [0] * 7  # '00000002.' ends before 2.
    assert list(applications["denied_law_prohibited"].values()) == [0] * 7  # spaces kept as cuts
    assert list(applications["other_no_correction"].values()) == [1, 0, 0, 0, 0, 0, 1]
    assert set(applications["new_received"].values()) == {None}  # 80/1/…/81 only if it adds up
    assert "applications.new_received.total" in extracted.loaded.unplaced
    review = extracted.report.to_dict()["review_litigation"]
    assert list(review["reconsideration"].values()) == [1, 1, 0, 0, 2]
    assert list(review["litigation_direct"].values()) == [4, 0, 0, 1, 5]
    assert list(review["litigation_after_reconsideration"].values()) == [1, 0, 1, 0, 2]
    assert extracted.report.to_dict()["sections"]["problems"] == "一是解读不够丰富。"


def test_a_row_after_header_words_and_a_space_is_found_by_its_own_name() -> None:
    # no 规章 row; the label (the trial layout's shorter name) after the header words and one space
    page = ONE_LINE.replace("现行有效件数规章000行政规范性文件77132470", "现行有效件数 规范性文件001")
    proactive = cells(extract_page(page), "proactive")
    assert proactive["normative_documents"] == {"issued": 0, "repealed": 0, "in_force": 1}
    assert set(proactive["regulations"].values()) == {None}


def test_a_pipe_row_short_of_cells_is_placed_only_where_the_table_was_cut() -> None:
    body = (
        "二、主动公开政府信息情况\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
        "| 规章 | 22 | 235 |\n| 行政规范性文件 | 34 |\n"
    )
    extracted = extract_page(HEAD + body)
    table = cells(extracted, "proactive")
    assert table["regulations"] == {"issued": None, "repealed": None, "in_force": None}  # which is lost?
    assert {p for p in extracted.loaded.unplaced if p.startswith("proactive.regulations.")} == {
        "proactive.regulations.issued",
        "proactive.regulations.repealed",
        "proactive.regulations.in_force",
    }
    assert table["normative_documents"] == {"issued": 34, "repealed": None, "in_force": None}  # cut off


def test_table_four_short_of_cells_places_none() -> None:
    body = (
        "四、政府信息公开行政复议、行政诉讼情况\n| 行政复议 | 行政诉讼 |\n"
        "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n| 6 | 0 | 1 | 1 | 8 |\n"
        "五、存在的主要问题及改进情况\n无。\n"
    )
    extracted = extract_page(HEAD + body)
    review = extracted.report.to_dict()["review_litigation"]
    assert {v for row in review.values() for v in row.values()} == {None}  # five of fifteen: whose?
    assert "review_litigation.reconsideration.upheld" in extracted.loaded.unplaced


def test_table_four_run_on_is_read_under_a_reworded_heading_and_before_what_follows() -> None:
    page = ONE_LINE.replace(
        "四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政复议与行政诉讼情况"
    ).replace(
        "110024001510102五、存在的主要问题及改进情况",
        "1 1 0 0 2 4 0 0 1 5 1 0 1 0 2 五、存在的主要问题及明年工作计划",
    )
    review = extract_page(page).report.to_dict()["review_litigation"]
    assert list(review["reconsideration"].values()) == [1, 1, 0, 0, 2]
    assert list(review["litigation_after_reconsideration"].values()) == [1, 0, 1, 0, 2]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 60), min_size=7 * 8, max_size=7 * 8), st.booleans())
def test_a_table_run_into_a_page_line_reads_back_or_stays_blank(values: list[int], spaced: bool) -> None:
    """Table 三's rows run into one line with the rest of the page (each row's label straight after
    the previous row's figures, `…00000002.其他…`): every row reads back as written, or, where its
    figures split more than one way, stays blank and unplaced; single digits always read back."""
    rows = [r for r in APPLICATIONS.data_rows if r.code.startswith(("denied_", "not_processed_"))][:8]
    figures = [values[n * 7 : n * 7 + 7] for n in range(len(rows))]
    body = "".join(
        row.label + (" " if spaced else "").join(str(v) for v in cells)
        for row, cells in zip(rows, figures, strict=True)
    )
    page = (
        ONE_LINE.split("（三）不予公开")[0]
        + "（三）不予公开"
        + body
        + "四、政府信息公开行政复议、行政诉讼情况"
    )
    extracted = extract_page(page)
    table = cells(extracted, "applications")
    for row, written in zip(rows, figures, strict=True):
        got = [table[row.code][c.code] for c in APPLICATIONS.columns]
        assert got in (written, [None] * 7), (row.code, written, got)
        if spaced or all(v < 10 for v in written):
            assert got == written, (row.code, written, got)
        if got != written:
            assert f"applications.{row.code}.total" in extracted.loaded.unplaced


def test_places_in_a_line_run_together_are_worded_in_chinese() -> None:
    assert place_words("line 10 piece 2", "zh") == "第10行第2段"
    assert place_words("line 10 piece 2 figure 3", "zh") == "第10行第2段第3个数"


# Table 四 as one small table a block, each under a line naming its block (a Markdown conversion of a
# document, or a Word file with three tables), as the Shuyang county report of 2025 was published.
_BLOCK_HEADER = "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|\n"
_CAPTIONED = (
    "四、政府信息公开行政复议、行政诉讼情况\n\n### 行政复议\n"
    + _BLOCK_HEADER
    + "| 27 | 10 | 9 | 15 | 61 |\n\n"
    "### 行政诉讼（未经复议直接起诉）\n" + _BLOCK_HEADER + "| 3 | 0 | 0 | 0 | 3 |\n\n"
    "### 行政诉讼（复议后起诉）\n" + _BLOCK_HEADER + "| 8 | 0 | 1 | 1 | 10 |\n"
)
_CAPTIONED_CELLS = {
    "reconsideration": [27, 10, 9, 15, 61],
    "litigation_direct": [3, 0, 0, 0, 3],
    "litigation_after_reconsideration": [8, 0, 1, 1, 10],
}


def _blocks(report: Any) -> dict[str, list[Any]]:
    table = report.to_dict()["review_litigation"]
    return {row: list(table[row].values()) for row in _CAPTIONED_CELLS}


def test_table_four_as_one_small_table_a_block_is_read_from_the_captions() -> None:
    assert _blocks(extract_page(_PROACTIVE + _CAPTIONED).report) == _CAPTIONED_CELLS


def test_a_markdown_tables_rule_under_its_header_is_no_cell() -> None:
    extracted = extract_page(
        _PROACTIVE.replace("|\n| 规章", "|\n|:---|---:|:---:|----|\n| 规章") + _CAPTIONED
    )
    assert cells(extracted, "proactive")["regulations"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert not [n for n in extracted.warnings if n.written and "---" in n.written]


def test_table_four_captions_in_html_name_the_tables_below_them() -> None:
    def table(figures: list[int]) -> str:
        head = "".join(f"<th>{w}</th>" for w in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
        return f"<table><tr>{head}</tr><tr>{''.join(f'<td>{v}</td>' for v in figures)}</tr></table>"

    captions = {"reconsideration": "行政复议", "litigation_direct": "行政诉讼（未经复议直接起诉）"}
    captions["litigation_after_reconsideration"] = "行政诉讼（复议后起诉）"
    body = "".join(f"<p>{captions[row]}</p>{table(v)}" for row, v in _CAPTIONED_CELLS.items())
    page = (
        "<html><body><p>二、主动公开政府信息情况</p><table><tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>"
        f"</table><p>四、政府信息公开行政复议、行政诉讼情况</p>{body}</body></html>"
    )
    assert _blocks(extract_page(page).report) == _CAPTIONED_CELLS


def test_rows_written_with_spaces_among_a_tables_parts_with_pipes_are_read() -> None:
    # a PDF converted to Markdown: the one-column blocks kept as text, the first block as a table
    body = (
        "二、主动公开政府信息情况\n第二十条第（五）项\n信息内容本年处理决定数量\n行政许可 97\n"
        "第二十条第（六）项\n信息内容本年处理决定数量\n行政处罚 0\n行政强制 12\n"
        "本年共收到 8 件\n"  # prose with a figure: no row
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n"
        "| 规章 | 0 | 0 | 0 |\n| 行政规范性文件 | 13 | 0 | 55 |\n"
        "第二十条第（八）项\n信息内容本年收费金额（单位：万元）\n行政事业性收费 1.5\n"
    )
    proactive = cells(extract_page(HEAD + body), "proactive")
    assert proactive["licensing"] == {"decisions": 97}
    assert proactive["penalty"] == {"decisions": 0}
    assert proactive["coercion"] == {"decisions": 12}
    assert proactive["normative_documents"] == {"issued": 13, "repealed": 0, "in_force": 55}
    assert str(proactive["fees"]["amount"]) == "1.5"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 999), min_size=15, max_size=15), st.booleans())
def test_table_four_of_captioned_tables_reads_back(values: list[int], reordered: bool) -> None:
    """Any figures, the blocks in either order: each block reads back under its own caption."""
    captions = {
        "reconsideration": "行政复议",
        "litigation_direct": "行政诉讼（未经复议直接起诉）",
        "litigation_after_reconsideration": "行政诉讼（复议后起诉）",
    }
    written = {row: values[n * 5 : n * 5 + 5] for n, row in enumerate(captions)}
    order = list(reversed(captions)) if reordered else list(captions)
    body = "".join(
        f"### {captions[row]}\n" + _BLOCK_HEADER + "| " + " | ".join(map(str, written[row])) + " |\n\n"
        for row in order
    )
    page = _PROACTIVE + "四、政府信息公开行政复议、行政诉讼情况\n\n" + body
    assert _blocks(extract_page(page).report) == written


@pytest.mark.parametrize(
    ("caption", "figures"),
    [
        ("### 行政处罚", "| 27 | 10 | 9 | 15 | 61 |\n"),  # names no block of table 四
        ("### 行政复议", "| 27 | 10 | 9 | 15 | 61 |\n| 1 | 1 | 1 | 1 | 4 |\n"),  # two rows: which is it?
        ("### 行政复议", "| 行政诉讼 | 27 | 10 | 9 | 15 | 61 |\n"),  # the table names its own row
    ],
    ids=["no-block", "two-rows", "row-named"],
)
def test_a_caption_names_no_row_it_cannot_be_sure_of(caption: str, figures: str) -> None:
    text = _PROACTIVE + "四、政府信息公开行政复议、行政诉讼情况\n" + caption + "\n" + _BLOCK_HEADER + figures
    cells = extract_page(text).report.to_dict()["review_litigation"]["reconsideration"]
    assert set(cells.values()) == {None}


def test_a_row_named_in_brackets_after_its_group_is_that_row() -> None:
    table = LAYOUT_2021.table("review_litigation")
    assert find_row(table, "行政诉讼（复议后起诉）").code == "litigation_after_reconsideration"  # type: ignore[union-attr]
    assert find_row(table, "行政诉讼(未经复议直接起诉)").code == "litigation_direct"  # type: ignore[union-attr]
    assert find_row(table, "行政诉讼").is_group  # type: ignore[union-attr]


# --- a column cut off the table (a wide table printed past the page's edge) ------------------------------

_ORGS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
_APPLICATION_ROWS = ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开")


def _table_three_html(columns: list[int], rows: list[list[str]]) -> str:
    """Table 三 as HTML with only the given columns (indexes into `_ORGS`), one row a label."""
    head = "<tr><td>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>"
    head += "".join(f"<td>{_ORGS[c]}</td>" for c in columns) + "</tr>"
    body = "".join(
        f"<tr><td>{label}</td>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>"
        for label, row in zip(_APPLICATION_ROWS, rows, strict=True)
    )
    return (
        "<html><body><p>示例县水利局2023年政府信息公开工作年度报告</p><p>三、收到和处理政府信息公开申请情况</p>"
        f"<table>{head}{body}</table><p>四、政府信息公开行政复议、行政诉讼情况</p></body></html>"
    )


_CODES = ("natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total")
_ROW_CODES = ("new_received", "carried_in", "granted")


def test_a_column_cut_off_the_table_leaves_its_cells_blank_and_the_others_read() -> None:
    # 总计 cut off: the header names six columns and each row shows six cells
    page = _table_three_html(
        [0, 1, 2, 3, 4, 5], [["821", "35", "", "", "2", "1"], ["18"] + [""] * 5, ["3"] * 6]
    )
    extracted = extract_page(page)
    table = cells(extracted, "applications")
    assert table["new_received"] == dict(zip(_CODES, [821, 35, None, None, 2, 1, None], strict=True))
    assert table["carried_in"]["natural_person"] == 18
    assert table["granted"]["other_org"] == 3
    assert table["granted"]["total"] is None
    missing = [n for n in extracted.readings if n.code == "COLUMN-MISSING"]
    assert {n.params["column"] for n in missing} == {"总计"}


def test_a_header_naming_fewer_columns_than_a_row_shows_cells_places_no_cell_by_it() -> None:
    # six columns named, a row of five cells: which one is missing cannot be told
    page = _table_three_html([0, 1, 2, 3, 4, 5], [["1", "2", "3", "4", "5"], ["1"] * 6, ["1"] * 6])
    table = cells(extract_page(page), "applications")
    assert set(table["new_received"].values()) == {None}


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 6),
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 9999)), min_size=7, max_size=7), min_size=3, max_size=3
    ),
)
def test_a_table_without_any_one_column_reads_back_the_rest(
    cut: int, figures: list[list[int | None]]
) -> None:
    """Any one column missing from the drawn table (header and rows), any figures and blanks: every
    other cell reads back under its own column, the missing column's cells blank."""
    columns = [c for c in range(7) if c != cut]
    rows = [["" if row[c] is None else str(row[c]) for c in columns] for row in figures]
    table = cells(extract_page(_table_three_html(columns, rows)), "applications")
    for code, row in zip(_ROW_CODES, figures, strict=True):
        expected = [None if c == cut else row[c] for c in range(7)]
        assert [table[code][c] for c in _CODES] == expected


@pytest.mark.parametrize(
    ("lines", "year"),
    [
        # the overview opening with the year and the agency doing something names the year too
        (["一、总体情况", "2020年示例镇严格按照《条例》有关要求，及时维护和更新信息。"], 2020),
        (["2021年度示例县统计局认真落实工作要求。"], 2021),
        # never the agency's plans for a year to come
        (["一、总体情况", "2023年示例镇将认真落实《条例》。"], None),
        (["2023年示例镇將繼續做好工作。"], None),
    ],
)
def test_year_from_the_overview_naming_the_agency(lines: list[str], year: int | None) -> None:
    found = find_year(lines)
    assert (found.value if found else None) == year

"""Published report pages (readers/page.py): every fixture gives its expected report; readings,
places, extras, the seed, encodings, bad input and the shapes of docs/standard.md (How published copies
look)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ogi_report import ReportError, read_report, validate_file
from ogi_report.layout import LAYOUT_2019_TRIAL, LAYOUT_2021, SECTIONS, Column
from ogi_report.readers.cell_text import read_cell
from ogi_report.readers.page import ExtractedReport, decode_page, extract_page
from ogi_report.writers.html_render import render_html
from tests.helpers import EXAMPLES, ROOT

PAGES = ROOT / "tests" / "fixtures" / "pages"
FIXTURES = sorted(p for p in PAGES.iterdir() if p.suffix in (".html", ".txt"))
SEED = EXAMPLES / "sources" / "shanwei-chengqu-2024-report.txt"

SEED_FIGURES = {
    "proactive.licensing.decisions": 31461,
    "proactive.penalty.decisions": 842,
    "proactive.coercion.decisions": 4,
    "proactive.fees.amount": Decimal("2181.669177"),
    "proactive.normative_documents.issued": 16,
    "proactive.normative_documents.repealed": 8,
    "proactive.normative_documents.in_force": 63,
    "applications.new_received.total": 67,
}


def expected(page: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((page.parent / f"{page.stem}.expected.json").read_text("utf-8"))
    return data


def page_named(stem: str) -> Path:
    return next(p for p in FIXTURES if p.stem == stem)


def reading(extracted: ExtractedReport, path: str) -> tuple[str, Any, str]:
    """(written, became, the English message) of the reading of a cell."""
    [found] = [r for r in extracted.readings if r.params["path"] == path]
    return (found.written or "").strip(), found.became, found.message("en")


# --- the fixtures ----------------------------------------------------------------------------------


def test_there_are_fixtures_in_every_shape() -> None:
    assert len(FIXTURES) >= 8
    assert all((PAGES / f"{p.stem}.expected.json").is_file() for p in FIXTURES)
    kinds = {p.stem.split("-")[0] for p in FIXTURES}
    assert {"word", "pipe", "lines", "paragraphs", "traditional", "gbk"} <= kinds
    formats = {expected(p)["format"] for p in FIXTURES}
    assert formats == {"2021", "2019-trial"}


@pytest.mark.parametrize("page", FIXTURES, ids=[p.name for p in FIXTURES])
def test_every_fixture_gives_its_expected_report(page: Path) -> None:
    assert extract_page(page).report.to_dict() == expected(page)


@pytest.mark.parametrize("page", FIXTURES, ids=[p.name for p in FIXTURES])
def test_read_report_and_validate_take_pages(page: Path) -> None:
    loaded = read_report(page)
    assert loaded.from_page
    assert loaded.report.to_dict() == expected(page)
    result = validate_file(page)  # published mode: blanks are warnings
    assert not [f for f in result.findings if f.rule == "CELL-MISSING" and f.severity.value == "error"]


def test_the_real_shanghai_figures_come_back_with_their_blanks() -> None:
    real = json.loads((EXAMPLES / "shanghai-2019-trial.json").read_text("utf-8"))
    report = extract_page(page_named("word-2019-trial-shanghai")).report.to_dict()
    for table in ("proactive", "applications", "review_litigation"):
        assert report[table] == real[table]


# --- readings, places, extras ------------------------------------------------------------------------


def test_readings_record_what_was_written_and_what_it_became() -> None:
    extracted = extract_page(page_named("lines-2019-trial-local-row"))
    assert reading(extracted, "proactive.licensing.change")[:2] == ("减4", "-4")
    assert reading(extracted, "proactive.penalty.change")[:2] == ("+3", "3")
    assert reading(extracted, "proactive.licensing.decisions")[:2] == ("12,034", "12034")
    written, value, how = reading(extracted, "proactive.procurement.amount")
    assert (written, Decimal(value)) == ("20.3万元", Decimal("203000"))
    assert "'万元' converted to '元'" in how
    assert reading(extracted, "proactive.regulations.new_made")[0].endswith("件")
    written, value, how = reading(extracted, "review_litigation.reconsideration.total")
    assert written.isdigit()
    assert not written.isascii()
    assert "full-width" in how
    assert all(r.code == "CELL-READ" for r in extracted.readings)
    assert all(r.cell and r.cell.startswith("line ") for r in extracted.readings)


def test_blanks_and_placeholders_are_null_never_zero() -> None:
    extracted = extract_page(page_named("paragraphs-2021-township"))
    truth = expected(page_named("paragraphs-2021-township"))
    blanks = [r for r in extracted.readings if r.became is None]
    assert blanks
    for r in blanks:
        table, row, column = str(r.params["path"]).split(".")
        assert truth[table][row][column] is None
    assert {(r.written or "").strip() for r in blanks} >= {"", "—", "无"}


def test_places_name_table_row_and_cell() -> None:
    extracted = extract_page(page_named("word-2021-county"))
    layout_cells = set(LAYOUT_2021.cell_paths())
    assert set(extracted.places) == layout_cells
    assert extracted.places["proactive.regulations.issued"] == "table 1 row 3 cell 2"
    assert extracted.places["applications.new_received.natural_person"] == "table 2 row 4 cell 2"
    assert extracted.loaded.places == extracted.places


def test_an_unknown_local_row_is_kept_as_an_extra_with_a_warning() -> None:
    extracted = extract_page(page_named("lines-2019-trial-local-row"))
    [extra] = extracted.extras
    assert extra.code == "ROW-EXTRA"
    assert (extra.params["table"], extra.written, extra.params["cells"]) == (
        "proactive",
        "其他主动公开文件",
        ("15", "15", "120"),
    )
    assert extra in extracted.warnings
    assert "kept as an extra (15, 15, 120)" in extra.message("en")
    assert "作为附加行保留（15、15、120）" in extra.message("zh")
    assert extracted.report.format == "2019-trial"


def test_findings_of_a_page_name_the_place_of_their_cells(tmp_path: Path) -> None:
    page = page_named("word-2021-county")
    result = validate_file(page)
    missing = [f for f in result.findings if f.rule == "CELL-MISSING"]
    assert missing
    assert all(f.severity.value == "warning" for f in missing)
    assert missing[0].source_cells[missing[0].cells[0]].startswith("table ")


# --- layout, narrative, metadata -------------------------------------------------------------------


def test_the_layout_comes_from_the_tables_not_the_year() -> None:
    extracted = extract_page(page_named("pipe-trial-tables-2021-year"))
    assert (extracted.report.year, extracted.report.format) == (2021, "2019-trial")
    result = validate_file(page_named("pipe-trial-tables-2021-year"))
    assert [f.rule for f in result.findings if f.rule == "FORMAT-YEAR"] == ["FORMAT-YEAR"]


def test_tables_of_two_layouts_are_read_as_table_two_says_with_a_warning() -> None:
    trial = render_html(read_report(EXAMPLES / "illustrative-2019-trial.json").report)
    current = render_html(read_report(EXAMPLES / "illustrative-2021-county.json").report)
    table = re.compile(r"<table>.*?</table>", re.DOTALL)
    mixed = current.replace(table.findall(current)[0], table.findall(trial)[0])  # trial table 二
    extracted = extract_page(mixed)
    assert extracted.report.format == "2019-trial"
    assert any("applications looks like layout 2021" in w.message("en") for w in extracted.warnings)
    assert any(w.code == "LAYOUT-CONFLICT" and w.params["other"] == "2021" for w in extracted.warnings)
    assert [(e.written or "")[:2] for e in extracted.extras] == ["1.", "2.", "3."]  # （六）'s sub-rows, kept


def test_a_narrative_that_disagrees_with_the_table_is_a_warning() -> None:
    page = page_named("pipe-2021-department")
    truth = expected(page)
    extracted = extract_page(page)
    figures = {f.path: f for f in extracted.narrative}
    penalty = truth["proactive"]["penalty"]["decisions"]
    assert figures["proactive.penalty.decisions"].value == penalty + 5
    assert figures["applications.new_received.total"].value == 2
    [finding] = [f for f in validate_file(page).findings if f.rule == "NARRATIVE-MISMATCH"]
    assert finding.severity.value == "warning"
    assert finding.cells == ("proactive.penalty.decisions", "sections.overview")
    assert (finding.stated, finding.expected) == (penalty, penalty + 5)
    assert figures["proactive.penalty.decisions"].sentence in finding.message_zh
    # table 三's 总计 column is blank: the 2 applications of the text are not compared with it
    assert truth["applications"]["new_received"]["total"] is None


def test_metadata_from_the_title_and_the_page() -> None:
    report = extract_page(page_named("word-2021-county")).report
    assert (report.agency.name, report.year) == ("示例市甲区人民政府", 2023)
    assert str(report.published) == "2024-03-20"  # <meta name="PubDate">
    report = extract_page(page_named("traditional-pinyin-2021")).report
    assert report.agency.name == "示例縣人民政府"  # as written


# --- the seed ---------------------------------------------------------------------------------------


def test_the_seed_gives_its_narrative_eight_figures_and_no_tables() -> None:
    extracted = extract_page(SEED)
    report = extracted.report
    assert (report.agency.name, report.year, report.format) == ("汕尾市城区人民政府", 2024, "2021")
    assert (report.proactive, report.applications, report.review_litigation) == (None, None, None)
    seed_json = json.loads((EXAMPLES / "shanwei-chengqu-2024.json").read_text("utf-8"))
    assert report.to_dict()["sections"] == seed_json["sections"]
    assert {f.path: f.value for f in extracted.narrative} == SEED_FIGURES
    assert len(extracted.narrative) == 8
    assert all(f.section == "overview" and f.written in f.sentence for f in extracted.narrative)
    assert [w.params["table"] for w in extracted.warnings if w.code == "TABLE-MISSING"] == [
        "proactive",
        "applications",
        "review_litigation",
    ]
    summary = extracted.summary()
    assert len(summary["narrative"]) == 8
    assert summary["narrative"][3] == {
        "cell": "proactive.fees.amount",
        "value": "2181.669177",
        "written": "行政事业性收费总金额2181.669177万元",
        "sentence": extracted.narrative[3].sentence,
        "section": "overview",
    }


def test_the_seed_validates_with_section_missing_for_its_three_tables() -> None:
    result = validate_file(SEED)
    missing = [f.cells for f in result.findings if f.rule == "SECTION-MISSING"]
    assert missing == [("proactive",), ("applications",), ("review_litigation",), ("sections.other_matters",)]
    assert result.ok


# --- shapes of docs/standard.md, How published copies look --------------------------------------------------

TITLE = "示例县人民政府2024年政府信息公开工作年度报告"


def test_pipe_rows_of_layouts_md() -> None:
    text = "\n".join(
        [
            TITLE,
            "三、收到和处理政府信息公开申请情况",
            "二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
            "三、本年度办理结果 | (一)予以公开 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |",
            "| (二)部分公开(区分处理的,只计这一情形,不计其他情形) | | | | | | | 0 |",
        ]
    )
    extracted = extract_page(text)
    rows = extracted.report.to_dict()["applications"]
    assert rows["carried_in"] == {**dict.fromkeys(rows["carried_in"], 0), "natural_person": 1, "total": 1}
    assert rows["granted"]["natural_person"] == 2
    assert rows["partially_granted"] == {**dict.fromkeys(rows["granted"]), "total": 0}
    assert extracted.places["applications.partially_granted.total"] == "line 5 cell 8"
    assert any(
        w.code == "ROW-MISSING" and "本年新收" in str(w.params["row"]) for w in extracted.warnings
    )  # rows not printed


def test_one_cell_a_line_of_layouts_md() -> None:
    text = "\n".join(
        [
            TITLE,
            "二、主动公开政府信息情况",
            "行政规范性文件 |",
            "2 |",
            "0 |",
            "17 |",
            "第二十条第(五)项 |",
            "|||",
        ]
    )
    report = extract_page(text).report.to_dict()
    assert report["proactive"]["normative_documents"] == {"issued": 2, "repealed": 0, "in_force": 17}
    assert report["format"] == "2021"


def test_word_export_cells_of_layouts_md() -> None:
    html = (
        f"<html><head><title>{TITLE}</title></head><body><p>三、收到和处理政府信息公开申请情况</p><table>"
        '<tr><td colspan="3" nowrap style="width:217px;"><p>二、上年结转政府信息公开申请数量</p></td>'
        '<td nowrap style="width:38px;"><p align="center">4</p></td>'
        '<td nowrap><p align="center">&nbsp;</p></td>'
        "</tr></table></body></html>"
    )
    extracted = extract_page(html)
    carried_in = extracted.report.to_dict()["applications"]["carried_in"]
    assert carried_in["natural_person"] == 4
    assert carried_in["business"] is None
    assert reading(extracted, "applications.carried_in.business")[1] is None


# --- cells ------------------------------------------------------------------------------------------

COUNT = LAYOUT_2021.table("applications").column("total")
SIGNED = LAYOUT_2019_TRIAL.table("proactive").column("change")
WAN = LAYOUT_2021.table("proactive").column("amount")  # stored in 万元
YUAN = LAYOUT_2019_TRIAL.table("proactive").column("amount")  # stored in 元


@pytest.mark.parametrize(
    ("written", "column", "value"),
    [
        ("0", COUNT, 0),
        ("", COUNT, None),
        ("\u00a0", COUNT, None),
        ("/", COUNT, None),
        ("-", COUNT, None),
        ("—", COUNT, None),
        ("——", COUNT, None),
        ("无", COUNT, None),
        ("無", COUNT, None),
        ("0件", COUNT, 0),
        ("１２３", COUNT, 123),
        ("1,234", COUNT, 1234),
        ("１，２３４宗", COUNT, 1234),
        ("减4", SIGNED, -4),
        ("減4", SIGNED, -4),
        ("+3", SIGNED, 3),
        ("-2", SIGNED, -2),
        ("增5", SIGNED, 5),
        ("20.3万元", YUAN, Decimal("203000")),
        ("251000元", YUAN, Decimal("251000")),
        ("251000元", WAN, Decimal("25.1")),
        ("2181.669177", WAN, Decimal("2181.669177")),
        ("2181.669177万元", WAN, Decimal("2181.669177")),
        ("90(信用中国青海西宁)", COUNT, 90),  # an aside naming its source: dropped, noted
        ("90（信用中国）", COUNT, 90),
    ],
)
def test_cells_are_read_as_written(written: str, column: Column, value: Any) -> None:
    read = read_cell(written, column)
    assert read.readable
    assert read.value == value
    assert type(read.value) is type(value)


def test_an_aside_after_a_figure_is_dropped_in_the_reading_note() -> None:
    assert read_cell("90(信用中国青海西宁)", COUNT).how == ("aside_dropped:信用中国青海西宁",)


@pytest.mark.parametrize("written", ["约3件", "3.5", "12件左右", "二十", "2(其中1件)", "(5)", "90()"])
def test_cells_that_are_not_figures_are_unreadable(written: str) -> None:
    read = read_cell(written, COUNT)
    assert (read.value, read.readable) == (None, False)


def test_an_unreadable_cell_is_reported_not_guessed() -> None:
    text = "\n".join([TITLE, "四、政府信息公开行政复议、行政诉讼情况", "行政复议 | 约3件 | 0 | 0 | 0 | 3 |"])
    extracted = extract_page(text)
    assert extracted.loaded.unreadable == {"review_litigation.reconsideration.upheld": "约3件"}
    result = validate_file_text(text)
    assert [f.cells for f in result if f.rule == "CELL-TYPE"] == [
        ("review_litigation.reconsideration.upheld",)
    ]


def test_a_figure_too_large_for_a_count_is_unreadable() -> None:
    text = "\n".join(
        [TITLE, "四、政府信息公开行政复议、行政诉讼情况", "行政复议 | 1" + "0" * 24 + " | 0 | 0 | 0 | 3 |"]
    )
    extracted = extract_page(text)
    path = "review_litigation.reconsideration.upheld"
    assert set(extracted.loaded.unreadable) == {path}
    assert extracted.report.review_litigation is not None
    assert reading(extracted, path)[1] is None


def validate_file_text(text: str) -> list[Any]:
    from ogi_report.validation import validate_loaded

    return list(validate_loaded(extract_page(text).loaded).findings)


# --- bad input and safety -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"%PDF-1.7\n...", "PDF"),
        (b"PK\x03\x04\x14\x00", "zip"),
        (bytes(range(256)) * 8, "binary"),
        (b"hello world\nnothing here\n", "not a report page"),
        (b"", "not a report page"),
        (b"<html><body><p>just a page</p></body></html>", "not a report page"),
    ],
)
def test_bad_input_is_a_report_error(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(content)
    with pytest.raises(ReportError) as info:
        extract_page(path)
    assert words in info.value.one_line()
    assert str(path) in info.value.one_line()


def test_gbk_text_is_decoded_with_a_note() -> None:
    extracted = extract_page(page_named("gbk-tableless-2024"))
    assert any(note.code == "ENCODING" and "GBK" in str(note.params["encoding"]) for note in extracted.notes)
    text, note = decode_page("一、总体情况".encode("gb18030"))
    assert text == "一、总体情况"
    assert note is not None


def test_html_declaring_gbk_is_decoded() -> None:
    head = f'<html><head><meta charset="gbk"><title>{TITLE}</title></head>'
    html = head + "<body><p>一、总体情况</p><p>概述。</p></body></html>"
    extracted = extract_page(html.encode("gbk"))
    assert extracted.report.sections.overview == "概述。"  # type: ignore[attr-defined]


def test_scripts_are_not_run_and_entities_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", "utf-8")
    html = (
        f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]><html><head><title>{TITLE}</title>'
        '<script>document.write("<p>一、总体情况</p><p>INJECTED</p>")</script></head><body>'
        '<p>一、总体情况</p><p>正文&x;</p><img src="http://example.invalid/x.png">'
        "<style>p{}</style><noscript>NOSCRIPT</noscript></body></html>"
    )
    report = extract_page(html).report.to_dict()
    text = json.dumps(report, ensure_ascii=False)
    assert "TOP-SECRET" not in text
    assert "INJECTED" not in text
    assert "NOSCRIPT" not in text
    assert report["sections"]["overview"].startswith("正文")


def test_the_agency_and_year_can_be_given() -> None:
    extracted = extract_page("一、总体情况\n本年度全面推进政务公开。\n", agency="示例镇人民政府", year=2022)
    assert (extracted.report.agency.name, extracted.report.year) == ("示例镇人民政府", 2022)


def test_content_decides_the_reader(tmp_path: Path) -> None:
    html = tmp_path / "report.json"  # a page saved under the wrong name
    html.write_bytes(page_named("word-2021-county").read_bytes())
    assert read_report(html).from_page
    text = tmp_path / "report"  # no suffix
    text.write_bytes(SEED.read_bytes())
    assert read_report(text).from_page
    data = tmp_path / "report.txt"  # JSON under a page's name
    data.write_text((EXAMPLES / "illustrative-2021-county.json").read_text("utf-8"), "utf-8")
    assert not read_report(data).from_page


PIECES = st.sampled_from(
    [
        *(section.label for section in SECTIONS),
        *("规章", "行政许可", "（一）予以公开", "1.属于国家秘密", "总计", "其他", "自然人", "本年制发件数"),
        *("行政复议", "第二十条第（一）项", "信息内容", "|", " | ", "|||", "\n", "\n\n", "0", "12", "/", "—"),
        *("减4", "20.3万元", "<table><tr><td>", "</td><td>", "</td></tr></table>", "<p>", "&nbsp;", TITLE),
        *("行政许可决定数量3件。", "x" * 300),
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=60))
def test_any_page_is_read_or_refused_never_a_crash(pieces: list[str]) -> None:
    text = "".join(pieces)
    for source in (text, text.encode("utf-8"), ("<html><body>" + text).encode("gb18030")):
        try:
            extracted = extract_page(source)
        except ReportError:
            continue
        assert extracted.report.to_dict()["format"] in ("2021", "2019-trial")

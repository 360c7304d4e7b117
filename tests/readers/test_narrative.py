"""Figures stated in a report's text (readers/narrative.py) and rule NARRATIVE-MISMATCH."""

from __future__ import annotations

from decimal import Decimal

import pytest

import ogi_report
from ogi_report.layout import LAYOUTS
from ogi_report.readers.narrative import PATTERNS, figures_in, narrative_figures
from tests.helpers import COMPLETE_2021, COMPLETE_TRIAL, EXAMPLES, patched, raw

SEED = EXAMPLES / "sources" / "shanwei-chengqu-2024-report.txt"


def values(text: str) -> dict[str, int | Decimal]:
    return {f.path: f.value for f in figures_in(text)}


def test_every_pattern_names_a_cell_of_some_layout() -> None:
    cells = {path for layout in LAYOUTS.values() for path in layout.cell_paths()}
    assert {p.path for p in PATTERNS} <= cells


def test_the_eight_figures_of_the_seed_with_their_sentences() -> None:
    sections = raw("shanwei-chengqu-2024.json")["sections"]
    figures = narrative_figures(sections)
    assert [(f.path, f.value) for f in figures] == [
        ("proactive.licensing.decisions", 31461),
        ("proactive.penalty.decisions", 842),
        ("proactive.coercion.decisions", 4),
        ("proactive.fees.amount", Decimal("2181.669177")),
        ("applications.new_received.total", 67),
        ("proactive.normative_documents.issued", 16),
        ("proactive.normative_documents.repealed", 8),
        ("proactive.normative_documents.in_force", 63),
    ]
    first = figures[0]
    assert first.written == "行政许可决定数量31461宗"
    assert first.sentence.startswith("2024年,全区行政许可决定数量31461宗")
    assert first.sentence in sections["overview"]
    assert {f.section for f in figures} == {"overview"}
    assert figures[4].sentence == "2024年,全区各级行政机关共收到依申请公开67宗,办理67宗。"


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("全年作出行政许可决定31,461件。", "proactive.licensing.decisions", 31461),
        ("行政处罚决定共计 12 件", "proactive.penalty.decisions", 12),
        ("行政事业性收费总额251000元。", "proactive.fees.amount", Decimal("25.1")),  # stored in 万元
        ("行政事業性收費總金額20.5萬元。", "proactive.fees.amount", Decimal("20.5")),  # Traditional
        ("全年新收政府信息公开申请１２件。", "applications.new_received.total", 12),  # full-width
        ("上年结转政府信息公开申请3件。", "applications.carried_in.total", 3),
        ("结转下年度继续办理5件。", "applications.carried_out.total", 5),
        ("被申请行政复议案件2件。", "review_litigation.reconsideration.total", 2),
        ("废止规章1件，现行有效规章20件。", "proactive.regulations.in_force", 20),
    ],
)
def test_wordings(text: str, path: str, value: int | Decimal) -> None:
    assert values(text)[path] == value


@pytest.mark.parametrize(
    "text",
    [
        "受理行政许可申请100件。",  # applications for licences, not decisions
        "全年发布政府信息5220条，网站访问量达192.0793万次。",
        "本报告由总体情况、主动公开政府信息情况等六部分组成。",
        "通过政策解读专栏发布政策解读材料7件。",
    ],
)
def test_sentences_without_table_figures(text: str) -> None:
    assert figures_in(text) == []


def test_the_same_figure_twice_in_a_sentence_counts_once() -> None:
    figures = figures_in("作出行政许可决定3件，即行政许可决定3件。")
    assert [(f.path, f.value) for f in figures] == [("proactive.licensing.decisions", 3)]


# --- the rule ---------------------------------------------------------------------------------------


def run(
    base: str, changes: dict[str, object], text: str, mode: str = "published"
) -> list[ogi_report.Finding]:
    loaded = ogi_report.parse_report(patched(raw(base), changes))
    result = ogi_report.validate(loaded.report, mode=mode, narrative=narrative_figures({"problems": text}))  # type: ignore[arg-type]
    return [f for f in result.findings if f.rule == "NARRATIVE-MISMATCH"]


def test_no_narrative_no_finding() -> None:
    loaded = ogi_report.parse_report(raw(COMPLETE_2021))
    assert not [f for f in ogi_report.validate(loaded.report).findings if f.rule == "NARRATIVE-MISMATCH"]


def test_a_disagreement_names_the_cell_and_the_sentence() -> None:
    sentence = "全年共收到政府信息公开申请2件。"
    [finding] = run(COMPLETE_2021, {}, sentence)
    assert finding.severity.value == "warning"
    assert finding.cells == ("applications.new_received.total", "sections.problems")
    assert (finding.stated, finding.expected) == (134, 2)
    assert sentence in finding.message_zh
    assert sentence in finding.message_en
    assert "表三" in finding.message_zh


def test_agreement_rounding_and_units() -> None:
    assert run(COMPLETE_2021, {}, "共收到政府信息公开申请134件。行政事业性收费金额356.21万元。") == []
    assert run(COMPLETE_2021, {}, "行政事业性收费总金额3562081.43元。") == []
    [finding] = run(COMPLETE_2021, {}, "行政事业性收费总金额356.3万元。")
    assert finding.expected == Decimal("356.3")


def test_blank_cells_absent_tables_and_cells_of_another_layout_are_not_compared() -> None:
    assert (
        run(
            COMPLETE_2021,
            {"applications.new_received.total": None},
            "共收到申请2件，收到政府信息公开申请2件。",
        )
        == []
    )
    assert run(COMPLETE_2021, {"applications": None}, "收到政府信息公开申请2件。") == []
    assert run(COMPLETE_TRIAL, {}, "行政事业性收费总金额1万元。现行有效规范性文件1件。") == []

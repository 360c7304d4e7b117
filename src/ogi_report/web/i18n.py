"""The desk's words, in Chinese (the default) and English. Report labels stay as the official tables
print them; these are the words around them."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

_TEXT: dict[str, tuple[str, str]] = {
    "desk": ("政府信息公开工作年度报告核对台", "Open Government Information annual report desk"),
    "switch": ("English", "中文"),
    "upload_title": ("上传报告核对", "Check a report"),
    "upload_hint": (
        "JSON、YAML、JSON Lines、Excel（.xlsx、.xls）、Word（.docx、.doc）、PDF "
        "或已发布的报告页面（HTML、文本）。"
        "文件只在本次核对中读取，不保存。",
        "JSON, YAML, JSON Lines, Excel (.xlsx, .xls), Word (.docx, .doc), PDF or a published report "
        "page (HTML, text). "
        "The file is read for this check only and not kept.",
    ),
    "upload": ("核对", "Check"),
    "file": ("报告文件", "Report file"),
    "fill_title": ("在线填报", "Fill in"),
    "fill_hint": (
        "按官方表格逐项填写，提交后立即核对。",
        "Fill in the official tables; each submission is checked.",
    ),
    "layout_2021": ("2021 年格式（国办公开办函〔2021〕30号）", "2021 layout (国办公开办函〔2021〕30号)"),
    "layout_2019-trial": ("2019 年试行格式", "2019 trial layout"),
    "api": ("接口", "API"),
    "metadata": ("基本信息", "Report details"),
    "sections": ("正文", "Text"),
    "check": ("核对", "Check"),
    "findings": ("核对结果", "Findings"),
    "clean": ("未发现问题。", "No findings: the report is clean."),
    "passed": ("通过", "Passed"),
    "failed": ("未通过", "Not passed"),
    "errors": ("个错误", "errors"),
    "warnings": ("个警告", "warnings"),
    "explained": ("个已说明", "explained"),
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "stated": ("填报值", "Stated"),
    "expected": ("应为", "Expected"),
    "fill": ("空格应填", "Blank cells must be"),
    "sheet_cells": ("工作表位置", "Sheet cells"),
    "show_cells": ("在表中标出", "Show in the table"),
    "explain": ("说明", "Explanation"),
    "explain_hint": (
        "如该结果确有原因，可写明说明（随报告保存为脚注）。",
        "If the finding has a reason, explain it (kept with the report as a footnote).",
    ),
    "explained_by": ("说明人", "By"),
    "stale": ("过期说明（该核对结果已不存在）", "Stale explanations (their finding no longer occurs)"),
    "remove": ("删除", "Remove"),
    "notes": ("读取说明", "Reading notes"),
    "downloads": ("下载", "Downloads"),
    "dl_json": ("报告 JSON", "Report JSON"),
    "dl_xlsx": ("Excel 模板（已填）", "Excel template (filled)"),
    "dl_html": ("报告网页", "Report page (HTML)"),
    "dl_findings": ("核对结果 JSON", "Findings JSON"),
    "cannot_check": ("无法核对", "Cannot check"),
    "back": ("返回", "Back"),
    "source": ("来源", "Source"),
    "rule": ("规则", "Rule"),
    "many_reports": (
        "文件中有 {count} 份报告，这里显示第一份（接口 POST /api/validate 核对全部）",
        "{count} reports in the file: the first is shown (POST /api/validate checks all)",
    ),
    "rules_title": ("核对规则", "The rules"),
    "rules_hint": (
        "每条核对结果都指向这里的规则；完整说明见项目的 docs/rules.md。",
        "Every finding points to its rule here; docs/rules.md in the project explains each in full.",
    ),
    "layouts": ("适用格式", "Layouts"),
    "scope": ("范围", "Scope"),
    "explained_badge": ("已说明", "explained"),
    "explained_at": ("说明日期", "Explained on"),
    "platform": ("信息公开年报汇总平台", "Annual reports platform"),
    "platform_hint": (
        "库中各年度的报告份数；选择年度查看各地区汇总。",
        "The reports in the store by year; choose a year for the regions' roll-ups.",
    ),
    "store_empty": ("库中还没有报告。", "The store holds no reports yet."),
    "year": ("年度", "Year"),
    "year_word": ("年度", ""),
    "reports": ("报告份数", "Reports"),
    "reports_word": ("份报告", "reports"),
    "up": ("上一级", "Up"),
    "division": ("行政区划", "Division"),
    "kind_all": ("全部机关", "All agencies"),
    "kind_government": ("人民政府", "People's governments"),
    "kind_department": ("政府部门", "Government departments"),
    "level_province": ("省级行政区", "Provinces"),
    "level_prefecture": ("地市级行政区", "Prefectures"),
    "level_county": ("县级行政区", "Counties"),
    "charts": ("图表", "Charts"),
    "chart": ("图表", "Chart"),
    "rollup": ("汇总", "Roll-up"),
    "blanks_hint": (
        "有报告留空的单元格标出留空份数：",
        "Cells some reports left blank show how many (small number):",
    ),
    "lower_bound": ("数值为下限", "the value is a lower bound"),
    "partial_sum": ("仅为已填数值之和", "only the sum of the known values"),
    "cells_with_blanks": ("个单元格有留空", "cells with blanks"),
    "other_layouts": ("另有其他格式报告", "Reports in other layouts"),
    "left_blank": ("份报告留空", "reports left it blank"),
    "dl_rollup": ("汇总报告 JSON", "Roll-up as report JSON"),
    "choose_region": ("选择一个地区查看其汇总表和图表。", "Choose a region to see its roll-up and charts."),
    # metadata fields in English (the Chinese label is the model's field title)
    "meta_year": ("报告年度", "Reporting year"),
    "meta_agency.name": ("报告主体", "Agency"),
    "meta_agency.code": ("统一社会信用代码", "Unified social credit code"),
    "meta_agency.division_code": ("行政区划代码", "Administrative division code"),
    "meta_agency.level": ("层级", "Level of government"),
    "meta_agency.kind": ("机关类型", "Kind of agency"),
    "meta_scope": ("报告范围", "Scope"),
    "meta_published": ("发布日期", "Published on"),
    "meta_source_url": ("来源网址", "Source address"),
    "meta__note": ("备注", "Transcriber's note (not part of the report)"),
    # metadata choices (the JSON keeps the codes)
    "choice_central": ("中央", "central"),
    "choice_provincial": ("省级", "provincial"),
    "choice_prefectural": ("地市级", "prefectural"),
    "choice_county": ("县级", "county"),
    "choice_township": ("乡镇级", "township"),
    "choice_government": ("人民政府", "people's government"),
    "choice_department": ("政府部门", "government department"),
    "choice_agency": ("本机关", "the agency itself"),
    "choice_region": ("本行政区域", "the whole region"),
}


def field_label(key: str, title: str, lang: Lang) -> str:
    """A metadata field's label: the model's Chinese title, with the English beside it in English."""
    name = "meta_" + key
    return f"{title} ({text(name, 'en')})" if lang == "en" and name in _TEXT else title


def choice(value: str, lang: Lang) -> str:
    """The label of a metadata choice (its code when it has none)."""
    key = "choice_" + value
    return text(key, lang) if key in _TEXT else value


def text(key: str, lang: Lang) -> str:
    zh, en = _TEXT[key]
    return zh if lang == "zh" else en


def words(lang: Lang) -> dict[str, str]:
    """Every word of the desk in one language (for the templates)."""
    return {key: text(key, lang) for key in _TEXT}


def lang_of(value: str | None) -> Lang:
    """`en` or `zh` (the default) from a query or form value."""
    return "en" if value == "en" else "zh"

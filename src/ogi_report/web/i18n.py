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
        "JSON、YAML、JSON Lines、Excel 模板（.xlsx）或已发布的报告页面（HTML、文本）。"
        "文件只在本次核对中读取，不保存。",
        "JSON, YAML, JSON Lines, the Excel template (.xlsx) or a published report page (HTML, text). "
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
}


def text(key: str, lang: Lang) -> str:
    zh, en = _TEXT[key]
    return zh if lang == "zh" else en


def words(lang: Lang) -> dict[str, str]:
    """Every word of the desk in one language (for the templates)."""
    return {key: text(key, lang) for key in _TEXT}


def lang_of(value: str | None) -> Lang:
    """`en` or `zh` (the default) from a query or form value."""
    return "en" if value == "en" else "zh"

"""The check rules: each declared on its function, with its messages and its columnar screen.

Order matters: the catalogue lists (and the validator runs) the checks in the order of `CHECKS`.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from ogi_report.facts import (
    CREDIT_CODE_SHAPE,
    FEE_WORDS,
    FEE_WORDS_PATTERN,
    LAYOUT_2021_FROM,
    TRIAL_LAYOUT_FROM,
    credit_code_check_char,
    credit_code_check_sql,
    credit_code_well_shaped,
    deadline,
    deadline_sql,
    expected_format,
    expected_format_sql,
    has_visible_text,
    has_visible_text_sql,
)
from ogi_report.findings import Finding, Severity
from ogi_report.layout import LAYOUTS, TEXT_SECTIONS, CellKind, Layout
from ogi_report.rules.engine import Context
from ogi_report.rules.relations import REPORTS, SECTIONS, table_relation
from ogi_report.rules.rule import Both, CellScreen, Check, NeverInPackages, SqlScreen, check
from ogi_report.rules.wording import cell_name, table_name

_CELLS = CellScreen(
    "a blank, unreadable or negative cell, or a missing row: the table screen flags the report"
)
_YEAR = "TRY_CAST(year AS INTEGER)"


def _cell(layout: Layout, path: str) -> Both:
    return Both((cell_name(layout, path, "zh"), cell_name(layout, path, "en")))


_KIND_WORDS = {
    CellKind.COUNT: Both(("非负整数", "a whole number")),
    CellKind.SIGNED: Both(("整数", "a whole number")),
    CellKind.MONEY: Both(("金额数字", "an amount")),
}


@cache
def _signed(layout: Layout) -> frozenset[tuple[str, str, str]]:
    """Cells that may be negative (2019-trial 本年增/减)."""
    return frozenset(
        (t.code, r.code, c.code) for t in layout.tables for r, c in t.cells() if c.kind is CellKind.SIGNED
    )


@check(
    id="CELL-TYPE",
    severity=Severity.ERROR,
    statement_zh="单元格的值不是数字（例如“12件”），按空白处理后继续核对",
    statement_en="A cell holds something that is not a number of the cell's kind (e.g. "
    '"12件"); it is treated as blank so the other rules still run',
    messages={
        "bad": ("{where}的值“{stated}”不是{kind_zh}", "{where}: {stated!r} is not {kind_en}"),
    },
    screens=(_CELLS,),
)
def cell_type(rule: Check, ctx: Context) -> Iterator[Finding]:
    for path, written in ctx.unreadable.items():
        table, _, column = path.split(".")
        kind = ctx.layout.table(table).column(column).kind
        yield rule.finding(
            "bad",
            (path,),
            report=ctx.source,
            stated=str(written),
            where=_cell(ctx.layout, path),
            kind_zh=_KIND_WORDS[kind][0],
            kind_en=_KIND_WORDS[kind][1],
        )


def _flagged_rows(ctx: Context) -> list[tuple[str, str, dict[str, Any]]]:
    """(table, row code, cells) of rows holding a blank or a negative value: one pass, shared."""
    if ctx.flagged is None:
        flagged: list[tuple[str, str, dict[str, Any]]] = []
        for table, rows in ctx.tables.items():
            if rows is None:
                continue
            # A whole table at once first (most tables are complete and non-negative), in C loops:
            # a blank makes min() compare None with a number, or leaves None to compare with 0.
            try:
                if min(map(min, map(dict.values, rows.values()))) >= 0:
                    continue
            except (TypeError, ValueError):  # a blank, or a table or row without cells
                pass
            flagged += (
                (table, r, cols)
                for r, cols in rows.items()
                if None in cols.values() or min(cols.values()) < 0
            )
        ctx.flagged = flagged
    return ctx.flagged


@check(
    id="CELL-NEGATIVE",
    severity=Severity.ERROR,
    statement_zh="数量或金额小于零（2019 试行格式的“本年增/减”除外）",
    statement_en="A count or amount below zero (all cells except 2019-trial change)",
    messages={"negative": ("{where}为负数 {stated}", "{where} is negative: {stated}")},
    screens=(_CELLS,),
)
def cell_negative(rule: Check, ctx: Context) -> Iterator[Finding]:
    signed = _signed(ctx.layout)
    for table, r, cols in _flagged_rows(ctx):
        for c, value in cols.items():
            if value is None or value >= 0 or (table, r, c) in signed:
                continue
            path = f"{table}.{r}.{c}"
            yield rule.finding(
                "negative", (path,), report=ctx.source, stated=value, where=_cell(ctx.layout, path)
            )


@check(
    id="CELL-MISSING",
    severity=Severity.ERROR,
    statement_zh="必填单元格为空（提交时为错误，读取已发布报告时为警告）；每张表汇总报告一次",
    statement_en="A required cell is blank (error in a submission, warning when read from a "
    "published page); reported once per table, grouped",
    messages={
        "blank": (
            "{table}有 {count} 个空白单元格：{listing}",
            "{table}: {count} blank cell(s): {listing}",
        )
    },
    screens=(_CELLS,),
)
def cell_missing(rule: Check, ctx: Context) -> Iterator[Finding]:
    severity = Severity.ERROR if ctx.mode == "submission" else Severity.WARNING
    for table in ctx.layout.tables:
        blank = tuple(
            path
            for t, r, cols in _flagged_rows(ctx)
            if t == table.code
            for c, v in cols.items()
            if v is None and (path := f"{t}.{r}.{c}") not in ctx.unreadable
        )
        if blank:
            shown = blank if len(blank) <= 8 else (*blank[:8], "…")
            yield rule.finding(
                "blank",
                blank,
                report=ctx.source,
                severity=severity,
                blanks=blank,
                table=Both((table_name(table, "zh"), table.code)),
                count=len(blank),
                listing=Both(
                    (
                        "、".join(cell_name(ctx.layout, p, "zh") if p != "…" else p for p in shown),
                        ", ".join(shown),
                    )
                ),
            )


@check(
    id="FORMAT-YEAR",
    severity=Severity.WARNING,
    statement_zh=f"{TRIAL_LAYOUT_FROM}—{LAYOUT_2021_FROM - 1} 年度应使用试行格式，"
    f"{LAYOUT_2021_FROM} 年度起应使用 2021 格式",
    statement_en=f'Layout "2019-trial" is expected for {TRIAL_LAYOUT_FROM}-{LAYOUT_2021_FROM - 1}, '
    f'"2021" from {LAYOUT_2021_FROM}',
    messages={
        "mismatch": (
            "{year} 年度报告使用了“{stated}”格式，应为“{expected}”",
            'the {year} report uses layout "{stated}"; "{expected}" is expected',
        )
    },
    screens=(
        SqlScreen(f"SELECT report_id FROM {REPORTS.name} WHERE format <> {expected_format_sql(_YEAR)}"),
    ),
)
def format_year(rule: Check, ctx: Context) -> Iterator[Finding]:
    report = ctx.view
    expected = expected_format(report.year)
    if report.format != expected:
        yield rule.finding(
            "mismatch",
            ("format", "year"),
            report=ctx.source,
            stated=report.format,
            expected=expected,
            year=report.year,
        )


@check(
    id="PUBLISHED-LATE",
    severity=Severity.WARNING,
    statement_zh="发布日期晚于次年 1 月 31 日（部门）或 3 月 31 日（人民政府；机关类型不明时同此）",
    statement_en="Published after 31 January (department) or 31 March (government, also "
    "used when the kind is unknown) of the following year",
    messages={
        "late": (
            "发布日期 {stated} 晚于截止日期 {expected}",
            "published {stated}, after the deadline {expected}",
        )
    },
    screens=(
        SqlScreen(
            f"SELECT report_id FROM {REPORTS.name} WHERE TRY_CAST(published AS DATE) > "
            f"{deadline_sql(_YEAR, 'agency_kind')}"
        ),
    ),
)
def published_late(rule: Check, ctx: Context) -> Iterator[Finding]:
    report = ctx.view
    if report.published is None:
        return
    due = deadline(report.year, report.agency_kind)
    if report.published > due:
        yield rule.finding(
            "late",
            ("published", "year", "agency.kind"),
            report=ctx.source,
            stated=report.published.isoformat(),
            expected=due.isoformat(),
        )


@check(
    id="AGENCY-CODE",
    severity=Severity.ERROR,
    statement_zh="统一社会信用代码不符合 GB 32100-2015（18 位，校验码正确）",
    statement_en="agency.code fails GB 32100-2015 (18 characters and the check character)",
    messages={
        "shape": (
            "统一社会信用代码“{stated}”不是 18 位有效字符",
            "unified social credit code {stated!r} is not 18 valid characters",
        ),
        "check": (
            "统一社会信用代码“{stated}”校验码应为 {expected}",
            "unified social credit code {stated!r}: check character should be {expected}",
        ),
    },
    screens=(
        SqlScreen(
            f"SELECT report_id FROM {REPORTS.name} WHERE agency_code IS NOT NULL AND (NOT "
            f"regexp_full_match(agency_code, '{CREDIT_CODE_SHAPE}') OR substr(agency_code, 18, 1) <> "
            f"{credit_code_check_sql('agency_code')})"
        ),
    ),
)
def agency_code(rule: Check, ctx: Context) -> Iterator[Finding]:
    code = ctx.view.agency_code
    if code is None:
        return
    if not credit_code_well_shaped(code):
        yield rule.finding("shape", ("agency.code",), report=ctx.source, stated=code)
        return
    check_char = credit_code_check_char(code)
    if code[17] != check_char:
        yield rule.finding(
            "check", ("agency.code",), report=ctx.source, stated=code, expected=code[:17] + check_char
        )


_TEXT_CODES = ", ".join(f"'{s.code}'" for s in TEXT_SECTIONS)


@check(
    id="SECTION-MISSING",
    severity=Severity.WARNING,
    statement_zh="某一部分缺失或为空（缺少表格也报告）",
    statement_en="A section is absent or empty (a missing table is reported too)",
    messages={
        "section": ("缺少“{label}”部分的内容", 'section "{label}" ({en}) is absent or empty'),
        "table": ("缺少“{label}”表格", 'the table of section "{label}" ({en}) is absent'),
    },
    screens=(
        # A text section without visible text.
        SqlScreen(
            f"SELECT r.report_id FROM {REPORTS.name} r LEFT JOIN {SECTIONS.name} s ON s.report_id = "
            f"r.report_id AND s.section IN ({_TEXT_CODES}) AND {has_visible_text_sql('s.text')} "
            f"GROUP BY r.report_id HAVING count(s.section) < {len(TEXT_SECTIONS)}"
        ),
        CellScreen("a table without rows: the table screen flags the report"),
    ),
)
def section_missing(rule: Check, ctx: Context) -> Iterator[Finding]:
    texts = ctx.view.sections
    for section in ctx.layout.sections:
        label, en = section.label, section.en
        if section.table is not None:
            if ctx.tables[section.table] is None:
                yield rule.finding("table", (section.table,), report=ctx.source, label=label, en=en)
        elif not has_visible_text(texts.get(section.code)):
            path = f"sections.{section.code}"
            yield rule.finding("section", (path,), report=ctx.source, label=label, en=en)


def _fee_screen() -> str:
    """A positive other_no_fee cell and a section 六 without fee words; the engine reads the rest."""
    columns = [c.code for c in LAYOUTS["2021"].table("applications").columns]
    positive = " OR ".join(f'TRY_CAST("{c}" AS HUGEINT) > 0' for c in columns)
    return (
        f"SELECT t.report_id FROM {table_relation('applications', '2021')} t JOIN {REPORTS.name} r "
        f"USING (report_id) LEFT JOIN {SECTIONS.name} s ON s.report_id = t.report_id AND "
        f"s.section = 'other_matters' WHERE r.format = '2021' AND t.row = 'other_no_fee' AND "
        f"({positive}) AND NOT regexp_matches(coalesce(s.text, ''), '{FEE_WORDS_PATTERN}')"
    )


@check(
    id="T3-FEE-NOTICE",
    severity=Severity.WARNING,
    statement_zh="表三有逾期未缴费不再处理的申请，但第六部分未报告收费情况",
    statement_en="applications.other_no_fee > 0 but section 六 reports no fee notices",
    layouts=("2021",),
    messages={
        "fee": (
            "表三“逾期未按收费通知要求缴纳费用”为 {stated}，但“其他需要报告的事项”未提及收费",
            "other_no_fee is {stated}, but section 六 (other matters) says nothing about fees",
        )
    },
    screens=(SqlScreen(_fee_screen()),),
)
def fee_notice(rule: Check, ctx: Context) -> Iterator[Finding]:
    rows = ctx.tables["applications"]
    if rows is None:
        return
    row = rows["other_no_fee"]
    positive = {c: v for c, v in row.items() if v is not None and v > 0}
    if not positive:
        return
    text = ctx.view.sections.get("other_matters") or ""
    if not FEE_WORDS.search(text):
        # Name the figure the rule fired on: the total when stated, else the positive columns.
        named = ["total"] if "total" in positive else list(positive)
        stated = sum(positive[c] for c in named)
        cells = (*(f"applications.other_no_fee.{c}" for c in named), "sections.other_matters")
        yield rule.finding("fee", cells, report=ctx.source, stated=stated)


def _agrees(cell: int | Decimal, figure: int | Decimal) -> bool:
    """Equal, or an amount the text rounds: 2181.67万元 agrees with 2181.669177."""
    if cell == figure:
        return True
    if isinstance(figure, Decimal) and isinstance(cell, Decimal):
        exponent = figure.as_tuple().exponent
        if isinstance(exponent, int) and exponent > cell.as_tuple().exponent:  # type: ignore[operator]
            return cell.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP) == figure
    return False


@check(
    id="NARRATIVE-MISMATCH",
    severity=Severity.WARNING,
    statement_zh="正文中陈述的数字（例如“行政许可决定数量31461宗”“共收到依申请公开67宗”）与表格不一致",
    statement_en="A figure stated in the text (e.g. 行政许可决定数量31461宗, 共收到依申请公开67宗) "
    "differs from the table cell it speaks of; only figures read from the narrative are compared",
    messages={
        "mismatch": (
            "{where}为 {stated}，但正文称 {expected}（“{written}”，见“{sentence}”）",
            "{where} is {stated}, but the text states {expected} ({written!r} in: {sentence})",
        )
    },
    screens=(
        NeverInPackages(
            "compares the figures a page reader finds in the narrative; a package's reports are "
            "validated without such figures"
        ),
    ),
)
def narrative_mismatch(rule: Check, ctx: Context) -> Iterator[Finding]:
    for figure in ctx.narrative:
        table, row, column = figure.path.split(".")
        rows = ctx.tables.get(table)
        if rows is None or column not in rows.get(row, {}):
            continue  # no table, or a cell this layout does not have
        value = rows[row][column]
        if value is None or _agrees(value, figure.value):
            continue
        cells = (figure.path, *((f"sections.{figure.section}",) if figure.section else ()))
        yield rule.finding(
            "mismatch",
            cells,
            report=ctx.source,
            stated=value,
            expected=figure.value,
            where=_cell(ctx.layout, figure.path),
            written=figure.written,
            sentence=figure.sentence,
        )


_PAGE_READER_ONLY = NeverInPackages(
    "raised from what a page reader records; a package holds no such record, so its bulk screen has "
    "nothing to look at"
)


@check(
    id="CELL-UNPLACED",
    severity=Severity.WARNING,
    statement_zh="从已发布页面读取时，某行的数值个数与列数不符且无法判断所属列，这些单元格留空而不猜测",
    statement_en="Read from a published page: a row holds a different number of values than it has "
    "columns and the page does not tell which column each belongs to; those cells are left blank, "
    "not guessed",
    messages={"unplaced": ("{where}：{why}，未填入", "{where}: {why}; left blank")},
    screens=(_PAGE_READER_ONLY,),
)
def cell_unplaced(rule: Check, ctx: Context) -> Iterator[Finding]:
    for path, why in ctx.unplaced.items():
        reason = why if isinstance(why, str) else Both((why.message("zh"), why.message("en")))
        yield rule.finding("unplaced", (path,), report=ctx.source, where=_cell(ctx.layout, path), why=reason)


@check(
    id="METADATA-MISSING",
    severity=Severity.WARNING,
    statement_zh="从已发布页面读取时，页面未写明报告年度或机关名称（已用占位值代替，请补充）",
    statement_en="Read from a published page: the page states no reporting year or no agency name "
    "(a stand-in is recorded; give the real one)",
    messages={
        "year": (
            "页面未写明报告年度，暂记为 {stated}",
            "the page states no reporting year; recorded as {stated}",
        ),
        "agency": (
            "页面未写明机关名称，暂记为“{stated}”",
            "the page names no agency; recorded as {stated!r}",
        ),
    },
    screens=(_PAGE_READER_ONLY,),
)
def metadata_missing(rule: Check, ctx: Context) -> Iterator[Finding]:
    if "year" in ctx.missing_metadata:
        yield rule.finding("year", ("year",), report=ctx.source, stated=ctx.view.year)
    if "agency.name" in ctx.missing_metadata:
        yield rule.finding("agency", ("agency.name",), report=ctx.source, stated=ctx.agency_name)


CHECKS: tuple[Check, ...] = (
    cell_type,
    cell_negative,
    cell_missing,
    format_year,
    published_late,
    agency_code,
    section_missing,
    fee_notice,
    narrative_mismatch,
    cell_unplaced,
    metadata_missing,
)

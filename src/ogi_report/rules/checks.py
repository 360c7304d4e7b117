"""The check rules: one small function per rule id of the catalogue that is not an identity."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from ogi_report.findings import Finding, Severity, Value
from ogi_report.layout import CellKind, Layout
from ogi_report.rules.catalogue import RULES, Check
from ogi_report.rules.engine import Context
from ogi_report.rules.wording import cell_name, table_name

CheckFn = Callable[[Context], Iterator[Finding]]


class Both(tuple[str, str]):
    """A message parameter worded in both languages: (zh, en)."""


def _finding(
    ctx: Context,
    rule_id: str,
    key: str,
    cells: tuple[str, ...],
    *,
    severity: Severity | None = None,
    stated: Value = None,
    expected: Value = None,
    blanks: tuple[str, ...] = (),
    **params: Any,
) -> Finding:
    rule = RULES[rule_id]
    assert isinstance(rule, Check)
    zh, en = rule.messages[key]
    base = {"stated": stated, "expected": expected}
    pick = [{k: v[i] if isinstance(v, Both) else v for k, v in params.items()} for i in (0, 1)]
    return Finding(
        rule=rule_id,
        severity=severity or rule.severity,
        cells=cells,
        stated=stated,
        expected=expected,
        blanks=blanks,
        message_zh=zh.format(**base, **pick[0]),
        message_en=en.format(**base, **pick[1]),
        report=ctx.source,
    )


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


def cell_type(ctx: Context) -> Iterator[Finding]:
    for path, written in ctx.unreadable.items():
        table, _, column = path.split(".")
        kind = ctx.layout.table(table).column(column).kind
        yield _finding(
            ctx,
            "CELL-TYPE",
            "bad",
            (path,),
            stated=str(written),
            where=_cell(ctx.layout, path),
            kind_zh=_KIND_WORDS[kind][0],
            kind_en=_KIND_WORDS[kind][1],
        )


def _flagged_rows(ctx: Context) -> list[tuple[str, str, dict[str, Any]]]:
    """(table, row code, cells) of rows holding a blank or a negative value: one pass, shared."""
    if ctx.flagged is None:
        ctx.flagged = [
            (table, r, cols)
            for table, rows in ctx.tables.items()
            if rows is not None
            for r, cols in rows.items()
            if None in cols.values() or min(cols.values()) < 0
        ]
    return ctx.flagged


def cell_negative(ctx: Context) -> Iterator[Finding]:
    signed = _signed(ctx.layout)
    for table, r, cols in _flagged_rows(ctx):
        for c, value in cols.items():
            if value is None or value >= 0 or (table, r, c) in signed:
                continue
            path = f"{table}.{r}.{c}"
            yield _finding(
                ctx, "CELL-NEGATIVE", "negative", (path,), stated=value, where=_cell(ctx.layout, path)
            )


def cell_missing(ctx: Context) -> Iterator[Finding]:
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
            yield _finding(
                ctx,
                "CELL-MISSING",
                "blank",
                blank,
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


def expected_format(year: int) -> str:
    return "2019-trial" if year <= 2020 else "2021"


def format_year(ctx: Context) -> Iterator[Finding]:
    report = ctx.view
    expected = expected_format(report.year)
    if report.format != expected:
        yield _finding(
            ctx,
            "FORMAT-YEAR",
            "mismatch",
            ("format", "year"),
            stated=report.format,
            expected=expected,
            year=report.year,
        )


def deadline(year: int, kind: str | None) -> date:
    """Art. 49-50: departments by 31 January, governments (and unknown kinds) by 31 March."""
    return date(year + 1, 1, 31) if kind == "department" else date(year + 1, 3, 31)


def published_late(ctx: Context) -> Iterator[Finding]:
    report = ctx.view
    if report.published is None:
        return
    due = deadline(report.year, report.agency_kind)
    if report.published > due:
        yield _finding(
            ctx,
            "PUBLISHED-LATE",
            "late",
            ("published", "year", "agency.kind"),
            stated=report.published.isoformat(),
            expected=due.isoformat(),
        )


_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CODE_SHAPE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")


def credit_code_check_char(code: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters of a code."""
    total = sum(_CODE_CHARS.index(ch) * w for ch, w in zip(code[:17], _CODE_WEIGHTS, strict=True))
    return _CODE_CHARS[(31 - total % 31) % 31]


def agency_code(ctx: Context) -> Iterator[Finding]:
    code = ctx.view.agency_code
    if code is None:
        return
    if not _CODE_SHAPE.fullmatch(code):
        yield _finding(ctx, "AGENCY-CODE", "shape", ("agency.code",), stated=code)
        return
    check = credit_code_check_char(code)
    if code[17] != check:
        yield _finding(ctx, "AGENCY-CODE", "check", ("agency.code",), stated=code, expected=code[:17] + check)


def section_missing(ctx: Context) -> Iterator[Finding]:
    texts = ctx.view.sections
    for section in ctx.layout.sections:
        label, en = section.label, section.en
        if section.table is not None:
            if ctx.tables[section.table] is None:
                yield _finding(ctx, "SECTION-MISSING", "table", (section.table,), label=label, en=en)
        elif not (texts.get(section.code) or "").strip():
            path = f"sections.{section.code}"
            yield _finding(ctx, "SECTION-MISSING", "section", (path,), label=label, en=en)


FEE_WORDS = re.compile(r"收费|缴费|费用|信息处理费")


def fee_notice(ctx: Context) -> Iterator[Finding]:
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
        yield _finding(ctx, "T3-FEE-NOTICE", "fee", cells, stated=stated)


def _agrees(cell: int | Decimal, figure: int | Decimal) -> bool:
    """Equal, or an amount the text rounds: 2181.67万元 agrees with 2181.669177."""
    if cell == figure:
        return True
    if isinstance(figure, Decimal) and isinstance(cell, Decimal):
        exponent = figure.as_tuple().exponent
        if isinstance(exponent, int) and exponent > cell.as_tuple().exponent:  # type: ignore[operator]
            return cell.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP) == figure
    return False


def narrative_mismatch(ctx: Context) -> Iterator[Finding]:
    for figure in ctx.narrative:
        table, row, column = figure.path.split(".")
        rows = ctx.tables.get(table)
        if rows is None or column not in rows.get(row, {}):
            continue  # no table, or a cell this layout does not have
        value = rows[row][column]
        if value is None or _agrees(value, figure.value):
            continue
        cells = (figure.path, *((f"sections.{figure.section}",) if figure.section else ()))
        yield _finding(
            ctx,
            "NARRATIVE-MISMATCH",
            "mismatch",
            cells,
            stated=value,
            expected=figure.value,
            where=_cell(ctx.layout, figure.path),
            written=figure.written,
            sentence=figure.sentence,
        )


def cell_unplaced(ctx: Context) -> Iterator[Finding]:
    for path, why in ctx.unplaced.items():
        yield _finding(ctx, "CELL-UNPLACED", "unplaced", (path,), where=_cell(ctx.layout, path), why=why)


def metadata_missing(ctx: Context) -> Iterator[Finding]:
    if "year" in ctx.missing_metadata:
        yield _finding(ctx, "METADATA-MISSING", "year", ("year",), stated=ctx.view.year)
    if "agency.name" in ctx.missing_metadata:
        yield _finding(ctx, "METADATA-MISSING", "agency", ("agency.name",), stated=ctx.agency_name)


REPORT_CHECKS: dict[str, CheckFn] = {
    "CELL-TYPE": cell_type,
    "CELL-NEGATIVE": cell_negative,
    "CELL-MISSING": cell_missing,
    "FORMAT-YEAR": format_year,
    "PUBLISHED-LATE": published_late,
    "AGENCY-CODE": agency_code,
    "SECTION-MISSING": section_missing,
    "T3-FEE-NOTICE": fee_notice,
    "NARRATIVE-MISMATCH": narrative_mismatch,
    "CELL-UNPLACED": cell_unplaced,
    "METADATA-MISSING": metadata_missing,
}

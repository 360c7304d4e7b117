"""THE table of rules, declared as data.

Identities (sums and balances) name their cells through selectors resolved against the layout
registry, so a row added to a layout is covered without touching this file. Other rules are checks:
a stable id and its messages here, a small function in `checks.py`. The engine, the rules
documentation and the bulk validator all read this table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Literal

from ogi_report.findings import Severity
from ogi_report.layout import LAYOUTS, Layout, Table

CATALOGUE_VERSION = "1.0.0"

ALL_LAYOUTS = tuple(LAYOUTS)


@dataclass(frozen=True)
class Term:
    code: str
    weight: int = 1


@dataclass(frozen=True)
class Codes:
    """Explicit row or column codes."""

    terms: tuple[Term, ...]

    def resolve(self, table: Table, axis: Literal["rows", "columns"]) -> tuple[Term, ...]:  # noqa: ARG002
        return self.terms


@dataclass(frozen=True)
class Descendants:
    """Every data row below a group row, less some."""

    group: str
    exclude: tuple[str, ...] = ()

    def resolve(self, table: Table, axis: Literal["rows", "columns"]) -> tuple[Term, ...]:  # noqa: ARG002
        return tuple(Term(r.code) for r in table.descendants(self.group) if r.code not in self.exclude)


@dataclass(frozen=True)
class AllExcept:
    """Every column of the table (or data row), less some."""

    exclude: tuple[str, ...]

    def resolve(self, table: Table, axis: Literal["rows", "columns"]) -> tuple[Term, ...]:
        codes = [c.code for c in table.columns] if axis == "columns" else [r.code for r in table.data_rows]
        return tuple(Term(c) for c in codes if c not in self.exclude)


Selector = Codes | Descendants | AllExcept


def codes(*names: str) -> Codes:
    return Codes(tuple(Term(n) for n in names))


@dataclass(frozen=True, kw_only=True)
class Rule:
    id: str
    severity: Severity
    statement_zh: str
    statement_en: str
    layouts: tuple[str, ...] = ALL_LAYOUTS
    scope: Literal["report", "cross-year"] = "report"
    note_en: str = ""

    def applies_to(self, layout: Layout) -> bool:
        return layout.code in self.layouts


@dataclass(frozen=True, kw_only=True)
class Identity(Rule):
    """sum(stated) = sum(items), evaluated once per column (`per="column"`: terms are rows) or once
    per data row (`per="row"`: terms are columns), as XBRL binds a calculation per context."""

    table: str
    per: Literal["column", "row"]
    stated: Selector
    items: Selector
    over: tuple[str, ...] = ()  # restrict the iteration to these columns/rows; empty means all


@dataclass(frozen=True, kw_only=True)
class Check(Rule):
    """A rule evaluated by the function of the same id in `checks.py`."""

    messages: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (zh, en) template


IDENTITIES: tuple[Identity, ...] = (
    Identity(
        id="T3-BALANCE",
        severity=Severity.ERROR,
        table="applications",
        per="column",
        stated=codes("total_handled", "carried_out"),
        items=codes("new_received", "carried_in"),
        statement_zh="每一列：第一项加第二项之和，等于第三项（七）总计加第四项之和",
        statement_en="For each column: new_received + carried_in = total_handled + carried_out "
        "(the identity printed in the table)",
    ),
    Identity(
        id="T3-HANDLED-SUM",
        severity=Severity.ERROR,
        table="applications",
        per="column",
        stated=codes("total_handled"),
        items=Descendants("results", exclude=("total_handled",)),
        statement_zh="每一列：（七）总计等于各项办理结果之和",
        statement_en="For each column: total_handled = the sum of every outcome data row",
    ),
    Identity(
        id="T3-ROW-TOTAL",
        severity=Severity.ERROR,
        table="applications",
        per="row",
        stated=codes("total"),
        items=AllExcept(("total",)),
        statement_zh="每一行：总计等于自然人与各类法人或其他组织之和",
        statement_en="For each data row: total = natural_person + business + research + nonprofit "
        "+ legal_service + other_org",
    ),
    Identity(
        id="T4-TOTAL",
        severity=Severity.ERROR,
        table="review_litigation",
        per="row",
        stated=codes("total"),
        items=AllExcept(("total",)),
        statement_zh="每一类：总计等于结果维持、结果纠正、其他结果、尚未审结之和",
        statement_en="For each block: total = upheld + corrected + other + pending",
    ),
)

CHECKS: tuple[Check, ...] = (
    Check(
        id="CELL-TYPE",
        severity=Severity.ERROR,
        statement_zh="单元格的值不是数字（例如“12件”），按空白处理后继续核对",
        statement_en="A cell holds something that is not a number of the cell's kind (e.g. "
        '"12件"); it is treated as blank so the other rules still run',
        messages={
            "bad": ("{where}的值“{stated}”不是{kind_zh}", "{where}: {stated!r} is not {kind_en}"),
        },
    ),
    Check(
        id="CELL-NEGATIVE",
        severity=Severity.ERROR,
        statement_zh="数量或金额小于零（2019 试行格式的“本年增/减”除外）",
        statement_en="A count or amount below zero (all cells except 2019-trial change)",
        messages={"negative": ("{where}为负数 {stated}", "{where} is negative: {stated}")},
    ),
    Check(
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
    ),
    Check(
        id="FORMAT-YEAR",
        severity=Severity.WARNING,
        statement_zh="2019—2020 年度应使用试行格式，2021 年度起应使用 2021 格式",
        statement_en='Layout "2019-trial" is expected for 2019-2020, "2021" from 2021',
        messages={
            "mismatch": (
                "{year} 年度报告使用了“{stated}”格式，应为“{expected}”",
                'the {year} report uses layout "{stated}"; "{expected}" is expected',
            )
        },
    ),
    Check(
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
    ),
    Check(
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
    ),
    Check(
        id="SECTION-MISSING",
        severity=Severity.WARNING,
        statement_zh="某一部分缺失或为空（缺少表格也报告）",
        statement_en="A section is absent or empty (a missing table is reported too)",
        messages={
            "section": ("缺少“{label}”部分的内容", 'section "{label}" ({en}) is absent or empty'),
            "table": ("缺少“{label}”表格", 'the table of section "{label}" ({en}) is absent'),
        },
    ),
    Check(
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
    ),
    Check(
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
    ),
    Check(
        id="CELL-UNPLACED",
        severity=Severity.WARNING,
        statement_zh="从已发布页面读取时，某行的数值个数与列数不符且无法判断所属列，这些单元格留空而不猜测",
        statement_en="Read from a published page: a row holds a different number of values than it has "
        "columns and the page does not tell which column each belongs to; those cells are left blank, "
        "not guessed",
        note_en="Reader-only: raised from what the page reader records; a package holds no such record "
        "(its bulk SQL screen has nothing to look at).",
        messages={
            "unplaced": ("{where}：{why}，未填入", "{where}: {why}; left blank"),
        },
    ),
    Check(
        id="METADATA-MISSING",
        severity=Severity.WARNING,
        statement_zh="从已发布页面读取时，页面未写明报告年度或机关名称（已用占位值代替，请补充）",
        statement_en="Read from a published page: the page states no reporting year or no agency name "
        "(a stand-in is recorded; give the real one)",
        note_en="Reader-only: raised from what the page reader records; a package holds no such record "
        "(its bulk SQL screen has nothing to look at).",
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
    ),
    Check(
        id="Y-CARRY",
        severity=Severity.WARNING,
        scope="cross-year",
        statement_zh="同一机关：本年“上年结转”应等于上一年度“结转下年度继续办理”（逐列）",
        statement_en="Same agency: carried_in(N, c) = carried_out(N-1, c), per column",
        messages={
            "carry": (
                "{where}：上年结转为 {stated}，上一年度报告结转下年度为 {expected}",
                "{where}: carried_in is {stated}, last year's report carried out {expected}",
            )
        },
    ),
    Check(
        id="T2-IN-FORCE",
        severity=Severity.WARNING,
        scope="cross-year",
        layouts=("2021",),
        statement_zh="同一机关：现行有效件数(N) = 现行有效件数(N−1) + 本年制发件数(N) − 本年废止件数(N)",
        statement_en="Same agency: in_force(N) = in_force(N-1) + issued(N) - repealed(N)",
        messages={
            "roll": (
                "{where}：现行有效件数为 {stated}，按上一年度推算应为 {expected}",
                "{where}: in_force is {stated}; rolled forward from last year it would be {expected}",
            )
        },
    ),
)

CATALOGUE: tuple[Rule, ...] = (*IDENTITIES, *CHECKS)
RULES: dict[str, Rule] = {rule.id: rule for rule in CATALOGUE}


@dataclass(frozen=True, eq=False)
class IdentityInstance:
    """One identity bound to one column or row of one layout: the cells with their weights."""

    rule: Identity
    table: str
    bound: str  # the column (per="column") or row (per="row") it is bound to
    stated: tuple[tuple[str, str, int], ...]  # (row, column, weight)
    items: tuple[tuple[str, str, int], ...]

    @cached_property
    def paths(self) -> tuple[str, ...]:
        return tuple(f"{self.table}.{r}.{c}" for r, c, _ in (*self.stated, *self.items))


@cache
def identity_instances(layout: Layout) -> tuple[IdentityInstance, ...]:
    """Every identity of the catalogue, bound to every column or row it runs over."""
    out: list[IdentityInstance] = []
    for rule in IDENTITIES:
        if not rule.applies_to(layout):
            continue
        table = layout.table(rule.table)
        if rule.per == "column":
            stated = rule.stated.resolve(table, "rows")
            items = rule.items.resolve(table, "rows")
            for col in rule.over or tuple(c.code for c in table.columns):
                out.append(
                    IdentityInstance(
                        rule,
                        table.code,
                        col,
                        tuple((t.code, col, t.weight) for t in stated),
                        tuple((t.code, col, t.weight) for t in items),
                    )
                )
        else:
            stated = rule.stated.resolve(table, "columns")
            items = rule.items.resolve(table, "columns")
            for row in rule.over or tuple(r.code for r in table.data_rows):
                out.append(
                    IdentityInstance(
                        rule,
                        table.code,
                        row,
                        tuple((row, t.code, t.weight) for t in stated),
                        tuple((row, t.code, t.weight) for t in items),
                    )
                )
    return tuple(out)

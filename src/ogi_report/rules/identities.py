"""The identities of the catalogue (sums and balances, within a report or across two years), and
their binding to the cells of each layout.

Identities name their cells through selectors resolved against the layout registry, so a row added
to a layout is covered without touching this file. Their messages are templates filled by the
engine: a head (`broken`, `impossible`, `blank`) and, for a blank, tails saying what would make it
hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Literal

from ogi_report.facts import ITEM_SIGN, STATED_SIGN
from ogi_report.findings import Severity
from ogi_report.layout import Layout
from ogi_report.rules.rule import AllExcept, Codes, Descendants, Identity, Term, codes

# {where}: the bound column or row; {stated_name}, {items_name}: the two sides; {stated},
# {expected}: their sums ({expected}: of the present items); {difference}: stated - items;
# {blank_cells}: the blank cells; {need}: what the blanks must take (or sum to).
IDENTITY_MESSAGES = {
    "broken": (
        "{where}：{stated_name} 为 {stated}，{items_name} 为 {expected}，两者不等（相差 {difference}）",
        "{where}: {stated_name} = {stated}, but {items_name} = {expected} (difference {difference})",
    ),
    "impossible": (
        "{where}：{stated_name} 为 {stated}，{items_name} 已有 {expected}，"
        "空白格 {blank_cells} 取任何非负值都不能使两者相等",
        "{where}: {stated_name} = {stated} but {items_name} = {expected} already; no non-negative "
        "value of the blank cell(s) {blank_cells} makes them equal",
    ),
    "blank": (
        "{where}：{blank_cells} 为空，无法完全核对",
        "{where}: blank cell(s) {blank_cells}, so the identity cannot be fully checked",
    ),
    "fill_one": ("；等式成立时该格应为 {need}", "; it holds only if the blank is {need}"),
    "fill_zero": ("；等式成立时这些空白格均应为 0", "; it holds only if every blank is 0"),
    "fill_sum": ("；等式成立时空白格合计应为 {need}", "; it holds only if the blanks sum to {need}"),
    "stated_blank": ("；{stated_name} 应为 {expected}", "; {stated_name} should be {expected}"),
    "items_blank": ("（空白项按 0 计；至少为此数）", " (blank items taken as 0; at least that)"),
}

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
        messages=IDENTITY_MESSAGES,
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
        messages=IDENTITY_MESSAGES,
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
        messages=IDENTITY_MESSAGES,
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
        messages=IDENTITY_MESSAGES,
    ),
)

# Cross-year identities compare two consecutive reports of one agency. A blank on either side
# leaves an instance unchecked (blanks="skip"): the report of its own year reports the blank.
CROSS_YEAR_IDENTITIES: tuple[Identity, ...] = (
    Identity(
        id="Y-CARRY",
        severity=Severity.WARNING,
        scope="cross-year",
        table="applications",
        per="column",
        stated=codes("carried_in"),
        items=Codes((Term("carried_out", year=-1),)),
        blanks="skip",
        statement_zh="同一机关：本年“上年结转”应等于上一年度“结转下年度继续办理”（逐列）",
        statement_en="Same agency: carried_in(N, c) = carried_out(N-1, c), per column",
        messages={
            "broken": (
                "{where}：上年结转为 {stated}，上一年度报告结转下年度为 {expected}",
                "{where}: carried_in is {stated}, last year's report carried out {expected}",
            )
        },
    ),
    Identity(
        id="T2-IN-FORCE",
        severity=Severity.WARNING,
        scope="cross-year",
        layouts=("2021",),
        table="proactive",
        per="row",
        having="in_force",
        stated=codes("in_force"),
        items=Codes((Term("in_force", year=-1), Term("issued"), Term("repealed", -1))),
        blanks="skip",
        statement_zh="同一机关：现行有效件数(N) = 现行有效件数(N−1) + 本年制发件数(N) − 本年废止件数(N)",
        statement_en="Same agency: in_force(N) = in_force(N-1) + issued(N) - repealed(N)",
        messages={
            "broken": (
                "{table_name}“{line_label}”：现行有效件数为 {stated}，按上一年度推算应为 {expected}",
                "{where}: in_force is {stated}; rolled forward from last year it would be {expected}",
            )
        },
    ),
)


@dataclass(frozen=True, eq=False)
class IdentityInstance:
    """One identity bound to one column or row of one layout: the cells with their weights."""

    rule: Identity
    table: str
    bound: str  # the column (per="column") or row (per="row") it is bound to
    stated: tuple[tuple[str, str, int], ...]  # (row, column, weight)
    items: tuple[tuple[str, str, int], ...]
    years: tuple[int, ...] = ()  # year offset of each term, stated then items; empty: all 0

    @cached_property
    def paths(self) -> tuple[str, ...]:
        """Every term's cell, stated then items (of whichever year)."""
        return tuple(f"{self.table}.{r}.{c}" for r, c, _ in (*self.stated, *self.items))

    @cached_property
    def cells(self) -> tuple[str, ...]:
        """The cells of the report's own year: those a finding names."""
        if not self.years:
            return self.paths
        return tuple(p for p, y in zip(self.paths, self.years, strict=True) if y == 0)

    def year_of(self, position: int) -> int:
        return self.years[position] if self.years else 0

    @cached_property
    def signed_terms(self) -> tuple[tuple[str, str, int, int], ...]:
        """(row, column, signed weight, year offset) of every term, stated then items: the identity
        holds when the sum of signed weight * cell is 0 (the sign convention of `facts`)."""
        signs = [STATED_SIGN] * len(self.stated) + [ITEM_SIGN] * len(self.items)
        return tuple(
            (r, c, sign * w, self.year_of(i))
            for i, ((r, c, w), sign) in enumerate(zip((*self.stated, *self.items), signs, strict=True))
        )


def cross_year_conditions(
    instances: Sequence[IdentityInstance], test: str = "IS DISTINCT FROM 0"
) -> tuple[dict[int, dict[tuple[str, str], str]], list[str]]:
    """SQL of cross-year instances, one condition each: its weighted sum `test` (true where it may
    fail), over columns `a.vN` (this year's cells) and `b.vN` (the year before's); and, per year
    offset, the cell (row, column) each alias stands for. The package and the store both compile
    their cross-year screens from this, over their own tables."""
    cells: dict[int, dict[tuple[str, str], str]] = {0: {}, -1: {}}
    conditions = []
    for inst in instances:
        terms = []
        for r, c, w, year in inst.signed_terms:
            alias = cells[year].setdefault((r, c), f"v{len(cells[year])}")
            terms.append(f"({w}) * {'a' if year == 0 else 'b'}.{alias}")
        conditions.append(f"({' + '.join(terms)}) {test}")
    return cells, conditions


def _bind(rule: Identity, layout: Layout) -> list[IdentityInstance]:
    table = layout.table(rule.table)
    axis: Literal["rows", "columns"] = "rows" if rule.per == "column" else "columns"
    stated, items = rule.stated.resolve(table, axis), rule.items.resolve(table, axis)
    years = tuple(t.year for t in (*stated, *items))
    if rule.per == "column":
        lines = rule.over or tuple(c.code for c in table.columns)
    else:
        rows = [r for r in table.data_rows if rule.having is None or rule.having in r.columns]
        lines = rule.over or tuple(r.code for r in rows)

    def cell(term: Term, line: str) -> tuple[str, str, int]:
        """(row, column, weight) of a term on a bound column or row."""
        row, column = (term.code, line) if rule.per == "column" else (line, term.code)
        return row, column, term.weight

    return [
        IdentityInstance(
            rule,
            table.code,
            line,
            tuple(cell(t, line) for t in stated),
            tuple(cell(t, line) for t in items),
            years if any(years) else (),
        )
        for line in lines
    ]


@cache
def identity_instances(layout: Layout) -> tuple[IdentityInstance, ...]:
    """Every single-report identity of the catalogue, bound to every column or row it runs over."""
    return tuple(i for rule in IDENTITIES if rule.applies_to(layout) for i in _bind(rule, layout))


@cache
def cross_year_instances(layout: Layout) -> tuple[IdentityInstance, ...]:
    """The cross-year identities bound to the layout of the later report."""
    return tuple(i for rule in CROSS_YEAR_IDENTITIES if rule.applies_to(layout) for i in _bind(rule, layout))

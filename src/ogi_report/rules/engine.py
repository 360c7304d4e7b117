"""Runs the rule catalogue over one report and returns every finding.

Blank cells are unknown non-negative counts (docs/standard.md): an identity with blanks is an error only
when no non-negative values could make it hold, and otherwise a warning naming the blanks and, where
it is determined, the value they would need.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from ogi_report.findings import Finding, Lang, Severity
from ogi_report.layout import LAYOUTS, Layout
from ogi_report.model import Report
from ogi_report.rules.catalogue import IdentityInstance, identity_instances
from ogi_report.rules.compiled import screen_for
from ogi_report.rules.wording import line_name, terms_name

if TYPE_CHECKING:
    from ogi_report.readers.narrative import NarrativeFigure

Mode = Literal["submission", "published"]
RowDicts = dict[str, dict[str, Any]]  # row code -> column code -> value


@dataclass(frozen=True)
class ReportView:
    """What the rules read of a report, as plain values: built from a model (`view_of`) or, for
    whole packages, from columns, so that both paths run the very same rule functions."""

    format: str
    year: int
    published: date | None
    agency_kind: str | None
    agency_code: str | None
    sections: Mapping[str, str | None]
    tables: dict[str, RowDicts | None]  # table code -> row code -> column code -> value

    @property
    def layout(self) -> Layout:
        return LAYOUTS[self.format]


@dataclass
class Context:
    """What the checks need to know about the report being validated."""

    view: ReportView
    layout: Layout
    mode: Mode
    unreadable: Mapping[str, object] = field(default_factory=dict)  # path -> what was written
    source: str | None = None
    flagged: list[tuple[str, str, dict[str, Any]]] | None = None  # rows with blanks or negatives
    narrative: Sequence[NarrativeFigure] = ()  # figures the report's text states (NARRATIVE-MISMATCH)
    # What a page reader recorded: cells it could not place (path -> why; CELL-UNPLACED) and the
    # metadata the page does not state (METADATA-MISSING, with the stand-in agency name).
    unplaced: Mapping[str, str] = field(default_factory=dict)
    missing_metadata: Sequence[str] = ()
    agency_name: str | None = None

    @property
    def tables(self) -> dict[str, RowDicts | None]:
        return self.view.tables


def table_rows(report: Report) -> dict[str, RowDicts | None]:
    """Plain dicts of every table's cells: the engine's fast view of the model."""
    out: dict[str, RowDicts | None] = {}
    for table in report.layout.tables:
        model = report.table(table.code)
        out[table.code] = None if model is None else {k: v.__dict__ for k, v in model.__dict__.items()}
    return out


def view_of(report: Report, tables: dict[str, RowDicts | None] | None = None) -> ReportView:
    """What the rules read of a model; `tables` replaces the model's own (the package reader
    converts cells itself and validates only the metadata through the model)."""
    return ReportView(
        format=report.format,
        year=report.year,
        published=report.published,
        agency_kind=report.agency.kind,
        agency_code=report.agency.code,
        sections=report.sections.__dict__,
        tables=table_rows(report) if tables is None else tables,
    )


@dataclass(frozen=True)
class _Compiled:
    instance: IdentityInstance
    terms: tuple[tuple[str, str, int], ...]  # items with +weight, stated with -weight


@cache
def _compiled(layout: Layout) -> tuple[_Compiled, ...]:
    return tuple(
        _Compiled(i, (*i.items, *((r, c, -w) for r, c, w in i.stated))) for i in identity_instances(layout)
    )


def identity_findings(ctx: Context) -> Iterator[Finding]:
    """Evaluate every bound identity: D = sum(items) - sum(stated) must be 0."""
    compiled = _compiled(ctx.layout)
    for position in screen_for(ctx.layout)(ctx.tables):
        comp = compiled[position]
        rows = ctx.tables[comp.instance.table]
        assert rows is not None
        known: int | Decimal = 0
        blanks: list[tuple[str, str, int]] = []
        for r, c, w in comp.terms:
            v = rows[r][c]
            if v is None:
                blanks.append((r, c, w))
            else:
                known += w * v
        if not blanks:
            if known:
                yield _identity_finding(ctx, comp.instance, rows, known, ())
        elif len(blanks) < len(comp.terms):
            yield _identity_finding(ctx, comp.instance, rows, known, tuple(blanks))


def _side(rows: RowDicts, terms: Iterable[tuple[str, str, int]]) -> int | Decimal | None:
    total: int | Decimal = 0
    for r, c, w in terms:
        v = rows[r][c]
        if v is None:
            return None
        total += w * v
    return total


def _known_sum(rows: RowDicts, terms: Iterable[tuple[str, str, int]]) -> int | Decimal | None:
    """The sum of the present cells (blanks left out); None when every cell is blank."""
    values = [w * rows[r][c] for r, c, w in terms if rows[r][c] is not None]
    return sum(values) if values else None


def _list_cells(layout: Layout, paths: tuple[str, ...], lang: Lang, per: str, most: int = 4) -> str:
    """Blank cells of one identity: in Chinese by the label that varies along the bound line."""
    if not paths:
        return ""
    if lang == "zh":
        table = layout.table(paths[0].split(".")[0])
        names = [
            f"“{table.row(r).label}”" if per == "column" else f"“{table.column(c).label}”"
            for _, r, c in (p.split(".") for p in paths[:most])
        ]
    else:
        names = list(paths[:most])
    text = ("、" if lang == "zh" else ", ").join(names)
    if len(paths) > most:
        text += f"等 {len(paths)} 格" if lang == "zh" else f" and {len(paths) - most} more"
    return text


@cache
def _names(layout: Layout, inst: IdentityInstance, lang: Lang) -> tuple[str, str, str]:
    """How an identity instance is named: its row or column, its stated side, its items."""
    table, per = layout.table(inst.table), inst.rule.per
    stated = tuple(r if per == "column" else c for r, c, _ in inst.stated)
    items = tuple(r if per == "column" else c for r, c, _ in inst.items)
    return (
        line_name(table, per, inst.bound, lang),
        terms_name(table, per, stated, lang),
        terms_name(table, per, items, lang),
    )


def _identity_finding(
    ctx: Context,
    inst: IdentityInstance,
    rows: RowDicts,
    known: int | Decimal,
    blanks: tuple[tuple[str, str, int], ...],
) -> Finding:
    """Classify and word one broken or unverifiable identity."""
    rule = inst.rule
    signs = {w > 0 for _, _, w in blanks}
    # D = known + sum(w * blank); blanks range over [0, inf).
    feasible = bool(blanks) and (len(signs) == 2 or (known <= 0 if True in signs else known >= 0))
    fill: dict[str, int | Decimal] = {}
    need: int | Decimal = -known if known < 0 else known
    if feasible and len(signs) == 1 and (len(blanks) == 1 or need == 0):
        fill = {f"{inst.table}.{r}.{c}": need for r, c, _ in blanks}
    stated = _side(rows, inst.stated)
    expected = _known_sum(rows, inst.items)
    blank_paths = tuple(f"{inst.table}.{r}.{c}" for r, c, _ in blanks)
    items_blank = any(p in blank_paths for p in inst.paths[len(inst.stated) :])

    def word(lang: Lang) -> str:
        where, s_name, i_name = _names(ctx.layout, inst, lang)
        s_val = "?" if stated is None else stated
        e_val = "?" if expected is None else expected
        cells = _list_cells(ctx.layout, blank_paths, lang, rule.per)
        if not blanks:
            if lang == "zh":
                return f"{where}：{s_name} 为 {s_val}，{i_name} 为 {e_val}，两者不等（相差 {-known}）"
            return f"{where}: {s_name} = {s_val}, but {i_name} = {e_val} (difference {-known})"
        if not feasible:
            if lang == "zh":
                return (
                    f"{where}：{s_name} 为 {s_val}，{i_name} 已有 {e_val}，"
                    f"空白格 {cells} 取任何非负值都不能使两者相等"
                )
            return (
                f"{where}: {s_name} = {s_val} but {i_name} = {e_val} already; no non-negative "
                f"value of the blank cell(s) {cells} makes them equal"
            )
        head = _blank_words(where, cells, fill, len(signs) == 1, abs(known), lang)
        if stated is None and expected is not None and not fill:
            if lang == "zh":
                zero = "（空白项按 0 计；至少为此数）" if items_blank else ""
                return f"{head}；{s_name} 应为 {expected}{zero}"
            zero = " (blank items taken as 0; at least that)" if items_blank else ""
            return f"{head}; {s_name} should be {expected}{zero}"
        return head

    return Finding(
        rule=rule.id,
        severity=rule.severity if not feasible else Severity.WARNING,
        cells=inst.paths,
        stated=stated,
        expected=expected,
        blanks=blank_paths,
        fill=fill,
        message_zh=word("zh"),
        message_en=word("en"),
        report=ctx.source,
    )


def _blank_words(
    where: str, cells: str, fill: Mapping[str, object], determined: bool, need: object, lang: Lang
) -> str:
    if lang == "zh":
        head = f"{where}：{cells} 为空，无法完全核对"
        if len(fill) == 1:
            return f"{head}；等式成立时该格应为 {need}"
        if fill:
            return f"{head}；等式成立时这些空白格均应为 0"
        return f"{head}；等式成立时空白格合计应为 {need}" if determined else head
    head = f"{where}: blank cell(s) {cells}, so the identity cannot be fully checked"
    if len(fill) == 1:
        return f"{head}; it holds only if the blank is {need}"
    if fill:
        return f"{head}; it holds only if every blank is 0"
    return f"{head}; it holds only if the blanks sum to {need}" if determined else head

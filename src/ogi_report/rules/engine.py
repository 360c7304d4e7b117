"""Runs the rule catalogue over one report and returns every finding.

Blank cells are unknown non-negative counts (docs/standard.md, "Rules"): an identity with blanks
is an error only when no non-negative values could make it hold, and otherwise a warning naming the
blanks and, where it is determined, the value they would need.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from ogi_report.facts import ITEM_SIGN, STATED_SIGN
from ogi_report.findings import Finding, Lang, Severity, Value
from ogi_report.layout import LAYOUTS, Layout
from ogi_report.model import Report
from ogi_report.notes import ReadingNote
from ogi_report.rules.compiled import screen_for
from ogi_report.rules.identities import IdentityInstance, cross_year_instances, identity_instances
from ogi_report.rules.rule import Both, Shown, shown
from ogi_report.rules.wording import line_name, table_name, terms_name

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
    # What a page reader recorded: cells it could not place (path -> why: text, or a reading note worded
    # in both languages; CELL-UNPLACED) and the metadata the page does not state (METADATA-MISSING,
    # with the stand-in agency name).
    unplaced: Mapping[str, str | ReadingNote] = field(default_factory=dict)
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


Tables = dict[str, RowDicts | None]


Term4 = tuple[str, str, int, int]  # (row, column, weight, year offset)
# The tables of the report (index 0) and, for cross-year rules, of the year before (index -1): a
# list indexed by the year offset itself.
Years = list[RowDicts]


@dataclass(frozen=True)
class _Compiled:
    instance: IdentityInstance
    stated: tuple[Term4, ...]
    items: tuple[Term4, ...]
    terms: tuple[Term4, ...]  # items with +weight, stated with -weight: D = sum of weight * cell
    paths: tuple[str, ...]  # of the terms, items then stated


def _compile(inst: IdentityInstance) -> _Compiled:
    n = len(inst.stated)
    stated = tuple((r, c, w, inst.year_of(i)) for i, (r, c, w) in enumerate(inst.stated))
    items = tuple((r, c, w, inst.year_of(n + i)) for i, (r, c, w) in enumerate(inst.items))
    terms = (
        *((r, c, ITEM_SIGN * w, y) for r, c, w, y in items),
        *((r, c, STATED_SIGN * w, y) for r, c, w, y in stated),
    )
    return _Compiled(inst, stated, items, terms, tuple(f"{inst.table}.{r}.{c}" for r, c, _, _ in terms))


@cache
def _compiled(layout: Layout) -> tuple[_Compiled, ...]:
    return tuple(_compile(i) for i in identity_instances(layout))


@cache
def _compiled_cross_year(layout: Layout) -> tuple[_Compiled, ...]:
    return tuple(_compile(i) for i in cross_year_instances(layout))


def identity_findings(ctx: Context) -> Iterator[Finding]:
    """Evaluate every bound identity: D = sum(items) - sum(stated) must be 0. The compiled screen
    names the instances that fail or involve a blank; only those are interpreted."""
    compiled = _compiled(ctx.layout)
    for position in screen_for(ctx.layout)(ctx.tables):
        comp = compiled[position]
        rows = ctx.tables[comp.instance.table]
        if rows is not None:
            finding = _evaluate(ctx, comp, [rows])
            if finding is not None:
                yield finding


def cross_year_findings(ctx: Context, previous: ReportView) -> Iterator[Finding]:
    """The cross-year identities of `ctx`'s report, given the same agency's report of the year before."""
    for comp in _compiled_cross_year(ctx.layout):
        if not comp.instance.rule.applies_to(previous.layout):
            continue
        now, before = ctx.tables[comp.instance.table], previous.tables[comp.instance.table]
        if now is not None and before is not None:  # a table absent: SECTION-MISSING says so
            finding = _evaluate(ctx, comp, [now, before])
            if finding is not None:
                yield finding


def _evaluate(ctx: Context, comp: _Compiled, years: Years) -> Finding | None:
    """The finding of one instance, if any: broken, impossible with its blanks, or left open."""
    known: int | Decimal = 0
    blanks: list[tuple[int, int]] = []  # (term position, weight)
    for i, (r, c, w, y) in enumerate(comp.terms):
        v = years[y][r][c]
        if v is None:
            blanks.append((i, w))
        else:
            known += w * v
    if blanks and (comp.instance.rule.blanks == "skip" or len(blanks) == len(comp.terms)):
        return None  # nothing to check: every cell blank, or a blank the rule does not reason about
    if not blanks and not known:
        return None
    return _identity_finding(ctx, comp, years, known, blanks)


def _side(years: Years, terms: tuple[Term4, ...]) -> int | Decimal | None:
    total: int | Decimal = 0
    for r, c, w, y in terms:
        v = years[y][r][c]
        if v is None:
            return None
        total += w * v
    return total


def _known_sum(years: Years, terms: tuple[Term4, ...]) -> int | Decimal | None:
    """The sum of the present cells (blanks left out); None when every cell is blank."""
    values = [w * v for r, c, w, y in terms if (v := years[y][r][c]) is not None]
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
def _names(layout: Layout, inst: IdentityInstance, lang: Lang) -> tuple[str, str, str, str, str]:
    """How an identity instance is named: its row or column, its stated side, its items, its
    table and the label of its row or column."""
    table, per = layout.table(inst.table), inst.rule.per
    stated = tuple(r if per == "column" else c for r, c, _ in inst.stated)
    items = tuple(r if per == "column" else c for r, c, _ in inst.items)
    line = table.column(inst.bound) if per == "column" else table.row(inst.bound)
    return (
        line_name(table, per, inst.bound, lang),
        terms_name(table, per, stated, lang),
        terms_name(table, per, items, lang),
        table_name(table, lang),
        line.label if lang == "zh" else inst.bound,
    )


@cache
def _shared(layout: Layout, inst: IdentityInstance) -> Shown:
    """The parameters every finding of an instance shares: its names, and the line it is bound to."""
    zh, en = _names(layout, inst, "zh"), _names(layout, inst, "en")
    keys = ("where", "stated_name", "items_name", "table_name", "line_label")
    return shown({"bound": inst.bound, **{k: Both((z, e)) for k, z, e in zip(keys, zh, en, strict=True)}})


def _message_keys(
    feasible: bool, blanks: int, fill: int, determined: bool, stated_blank: bool, items_blank: bool
) -> tuple[str, ...]:
    """Which templates word a finding: a head, and for an open identity what would make it hold."""
    if not blanks:
        return ("broken",)
    if not feasible:
        return ("impossible",)
    tail = ("fill_one",) if fill == 1 else ("fill_zero",) if fill else ("fill_sum",) if determined else ()
    if stated_blank and not fill:
        tail += ("stated_blank", *(("items_blank",) if items_blank else ()))
    return ("blank", *tail)


def _identity_finding(
    ctx: Context, comp: _Compiled, years: Years, known: int | Decimal, blanks: list[tuple[int, int]]
) -> Finding:
    """Classify and word one broken or unverifiable identity."""
    inst = comp.instance
    rule = inst.rule
    signs = {w > 0 for _, w in blanks}
    # D = known + sum(w * blank); blanks range over [0, inf).
    feasible = bool(blanks) and (len(signs) == 2 or (known <= 0 if True in signs else known >= 0))
    need: int | Decimal = -known if known < 0 else known
    blank_paths = tuple(comp.paths[i] for i, _ in blanks)
    fill: dict[str, Value] = {}
    if feasible and len(signs) == 1 and (len(blanks) == 1 or need == 0):
        fill = dict.fromkeys(blank_paths, need)
    stated = _side(years, comp.stated)
    expected = _known_sum(years, comp.items)
    items_blank = bool(blanks) and blanks[0][0] < len(comp.items)  # blanks in term order: items first
    stated_blank = stated is None and expected is not None
    keys = _message_keys(feasible, len(blanks), len(fill), len(signs) == 1, stated_blank, items_blank)
    per = rule.per
    cells = Both(
        (_list_cells(ctx.layout, blank_paths, "zh", per), _list_cells(ctx.layout, blank_paths, "en", per))
    )
    return rule.finding(
        keys,
        inst.cells,
        report=ctx.source,
        severity=rule.severity if not feasible else Severity.WARNING,
        stated=stated,
        expected=expected,
        blanks=blank_paths,
        fill=fill,
        shared=_shared(ctx.layout, inst),
        difference=-known,
        need=abs(known),
        blank_cells=cells,
    )

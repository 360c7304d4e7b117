"""What the desk page shows, computed once per request: the official grid with each cell's value
and marks, the metadata and text inputs, and the findings grouped by rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ogi_report.findings import Finding, Severity, ValidationResult
from ogi_report.layout import TEXT_SECTIONS, Layout
from ogi_report.layout.grid import table_grid
from ogi_report.rules import RULES
from ogi_report.web.forms import EXPLAIN, EXPLAIN_AT, EXPLAIN_BY, SECTION, Values, fields
from ogi_report.web.i18n import Lang, choice, field_label


@dataclass(frozen=True)
class GridCell:
    """A cell of an official table as drawn (the desk's form, the platform's roll-ups): its role in
    the grid, its text or value, its spans; `path` is set for data cells."""

    role: str
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    path: str | None = None
    value: str = ""


@dataclass(frozen=True)
class Cell(GridCell):
    """A cell of the desk's table (a data cell is an input named by its path), with its marks."""

    severity: str | None = None  # "error" or "warning": the worst finding naming the cell
    title: str = ""  # in English: the row and column in English
    label: str = ""  # the row and column labels, for assistive technology


@dataclass(frozen=True)
class Input:
    """A metadata field or a text section."""

    key: str
    label: str
    value: str
    kind: str = "text"  # text, integer, date, choice, long
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    required: bool = False
    severity: str | None = None


@dataclass(frozen=True)
class Part:
    """A section of the report: text (`input`) or a table (`rows`)."""

    label: str
    input: Input | None = None
    table: str | None = None
    rows: tuple[tuple[Cell, ...], ...] = ()


@dataclass(frozen=True)
class FindingView:
    number: int
    severity: str
    message: str
    cells: tuple[str, ...]
    stated: str | None
    expected: str | None
    fill: tuple[tuple[str, str], ...]
    places: tuple[tuple[str, str], ...]
    fingerprint: str | None
    explanation: str
    explained_by: str
    explained_at: str


@dataclass(frozen=True)
class RuleGroup:
    rule: str
    statement: str
    findings: tuple[FindingView, ...]
    doc: str | None = None  # the rule's entry on the desk's rules page, from the finding's url


def doc_link(url: str | None, lang: Lang) -> str | None:
    """The desk's own page for a rule documented at `url` (`docs/rules.md#t3-row-total`)."""
    if not url or "#" not in url:
        return None
    return f"/rules?lang={lang}#{url.partition('#')[2]}"


@dataclass(frozen=True)
class Stale:
    fingerprint: str
    text: str
    by: str
    at: str


@dataclass
class Desk:
    layout: Layout
    lang: Lang
    values: Values
    metadata: tuple[Input, ...] = ()
    parts: tuple[Part, ...] = ()
    groups: tuple[RuleGroup, ...] = ()
    stale: tuple[Stale, ...] = ()
    notes: tuple[str, ...] = ()
    checked: bool = False
    ok: bool = True
    errors: int = 0
    warnings: int = 0
    explained: int = 0
    marks: dict[str, str] = field(default_factory=dict)


def _shown(value: int | Decimal | str | None) -> str | None:
    if value is None:
        return None
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def cell_marks(result: ValidationResult) -> dict[str, str]:
    """Cell or field -> "error" or "warning": the worst finding naming it."""
    marks: dict[str, str] = {}
    for finding in result.findings:
        for cell in finding.cells:
            if finding.severity is Severity.ERROR or cell not in marks:
                marks[cell] = finding.severity.value
    return marks


def _statement(rule: str, lang: Lang) -> str:
    found = RULES.get(rule)
    if found is None:
        return ""
    return found.statement_zh if lang == "zh" else found.statement_en


def _finding(
    number: int, finding: Finding, result: ValidationResult, values: Values, lang: Lang
) -> FindingView:
    mark = result.fingerprint(finding)
    key = mark or ""
    explanation = result.explanation(finding)
    return FindingView(
        number=number,
        severity=finding.severity.value,
        message=finding.message(lang),
        cells=finding.cells,
        stated=_shown(finding.stated),
        expected=_shown(finding.expected),
        fill=tuple((cell, _shown(value) or "") for cell, value in finding.fill.items()),
        places=tuple(finding.source_cells.items()),
        fingerprint=mark,
        explanation=values.get(EXPLAIN + key, explanation.text if explanation else ""),
        explained_by=values.get(EXPLAIN_BY + key, (explanation.by or "") if explanation else ""),
        explained_at=values.get(EXPLAIN_AT + key, str(explanation.at or "") if explanation else ""),
    )


def groups(result: ValidationResult, values: Values, lang: Lang) -> tuple[RuleGroup, ...]:
    """The findings grouped by rule, in catalogue order, numbered as listed."""
    by_rule: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    out: list[RuleGroup] = []
    number = 0
    for rule, found in by_rule.items():
        views = []
        for finding in found:
            number += 1
            views.append(_finding(number, finding, result, values, lang))
        out.append(RuleGroup(rule, _statement(rule, lang), tuple(views), doc_link(found[0].url, lang)))
    return tuple(out)


def _parts(layout: Layout, values: Values, marks: dict[str, str], lang: Lang) -> tuple[Part, ...]:
    texts = {s.code: s for s in TEXT_SECTIONS}
    parts: list[Part] = []
    for section in layout.sections:
        label = section.label if lang == "zh" else f"{section.label} ({section.en})"
        if section.table is None:
            key = SECTION + texts[section.code].code
            text_input = Input(key, label, values.get(key, ""), "long", severity=marks.get(key))
            parts.append(Part(label, input=text_input))
            continue
        table = layout.table(section.table)
        rows = []
        for grid_row in table_grid(table).by_row():
            cells = []
            for cell in grid_row:
                title = cell_label = ""
                if cell.path is not None:
                    _, row, column = cell.path.split(".")
                    cell_label = f"{table.row(row).label} {table.column(column).label}"
                    if lang == "en":
                        title = f"{table.row(row).en} / {table.column(column).en}"
                cells.append(
                    Cell(
                        role=cell.role,
                        text=cell.text,
                        rowspan=cell.rowspan,
                        colspan=cell.colspan,
                        path=cell.path,
                        value=values.get(cell.path, "") if cell.path else "",
                        severity=marks.get(cell.path) if cell.path else None,
                        title=title,
                        label=cell_label,
                    )
                )
            rows.append(tuple(cells))
        parts.append(Part(label, table=table.code, rows=tuple(rows)))
    return tuple(parts)


def _metadata(layout: Layout, values: Values, marks: dict[str, str], lang: Lang) -> tuple[Input, ...]:
    inputs = []
    for meta in fields(layout):
        kind = "choice" if meta.choices else meta.kind
        choices = (("", ""), *((c, choice(c, lang)) for c in meta.choices)) if meta.choices else ()
        inputs.append(
            Input(
                meta.key,
                field_label(meta.key, meta.title, lang),
                values.get(meta.key, ""),
                kind,
                choices,
                meta.required,
                marks.get(meta.key),
            )
        )
    return tuple(inputs)


def desk(
    layout: Layout,
    values: Values,
    lang: Lang,
    result: ValidationResult | None = None,
    notes: tuple[str, ...] = (),
) -> Desk:
    """The desk page: the form in the official layout, and the findings when it was checked."""
    marks = cell_marks(result) if result is not None else {}
    page = Desk(
        layout,
        lang,
        values,
        metadata=_metadata(layout, values, marks, lang),
        parts=_parts(layout, values, marks, lang),
        notes=notes,
        marks=marks,
    )
    if result is not None:
        page.checked = True
        page.ok = result.ok
        page.errors, page.warnings = len(result.errors), len(result.warnings)
        page.explained = len(result.explained)
        page.groups = groups(result, values, lang)
        page.stale = tuple(
            Stale(
                e.fingerprint,
                values.get(EXPLAIN + e.fingerprint, e.text),
                values.get(EXPLAIN_BY + e.fingerprint, e.by or ""),
                values.get(EXPLAIN_AT + e.fingerprint, str(e.at or "")),
            )
            for e in result.stale
        )
    return page

"""Figures stated in a report's text, each with the sentence it came from and the cell it speaks of.

Reports restate some table figures in their narrative (行政许可决定数量31461宗, 共收到依申请公开67宗).
`PATTERNS` maps cell paths to the wordings that state them, as data; `narrative_figures` finds them.
A figure never fills a table cell: rule NARRATIVE-MISMATCH compares it with the cell where the table
has one. Amounts are converted to the unit the cell is stored in (the registry's `Column.unit`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ogi_report.layout import LAYOUTS, CellKind, Column
from ogi_report.layout.labels import simplify

_NUMBER = r"(?P<n>[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)\s*"
_COUNT_UNIT = r"(?:件|宗|个|项|起|份|条|次)"
_MONEY_UNIT = r"(?P<unit>万元|元)"
_ABOUT = r"(?:共|共计|合计|总计|总数|总数为|为|达|达到|是)?\s*"
_DECISIONS = r"(?:处理)?决定(?:数量|数|书)?"
_NORMATIVE = r"(?:行政)?规范性文件"


@dataclass(frozen=True)
class FigurePattern:
    """A wording that states the value of one cell; `{n}` is the figure (with its unit after it)."""

    path: str
    pattern: str

    @property
    def regex(self) -> re.Pattern[str]:
        return _compiled(self.pattern)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace("{about}", _ABOUT).replace("{n}", _NUMBER))


def _decisions(label: str, path: str) -> tuple[FigurePattern, ...]:
    return (
        FigurePattern(path, rf"(?:作出)?{label}{_DECISIONS}{{about}}{{n}}{_COUNT_UNIT}"),
        FigurePattern(path, rf"作出{label}(?:处理)?决定{{about}}{{n}}{_COUNT_UNIT}"),
    )


def _documents(kind: str, table_row: str) -> tuple[FigurePattern, ...]:
    row = f"proactive.{table_row}"
    return (
        FigurePattern(f"{row}.issued", rf"(?:制发|制定|出台|印发|发布){kind}{{about}}{{n}}{_COUNT_UNIT}"),
        FigurePattern(f"{row}.repealed", rf"{kind}[^。;；]{{0,12}}?废止{{about}}{{n}}{_COUNT_UNIT}"),
        FigurePattern(f"{row}.repealed", rf"废止{kind}{{about}}{{n}}{_COUNT_UNIT}"),
        FigurePattern(f"{row}.in_force", rf"现行有效(?:的)?{kind}{{about}}{{n}}{_COUNT_UNIT}"),
        FigurePattern(f"{row}.in_force", rf"{kind}现行有效(?:的)?{{about}}{{n}}{_COUNT_UNIT}"),
    )


PATTERNS: tuple[FigurePattern, ...] = (
    *_decisions("行政许可", "proactive.licensing.decisions"),
    *_decisions("行政处罚", "proactive.penalty.decisions"),
    *_decisions("行政强制", "proactive.coercion.decisions"),
    FigurePattern(
        "proactive.fees.amount",
        rf"行政事业性收费(?:总金额|总额|金额|收费金额)?{{about}}{{n}}{_MONEY_UNIT}",
    ),
    *_documents(_NORMATIVE, "normative_documents"),
    *_documents("规章", "regulations"),
    FigurePattern(
        "applications.new_received.total",
        rf"(?:新)?收到(?:政府信息公开申请|依申请公开(?:申请)?|信息公开申请){{about}}{{n}}{_COUNT_UNIT}",
    ),
    FigurePattern(
        "applications.new_received.total",
        rf"新收(?:政府信息公开)?申请{{about}}{{n}}{_COUNT_UNIT}",
    ),
    FigurePattern(
        "applications.carried_in.total",
        rf"上(?:一)?年(?:度)?结转(?:的)?(?:政府信息公开)?(?:申请)?{{about}}{{n}}{_COUNT_UNIT}",
    ),
    FigurePattern(
        "applications.carried_out.total",
        rf"结转(?:至)?下(?:一)?年度(?:继续办理)?(?:的)?(?:申请)?{{about}}{{n}}{_COUNT_UNIT}",
    ),
    FigurePattern(
        "review_litigation.reconsideration.total",
        rf"行政复议(?:案件|申请)?{{about}}{{n}}{_COUNT_UNIT}",
    ),
)
"""Cell path -> the wordings that state it, matched in Simplified text with full-width forms folded."""


@dataclass(frozen=True)
class NarrativeFigure:
    """A figure the text states: the cell it speaks of, its value (in the cell's unit), the words
    that state it, the whole sentence and the section it stands in."""

    path: str
    value: int | Decimal
    written: str
    sentence: str
    section: str | None = None

    def to_dict(self) -> dict[str, object]:
        value = format(self.value, "f") if isinstance(self.value, Decimal) else self.value
        return {
            "cell": self.path,
            "value": value,
            "written": self.written,
            "sentence": self.sentence,
            "section": self.section,
        }


_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")


@cache
def _column(path: str) -> Column:
    table, _, column = path.split(".")
    for layout in LAYOUTS.values():
        if table in layout.table_map and column in layout.table(table).column_map:
            return layout.table(table).column(column)
    raise KeyError(path)


def _value(path: str, number: str, unit: str | None) -> int | Decimal:
    amount = Decimal(number.replace(",", ""))
    column = _column(path)
    if column.kind is not CellKind.MONEY:
        return int(amount) if amount == amount.to_integral_value() else amount
    powers = {"万元": 4, "元": 0}
    if unit in powers and column.unit in powers and unit != column.unit:
        amount = amount.scaleb(powers[unit] - powers[column.unit]).normalize()
    return amount


def _sentences(text: str) -> Iterator[str]:
    for match in _SENTENCE.finditer(text):
        sentence = match.group().strip()
        if sentence:
            yield sentence


def figures_in(text: str, section: str | None = None) -> list[NarrativeFigure]:
    """Every figure `PATTERNS` finds in a text, in reading order, once per cell, value and sentence."""
    figures: list[NarrativeFigure] = []
    seen: set[tuple[str, str, str]] = set()
    for sentence in _sentences(text):
        plain = simplify(sentence)
        hits: list[tuple[int, NarrativeFigure]] = []
        for pattern in PATTERNS:
            for match in pattern.regex.finditer(plain):
                value = _value(pattern.path, match["n"], match.groupdict().get("unit"))
                figure = NarrativeFigure(pattern.path, value, match.group().strip(), sentence, section)
                hits.append((match.start("n"), figure))
        for _, figure in sorted(hits, key=lambda hit: hit[0]):
            key = (figure.path, str(figure.value), sentence)
            if key not in seen:
                seen.add(key)
                figures.append(figure)
    return figures


def narrative_figures(sections: Mapping[str, str | None]) -> list[NarrativeFigure]:
    """The figures stated in a report's text sections (section code -> text), in order."""
    figures: list[NarrativeFigure] = []
    for code, text in sections.items():
        if text:
            figures += figures_in(text, code)
    return figures

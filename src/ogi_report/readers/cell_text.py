"""A table cell as written on a published page -> the value of its column (`docs/standard.md`,
blank cells and cell vocabulary).

`0` is zero; a blank or a placeholder (`/`, `-`, `—`, `无`, `暂无`) is None, never 0. The placeholders
are declared here once, for every reader: a workbook cell holding one is blank as well. Full-width digits,
thousands separators, units (`0件`, `20.3万元`, `251000元`), signs (`+3`, `-4`, `减4`), an aside in
brackets naming no figure (`90（信用中国）`, noted) and Traditional characters (`無`, `減`) are read;
amounts are converted to the unit the column is stored in (the registry's `Column.unit`). Anything
else that looks like a figure (`约3件`, `3.5` in a count) is unreadable: the caller reports it
(CELL-TYPE), never guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ogi_report.layout import CellKind, Column
from ogi_report.layout.labels import simplify
from ogi_report.model.cells import Cell

# A placeholder is a run of these marks (`/`, `-`, `——`, `--`, full-width `－` after NFKC) or one of
# these words, compared after `simplify` (so `無`, `暫無` too) and without white space.
PLACEHOLDER_MARKS = frozenset("/\\-—–―‐−_·.…*×")
PLACEHOLDER_WORDS = frozenset({"无", "空", "暂无", "不适用"})
_NUMBER = re.compile(
    r"(?P<sign>[+\-−]|减少|减|增加|增)?"
    r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
    r"(?P<unit>万元|元|万件|万|件|宗|个|项|条|次|起|家|人|份|笔)?"
    # An aside in brackets after the figure, naming no figure (`90（信用中国青海西宁）`: its source).
    r"(?:\((?P<aside>[^0-9()]{1,20})\))?"
)
_NEGATIVE = ("-", "−", "减", "减少")
_MONEY_UNITS = {"万元": 4, "万": 4, "元": 0}  # power of ten of one unit, in yuan
_FULL_WIDTH_DIGITS = re.compile("[\uff10-\uff19]")
_DIGIT = re.compile(r"[0-9]")
_ENUMERATED = re.compile(r"[0-9]+[.、,)][^0-9]")
_LOOSE_FIGURE = 12  # characters: a short text with a digit in it is a figure written oddly


@dataclass(frozen=True)
class CellText:
    """What a cell's text became: its value, whether it could be read, and how, as the steps of
    `notes.READING_STEPS` (none: verbatim)."""

    value: Cell
    readable: bool
    how: tuple[str, ...]


@lru_cache(maxsize=1 << 14)  # a page tests the same cell texts many times over (bounded)
def _compact(written: str) -> str:
    return "".join(simplify(written).split())


def is_placeholder(compact: str) -> bool:
    """A compacted cell text (`simplify`, no white space) that stands for a blank."""
    return bool(compact) and (set(compact) <= PLACEHOLDER_MARKS or compact in PLACEHOLDER_WORDS)


def is_blank(written: str) -> bool:
    """A cell text that is blank or a placeholder, as any reader finds it."""
    compact = _compact(written)
    return not compact or is_placeholder(compact)


def is_value(written: str) -> bool:
    """A cell that is a figure, a blank or a placeholder (not a label)."""
    compact = _compact(written)
    return not compact or is_placeholder(compact) or _NUMBER.fullmatch(compact) is not None


def is_figure_like(written: str) -> bool:
    """Short text holding a digit (`约3件`): a cell, unreadable, rather than a row label (which may
    start with a numbered enumerator: `3.其他`)."""
    compact = _compact(written)
    if _ENUMERATED.match(compact):
        return False
    return len(compact) <= _LOOSE_FIGURE and _DIGIT.search(compact) is not None


def _tidy(value: Decimal) -> Decimal:
    """A converted amount without the trailing zeros the conversion added (25.1000 -> 25.1)."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value  # type: ignore[operator]


def read_cell(written: str, column: Column, header_unit: str | None = None) -> CellText:
    """The value of `column` that `written` states. `header_unit` is a unit printed in the column's
    header (`采购总金额（万元）`), used when the cell names none."""
    compact = _compact(written)
    if not compact:
        return CellText(None, True, ("blank",))
    if is_placeholder(compact):
        return CellText(None, True, ("placeholder",))
    match = _NUMBER.fullmatch(compact)
    if match is None:
        return CellText(None, False, ("not_figure",))
    how: list[str] = []
    if _FULL_WIDTH_DIGITS.search(written):
        how.append("full_width_digits")
    elif simplify(written) != written:
        how.append("full_width_or_traditional")
    number = match["num"]
    if "," in number:
        how.append("thousands")
    amount = Decimal(number.replace(",", ""))
    sign = match["sign"]
    if sign:
        how.append(f"sign:{sign}")
    unit = match["unit"]
    if column.kind is CellKind.MONEY:
        given = unit if unit in _MONEY_UNITS else header_unit if header_unit in _MONEY_UNITS else None
        if unit and unit not in _MONEY_UNITS:
            how.append(f"unit_dropped:{unit}")
        stored = column.unit if column.unit in _MONEY_UNITS else None
        if given is not None and stored is not None and _MONEY_UNITS[given] != _MONEY_UNITS[stored]:
            amount = _tidy(amount.scaleb(_MONEY_UNITS[given] - _MONEY_UNITS[stored]))
            how.append(f"converted:{given}:{stored}")
        elif unit:
            how.append(f"unit_dropped:{unit}")
        value: Cell = -amount if sign in _NEGATIVE else amount
    else:
        if unit in ("万", "万件"):
            amount = amount.scaleb(4)
            how.append(f"ten_thousand:{unit}")
        elif unit:
            how.append(f"unit_dropped:{unit}")
        if amount != amount.to_integral_value():
            return CellText(None, False, ("not_whole",))
        if "." in number:
            how.append("decimal_point")
        value = -int(amount) if sign in _NEGATIVE else int(amount)
    if match["aside"]:
        how.append(f"aside_dropped:{match['aside']}")
    if not how and compact != written.strip():
        how.append("spaces")
    return CellText(value, True, tuple(how))


# The figures after a row's label where its cells ran together: numbers (a sign in front, a decimal
# part), spaces between them or none (`0000000`, `23 0 00 0 023`, `35-15`). Readers find such runs with
# it; `split_run` cuts them.
FIGURES_RUN = r"-?[0-9]+(?:\.[0-9]+)?(?:\s*-?[0-9]+(?:\.[0-9]+)?)*"

# One figure of a run whose separators were lost: a count or amount written without leading zeros
# (`0` alone), a sign only in front (`35-15` is 35 and -15).
_RUN_FIGURE = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_SPLITS_LIMIT = 2  # a run splits one way, or it is not split


def several_figures(text: str) -> bool:
    """Whether a cell holds figures run together that no one figure can be: digits with a leading
    zero (`0000000`), or figures with spaces between them (`0 00 0`)."""
    text = text.strip()
    return re.fullmatch(FIGURES_RUN, text) is not None and _RUN_FIGURE.fullmatch(text) is None


_RUN_MAX = 160  # characters: longer is no row's figures (and would cut too deep)


def split_run(figures: str, wanted: int) -> tuple[str, ...] | None:
    """The figures of a run written without separators (`8100009`, `23 0 00 0 023`, `35-15`), cut into
    `wanted` cells: the only way to cut it into figures written without leading zeros, where the spaces
    that survive are kept as cuts; None where there are several ways (`210000021`: 21/0/…/21 or
    2/10/…/21) or none. Nothing is assumed of the figures (not that a row adds up)."""
    groups = figures.split()
    if len(figures) > _RUN_MAX:
        return None
    # ways[g][k]: the ways to cut groups g.. into k cells (counted up to _SPLITS_LIMIT), and one of them
    ways: dict[tuple[int, int, int], tuple[int, tuple[str, ...]]] = {}

    def cut(g: int, start: int, k: int) -> tuple[int, tuple[str, ...]]:
        if g == len(groups):
            return (1, ()) if k == 0 else (0, ())
        if start == len(groups[g]):
            return cut(g + 1, 0, k)
        if k == 0 or (g, start, k) in ways:
            return ways.get((g, start, k), (0, ()))
        count = 0
        found: tuple[str, ...] = ()
        text = groups[g]
        for end in range(start + 1, len(text) + 1):
            if not _RUN_FIGURE.fullmatch(text, start, end):
                continue
            n, rest = cut(g, end, k - 1)
            if n and not count:  # the first way found (the only one, if no other is)
                found = (text[start:end], *rest)
            count += n
            if count >= _SPLITS_LIMIT:
                break
        ways[(g, start, k)] = (min(count, _SPLITS_LIMIT), found)
        return ways[(g, start, k)]

    count, cells = cut(0, 0, wanted)
    return cells if count == 1 else None

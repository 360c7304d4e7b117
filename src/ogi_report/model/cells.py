"""Cell value types. The model checks only shape and type; values (negative counts, broken sums)
are the rule engine's business, so one bad figure never hides another."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, TypeAlias

from pydantic import BeforeValidator, Field, PlainSerializer, Strict, ValidationInfo, WithJsonSchema

from ogi_report.layout import CellKind
from ogi_report.model.numbers import AMOUNT, AMOUNT_MAGNITUDE, AMOUNT_SIGNIFICANT, AMOUNT_TEXT, COUNT_DIGITS

Cell: TypeAlias = int | Decimal | None
"""A cell: a count, an amount, or None where the source left it blank or wrote a placeholder."""

_DECIMAL_PATTERN = f"^{AMOUNT_TEXT}$"

# The schema states the standard (counts are non-negative); the model accepts any integer so that
# CELL-NEGATIVE can name the cell instead of the parse failing.
# Eighteen digits at most (the package's columns are 64-bit integers); more is unreadable.
COUNT_LIMIT = 10**COUNT_DIGITS - 1

Count = Annotated[
    int | None,
    Strict(),
    Field(ge=-COUNT_LIMIT, le=COUNT_LIMIT),
    WithJsonSchema({"type": ["integer", "null"], "minimum": 0}),
]
SignedCount = Annotated[
    int | None,
    Strict(),
    Field(ge=-COUNT_LIMIT, le=COUNT_LIMIT),
    WithJsonSchema({"type": ["integer", "null"]}),
]


_MONEY_MAGNITUDE = AMOUNT_MAGNITUDE  # far below a hostile exponent
_MONEY_DIGITS = AMOUNT_SIGNIFICANT


def money_input(value: Any) -> Any:
    """Plain ASCII decimals only (no spaces, full-width digits or exponents in text), bounded size."""
    if isinstance(value, str):
        if not AMOUNT.fullmatch(value):
            raise ValueError("not a plain decimal number such as 2181.669177")
        value = Decimal(value)
    too_big = (
        isinstance(value, Decimal)
        and value.is_finite()
        and (abs(value.adjusted()) > _MONEY_MAGNITUDE or len(value.as_tuple().digits) > _MONEY_DIGITS)
    )
    if too_big:
        raise ValueError(f"amount out of range (beyond 10^±{_MONEY_MAGNITUDE} or {_MONEY_DIGITS} digits)")
    return value


FLOATS_REFUSED: dict[str, bool] = {"floats_refused": True}
"""Validation context under which an amount written as a JSON number with a fraction or exponent is
refused: from JSON text, pydantic hands such a number over as a binary float, which has already
lost digits, so the JSON reader's fast path (`readers.loading.parse_report_json`) passes this and
reads a report holding one through its exact path instead."""


def _money_field(value: Any, info: ValidationInfo) -> Any:
    if isinstance(value, float) and info.context is FLOATS_REFUSED:
        raise ValueError("an amount written as a JSON float: read exactly elsewhere")
    return money_input(value)


def _plain_decimal(value: Decimal | None) -> str | None:
    """Every digit, never exponent notation: Decimal("2.5E+3") -> "2500"."""
    return None if value is None else format(value, "f")


Money = Annotated[
    Decimal | None,
    Field(allow_inf_nan=False),
    BeforeValidator(_money_field),
    PlainSerializer(_plain_decimal, return_type=str | None, when_used="json"),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": _DECIMAL_PATTERN.replace("-?", "")},
                {"type": "number", "minimum": 0},
                {"type": "null"},
            ]
        }
    ),
]

CELL_TYPES: dict[CellKind, Any] = {
    CellKind.COUNT: Count,
    CellKind.SIGNED: SignedCount,
    CellKind.MONEY: Money,
}

"""The number grammar: which texts count as a count, a signed count and an amount, declared once.

A cell of a data package (and a money cell written as text in any source) is read by these
grammars, in Python by the package reader and the model, and in SQL by the package's structure
checks and by the bulk validator's screen. Each pattern is written in the syntax Python's `re` and
DuckDB's RE2 read alike (character classes, `?`, bounded repeats, one group), so the same string is
both the Python pattern and the SQL one; the tests run both over the same texts.

Three named variants, each a subset of the one before where they overlap:

- `INTEGER_TEXT` / `AMOUNT_TEXT`: what the reader takes as a value at all (a negative count is
  read, and reported by the rules as CELL-NEGATIVE; an amount is then bounded by the model).
- `CELL_TEXT`: the texts of each cell kind the reader takes as a value the rules need not look
  at one by one: no negative count, no amount the model could refuse. Anything else needs the
  per-report engine.
- `PLAIN_TEXT`: the fast path of the structure checks. A row whose numeric cells are all plain
  (or blank) has no type or minimum error; at most 15 digits, so the screen's sums of plain
  counts stay far inside a 64-bit integer.

`TABLE_SCHEMA_INTEGER_SQL` and `TABLE_SCHEMA_NUMBER_SQL` are another grammar on purpose: what a
Table Schema validator written in Python (frictionless: `int()`, `Decimal()`) accepts as the
integer and number types, so the structure checks report the type errors frictionless reports.
They need Unicode digit classes (`\\p{Nd}`), which Python's `re` lacks: their Python form is
`int()` and `Decimal()` themselves.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from ogi_report.layout import CellKind

COUNT_DIGITS = 18  # a count's digits at most: its value fits a 64-bit integer (BIGINT)
PLAIN_DIGITS = 15  # a plain count's digits at most: sums of many stay inside BIGINT
AMOUNT_DIGITS = 24  # digits before and after the point of an amount that needs no bounds check
AMOUNT_MAGNITUDE = 30  # an amount's power of ten at most (10^30 yuan: far above any budget)
AMOUNT_SIGNIFICANT = 60  # an amount's digits at most

INTEGER_TEXT = f"-?[0-9]{{1,{COUNT_DIGITS}}}"  # a count or a year, either sign
COUNT_TEXT = f"[0-9]{{1,{COUNT_DIGITS}}}"  # a count that is not negative
AMOUNT_TEXT = "-?[0-9]+(\\.[0-9]+)?"  # a plain ASCII decimal (bounded in value by the model)
BOUNDED_AMOUNT_TEXT = f"[0-9]{{1,{AMOUNT_DIGITS}}}(\\.[0-9]{{1,{AMOUNT_DIGITS}}})?"
PLAIN_COUNT = f"[0-9]{{1,{PLAIN_DIGITS}}}"
PLAIN_SIGNED = f"-?[0-9]{{1,{PLAIN_DIGITS}}}"
PLAIN_MONEY = BOUNDED_AMOUNT_TEXT

CELL_TEXT: Mapping[CellKind, str] = MappingProxyType(
    {CellKind.COUNT: COUNT_TEXT, CellKind.SIGNED: INTEGER_TEXT, CellKind.MONEY: BOUNDED_AMOUNT_TEXT}
)
PLAIN_TEXT: Mapping[CellKind, str] = MappingProxyType(
    {CellKind.COUNT: PLAIN_COUNT, CellKind.SIGNED: PLAIN_SIGNED, CellKind.MONEY: PLAIN_MONEY}
)

TABLE_SCHEMA_INTEGER_SQL = "\\s*[+-]?\\p{Nd}+(_\\p{Nd}+)*\\s*"
TABLE_SCHEMA_NUMBER_SQL = "\\s*[+-]?(\\p{Nd}+(\\.\\p{Nd}*)?|\\.\\p{Nd}+)([eE][+-]?\\p{Nd}+)?\\s*"
NON_FINITE_WORDS = ("nan", "snan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity")
BELOW_ANY_MINIMUM = ("nan", "snan", "-inf", "-infinity")  # NaN fails a minimum, as in frictionless

INTEGER = re.compile(INTEGER_TEXT)
AMOUNT = re.compile(AMOUNT_TEXT)


def full_match_sql(column: str, pattern: str) -> str:
    """DuckDB condition: the (quoted) column's whole text is in the grammar `pattern`."""
    return f"regexp_full_match({column}, '{pattern}')"


def integer_or_text(text: str) -> int | str:
    """The integer a text states, if it is one in the grammar; else the text (the model then
    refuses it, or the rules report it unreadable)."""
    if text.isdigit() and text.isascii() and len(text) <= COUNT_DIGITS:  # the common case, no regex
        return int(text)
    return int(text) if INTEGER.fullmatch(text) else text

"""The number grammar (model/numbers.py): its Python and SQL forms accept the same texts, its
variants nest as documented, and the Table Schema variant matches Python's int() and Decimal()."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ogi_report.layout import CellKind
from ogi_report.model.cells import money_input
from ogi_report.model.numbers import (
    AMOUNT_TEXT,
    CELL_TEXT,
    INTEGER_TEXT,
    PLAIN_TEXT,
    TABLE_SCHEMA_INTEGER_SQL,
    TABLE_SCHEMA_NUMBER_SQL,
    full_match_sql,
)

PATTERNS = [INTEGER_TEXT, AMOUNT_TEXT, *CELL_TEXT.values(), *PLAIN_TEXT.values()]
# Digits, signs, points and spaces: every character the grammars decide on, in short and long runs
# (long enough to cross the digit bounds).
TEXTS = st.text(alphabet="0123456789-+. ", max_size=8) | st.text(
    alphabet="0123456789.-", min_size=14, max_size=52
)


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    yield connection
    connection.close()


def _sql_accepts(con: duckdb.DuckDBPyConnection, pattern: str, text: str) -> bool:
    row = con.execute(f"SELECT {full_match_sql('$1', pattern)}", [text]).fetchone()
    assert row is not None
    return bool(row[0])


@settings(max_examples=300, deadline=None)
@given(text=TEXTS)
def test_python_and_sql_forms_accept_the_same_texts(con: duckdb.DuckDBPyConnection, text: str) -> None:
    for pattern in PATTERNS:
        assert (re.fullmatch(pattern, text) is not None) == _sql_accepts(con, pattern, text), pattern


@given(text=TEXTS)
def test_plain_texts_are_cell_texts_and_cell_texts_are_read_as_values(text: str) -> None:
    """The fast path never takes a text the reader would not read as the same kind of value."""
    for kind in CellKind:
        if re.fullmatch(PLAIN_TEXT[kind], text):
            assert re.fullmatch(CELL_TEXT[kind], text)
        if re.fullmatch(CELL_TEXT[kind], text):
            reader = AMOUNT_TEXT if kind is CellKind.MONEY else INTEGER_TEXT
            assert re.fullmatch(reader, text)


@given(text=st.from_regex(re.compile(CELL_TEXT[CellKind.MONEY]), fullmatch=True))
def test_a_cell_amount_is_within_the_model_bounds(text: str) -> None:
    assert isinstance(money_input(text), Decimal)


@given(text=st.from_regex(re.compile(CELL_TEXT[CellKind.COUNT]), fullmatch=True))
def test_a_cell_count_fits_bigint(text: str) -> None:
    assert 0 <= int(text) < 2**63


def _python_integer(text: str) -> bool:
    try:
        int(text)
    except ValueError:
        return False
    return True


def _python_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="0123456789-+. ", max_size=8))
def test_table_schema_grammar_is_python_int_and_decimal(con: duckdb.DuckDBPyConnection, text: str) -> None:
    """What frictionless (Python's int and Decimal) takes as the integer and number types."""
    assert _sql_accepts(con, TABLE_SCHEMA_INTEGER_SQL, text) == _python_integer(text)
    assert _sql_accepts(con, TABLE_SCHEMA_NUMBER_SQL, text) == _python_number(text)

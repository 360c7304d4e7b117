"""The package's guard against formula injection: one reversible escape of its text fields.

A spreadsheet that opens a CSV file may run a cell beginning with `=`, `+`, `-` or `@` (some also
a tab or a carriage return) as a formula. Every string-typed field of the package (by its Table
Schema type) is therefore written with one more `'` in front when its text begins with one of
those characters or with `'` itself, and the package reader removes exactly one leading `'`. So
the escape is reversible: package -> models -> package gives the same bytes and models ->
package -> models equal models. Numbers (integer and number fields, e.g. a negative signed count
`-5`) are never escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from ogi_report.documents import FORMULA_STARTS as FORMULA_STARTS  # its home; kept importable here

ESCAPE = "'"
_ESCAPED_STARTS = frozenset((*FORMULA_STARTS, ESCAPE))

ESCAPE_NOTE = (
    "Escaped against formula injection: a text beginning with =, +, -, @, a tab, a carriage return "
    "or ' is written with one more ' in front; readers remove exactly one leading '."
)


def escape_text(text: str) -> str:
    """The text as the package writes it: one `'` in front if it begins with a formula character
    or with `'` itself."""
    return ESCAPE + text if text[:1] in _ESCAPED_STARTS else text


def unescape_text(text: str) -> str:
    """The text a package field stands for: exactly one leading `'` removed."""
    return text[1:] if text[:1] == ESCAPE else text


def escaped_sql(column: str) -> str:
    """DuckDB condition: the (quoted) VARCHAR column's text is escaped (begins with `'`)."""
    return f"starts_with({column}, '{ESCAPE * 2}')"


def unescape_expr(column: str) -> str:
    """DuckDB expression: `unescape_text` of a (quoted) VARCHAR column (NULL stays NULL)."""
    return f"CASE WHEN {escaped_sql(column)} THEN substr({column}, 2) ELSE {column} END"


def unescape_sql(table: str, columns: Sequence[str]) -> str:
    """DuckDB statement applying `unescape_text` to these (quoted) VARCHAR columns of a (quoted)
    table, in place (row order kept; NULL stays NULL)."""
    starts = [escaped_sql(c) for c in columns]
    sets = ", ".join(f"{c} = {unescape_expr(c)}" for c in columns)
    # Names only (the schema's, quoted by the caller); no value is ever spliced in.
    return f"UPDATE {table} SET {sets} WHERE {' OR '.join(starts)}"  # noqa: S608

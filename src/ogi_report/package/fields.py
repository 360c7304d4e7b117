"""A field of a package resource, declared once: its Table Schema entry and its codec.

The Table Schema (package/resources.py), the writer (package/rows.py) and the reader
(package/read.py) all iterate these declarations, so a field exists in all three or in none.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from ogi_report.layout import CellKind, Column
from ogi_report.model.numbers import integer_or_text
from ogi_report.package.escape import ESCAPE_NOTE, escape_text

MISSING = ""  # a blank or placeholder cell: never written as 0

# The order of a field's keys in its Table Schema entry: the order the published packages have
# always had (a different order would change their bytes). Table cells lead with their labels.
_ORDER = ("name", "type", "title", "description", "categories", "constraints", "missingValues")
_CELL_ORDER = ("name", "title", "description", "type", "categories", "constraints", "missingValues")


def text(value: Any) -> str:
    """A value as written: blank for None, every digit for decimals, never exponent notation."""
    if value is None:
        return MISSING
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def as_is(written: str) -> str:
    return written


def blank_is_none(written: str) -> str | None:
    """An optional value: a blank cell is None (absent), never the empty text."""
    return written or None


def integer(written: str) -> int | str | None:
    """An integer in the number grammar; other text is handed on for the model to refuse."""
    return None if written == MISSING else integer_or_text(written)


def _count(value: Any) -> str:
    # A negative count breaks the package's constraints: it is left blank here and kept, with its
    # stated value, in the CELL-NEGATIVE finding (the reader restores it from there).
    return MISSING if value is None or value < 0 else str(value)


def _signed(value: Any) -> str:
    return MISSING if value is None else str(value)


def _amount(value: Any) -> str:
    return MISSING if value is None or value < 0 else format(value, "f")


def _amount_text(written: str) -> str | None:
    return None if written == MISSING else written  # the model reads an amount's text itself


CELL_WRITERS: Mapping[CellKind, Callable[[Any], str]] = {
    CellKind.COUNT: _count,
    CellKind.SIGNED: _signed,
    CellKind.MONEY: _amount,
}
CELL_READERS: Mapping[CellKind, Callable[[str], Any]] = {
    CellKind.COUNT: integer,
    CellKind.SIGNED: integer,
    CellKind.MONEY: _amount_text,
}


@dataclass(frozen=True)
class Field:
    """One field of a resource. `path` is where its value sits in the model object a row is made
    from (report, finding); `write` turns that value into the CSV text (before the text escape),
    `read` turns the (unescaped) CSV text back into what the model takes."""

    name: str
    type: str  # the Frictionless type: string, integer, number or date
    title: str
    description: str | None = None
    constraints: Mapping[str, Any] | None = None
    categories: tuple[Mapping[str, str], ...] | None = None
    missing_values: tuple[str, ...] | None = None  # this field's own, where not the resource's
    path: tuple[str, ...] = ()
    kind: CellKind | None = None  # a table cell's kind
    write: Callable[[Any], str] = text
    read: Callable[[str], Any] = as_is
    order: tuple[str, ...] = field(default=_ORDER, repr=False)

    @property
    def escaped(self) -> bool:
        """Text fields carry the escape against formula injection (package/escape.py)."""
        return self.type == "string"

    @cached_property
    def encode(self) -> Callable[[Any], str]:
        """Model value -> the CSV text as written, escaped if a text field."""
        if not self.escaped:
            return self.write
        write = self.write
        return lambda value: escape_text(write(value))

    def schema(self) -> dict[str, Any]:
        """The field's Table Schema entry; a text field's description states the escape."""
        entries = {
            "name": self.name,
            "type": self.type,
            "title": self.title,
            "description": self.description,
            "categories": list(self.categories) if self.categories is not None else None,
            "constraints": dict(self.constraints) if self.constraints is not None else None,
            "missingValues": list(self.missing_values) if self.missing_values is not None else None,
        }
        schema = {key: entries[key] for key in self.order if entries[key] is not None}
        if self.escaped:  # in place after a declared description; else last
            schema["description"] = f"{self.description}. {ESCAPE_NOTE}" if self.description else ESCAPE_NOTE
        return schema


def cell_field(column: Column) -> Field:
    """A table cell's field: a count (not below 0), a signed count, or an amount in its unit."""
    money = column.kind is CellKind.MONEY
    return Field(
        name=column.code,
        type="number" if money else "integer",
        title=column.label,
        description=f"{column.en}, in {column.unit}" if money else column.en,
        constraints=None if column.kind is CellKind.SIGNED else {"minimum": 0},
        path=(column.code,),
        kind=column.kind,
        write=CELL_WRITERS[column.kind],
        read=CELL_READERS[column.kind],
        order=_CELL_ORDER,
    )


def words(values: Any) -> str:
    """Cell paths, separated by spaces (a path holds none)."""
    return " ".join(values)


def read_words(written: str) -> tuple[str, ...]:
    return tuple(written.split(" ")) if written else ()


def value(written: str) -> int | str | None:
    """A finding's stated or expected value: blank is none, an integer in the number grammar is an
    integer; other text (an amount, a cell's unreadable text) is kept as written."""
    return integer(written)


def fills(values: Mapping[str, Any]) -> str:
    """Blank cell=value pairs, separated by spaces."""
    return " ".join(f"{cell}={text(v)}" for cell, v in values.items())


def read_fills(written: str) -> dict[str, int | str | None]:
    pairs = (pair.partition("=") for pair in read_words(written))
    return {cell: value(v) for cell, _, v in pairs}

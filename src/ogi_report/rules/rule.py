"""What a rule is: its id, severity, statement, message templates and how it is run and screened.

One object per rule holds everything about it: an `Identity` is pure data the engine interprets and
the screens compile; a `Check` carries its per-report function and its columnar screen (SQL over the
relations of `relations.py`) or says why it has none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from ogi_report.findings import Finding, Severity, Value
from ogi_report.layout import LAYOUTS, Layout, Table

if TYPE_CHECKING:
    from ogi_report.rules.engine import Context

ALL_LAYOUTS = tuple(LAYOUTS)
# Where each rule is documented: a site publishing the docs may prefix this base.
RULES_DOC = "docs/rules.md"

Messages = Mapping[str, tuple[str, str]]  # key -> (zh, en) template


class Both(tuple[str, str]):
    """A message parameter worded in both languages: (zh, en)."""


@dataclass(frozen=True)
class Term:
    code: str
    weight: int = 1
    year: Literal[0, -1] = 0  # 0: the report's own year; -1: the same agency's report of the year before


@dataclass(frozen=True)
class Codes:
    """Explicit row or column codes."""

    terms: tuple[Term, ...]

    def resolve(self, table: Table, axis: Literal["rows", "columns"]) -> tuple[Term, ...]:  # noqa: ARG002
        return self.terms


@dataclass(frozen=True)
class Descendants:
    """Every data row below a group row, less some."""

    group: str
    exclude: tuple[str, ...] = ()

    def resolve(self, table: Table, axis: Literal["rows", "columns"]) -> tuple[Term, ...]:  # noqa: ARG002
        return tuple(Term(r.code) for r in table.descendants(self.group) if r.code not in self.exclude)


@dataclass(frozen=True)
class AllExcept:
    """Every column of the table (or data row), less some."""

    exclude: tuple[str, ...]

    def resolve(self, table: Table, axis: Literal["rows", "columns"]) -> tuple[Term, ...]:
        codes = [c.code for c in table.columns] if axis == "columns" else [r.code for r in table.data_rows]
        return tuple(Term(c) for c in codes if c not in self.exclude)


Selector = Codes | Descendants | AllExcept


def codes(*names: str) -> Codes:
    return Codes(tuple(Term(n) for n in names))


@dataclass(frozen=True, kw_only=True)
class Rule:
    id: str
    severity: Severity
    statement_zh: str
    statement_en: str
    layouts: tuple[str, ...] = ALL_LAYOUTS
    scope: Literal["report", "cross-year"] = "report"
    note_en: str = ""
    messages: Messages = field(default_factory=dict)

    def applies_to(self, layout: Layout) -> bool:
        return layout.code in self.layouts

    @property
    def anchor(self) -> str:
        """The rule's heading anchor in the rules documentation (GitHub's slug of its id)."""
        return self.id.lower()

    @cached_property
    def url(self) -> str:
        return f"{RULES_DOC}#{self.anchor}"

    def finding(
        self,
        keys: str | tuple[str, ...],
        cells: tuple[str, ...],
        *,
        report: str | None,
        severity: Severity | None = None,
        stated: Value = None,
        expected: Value = None,
        blanks: tuple[str, ...] = (),
        fill: dict[str, Value] | None = None,
        shared: Shown | None = None,
        **params: Any,
    ) -> Finding:
        """A finding of this rule, its messages made from the templates of `keys` (a head and,
        optionally, tails appended to it) and the parameters, which it keeps. `shared` holds
        parameters already prepared by `shown` (those of an identity instance, prepared once)."""
        keys = (keys,) if isinstance(keys, str) else keys
        kept, zh, en = shown({"stated": stated, "expected": expected, **params})
        if shared is not None:
            kept, zh, en = {**shared[0], **kept}, {**shared[1], **zh}, {**shared[2], **en}
        return Finding(
            rule=self.id,
            severity=severity or self.severity,
            cells=cells,
            stated=stated,
            expected=expected,
            blanks=blanks,
            fill=fill or {},
            message_zh="".join([self.messages[k][0] for k in keys]).format_map(zh),
            message_en="".join([self.messages[k][1] for k in keys]).format_map(en),
            report=report,
            params=kept,
            url=self.url,
        )


Shown = tuple[dict[str, Any], dict[str, Any], dict[str, Any]]


def shown(values: dict[str, Any]) -> Shown:
    """The parameters as kept (a Both as {"zh", "en"}) and as shown in each language (a Both in
    that language, an unknown value as ?)."""
    kept, zh, en = {}, {}, {}
    for key, value in values.items():
        if isinstance(value, Both):
            kept[key] = {"zh": value[0], "en": value[1]}
            zh[key], en[key] = value
        else:
            kept[key] = value
            zh[key] = en[key] = "?" if value is None else value
    return kept, zh, en


@dataclass(frozen=True, kw_only=True)
class Identity(Rule):
    """sum(stated) = sum(items), evaluated once per column (`per="column"`: terms are rows) or once
    per data row (`per="row"`: terms are columns), as XBRL binds a calculation per context.

    A term of year -1 reads the same agency's report of the year before: such an identity has scope
    cross-year. `blanks="unknown"` reads a blank as an unknown non-negative count (see the rules
    documentation); `blanks="skip"` leaves an instance with any blank term unchecked."""

    table: str
    per: Literal["column", "row"]
    stated: Selector
    items: Selector
    over: tuple[str, ...] = ()  # restrict the iteration to these columns/rows; empty means all
    having: str | None = None  # per="row": only the rows that have this column
    blanks: Literal["unknown", "skip"] = "unknown"


CheckFn = Callable[["Check", "Context"], Iterator[Finding]]


@dataclass(frozen=True)
class SqlScreen:
    """SQL over the relations of `relations.py` selecting `report_id`: every report that may
    break the rule (more is allowed, never fewer; the engine decides)."""

    sql: str


@dataclass(frozen=True)
class CellScreen:
    """The rule is about cells (blank, unreadable, negative, missing rows or tables): the package's
    table screen, which flags every report with such a cell, covers it."""

    reason: str


@dataclass(frozen=True)
class AlwaysEngine:
    """No screen: every report goes to the per-report engine for this rule."""

    reason: str


@dataclass(frozen=True)
class NeverInPackages:
    """The rule reads what a package does not carry, so it cannot fire there: nothing to screen."""

    reason: str


Screen = SqlScreen | CellScreen | AlwaysEngine | NeverInPackages


@dataclass(frozen=True, kw_only=True)
class Check(Rule):
    """A rule evaluated by its own function, with its own columnar screen(s)."""

    function: CheckFn
    screens: tuple[Screen, ...]

    def run(self, ctx: Context) -> Iterator[Finding]:
        return self.function(self, ctx)


def check(**fields: Any) -> Callable[[CheckFn], Check]:
    """Declare a check rule on its function: `@check(id=…, messages=…, screens=…)`."""

    def declare(function: CheckFn) -> Check:
        return Check(function=function, **fields)

    return declare

"""The columnar screen: SQL that flags every report of a loaded package the per-report engine must
read, compiled from the rule catalogue.

The package provides the relations of `rules.relations` as views over its loaded resources. The
check rules bring their own screens (SQL over those relations); the identities and the cell rules
are compiled here per table resource, where the load's typed columns and odd-row flag make them
cheap. A screen may flag more than needed, never fewer: the engine words the findings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import duckdb

from ogi_report.facts import ITEM_SIGN, LATEST_LAYOUT, STATED_SIGN, TRIAL_LAYOUT
from ogi_report.layout import LAYOUTS, CellKind, Layout, Table
from ogi_report.model.numbers import CELL_TEXT, PLAIN_TEXT
from ogi_report.package.resources import TABLE_RESOURCES, TableResource
from ogi_report.package.rows import agency_key_sql
from ogi_report.package.structure import (
    ODD,
    TALLY_CODES,
    TALLY_KNOWN,
    TALLY_ROWS,
    plain_fields,
    q,
    typed,
    typed_columns,
)
from ogi_report.rules.catalogue import CHECKS, CROSS_YEAR_IDENTITIES, Identity
from ogi_report.rules.identities import (
    IdentityInstance,
    cross_year_conditions,
    cross_year_instances,
    identity_instances,
)
from ogi_report.rules.relations import REPORTS, SECTIONS, TABLE_KEY, table_relation
from ogi_report.rules.rule import AlwaysEngine, SqlScreen


def create_relations(con: duckdb.DuckDBPyConnection, schema: str) -> None:
    """The relations the rules' screens read, as views over the loaded resources of `schema`, and
    the digests of its table resources (`schema` is the current one)."""
    con.execute(f"CREATE VIEW {schema}.{REPORTS.name} AS SELECT * FROM {schema}.raw_reports")
    con.execute(f"CREATE VIEW {schema}.{SECTIONS.name} AS SELECT * FROM {schema}.raw_sections")
    for resource in TABLE_RESOURCES:
        names = {table_relation(resource.table, layout) for layout in resource.layouts}
        assert len(names) == 1, f"{resource.name}: one relation per table resource"
        key = TABLE_KEY[1]
        renamed = "" if resource.key == key else f", {q(resource.key)} AS {q(key)}"
        source = f"{schema}.{q('raw_' + resource.name)}"
        con.execute(f"CREATE VIEW {schema}.{q(names.pop())} AS SELECT *{renamed} FROM {source}")
    create_digests(con)


# Exactly the cell texts the reader takes as numbers without the engine (the number grammar,
# model/numbers.py); the load's plain texts are a subset, so a plain cell never needs the engine.
_CELL_PATTERN = CELL_TEXT
_PLAIN = PLAIN_TEXT


def _covered(resource: TableResource, column: str, kind: CellKind) -> bool:
    """True if the load's odd flag (and the typed column) of this cell follow the reader's kind."""
    return plain_fields(resource.name).get(column) == _PLAIN[kind]


def _odd_cells(resource: TableResource, table: Table, columns: Iterable[str]) -> str:
    """SQL true when a row has a cell among these columns that needs the engine: blank,
    unreadable or negative. A typed column is NULL exactly then (blank, or the row is odd)."""
    parts: dict[str, None] = {}
    for column in columns:
        kind = table.column(column).kind
        if not _covered(resource, column, kind):
            parts[f"{q(column)} IS NULL OR NOT regexp_full_match({q(column)}, '{_CELL_PATTERN[kind]}')"] = (
                None
            )
        elif kind is CellKind.MONEY:
            parts[f"{ODD} OR {q(column)} IS NULL"] = None
        else:
            parts[f"{typed(column)} IS NULL"] = None
    return " OR ".join(parts)


def _value_sql(resource: TableResource, table: Table, column: str) -> str:
    """A cell's integer value: the typed column where there is one (NULL on odd rows, which need
    the engine anyway)."""
    kind = table.column(column).kind
    if kind is not CellKind.MONEY and _covered(resource, column, kind):
        return typed(column)
    return f"TRY_CAST({q(column)} AS HUGEINT)"


@dataclass
class _Screen:
    """What one table screen computes: mark columns (row code -> value, 0 elsewhere) joined to
    the rows, and the per-report aggregates over them; both shared between layouts when equal."""

    marks: dict[str, dict[str, int]] = field(default_factory=dict)
    aggregates: dict[str, str] = field(default_factory=dict)  # SQL -> alias

    def mark(self, values: dict[str, int]) -> str:
        for name, known in self.marks.items():
            if known == values:
                return q(name)
        name = f"m{len(self.marks)}"
        self.marks[name] = values
        return q(name)

    def aggregate(self, sql: str) -> str:
        alias = self.aggregates.setdefault(sql, f"a{len(self.aggregates)}")
        return f"g.{q(alias)}"


def _signed_terms(inst: IdentityInstance) -> list[tuple[str, str, int]]:
    """(row, column, signed weight) of every term, items then stated: D = sum of weight * cell."""
    return [(r, c, ITEM_SIGN * w) for r, c, w in inst.items] + [
        (r, c, STATED_SIGN * w) for r, c, w in inst.stated
    ]


def _cell_conditions(resource: TableResource, table: Table, screen: _Screen) -> list[str]:
    """Odd cells (blank, unreadable, negative) and missing or repeated rows: the cell rules."""
    conditions: list[str] = []
    by_columns: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for row in table.data_rows:
        by_columns[row.columns].append(row.code)
    for columns, codes in by_columns.items():
        odd = _odd_cells(resource, table, columns)
        rows = screen.mark(dict.fromkeys(codes, 1))
        conditions.append(f"{screen.aggregate(f'count_if({rows} = 1 AND ({odd}))')} > 0")
    # A row missing or repeated (the reader then sees blanks, or the last copy): the engine decides.
    # Every code exactly once: as many rows as codes, and each code's bit among them (a count alone
    # misses a row repeated in place of another).
    codes = [r.code for r in table.data_rows]
    assert len(codes) < 63, f"{table.code}: a row's bit must fit a BIGINT"
    rows = screen.mark(dict.fromkeys(codes, 1))
    bits = screen.mark({code: 1 << n for n, code in enumerate(codes)})
    conditions.append(f"{screen.aggregate(f'count_if({rows} = 1)')} <> {len(codes)}")
    conditions.append(f"{screen.aggregate(f'bit_or({bits})')} IS DISTINCT FROM {(1 << len(codes)) - 1}")
    return conditions


def _identity_conditions(resource: TableResource, layout: Layout, table: Table, screen: _Screen) -> list[str]:
    """A broken identity: per row, a weighted sum of the row's columns; per column, a weighted sum
    over the rows (the weights a mark column), one aggregate per bound column."""
    conditions: list[str] = []
    instances = [i for i in identity_instances(layout) if i.table == resource.table]
    by_terms: dict[tuple[tuple[str, int], ...], list[str]] = defaultdict(list)
    for inst in (i for i in instances if i.rule.per == "row"):
        by_terms[tuple((c, w) for _, c, w in _signed_terms(inst))].append(inst.bound)
    for terms, bound_rows in by_terms.items():
        expr = " + ".join(f"({w}) * {_value_sql(resource, table, c)}" for c, w in terms)
        rows = screen.mark(dict.fromkeys(bound_rows, 1))
        conditions.append(f"{screen.aggregate(f'count_if({rows} = 1 AND {expr} <> 0)')} > 0")
    per_column: dict[str, dict[str, int]] = defaultdict(dict)  # rule id -> row -> weight
    bound: dict[str, set[str]] = defaultdict(set)  # rule id -> columns it is bound to
    for inst in (i for i in instances if i.rule.per == "column"):
        for r, c, w in _signed_terms(inst):  # a row on both sides would take its stated weight
            per_column[inst.rule.id][r] = w
            bound[inst.rule.id].add(c)
    for rule_id, row_weights in per_column.items():
        weight = screen.mark(row_weights)
        for c in sorted(bound[rule_id]):
            conditions.append(f"{screen.aggregate(f'sum({weight} * {_value_sql(resource, table, c)})')} <> 0")
    return conditions


def _layout_flag(resource: TableResource, layout: Layout, screen: _Screen) -> str:
    """The condition (over the screen's aggregates) true for a report whose table in this
    resource needs the engine under this layout: odd cells, missing rows, or a broken identity
    of the catalogue."""
    table = layout.table(resource.table)
    conditions = _cell_conditions(resource, table, screen) + _identity_conditions(
        resource, layout, table, screen
    )
    return " OR ".join(conditions)


def digest_name(resource: str) -> str:
    """The (quoted) table holding a table resource's digest: one row per report id."""
    return q("digest_" + resource)


@dataclass(frozen=True)
class _Compiled:
    digest: str  # SELECT of the digest
    pick: str  # condition over the digest `g` and the report `r`: the engine must read it


def _shared_conditions(resource: TableResource, screen: _Screen) -> list[str] | None:
    """The conditions of every layout of the resource in one set, for reports whose rows are exactly
    their layout's (each code once, no other row: checked apart): odd cells per group of rows with
    the same columns, each row identity over the rows any layout binds it to, and each per-column
    identity with its weights merged over the layouts. Under exact rows a merged condition is the
    layout's own (a code of another layout is absent) or flags more (a row another layout binds),
    never fewer. None where the layouts give one code two column sets, one column two kinds, or one
    identity two weights on a code: then each layout keeps its own conditions."""
    columns: dict[str, tuple[str, ...]] = {}
    holder: dict[str, Table] = {}  # column -> a table that has it (its kind is the same in all)
    for code in resource.layouts:
        table = LAYOUTS[code].table(resource.table)
        for row in table.data_rows:
            if columns.setdefault(row.code, row.columns) != row.columns:
                return None
            for column in row.columns:
                if holder.setdefault(column, table).column(column).kind is not table.column(column).kind:
                    return None
    conditions: list[str] = []
    by_columns: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for code, cols in columns.items():
        by_columns[cols].append(code)
    for cols, codes in by_columns.items():
        rows = screen.mark(dict.fromkeys(codes, 1))
        odd = _odd_cells(resource, holder[cols[0]], cols)
        conditions.append(f"{screen.aggregate(f'count_if({rows} = 1 AND ({odd}))')} > 0")
    per_row: dict[tuple[tuple[str, int], ...], set[str]] = defaultdict(set)
    per_column: dict[str, dict[str, int]] = defaultdict(dict)
    bound: dict[str, set[str]] = defaultdict(set)
    for code in resource.layouts:
        for inst in (i for i in identity_instances(LAYOUTS[code]) if i.table == resource.table):
            if inst.rule.per == "row":
                per_row[tuple((c, w) for _, c, w in _signed_terms(inst))].add(inst.bound)
                continue
            for r, c, w in _signed_terms(inst):
                if per_column[inst.rule.id].setdefault(r, w) != w:
                    return None
                bound[inst.rule.id].add(c)
    for terms, bound_rows in per_row.items():
        expr = " + ".join(f"({w}) * {_value_sql(resource, holder[c], c)}" for c, w in terms)
        rows = screen.mark(dict.fromkeys(sorted(bound_rows), 1))
        conditions.append(f"{screen.aggregate(f'count_if({rows} = 1 AND {expr} <> 0)')} > 0")
    for rule_id, row_weights in per_column.items():
        weight = screen.mark(row_weights)
        for c in sorted(bound[rule_id]):
            value = _value_sql(resource, holder[c], c)
            conditions.append(f"{screen.aggregate(f'sum({weight} * {value})')} <> 0")
    return conditions


@cache
def _compiled(resource: TableResource) -> _Compiled:
    """One grouped pass over a table resource, the digest: per report id, the aggregates every
    layout's screen compares, and the key tally the primary-key check reads (`structure.TALLY_*`).
    Each row is joined on its row code to a small table of marks (row sets, row bits and identity
    weights, from the registry), so the aggregates compare integers rather than row codes."""
    screen = _Screen()
    codes = [row.code for row in resource.rows()]
    bits = screen.mark({code: 1 << n for n, code in enumerate(codes)})  # any layout's codes
    shared = _shared_conditions(resource, screen)
    if shared is None:
        flags = [
            (layout, _layout_flag(resource, layout, screen))
            for layout in LAYOUTS.values()
            if layout.code in resource.layouts
        ]
    else:
        present = screen.aggregate(f"bit_or({bits})")
        flags = []
        for code in resource.layouts:
            layout_codes = [row.code for row in LAYOUTS[code].table(resource.table).data_rows]
            mask = sum(1 << codes.index(c) for c in layout_codes)
            exact = f"g.{TALLY_ROWS} <> {len(layout_codes)} OR {present} IS DISTINCT FROM {mask}"
            flags.append((LAYOUTS[code], " OR ".join([exact, *shared])))
    tally = {
        "count(*)": TALLY_ROWS,
        f"count({bits})": TALLY_KNOWN,
        f"bit_count(bit_or({bits}))": TALLY_CODES,
    }
    names = list(screen.marks)
    values = ", ".join(
        "(" + ", ".join([f"'{code}'", *(str(screen.marks[n].get(code, 0)) for n in names)]) + ")"
        for code in codes
    )
    columns = ", ".join([q("#key"), *(q(n) for n in names)])
    rows = f"(SELECT {', '.join(['*', *typed_columns(resource.name)])} FROM {q('raw_' + resource.name)})"
    source = f"{rows} t LEFT JOIN (VALUES {values}) AS m({columns}) ON t.{q(resource.key)} = m.{q('#key')}"
    aggregates = ", ".join(
        [f"{sql} AS {alias}" for sql, alias in tally.items()]
        + [f"{sql} AS {q(alias)}" for sql, alias in screen.aggregates.items()]
    )
    # A report of the layout without a row here (SECTION-MISSING: a table without rows) has no group.
    pick = " OR ".join(
        f"(r.format = '{layout.code}' AND (g.report_id IS NULL OR {cond}))" for layout, cond in flags
    )
    return _Compiled(f"SELECT t.report_id, {aggregates} FROM {source} GROUP BY t.report_id", pick)


def create_digests(con: duckdb.DuckDBPyConnection) -> None:
    """The digest of every table resource, in the current schema (after its rows are unescaped)."""
    for resource in TABLE_RESOURCES:
        con.execute(f"CREATE TABLE {digest_name(resource.name)} AS {_compiled(resource).digest}")


def _table_screen(resource: TableResource) -> str:
    """Report ids whose table in this resource the engine must read, for any layout: from the
    resource's digest."""
    return (
        f"SELECT r.report_id FROM {REPORTS.name} r LEFT JOIN {digest_name(resource.name)} g "
        f"ON g.report_id = r.report_id WHERE {_compiled(resource).pick}"
    )


def _unreadable_reports() -> str:
    """Rows the reader cannot take as they are: the engine (or the reader's error) decides."""
    year = "TRY_CAST(year AS INTEGER)"
    return (
        f"SELECT report_id FROM {REPORTS.name} WHERE format NOT IN ('{LATEST_LAYOUT}', '{TRIAL_LAYOUT}') OR "
        f"CAST({year} AS VARCHAR) IS DISTINCT FROM year OR "
        "(published IS NOT NULL AND TRY_CAST(published AS DATE) IS NULL)"
    )


def check_screens() -> list[str]:
    """The screens the check rules bring (a rule routed to the engine flags every report)."""
    queries: list[str] = []
    for rule in CHECKS:
        for screen in rule.screens:
            if isinstance(screen, SqlScreen):
                queries.append(screen.sql)
            elif isinstance(screen, AlwaysEngine):
                queries.append(f"SELECT report_id FROM {REPORTS.name}")
    return queries


def screen_sql() -> str:
    """The whole screen: report ids that need the per-report engine."""
    queries = [_unreadable_reports(), *check_screens(), *(_table_screen(r) for r in TABLE_RESOURCES)]
    return "SELECT DISTINCT report_id FROM (" + " UNION ALL ".join(queries) + ")"


# --- cross-year identities ---------------------------------------------------------------------

# The agency part of a report id (YYYY-agency): what pairs a report with the year before.
_AGENCY_KEY = agency_key_sql()


def _prior_cell(resource_cell: tuple[str, str, CellKind]) -> str:
    """Per report: a cell's value when its row occurs once and its text is a plain number the reader
    reads as written; NULL otherwise (the engine decides)."""
    row, column, kind = resource_cell
    once = f"count_if({q(TABLE_KEY[1])} = '{row}') = 1"
    plain = f"regexp_full_match({q(column)}, '{_CELL_PATTERN[kind]}')"
    value = (
        f"max(CASE WHEN {q(TABLE_KEY[1])} = '{row}' AND {plain} THEN TRY_CAST({q(column)} AS HUGEINT) END)"
    )
    return f"CASE WHEN {once} THEN {value} END"


def _cross_year_query(rule: Identity, layout: Layout, now: str, before: str, prior_layout: str) -> str:
    """Pairs (report, the same agency's report of the year before) where an instance of `rule` may
    fail: its weighted sum is not 0, or is unknown (a blank, an odd text, a missing row)."""
    instances = [i for i in cross_year_instances(layout) if i.rule is rule]
    table = layout.table(rule.table)
    cells, conditions = cross_year_conditions(instances)

    def side(schema: str, relation: str, year: int) -> str:
        values = ", ".join(
            f"{_prior_cell((r, c, table.column(c).kind))} AS {alias}" for (r, c), alias in cells[year].items()
        )
        return (
            f"(SELECT report_id, {_AGENCY_KEY} AS k, {values} FROM {schema}.{q(relation)} GROUP BY report_id)"
        )

    return (
        f"SELECT a.report_id AS cur, b.report_id AS prev FROM "
        f"{side(now, table_relation(rule.table, layout.code), 0)} a JOIN "
        f"{side(before, table_relation(rule.table, prior_layout), -1)} b USING (k) "
        f"WHERE {' OR '.join(conditions)}"
    )


def cross_year_sql(now: str, before: str) -> str:
    """Pairs of reports (this year's in schema `now`, last year's in `before`) the cross-year
    identities must read."""
    queries: dict[str, None] = {}
    for rule in CROSS_YEAR_IDENTITIES:
        for code in rule.layouts:
            for prior in rule.layouts:
                queries[_cross_year_query(rule, LAYOUTS[code], now, before, prior)] = None
    return " UNION ".join(queries)

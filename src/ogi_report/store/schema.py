"""The store's tables and views, derived from the layout registry (no table, row or column retyped).

Every statistical table of every layout is one store table `<table>_<layout>` (for example
`applications_2021`, `proactive_2019_trial`) with one row per report version and table row:
`version_id`, `row_code`, then one column per column of the official table (counts BIGINT, amounts
TEXT so every digit is kept). Report versions live in `versions`; the views show the latest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from ogi_report.layout import LAYOUTS, CellKind, Layout, Table
from ogi_report.package.fields import Field
from ogi_report.package.resources import REPORT_ID, fields_of

SCHEMA_VERSION = 2  # 1: tables and `reports` view; 2: `explanations` and the long views


@dataclass(frozen=True)
class StoreTable:
    """One official table of one layout, as a store table."""

    layout: Layout
    table: Table

    @property
    def name(self) -> str:
        return f"{self.table.code}_{self.layout.code.replace('-', '_')}"

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.table.columns)

    def sql_type(self, column: str) -> str:
        return "TEXT" if self.table.column(column).kind is CellKind.MONEY else "BIGINT"


@cache
def store_tables() -> tuple[StoreTable, ...]:
    return tuple(StoreTable(layout, table) for layout in LAYOUTS.values() for table in layout.tables)


def table_codes() -> tuple[str, ...]:
    """The official tables' codes, in the order of the first layout that has them."""
    codes: list[str] = []
    for spec in store_tables():
        if spec.table.code not in codes:
            codes.append(spec.table.code)
    return tuple(codes)


def q(name: str) -> str:
    """A quoted SQL identifier (names come from the registry, never from input)."""
    return '"' + name.replace('"', '""') + '"'


# The report's metadata as the package declares it (name, type, required); the store keeps each in a
# column of `versions` under the package field's name, but for the one it rolls up by.
REGION_KEY = "division_code"
_STORE_NAMES = {"agency_division_code": REGION_KEY}
REPORT_SOURCES: tuple[Field, ...] = tuple(f for f in fields_of("reports") if f.name != REPORT_ID.name)
REPORT_FIELDS = tuple(_STORE_NAMES.get(f.name, f.name) for f in REPORT_SOURCES)


def report_sql_type(source: Field) -> str:
    """The column type of a package field: integers as INTEGER, the rest as text (dates as written)."""
    kind = "INTEGER" if source.type == "integer" else "TEXT"
    required = bool(source.constraints and source.constraints.get("required"))
    return f"{kind} NOT NULL" if required else kind


VERSION_COLUMNS = (
    "version_id",
    "report_id",
    "agency_key",
    "content_hash",
    "valid_from",
    "valid_to",
    *REPORT_FIELDS,
)
# A finding's fields as the package declares them (each with its path in the Finding model), after
# the versions it belongs to and its number.
FINDING_SOURCES: tuple[Field, ...] = tuple(f for f in fields_of("findings") if f.path)
FINDING_COLUMNS = ("version_id", "previous_version_id", "seq", *(f.name for f in FINDING_SOURCES))
SECTION_SOURCES: tuple[Field, ...] = tuple(f for f in fields_of("sections") if f.name != REPORT_ID.name)
SECTION_COLUMNS = tuple(f.name for f in SECTION_SOURCES)
EXPLANATION_COLUMNS = ("version_id", "seq", "cells", "text")


def _ddl_v1(index_cells: bool) -> list[str]:
    version_types = {
        "version_id": "BIGINT PRIMARY KEY",
        "report_id": "TEXT NOT NULL",
        "agency_key": "TEXT NOT NULL",
        "content_hash": "TEXT NOT NULL",
        "valid_from": "BIGINT NOT NULL",
        "valid_to": "BIGINT",
    } | {name: report_sql_type(f) for name, f in zip(REPORT_FIELDS, REPORT_SOURCES, strict=True)}
    version_cols = ", ".join(f"{q(c)} {version_types[c]}" for c in VERSION_COLUMNS)
    statements = [
        "CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE ingests (ingest_id BIGINT PRIMARY KEY, ingested_at TEXT NOT NULL, "
        "sources TEXT NOT NULL, "
        "added BIGINT NOT NULL, superseding BIGINT NOT NULL, unchanged BIGINT NOT NULL, "
        "accepted_findings BOOLEAN NOT NULL)",
        f"CREATE TABLE versions ({version_cols})",
        "CREATE INDEX versions_report ON versions (report_id)",
        "CREATE INDEX versions_year ON versions (year)",
        "CREATE TABLE sections (version_id BIGINT NOT NULL, "
        + ", ".join(f"{q(f.name)} {report_sql_type(f)}" for f in SECTION_SOURCES)
        + ")",
        "CREATE TABLE findings ("
        + ", ".join(
            f"{q(c)} {'BIGINT' if c.endswith('_id') or c == 'seq' else 'TEXT'}" for c in FINDING_COLUMNS
        )
        + ")",
        "CREATE INDEX findings_version ON findings (version_id)",
    ]
    for spec in store_tables():
        cells = ", ".join(f"{q(c)} {spec.sql_type(c)}" for c in spec.columns)
        statements.append(
            f"CREATE TABLE {q(spec.name)} (version_id BIGINT NOT NULL, row_code TEXT NOT NULL, {cells})"
        )
        if index_cells:
            statements.append(f"CREATE INDEX {q(spec.name + '_version')} ON {q(spec.name)} (version_id)")
    if index_cells:
        statements.append("CREATE INDEX sections_version ON sections (version_id)")
    statements.append(
        "CREATE VIEW reports AS SELECT v.* FROM versions v WHERE v.valid_to IS NULL",
    )
    return statements


def _ddl_v2(numeric: str) -> list[str]:
    statements = [
        "CREATE TABLE explanations (version_id BIGINT NOT NULL, seq BIGINT NOT NULL, cells TEXT, text TEXT)",
    ]
    statements += [
        f"CREATE VIEW {q('long_' + code)} AS {long_view_sql(code, numeric=numeric)}" for code in table_codes()
    ]
    statements += sums_ddl(numeric)
    statements += sums_refresh(None, numeric)  # a store upgraded with reports in it
    return statements


# --- Sums per year, division code, agency kind and row of the latest reports -------------------
# Kept up to date by every ingest (for the years it touches), so a roll-up of the latest reports adds
# up a few thousand rows instead of scanning every cell; `--as-of` roll-ups read the cells themselves.


def sums_name(spec: StoreTable, grain: str = "") -> str:
    """`grain` "": per division code; "province": per province (codes XX0000)."""
    return f"sums_{spec.name}" if not grain else f"sums_{grain}_{spec.name}"


# A division code as the package constrains it (GB/T 2260: 6 digits): the regions' key.
DIVISION_PATTERN: str = next(
    f for f, n in zip(REPORT_SOURCES, REPORT_FIELDS, strict=True) if n == REGION_KEY
).constraints["pattern"]  # type: ignore[index]


def valid_division(column: str) -> str:
    """SQL (both backends): the column holds a division code of the package's pattern."""
    return f"({column} IS NOT NULL AND {column} SIMILAR TO '{DIVISION_PATTERN}')"


# The levels of GB/T 2260 regions and the significant digits of their codes (a province XX0000,
# a prefecture XXXX00, a county every digit).
Level = Literal["province", "prefecture", "county"]
REGION_DIGITS: dict[Level, int] = {"province": 2, "prefecture": 4, "county": 6}


def division_prefix(division: str) -> int:
    """The significant digits of a region's code: those of the largest region it names."""
    if re.fullmatch(DIVISION_PATTERN, division) is None:
        raise ValueError(f"{division}: a division code has 6 digits (GB/T 2260)")
    return next(n for n in sorted(REGION_DIGITS.values()) if not division[n:].strip("0"))


def _province_key(column: str) -> str:
    """A valid code's province (XX0000); other codes as they are (they belong to no region)."""
    return f"CASE WHEN {valid_division(column)} THEN substr({column}, 1, 2) || '0000' ELSE {column} END"


def sums_ddl(numeric: str) -> list[str]:
    keys = "year INTEGER NOT NULL, division_code TEXT, agency_kind TEXT"
    statements = []
    for grain in ("", "province"):
        members = "sums_members" if not grain else f"sums_{grain}_members"
        statements.append(f"CREATE TABLE {members} ({keys}, format TEXT NOT NULL, reports BIGINT NOT NULL)")
        for spec in store_tables():
            cells = ", ".join(f"{q('s_' + c)} {numeric}, {q('n_' + c)} BIGINT" for c in spec.columns)
            statements.append(
                f"CREATE TABLE {q(sums_name(spec, grain))} ({keys}, row_code TEXT NOT NULL, {cells})"
            )
    return statements


def sums_refresh(years: list[int] | None, numeric: str) -> list[str]:
    """Statements recomputing the sums of the latest reports of these years (None: every year)."""
    keys = "v.year, v.division_code, v.agency_kind"
    chosen = "1 = 1" if years is None else f"year IN ({', '.join(str(int(y)) for y in years) or 'NULL'})"
    latest = "v.valid_to IS NULL" + ("" if years is None else f" AND v.{chosen}")
    years_sql = chosen
    of_years = "1 = 1" if years is None else f"v.{chosen}"
    statements = [
        f"DELETE FROM sums_members WHERE {years_sql}",
        f"INSERT INTO sums_members SELECT {keys}, v.format, count(*) FROM versions v WHERE {latest} "
        "GROUP BY v.year, v.division_code, v.agency_kind, v.format",
    ]
    for spec in store_tables():
        cells = ", ".join(f"sum(CAST(t.{q(c)} AS {numeric})), count(t.{q(c)})" for c in spec.columns)
        statements += [
            f"DELETE FROM {q(sums_name(spec))} WHERE {years_sql}",
            f"INSERT INTO {q(sums_name(spec))} SELECT {keys}, t.row_code, {cells} FROM {q(spec.name)} t "
            f"JOIN versions v ON v.version_id = t.version_id "
            f"WHERE {latest} AND v.format = '{spec.layout.code}' "
            "GROUP BY v.year, v.division_code, v.agency_kind, t.row_code",
        ]
    # per province, from the sums per division code
    province = _province_key("v.division_code")
    statements += [
        f"DELETE FROM sums_province_members WHERE {years_sql}",
        f"INSERT INTO sums_province_members SELECT v.year, {province}, v.agency_kind, v.format, "
        f"sum(v.reports) FROM sums_members v WHERE {of_years} GROUP BY 1, 2, 3, 4",
    ]
    for spec in store_tables():
        cells = ", ".join(f"sum(v.{q('s_' + c)}), sum(v.{q('n_' + c)})" for c in spec.columns)
        statements += [
            f"DELETE FROM {q(sums_name(spec, 'province'))} WHERE {years_sql}",
            f"INSERT INTO {q(sums_name(spec, 'province'))} SELECT v.year, {province}, v.agency_kind, "
            f"v.row_code, {cells} FROM {q(sums_name(spec))} v WHERE {of_years} GROUP BY 1, 2, 3, 4",
        ]
    return statements


def long_view_sql(code: str, versions: str = "reports", numeric: str = "NUMERIC") -> str:
    """One long table for an official table (every layout): year, division, agency, row, column,
    value, over the versions in `versions` (the `reports` view: the latest)."""
    parts = []
    for spec in store_tables():
        if spec.table.code != code:
            continue
        for column in spec.columns:
            value = f"CAST(t.{q(column)} AS {numeric})"
            parts.append(
                f"SELECT r.year, r.division_code AS division, r.agency_name AS agency, r.format, "
                f"r.report_id, r.version_id, t.row_code AS row, '{column}' AS {q('column')}, "
                f"{value} AS value FROM {q(spec.name)} t JOIN {versions} r ON r.version_id = t.version_id "
                f"AND r.format = '{spec.layout.code}'"
            )
    return " UNION ALL ".join(parts)


# Each step's statements, applied in order; a store at version n runs the steps n+1 … SCHEMA_VERSION.
def migrations(numeric: str, *, index_cells: bool = False) -> dict[int, list[str]]:
    """`numeric`: the backend's exact decimal type for the long views' values; `index_cells`: index
    the cell tables by version (PostgreSQL; DuckDB's zone maps serve, version ids being appended in
    order)."""
    return {1: _ddl_v1(index_cells), 2: _ddl_v2(numeric)}


DATA_TABLES = ("versions", "sections", "explanations", "findings", *(s.name for s in store_tables()))
SUM_TABLES = (
    "sums_members",
    "sums_province_members",
    *(sums_name(s, grain) for grain in ("", "province") for s in store_tables()),
)

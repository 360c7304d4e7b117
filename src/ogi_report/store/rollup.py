"""Roll-ups: a region's reports summed into reports of the same layout (GB/T 2260 division codes).

A division code has 6 digits: province = first 2 digits + 0000, prefecture = first 4 + 00, county =
all 6. Each summary cell records how many of the region's reports left it blank (a blank is never
zero); the summed value is then a lower bound of the true total (for the one signed column, 2019-trial
本年增/减, it is only the sum of the known values, not a bound). A region whose reports use both layouts
gives one summary per layout and says so. Reports without a 6-digit division code belong to no region
and are counted as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ogi_report.layout import LAYOUTS, TEXT_SECTIONS, CellKind
from ogi_report.store.backend import StoreError
from ogi_report.store.core import Store
from ogi_report.store.schema import (
    REGION_DIGITS,
    REGION_KEY,
    Level,
    division_prefix,
    q,
    store_tables,
    sums_name,
    valid_division,
)

_AGENCY_LEVEL = {"province": "provincial", "prefecture": "prefectural", "county": "county"}


@dataclass
class Summary:
    """One region's reports of one layout, summed, with each cell's blank count."""

    division: str
    layout: str
    year: int
    reports: int
    report: dict[str, Any]  # the summary in the JSON interchange shape
    blanks: dict[str, int] = field(default_factory=dict)  # table.row.column -> reports that left it blank
    other_layouts: dict[str, int] = field(default_factory=dict)  # the region's reports in other layouts

    def cells(self) -> dict[str, dict[str, Any]]:
        """Cells with blanks: how many reports left them blank, and what the value is then."""
        signed = {
            f"{t.code}.{r.code}.{c.code}"
            for t in LAYOUTS[self.layout].tables
            for r, c in t.cells()
            if c.kind is CellKind.SIGNED
        }
        return {
            path: {"blank": n, "value_is": "partial_sum" if path in signed else "lower_bound"}
            for path, n in sorted(self.blanks.items())
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "division": self.division,
            "layout": self.layout,
            "year": self.year,
            "reports": self.reports,
            "other_layouts": self.other_layouts,
            "cells": self.cells(),
        }


@dataclass
class Rollup:
    year: int
    summaries: list[Summary]
    outside_regions: int  # reports of the year (and kind) with no 6-digit division code

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "outside_regions": self.outside_regions,
            "summaries": [s.to_dict() for s in self.summaries],
        }


def _region(division: str | None, level: Level | None) -> tuple[str, int]:
    """(group expression over v.division_code, prefix length)."""
    if division is not None:
        try:
            size = division_prefix(division)
        except ValueError as exc:
            raise StoreError(f"--division {exc}") from None
        return f"'{division}'", size
    if level is None:
        raise StoreError("give --division CODE or --level province|prefecture|county")
    size = REGION_DIGITS[level]
    return f"substr(v.division_code, 1, {size}) || '{'0' * (6 - size)}'", size


def rollup(
    store: Store,
    year: int,
    *,
    division: str | None = None,
    level: Level | None = None,
    kind: str | None = None,
    as_of: str | int | None = None,
) -> Rollup:
    point = store.resolve_as_of(as_of)
    group, size = _region(division, level)
    cached = point is None  # the latest reports: their kept sums (schema.sums_refresh) serve
    grain = "province" if cached and size == 2 else ""  # whole provinces: the sums per province
    where = ["v.year = ?"] if cached else [store.visible(point), "v.year = ?"]
    params: list[Any] = [year]
    if kind is not None:
        where.append("v.agency_kind = ?")
        params.append(kind)
    count = "sum(v.reports)" if cached else "count(*)"
    members_from = ("sums_province_members v" if grain else "sums_members v") if cached else "versions v"
    outside = int(
        store.backend.fetch(
            f"SELECT coalesce({count}, 0) FROM {members_from} "
            f"WHERE {' AND '.join(where)} AND NOT ({_valid()})",
            params,
        )[0][0]
    )
    where.append(_valid())
    if division is not None:
        where.append(f"substr(v.division_code, 1, {size}) = ?")
        params.append(division[:size])
    condition = " AND ".join(where)
    members: dict[tuple[str, str], int] = {}
    for region, layout, n in store.backend.fetch(
        f"SELECT {group} AS region, v.format, {count} FROM {members_from} WHERE {condition} GROUP BY 1, 2",
        params,
    ):
        members[(str(region), str(layout))] = int(n)
    sums: dict[tuple[str, str], dict[str, dict[str, tuple[Any, int]]]] = {}
    for spec in store_tables():
        numeric = store.backend.numeric
        parts = []
        for column in spec.columns:
            if cached:
                parts.append(f"sum(v.{q('s_' + column)}), sum(v.{q('n_' + column)})")
                continue
            value = f"t.{q(column)}"
            if spec.sql_type(column) != "BIGINT":
                value = f"CAST({value} AS {numeric})"
            parts.append(f"sum({value}), count(t.{q(column)})")
        if cached:
            sql = (
                f"SELECT {group} AS region, v.row_code, {', '.join(parts)} "
                f"FROM {q(sums_name(spec, grain))} v "
                f"WHERE {condition} GROUP BY 1, 2"
            )
            values_params = params
        else:
            sql = (
                f"SELECT {group} AS region, t.row_code, {', '.join(parts)} FROM {q(spec.name)} t "
                f"JOIN versions v ON v.version_id = t.version_id WHERE {condition} AND v.format = ? "
                "GROUP BY 1, 2"
            )
            values_params = [*params, spec.layout.code]
        for region, row_code, *values in store.backend.fetch(sql, values_params):
            table = sums.setdefault((str(region), spec.layout.code), {}).setdefault(spec.table.code, {})
            for i, column in enumerate(spec.columns):
                table[f"{row_code}.{column}"] = (values[2 * i], int(values[2 * i + 1] or 0))
    summaries = []
    for (region, layout_code), n in sorted(members.items()):
        others = {lay: m for (reg, lay), m in members.items() if reg == region and lay != layout_code}
        summaries.append(
            _summary(region, layout_code, year, n, kind, sums.get((region, layout_code), {}), others, size)
        )
    return Rollup(year, summaries, outside)


def _valid() -> str:
    return valid_division(f"v.{REGION_KEY}")


def _summary(
    region: str,
    layout_code: str,
    year: int,
    reports: int,
    kind: str | None,
    sums: dict[str, dict[str, tuple[Any, int]]],
    others: dict[str, int],
    size: int,
) -> Summary:
    layout = LAYOUTS[layout_code]
    level = next(name for name, digits in REGION_DIGITS.items() if digits == size)
    note = (
        f"汇总：行政区划 {region} 的 {year} 年度 {reports} 份报告（{layout_code} 格式），"
        "由 ogi store rollup 生成；"
        "有报告留空的单元格，其数值为下限（见 .cells.json）。"
    )
    if others:
        note += (
            "本区域另有 "
            + "、".join(f"{m} 份 {lay} 格式报告" for lay, m in sorted(others.items()))
            + "，另行汇总。"
        )
    data: dict[str, Any] = {
        "format": layout_code,
        "year": year,
        "agency": {
            "name": f"行政区划 {region} 汇总（{reports} 份报告）",
            "code": None,
            "division_code": region,
            "level": _AGENCY_LEVEL[level],
            "kind": kind,
        },
        "scope": "region",
        "published": None,
        "source_url": None,
        "sections": {s.code: None for s in TEXT_SECTIONS},
        "_note": note,
    }
    blanks: dict[str, int] = {}
    for table in layout.tables:
        found = sums.get(table.code)
        if not found:
            data[table.code] = None  # no report of the region has the table
            continue
        cells: dict[str, dict[str, Any]] = {}
        for row in table.data_rows:
            cells[row.code] = {}
            for column in row.columns:
                total, known = found.get(f"{row.code}.{column}", (None, 0))
                kind_of = table.column(column).kind
                if known == 0:
                    value: Any = None
                elif kind_of is CellKind.MONEY:
                    value = format(Decimal(str(total)).normalize(), "f")
                else:
                    value = int(total)
                cells[row.code][column] = value
                if known < reports:
                    blanks[f"{table.code}.{row.code}.{column}"] = reports - known
        data[table.code] = cells
    return Summary(region, layout_code, year, reports, data, blanks, others)

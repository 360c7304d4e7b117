"""One report <-> its CSV rows in every resource of the package."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from typing import Any

from ogi_report.findings import Finding
from ogi_report.layout import LAYOUTS, TEXT_SECTIONS, CellKind
from ogi_report.model import Report
from ogi_report.package.escape import escape_text
from ogi_report.package.resources import MISSING, TABLE_RESOURCES, TableResource, string_positions

Rows = dict[str, list[list[str]]]  # resource name -> CSV rows (without header), as written


def agency_key(report: Report) -> str:
    """The same agency across years: its credit code, else its normalised name and division."""
    if report.agency.code:
        return report.agency.code
    name = "".join(unicodedata.normalize("NFKC", report.agency.name).split())
    return f"{report.agency.division_code or 'na'}-{hashlib.sha256(name.encode()).hexdigest()[:10]}"


def base_report_id(report: Report) -> str:
    """Stable id: year and agency key (a package disambiguates repeats with -2, -3, …)."""
    return f"{report.year}-{agency_key(report)}"


def text(value: Any) -> str:
    """A cell as written: blank for None, every digit for decimals, never exponent notation."""
    if value is None:
        return MISSING
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


@cache
def _plan(
    resource: TableResource, layout_code: str
) -> tuple[tuple[str, tuple[tuple[str, bool, bool], ...]], ...]:
    """(row code, ((column, is money, may be negative), …)) for every data row, in writing order.
    Every column of the table is written; a row's cells outside its own columns stay blank."""
    table = LAYOUTS[layout_code].table(resource.table)
    columns = tuple((c.code, c.kind is CellKind.MONEY, c.kind is CellKind.SIGNED) for c in table.columns)
    return tuple((row.code, columns) for row in table.data_rows)


def _counts(resource: TableResource, report: Report, report_id: str) -> Iterator[list[str]]:
    table = report.table(resource.table)
    if table is None or report.format not in resource.layouts:
        return
    rows = table.__dict__
    for code, columns in _plan(resource, report.format):
        cells = rows[code].__dict__
        out = [report_id, code]
        for column, money, signed in columns:
            value = cells.get(column)
            if value is None or (value < 0 and not signed):
                # A negative count or amount breaks the package's constraints: it is left blank
                # here and kept, with its stated value, in the CELL-NEGATIVE finding.
                out.append(MISSING)
            elif money:
                out.append(format(value, "f"))
            else:
                out.append(str(value))
        yield out


def report_rows(report: Report, report_id: str, findings: tuple[Finding, ...]) -> Rows:
    agency = report.agency
    rows: Rows = {
        "reports": [
            [
                report_id,
                text(report.year),
                report.format,
                agency.name,
                text(agency.code),
                text(agency.division_code),
                text(agency.level),
                text(agency.kind),
                text(report.scope),
                text(report.published.isoformat() if report.published else None),
                text(report.source_url),
                text(report.note),
            ]
        ],
        "sections": [
            [report_id, s.code, value]
            for s in TEXT_SECTIONS
            if (value := report.sections.__dict__.get(s.code)) is not None
        ],
    }
    for resource in TABLE_RESOURCES:
        rows[resource.name] = list(_counts(resource, report, report_id))
    rows["findings"] = [
        [
            report_id,
            str(seq),
            f.rule,
            f.severity.value,
            " ".join(f.cells),
            text(f.stated),
            text(f.expected),
            " ".join(f.blanks),
            " ".join(f"{k}={text(v)}" for k, v in f.fill.items()),
            f.message_zh,
            f.message_en,
        ]
        for seq, f in enumerate(findings, start=1)
    ]
    for name, written in rows.items():  # text fields escaped against formula injection
        positions = string_positions(name)
        for row in written:
            for i in positions:
                row[i] = escape_text(row[i])
    return rows

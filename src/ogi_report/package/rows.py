"""One report -> its CSV rows in every resource of the package, written field by field as the
resources declare them (package/resources.py)."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from operator import attrgetter, call
from typing import Any

from ogi_report.findings import Finding
from ogi_report.layout import LAYOUTS, TEXT_SECTIONS, CellKind
from ogi_report.model import Report
from ogi_report.package.fields import CELL_WRITERS
from ogi_report.package.resources import TABLE_RESOURCES, TableResource, fields_of

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


def agency_key_sql(report_id: str = "report_id") -> str:
    """SQL (DuckDB) over a report id column: its agency key, the id without the year
    `base_report_id` puts in front (an id of another shape is its own key)."""
    year = "'^[0-9]+-'"
    return (
        f"CASE WHEN regexp_matches({report_id}, '^[0-9]+-.') "
        f"THEN regexp_replace({report_id}, {year}, '') ELSE {report_id} END"
    )


def _at(source: Any, path: tuple[str, ...]) -> Any:
    """The value at a declared model path (`("agency", "name")`)."""
    return attrgetter(".".join(path))(source)


@cache
def _getters(name: str) -> tuple[tuple[Callable[[Any], str], str, Callable[[Any], Any]], ...]:
    """(encoder, name, value at its model path) of each declared field of a resource."""
    return tuple((f.encode, f.name, attrgetter(".".join(f.path))) for f in fields_of(name))


def _row(name: str, source: Any, given: dict[str, Any]) -> list[str]:
    """One CSV row of a resource: each declared field's value, `given` or at its path in `source`,
    written by its codec."""
    return [encode(given[n] if n in given else at(source)) for encode, n, at in _getters(name)]


@cache
def _plan(
    resource: TableResource, layout_code: str
) -> tuple[tuple[tuple[str, str], ...], tuple[Callable[[Any], str], ...], tuple[str, ...]]:
    """((row code, its key as written), …) in writing order, then every cell field's encoder and
    column: every column is written; a row's cells outside its own columns stay blank. The keys
    are encoded once here, as their field declares."""
    key, *cells = fields_of(resource.name)[1:]
    rows = LAYOUTS[layout_code].table(resource.table).data_rows
    codes = tuple((row.code, key.encode(row.code)) for row in rows)
    return codes, tuple(field.encode for field in cells), tuple(field.name for field in cells)


def _table_rows(resource: TableResource, report: Report, report_id: str) -> Iterator[list[str]]:
    table = report.table(resource.table)
    if table is None or report.format not in resource.layouts:
        return
    rows = table.__dict__
    codes, encoders, columns = _plan(resource, report.format)
    integers = _integers_only(encoders)
    written_id = fields_of(resource.name)[0].encode(report_id)
    for code, written_key in codes:
        values = [*map(rows[code].__dict__.get, columns)]
        if integers and values and None not in values and min(values) >= 0:
            # counts, none blank or negative: each written as `str` would (the loop in C)
            yield [written_id, written_key, *map(str, values)]
        else:
            yield [written_id, written_key, *map(call, encoders, values)]  # (map: the hot loop in C)


@cache
def _integers_only(encoders: tuple[Callable[[Any], str], ...]) -> bool:
    """Every cell of the resource a count or signed count (integers in the model, strict): a
    non-negative one is written as its `str` by either encoder."""
    return all(e in (CELL_WRITERS[CellKind.COUNT], CELL_WRITERS[CellKind.SIGNED]) for e in encoders)


def report_rows(report: Report, report_id: str, findings: tuple[Finding, ...]) -> Rows:
    """The report's rows in every resource, as written (text fields escaped)."""
    rows: Rows = {
        "reports": [_row("reports", report, {"report_id": report_id})],
        "sections": [
            _row("sections", None, {"report_id": report_id, "section": s.code, "text": value})
            for s in TEXT_SECTIONS
            if (value := report.sections.__dict__.get(s.code)) is not None
        ],
    }
    for resource in TABLE_RESOURCES:
        rows[resource.name] = list(_table_rows(resource, report, report_id))
    rows["findings"] = [
        _row("findings", finding, {"report_id": report_id, "seq": seq})
        for seq, finding in enumerate(findings, start=1)
    ]
    rows["explanations"] = [
        _row("explanations", explanation, {"report_id": report_id}) for explanation in report.explanations
    ]
    return rows

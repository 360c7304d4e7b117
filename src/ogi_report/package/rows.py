"""One report -> its CSV rows in every resource of the package, written field by field as the
resources declare them (package/resources.py)."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from itertools import chain
from operator import attrgetter, call
from typing import Any

from ogi_report.findings import Finding
from ogi_report.layout import LAYOUTS, TEXT_SECTIONS, CellKind
from ogi_report.model import Report
from ogi_report.model.metadata import UNNAMED_AGENCY
from ogi_report.model.tables import table_model
from ogi_report.package.fields import CELL_WRITERS
from ogi_report.package.resources import TABLE_RESOURCES, TableResource, fields_of

Rows = dict[str, list[list[str]]]  # resource name -> CSV rows (without header), as written


def agency_key(report: Report) -> str:
    """The same agency across years: its credit code, else its normalised name and division. A
    report whose source never names its agency has no identity to share: its key is its own
    (`unnamed-` and a hash of where it was published, else of its content), so it is never paired
    with another agency's report, across years or as a version of it."""
    if report.agency.code:
        return report.agency.code
    division = report.agency.division_code or "na"
    if report.agency.name == UNNAMED_AGENCY:
        own = report.source_url or report.model_dump_json()
        return f"{division}-unnamed-{hashlib.sha256(own.encode()).hexdigest()[:10]}"
    name = "".join(unicodedata.normalize("NFKC", report.agency.name).split())
    return f"{division}-{hashlib.sha256(name.encode()).hexdigest()[:10]}"


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


def table_resource_rows(resource: TableResource, report: Report, report_id: str) -> Iterator[list[str]]:
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
    rows = document_rows(report, report_id, findings)
    for resource in TABLE_RESOURCES:
        rows[resource.name] = list(table_resource_rows(resource, report, report_id))
    return rows


def document_rows(report: Report, report_id: str, findings: tuple[Finding, ...]) -> Rows:
    """The report's rows in the resources other than its tables: metadata, sections, findings,
    explanations."""
    return {
        "reports": [_row("reports", report, {"report_id": report_id})],
        "sections": [
            _row("sections", None, {"report_id": report_id, "section": s.code, "text": value})
            for s in TEXT_SECTIONS
            if (value := report.sections.__dict__.get(s.code)) is not None
        ],
        "findings": [
            _row("findings", finding, {"report_id": report_id, "seq": seq})
            for seq, finding in enumerate(findings, start=1)
        ],
        "explanations": [
            _row("explanations", explanation, {"report_id": report_id}) for explanation in report.explanations
        ],
    }


_CSV_SPECIAL = frozenset(',"\n\r')


def plain_csv(text: str) -> bool:
    """Whether csv.writer writes the text as it is (no quotes): no comma, quote or line break."""
    return _CSV_SPECIAL.isdisjoint(text)


_ID = "\x00"  # where a template's lines take the report id
_CELLS: Callable[[Any], dict[str, Any]] = attrgetter("__dict__")  # of a row model


@cache
def _template(resource: TableResource, layout_code: str) -> str | None:
    """The resource's CSV lines for a layout as a %-template over every cell of the table in the
    model's order (rows, then each row's columns): `%s` where a row has the column, blank where it
    does not, the id as `_ID`. A count's or an amount's `str` is its CSV text unless it is blank,
    negative or in exponent notation ("None", "-", "E"), which `table_text` looks for. None when a
    row key needs quotes or holds one of those marks, or the rows are in another order than the
    model's."""
    codes, encoders, columns = _plan(resource, layout_code)
    table = LAYOUTS[layout_code].table(resource.table)
    if [code for code, _ in codes] != list(table_model(table).model_fields):
        return None
    if not set(encoders) <= set(CELL_WRITERS.values()):
        return None
    rows = {row.code: row for row in table.data_rows}
    lines = []
    for code, key in codes:
        own = rows[code].columns
        if not plain_csv(key) or set("NE-%" + _ID) & set(key):
            return None  # a key csv.writer would quote, or holding a mark `table_text` looks for
        if [c for c in columns if c in own] != list(own):
            return None  # the row's cells in another order than the resource's columns
        lines.append(f"{_ID},{key}," + ",".join("%s" if c in own else "" for c in columns) + "\n")
    return "".join(lines)


def table_text(resource: TableResource, report: Report, report_id: str) -> str | None:
    """The report's CSV lines in a table resource, exactly as csv.writer writes
    `table_resource_rows` (tested), made in one C call: the layout's template filled with every
    cell. None when that cannot be (a blank, a negative or an amount in exponent form, an id that
    needs quotes): csv.writer then writes the rows."""
    table = report.table(resource.table)
    if table is None or report.format not in resource.layouts:
        return ""
    template = _template(resource, report.format)
    written_id = fields_of(resource.name)[0].encode(report_id)
    if template is None or not plain_csv(written_id):
        return None
    cells = chain.from_iterable(map(dict.values, map(_CELLS, table.__dict__.values())))
    text = template % tuple(cells)
    if "N" in text or "-" in text or "E" in text:  # a blank ("None"), a negative, an exponent
        return None
    return text.replace(_ID, written_id)

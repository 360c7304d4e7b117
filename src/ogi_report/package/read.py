"""Read a package back into report models, exactly (package -> models -> package: same bytes).

Values the package keeps out of its tables are restored from its findings: a negative count from
its CELL-NEGATIVE finding, an unreadable cell's text from its CELL-TYPE finding. Text fields are
unescaped as they are read (package/escape.py): the functions taking rows take them unescaped.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ogi_report.errors import ReportError
from ogi_report.layout import LAYOUTS, TEXT_SECTIONS, CellKind, Layout
from ogi_report.model import REPORT_ADAPTER, Report2021
from ogi_report.model.cells import money_input
from ogi_report.package.descriptor import load_descriptor, resource_path
from ogi_report.package.escape import unescape_text
from ogi_report.package.fields import MISSING, Field
from ogi_report.package.resources import (
    OPTIONAL_RESOURCES,
    RESOURCE_NAMES,
    TABLE_RESOURCES,
    field_names,
    fields_of,
    string_fields,
)
from ogi_report.readers import LoadedReport, parse_report
from ogi_report.rules.engine import ReportView, view_of

csv.field_size_limit(1 << 24)
Grouped = dict[str, dict[str, list[dict[str, str]]]]  # resource name -> report id -> its rows


def _rows(path: Path, name: str, source: str) -> list[dict[str, str]]:
    """The rows of a resource file, text fields unescaped."""
    texts = string_fields(name)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header != field_names(name):
                raise ReportError(f"columns {header} are not {field_names(name)}", source=str(path))
            rows = [dict(zip(header, row, strict=True)) for row in reader]
            for row in rows:
                for field in texts:
                    row[field] = unescape_text(row[field])
            return rows
    except (OSError, UnicodeDecodeError, ValueError, csv.Error) as exc:
        if isinstance(exc, ReportError):
            raise
        raise ReportError(f"cannot read resource {name}: {exc}", source=source) from None


def put_at(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set a value at a model path in the model's input (by the model's own key: `note` is
    `_note`)."""
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[_INPUT_KEYS.get(path, path[-1])] = value


# Model paths whose input key differs from the attribute's name (the model's aliases).
_INPUT_KEYS: dict[tuple[str, ...], str] = {
    (name,): info.alias for name, info in Report2021.model_fields.items() if info.alias is not None
}


def _tables_data(layout: Layout, grouped: Grouped, report_id: str) -> dict[str, Any]:
    """The report's tables in its layout, each cell read by its field's codec (a missing row's
    cells as blanks; a repeated row's last copy)."""
    data: dict[str, Any] = {}
    for resource, table_code, key, plan in _table_plans(layout.code):
        found = {r[key]: r for r in grouped[resource].get(report_id, ())}
        if not found:
            data[table_code] = None
            continue
        table: dict[str, dict[str, Any]] = {}
        for code, readers in plan:
            row = found.get(code)
            if row is None:
                table[code] = {column: read(MISSING) for column, read in readers}
            else:
                table[code] = {column: read(row[column]) for column, read in readers}
        data[table_code] = table
    return data


Plan = tuple[tuple[str, tuple[tuple[str, Callable[[str], Any]], ...]], ...]  # row -> (column, read)


@cache
def _table_plans(layout_code: str) -> tuple[tuple[str, str, str, Plan], ...]:
    """Per table resource of a layout: its name, table code, row-code column and, per data row
    of the table, its cells' readers (the hot loop of a bulk validation's flagged reports)."""
    layout = LAYOUTS[layout_code]
    plans = []
    for resource in TABLE_RESOURCES:
        if layout_code not in resource.layouts:
            continue
        table = layout.table(resource.table)
        fields = _cell_fields(resource.name)
        plan = tuple((row.code, tuple((c, fields[c].read) for c in row.columns)) for row in table.data_rows)
        plans.append((resource.name, table.code, resource.key, plan))
    return tuple(plans)


@cache
def _cell_fields(name: str) -> dict[str, Field]:
    return {f.name: f for f in fields_of(name) if f.kind is not None}


def _report_data(
    head: dict[str, str], grouped: Grouped, report_id: str
) -> tuple[dict[str, Any], dict[str, str]]:
    data: dict[str, Any] = {"sections": {s.code: None for s in TEXT_SECTIONS}}
    for field in fields_of("reports"):
        if field.path:
            put_at(data, field.path, field.read(head[field.name]))
    for row in grouped["sections"].get(report_id, []):
        data["sections"][row["section"]] = row["text"]
    explained = [
        {f.path[0]: f.read(row[f.name]) for f in fields_of("explanations") if f.path}
        for row in grouped.get("explanations", {}).get(report_id, [])
    ]
    if explained:
        data["explanations"] = explained
    layout = LAYOUTS.get(head["format"])
    if layout is None:
        return data, {}
    data |= _tables_data(layout, grouped, report_id)
    return data, _restore(data, grouped["findings"].get(report_id, []))


def _restore(data: dict[str, Any], findings: list[dict[str, str]]) -> dict[str, str]:
    """Put back what the tables could not hold; return the unreadable cells' texts."""
    unreadable: dict[str, str] = {}
    for finding in findings:
        if finding["rule"] == "CELL-NEGATIVE":
            table, row, column = finding["cells"].split(" ")[0].split(".")
            if data.get(table) and row in data[table] and column in data[table][row]:
                data[table][row][column] = _cell_field(data["format"], table, column).read(finding["stated"])
        elif finding["rule"] == "CELL-TYPE":
            unreadable[finding["cells"].split(" ")[0]] = finding["stated"]
    return unreadable


def _cell_field(layout_code: str, table: str, column: str) -> Field:
    """The declared field of a cell of a table in a layout."""
    resource = next(r for r in TABLE_RESOURCES if r.table == table and layout_code in r.layouts)
    return _cell_fields(resource.name)[column]


def view_from_rows(head: dict[str, str], grouped: Grouped) -> tuple[ReportView, dict[str, Any]]:
    """What the rules read of one report, straight from its rows: the bulk validator's fast path.

    Metadata goes through the model (tables left out, so it is cheap); cells are converted here
    exactly as the model would (strict integers; plain bounded decimals), unreadable ones recorded.
    Whatever the model would refuse raises the model's own ReportError.
    """
    report_id = head["report_id"]
    data, restored = _report_data(head, grouped, report_id)
    layout = LAYOUTS.get(data["format"])
    codes = [t.code for t in layout.tables] if layout else []
    try:
        meta = REPORT_ADAPTER.validate_python({**data, **dict.fromkeys(codes)})
    except ValidationError:
        parse_report(data, source=report_id)  # raises the ReportError the model path raises
        raise
    assert layout is not None
    unreadable: dict[str, Any] = {}
    tables: dict[str, Any] = {}
    for code in codes:
        table, layout_table = data[code], layout.table(code)
        if table is None:
            tables[code] = None
            continue
        for row_code, cells in table.items():
            for column, value in cells.items():
                if isinstance(value, str):
                    cells[column] = _cell(value, layout_table.column(column).kind)
                    if cells[column] is None:
                        unreadable[f"{code}.{row_code}.{column}"] = value
        tables[code] = table
    unreadable.update(restored)
    return view_of(meta, tables), unreadable


def _cell(text: str, kind: CellKind) -> Decimal | None:
    """A text cell as the model takes it: an amount if it is a plain bounded decimal, else unreadable."""
    if kind is not CellKind.MONEY:
        return None  # counts are strict integers: text never is one
    try:
        value = money_input(text)
    except ValueError:
        return None
    return value if isinstance(value, Decimal) else None


def report_from_rows(head: dict[str, str], grouped: Grouped) -> LoadedReport:
    """One report from its row in `reports` and its rows in the other resources (by report id)."""
    report_id = head["report_id"]
    data, unreadable = _report_data(head, grouped, report_id)
    loaded = parse_report(data, source=report_id)
    loaded.unreadable.update(unreadable)
    return loaded


def read_package(path: str | Path, *, allow_unsafe_paths: bool = False) -> Iterator[LoadedReport]:
    """The reports of a package, in package order, with their unreadable cells."""
    source = str(path)
    descriptor = load_descriptor(path)
    base = Path(path).parent
    by_name = {r.get("name"): r for r in descriptor["resources"] if isinstance(r, dict)}
    missing = [n for n in RESOURCE_NAMES if n not in by_name and n not in OPTIONAL_RESOURCES]
    if missing:
        raise ReportError(f"missing resource(s): {', '.join(missing)}", source=source)
    grouped: dict[str, dict[str, list[dict[str, str]]]] = {}
    for name in RESOURCE_NAMES[1:]:
        if name not in by_name:  # an optional resource the package lacks
            continue
        file = resource_path(base, by_name[name], allow_unsafe_paths=allow_unsafe_paths, source=source)
        rows: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in _rows(file, name, source):
            rows[row["report_id"]].append(row)
        grouped[name] = rows
    reports_file = resource_path(
        base, by_name["reports"], allow_unsafe_paths=allow_unsafe_paths, source=source
    )
    for head in _rows(reports_file, "reports", source):
        yield report_from_rows(head, grouped)

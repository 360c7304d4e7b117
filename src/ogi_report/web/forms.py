"""The desk's form: every input named by its cell code (`applications.granted.total`) or metadata key
(`agency.name`, `_note`), every value kept as the text the publisher typed, so a page can be shown
again exactly as it was submitted."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from ogi_report.documents import MetadataField, metadata_fields
from ogi_report.layout import TEXT_SECTIONS, CellKind, Layout
from ogi_report.model import Report
from ogi_report.model.report import FINGERPRINT_PATTERN
from ogi_report.readers import LoadedReport

Values = dict[str, str]

SECTION = "sections."
EXPLAIN = "explain:"  # explain:<fingerprint> -> the text
EXPLAIN_BY = "explain_by:"
EXPLAIN_AT = "explain_at:"

_INTEGER = re.compile(r"-?[0-9]{1,18}")
_FINGERPRINT = re.compile(FINGERPRINT_PATTERN)


def fields(layout: Layout) -> tuple[MetadataField, ...]:
    """The metadata inputs of a layout (the layout code itself is fixed by the form)."""
    return tuple(f for f in metadata_fields(layout) if not f.fixed)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _get(data: Mapping[str, Any], key: str) -> Any:
    head, _, rest = key.partition(".")
    value = data.get(head)
    return _get(value, rest) if rest and isinstance(value, Mapping) else None if rest else value


def report_values(loaded: LoadedReport) -> Values:
    """The form values of a report as read; an unreadable cell shows what the source wrote."""
    report = loaded.report
    data = report.to_dict()
    values: Values = {f.key: _text(_get(data, f.key)) for f in fields(report.layout)}
    values |= {SECTION + s.code: _text(data["sections"].get(s.code)) for s in TEXT_SECTIONS}
    for path in report.layout.cell_paths():
        table, row, column = path.split(".")
        values[path] = _text(((data.get(table) or {}).get(row) or {}).get(column))
    values |= {path: _text(text) for path, text in loaded.unreadable.items()}
    for explanation in report.explanations:
        values[EXPLAIN + explanation.fingerprint] = explanation.text
        values[EXPLAIN_BY + explanation.fingerprint] = explanation.by or ""
        values[EXPLAIN_AT + explanation.fingerprint] = _text(explanation.at)
    return values


def _cell(text: str, kind: CellKind) -> Any:
    """A typed cell: a whole number, an amount as written, blank; anything else is kept as written
    (the reader records it and rule CELL-TYPE names it)."""
    text = text.strip()
    if not text:
        return None
    if kind is not CellKind.MONEY and _INTEGER.fullmatch(text):
        return int(text)
    return text


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    head, _, rest = key.partition(".")
    if rest:
        _put(data.setdefault(head, {}), rest, value)
    else:
        data[head] = value


def form_data(values: Mapping[str, str], layout: Layout, today: date) -> dict[str, Any]:
    """The report's JSON shape from the form; a new explanation is dated `today`."""
    data: dict[str, Any] = {"format": layout.code, "agency": {}}
    for field in fields(layout):
        text = values.get(field.key, "").strip()
        if text:
            _put(data, field.key, int(text) if field.kind == "integer" and _INTEGER.fullmatch(text) else text)
    data["sections"] = {
        s.code: values[SECTION + s.code] for s in TEXT_SECTIONS if values.get(SECTION + s.code, "").strip()
    }
    for table in layout.tables:
        data[table.code] = {
            row.code: {
                code: _cell(values.get(f"{table.code}.{row.code}.{code}", ""), table.column(code).kind)
                for code in row.columns
            }
            for row in table.data_rows
        }
    explanations = []
    for key, text in values.items():
        mark = key.removeprefix(EXPLAIN)
        if key.startswith(EXPLAIN) and _FINGERPRINT.fullmatch(mark) and text.strip():
            explanations.append(
                {
                    "fingerprint": mark,
                    "text": text.strip(),
                    "by": values.get(EXPLAIN_BY + mark, "").strip() or None,
                    # dated when first given; one given before keeps its date, or its lack of one
                    "at": values[EXPLAIN_AT + mark].strip() or None
                    if EXPLAIN_AT + mark in values
                    else today.isoformat(),
                }
            )
    if explanations:
        data["explanations"] = explanations
    return data


def empty_values(layout: Layout) -> Values:
    """A new report's form: the current layout, nothing filled in."""
    return {"format": layout.code}


def values_of(report: Report) -> Values:
    return report_values(LoadedReport(report))

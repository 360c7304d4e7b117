"""Excel workbooks (.xlsx) -> the report model, rows and columns matched by their labels.

The workbook is expected to look like the template `ogi template` writes (sheets 元数据, 表二, 表三,
表四, 正文, named in `ogi_report.documents`), but nothing is read by fixed position: every row and
column is found by its label through the layout registry, with the same lenient matcher as a page
(`ogi_report.layout.labels`), so a workbook whose rows were moved or whose labels were retyped is
still read, and each such reading is noted.

Cells are read as written: numbers as numbers, blanks and placeholders (`/`, `-`, `—`, `无`, `暂无`:
the one vocabulary of `cell_text`, shared with the page reader) as None, other text (`12件`) as
text, which the model then reports as CELL-TYPE. A table sheet whose every input cell is empty was
not filled in: the table is read as absent (null), as from a source that lacks it. The place of every
cell and field read (`表三!D12`) is returned so that findings can name it.

Nothing in the file is executed or fetched: openpyxl reads the cached values of formulas
(`data_only=True`; a formula never calculated reads as blank) and external links are not loaded.
"""

from __future__ import annotations

import contextlib
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation, localcontext
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ogi_report.documents import (
    METADATA_SHEET,
    MetadataField,
    explanation_columns,
    explanations_sheet_name,
    metadata_fields,
    sections_sheet_name,
    table_sheet_name,
)
from ogi_report.errors import ReportError
from ogi_report.layout import LAYOUTS, CellKind, Layout, Row, Table
from ogi_report.layout.labels import match_column, match_row, match_section, normalise
from ogi_report.limits import limits, over
from ogi_report.notes import ReadingNote, note
from ogi_report.readers.cell_text import is_blank
from ogi_report.readers.loading import LoadedReport, check_regular_file, parse_report

MAX_COLUMNS = 60  # columns read from each sheet (rows: the limit workbook_rows)
_PLAIN_SHEET_NAME = re.compile(r"^\w+$")
_FIXED_PLACES = re.compile(r"^(?:#,##)?0(?:\.(0+))?$")
_ZIP_MAGIC = b"PK"

Raw = tuple[Any, str]  # a cell's value and its number format


@dataclass
class _Grid:
    """The values of one sheet (bounded), addressed from 0."""

    title: str
    rows: list[list[Raw]]

    def value(self, row: int, col: int) -> Raw:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return (None, "General")

    def place(self, row: int, col: int) -> str:
        return f"{sheet_ref(self.title)}!{get_column_letter(col + 1)}{row + 1}"

    def texts(self, row: int) -> list[tuple[int, str]]:
        return [(c, v.strip()) for c, (v, _) in enumerate(self.rows[row]) if isinstance(v, str) and v.strip()]

    def extent(self) -> str:
        width = max((len(r) for r in self.rows), default=1)
        return f"A1:{get_column_letter(max(width, 1))}{max(len(self.rows), 1)}"


def sheet_ref(title: str) -> str:
    """A sheet name as a cell reference writes it: quoted unless it is one word."""
    if _PLAIN_SHEET_NAME.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


@dataclass
class _Reading:
    """What reading one sheet gave: cell values by path, their places, and notes on the reading."""

    places: dict[str, str] = field(default_factory=dict)
    notes: list[ReadingNote] = field(default_factory=list)


class NotATemplate(ReportError):
    """The workbook is not laid out as the template (no metadata sheet): read it as a document."""


class _NoMatch(Exception):
    """This reading of a sheet found nothing to read (another orientation may)."""


# --- Opening -------------------------------------------------------------------------------------


def check_archive(path: Path, source: str) -> None:
    """A regular file, a zip archive (not an old .xls, not encrypted) within `workbook_bytes`."""
    check_regular_file(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise ReportError(f"cannot read: {exc.strerror or exc}", source=source) from None
    if not head:
        raise ReportError("not an Excel workbook (.xlsx): the file is empty", source=source)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReportError(
            "not an .xlsx workbook: an old .xls or an encrypted file; save it as .xlsx", source=source
        )
    if not head.startswith(_ZIP_MAGIC):
        raise ReportError("not an Excel workbook (.xlsx): the file is not a zip archive", source=source)
    try:
        with zipfile.ZipFile(path) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except Exception as exc:  # zipfile raises several kinds on a damaged archive: never a traceback
        raise ReportError(
            f"not an Excel workbook (.xlsx): broken zip archive ({_why(exc)})", source=source
        ) from None
    if size > limits().workbook_bytes:
        raise ReportError(over("workbook", "workbook_bytes", size) + " (uncompressed)", source=source)


def _why(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _read_grid(ws: Any) -> _Grid:
    ws.reset_dimensions()  # do not trust the stated size; read a bounded corner
    rows: list[list[Raw]] = []
    for row in ws.iter_rows(min_row=1, max_row=limits().workbook_rows, max_col=MAX_COLUMNS):
        cells: list[Raw] = [(c.value, getattr(c, "number_format", None) or "General") for c in row]
        while cells and cells[-1][0] is None:
            cells.pop()
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    return _Grid(ws.title, rows)


def _open(path: Path, source: str) -> list[_Grid]:
    check_archive(path, source)
    # A file object, not the path: openpyxl would refuse a workbook by its name (report.json).
    with path.open("rb") as handle:
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # openpyxl raises many kinds on a damaged file: never a traceback
            raise ReportError(f"not a readable Excel workbook (.xlsx): {_why(exc)}", source=source) from None
        try:
            return [_read_grid(ws) for ws in workbook.worksheets]
        except Exception as exc:
            raise ReportError(f"cannot read the workbook: {_why(exc)}", source=source) from None
        finally:
            workbook.close()


# --- Cell values ------------------------------------------------------------------------------------


def _other_value(raw: Any) -> str:
    """A value that is neither a number nor text (a date, a time, TRUE) as the text it shows."""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, datetime | date | time):
        return raw.isoformat()
    return str(raw)


def shown_text(raw: Any) -> str:
    """Any cell's value as the text it shows: a whole number without a decimal point, a date as
    ISO, TRUE / FALSE (what a workbook read as a document gives the page reader)."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, float):
        return format(Decimal(repr(raw)).normalize(), "f")
    return raw if isinstance(raw, str) else _other_value(raw)


def _money(raw: int | float, number_format: str) -> Decimal:
    """The amount a number cell shows: every stored digit, and the decimals its format shows."""
    amount = Decimal(raw) if isinstance(raw, int) else Decimal(repr(raw))
    shown = _FIXED_PLACES.match(number_format.split(";", 1)[0])
    places = len(shown.group(1) or "") if shown else 0
    exponent = amount.as_tuple().exponent
    if places and isinstance(exponent, int) and -exponent < places:
        with localcontext() as context:
            context.prec = 100
            with contextlib.suppress(InvalidOperation):
                amount = amount.quantize(Decimal(1).scaleb(-places))
    return amount


def cell_value(raw: Any, number_format: str, kind: CellKind) -> Any:
    """A table cell as written: a number, None for blank or a placeholder, else the text."""
    if raw is None:
        return None
    if isinstance(raw, str):
        return None if is_blank(raw) else raw.strip()
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return _other_value(raw)
    if kind is CellKind.MONEY:
        return _money(raw, number_format)
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    return raw


def _metadata_value(raw: Any, meta: MetadataField) -> Any:
    if raw is None or (isinstance(raw, str) and is_blank(raw)):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if meta.kind == "date" and isinstance(raw, datetime):
        return raw.date().isoformat()
    if meta.kind == "date" and isinstance(raw, date):
        return raw.isoformat()
    if meta.kind == "text" and not isinstance(raw, str):
        return _other_value(raw)
    if meta.choices and isinstance(raw, str):
        return raw.strip()
    return raw


def _text_value(raw: Any) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return raw if isinstance(raw, str) else _other_value(raw)


# --- Labels -------------------------------------------------------------------------------------------


def _match_column(table: Table, text: str) -> tuple[str | None, bool]:
    """(column code, exact) of the column label `text` is, or (None, False): the readers' one
    matcher (`layout.labels`), so a workbook takes the same label variants as a page."""
    column = match_column(table, text)
    if column is None:
        return None, False
    return column.code, normalise(column.label) == normalise(text)


def _edited(grid: _Grid, row: int, col: int, text: str, label: str, notes: list[ReadingNote]) -> None:
    if text != label:
        notes.append(note("LABEL-EDITED", grid.place(row, col), written=text, became=label))


@dataclass
class _TableCells:
    cells: dict[str, dict[str, Any]]
    reading: _Reading
    written: bool  # some input cell held something (a value, text or a placeholder)


def _blank_cells(table: Table) -> dict[str, dict[str, Any]]:
    return {r.code: dict.fromkeys(r.columns) for r in table.data_rows}


def _missing_notes(table: Table, grid: _Grid, seen: Iterable[str], notes: list[ReadingNote]) -> None:
    found = set(seen)
    for row in table.data_rows:
        if row.code not in found:
            notes.append(note("ROW-MISSING", sheet_ref(grid.title), table=table.code, row=row.label))


# --- Rows down the sheet (表二, 表三) -------------------------------------------------------------------


@dataclass
class _Header:
    first: int
    last: int
    columns: dict[str, list[int]]  # column code -> sheet columns (left to right)


def _read_down(table: Table, grid: _Grid) -> _TableCells:
    """Each data row found by its label; each cell under the nearest header naming its column."""
    headers: list[_Header] = []
    rows: list[tuple[int, int, Row]] = []  # (sheet row, label column, registry row)
    notes: list[ReadingNote] = []
    for r in range(len(grid.rows)):
        texts = grid.texts(r)
        columns = {c: _match_column(table, t) for c, t in texts}
        data = [
            (c, t, found)
            for c, t in texts
            if not columns[c][1] and (found := match_row(table, t)) is not None and not found.is_group
        ]
        if data:
            c, text, row = data[0]
            _edited(grid, r, c, text, row.label, notes)
            rows.append((r, c, row))
        elif any(code for code, _ in columns.values()):
            if not headers or headers[-1].last != r - 1:
                headers.append(_Header(r, r, {}))
            headers[-1].last = r
            for c, (code, exact) in sorted(columns.items()):
                if code is not None:
                    headers[-1].columns.setdefault(code, []).append(c)
                    if not exact:
                        _edited(grid, r, c, dict(texts)[c], table.column(code).label, notes)
        elif texts and any(isinstance(v, int | float) for v, _ in grid.rows[r]):
            notes.append(
                note("ROW-UNKNOWN", grid.place(r, texts[0][0]), written=texts[0][1], table=table.code)
            )
    if not rows:
        raise _NoMatch(f"no row label of table {table.label} recognised in {grid.extent()}")
    if not headers:
        raise _NoMatch(f"no column label of table {table.label} recognised in {grid.extent()}")
    cells = _blank_cells(table)
    reading = _Reading(notes=notes)
    written = False
    seen: dict[str, str] = {}  # row code -> place of its label
    for r, label_col, row in rows:
        if row.code in seen:
            raise ReportError(
                f"two rows read as {row.label!r}: {seen[row.code]} and {grid.place(r, label_col)}",
                location=grid.place(r, label_col),
            )
        seen[row.code] = grid.place(r, label_col)
        nearest = sorted(headers, key=lambda h: (h.last >= r, abs(h.last - r)))
        for code in row.columns:
            col = next(
                (c for h in nearest for c in h.columns.get(code, ()) if c > label_col),
                None,
            )
            column = table.column(code)
            if col is None:
                notes.append(
                    note(
                        "COLUMN-MISSING",
                        grid.place(r, label_col),
                        table=table.code,
                        row=row.label,
                        column=column.label,
                    )
                )
                continue
            raw, number_format = grid.value(r, col)
            written = written or raw is not None
            cells[row.code][code] = cell_value(raw, number_format, column.kind)
            reading.places[f"{table.code}.{row.code}.{code}"] = grid.place(r, col)
    order = [row.code for _, _, row in rows]
    if order != [r.code for r in table.data_rows if r.code in seen]:
        notes.append(note("ROWS-REORDERED", sheet_ref(grid.title), table=table.code))
    _missing_notes(table, grid, seen, notes)
    return _TableCells(cells, reading, written)


# --- Rows side by side (表四) ---------------------------------------------------------------------------


def _read_across(table: Table, grid: _Grid) -> _TableCells:
    """Each row a block of columns under its label; each cell below its column label."""
    blocks: list[tuple[int, int, Row]] = []
    labels: list[tuple[int, int, str]] = []
    notes: list[ReadingNote] = []
    for r in range(len(grid.rows)):
        for c, text in grid.texts(r):
            code, exact = _match_column(table, text)
            if exact or (code is not None and match_row(table, text) is None):
                labels.append((r, c, code or ""))
                if not exact and code is not None:
                    _edited(grid, r, c, text, table.column(code).label, notes)
                continue
            row = match_row(table, text)
            if row is not None and not row.is_group:
                blocks.append((r, c, row))
                _edited(grid, r, c, text, row.label, notes)
    cells = _blank_cells(table)
    reading = _Reading(notes=notes)
    written = False
    seen: dict[str, str] = {}
    for r, c, code in labels:
        owners = [(bc, br, row) for br, bc, row in blocks if br < r and bc <= c and code in row.columns]
        if not owners:
            continue
        _, _, row = max(owners, key=lambda o: (o[0], o[1]))
        path = f"{table.code}.{row.code}.{code}"
        if path in seen:
            raise ReportError(
                f"two cells read as {row.label} / {table.column(code).label}: {seen[path]} and "
                f"{grid.place(r + 1, c)}",
                location=grid.place(r + 1, c),
            )
        raw, number_format = grid.value(r + 1, c)
        written = written or raw is not None
        cells[row.code][code] = cell_value(raw, number_format, table.column(code).kind)
        seen[path] = reading.places[path] = grid.place(r + 1, c)
    if not seen:
        raise _NoMatch(f"no row and column labels of table {table.label} recognised in {grid.extent()}")
    found = {path.split(".")[1] for path in seen}
    for row in table.data_rows:
        for code in row.columns:
            if row.code in found and f"{table.code}.{row.code}.{code}" not in seen:
                column = table.column(code).label
                notes.append(
                    note(
                        "COLUMN-MISSING",
                        sheet_ref(grid.title),
                        table=table.code,
                        row=row.label,
                        column=column,
                    )
                )
    _missing_notes(table, grid, found, notes)
    return _TableCells(cells, reading, written)


def _read_table(table: Table, grid: _Grid) -> _TableCells:
    """The table in its official orientation, else in the other one."""
    readers = (_read_across, _read_down) if table.rows_across else (_read_down, _read_across)
    try:
        return readers[0](table, grid)
    except _NoMatch as first:
        try:
            return readers[1](table, grid)
        except _NoMatch:
            raise ReportError(str(first), location=sheet_ref(grid.title)) from None


# --- Sheets --------------------------------------------------------------------------------------------


def _find_sheet(grids: list[_Grid], name: str, title: str | None, notes: list[ReadingNote]) -> _Grid | None:
    """The sheet called `name` (leniently), else one whose first rows hold the label `title`."""
    for grid in grids:
        if grid.title == name:
            return grid
    for grid in grids:
        if normalise(grid.title) == normalise(name):
            notes.append(note("SHEET-RENAMED", sheet_ref(grid.title), written=grid.title, became=name))
            return grid
    if title is not None:
        key = normalise(title)
        for grid in grids:
            if any(normalise(t) == key for r in range(min(5, len(grid.rows))) for _, t in grid.texts(r)):
                notes.append(
                    note(
                        "SHEET-BY-TABLE", sheet_ref(grid.title), written=grid.title, became=name, table=title
                    )
                )
                return grid
    return None


def _sheet_list(grids: list[_Grid]) -> str:
    return ", ".join(g.title for g in grids) or "none"


def _labelled_values(grid: _Grid, match: Callable[[str], str | None]) -> dict[str, tuple[Any, int, int]]:
    """key -> (value, row, col) of the cell right of each label `match` knows (first occurrence)."""
    found: dict[str, tuple[Any, int, int]] = {}
    for r in range(len(grid.rows)):
        for c, text in grid.texts(r):
            key = match(text)
            if key is not None and key not in found:
                found[key] = (grid.value(r, c + 1)[0], r, c + 1)
                break
    return found


def _titles(keys: dict[str, str]) -> Callable[[str], str | None]:
    """Metadata field titles -> keys, compared in the readers' one comparable form of a label."""
    index = {normalise(title): key for title, key in keys.items()}
    return lambda text: index.get(normalise(text))


def _text_section(text: str) -> str | None:
    """The narrative section a 正文 label names, with the heading variants a page is read with."""
    section = match_section(text)
    return section.code if section is not None and section.table is None else None


def _set(data: dict[str, Any], key: str, value: Any) -> None:
    *parents, last = key.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def _read_metadata(
    grids: list[_Grid], source: str, notes: list[ReadingNote]
) -> tuple[Layout, dict[str, Any], _Reading]:
    grid = _find_sheet(grids, METADATA_SHEET, None, notes)
    if grid is None:
        raise NotATemplate(
            f"the workbook has no sheet {METADATA_SHEET} (sheets: {_sheet_list(grids)})",
            source=source,
            location=METADATA_SHEET,
        )
    any_layout = next(iter(LAYOUTS.values()))
    format_field = next(f for f in metadata_fields(any_layout) if f.fixed)
    found = _labelled_values(grid, _titles({format_field.title: format_field.key}))
    if format_field.key not in found:
        raise ReportError(
            f"no row labelled {format_field.title} (the layout: {' or '.join(LAYOUTS)})",
            source=source,
            location=f"{sheet_ref(grid.title)}!A1",
        )
    raw, r, c = found[format_field.key]
    code = str(_metadata_value(raw, format_field) or "").strip()
    if code not in LAYOUTS:
        raise ReportError(
            f"{format_field.title} must be {' or '.join(LAYOUTS)} (got {raw!r})",
            source=source,
            location=grid.place(r, c),
        )
    layout = LAYOUTS[code]
    fields = {f.key: f for f in metadata_fields(layout)}
    values = _labelled_values(grid, _titles({f.title: f.key for f in fields.values()}))
    data: dict[str, Any] = {}
    reading = _Reading()
    for key, (raw, r, c) in values.items():
        reading.places[key] = grid.place(r, c)
        value = _metadata_value(raw, fields[key])
        if value is not None:
            _set(data, key, value)
    data[format_field.key] = layout.code
    data.setdefault("agency", {})
    return layout, data, reading


def _read_sections(
    grids: list[_Grid], layout: Layout, notes: list[ReadingNote]
) -> tuple[dict[str, Any], _Reading]:
    name = sections_sheet_name(layout)
    grid = _find_sheet(grids, name, None, notes)
    reading = _Reading()
    if grid is None:
        notes.append(note("SHEET-MISSING", became=name))
        return {}, reading
    texts: dict[str, Any] = {}
    for code, (raw, r, c) in _labelled_values(grid, _text_section).items():
        texts[code] = _text_value(raw)
        reading.places[f"sections.{code}"] = grid.place(r, c)
    return texts, reading


def _read_explanations(grids: list[_Grid], layout: Layout) -> list[dict[str, Any]]:
    """The explanations sheet, when the workbook has one: a row an explanation, columns by the
    header's titles (the model's field titles, matched leniently); empty rows skipped."""
    name = explanations_sheet_name(layout)
    grid = next((g for g in grids if normalise(g.title) == normalise(name)), None)
    if grid is None or not grid.rows:
        return []
    titles = {normalise(title): field for field, title in explanation_columns()}
    header = {c: titles.get(normalise(str(raw or ""))) for c, (raw, _) in enumerate(grid.rows[0])}
    found = []
    for r in range(1, len(grid.rows)):
        values = {f: _text_value(grid.value(r, c)[0]) for c, f in header.items() if f is not None}
        if any(v is not None for v in values.values()):
            found.append({f: v for f, v in values.items() if v is not None})
    return found


def read_workbook(path: str | Path) -> LoadedReport:
    """Read an .xlsx report (see the module doc). ReportError, naming the file and the sheet or
    cell, when the file is not a workbook or its tables cannot be found."""
    p = Path(path)
    source = str(p)
    grids = _open(p, source)
    notes: list[ReadingNote] = []
    layout, data, metadata = _read_metadata(grids, source, notes)
    places = dict(metadata.places)
    sections, section_reading = _read_sections(grids, layout, notes)
    data["sections"] = sections
    places.update(section_reading.places)
    if explained := _read_explanations(grids, layout):
        data["explanations"] = explained
    for table in layout.tables:
        name = table_sheet_name(table)
        grid = _find_sheet(grids, name, table.label, notes)
        if grid is None:
            raise ReportError(
                f"the workbook has no sheet {name} for table {table.label} (sheets: {_sheet_list(grids)})",
                source=source,
                location=name,
            )
        try:
            read = _read_table(table, grid)
        except ReportError as exc:
            raise exc.with_source(source) from None
        places[table.code] = grid.place(0, 0)
        places.update(read.reading.places)
        notes += read.reading.notes
        # A table whose every cell is empty was not filled in: absent, as in a source without it.
        data[table.code] = read.cells if read.written else None
    try:
        loaded = parse_report(data, source=source)
    except ReportError as exc:
        where = places.get(exc.location or "")
        raise ReportError(
            exc.message, source=source, location=f"{where} ({exc.location})" if where else exc.location
        ) from None
    loaded.places = places
    loaded.notes = notes
    return loaded

"""Workbooks not laid out as the template -> the blocks of a page, read by the page reader's core.

A workbook the template did not make (the official tables drawn in a sheet as a document draws them,
a published page's tables pasted into a sheet) is read as a document is: each sheet top to bottom,
rows holding one text (a title, a section heading, prose) as lines and the rows between a section's
first and last row of several cells as one table, a merged cell being one cell (the cells a merge
covers are not cells of their own, as a spanned cell of an HTML table is not). A sheet may keep no
empty cells (LibreOffice's paste of a page keeps none): a row whose every figure stands under a
header cell takes the header columns it leaves empty as its empty cells; an empty cell elsewhere is
no cell, so a row still short of cells has none of its figures placed. From there the report is read
as a page is, and cells are placed as a workbook names them (`Sheet1!H50`).

The archive is checked as for the template (`excel.check_archive`) and read as the template is, a
bounded corner of each sheet in read-only mode; the merges, which read-only mode does not give, are
scanned from each sheet's XML within `workbook_bytes` (at most `MAX_MERGES`). Nothing in the file is
run or fetched.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from ogi_report.errors import ReportError
from ogi_report.layout import LAYOUTS
from ogi_report.layout.labels import match_column, match_section
from ogi_report.limits import limits, over
from ogi_report.readers.cell_text import is_value
from ogi_report.readers.excel import MAX_COLUMNS, check_archive, sheet_ref, shown_text
from ogi_report.readers.page import ExtractedReport, build_report
from ogi_report.readers.page_tables import Token
from ogi_report.readers.table_names import TableNamer
from ogi_report.readers.text_page import Block, Grid, Line, PageText

Cell = tuple[int, str]  # sheet column (from 1), its text
_Row = tuple[int, list[Cell]]  # sheet row (from 1), its cells


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3}[0-9]{1,7}(?::[A-Z]{1,3}[0-9]{1,7})?)"')
_CHUNK = 1 << 20
MAX_MERGES = 10_000  # merged ranges a sheet may have (a report's sheet has a few hundred)


def _merges(archive: zipfile.ZipFile, member: str, source: str) -> list[str]:
    """The merged ranges a sheet's XML lists (`A1:D1`), scanned in chunks within `workbook_bytes`:
    a read-only sheet does not tell them, and a full load would hold the whole sheet in memory."""
    found: list[str] = []
    budget, read, tail = limits().workbook_bytes, 0, b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            read += len(chunk)
            if read > budget:
                raise ReportError(over("workbook", "workbook_bytes", read) + " (uncompressed)", source=source)
            text = tail + chunk
            cut = max(text.rfind(b"<"), len(tail))  # a tag broken by the chunk waits for the next
            found += [m.decode() for m in _MERGE.findall(text, 0, cut)]
            tail = text[cut:]
            if len(found) > MAX_MERGES:
                raise ReportError(
                    f"a sheet with over {MAX_MERGES:,} merged cells: not a report", source=source
                )
    return found + [m.decode() for m in _MERGE.findall(tail)]


def _covered(ranges: list[str], sheet: str) -> set[tuple[int, int]]:
    """The (row, column) of every cell a merge covers (not its first cell), in the corner read.
    Merges never overlap in a workbook Excel wrote, so together they cover the corner at most once."""
    covered: set[tuple[int, int]] = set()
    corner = limits().workbook_rows * MAX_COLUMNS
    walked = 0
    for ref in ranges:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if min_col is None or min_row is None or max_col is None or max_row is None:
            continue  # a whole row or column: no report merges one
        rows = range(min_row, min(max_row, limits().workbook_rows) + 1)
        cols = range(min_col, min(max_col, MAX_COLUMNS) + 1)
        walked += len(rows) * len(cols)
        if walked > corner:
            raise ReportError("merged cells that overlap: not a workbook Excel wrote", location=sheet)
        covered.update((r, c) for r in rows for c in cols if (r, c) != (min_row, min_col))
    return covered


def _rows(ws: Any, covered: set[tuple[int, int]]) -> Iterator[_Row]:
    """The sheet's rows (bounded), each its cells left to right: the cells a merge covers skipped."""
    ws.reset_dimensions()  # do not trust the stated size; read a bounded corner
    rows = ws.iter_rows(min_row=1, max_row=limits().workbook_rows, min_col=1, max_col=MAX_COLUMNS)
    for r, row in enumerate(rows, 1):
        shown = [(c, cell.value) for c, cell in enumerate(row, 1) if cell.value is not None]
        yield r, [(c, shown_text(value)) for c, value in shown if (r, c) not in covered]


_TABLES = [table for layout in LAYOUTS.values() for table in layout.tables]


def _header_columns(rows: list[_Row]) -> set[int]:
    """The sheet columns where a cell naming a column of the official tables stands (自然人, 总计)."""
    return {
        col
        for _, cells in rows
        for col, text in cells
        if not is_value(text) and any(match_column(table, text) for table in _TABLES)
    }


def _with_empty_cells(
    r: int, cells: list[Cell], columns: set[int], covered: set[tuple[int, int]]
) -> list[Cell]:
    """A row whose every figure stands under a header cell, with an empty cell under each other
    header cell right of its first cell that the sheet left empty (not merged away): a sheet that
    keeps no empty cells (LibreOffice's paste of a page) shows its blanks by their columns."""
    figures = {col for col, text in cells if text.strip() and is_value(text)}
    if not figures or not figures <= columns:
        return cells
    start = min(col for col, text in cells if text.strip())
    shown = {col for col, _ in cells}
    empty = [(col, "") for col in columns if col > start and col not in shown and (r, col) not in covered]
    return sorted(cells + empty)


def _written(cells: list[Cell]) -> list[Cell]:
    return [(col, text) for col, text in cells if text.strip()]


def _sheet_blocks(ws: Any, merges: list[str] | None, namer: TableNamer, count: list[int]) -> list[Block]:
    """One sheet's lines and tables: the rows of each section between its first and last row of
    several cells are a table; every other row with text is a line. `merges` None: not known, so no
    empty cell is taken for a blank (it may be one a merge covers)."""
    covered = _covered(merges or [], sheet_ref(ws.title))
    rows = [(r, cells) for r, cells in _rows(ws, covered) if _written(cells)]
    regions: list[list[_Row]] = [[]]
    for r, cells in rows:
        written = _written(cells)
        if len(written) == 1 and match_section(written[0][1]) is not None:
            regions += [[(r, cells)], []]  # a section heading stands alone
        else:
            regions[-1].append((r, cells))
    blocks: list[Block] = []
    for region in regions:
        several = [n for n, (_, cells) in enumerate(region) if len(_written(cells)) > 1]
        first, last = (several[0], several[-1]) if several else (len(region), len(region))
        for r, cells in region[:first]:
            blocks.append(_line(ws, r, cells))
        if several:
            table = region[first : last + 1]
            columns = _header_columns(table) if merges is not None else set()
            table = [(r, _with_empty_cells(r, cells, columns, covered)) for r, cells in table]
            blocks.append(_grid(ws, table, namer, count))
        for r, cells in region[last + 1 :] if several else ():
            blocks.append(_line(ws, r, cells))
    return blocks


def _line(ws: Any, r: int, cells: list[Cell]) -> Line:
    text = " ".join(" ".join(t.split()) for _, t in _written(cells))
    return Line(text, f"{sheet_ref(ws.title)}!{get_column_letter(cells[0][0])}{r}")


def _grid(ws: Any, rows: list[_Row], namer: TableNamer, count: list[int]) -> Grid:
    count[0] += 1
    name = namer.name([t for _, cells in rows for _, t in cells], f"表格{count[0]}")
    tokens = tuple(
        Token(text, f"{sheet_ref(ws.title)}!{get_column_letter(col)}{r}", n)
        for n, (r, cells) in enumerate(rows, 1)
        for col, text in cells
    )
    # An empty cell elsewhere is no cell: a row still short of cells has none placed.
    return Grid(tokens, name, rows_known=True, blanks_shown=False)


def workbook_blocks(path: Path) -> PageText:
    """A workbook as a page: each sheet's lines and tables in order, and its title. Read-only, a
    bounded corner of each sheet (as the template is), its merges scanned from its XML."""
    source = str(path)
    check_archive(path, source)  # a zip archive within `workbook_bytes`, not an old .xls
    with path.open("rb") as handle, zipfile.ZipFile(path) as archive:
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # openpyxl raises many kinds on a damaged file: never a traceback
            what = f"{type(exc).__name__}: {' '.join(str(exc).split())[:160]}"
            raise ReportError(f"not a readable Excel workbook (.xlsx): {what}", source=source) from None
        try:
            namer, count, blocks = TableNamer(), [0], []
            for ws in workbook.worksheets:
                member = str(getattr(ws, "_worksheet_path", "")).lstrip("/")
                merges = _merges(archive, member, source) if member in archive.namelist() else None
                blocks += _sheet_blocks(ws, merges, namer, count)
            title = str(workbook.properties.title or "")
        except ReportError as exc:
            raise (exc if exc.source else exc.with_source(source)) from None
        except Exception as exc:
            what = f"{type(exc).__name__}: {' '.join(str(exc).split())[:160]}"
            raise ReportError(f"cannot read the workbook: {what}", source=source) from None
        finally:
            workbook.close()
    return PageText(blocks, [title] if title else [], {}, markup=True)


def extract_workbook(
    path: str | Path, *, agency: str | None = None, year: int | None = None
) -> ExtractedReport:
    """Read a workbook not laid out as the template as the page reader reads a page. ReportError
    when it is no workbook or holds no report."""
    p = Path(path)
    blocks = workbook_blocks(p)
    try:
        return build_report(blocks, source=str(p), agency=agency, year=year)
    except ReportError as exc:
        if exc.message.startswith("not a report page"):  # no heading, table or title in any sheet
            why = "not laid out as the template (`ogi template --format xlsx`), no report's tables in it"
            raise ReportError(f"not a report workbook: {why}", source=str(p)) from None
        raise (exc.with_source(str(p)) if not exc.source else exc) from None

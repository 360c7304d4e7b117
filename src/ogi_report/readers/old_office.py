"""Word and Excel files of the 97–2003 kind (.doc, .xls), as agencies' offices still save them (WPS
and Office alike): each is turned into the .docx or .xlsx the readers take, in a folder of its own,
and read from there; messages and places name the file the user gave.

- A workbook (.xls) is converted here, in Python: each sheet's bounded corner (`workbook_rows` rows,
  as the .xlsx readers read), its values, number formats and merged cells (xlrd), written as an
  .xlsx (openpyxl). Nothing else of the file is needed: the readers read values, never formulas.
- A Word document (.doc) has no reader in Python that keeps its tables; LibreOffice's converter is
  used when it is installed (`soffice`, as Debian's `libreoffice-writer-nogui` installs it), with a
  time limit and a profile of its own, at most two at once. Without it the error says so.

Both are Compound File (OLE) containers, told apart by the streams they hold (`Workbook`,
`WordDocument`); an encrypted .docx or .xlsx is such a container too (`EncryptedPackage`).
"""

from __future__ import annotations

import contextlib
import datetime
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from ogi_report.errors import ReportError
from ogi_report.limits import limits, over
from ogi_report.readers.loading import check_regular_file

MAX_SHEETS = 16  # sheets one workbook may have (a report's has one to six): more is refused
CONVERT_SECONDS = 60  # one LibreOffice conversion at most (a report takes one to five seconds)
_CONVERTING = threading.BoundedSemaphore(2)  # LibreOffice conversions at once (the desk serves many)


class OldKind(Enum):
    """What a Compound File holds."""

    WORKBOOK = "an Excel 97–2003 workbook (.xls)"
    WORD = "a Word 97–2003 document (.doc)"
    ENCRYPTED = "an encrypted Office file"
    OTHER = "an Office file of another kind (neither a Word document nor a workbook)"


_ENCRYPTION = ("EncryptionInfo", "EncryptedPackage")  # the streams of an encrypted .docx or .xlsx


def old_kind(path: Path, source: str) -> OldKind:
    """The kind of a Compound File, from the names of its streams (the file no larger than the
    larger of the limits on the .xlsx and .docx it may become)."""
    import olefile  # only when such a file is read

    size = check_regular_file(path)
    name = max(("workbook_bytes", "docx_bytes"), key=lambda n: int(getattr(limits(), n)))
    if size > getattr(limits(), name):
        raise ReportError(over("Office 97–2003 file", name, size), source=source)
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=False)}
    except Exception as exc:  # olefile raises several kinds on a damaged container: never a traceback
        with path.open("rb") as handle:
            if names_encryption(handle.read(1 << 20)):  # what it says of itself, where it says it
                return OldKind.ENCRYPTED
        raise ReportError(f"not a readable Office 97–2003 file: {_why(exc)}", source=source) from None
    if streams & set(_ENCRYPTION):
        return OldKind.ENCRYPTED
    if streams & {"Workbook", "Book"}:
        return OldKind.WORKBOOK
    if "WordDocument" in streams:
        return OldKind.WORD
    return OldKind.OTHER


def names_encryption(head: bytes) -> bool:
    """Whether the first bytes of a Compound File name an encryption stream (its directory holds
    stream names in UTF-16): how an encrypted file is told where the container cannot be read."""
    return any(name.encode("utf-16-le") in head for name in _ENCRYPTION)


def _why(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# --- Workbooks (.xls) -------------------------------------------------------------------------------


def xls_to_xlsx(path: Path, target: Path, source: str) -> None:
    """Write the .xls workbook `path` as the .xlsx `target`: every sheet's bounded corner with its
    values, number formats and merged cells. ReportError, naming `source`, when it cannot be read."""
    import xlrd  # only when an .xls is read

    size = check_regular_file(path)
    if size > limits().workbook_bytes:
        raise ReportError(over("workbook", "workbook_bytes", size), source=source)
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, ragged_rows=True)
    except Exception as exc:  # xlrd raises many kinds on a damaged or encrypted file
        raise ReportError(
            f"not a readable Excel 97–2003 workbook (.xls): {_why(exc)}", source=source
        ) from None
    try:
        workbook = _as_openpyxl(book, source)
    except ReportError:
        raise
    except Exception as exc:
        raise ReportError(f"cannot read the workbook: {_why(exc)}", source=source) from None
    finally:
        book.release_resources()
    workbook.save(target)


def _as_openpyxl(book: Any, source: str) -> Any:
    from openpyxl import Workbook

    from ogi_report.readers.excel import MAX_COLUMNS

    if book.nsheets > MAX_SHEETS:
        why = f"a workbook of {book.nsheets} sheets (at most {MAX_SHEETS}): not a report"
        raise ReportError(why, source=source)
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the sheet a new workbook starts with
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        ws = workbook.create_sheet(_sheet_title(sheet.name, index))
        rows = min(sheet.nrows, limits().workbook_rows)
        for r in range(rows):
            for c in range(min(sheet.row_len(r), MAX_COLUMNS)):
                value = _value(book, sheet.cell(r, c))
                if value is not None:
                    cell = ws.cell(row=r + 1, column=c + 1, value=value)
                    cell.number_format = _number_format(book, sheet, r, c)
        for top, bottom, left, right in merged_ranges(sheet.merged_cells, rows, MAX_COLUMNS, source):
            ws.merge_cells(start_row=top + 1, end_row=bottom, start_column=left + 1, end_column=right)
        book.unload_sheet(index)
    return workbook


def merged_ranges(
    ranges: list[tuple[int, int, int, int]], rows: int, columns: int, source: str
) -> list[tuple[int, int, int, int]]:
    """A sheet's merged ranges (xlrd's: first row, row past the last, first column, column past the
    last, from 0) clipped to the corner read, those of one cell dropped; refused, as for an .xlsx,
    over MAX_MERGES or where they overlap (together covering more than the corner)."""
    from ogi_report.readers.xlsx_page import MAX_MERGES

    if len(ranges) > MAX_MERGES:
        raise ReportError(f"a sheet with over {MAX_MERGES:,} merged cells: not a report", source=source)
    kept, walked = [], 0
    for top, bottom, left, right in ranges:
        bottom, right = min(bottom, rows), min(right, columns)
        if bottom - top < 1 or right - left < 1 or (bottom - top, right - left) == (1, 1):
            continue
        walked += (bottom - top) * (right - left)
        if walked > rows * columns:
            raise ReportError("merged cells that overlap: not a workbook Excel wrote", source=source)
        kept.append((top, bottom, left, right))
    return kept


def _sheet_title(name: str, index: int) -> str:
    """The sheet's own name where .xlsx allows it (an .xls may hold characters it does not)."""
    cleaned = "".join(ch for ch in name if ch not in "[]:*?/\\").strip("'")[:31]
    return cleaned or f"Sheet{index + 1}"


def _value(book: Any, cell: Any) -> Any:
    """A cell's value as openpyxl would have read it from an .xlsx: None where empty, numbers,
    text, dates as datetimes, booleans, error codes as their text (`#DIV/0!`)."""
    import xlrd

    kind = cell.ctype
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_TEXT:
        return _clean_text(cell.value) or None
    if kind == xlrd.XL_CELL_NUMBER:
        number = float(cell.value)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if kind == xlrd.XL_CELL_DATE:
        try:
            moment: datetime.datetime = xlrd.xldate_as_datetime(cell.value, book.datemode)
        except Exception:  # a date out of Excel's range: its serial number, as Excel shows it
            return float(cell.value)
        return moment
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERROR!")
    return None


def _clean_text(text: str) -> str:
    """Text as .xlsx may hold it: control characters other than tab and line breaks dropped."""
    return "".join(ch for ch in text if ch >= " " or ch in "\t\n\r")


def _number_format(book: Any, sheet: Any, r: int, c: int) -> str:
    try:
        xf = book.xf_list[sheet.cell_xf_index(r, c)]
        return str(book.format_map[xf.format_key].format_str) or "General"
    except (IndexError, KeyError):
        return "General"


# --- Word documents (.doc) ---------------------------------------------------------------------------


def soffice() -> str | None:
    """LibreOffice's command, where it is installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


_NO_LIBREOFFICE = (
    "a Word 97–2003 document (.doc): reading it needs LibreOffice (`soffice`), which is not "
    "installed here; save it as .docx (Word: 另存为 → .docx) or install LibreOffice"
)
BATCH_SECONDS = 5  # what each further document adds to the time a run converting several may take


class _Overtime(Exception):
    """LibreOffice did not finish in time (and was ended)."""


def doc_to_docx(path: Path, folder: Path, source: str) -> Path:
    """The .doc `path` converted to a .docx in `folder` (LibreOffice, headless, its own profile),
    returned. ReportError, naming `source`, when LibreOffice is missing, fails or takes too long."""
    result = docs_to_docx([path], folder)[0]
    if isinstance(result, ReportError):
        raise ReportError(result.message, source=source) from None
    return result


def docs_to_docx(paths: Sequence[Path], folder: Path) -> list[Path | ReportError]:
    """The .doc files `paths` converted to .docx files in `folder` by one LibreOffice run (its start
    is most of a conversion's time: ten documents take 1.9 s together, 15 s one by one), in their
    order: each its .docx, or the error naming it. A run over its time is done again a file at a
    time, so that a document LibreOffice cannot finish costs only its own conversion."""
    command = soffice()
    if command is None:
        return [ReportError(_NO_LIBREOFFICE, source=str(p)) for p in paths]
    results: list[Path | ReportError] = []
    staged: list[Path] = []
    (folder / "in").mkdir()
    for number, path in enumerate(paths):
        try:
            size = check_regular_file(path)
            if size > limits().docx_bytes:
                raise ReportError(over("Word document", "docx_bytes", size), source=str(path))
            copy = folder / "in" / f"{number}.doc"  # the user's file name never reaches the command line
            shutil.copyfile(path, copy)
        except ReportError as exc:
            results.append(exc)
        else:
            staged.append(copy)
            results.append(folder / "out" / f"{number}.docx")
    if not staged:
        return results
    seconds = CONVERT_SECONDS + BATCH_SECONDS * (len(staged) - 1)
    pairs = list(zip(paths, results, strict=True))
    try:
        said = _convert(command, staged, folder, seconds)
    except ReportError as exc:  # LibreOffice could not be started
        return [r if isinstance(r, ReportError) else exc.with_source(str(p)) for p, r in pairs]
    except _Overtime:
        if len(staged) > 1:  # done again a file at a time
            return [
                r if isinstance(r, ReportError) else _one(p, folder / f"one-{n}")
                for n, (p, r) in enumerate(pairs)
            ]
        why = f"LibreOffice took over {CONVERT_SECONDS} s to convert the Word 97–2003 document"
        return [r if isinstance(r, ReportError) else ReportError(why, source=str(p)) for p, r in pairs]
    could_not = f"LibreOffice could not convert the Word 97–2003 document: {said or 'no file written'}"
    return [
        r if isinstance(r, ReportError) or r.is_file() else ReportError(could_not, source=str(p))
        for p, r in pairs
    ]


def _one(path: Path, folder: Path) -> Path | ReportError:
    folder.mkdir()
    return docs_to_docx([path], folder)[0]


def _convert(command: str, documents: list[Path], folder: Path, seconds: float) -> str:
    """Run LibreOffice once over `documents` (into `folder`/out, its profile in `folder`): the last
    words it printed. _Overtime when over `seconds`."""
    run = [
        command,
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(folder / "out"),
        *map(str, documents),
    ]
    with _CONVERTING:
        said = _run(run, folder, seconds)
    return " ".join(said.split())[-200:]


def _run(command: list[str], folder: Path, seconds: float) -> str:
    """Run LibreOffice in a process group of its own, so that a conversion over its time is ended
    whole (its launcher starts the office in a child process): what it printed. _Overtime when
    over `seconds`; ReportError when it cannot be started."""
    environment = {**os.environ, "HOME": str(folder)}
    try:
        # The command is LibreOffice's with fixed options and paths in our own folder: no user text.
        process = subprocess.Popen(  # noqa: S603
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            env=environment,
            cwd=folder,
            start_new_session=True,
        )
    except OSError as exc:
        raise ReportError(f"LibreOffice could not be run: {_why(exc)}") from None
    try:
        output, _ = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        _end(process)
        raise _Overtime from None
    except BaseException:  # interrupted (Ctrl-C): the office is not left running
        _end(process)
        raise
    return output or ""


def _end(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def converted(path: Path, source: str, kind: OldKind, folder: Path) -> Path:
    """The file to read in place of the old Office file `path`: its .xlsx or .docx in `folder`."""
    if kind is OldKind.WORKBOOK:
        target = folder / "report.xlsx"
        xls_to_xlsx(path, target, source)
        return target
    if kind is OldKind.WORD:
        return doc_to_docx(path, folder, source)
    if kind is OldKind.ENCRYPTED:
        raise ReportError(
            "an encrypted Office file: remove its password (open it, save it without one)", source=source
        )
    raise ReportError(f"not a report: {kind.value}", source=source)


def work_folder() -> tempfile.TemporaryDirectory[str]:
    """A private folder for one conversion, removed afterwards."""
    return tempfile.TemporaryDirectory(prefix="ogi-old-office-")

"""Which reader reads a file: chosen by its content as well as by its name.

JSON, YAML and JSON Lines are read by `loading` (the base every reader builds on), workbooks by
`excel`, published pages (HTML or text) by `page`, Word documents by `docx_page` and PDFs by
`pdf_page` (both through the page reader's core). All but the base are imported only when such a file
is read, so that openpyxl, lxml, python-docx and pdfplumber are loaded only then. The file suffixes
each reader takes are declared here, once.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ogi_report.errors import ReportError
from ogi_report.limits import limits
from ogi_report.model import Report
from ogi_report.readers.loading import (
    LoadedReport,
    check_regular_file,
    json_lines,
    line_report,
    parse_data,
    parse_report,
    parse_report_json,
    read_data,
    read_small_file,
)

if TYPE_CHECKING:
    from ogi_report.readers.page import ExtractedReport

PAGE_SUFFIXES = (".html", ".htm", ".txt")
DOCX_SUFFIXES = (".docx", ".docm")
PDF_SUFFIXES = (".pdf",)
# What a folder given to `ogi validate` (and `iter_reports`) is read for.
REPORT_SUFFIXES = (
    ".json",
    ".yaml",
    ".yml",
    ".jsonl",
    ".xlsx",
    ".html",
    ".htm",
    ".docx",
    ".pdf",
    ".doc",
    ".xls",
)
_DATA_SUFFIXES = (".json", ".yaml", ".yml", ".jsonl")
_YAML_KEY = re.compile(rb'^"?[A-Za-z_]+"?\s*:')
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# Word and Excel files of the 97–2003 kind, and WPS's own names for them (readers/old_office.py).
OLD_OFFICE_SUFFIXES = (".doc", ".xls", ".wps", ".et")
# What `ogi extract DIR` reads from a folder: pages, Word documents, PDFs and workbooks.
DOCUMENT_SUFFIXES = (*PAGE_SUFFIXES, *DOCX_SUFFIXES, *PDF_SUFFIXES, *WORKBOOK_SUFFIXES, *OLD_OFFICE_SUFFIXES)
# What a person may upload to the desk: every file a reader takes.
UPLOAD_SUFFIXES = tuple(dict.fromkeys((*REPORT_SUFFIXES, *DOCUMENT_SUFFIXES)))
_ZIP_MAGIC = b"PK"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a Compound File: .doc, .xls (or an encrypted .docx)
_PDF_MAGIC = b"%PDF-"


def iter_reports(paths: Iterable[str | Path]) -> Iterator[LoadedReport]:
    """Every report in the inputs: JSON or YAML files, JSON Lines (one report per line), and
    directories (the report files directly inside them, in name order)."""
    for source in report_sources(paths):
        yield source.load()


@dataclass(frozen=True)
class ReportLine:
    """One report to read: a non-blank line of a JSON Lines file, as text."""

    path: Path
    number: int
    text: str

    def load(self) -> LoadedReport:
        return line_report(self.path, self.number, self.text)


@dataclass(frozen=True)
class ReportFile:
    """One report to read: a whole file."""

    path: Path

    def load(self) -> LoadedReport:
        return read_report(self.path)


def report_sources(paths: Iterable[str | Path]) -> Iterator[ReportLine | ReportFile]:
    """What `iter_reports` reads, in its order, not yet read: small values a worker process can
    be handed (the package builder reads them in several)."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES)
        else:
            files = [path]
        for file in files:
            if file.suffix.lower() == ".jsonl":
                yield from (ReportLine(file, number, text) for number, text in json_lines(file))
            else:
                yield ReportFile(file)


def _head(path: Path, size: int = 1024) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return b""  # reported by the reader that opens it, naming the file


def is_pdf(path: Path) -> bool:
    """A PDF by content (`%PDF-` in its first kilobyte, as readers allow) or by name."""
    return _PDF_MAGIC in _head(path) or path.suffix.lower() in PDF_SUFFIXES


def is_old_office(path: Path) -> bool:
    """A Word or Excel file of the 97–2003 kind (a Compound File), by content."""
    return _head(path, len(_OLE_MAGIC)) == _OLE_MAGIC


def is_word_97(path: Path) -> bool:
    """A Word 97–2003 document (.doc), by what its Compound File holds; False for any other file,
    and for one that cannot be told (its reader says why). Only a regular file is opened: a pipe or
    a device could be read forever."""
    if not path.is_file() or not is_old_office(path):
        return False
    from ogi_report.readers.old_office import OldKind, old_kind

    try:
        return old_kind(path, str(path)) is OldKind.WORD
    except ReportError:
        return False


def is_docx(path: Path) -> bool:
    """A Word document by name, or a zip archive holding word/document.xml."""
    if path.suffix.lower() in DOCX_SUFFIXES:
        return True
    if not _head(path, len(_ZIP_MAGIC)).startswith(_ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return "word/document.xml" in archive.namelist()
    except Exception:  # a damaged archive: not recognised here; the workbook reader says why
        return False


def is_workbook(path: Path) -> bool:
    """An Excel workbook by name (.xlsx) or by content (a zip archive, as every .xlsx is)."""
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(len(_ZIP_MAGIC)) == _ZIP_MAGIC
    except OSError:
        return False  # reported by the text reader, naming the file


def is_page(path: Path) -> bool:
    """A published report page (HTML or text) rather than JSON or YAML, by content first: markup is
    a page, `{` or `[` is JSON; then by name; then text holding no YAML key is a page."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False  # reported by the text reader, naming the file
    if head.startswith(b"<"):
        return True
    suffix = path.suffix.lower()
    if head.startswith((b"{", b"[")) or suffix in _DATA_SUFFIXES:
        return False
    return suffix in PAGE_SUFFIXES or not any(_YAML_KEY.match(line) for line in head.splitlines())


def extract_document(
    path: str | Path, *, agency: str | None = None, year: int | None = None
) -> ExtractedReport:
    """Read a published report with the record of how it was read: Word, PDF, a workbook (the
    template by label, any other as a document: `readers/xlsx_page.py`), HTML or text; a Word or
    Excel file of the 97–2003 kind (.doc, .xls) through the .docx or .xlsx it converts to.
    `agency` and `year` stand in for a document that does not state them."""
    p = Path(path)
    if is_old_office(p):
        try:
            with _old_office(p) as target:
                return _through(p, target, agency, year)
        except ReportError as exc:
            raise ReportError(exc.message, source=str(p), location=exc.location) from None
    if is_docx(p):
        from ogi_report.readers.docx_page import extract_docx  # python-docx only when it is read

        return extract_docx(p, agency=agency, year=year)
    if is_pdf(p):
        from ogi_report.readers.pdf_page import extract_pdf  # pdfplumber only when a PDF is read

        return extract_pdf(p, agency=agency, year=year)
    if is_workbook(p):
        read = _workbook(p, agency, year)
        if isinstance(read, LoadedReport):  # the template: its record is its notes and places
            from ogi_report.readers.page import ExtractedReport

            return ExtractedReport(read, places=read.places, notes=read.notes)
        return read
    from ogi_report.readers.page import extract_page  # lxml only when a page is read

    return extract_page(p, agency=agency, year=year)


def _workbook(path: Path, agency: str | None, year: int | None) -> LoadedReport | ExtractedReport:
    """A workbook laid out as the template, read by label; any other, read as a document is."""
    from ogi_report.readers.excel import NotATemplate, read_workbook  # openpyxl only when read

    try:
        return read_workbook(path)
    except NotATemplate:
        from ogi_report.readers.xlsx_page import extract_workbook

        return extract_workbook(path, agency=agency, year=year)


@contextmanager
def _old_office(path: Path) -> Iterator[Path]:
    """The .docx or .xlsx a .doc or .xls converts to, in a private folder removed afterwards."""
    from ogi_report.readers.old_office import converted, old_kind, work_folder

    source = str(path)
    with work_folder() as folder:
        yield converted(path, source, old_kind(path, source), Path(folder))


def _through(path: Path, target: Path, agency: str | None, year: int | None) -> ExtractedReport:
    """`target`, the file `path` converted to, read as `path`: its source and its errors name the
    file the user gave, never the converted one."""
    try:
        read = extract_document(target, agency=agency, year=year)
    except ReportError as exc:
        raise ReportError(exc.message, source=str(path), location=exc.location) from None
    read.loaded.source = str(path)
    return read


def extract_documents(
    paths: Sequence[Path], *, agency: str | None = None, year: int | None = None, chunk: int = 32
) -> Iterator[tuple[Path, ExtractedReport | ReportError]]:
    """Each document read as `extract_document` reads it, in order, with what it gave: the report
    read, or the error. The Word 97–2003 documents of every `chunk` files are converted together,
    by one LibreOffice run (whose start is most of one conversion's time)."""
    from ogi_report.readers.old_office import docs_to_docx, work_folder

    for start in range(0, len(paths), chunk):
        part = paths[start : start + chunk]
        words = [p for p in part if is_word_97(p)]
        with work_folder() as folder:
            done = dict(zip(words, docs_to_docx(words, Path(folder)), strict=True)) if words else {}
            for path in part:
                try:
                    target = done.get(path)
                    if isinstance(target, ReportError):
                        raise target
                    read = (
                        _through(path, target, agency, year)
                        if target
                        else extract_document(path, agency=agency, year=year)
                    )
                except ReportError as exc:
                    yield path, exc
                else:
                    yield path, read


def read_report(path: str | Path) -> LoadedReport:
    """Read a report file leniently: unreadable cells are returned, not raised. JSON, YAML, an
    Excel workbook laid out as the template (`ogi template`), a Word document or a PDF, or a
    published report page (HTML or text, `readers/page.py`), chosen by content as well as by name."""
    p = path if isinstance(path, Path) else Path(path)
    size = check_regular_file(p)
    suffix = p.suffix.lower()
    if suffix in _DATA_SUFFIXES and (raw := _plain_data(p, size)) is not None:
        source = str(p)
        if suffix == ".json":
            return parse_report_json(raw, source=source)
        return parse_report(parse_data(p, raw), source=source)
    if is_docx(p) or is_pdf(p) or is_old_office(p):  # Word and PDF, read as pages are
        return extract_document(p).loaded
    if is_workbook(p):
        read = _workbook(p, None, None)
        return read if isinstance(read, LoadedReport) else read.loaded
    if is_page(p):
        from ogi_report.readers.page import extract_page  # lxml only when a page is read

        return extract_page(p).loaded
    return parse_report(read_data(p), source=str(p))


def _plain_data(path: Path, size: int) -> bytes | None:
    """The bytes of a file named as JSON or YAML (`size` bytes when measured), read once, when its
    content agrees: what the tests below (each opening the file) would send to `read_data`. None
    when it is too large, cannot be read or looks like a zip archive, a PDF or markup: those go
    through the tests."""
    most = limits().file_bytes
    if size > most:
        return None
    try:
        raw = read_small_file(path, size, most)
    except OSError:
        return None
    if len(raw) > most or raw.startswith(_ZIP_MAGIC) or raw.find(_PDF_MAGIC, 0, 1024) >= 0:
        return None
    if raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return None
    return raw


def load_report(path: str | Path) -> Report:
    """Read a report file strictly: any unreadable cell raises ReportError naming it."""
    loaded = read_report(path)
    if loaded.unreadable:
        cell, value = next(iter(loaded.unreadable.items()))
        raise ReportError(f"not a valid cell value: {value!r}", source=str(path), location=cell)
    return loaded.report

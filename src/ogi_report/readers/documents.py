"""Reports as agencies publish them, whatever the file: a Word document (.docx), a PDF with a text
layer, or a page (HTML or text), each read by the page reader's core. Chosen by content, then by name;
python-docx and pdfplumber are imported only when such a file is read."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ogi_report.readers.loading import PAGE_SUFFIXES
from ogi_report.readers.page import ExtractedReport, extract_page

DOCX_SUFFIXES = (".docx", ".docm")
PDF_SUFFIXES = (".pdf",)
# What `ogi extract DIR` reads from a folder: pages, Word documents and PDFs.
DOCUMENT_SUFFIXES = (*PAGE_SUFFIXES, *DOCX_SUFFIXES, *PDF_SUFFIXES)
_PDF_MAGIC = b"%PDF-"


def _head(path: Path, size: int = 1024) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return b""  # reported by the reader that opens it, naming the file


def is_pdf(path: Path) -> bool:
    """A PDF by content (`%PDF-` in its first kilobyte, as readers allow) or by name."""
    return _PDF_MAGIC in _head(path) or path.suffix.lower() in PDF_SUFFIXES


def is_docx(path: Path) -> bool:
    """A Word document by name, or a zip archive holding word/document.xml."""
    if path.suffix.lower() in DOCX_SUFFIXES:
        return True
    if not _head(path, 4).startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return "word/document.xml" in archive.namelist()
    except Exception:  # a damaged archive: not recognised here; the workbook reader says why
        return False


def extract_document(
    path: str | Path, *, agency: str | None = None, year: int | None = None
) -> ExtractedReport:
    """Read a published report: Word, PDF, HTML or text."""
    p = Path(path)
    if is_docx(p):
        from ogi_report.readers.docx_page import extract_docx

        return extract_docx(p, agency=agency, year=year)
    if is_pdf(p):
        from ogi_report.readers.pdf_page import extract_pdf

        return extract_pdf(p, agency=agency, year=year)
    return extract_page(p, agency=agency, year=year)

"""Which reader reads a file: chosen by its content as well as by its name.

JSON, YAML and JSON Lines are read by `loading` (the base every reader builds on), workbooks by
`excel` and published pages by `page`; the last two are imported only when such a file is read, so
that openpyxl and lxml are loaded only then.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ogi_report.errors import ReportError
from ogi_report.model import Report
from ogi_report.readers.loading import (
    LoadedReport,
    check_regular_file,
    iter_json_lines,
    parse_report,
    read_data,
)

PAGE_SUFFIXES = (".html", ".htm", ".txt")
REPORT_SUFFIXES = (".json", ".yaml", ".yml", ".jsonl", ".xlsx", ".html", ".htm")
_DATA_SUFFIXES = (".json", ".yaml", ".yml", ".jsonl")
_YAML_KEY = re.compile(rb'^"?[A-Za-z_]+"?\s*:')
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK"


def iter_reports(paths: Iterable[str | Path]) -> Iterator[LoadedReport]:
    """Every report in the inputs: JSON or YAML files, JSON Lines (one report per line), and
    directories (the report files directly inside them, in name order)."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES)
        else:
            files = [path]
        for file in files:
            if file.suffix.lower() == ".jsonl":
                yield from iter_json_lines(file)
            else:
                yield read_report(file)


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


def read_report(path: str | Path) -> LoadedReport:
    """Read a report file leniently: unreadable cells are returned, not raised. JSON, YAML, or an
    Excel workbook laid out as the template (`ogi template`), or a published report page (HTML or
    text, `readers/page.py`), chosen by content as well as by name."""
    p = Path(path)
    check_regular_file(p)
    if is_workbook(p):
        from ogi_report.readers.excel import read_workbook  # openpyxl only when a workbook is read

        return read_workbook(p)
    if is_page(p):
        from ogi_report.readers.page import extract_page  # lxml only when a page is read

        return extract_page(p).loaded
    return parse_report(read_data(p), source=str(p))


def load_report(path: str | Path) -> Report:
    """Read a report file strictly: any unreadable cell raises ReportError naming it."""
    loaded = read_report(path)
    if loaded.unreadable:
        cell, value = next(iter(loaded.unreadable.items()))
        raise ReportError(f"not a valid cell value: {value!r}", source=str(path), location=cell)
    return loaded.report

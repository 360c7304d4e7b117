"""Word and Excel files of the 97–2003 kind (.doc, .xls): read through the .docx and .xlsx they
convert to, with the same reports, findings and cell places; every failure a one-line error naming
the file the user gave.

Fixtures (`tests/fixtures/old-office/`, made by LibreOffice 7.4 as its README says): the template
filled from an example and saved as .xls, the same with an unbalanced table 三, and a Word document
of this project's saved as .doc; beside the real pages (`tests/fixtures/real/holdout/`), the whole
pages' Word and Excel conversions saved again as .doc and .xls.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import xlrd
from hypothesis import given, settings
from hypothesis import strategies as st

from ogi_report import validate
from ogi_report.errors import ReportError
from ogi_report.limits import use_limits
from ogi_report.readers import load_report, old_office, read_report
from ogi_report.readers.dispatch import extract_document
from ogi_report.readers.old_office import OldKind, old_kind
from tests.helpers import EXAMPLES, ROOT, count_libreoffice_runs, need_libreoffice

OLD = ROOT / "tests" / "fixtures" / "old-office"
REAL = ROOT / "tests" / "fixtures" / "real" / "holdout"
WHOLE = (
    "2019-shanghai-municipal-government-office-whole-html",
    "2023-shuyang-development-reform-bureau-saved-html",
)


def _cells(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Table cells of a report's plain data by path (`applications.granted.total`)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_cells(value, path + "."))
        else:
            out[path] = value
    return out


def _truth_cells(slug: str) -> dict[str, Any]:
    return dict(json.loads((REAL / f"{slug}.truth.json").read_text("utf-8"))["cells"])


def _read_cells(path: Path) -> dict[str, Any]:
    data = read_report(path).report.to_dict()
    tables = {k: v for k, v in data.items() if k in ("proactive", "applications", "review_litigation")}
    return {k: (str(v) if not isinstance(v, int | type(None)) else v) for k, v in _cells(tables).items()}


# --- Workbooks (.xls): pure Python, always run ---------------------------------------------------------


def test_a_template_saved_as_xls_reads_as_the_report_it_was_filled_from() -> None:
    expected = load_report(EXAMPLES / "illustrative-2021-county.json")
    loaded = read_report(OLD / "template-2021-county.xls")
    assert loaded.report == expected
    assert loaded.source == str(OLD / "template-2021-county.xls")
    assert loaded.places["applications.new_received.natural_person"] == "表三!D5"


def test_an_xls_finding_names_the_sheet_and_cell() -> None:
    loaded = read_report(OLD / "template-2021-county-unbalanced.xls")
    result = validate(loaded.report, places=loaded.places)
    balance = [f for f in result.findings if f.rule == "T3-BALANCE"]
    assert balance
    assert not result.ok
    assert balance[0].source_cells["applications.total_handled.natural_person"] == "表三!D28"


@pytest.mark.parametrize("slug", WHOLE)
def test_a_real_report_as_an_xls_reads_its_published_figures(slug: str) -> None:
    """The whole real pages, as workbooks saved as .xls: every transcribed cell as published."""
    truth = _truth_cells(slug)
    read = _read_cells(REAL / f"{slug}.as-excel97.xls")
    assert {p: read.get(p) for p in truth} == {p: (None if v is None else v) for p, v in truth.items()}


def test_an_xls_reads_as_the_xlsx_it_was_saved_from() -> None:
    for slug in WHOLE:
        xls = extract_document(REAL / f"{slug}.as-excel97.xls")
        xlsx = extract_document(REAL / f"{slug}.as-excel.xlsx")
        assert xls.report == xlsx.report
        assert xls.places == xlsx.places  # cells named as the sheet names them (Sheet1!H50)
        assert xls.loaded.source == str(REAL / f"{slug}.as-excel97.xls")


def test_a_damaged_xls_is_a_one_line_error_naming_it(tmp_path: Path) -> None:
    broken = tmp_path / "report.xls"
    broken.write_bytes((OLD / "template-2021-county.xls").read_bytes()[:5000])
    with pytest.raises(ReportError) as caught:
        read_report(broken)
    assert caught.value.source == str(broken)
    assert "\n" not in caught.value.one_line()
    assert str(tmp_path) in caught.value.one_line()
    assert "ogi-old-office" not in caught.value.one_line()  # never the converted file's name


def test_an_xls_over_the_workbook_limit_is_refused() -> None:
    with use_limits(workbook_bytes=10_000), pytest.raises(ReportError, match="workbook_bytes"):
        read_report(OLD / "template-2021-county.xls")


def test_an_xls_bounded_like_an_xlsx() -> None:
    """Only the corner the .xlsx readers read is converted (`workbook_rows`): rows past it are
    missing (ROW-MISSING), never read."""
    with use_limits(workbook_rows=10):
        loaded = read_report(OLD / "template-2021-county.xls")
    assert loaded.report.applications is not None
    assert loaded.report.applications.carried_in.total == 7  # row 6
    assert loaded.report.applications.carried_out.total is None  # row 29, past the corner
    assert "ROW-MISSING" in {n.code for n in loaded.notes}


def test_the_converted_file_is_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    read_report(OLD / "template-2021-county.xls")
    assert list(tmp_path.iterdir()) == []


def test_the_kinds_of_compound_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert old_kind(OLD / "template-2021-county.xls", "x") is OldKind.WORKBOOK
    assert old_kind(OLD / "word-2021-county.doc", "x") is OldKind.WORD
    damaged = tmp_path / "damaged.doc"
    damaged.write_bytes((OLD / "word-2021-county.doc").read_bytes()[:600])
    with pytest.raises(ReportError, match="not a readable Office 97–2003 file"):
        old_kind(damaged, str(damaged))

    import olefile

    kinds = (
        ([["EncryptedPackage"], ["EncryptionInfo"]], OldKind.ENCRYPTED),
        ([["PowerPoint Document"]], OldKind.OTHER),
    )
    for streams, kind in kinds:
        monkeypatch.setattr(olefile.OleFileIO, "listdir", lambda self, _s=streams, **_: _s)
        assert old_kind(OLD / "word-2021-county.doc", "x") is kind
        with pytest.raises(ReportError) as caught:
            read_report(OLD / "word-2021-county.doc")
        assert caught.value.source == str(OLD / "word-2021-county.doc")
        assert ("password" if kind is OldKind.ENCRYPTED else "another kind") in caught.value.message


# --- Word documents (.doc): through LibreOffice ----------------------------------------------------------


def test_a_doc_without_libreoffice_says_what_is_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(old_office, "soffice", lambda: None)
    with pytest.raises(ReportError) as caught:
        read_report(OLD / "word-2021-county.doc")
    assert "LibreOffice" in caught.value.message
    assert ".docx" in caught.value.message
    assert caught.value.source == str(OLD / "word-2021-county.doc")


def test_a_doc_reads_as_the_docx_it_was_saved_from() -> None:
    need_libreoffice()
    doc = extract_document(OLD / "word-2021-county.doc")
    docx = extract_document(ROOT / "tests" / "fixtures" / "docx" / "official-2021-county.docx")
    assert doc.report == docx.report
    # cells named in Word terms; LibreOffice may split table 四's merged header cells otherwise, so
    # its column numbers can differ from the .docx's
    assert (
        doc.places["applications.new_received.natural_person"]
        == docx.places["applications.new_received.natural_person"]
    )
    assert all(place.startswith("表") for place in doc.places.values())
    assert doc.loaded.source == str(OLD / "word-2021-county.doc")


@pytest.mark.parametrize("slug", WHOLE)
def test_a_real_report_as_a_doc_reads_its_published_figures(slug: str) -> None:
    need_libreoffice()
    truth = _truth_cells(slug)
    read = _read_cells(REAL / f"{slug}.as-word97.doc")
    assert {p: read.get(p) for p in truth} == truth


def test_a_conversion_over_its_time_is_ended_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice stopped with its children (the launcher starts the office in another process):
    none is left running, and the error names the file."""
    need_libreoffice()
    monkeypatch.setattr(old_office, "CONVERT_SECONDS", 0.2)
    with pytest.raises(ReportError, match="took over"):
        read_report(OLD / "word-2021-county.doc")
    left = subprocess.run(["pgrep", "-f", "ogi-old-office-"], capture_output=True, text=True)
    assert left.stdout.strip() == ""


def test_a_doc_libreoffice_cannot_convert_is_a_one_line_error(tmp_path: Path) -> None:
    need_libreoffice()
    broken = tmp_path / "report.doc"
    data = bytearray((OLD / "word-2021-county.doc").read_bytes())
    data[4096:] = bytes(len(data) - 4096)  # the container's header kept, its streams zeroed
    broken.write_bytes(bytes(data))
    with pytest.raises(ReportError) as caught:
        read_report(broken)
    assert caught.value.source == str(broken)
    assert "\n" not in caught.value.one_line()


def test_merged_ranges_are_bounded_as_for_an_xlsx() -> None:
    """An .xls whose merges would be walked cell by cell is refused, as an .xlsx is: too many, or
    overlapping (together over the corner read)."""
    from ogi_report.readers.xlsx_page import MAX_MERGES

    kept = old_office.merged_ranges([(0, 1, 0, 5), (3, 4, 2, 3), (498, 600, 0, 2)], 500, 64, "r.xls")
    assert kept == [(0, 1, 0, 5), (498, 500, 0, 2)]  # one cell dropped, clipped to the corner
    with pytest.raises(ReportError, match="merged cells"):
        old_office.merged_ranges([(n, n + 1, 0, 2) for n in range(MAX_MERGES + 1)], 500, 64, "r.xls")
    with pytest.raises(ReportError, match="overlap"):
        old_office.merged_ranges([(0, 500, 0, 64)] * 2, 500, 64, "r.xls")


def test_a_compound_file_over_both_limits_is_refused_before_it_is_opened() -> None:
    with use_limits(workbook_bytes=1000, docx_bytes=2000), pytest.raises(ReportError, match="docx_bytes"):
        read_report(OLD / "word-2021-county.doc")


def _folder_of_documents(tmp_path: Path) -> list[Path]:
    """Four .doc files (the last one's text zeroed: LibreOffice cannot load it) and an .xls."""
    import olefile

    word, workbook = OLD / "word-2021-county.doc", OLD / "template-2021-county.xls"
    sources = {"a.doc": word, "b.doc": word, "c.xls": workbook, "d.doc": word, "e.doc": word}
    paths = []
    for name, source in sources.items():
        path = tmp_path / name
        path.write_bytes(source.read_bytes())
        paths.append(path)
    with olefile.OleFileIO(str(tmp_path / "e.doc"), write_mode=True) as ole:
        ole.write_stream("WordDocument", bytes(ole.get_size("WordDocument")))
    return paths


def test_many_docs_are_converted_by_one_libreoffice_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`extract_documents` reads a folder's files in order; its Word 97–2003 documents are
    converted together (LibreOffice's start is most of a conversion's time)."""
    from ogi_report.readers.dispatch import extract_documents

    need_libreoffice()
    runs = count_libreoffice_runs(monkeypatch)
    paths = _folder_of_documents(tmp_path)
    results = list(extract_documents(paths))
    assert [p for p, _ in results] == paths
    assert runs == [4]  # the four .doc files (one of them unreadable), in one run
    expected = load_report(EXAMPLES / "illustrative-2021-county.json")
    for path, read in (results[0], results[1], results[2], results[3]):  # a, b, c.xls, d
        assert not isinstance(read, ReportError), read
        assert read.report.proactive == expected.proactive
        assert read.loaded.source == str(path)
    broken = results[4][1]
    assert isinstance(broken, ReportError)
    assert broken.source == str(paths[4])
    assert "could not convert" in broken.message


def test_a_run_over_its_time_is_done_again_one_document_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One document LibreOffice cannot finish costs only its own conversion: the run of several is
    ended and each is converted alone (here all too slow: each error names its own file)."""
    from ogi_report.readers.dispatch import extract_documents

    need_libreoffice()
    monkeypatch.setattr(old_office, "CONVERT_SECONDS", 0.2)
    monkeypatch.setattr(old_office, "BATCH_SECONDS", 0)
    paths = [p for p in _folder_of_documents(tmp_path) if p.suffix == ".doc"][:2]
    results = list(extract_documents(paths))
    for path, read in results:
        assert isinstance(read, ReportError)
        assert read.source == str(path)
        assert "took over" in read.message
    left = subprocess.run(["pgrep", "-f", "ogi-old-office-"], capture_output=True, text=True)
    assert left.stdout.strip() == ""


def test_without_libreoffice_every_doc_says_so_and_the_rest_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ogi_report.readers.dispatch import extract_documents

    monkeypatch.setattr(old_office, "soffice", lambda: None)
    results = dict(extract_documents(_folder_of_documents(tmp_path)))
    assert not isinstance(results[tmp_path / "c.xls"], ReportError)
    for name in ("a.doc", "b.doc", "d.doc", "e.doc"):
        error = results[tmp_path / name]
        assert isinstance(error, ReportError)
        assert "LibreOffice" in error.message


def test_telling_a_word_97_document_never_opens_a_pipe(tmp_path: Path) -> None:
    """`ogi validate DIR` looks for .doc files before reading anything: a named pipe among the
    inputs must not be opened (nothing would ever write to it)."""
    import os

    from ogi_report.readers.dispatch import is_word_97

    os.mkfifo(tmp_path / "r.doc")
    assert not is_word_97(tmp_path / "r.doc")
    assert is_word_97(OLD / "word-2021-county.doc")
    assert not is_word_97(OLD / "template-2021-county.xls")


# --- The .xls conversion as a property: what xlrd gives is what openpyxl holds ---------------------------


class _XlsCell:
    def __init__(self, ctype: int, value: Any) -> None:
        self.ctype, self.value = ctype, value


class _XlsSheet:
    """The part of xlrd's Sheet the conversion reads."""

    def __init__(
        self, name: str, rows: list[list[_XlsCell]], merged: list[tuple[int, int, int, int]]
    ) -> None:
        self.name, self.rows, self.merged_cells = name, rows, merged
        self.nrows = len(rows)

    def row_len(self, r: int) -> int:
        return len(self.rows[r])

    def cell(self, r: int, c: int) -> _XlsCell:
        return self.rows[r][c]

    def cell_xf_index(self, r: int, c: int) -> int:
        return 0


class _XlsBook:
    """The part of xlrd's Book the conversion reads (one number format, `0.00`, for every cell)."""

    def __init__(self, sheets: list[_XlsSheet]) -> None:
        self.sheets, self.nsheets, self.datemode = sheets, len(sheets), 0
        self.xf_list = [SimpleNamespace(format_key=0)]
        self.format_map = {0: SimpleNamespace(format_str="0.00")}

    def sheet_by_index(self, index: int) -> _XlsSheet:
        return self.sheets[index]

    def unload_sheet(self, index: int) -> None:
        pass


_XLS_CELLS = st.one_of(
    st.just(_XlsCell(xlrd.XL_CELL_EMPTY, "")),
    st.just(_XlsCell(xlrd.XL_CELL_BLANK, "")),
    st.integers(-(10**12), 10**12).map(lambda n: _XlsCell(xlrd.XL_CELL_NUMBER, float(n))),
    st.floats(-1e9, 1e9, allow_nan=False).map(lambda x: _XlsCell(xlrd.XL_CELL_NUMBER, x)),
    st.text(alphabet="0123456789一二三自然人总计/—-. ", min_size=1, max_size=8).map(
        lambda t: _XlsCell(xlrd.XL_CELL_TEXT, t)
    ),
    st.booleans().map(lambda b: _XlsCell(xlrd.XL_CELL_BOOLEAN, int(b))),
)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(_XLS_CELLS, max_size=9), min_size=1, max_size=12), data=st.data())
def test_the_xls_conversion_keeps_every_value_and_merge(rows: list[list[_XlsCell]], data: Any) -> None:
    """Any grid of numbers, texts, blanks and booleans, with a merged range: the .xlsx holds each
    value at its cell (a whole number as an int), nothing where the .xls holds nothing or a merge
    covers it, the cell's number format, and the merge."""
    width = max(len(r) for r in rows)
    merges = []
    if width >= 2 and data.draw(st.booleans()):
        top = data.draw(st.integers(0, len(rows) - 1))
        merges.append((top, top + 1, 0, 2))
    workbook = old_office._as_openpyxl(_XlsBook([_XlsSheet("表三", rows, merges)]), "r.xls")
    ws = workbook["表三"]
    covered = {(top + 1, 2) for top, _, _, _ in merges}
    for r, row in enumerate(rows, 1):
        for c, cell in enumerate(row, 1):
            got = ws.cell(row=r, column=c)
            if (r, c) in covered or cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                assert got.value is None
                continue
            assert got.number_format == "0.00"
            if cell.ctype == xlrd.XL_CELL_NUMBER:
                assert got.value == cell.value
                assert isinstance(got.value, int) == float(cell.value).is_integer()
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                assert got.value is bool(cell.value)
            else:
                assert got.value == cell.value
    assert {str(m) for m in ws.merged_cells.ranges} == {f"A{t + 1}:B{t + 1}" for t, _, _, _ in merges}

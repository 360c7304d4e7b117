"""Word reports (.docx) -> the blocks of a page, read by the page reader's core (`readers/page.py`).

The document is checked before it is opened (a zip archive within `docx_bytes`, compressed and
expanded; not encrypted, not macro-enabled), then python-docx opens it (its XML parser resolves no
entities and fetches nothing; nothing in the document is run). Its body is walked in order: every
paragraph becomes a line, every table a grid built from the table's own XML grid, so a merged cell is
one cell (`w:gridSpan` across, `w:vMerge` down: a cell continuing a vertical merge is not a cell of its
own, as a spanned cell of an HTML table is not). A table holding other tables, or whose every row has a
single cell, is layout, not data: its content is walked as paragraphs. From there the report is read as
a page is: sections by their headings, tables by their labels, cells by the same vocabulary, narrative
figures and readings recorded. Cells are placed in Word terms: `表三 第5行 第3列` (row and grid column
of the table, counted from 1).

External relationships (a linked template or picture) are never fetched: they are named in a note.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ogi_report.documents import META_PREFIX
from ogi_report.errors import ReportError
from ogi_report.limits import limits, over
from ogi_report.notes import ReadingNote, note
from ogi_report.readers.loading import check_regular_file
from ogi_report.readers.old_office import names_encryption
from ogi_report.readers.page import ExtractedReport, build_report
from ogi_report.readers.page_tables import Token
from ogi_report.readers.table_names import TableNamer
from ogi_report.readers.text_page import Block, Grid, Line, PageText

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_ZIP_MAGIC = b"PK\x03\x04"
_MACROS = ("word/vbaProject.bin", "word/vbaData.xml")
_MAIN = "word/document.xml"
_WRAPPERS = frozenset({f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}smartTag", f"{W}ins"})
_HYPERLINK = "relationships/hyperlink"


def _is_encrypted_ole(head: bytes) -> str:
    """What an OLE compound file with a .docx name is: encrypted OOXML or an old .doc."""
    if names_encryption(head):
        return "an encrypted (password-protected) Word file; save it without a password"
    return "an old Word file (.doc) or another OLE file; save it as .docx"


def check_docx(path: Path) -> list[ReadingNote]:
    """Refuse what cannot or must not be read; return notes (external links, not fetched)."""
    source = str(path)
    check_regular_file(path)
    size = path.stat().st_size
    if size > limits().docx_bytes:
        raise ReportError(over("Word document", "docx_bytes", size), source=source)
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    if head.startswith(_OLE_MAGIC):
        raise ReportError(f"not a .docx Word document: {_is_encrypted_ole(head)}", source=source)
    if not head.startswith(_ZIP_MAGIC):
        raise ReportError("not a .docx Word document: the file is not a zip archive", source=source)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            expanded = sum(info.file_size for info in infos)
            if expanded > limits().docx_bytes:
                what = over("Word document", "docx_bytes", expanded)
                raise ReportError(what + " (uncompressed)", source=source)
            _expand(archive, infos, source)  # the sizes the archive states may be lies
            if any(info.flag_bits & 0x1 for info in infos):
                raise ReportError("not a readable Word document: its parts are encrypted", source=source)
            if _MAIN not in names:
                raise ReportError(f"not a .docx Word document: no {_MAIN} in the archive", source=source)
            if any(name in names for name in _MACROS) or path.suffix.lower() == ".docm":
                raise ReportError(
                    "a macro-enabled Word document (.docm): not read (macros are never run); "
                    "save it as .docx",
                    source=source,
                )
            rels = [n for n in names if n.endswith(".rels")]
            external = [t for n in rels for t in _external_targets(archive.read(n))]
    except ReportError:
        raise
    except Exception as exc:  # zipfile raises several kinds on a damaged archive: never a traceback
        why = f"broken zip archive ({exc})"
        raise ReportError(f"not a readable Word document: {why}", source=source) from None
    return [note("LINK-NOT-FETCHED", written=target[:120]) for target in external[:10]]


def _expand(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], source: str) -> None:
    """Expand every part in bounded steps: all of them together within `docx_bytes`."""
    total, most = 0, limits().docx_bytes
    for info in infos:
        if info.flag_bits & 0x1:
            continue  # encrypted: refused by the caller
        with archive.open(info) as handle:
            while chunk := handle.read(1 << 20):
                total += len(chunk)
                if total > most:
                    what = over("Word document", "docx_bytes", unit="bytes")
                    raise ReportError(what + " once its parts are expanded", source=source)


def _external_targets(xml: bytes) -> Iterator[str]:
    from lxml import etree

    try:
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return  # python-docx reports it when it opens the document
    for rel in root:
        if rel.get("TargetMode") == "External" and not str(rel.get("Type", "")).endswith(_HYPERLINK):
            yield str(rel.get("Target", ""))


def _text(element: Any) -> str:
    """A paragraph's (or a cell's) text: runs, tabs as spaces, breaks as new lines; deleted text of
    tracked changes left out, inserted text kept."""
    parts: list[str] = []
    for node in element.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}p"):
        tag = node.tag
        if tag == f"{W}t":
            parts.append(node.text or "")
        elif tag == f"{W}tab":
            parts.append(" ")
        elif tag == f"{W}p":
            if parts:
                parts.append("\n")
        else:
            parts.append("\n")
    return "\n".join(line.strip() for line in "".join(parts).splitlines()).strip()


def _children(element: Any, *tags: str) -> Iterator[Any]:
    """The children of `element` with these tags, looking through content controls and the like."""
    for child in element:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, *tags)


def _val(element: Any, tag: str) -> str | None:
    found = element.find(f"{W}tcPr/{tag}") if tag != f"{W}gridBefore" else element.find(f"{W}trPr/{tag}")
    if found is None:
        return None
    return str(found.get(f"{W}val", "") or "")


def _span(tc: Any) -> int:
    value = _val(tc, f"{W}gridSpan")
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def _continues(tc: Any) -> bool:
    """A cell continuing a vertical merge (`<w:vMerge/>` or `w:val="continue"`)."""
    value = _val(tc, f"{W}vMerge")
    return value is not None and value != "restart"


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = TableNamer()
        self.count = 0

    def walk(self, element: Any) -> None:
        for child in _children(element, f"{W}p", f"{W}tbl"):
            if child.tag == f"{W}p":
                self.paragraph(child)
            elif not self.table(child):
                for tc in child.iter(f"{W}tc"):  # a layout table: its paragraphs in order
                    for p in _children(tc, f"{W}p"):
                        self.paragraph(p)

    def paragraph(self, p: Any) -> None:
        for line in _text(p).split("\n") or [""]:
            self.paragraphs += 1
            self.blocks.append(Line(" ".join(line.split()), f"第{self.paragraphs}段"))

    def table(self, tbl: Any) -> bool:
        rows = list(_children(tbl, f"{W}tr"))
        cells = [list(_children(tr, f"{W}tc")) for tr in rows]
        nested = any(True for _ in tbl.iter(f"{W}tbl") if _ is not tbl)
        if nested or not rows or max(len(c) for c in cells) <= 1:
            return False
        self.count += 1
        if self.count > limits().page_tables:
            raise ReportError(over("Word document", "page_tables", unit="tables"))
        raw: list[tuple[str, int, int]] = []  # text, row, grid column (1-based)
        for r, (tr, tcs) in enumerate(zip(rows, cells, strict=True), 1):
            col = 1
            before = _val(tr, f"{W}gridBefore")
            if before and before.isdigit():
                col += min(int(before), 1000)
            for tc in tcs:
                if not _continues(tc):
                    raw.append((_text(tc), r, col))
                col += _span(tc)
        name = self.tables.name([text for text, _, _ in raw], f"表格{self.count}")
        tokens = tuple(Token(text, f"{name} 第{r}行 第{c}列", r) for text, r, c in raw)
        self.blocks.append(Grid(tokens, name, rows_known=True))
        return True


_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}property"


def _meta(document: Any) -> dict[str, str]:
    """The `ogi:` metadata the library's own documents carry in their custom properties."""
    meta: dict[str, str] = {}
    for part in document.part.package.iter_parts():
        if not str(part.content_type).endswith("custom-properties+xml"):
            continue
        from lxml import etree

        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        root = etree.fromstring(part.blob, parser)
        for prop in root.iter(_CUSTOM):
            name = str(prop.get("name") or "").lower()
            if name.startswith(META_PREFIX) and len(prop):
                meta[name] = prop[0].text or ""
    return meta


def docx_blocks(path: Path) -> tuple[PageText, list[ReadingNote]]:
    """A Word document as a page: its lines and tables in order, its title and `ogi:` metadata; and
    notes on how it was taken."""
    notes = check_docx(path)
    try:
        from docx import Document  # python-docx only when a Word document is read

        document = Document(str(path))
        body = document.element.body
        properties = document.core_properties
        title, meta = properties.title, _meta(document)
    except ReportError:
        raise
    except Exception as exc:  # lxml, zipfile, python-docx: a damaged document, never a traceback
        what = " ".join(str(exc).split())[:160]
        raise ReportError(f"not a readable Word document: {type(exc).__name__}: {what}") from None
    walker = _Walker()
    try:
        walker.walk(body)
    except RecursionError:
        raise ReportError("the Word document is nested too deeply to read") from None
    titles = [t for t in [title] if t]
    return PageText(walker.blocks, titles, meta, markup=True), notes


def extract_docx(path: str | Path, *, agency: str | None = None, year: int | None = None) -> ExtractedReport:
    """Read a Word report (.docx) as the page reader reads a page. ReportError when it is not one."""
    p = Path(path)
    try:
        page, notes = docx_blocks(p)
        return build_report(page, source=str(p), agency=agency, year=year, notes=notes)
    except ReportError as exc:
        raise (exc if exc.source else exc.with_source(str(p))) from None

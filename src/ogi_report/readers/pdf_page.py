"""PDF reports with a text layer (as Word and browsers export them) -> the blocks of a page, read by the
page reader's core (`readers/page.py`).

pdfplumber (over pdfminer.six) gives each page's characters, in whatever font is embedded, and its
ruling lines; tables are recovered from the lines (`find_tables`), a merged cell being one cell (the
grid positions it covers are not cells of their own, as in an HTML table). Text in a cell that wraps
over several lines in a narrow column is joined back (no space between two Chinese characters). The
text outside the tables becomes lines, in reading order with the tables by their place on the page,
lines that wrap at the right margin joined back into their paragraph (never a section heading), page
numbers dropped, and so are running headers and footers (a browser's date, title, address and page
count, a word processor's header: lines repeated in the margins of two pages or more). A filled area
drawn without a border (a page's background, a panel) gives no ruling lines. A table that goes on
over a page break is one table: a repeated header row is dropped, and a row broken by the page (the
rest of its label at the top of the next page, no figures) is joined back.

Before pdfminer opens the file, it is held to `pdf_bytes`, and every compressed stream in it is
expanded in bounded steps to make sure that all of them together stay within `pdf_bytes` too (a stream
bomb is refused); `pdf_pages` and `pdf_chars` bound the rest. An encrypted PDF, one with no text layer
(scanned: no OCR here) or a damaged one is a one-line error. Cells are placed as
`第2页 表三 第5行 第3列`.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ogi_report.errors import ReportError
from ogi_report.layout import LAYOUTS
from ogi_report.layout.labels import match_column, match_header, match_row, match_section, simplify
from ogi_report.limits import limits, over
from ogi_report.readers.cell_text import is_value
from ogi_report.readers.loading import check_regular_file
from ogi_report.readers.page import ExtractedReport, build_report
from ogi_report.readers.page_tables import Token
from ogi_report.readers.radicals import ideographs
from ogi_report.readers.table_names import TableNamer
from ogi_report.readers.text_page import Block, Grid, Line, PageText

_STREAM = re.compile(rb"stream\r?\n")
_CHUNK = 1 << 20
_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_WRAP = re.compile(rf"(?<=[{_CJK}0-9])\n(?=[{_CJK}0-9])|(?<=[{_CJK}])\n|\n(?=[{_CJK}])")
_PAGE_NUMBER = re.compile(
    r"^[-—–\s]*(?:第\s*)?[0-9]{1,4}\s*(?:页)?(?:\s*/\s*[0-9]{1,4})?(?:\s*共\s*[0-9]+\s*页)?[-—–\s]*$"
)
_TOLERANCE = 3.0  # points


def check_streams(raw: bytes, source: str) -> None:
    """Expand every Flate stream in bounded steps: all of them together within `pdf_bytes`."""
    budget = limits().pdf_bytes
    total = 0
    for match in _STREAM.finditer(raw):
        start = match.end()
        end = raw.find(b"endstream", start)
        if end < 0:
            end = len(raw)
        data = raw[start:end]
        inflater = zlib.decompressobj()
        try:
            out = inflater.decompress(data, _CHUNK)
            while True:
                total += len(out)
                if total > budget:
                    raise ReportError(
                        over("PDF", "pdf_bytes", unit="bytes") + " once its streams are expanded",
                        source=source,
                    )
                if not inflater.unconsumed_tail:
                    break
                out = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
        except zlib.error:
            continue  # not compressed with Flate (or damaged): pdfminer decides


def _join_wrapped(text: str) -> str:
    """Text wrapped over several lines of a cell, joined back: nothing between Chinese characters."""
    text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    return _WRAP.sub("", text).replace("\n", " ")


@dataclass
class _Part:
    """One table on one page: rows of (text, grid column) with None where a merged cell covers."""

    page: int
    rows: list[list[str | None]]
    width: int
    x0: float
    x1: float
    top: float = 0.0
    bottom: float = 0.0
    bottom_of_page: bool = False  # nothing below it on its page
    top_of_page: bool = False  # nothing above it on its page


@dataclass
class _Table:
    parts: list[_Part] = field(default_factory=list)


def _aligned(a: _Part, b: _Part) -> bool:
    return abs(a.x0 - b.x0) < _TOLERANCE * 3 and abs(a.x1 - b.x1) < _TOLERANCE * 3


def _has_figure(row: list[str | None]) -> bool:
    return any(cell and cell.strip() and is_value(cell) for cell in row)


def _labels(row: list[str | None]) -> list[int]:
    return [i for i, cell in enumerate(row) if cell and cell.strip() and not is_value(cell)]


def _is_label(text: str) -> bool:
    return any(
        match_row(table, text) or match_header(table, text) or match_column(table, text)
        for layout in LAYOUTS.values()
        for table in layout.tables
    )


def _compact(text: str | None) -> str:
    return "".join(simplify(text or "").split())


_EXACT = frozenset(
    _compact(row.label) for layout in LAYOUTS.values() for table in layout.tables for row in table.rows
)


def _rejoined(last: list[str | None], fragment: list[str | None]) -> list[str | None] | None:
    """The row the page broke, its label's rest (`fragment`, no figures) joined back; None when the
    fragment is a row of its own (its texts and the last row's are labels in full, or joining them
    makes no label)."""
    if _has_figure(fragment) or not _labels(fragment) or not _labels(last):
        return None
    rest = [fragment[i] or "" for i in _labels(fragment)]
    heads = _labels(last)
    joined = list(last)
    if len(heads) == len(rest):
        for i, text in zip(heads, rest, strict=True):
            joined[i] = (joined[i] or "") + text
    else:
        joined[heads[-1]] = (joined[heads[-1]] or "") + "".join(rest)
    if any(_compact(joined[i]) in _EXACT for i in heads):
        return joined  # the official label, whole again
    if all(_is_label(text) for text in rest) and all(_is_label(last[i] or "") for i in heads):
        return None  # two rows, each labelled in full
    return joined if any(_is_label(joined[i] or "") for i in heads) else None


def _continue(previous: _Part, part: _Part) -> _Part:
    """The rows of a continuing part without a repeated header, a broken row joined back."""
    rows = list(part.rows)
    first_rows = previous.rows
    header = 0
    while header < len(rows) and header < len(first_rows) and rows[header] == first_rows[header]:
        header += 1
    if header and not _has_figure(rows[header - 1]):
        rows = rows[header:]
    if rows and previous.rows and (joined := _rejoined(previous.rows[-1], rows[0])) is not None:
        previous.rows[-1] = joined
        rows = rows[1:]
    return replace(part, rows=rows)


@dataclass
class _Text:
    text: str
    x0: float
    x1: float
    top: float


class _Reader:
    def __init__(self) -> None:
        self.items: list[tuple[int, float, _Part | _Text]] = []  # page, top, what
        self.heights: dict[int, float] = {}  # page -> its height

    def page(self, number: int, page: Any) -> None:
        page = page.filter(_not_a_fill)
        settings: dict[str, Any] = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
        # A table going on over a page break may lose its ruling line at the break (a browser draws
        # the border on one page only): the ends of the page's vertical rules close it there, so the
        # row by the break is still a row of the table.
        verticals = [e for e in page.edges if e["orientation"] == "v"]
        if verticals:
            ends = (min(e["top"] for e in verticals), max(e["bottom"] for e in verticals))
            settings["explicit_horizontal_lines"] = sorted(set(ends))
        found = page.find_tables(settings)
        boxes = [t.bbox for t in found]
        for table in found:
            rows = [
                [_join_wrapped(ideographs(c)) if c is not None else None for c in row]
                for row in table.extract()
            ]
            if not rows:
                continue
            width = max(len(r) for r in rows)
            rows = [r + [None] * (width - len(r)) for r in rows]
            x0, top, x1, bottom = table.bbox
            part = _Part(number, rows, width, x0, x1, top=top, bottom=bottom)
            self.items.append((number, top, part))
        for line in self._lines(page, boxes):
            self.items.append((number, line.top, line))
        self.heights[number] = float(page.height)

    def _placed(self) -> None:
        """Drop the running headers and footers, then mark each table part that nothing stands
        above or below on its page (where a table may go on over the page break)."""
        running = _running(self.items, self.heights)
        self.items = [item for item in self.items if id(item[2]) not in running]
        for n, (page, top, what) in enumerate(self.items):
            if isinstance(what, _Part):
                lines = [t for p, _, t in self.items if p == page and isinstance(t, _Text)]
                above = any(ln.top < what.top for ln in lines)
                below = any(ln.top > what.bottom for ln in lines)
                self.items[n] = (page, top, replace(what, bottom_of_page=not below, top_of_page=not above))

    def _lines(self, page: Any, boxes: list[tuple[float, float, float, float]]) -> list[_Text]:
        key = id(page)
        if getattr(self, "_cache_key", None) != key:

            def outside(obj: dict[str, Any]) -> bool:
                if obj.get("object_type") != "char":
                    return True
                cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

            lines = page.filter(outside).extract_text_lines(return_chars=False)
            self._cache = [
                _Text(ideographs(str(ln["text"])), float(ln["x0"]), float(ln["x1"]), float(ln["top"]))
                for ln in lines
                if not _PAGE_NUMBER.match(str(ln["text"]))
            ]
            self._cache_key = key
        return self._cache

    def blocks(self) -> list[Block]:
        self._placed()
        self.items.sort(key=lambda item: (item[0], item[1]))
        texts = [what for _, _, what in self.items if isinstance(what, _Text)]
        left = min((t.x0 for t in texts), default=0.0)
        right = max((t.x1 for t in texts), default=0.0)
        blocks: list[Block] = []
        namer = TableNamer()
        paragraphs = 0
        previous: _Part | None = None
        open_line: _Text | None = None
        grids: list[list[_Part]] = []  # the parts of each table, in order
        for page, _, what in self.items:
            if isinstance(what, _Text):
                text = " ".join(what.text.split())
                wraps = open_line is not None and open_line.x1 >= right - _TOLERANCE * 4
                goes_on = wraps and what.x0 <= left + _TOLERANCE and match_section(text) is None
                if goes_on and blocks and isinstance(blocks[-1], Line):
                    last = blocks[-1]
                    joiner = "" if re.match(rf"[{_CJK}0-9]", text[:1]) else " "
                    blocks[-1] = Line(last.text + joiner + text, last.place)
                else:
                    paragraphs += 1
                    blocks.append(Line(text, f"第{page}页 第{paragraphs}段"))
                open_line, previous = what, None
                continue
            open_line = None
            if previous is not None and _continues(previous, what):
                previous = _continue(previous, what)
                grids[-1].append(previous)
                continue
            grids.append([what])
            blocks.append(Grid((), f"#{len(grids) - 1}", rows_known=True))
            previous = what
        out: list[Block] = []
        for block in blocks:
            if not (isinstance(block, Grid) and block.place.startswith("#")):
                out.append(block)
                continue
            index = int(block.place[1:])
            parts = grids[index]
            labels = [c for part in parts for row in part.rows for c in row if c is not None]
            name = namer.name(labels, f"表格{index + 1}")
            tokens: list[Token] = []
            start = 0
            for part in parts:
                for r, row in enumerate(part.rows, 1):
                    for c, cell in enumerate(row, 1):
                        if cell is not None:
                            place = f"第{part.page}页 {name} 第{r}行 第{c}列"
                            tokens.append(Token(cell, place, start + r))
                start += len(part.rows)
            out.append(Grid(tuple(tokens), name, rows_known=True))
        return out


def _not_a_fill(obj: dict[str, Any]) -> bool:
    """False for a filled area drawn without a border (a page's or a panel's background, a shaded
    cell): its edges are no ruling lines. A rule drawn as a filled rectangle is thin."""
    if obj.get("object_type") != "rect" or obj.get("stroke") or not obj.get("fill"):
        return True
    return min(float(obj["width"]), float(obj["height"])) <= _TOLERANCE


_DIGITS = re.compile(r"[0-9]+")
_MARGIN = 0.1  # of the page's height: where running headers and footers stand


def _running(items: Sequence[tuple[int, float, _Part | _Text]], heights: dict[int, float]) -> set[int]:
    """The ids of the lines that stand first or last on their page, in its top or bottom tenth, with
    the same words (figures aside: page numbers, dates) as such a line of another page: a browser's or
    a word processor's running header or footer."""
    ends: dict[int, list[_Text]] = defaultdict(list)
    for page, _, what in sorted(items, key=lambda item: (item[0], item[1])):
        if isinstance(what, _Text):
            ends[page].append(what)
    seen: dict[str, set[int]] = defaultdict(set)
    found: dict[str, list[_Text]] = defaultdict(list)
    for page, lines in ends.items():
        height = heights[page]
        for line in {id(ln): ln for ln in (lines[0], lines[-1])}.values():
            margin = line.top < height * _MARGIN or line.top > height * (1 - _MARGIN)
            words = _DIGITS.sub("#", " ".join(line.text.split()))
            if margin and re.search(rf"[{_CJK}A-Za-z]", words):
                seen[words].add(page)
                found[words].append(line)
    return {id(line) for words, pages in seen.items() if len(pages) >= 2 for line in found[words]}


def _continues(previous: _Part, part: _Part) -> bool:
    """`part` goes on with the table `previous` ended its page with."""
    return (
        previous.bottom_of_page
        and part.top_of_page
        and part.page == previous.page + 1
        and _aligned(previous, part)
    )


def _open_error(exc: BaseException) -> str:
    name = type(exc).__name__
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    if "Password" in type(inner).__name__ or "Encryption" in type(inner).__name__:
        return "an encrypted (password-protected) PDF: not read; save it without a password"
    what = " ".join(str(inner).split())[:160]
    return f"not a readable PDF: {type(inner).__name__ if inner is not exc else name}: {what}"


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """The logger `name` says nothing below an error while the block runs: pdfminer warns on stderr
    of every font it finds odd (a browser's PDF: `Could not get FontBBox …`, once a character), which
    says nothing to whoever reads the report; a damaged file is still a one-line error."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def pdf_blocks(path: Path) -> PageText:
    """A PDF as a page: its lines and tables in reading order, its title."""
    source = str(path)
    check_regular_file(path)
    size = path.stat().st_size
    if size > limits().pdf_bytes:
        raise ReportError(over("PDF", "pdf_bytes", size), source=source)
    raw = path.read_bytes()
    if b"%PDF-" not in raw[:1024]:
        raise ReportError("not a PDF: no %PDF- header", source=source)
    check_streams(raw, source)
    try:
        import pdfplumber  # pdfplumber only when a PDF is read

        with _quiet("pdfminer"), pdfplumber.open(path) as pdf:
            pages = pdf.pages
            if len(pages) > limits().pdf_pages:
                raise ReportError(over("PDF", "pdf_pages", len(pages), unit="pages"), source=source)
            chars = 0
            reader = _Reader()
            title = str((pdf.metadata or {}).get("Title") or "")
            for number, page in enumerate(pages, 1):
                chars += len(page.chars)
                if chars > limits().pdf_chars:
                    raise ReportError(over("PDF", "pdf_chars", unit="characters"), source=source)
                reader.page(number, page)
                page.flush_cache()
            if not chars:
                raise ReportError(
                    "a PDF with no text layer (scanned?): no text to read, and no OCR here; "
                    "give the Word document or the published page instead",
                    source=source,
                )
            blocks = reader.blocks()
    except ReportError:
        raise
    except RecursionError:
        raise ReportError("the PDF is nested too deeply to read", source=source) from None
    except Exception as exc:  # pdfminer raises many kinds on damaged or hostile files: never a traceback
        raise ReportError(_open_error(exc), source=source) from None
    return PageText(blocks, [title] if title else [], {}, markup=True)


def extract_pdf(path: str | Path, *, agency: str | None = None, year: int | None = None) -> ExtractedReport:
    """Read a PDF report with a text layer as the page reader reads a page."""
    p = Path(path)
    try:
        page = pdf_blocks(p)
        return build_report(page, source=str(p), agency=agency, year=year)
    except ReportError as exc:
        raise (exc if exc.source else exc.with_source(str(p))) from None

"""Published report pages (HTML or text) -> the report model, with a record of how it was read.

`extract_page` decodes the page (UTF-8, else GBK/GB18030 with a note), reduces it to lines and tables
(`html_page`, `text_page`), splits the narrative into the six sections by their headings (the official
headings and the variants `docs/standard.md` lists), finds the three tables by their labels, decides
the layout from the tables' shape
(table 二's rows and columns, table 三 with or without the （六） sub-rows) and reads every cell as
written (`cell_text`). Every reading that was not verbatim, every row the layout lacks (kept as an
extra) and the place of every cell in the page are returned with the report as reading notes
(`ogi_report.notes`), and so are the figures the
narrative states (`narrative`), which never fill a cell. A page without a recognisable table is still
a report: its narrative, and null tables that validation reports as SECTION-MISSING.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from ogi_report.documents import META_PREFIX as META_PREFIX  # its home; kept importable here
from ogi_report.errors import ReportError
from ogi_report.layout import LAYOUTS, SECTIONS, Layout
from ogi_report.layout.labels import match_section, simplified_characters, simplify
from ogi_report.limits import limits, over
from ogi_report.model import Report
from ogi_report.notes import Lang, ReadingNote, note
from ogi_report.readers.cell_text import is_value
from ogi_report.readers.html_page import html_blocks
from ogi_report.readers.loading import LoadedReport, check_regular_file, parse_report
from ogi_report.readers.narrative import NarrativeFigure, narrative_figures
from ogi_report.readers.page_metadata import (
    LEAD_WORDS,
    TITLE_WORDS,
    UNNAMED_AGENCY,
    find_agency,
    find_year,
    government_of,
    placed_name,
    plain_text,
    stand_in_year,
    title_agency,
)
from ogi_report.readers.page_tables import TableRead, Token, find_row, read_table, score
from ogi_report.readers.text_page import Block, Grid, Line, PageText, grids_in, split_pipes, text_blocks

_MAX_PATH = 1024
_SNIFF = 4096
_HTML_START = re.compile(r"^\s*<(?:!doctype\s+html|html|head|body|meta|title|div|p|table)\b", re.IGNORECASE)
_CHARSET = re.compile(rb"charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.IGNORECASE)
_GB = ("gbk", "gb2312", "gb18030", "x-gbk", "cp936")
_BINARY_MAGIC = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a zip archive (a Word or Excel file?)",
    b"\xd0\xcf\x11\xe0": "an old Office file (.doc/.xls)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
}
_TITLE = re.compile(
    r"(?P<agency>[^\s,，。；;：:、()（）《》“”\"|]{2,60}?)\s*(?:关于)?\s*(?P<year>(?:19|20)[0-9]{2})\s*年度?\s*"
    + TITLE_WORDS
)
_PUBLISHED = re.compile(
    r"(?:发布|公开|成文|印发)(?:日期|时间)\s*[:：]?\s*(?P<y>[0-9]{4})\s*[-年/.]\s*(?P<m>[0-9]{1,2})\s*[-月/.]\s*"
    r"(?P<d>[0-9]{1,2})"
)
_DATE = re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})")
_PUBDATE_META = ("pubdate", "publishdate", "firstpublishedtime", "publishtime")
# Lines of a web page's frame, not of the report (footers, sharing and printing links).
_CHROME = re.compile(
    r"(?:主办|承办|协办|版权所有|网站标识码|网站地图|联系我们|技术支持|打印本页|关闭窗口|分享到|扫一扫)\s*[:：]?"
    r"|.{0,12}ICP备|[【\[](?:打印|关闭|字体)"
)
# The agency an office belongs to, opening a title before a space (`武汉市东湖生态旅游风景区管理委员会 `).
_PARENT = re.compile(r"\s*[\u4e00-\u9fff]{2,40}(?:管理委员会|委员会|人民政府)\s+")
_SUB_UNIT = ("办公室", "办", "室", "中心")  # a name that needs its parent's (never a 局, which stands alone)
_TITLE_LINES = 8  # lines at the top of a page searched for the report's title
_TITLE_PART = 40  # characters of the first line of a title broken over two lines


@dataclass
class ExtractedReport:
    """A report read from a published page, with a record of how it was read."""

    loaded: LoadedReport
    readings: list[ReadingNote] = field(default_factory=list)  # cells not read verbatim (CELL-…)
    extras: list[ReadingNote] = field(default_factory=list)  # rows the layout does not have (ROW-EXTRA)
    narrative: list[NarrativeFigure] = field(default_factory=list)  # figures the text states
    places: dict[str, str] = field(default_factory=dict)  # cell path -> place in the page
    warnings: list[ReadingNote] = field(default_factory=list)  # what could not be read as expected
    notes: list[ReadingNote] = field(default_factory=list)  # how the page was taken (encoding, layout)

    @property
    def report(self) -> Report:
        return self.loaded.report

    def summary(self, lang: Lang = "zh") -> dict[str, Any]:
        """Readings, extras, narrative figures, warnings and notes as plain data."""
        return {
            "source": self.loaded.source,
            "notes": [n.to_dict(lang) for n in self.notes],
            "warnings": [w.to_dict(lang) for w in self.warnings],
            "readings": [r.to_dict(lang) for r in self.readings],
            "extras": [e.to_dict(lang) for e in self.extras],
            "narrative": [f.to_dict() for f in self.narrative],
        }


# --- Bytes to text --------------------------------------------------------------------------------


def decode_page(raw: bytes) -> tuple[str, ReadingNote | None]:
    """The page's text and, when it was not UTF-8, a note saying how it was decoded."""
    head = raw[:_SNIFF]
    for magic, what in _BINARY_MAGIC.items():
        if head.startswith(magic):
            raise ReportError(f"not a report page: {what}; convert it to HTML or text first")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), note("ENCODING-BOM", encoding="UTF-16")
        except UnicodeDecodeError:
            raise ReportError("not a report page: broken UTF-16 text") from None
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if b"\x00" in head or controls > len(head) // 100:
        raise ReportError("not a report page: binary data, not text")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        position = exc.start
    declared = _CHARSET.search(head)
    name = declared.group(1).decode("ascii").lower() if declared else None
    encodings = [name] if name and name not in _GB and name not in ("utf-8", "utf8") else []
    for encoding in [*encodings, "gb18030"]:
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        label = "GBK/GB18030" if encoding == "gb18030" else encoding
        return text, note("ENCODING", byte=position, encoding=label)
    raise ReportError(f"not UTF-8 or GBK/GB18030 text (byte {position}); save the page as UTF-8")


def looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:_SNIFF].lstrip("\ufeff")))


# --- Sections -------------------------------------------------------------------------------------


def _heading(line: Line) -> str | None:
    text = line.text
    if "|" in text:
        cells = [c for c in split_pipes(text) if c.strip()]
        if len(cells) != 1:
            return None
        text = cells[0]
    section = match_section(text)
    return section.code if section else None


def _regions(blocks: list[Block]) -> dict[str | None, list[Block]]:
    """Blocks by the section heading above them (None: before the first heading)."""
    regions: dict[str | None, list[Block]] = {None: []}
    current: str | None = None
    for block in blocks:
        if isinstance(block, Line) and (code := _heading(block)) is not None:
            current = code
            regions.setdefault(code, [])
            continue
        regions.setdefault(current, []).append(block)
    return regions


_TABLE_SECTIONS = {s.code: s.table for s in SECTIONS if s.table is not None}


def _split(
    regions: dict[str | None, list[Block]], *, markup: bool
) -> tuple[dict[str, str | None], list[Grid]]:
    """Section texts and every table of the page, in order. In text, runs of pipe lines are tables
    wherever they stand; in HTML, lines are read as cells only under a table's heading that has no
    <table>."""
    texts: dict[str, str | None] = {}
    grids: list[Grid] = []
    for code, blocks in regions.items():
        lines = [b for b in blocks if isinstance(b, Line)]
        own = [
            replace(b, caption=above) if isinstance(above, Line) else b
            for above, b in pairwise([None, *blocks])
            if isinstance(b, Grid)
        ]
        in_table_section = code in _TABLE_SECTIONS
        found: list[Grid]
        if markup and not (in_table_section and not own):
            found, prose = [], lines
        else:
            found, prose = grids_in(lines, paragraphs=in_table_section and not own)
        grids += own + found
        if code is not None and code not in _TABLE_SECTIONS:
            text = "\n".join(
                line.text.strip()
                for line in prose
                if line.text.strip() and not _CHROME.match(line.text.strip())
            )
            texts[code] = text or None
    return texts, grids


# --- Tables ---------------------------------------------------------------------------------------

_CLEAR_MARGIN = 2  # evidence (rows and header columns) by which one layout must fit a table better
_TABLE_CODES = tuple(dict.fromkeys(t.code for layout in LAYOUTS.values() for t in layout.tables))


def _identify(grid: Grid) -> str | None:
    scores = {
        code: max(score(layout.table(code), grid.tokens) for layout in LAYOUTS.values())
        for code in _TABLE_CODES
    }
    best = max(scores, key=lambda code: scores[code])
    return best if scores[best] >= 2 else None


def _merged(grids: list[Grid]) -> tuple[list[Token], bool, bool]:
    """The tokens of a table printed in several parts (a page break, 续表), rows kept apart; whether
    rows are known and blanks shown in every part."""
    tokens: list[Token] = []
    for index, grid in enumerate(grids):
        for tok in grid.tokens:
            row = None if tok.row is None else index * 1_000_000 + tok.row
            tokens.append(Token(tok.text, tok.place, row, tok.pad))
    return tokens, all(g.rows_known for g in grids), all(g.blanks_shown for g in grids)


_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s*")  # a heading's marks in Markdown (`### 行政复议`)


def _captioned(grid: Grid, code: str) -> Grid:
    """A table of one row of figures and no row label, under a line naming one row of a table whose
    rows stand side by side (`### 行政复议` above `| 结果维持 | … |` and `| 27 | … |`: table 四 as one
    small table a block): the caption is that row's label, the first cell of its figures' row."""
    if grid.caption is None:
        return grid
    tables = [layout.table(code) for layout in LAYOUTS.values()]
    caption = _MARKDOWN_HEADING.sub("", grid.caption.text).strip()
    named = {row.code for t in tables if t.rows_across and (row := find_row(t, caption)) and not row.is_group}
    # The rows holding figures (not a rule of dashes under a Markdown header).
    rows = {tok.row for tok in grid.tokens if is_value(tok.text) and any(c.isdigit() for c in tok.text)}
    if len(named) != 1 or len(rows) != 1 or None in rows:
        return grid
    if any(find_row(t, tok.text) for t in tables for tok in grid.tokens if not tok.blank):
        return grid  # its rows are named in it
    at = next(k for k, tok in enumerate(grid.tokens) if tok.row in rows)
    label = Token(caption, grid.caption.place, grid.tokens[at].row)
    return replace(grid, tokens=(*grid.tokens[:at], label, *grid.tokens[at:]))


def _read_tables(grids: list[Grid]) -> tuple[dict[str, dict[str, TableRead]], list[ReadingNote]]:
    """table code -> layout code -> the table read against that layout's table."""
    if len(grids) > limits().page_tables:  # HTML stops at its tables; text pages at their grids
        raise ReportError(over("page", "page_tables", unit="tables"))
    cells = sum(len(g.tokens) for g in grids)
    if cells > limits().page_cells:  # each cell is matched against the labels: bound the work
        raise ReportError(over("page", "page_cells", cells, unit="table cells"))
    parts: dict[str, list[Grid]] = {}
    ignored: list[ReadingNote] = []
    for grid in grids:
        code = _identify(grid)
        if code is None:
            if any(not t.blank for t in grid.tokens):
                ignored.append(note("TABLE-UNKNOWN", grid.place))
            continue
        parts.setdefault(code, []).append(_captioned(grid, code))
    reads: dict[str, dict[str, TableRead]] = {}
    for code, found in parts.items():
        tokens, rows_known, blanks_shown = _merged(found)
        cache: dict[int, TableRead] = {}
        reads[code] = {}
        for layout in LAYOUTS.values():
            table = layout.table(code)
            if id(table) not in cache:
                cache[id(table)] = read_table(table, tokens, rows_known=rows_known, blanks_shown=blanks_shown)
            reads[code][layout.code] = cache[id(table)]
    return reads, ignored


def _layout_votes(reads: dict[str, dict[str, TableRead]]) -> list[tuple[str, str]]:
    """(table code, layout code) for each table whose shape fits one layout clearly better (a table
    mixing both, one block in the other layout's columns, is a near tie and casts no vote)."""
    votes: list[tuple[str, str]] = []
    for code, by_layout in reads.items():
        evidence = {lay: read.evidence for lay, read in by_layout.items()}
        if max(evidence.values()) - min(evidence.values()) >= _CLEAR_MARGIN:
            votes.append((code, max(evidence, key=lambda lay: evidence[lay])))
    return votes


# --- Metadata -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Title:
    agency: str
    year: int


def _title(text: str) -> _Title | None:
    """The agency and year of a title such as 汕尾市城区人民政府2024年政府信息公开工作年度报告; the
    agency as written (Traditional characters kept)."""
    original = plain_text(text)
    simple = simplified_characters(original)
    for match in _TITLE.finditer(simple):
        if simple.count("《", 0, match.start()) > simple.count("》", 0, match.start()):
            continue  # a document the text cites (《关于做好2022年度……报告……的通知》), not the title
        start, end = match.span("agency")
        words = LEAD_WORDS.match(simple[start:end])
        parent = _PARENT.fullmatch(simple[:start])
        if words is None and parent and simple[start:end].endswith(_SUB_UNIT):
            start = parent.start()  # `××管理委员会 卫生健康办公室2023年……报告`: the office is the parent's
        agency = title_agency(original[start + (words.end() if words else 0) : end])
        if agency is not None:
            return _Title(agency, int(match["year"]))
    return None


def _titles(page: PageText, regions: dict[str | None, list[Block]]) -> Iterator[str]:
    yield from page.titles
    lines = [b for b in regions.get(None, []) if isinstance(b, Line) and b.text.strip()]
    for line in lines[:_TITLE_LINES]:
        yield line.text
    for first, second in pairwise(lines[:_TITLE_LINES]):  # a title broken over two lines
        if len(first.text.strip()) <= _TITLE_PART and "|" not in first.text + second.text:
            yield first.text.strip() + second.text.strip()


def _published(page: PageText, regions: dict[str | None, list[Block]]) -> str | None:
    for key in _PUBDATE_META:
        if key in page.meta and (match := _DATE.search(page.meta[key])):
            return f"{match['y']}-{int(match['m']):02d}-{int(match['d']):02d}"
    for blocks in regions.values():
        for block in blocks:
            if isinstance(block, Line) and (match := _PUBLISHED.search(simplify(block.text))):
                return f"{match['y']}-{int(match['m']):02d}-{int(match['d']):02d}"
    return None


def _meta_data(meta: dict[str, str]) -> dict[str, Any]:
    """The `ogi:` meta tags as report data (nested by dots)."""
    data: dict[str, Any] = {}
    for name, content in meta.items():
        if not name.startswith(META_PREFIX):
            continue
        node = data
        *parents, last = name[len(META_PREFIX) :].split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = content
    return data


def _explanations(text: Any, source: str | None) -> Any:
    """The explanations the `ogi:explanations` metadata holds (JSON, as the writers put it); the
    model checks each."""
    try:
        return json.loads(str(text))
    except ValueError:
        raise ReportError(f"{META_PREFIX}explanations is not JSON", source=source) from None


# --- The report -----------------------------------------------------------------------------------


def _numeral(table: str) -> str:
    """二 for proactive: the numeral that opens the table's label."""
    return next(iter(LAYOUTS.values())).table(table).label.split("、", 1)[0]


def _choose_layout(
    votes: list[tuple[str, str]],
    stated: Any,
    year: int,
    notes: list[ReadingNote],
    warnings: list[ReadingNote],
) -> Layout:
    if votes:
        table, code = votes[0]
        notes.append(note("LAYOUT-FROM-TABLE", layout=code, table=table, numeral=_numeral(table)))
        for other, layout in votes[1:]:
            if layout != code:
                warnings.append(
                    note(
                        "LAYOUT-CONFLICT",
                        table=other,
                        numeral=_numeral(other),
                        other=layout,
                        layout=code,
                        by=table,
                        by_numeral=_numeral(table),
                    )
                )
        return LAYOUTS[code]
    if stated in LAYOUTS:
        return LAYOUTS[stated]
    code = "2019-trial" if year <= 2020 else "2021"
    notes.append(note("LAYOUT-GUESSED", layout=code, year=year))
    return LAYOUTS[code]


def _number(text: Any) -> int | None:
    try:
        return int(str(text).strip())
    except ValueError:
        return None


def build_report(
    page: PageText,
    *,
    source: str | None = None,
    agency: str | None = None,
    year: int | None = None,
    notes: list[ReadingNote] | None = None,
) -> ExtractedReport:
    """The report a page (as blocks) holds."""
    notes = list(notes or [])
    warnings: list[ReadingNote] = []
    regions = _regions(page.blocks)
    headings = [code for code in regions if code is not None]
    texts, grids = _split(regions, markup=page.markup)
    reads, ignored = _read_tables(grids)
    warnings += ignored
    meta = _meta_data(page.meta)
    title = next((t for t in map(_title, _titles(page, regions)) if t is not None), None)
    if not headings and not reads and title is None:
        raise ReportError("not a report page: no section heading, table or report title found", source=source)
    found_year = year or _number(meta.get("year")) or (title.year if title else None)
    stated_agency = meta.get("agency")
    meta_agency: dict[str, Any] = stated_agency if isinstance(stated_agency, dict) else {}
    name = agency or meta_agency.get("name") or (title.agency if title else None)
    published = meta.get("published") or _published(page, regions)
    missing: list[str] = []
    lines = (b.text for blocks in regions.values() for b in blocks if isinstance(b, Line))
    texts_all = [*_titles(page, regions), *lines]  # what the text says of itself (page_metadata)
    if found_year is None or not name:  # no title
        if found_year is None and (found := find_year(texts_all, published)) is not None:
            found_year = int(found.value)
            notes.append(found.how)
        if not name and (found := find_agency(texts_all, page.meta)) is not None:
            name = str(found.value)
            notes.append(found.how)
    given = agency or meta_agency.get("name")
    if name and not given and (placed := placed_name(name, texts_all)) is not None:
        name = str(placed.value)
        notes.append(placed.how)
    if name and not given and (government := government_of(name, texts_all)) is not None:
        name = str(government.value)
        notes.append(government.how)
    votes = _layout_votes(reads)
    if found_year is None:
        found_year = stand_in_year(votes[0][1] if votes else meta.get("format"))
        missing.append("year")
        warnings.append(note("YEAR-MISSING", year=found_year))
    if not name:
        name = UNNAMED_AGENCY
        missing.append("agency.name")
        warnings.append(note("AGENCY-MISSING", became=name))
    layout = _choose_layout(votes, meta.get("format"), found_year, notes, warnings)
    data: dict[str, Any] = {
        "format": layout.code,
        "year": found_year,
        "agency": {**meta_agency, "name": name},
        "scope": meta.get("scope"),
        "published": published,
        "source_url": meta.get("source_url"),
        "sections": {s.code: texts.get(s.code) for s in SECTIONS if s.table is None},
    }
    if "explanations" in meta:
        data["explanations"] = _explanations(meta["explanations"], source)
    if meta.get("note"):
        data["_note"] = meta["note"]
    elif missing:
        data["_note"] = f"not stated on the page: {', '.join(missing)} (stand-ins; METADATA-MISSING)"
    readings: list[ReadingNote] = []
    extras: list[ReadingNote] = []
    places: dict[str, str] = {}
    unreadable: dict[str, str] = {}
    unplaced: dict[str, ReadingNote] = {}
    for table in layout.tables:
        read = reads.get(table.code, {}).get(layout.code)
        if read is None:
            data[table.code] = None
            warnings.append(note("TABLE-MISSING", table=table.code, numeral=_numeral(table.code)))
            continue
        data[table.code] = read.cells
        unreadable.update(read.unreadable)
        unplaced.update(read.unplaced)
        readings += read.readings
        extras += read.extras
        places.update(read.places)
        warnings += read.warnings
    loaded = parse_report(data, source=source)
    for path in set(loaded.unreadable) - set(unreadable):  # a figure the model refuses (out of range)
        readings = [r for r in readings if r.params.get("path") != path]
        written = str(loaded.unreadable[path])
        readings.append(
            note("CELL-UNREADABLE", places.get(path), written=written, path=path, how=("out_of_range",))
        )
    loaded.unreadable.update(unreadable)
    loaded.places.update(places)
    loaded.notes += notes + warnings
    loaded.missing_metadata = tuple(missing)
    loaded.unplaced.update(unplaced)
    figures = narrative_figures(loaded.report.sections.__dict__)
    loaded.from_page, loaded.narrative = True, tuple(figures)
    return ExtractedReport(loaded, readings, extras, figures, places, warnings, notes)


def _names_a_file(text: str) -> bool:
    if "\n" in text or "<" in text or len(text) > _MAX_PATH:
        return False
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # a name too long, or holding a NUL
        return False


def _source_text(source: str | Path | bytes) -> tuple[bytes | str, str | None]:
    if isinstance(source, bytes):
        return source, None
    if isinstance(source, Path) or _names_a_file(source):
        path = Path(source)
        check_regular_file(path)
        try:
            size = path.stat().st_size
            if size > limits().page_bytes:
                raise ReportError(over("page", "page_bytes", size), source=str(path))
            return path.read_bytes(), str(path)
        except OSError as exc:
            raise ReportError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None
    return source, None


def extract_page(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    agency: str | None = None,
    year: int | None = None,
) -> ExtractedReport:
    """Read a published report page: a file (Path, or a str naming an existing file), its bytes, or
    its text; HTML or text in any shape real copies take (README.md; `docs/standard.md` describes the
    layouts). `agency` and `year` stand in for a page that does not state them. ReportError when the
    input is not a report page."""
    content, path = _source_text(source)
    label = name or path
    notes: list[ReadingNote] = []
    if isinstance(content, bytes):
        try:
            text, how = decode_page(content)
        except ReportError as exc:
            raise exc.with_source(label) if label else exc from None
        if how:
            notes.append(how)
    else:
        text = content
    text = text.lstrip("\ufeff")
    try:
        page = html_blocks(text) if looks_like_html(text) else text_blocks(text)
        return build_report(page, source=label, agency=agency, year=year, notes=notes)
    except ReportError as exc:
        raise (exc.with_source(label) if label and not exc.source else exc) from None

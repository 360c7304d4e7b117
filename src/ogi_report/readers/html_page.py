"""Published reports as HTML: the markup walked into lines of text and grids of table cells.

lxml's HTML parser reads the page; nothing in it is run or fetched (scripts, styles and embedded
objects are skipped, the parser touches no network and HTML has no external entities to resolve). A
table holding other tables, or whose every row has a single cell, is page layout, not data: its
content is walked as text. Every other table becomes a grid of cells with their places
(`table 3 row 5 cell 2`, counting cells as written in the row, spans aside).
"""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

from ogi_report.errors import ReportError
from ogi_report.limits import limits, over
from ogi_report.readers.page_tables import Token
from ogi_report.readers.text_page import Block, Grid, Line, PageText

_SKIP = frozenset(
    {
        "script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe", "object",
        "embed", "svg", "math", "button", "select", "textarea", "input", "canvas", "audio", "video",
    }
)  # fmt: skip
_BLOCK = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
        "header", "footer", "main", "blockquote", "pre", "dd", "dt", "dl", "tr", "td", "th", "caption",
        "center", "form", "fieldset", "address", "figure", "figcaption", "hr", "table", "tbody",
        "thead", "tfoot", "nav", "aside", "body", "html",
    }
)  # fmt: skip
_PARAGRAPHS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt"})
_TITLES = ("h1", "h2", "h3")


def _tag(element: etree._Element) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _rows(table: etree._Element) -> list[etree._Element]:
    found: list[etree._Element] = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            found.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            found += [row for row in child if _tag(row) == "tr"]
    return found


def _cells(row: etree._Element) -> list[etree._Element]:
    return [cell for cell in row if _tag(cell) in ("td", "th")]


def _cell_text(element: etree._Element) -> str:
    """A cell's text: block children and <br> on lines of their own."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = _tag(node)
        if tag in _SKIP:
            return
        if tag == "br" or (tag in _BLOCK and parts):
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "\n".join(line.strip() for line in "".join(parts).splitlines()).strip()


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.lines = 0
        self.tables = 0

    def flush(self, *, keep_blank: bool = False) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        for line in text.split("\n"):
            if line.strip() or keep_blank:
                self.lines += 1
                self.blocks.append(Line(" ".join(line.split()), f"paragraph {self.lines}"))
                keep_blank = False

    def walk(self, element: etree._Element) -> None:
        tag = _tag(element)
        if tag in _SKIP or not tag:
            return
        if tag == "table" and self.table(element):
            return
        if tag == "br":
            self.buffer.append("\n")
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        if element.text:
            self.buffer.append(element.text)
        for child in element:
            self.walk(child)
            if child.tail:
                self.buffer.append(child.tail)
        if block:
            self.flush(keep_blank=tag in _PARAGRAPHS)

    def table(self, element: etree._Element) -> bool:
        """A data table becomes a grid (True); a layout table is walked as text (False)."""
        rows = _rows(element)
        nested = any(_tag(e) == "table" for e in element.iterdescendants())
        if nested or not rows or max(len(_cells(row)) for row in rows) <= 1:
            return False
        self.flush()
        self.tables += 1
        if self.tables > limits().page_tables:
            raise ReportError(over("page", "page_tables", unit="tables"))
        number = self.tables
        tokens = [
            Token(_cell_text(cell), f"table {number} row {r} cell {c}", r)
            for r, row in enumerate(rows, 1)
            for c, cell in enumerate(_cells(row), 1)
        ]
        self.blocks.append(Grid(tuple(tokens), f"table {number}", rows_known=True))
        return True


def html_blocks(text: str) -> PageText:
    """An HTML page: its lines and tables in document order, its title candidates and meta tags."""
    parser = lxml_html.HTMLParser(
        encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True, huge_tree=False
    )
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ReportError(f"not a readable HTML page: {exc}") from None
    meta: dict[str, str] = {}
    for element in root.iter("meta"):
        key = str(element.get("name") or "").lower()
        content = str(element.get("content") or "")
        if key:  # the library's own tags verbatim, others with white space folded
            meta[key] = content if key.startswith("ogi:") else " ".join(content.split())
    titles = [meta[key] for key in ("articletitle", "title") if meta.get(key)]
    titles += [_cell_text(e) for tag in _TITLES for e in root.iter(tag)]
    titles += [" ".join(e.text_content().split()) for e in root.iter("title")]
    walker = _Walker()
    body = root.find("body")
    try:
        walker.walk(body if body is not None else root)
    except RecursionError:
        raise ReportError("the HTML page is nested too deeply to read") from None
    walker.flush()
    return PageText(walker.blocks, [t for t in titles if t], meta, markup=True)

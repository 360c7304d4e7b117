"""Published reports as text: lines, and the tables inside them in the shapes real copies take
(`docs/standard.md` describes the layouts).

A page (text, or HTML once its markup is walked by `html_page`) becomes a sequence of blocks: lines of
text and grids of cells (`Token`s). Tables that arrive as text are recognised here:

- pipe-flattened rows: one row a line, cells separated by `|` (leading and trailing pipes, padding
  cells); rows are known;
- one cell a line, each ending with ` |`, lines of bare pipes where spanned cells were (padding);
- one cell a paragraph, with no pipes at all: an empty cell is an extra blank line, so positions are
  recovered from the number of blank lines (and, later, the known shape of each row);
- one row a line with its cells separated by spaces (`规章 0 0 0`; text from a PDF), where at least
  two lines are such rows; lines of prose among them are left out, a row's label wrapped around its
  figures is joined back, and a row short of figures has none placed (an empty cell leaves no trace);
- one cell a line with a lone `|` line between cells (the cells themselves hold no pipe): two
  separators with nothing but white space between them stand for an empty cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from ogi_report.layout.labels import ends_with_row, enumerated, headings_in
from ogi_report.readers.cell_text import FIGURES_RUN, is_value
from ogi_report.readers.page_tables import Token


@dataclass(frozen=True)
class Line:
    """A line (or paragraph) of the page's text outside any HTML table."""

    text: str
    place: str


@dataclass(frozen=True)
class Grid:
    """The cells of one table of the page, in reading order."""

    tokens: tuple[Token, ...]
    place: str
    rows_known: bool
    # Whether an empty cell shows (between pipes, as a blank line, in HTML); where it cannot (cells
    # separated by spaces), a row with fewer figures than columns cannot say which are missing.
    blanks_shown: bool = True
    # The line of text right above the table (`### 行政复议`): it may name the one row the table holds.
    caption: Line | None = None


Block = Line | Grid


@dataclass
class PageText:
    """A page reduced to blocks, with what its markup says about it."""

    blocks: list[Block]
    titles: list[str] = field(default_factory=list)  # title candidates from the markup, best first
    meta: dict[str, str] = field(default_factory=dict)  # <meta name> (lower case) -> content
    markup: bool = False  # from HTML: its tables are <table>s, its paragraphs prose


_RUN_ON = 300  # characters: a line this long holding two section headings is a page run together


def _unrun(line: Line) -> list[Line]:
    """A page whose lines were run into one (a crawler that kept only the text): cut before and after
    each section heading it holds (two or more, or one before a table's rows), so sections and tables
    are found as on any page."""
    spans = headings_in(line.text) if len(line.text) > _RUN_ON else []
    if not spans:
        return [line]
    if len(spans) == 1 and not any(_row_with_figures(p) for p in run_pieces(line.text[spans[0][1] :])):
        return [line]
    cuts = sorted({0, len(line.text), *(edge for span in spans for edge in span)})
    pieces = (line.text[a:b].strip() for a, b in pairwise(cuts))
    return [Line(piece, line.place) for piece in pieces if piece]


def text_blocks(text: str) -> PageText:
    """A plain-text page: one block per line (blank lines kept: they carry empty cells)."""
    lines = [Line(line, f"line {number}") for number, line in enumerate(text.splitlines(), 1)]
    return PageText([piece for line in lines for piece in _unrun(line)])


PIPE = "|"


def split_pipes(text: str) -> list[str]:
    """The cells of a pipe-flattened line. A pipe that opens the line and the one that closes it are
    decoration; white space before a closing pipe is an empty cell (` |` in one cell a line)."""
    cells = text.rstrip().split(PIPE)
    if len(cells) > 1 and cells[0] == "":
        cells = cells[1:]
    if len(cells) > 1 and not cells[-1].strip():
        cells = cells[:-1]
    return cells


def is_pad(text: str) -> bool:
    """A line of bare pipes (no white space before them): spanned cells, not cells."""
    bare = text.rstrip()
    return bool(bare) and set(bare) == {PIPE}


def _closes_previous(previous: str, text: str) -> bool:
    """One cell a line: a lone `|` right after a cell written without its pipe is that cell's own
    pipe, broken onto the next line (`行政规范性文件` / `|`), not an empty cell."""
    return text.strip() == PIPE and bool(previous.strip()) and PIPE not in previous


# The rule under a Markdown table's header (`|---|:---:|`): no cells.
_DELIMITER = re.compile(r"\|?(?:\s*:?-{3,}:?\s*\|)+(?:\s*:?-{3,}:?\s*)?")


def pipe_grid(lines: Sequence[Line], place: str) -> Grid:
    """Pipe lines: rows are known when most lines hold several cells (pipe-flattened rows), else each
    line is one cell (one cell a line). A Markdown table's rule under its header is dropped."""
    lines = [
        line
        for number, line in enumerate(lines)
        if not (number and PIPE in lines[number - 1].text and _DELIMITER.fullmatch(line.text.strip()))
    ]
    rows = [(line, split_pipes(line.text)) for line in lines if not is_pad(line.text)]
    several = sum(1 for _, cells in rows if len([c for c in cells if c.strip()]) >= 2)
    rows_known = several * 2 >= len(rows) > 0
    tokens: list[Token] = []
    for number, line in enumerate(lines):
        if not rows_known and number and _closes_previous(lines[number - 1].text, line.text):
            continue
        if is_pad(line.text):
            # One cell a line: a lone `|` is an empty cell (or a row's frame, dropped as surplus
            # padding when it has no column); longer runs of bare pipes are spanned filler.
            lone = not rows_known and line.text.strip() == PIPE
            tokens.append(Token("", line.place, number if rows_known else None, pad=not lone))
            continue
        cells = split_pipes(line.text)
        if not rows_known:
            tokens += [Token(cell, line.place) for cell in cells]
            continue
        for index, cell in enumerate(cells, 1):
            tokens.append(Token(cell, f"{line.place} cell {index}", number))
    return Grid(tuple(tokens), place, rows_known)


def paragraph_grid(lines: Sequence[Line], place: str) -> Grid:
    """One cell a paragraph: cells are normally separated by `sep` blank lines (the most common
    gap); k blank lines between two cells stand for k - sep empty cells, and lines of words closer
    than that are one cell broken over lines (`本年新` / `制作数量`)."""
    filled = [i for i, line in enumerate(lines) if line.text.strip()]
    gaps = [b - a - 1 for a, b in pairwise(filled)]
    sep = max(set(gaps), key=lambda g: (gaps.count(g), -g)) if gaps else 0
    tokens: list[Token] = []
    for position, i in enumerate(filled):
        text, joined = lines[i].text, False
        if position and tokens and gaps[position - 1] < sep:
            last = tokens[-1]
            if not last.blank and not is_value(last.text) and not is_value(text):
                tokens[-1] = Token(last.text.strip() + text.strip(), last.place)
                joined = True
        if not joined:
            tokens.append(Token(text, lines[i].place))
        if position + 1 < len(filled):
            gap = filled[position + 1] - i - 1
            for k in range(gap - sep):
                tokens.append(Token("", f"{lines[i + 1 + sep + k].place} (blank)"))
    return Grid(tuple(tokens), place, rows_known=False)


def is_separated(lines: Sequence[Line]) -> bool:
    """One cell a line with lone `|` lines between the cells: every line holding a pipe is a bare
    pipe, and there are cells between them."""
    piped = [line for line in lines if PIPE in line.text]
    return (
        len(piped) >= 2
        and all(set(line.text.strip()) == {PIPE} for line in piped)
        and len(piped) * 2 >= sum(1 for line in lines if line.text.strip() and PIPE not in line.text)
    )


def separated_grid(lines: Sequence[Line], place: str) -> Grid:
    """One cell a line, a lone `|` line between cells: each line of text is a cell; a separator that
    follows another with no text between them marks an empty cell."""
    tokens: list[Token] = []
    after_separator = False
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if set(text) == {PIPE}:
            if after_separator:
                tokens.append(Token("", f"{line.place} (empty cell)"))
            after_separator = True
            continue
        tokens.append(Token(line.text, line.place))
        after_separator = False
    return Grid(tuple(tokens), place, rows_known=False)


_SENTENCE_MARKS = frozenset("，。；;：:、！？")
_WHOLE_TABLE = 10  # figures on one line: a whole table of blocks side by side
_HEADER_WORD = 16  # characters: a longer word without figures is prose, not a header cell


# Words before a row's figures: its label, after a piece of its group's label where that column
# wrapped (`三、本年度 （一）予以公开 48 3 1 0 1 1 54`, as a PDF's text gives a borderless table).
_LABEL_PIECES = 2


def _spaced_row(text: str) -> bool:
    """`规章 0 0 0`, `0 0 0 0 0`: a label (or none) and at least two figures, separated by spaces."""
    pieces = text.split()
    values = [is_value(p) for p in pieces]
    first = values.index(True) if True in values else len(pieces)
    return len(pieces) - first >= 2 and all(values[first:]) and first <= _LABEL_PIECES


def is_spaced(lines: Sequence[Line]) -> bool:
    """One row a line, cells separated by spaces: at least two lines are rows of figures, or one
    line holds the figures of a whole table (table 四 side by side)."""
    if any(PIPE in line.text for line in lines):
        return False
    rows = [line.text.split() for line in lines if _spaced_row(line.text)]
    return len(rows) >= 2 or any(len(row) >= _WHOLE_TABLE for row in rows)


def _wrapped_labels(lines: Sequence[Line]) -> dict[int, tuple[int, int]]:
    """Lines of figures alone that sit inside their row's wrapped label (a borderless table in a PDF's
    text centres a row's figures on its label: `5.要求行政机关确认或重新出具已获取` / `0 0 0 0 0 0 0` /
    `信息`): figures line -> (line before, line after). Both are words without figures; the line
    after is one short word that does not start a label of its own (`1.`, `（二）`, `四、`)."""
    wrapped: dict[int, tuple[int, int]] = {}
    for i in range(1, len(lines) - 1):
        pieces = lines[i].text.split()
        if len(pieces) < 2 or not all(is_value(p) for p in pieces) or (i - 1) in wrapped:
            continue
        before, after = lines[i - 1].text.split(), lines[i + 1].text.split()
        if not before or len(after) != 1 or any(is_value(p) for p in before + after):
            continue
        if len(after[0]) <= _HEADER_WORD and not enumerated(after[0]) and (i - 2) not in wrapped:
            wrapped[i] = (i - 1, i + 1)
    return wrapped


def spaced_grid(lines: Sequence[Line], place: str) -> Grid:
    """One row a line, cells separated by spaces: rows of figures and lines of header words; a line
    of prose (a sentence, a long word) holds no cell and is left out. A row's label wrapped around
    its figures (`_wrapped_labels`) is joined back, in the figures' row."""
    wrapped = _wrapped_labels(lines)
    before = {b: f for f, (b, _) in wrapped.items()}
    after = {a for _, a in wrapped.values()}
    tokens: list[Token] = []
    for number, line in enumerate(lines):
        pieces = line.text.split()
        if number in wrapped:
            first, last = lines[number - 1], lines[number + 1]
            label = first.text.split()[-1] + last.text.split()[0]
            tokens.append(Token(label, f"{first.place}–{last.place.split(' ', 1)[-1]}", number))
        elif number in before:
            pieces = pieces[:-1]  # the label's start goes to the figures' row
        elif number in after:
            continue  # all of it went to the label
        if not pieces:
            continue
        prose = any(mark in line.text for mark in _SENTENCE_MARKS) or any(
            len(p) > _HEADER_WORD for p in pieces
        )
        if prose and not _spaced_row(line.text) and number not in wrapped:
            continue
        tokens += [Token(p, f"{line.place} cell {k}", number) for k, p in enumerate(pieces, 1)]
    return Grid(tuple(tokens), place, rows_known=True, blanks_shown=False)


def span(lines: Sequence[Line]) -> str:
    """`line 12–40` for a run of lines."""
    first, last = lines[0].place, lines[-1].place
    return first if first == last else f"{first}–{last.split(' ', 1)[-1]}"


_FIGURES = re.compile(FIGURES_RUN)  # a row's figures run into its label
_ENUMERATOR_MARKS = ".．、"
_RUN_TOGETHER = 2  # rows run into one line: a table that lost every separator


def run_pieces(text: str) -> list[str]:
    """A line whose table lost every separator (`规章000行政规范性文件8855698…`) cut after each row's
    figures: `['规章000', '行政规范性文件8855698', …]`. A digit before `.` or `、` and a label is the
    next row's number (`…00000002.其他法律…`), not a figure."""
    pieces: list[str] = []
    start = 0
    for match in _FIGURES.finditer(text):
        end = match.end()
        mark, rest = text[end : end + 1], text[end + 1 : end + 2]
        if mark and mark in _ENUMERATOR_MARKS and rest and not (rest.isdigit() or rest.isspace()):
            end -= 1  # the figures end before the next row's number
        if text[start : match.start()].strip() and end > start:
            pieces.append(text[start:end].strip())
            start = end
    if text[start:].strip():
        pieces.append(text[start:].strip())
    return pieces


def _row_with_figures(piece: str) -> bool:
    """A piece that is a row's label followed by its figures (not a sentence's `共收到8`)."""
    figures = _FIGURES.search(piece)
    return figures is not None and figures.end() == len(piece) and ends_with_row(piece[: figures.start()])


def is_run_together(lines: Sequence[Line]) -> bool:
    """Lines without pipes, one of which holds several rows of a table, each label followed straight
    by its figures."""
    if any(PIPE in line.text for line in lines):
        return False
    return any(
        sum(1 for piece in run_pieces(line.text) if _row_with_figures(piece)) >= _RUN_TOGETHER
        for line in lines
        if not _spaced_row(line.text)
    )


def run_together_grid(lines: Sequence[Line], place: str) -> Grid:
    """Rows run together: each label with its figures is one cell (`规章000`), read as such by the
    table reader (`page_tables.run_together`), which splits the figures only where one split exists."""
    tokens = [
        Token(piece, f"{line.place} piece {k}")
        for line in lines
        for k, piece in enumerate(run_pieces(line.text) if line.text.strip() else [], 1)
    ]
    return Grid(tuple(tokens), place, rows_known=False, blanks_shown=False)


def _above(lines: Sequence[Line], number: int) -> list[Line]:
    """The line of text above line `number`, blank lines skipped (none at the top)."""
    above = number - 1
    while above >= 0 and not lines[above].text.strip():
        above -= 1
    return [lines[above]] if above >= 0 else []


def grids_in(lines: Sequence[Line], *, paragraphs: bool) -> tuple[list[Grid], list[Line]]:
    """The tables among lines of text, and the lines that are prose. Runs of pipe lines are tables
    (the line above each kept as its caption); when `paragraphs` is set (the region under a table's
    heading) and there is no pipe line, every line is taken as a cell (one cell a paragraph), and
    among pipe lines, lines holding rows written with spaces are a table too."""
    if paragraphs and is_spaced(lines):
        return [spaced_grid(lines, span(lines))], []
    if paragraphs and is_run_together(lines):
        return [run_together_grid(lines, span(lines))], []
    if paragraphs and lines and not any(PIPE in line.text for line in lines):
        return [paragraph_grid(lines, span(lines))], []
    if paragraphs and is_separated(lines):
        return [separated_grid(lines, span(lines))], []
    grids: list[Grid] = []
    prose: list[Line] = []
    run: list[Line] = []
    between: list[Line] = []  # the lines since the last run of pipe lines
    caption: list[Line] = []  # the line of prose right above the run of pipe lines, if any

    def close() -> None:
        if run:
            grids.append(replace(pipe_grid(run, span(run)), caption=caption[0] if caption else None))
            run.clear()

    def spaced() -> None:
        rows = paragraphs and any(_row_with_figures(line.text.strip()) for line in between)
        if rows or (paragraphs and is_spaced(between)):
            # rows of a table's part written with spaces, among its parts with pipes (a PDF converted
            # to Markdown: `行政许可 97` above `| 规章 | 0 | 0 | 0 |`)
            grids.append(spaced_grid(between, span(between)))
            del prose[len(prose) - len(between) :]
        between.clear()

    for number, line in enumerate(lines):
        if PIPE in line.text:
            if not run:
                caption[:] = _above(lines, number)
                spaced()
            run.append(line)
        elif not line.text.strip() and run:
            continue  # a blank line inside a run of pipe lines
        elif run and is_value(line.text):
            run.append(line)  # a figure that lost its pipe (the last cell of a page cut off)
        elif run and number + 1 < len(lines) and _closes_previous(line.text, lines[number + 1].text):
            run.append(line)  # a cell whose pipe broke onto the next line
        else:
            if run:
                close()
            prose.append(line)
            between.append(line)
    close()
    spaced()
    return grids, prose

"""Published reports as text: lines, and the tables inside them in the shapes `docs/standard.md` describes.

A page (text, or HTML once its markup is walked by `html_page`) becomes a sequence of blocks: lines of
text and grids of cells (`Token`s). Tables that arrive as text are recognised here:

- pipe-flattened rows: one row a line, cells separated by `|` (leading and trailing pipes, padding
  cells); rows are known;
- one cell a line, each ending with ` |`, lines of bare pipes where spanned cells were (padding);
- one cell a paragraph, with no pipes at all: an empty cell is an extra blank line, so positions are
  recovered from the number of blank lines (and, later, the known shape of each row).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

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


Block = Line | Grid


@dataclass
class PageText:
    """A page reduced to blocks, with what its markup says about it."""

    blocks: list[Block]
    titles: list[str] = field(default_factory=list)  # title candidates from the markup, best first
    meta: dict[str, str] = field(default_factory=dict)  # <meta name> (lower case) -> content
    markup: bool = False  # from HTML: its tables are <table>s, its paragraphs prose


def text_blocks(text: str) -> PageText:
    """A plain-text page: one block per line (blank lines kept: they carry empty cells)."""
    return PageText([Line(line, f"line {number}") for number, line in enumerate(text.splitlines(), 1)])


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


def pipe_grid(lines: Sequence[Line], place: str) -> Grid:
    """Pipe lines: rows are known when most lines hold several cells (pipe-flattened rows), else each
    line is one cell (one cell a line)."""
    rows = [(line, split_pipes(line.text)) for line in lines if not is_pad(line.text)]
    several = sum(1 for _, cells in rows if len([c for c in cells if c.strip()]) >= 2)
    rows_known = several * 2 >= len(rows) > 0
    tokens: list[Token] = []
    for number, line in enumerate(lines):
        if is_pad(line.text):
            tokens.append(Token("", line.place, number if rows_known else None, pad=True))
            continue
        cells = split_pipes(line.text)
        if not rows_known:
            tokens += [Token(cell, line.place) for cell in cells]
            continue
        for index, cell in enumerate(cells, 1):
            tokens.append(Token(cell, f"{line.place} cell {index}", number))
    return Grid(tuple(tokens), place, rows_known)


def paragraph_grid(lines: Sequence[Line], place: str) -> Grid:
    """One cell a paragraph: k blank lines between two cells, where cells are normally separated by
    `sep` blank lines, stand for k - sep empty cells."""
    filled = [i for i, line in enumerate(lines) if line.text.strip()]
    gaps = [b - a - 1 for a, b in pairwise(filled)]
    sep = min(gaps) if gaps else 0
    tokens: list[Token] = []
    for position, i in enumerate(filled):
        tokens.append(Token(lines[i].text, lines[i].place))
        if position + 1 < len(filled):
            gap = filled[position + 1] - i - 1
            for k in range(gap - sep):
                tokens.append(Token("", f"{lines[i + 1 + sep + k].place} (blank)"))
    return Grid(tuple(tokens), place, rows_known=False)


def span(lines: Sequence[Line]) -> str:
    """`line 12–40` for a run of lines."""
    first, last = lines[0].place, lines[-1].place
    return first if first == last else f"{first}–{last.split(' ', 1)[-1]}"


def grids_in(lines: Sequence[Line], *, paragraphs: bool) -> tuple[list[Grid], list[Line]]:
    """The tables among lines of text, and the lines that are prose. Runs of pipe lines are tables;
    when `paragraphs` is set and there is no pipe line, every line is taken as a cell (one cell a
    paragraph), for the region under a table's heading."""
    if paragraphs and lines and not any(PIPE in line.text for line in lines):
        return [paragraph_grid(lines, span(lines))], []
    grids: list[Grid] = []
    prose: list[Line] = []
    run: list[Line] = []

    def close() -> None:
        if run:
            grids.append(pipe_grid(run, span(run)))
            run.clear()

    for line in lines:
        if PIPE in line.text:
            run.append(line)
        elif not line.text.strip() and run:
            continue  # a blank line inside a run of pipe lines
        else:
            close()
            prose.append(line)
    close()
    return grids, prose

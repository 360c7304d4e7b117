"""The tables of a published page: cells in reading order -> the registry's rows and columns.

Whatever shape a table arrives in (an HTML grid with spans, pipe-flattened rows, one cell per line or
per paragraph, lone `|` or spaces between cells: text_page.py and the shapes `docs/standard.md`
describes under layouts), it is read the same way, as a stream of cell texts (`Token`): a row label
found through the registry opens a row, and the figures after it, up to the next label (or the end of
the source row, where rows are known), are its cells, matched to the columns by the header labels and
their order, never by absolute position. Column spans that do not line up therefore do not matter.
Table 四, whose blocks stand side by side (`Table.rows_across`), is read from its one line of cells
when no block has cells of its own.

Unknown rows followed by figures (local additions such as 其他主动公开文件) are kept as extras; what
could not be placed is returned as a warning. Both, and every cell not read verbatim, are reading
notes (`ogi_report.notes`). Nothing here decides the layout: `read_table` reads
against one table of one layout and says how well it fitted (`evidence`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Literal, NamedTuple

from ogi_report.documents import table_sheet_name
from ogi_report.layout import Column, Row, Table
from ogi_report.layout.labels import (
    match_column,
    match_header,
    match_row,
    match_row_misspelt,
    normalise,
    row_ending,
    simplify,
)
from ogi_report.model.cells import Cell
from ogi_report.notes import Param, ReadingNote, note
from ogi_report.readers.cell_text import (
    FIGURES_RUN,
    is_figure_like,
    is_value,
    read_cell,
    several_figures,
    split_run,
)


@dataclass(frozen=True)
class Token:
    """One cell of a page's table as written, with its place in the page."""

    text: str
    place: str  # "table 3 row 5 cell 2", "line 57", "line 57 cell 3"
    row: int | None = None  # the source row, where the shape keeps rows (HTML, pipe-flattened)
    pad: bool = False  # stands for a spanned cell (a line of bare pipes), not a cell of its own

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def shown(value: Cell) -> str | None:
    """A cell's value as a note records it (money with every digit, blank as None)."""
    if value is None:
        return None
    return format(value, "f") if isinstance(value, Decimal) else str(value)


@dataclass
class TableRead:
    """One table read against one layout's table."""

    table: Table
    cells: dict[str, dict[str, Cell]]  # every data row -> every column -> value
    unreadable: dict[str, str] = field(default_factory=dict)  # path -> what was written
    unplaced: dict[str, ReadingNote] = field(default_factory=dict)  # path -> why its column is unknown
    readings: list[ReadingNote] = field(default_factory=list)  # cells not read verbatim
    places: dict[str, str] = field(default_factory=dict)
    extras: list[ReadingNote] = field(default_factory=list)  # rows the layout does not have (ROW-EXTRA)
    warnings: list[ReadingNote] = field(default_factory=list)
    evidence: int = 0  # rows that got cells + header columns recognised: how well the layout fits


Kind = Literal["value", "column", "row", "group", "joined", "across", "header", "unknown"]

_NOTE = re.compile(r"\s*[(（][^()（）]*(?:[(（][^()（）]*[)）][^()（）]*)*[)）]\s*$")
_ROW_RETYPINGS = (
    ("檔案", "文件"),  # 文件 as a Simplified-to-Traditional converter renders it (規範性檔案)
)
_PREFIXES = ("行政",)  # 行政规范性文件 (the 2021 label) in a 2019-trial table's 规范性文件 row


def find_row(table: Table, text: str) -> Row | None:
    """The row a label names: as the registry matches it, else without a trailing bracketed note
    (`规章（设区的市……提供相关数据）`), with a converter's retyping undone, or without a prefix the
    other layout's label has; a data row named after its group's label in the same cell
    (`（三）不予公开1.属于国家秘密`, `行政诉讼（复议后起诉）`) is that row."""
    key = normalise(text)
    for group in _group_labels(table):  # before the group itself matches (`三、本年度办理结果(一)…`)
        rest = key[len(group) :]
        if rest.startswith("(") and rest.endswith(")"):
            rest = rest[1:-1]  # the row in brackets after its group's (`行政诉讼（复议后起诉）`)
        if key.startswith(group) and (row := match_row(table, rest)) and not row.is_group:
            return row
    row = match_row(table, text)
    if row is not None:
        return row
    bare = _NOTE.sub("", text.strip())
    for old, new in _ROW_RETYPINGS:
        bare = bare.replace(old, new)
    candidates = [bare] + [bare[len(p) :] for p in _PREFIXES if bare.startswith(p)]
    for candidate in candidates:
        if candidate and candidate != text and (row := match_row(table, candidate)) is not None:
            return row
    return None


@cache
def _group_labels(table: Table) -> tuple[str, ...]:
    """The normalised labels of a table's group rows (三、本年度办理结果, （三）不予公开)."""
    return tuple(normalise(row.label) for row in table.rows if row.is_group)


# A row's name with its figures run together, every separator lost (`规章000`, `行政许可707`).
_JOINED = re.compile(rf"(?P<label>.*?[^0-9\s.\-])\s*(?P<figures>{FIGURES_RUN})")


class Joined(NamedTuple):
    """A data row's name and its figures, run together in one cell."""

    row: Row
    figures: str


def run_together(table: Table, text: str) -> Joined | None:
    """The row and its figures as written when `text` is a data row's name followed by its figures
    with no separator; None otherwise."""
    joined = _JOINED.fullmatch(text.strip())
    if joined is None:
        return None
    label = joined["label"]
    row = find_row(table, label)
    if row is None or row.is_group:  # a group label before a row label (`三、本年度办理结果（一）予以公开`)
        row = match_row_misspelt(table, label) or row_ending(table, label)
    if (row is None or row.is_group) and len(words := label.split()) > 1:
        row = find_row(table, words[-1])  # header words, a space, the row (`现行有效件数 规范性文件001`)
    return Joined(row, joined["figures"]) if row is not None and not row.is_group else None


class Across(NamedTuple):
    """Table 四's cells, every block's, run into one text."""

    figures: tuple[str, ...]


def across_run(table: Table, text: str) -> tuple[str, ...] | None:
    """Table 四's one line of cells run into its header words (`行政复议…尚未审结总计110024001510102`),
    whatever follows: the first figures after words naming one of its blocks, where they split one
    way only into the cells of every block side by side."""
    joined = _JOINED.match(text.strip()) if table.rows_across else None
    if joined is None or not any(block in normalise(joined["label"]) for block in _block_labels(table)):
        return None
    return split_run(joined["figures"], sum(len(row.columns) for row in table.data_rows))


@cache
def _block_labels(table: Table) -> tuple[str, ...]:
    return tuple(normalise(row.label) for row in table.data_rows)


@dataclass
class _Reader:
    table: Table
    rows_known: bool
    read: TableRead
    blanks_shown: bool = True
    header: list[tuple[Column, str]] = field(default_factory=list)  # the latest header run
    reset_header: bool = False
    header_zone: bool = True  # before the first row of a block: headers come before rows
    filled: set[str] = field(default_factory=set)
    seen_rows: list[Row] = field(default_factory=list)
    loose: list[tuple[int, Token]] = field(default_factory=list)  # figures outside any row
    last_label: int = -1
    columns_seen: set[str] = field(default_factory=set)

    def classify(self, text: str) -> tuple[Kind, Row | Column | Joined | Across | None]:
        if is_value(text):
            return "value", None
        if self.header_zone and (column := match_column(self.table, text)) is not None:
            return "column", column
        row = find_row(self.table, text)
        if row is not None and not row.is_group:
            return "row", row
        if (joined := run_together(self.table, text)) is not None:
            return "joined", joined
        if row is not None:
            return "group", row
        kind = match_header(self.table, text)
        if kind is not None:
            return "header", None
        if (column := match_column(self.table, text)) is not None:
            return "column", column
        if is_figure_like(text):
            return "value", None
        if (row := match_row_misspelt(self.table, text)) is not None:  # noted by `run`
            return "row", row
        if (figures := across_run(self.table, text)) is not None:
            return "across", Across(figures)
        return "unknown", None

    def run(self, tokens: Sequence[Token]) -> None:
        toks = [t for t in tokens if not t.pad]
        i = 0
        while i < len(toks):
            tok = toks[i]
            kind, target = self.classify(tok.text)
            if kind == "value":
                self.loose.append((i, tok))
                i += 1
                continue
            if kind == "across":
                assert isinstance(target, Across)
                self.across_cells(i, tok, tok.text.strip(), target.figures)
                i += 1
                continue
            self.last_label = i
            if kind == "joined":
                assert isinstance(target, Joined)
                self.joined(target, tok)
                i += 1
                continue
            if kind == "column":
                assert isinstance(target, Column)
                if self.reset_header:
                    self.header, self.reset_header = [], False
                self.header.append((target, tok.text))
                self.columns_seen.add(target.code)
                i += 1
                continue
            if kind == "header":
                if match_header(self.table, tok.text) in ("block", "row_heading"):
                    self.header_zone, self.reset_header = True, True
                i += 1
                continue
            if kind == "group":
                i += 1
                continue
            j = i + 1
            while j < len(toks) and self._cell_of(toks[j], tok):
                j += 1
            segment = toks[i + 1 : j]
            if kind == "row":
                assert isinstance(target, Row)
                if find_row(self.table, tok.text) is None:  # a slip of the pen, forgiven
                    edited = note("LABEL-EDITED", tok.place, written=tok.text.strip(), became=target.label)
                    self.read.warnings.append(edited)
                self.seen_rows.append(target)
                if segment:
                    self.assign(target, tok, segment, last=j >= len(toks))
            elif any(not t.blank for t in segment):
                written = " ".join(t.text.strip() for t in [tok, *segment])
                if (figures := across_run(self.table, written)) is not None:  # header words, spaced cells
                    self.across_cells(j - 1, tok, written, figures)
                else:
                    self.keep_extra(tok, segment)
            i = j

    def across_cells(self, index: int, tok: Token, written: str, figures: tuple[str, ...]) -> None:
        """Figures run into table 四's header words: the blocks' one line of cells (`across`)."""
        found = note("CELLS-JOINED", tok.place, written=written, wanted=len(figures), cells=figures)
        self.read.warnings.append(found)
        self.loose += [(index, Token(p, f"{tok.place} figure {k}")) for k, p in enumerate(figures, 1)]

    def _cell_of(self, tok: Token, label: Token) -> bool:
        if self.rows_known and tok.row != label.row:
            return False
        return self.classify(tok.text)[0] == "value"

    def targets(self, row: Row, cells: int | None = None) -> list[tuple[Column, str | None]]:
        """The columns the row's cells stand under, in order, with the header text of each
        (`cells`: how many cells the row shows, where they are told apart)."""
        codes = [c.code for c, _ in self.header]
        if self.header and len(set(codes)) == len(codes):
            if set(row.columns) < set(codes):
                return [(c, text) for c, text in self.header]
            if self.blanks_shown and len(codes) == cells and set(codes) < set(row.columns):
                # The header names only some of the row's columns, as many as the row shows cells
                # (a column cut off the table: a wide table printed past the page's edge): each
                # cell stands under its named column; the others are not in the table.
                return [(c, text) for c, text in self.header]
        texts = {c.code: text for c, text in self.header}
        return [(self.table.column(code), texts.get(code)) for code in row.columns]

    def assign(
        self, row: Row, label: Token, segment: list[Token], *, last: bool = False, split: bool = True
    ) -> None:
        present = [t for t in segment if not t.blank]
        if split and len(present) == 1 and several_figures(present[0].text) and row.code not in self.filled:
            self.figures_run(row, label, present[0])  # `0000000`: one cell no one figure can be
            return
        self.header_zone, self.reset_header = False, True
        if row.code in self.filled:
            self.read.warnings.append(note("ROW-REPEATED", label.place, table=self.table.code, row=row.label))
            return
        self.filled.add(row.code)
        self.read.evidence += 1
        targets = self.targets(row, len(segment))
        self.missing_columns(row, label, targets)
        hidden = not self.blanks_shown or not last  # where blanks may be
        if hidden and len(present) > 0 and len(segment) < len(targets):
            self.unplaced(row, label, targets, segment)
            return
        cells, surplus = fit(segment, len(targets))
        if surplus is not None:
            self.read.warnings.append(_placed(surplus, label.place, row.label))
        for (column, header_text), tok in zip(targets, cells, strict=True):
            if column.code not in row.columns:
                if tok is not None and not tok.blank:
                    self.read.warnings.append(
                        note(
                            "CELL-OUTSIDE",
                            tok.place,
                            written=tok.text,
                            table=self.table.code,
                            row=row.label,
                            column=column.label,
                        )
                    )
                continue
            self.put(row, column, tok, header_text)

    def missing_columns(self, row: Row, label: Token, targets: list[tuple[Column, str | None]]) -> None:
        """A note for each of the row's columns the table does not have (COLUMN-MISSING): blank."""
        named = {column.code for column, _ in targets}
        for code in row.columns:
            if code not in named:
                found = note(
                    "COLUMN-MISSING",
                    label.place,
                    table=self.table.code,
                    row=row.label,
                    column=self.table.column(code).label,
                )
                self.read.readings.append(found)

    def joined(self, joined: Joined, label: Token) -> None:
        """A row whose name and figures run together (`规章000`): one column takes the whole run; a
        longer run is cut where it cuts one way only (`cell_text.split_run`: a digit a column, the
        spaces that survive); any other run cannot be split, and no cell is guessed (CELL-UNPLACED)."""
        row, figures = joined
        self.seen_rows.append(row)
        self.figures_run(row, label, Token(figures, label.place), named=True)

    def figures_run(self, row: Row, label: Token, run: Token, *, named: bool = False) -> None:
        """A row's figures run together in one text (`named`: its name too): cut where they cut one
        way only, else placed nowhere."""
        targets = self.targets(row)
        figures = run.text.strip()
        if len(targets) == 1 and len(figures.split()) == 1:
            pieces = [figures]
        else:  # the only split there is (a digit a column, spaces kept), or none
            pieces = list(split_run(figures, len(targets)) or ())
        if pieces and row.code not in self.filled:
            written = label.text.strip() if named else figures
            code = "CELLS-JOINED" if named else "FIGURES-JOINED"
            params: dict[str, Param] = {"row": row.label, "wanted": len(targets), "cells": tuple(pieces)}
            self.read.warnings.append(ReadingNote(code=code, cell=run.place, written=written, params=params))
        segment = [Token(p, f"{run.place} figure {k}") for k, p in enumerate(pieces, 1)]
        if pieces or row.code in self.filled:
            self.assign(row, label, segment, split=False)  # (a repeated row is noted there)
            return
        self.header_zone, self.reset_header = False, True
        self.filled.add(row.code)
        self.read.evidence += 1
        slots = [(row, column) for column, _ in targets if column.code in row.columns]
        self.unplaced_slots(row.label, run.place, slots, [run], wanted=len(targets), run=True)

    def unplaced(
        self, row: Row, label: Token, targets: list[tuple[Column, str | None]], segment: list[Token]
    ) -> None:
        """Fewer cells than columns in a shape that does not keep empty cells (one cell a line): which
        column each figure stands under cannot be told, so none is placed (CELL-UNPLACED)."""
        slots = [(row, column) for column, _ in targets if column.code in row.columns]
        self.unplaced_slots(row.label, label.place, slots, segment, wanted=len(targets))

    def unplaced_slots(
        self,
        name: str,
        place: str,
        slots: Sequence[tuple[Row, Column]],
        found: Sequence[Token],
        *,
        wanted: int,
        run: bool = False,
    ) -> None:
        """No figure placed in `slots` (CELLS-UNPLACED, each cell CELL-UNPLACED with the reason); `run`:
        the figures were run together and split more than one way (CELLS-RUN-UNSPLIT)."""
        params: dict[str, Param] = {
            "table": self.table.code,
            "row": name,
            "found": len(found),
            "wanted": wanted,
            "cells": tuple(t.text.strip() for t in found),
        }
        why = ReadingNote(code="RUN-UNSPLIT" if run else "COLUMNS-UNKNOWN", cell=place, params=params)
        warning = "CELLS-RUN-UNSPLIT" if run else "CELLS-UNPLACED"
        self.read.warnings.append(ReadingNote(code=warning, cell=place, params=params))
        for row, column in slots:
            path = f"{self.table.code}.{row.code}.{column.code}"
            self.read.cells[row.code][column.code] = None
            self.read.unplaced[path] = why
            reading = ReadingNote(code="CELL-UNPLACED", cell=place, params={**params, "path": path})
            self.read.readings.append(reading)

    def put(self, row: Row, column: Column, tok: Token | None, header_text: str | None) -> None:
        path = f"{self.table.code}.{row.code}.{column.code}"
        read = self.read
        if tok is None:
            read.cells[row.code][column.code] = None
            read.readings.append(note("CELL-ABSENT", None, written="", path=path))
            return
        read.places[path] = tok.place
        result = read_cell(tok.text, column, _unit(header_text))
        read.cells[row.code][column.code] = result.value
        if not result.readable:
            read.unreadable[path] = tok.text.strip()
            read.readings.append(
                note("CELL-UNREADABLE", tok.place, written=tok.text, path=path, how=result.how)
            )
        elif result.how:
            read.readings.append(
                note(
                    "CELL-READ",
                    tok.place,
                    written=tok.text,
                    became=shown(result.value),
                    path=path,
                    how=result.how,
                )
            )

    def keep_extra(self, label: Token, segment: list[Token]) -> None:
        cells = tuple(t.text.strip() for t in segment)
        extra = note("ROW-EXTRA", label.place, written=label.text.strip(), table=self.table.code, cells=cells)
        self.read.extras.append(extra)
        self.read.warnings.append(extra)

    def across(self) -> None:
        """Table 四 as published: block labels side by side above one line of cells."""
        blocks = list(self.table.data_rows)
        seen = [r for r in dict.fromkeys(self.seen_rows) if not r.is_group]
        if sorted(r.code for r in seen) == sorted(r.code for r in blocks):
            blocks = seen
        slots = [(row, self.table.column(code)) for row in blocks for code in row.columns]
        header = [c for c, _ in self.header]
        if len(header) == len(slots) and all(
            {c.code for c in header[k : k + len(r.columns)]} == set(r.columns) for k, r in _starts(blocks)
        ):
            slots = [(slots[k][0], header[k]) for k in range(len(slots))]
        values = [tok for index, tok in self.loose if index > self.last_label]
        self.loose = [(index, tok) for index, tok in self.loose if index <= self.last_label]
        if not values:
            return
        written = " ".join(t.text.strip() for t in values)
        if len(values) < len(slots) and (pieces := split_run(written, len(slots))) is not None:
            # Cells run together where spaces were lost (`00 0 00 …`): the only split there is.
            place = values[0].place
            found = note("CELLS-JOINED", place, written=written, wanted=len(slots), cells=pieces)
            self.read.warnings.append(found)
            values = [Token(p, f"{place} figure {k}") for k, p in enumerate(pieces, 1)]
        self.filled.update(r.code for r in blocks)
        self.read.evidence += len(blocks)
        if len(values) < len(slots):  # which blocks or columns lack their cells cannot be told
            self.unplaced_slots(self.table.label, values[0].place, slots, values, wanted=len(slots))
            return
        cells, surplus = fit(values, len(slots))
        if surplus is not None:  # the blocks' one line of cells
            place = values[0].place
            self.read.warnings.append(_placed(surplus, place, self.table.label))
        for (row, column), tok in zip(slots, cells, strict=True):
            self.put(row, column, tok, None)

    def finish(self) -> None:
        if self.table.rows_across and not self.filled:
            self.across()
        seen = {r.code for r in self.seen_rows}
        for row in self.table.data_rows:
            if row.code not in self.filled:
                for code in row.columns:
                    self.put(row, self.table.column(code), None, None)
                code = "ROW-EMPTY" if row.code in seen else "ROW-MISSING"
                where = table_sheet_name(self.table)  # 表三, as a workbook's sheet is named
                self.read.warnings.append(note(code, where, table=self.table.code, row=row.label))
        for _, tok in self.loose:
            if not tok.blank:
                self.read.warnings.append(
                    note("CELL-LOOSE", tok.place, written=tok.text.strip(), table=self.table.code)
                )
        self.read.evidence += len(self.columns_seen)


def _placed(found: ReadingNote, place: str, row: str) -> ReadingNote:
    """A note of `fit` completed with where the row stands and what it is."""
    return found.model_copy(update={"cell": place, "params": {**found.params, "row": row}})


def _starts(rows: list[Row]) -> list[tuple[int, Row]]:
    out, k = [], 0
    for row in rows:
        out.append((k, row))
        k += len(row.columns)
    return out


def _unit(header_text: str | None) -> str | None:
    if header_text is None:
        return None
    text = simplify(header_text)
    return "万元" if "万元" in text else "元" if "元" in text else None


def fit(segment: Sequence[Token], wanted: int) -> tuple[list[Token | None], ReadingNote | None]:
    """The cells of a row fitted to the number it must have: surplus blanks (padding) are dropped
    from the end, then from the start; missing cells at the end are None. The note (CELLS-SURPLUS,
    CELLS-SHORT) is completed by the caller with the place and the row."""
    cells: list[Token | None] = list(segment)
    while len(cells) > wanted and cells[-1] is not None and cells[-1].blank:
        cells.pop()
    while len(cells) > wanted and cells[0] is not None and cells[0].blank:
        cells.pop(0)
    found: ReadingNote | None = None
    if len(cells) > wanted:
        dropped = tuple(t.text.strip() for t in cells[wanted:] if t is not None)
        found = note("CELLS-SURPLUS", found=len(cells), wanted=wanted, dropped=dropped)
        cells = cells[:wanted]
    elif len(cells) < wanted:
        found = note("CELLS-SHORT", found=len(cells), wanted=wanted)
        cells += [None] * (wanted - len(cells))
    return cells, found


def read_table(
    table: Table, tokens: Sequence[Token], *, rows_known: bool, blanks_shown: bool = True
) -> TableRead:
    """Read the cells of `table` (one layout's) from the tokens of one table of a page; where blanks
    are not shown (`Grid.blanks_shown`), a row short of figures has none placed."""
    read = TableRead(table, {row.code: {} for row in table.data_rows})
    reader = _Reader(table, rows_known, read, blanks_shown)
    reader.run(tokens)
    reader.finish()
    read.cells = {
        row.code: {code: read.cells[row.code].get(code) for code in row.columns} for row in table.data_rows
    }
    return read


def score(table: Table, tokens: Sequence[Token]) -> int:
    """How many distinct row and column labels of `table` the tokens hold (to identify a table)."""
    rows: set[str] = set()
    columns: set[str] = set()
    for tok in tokens:
        if tok.pad or is_value(tok.text):
            continue
        row = find_row(table, tok.text)
        if row is None or row.is_group:
            row = joined.row if (joined := run_together(table, tok.text)) else row
        if row is not None:
            rows.add(row.code)
        elif (column := match_column(table, tok.text)) is not None:
            columns.add(column.code)
        elif across_run(table, tok.text) is not None:  # every block's cells, run into their header
            rows.update(r.code for r in table.data_rows)
    lines: dict[int, list[str]] = {}
    for tok in tokens:
        if tok.row is not None and not tok.pad:
            lines.setdefault(tok.row, []).append(tok.text.strip())
    if any(across_run(table, " ".join(texts)) is not None for texts in lines.values()):
        rows.update(r.code for r in table.data_rows)  # the same, its figures spaced
    return len(rows) * 2 + len(columns)

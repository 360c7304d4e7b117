"""From a file or plain data to a report model, saying exactly where input is wrong.

A cell of the wrong type (for example "12件" in a count) does not stop the report: the cell is read
as blank and recorded, so rule CELL-TYPE names it and every other rule still runs.
"""

from __future__ import annotations

import codecs
import json
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ogi_report.errors import ReportError
from ogi_report.layout import LAYOUTS
from ogi_report.limits import limits, over
from ogi_report.model import REPORT_ADAPTER, Report
from ogi_report.model.cells import FLOATS_REFUSED
from ogi_report.model.tables import TableModel
from ogi_report.notes import ReadingNote
from ogi_report.readers.json_yaml import LongNumber, parse_json, parse_yaml
from ogi_report.readers.narrative import NarrativeFigure

_TABLES = {t.code for layout in LAYOUTS.values() for t in layout.tables}
_STRUCTURAL = {"missing", "extra_forbidden", "model_type", "dict_type", "model_attributes_type"}


@dataclass
class LoadedReport:
    """A report as read, with the cells that could not be read (path -> what was written).

    Readers of laid-out sources (workbooks) also give the place of each cell or field they read
    (path -> `表三!D12`), which validation puts into each finding's `source_cells`, and coded notes
    on readings that were not exact (a retyped label, rows in another order, a row not found)."""

    report: Report
    unreadable: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    places: dict[str, str] = field(default_factory=dict)
    notes: list[ReadingNote] = field(default_factory=list)
    # Read from a published page (readers/page.py): validated as published, with the figures its
    # narrative states (rule NARRATIVE-MISMATCH).
    from_page: bool = False
    narrative: tuple[NarrativeFigure, ...] = ()
    # Read from a page: metadata it does not state (stand-ins recorded; rule METADATA-MISSING) and
    # cells whose column could not be told (path -> why, a COLUMNS-UNKNOWN note; left blank, rule
    # CELL-UNPLACED).
    missing_metadata: tuple[str, ...] = ()
    unplaced: dict[str, ReadingNote] = field(default_factory=dict)


def written(value: Any, most: int = 200) -> str:
    """What a source wrote in a cell, as text (bounded: a hostile value may be huge)."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, int | float | Decimal | LongNumber) and not isinstance(value, bool):
        text = str(value)
    else:  # true/false, lists, objects: as JSON writes them
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (RecursionError, ValueError):  # nested too deeply, or circular
            text = f"({type(value).__name__} nested too deeply)"
    return text if len(text) <= most else text[:most] + "…"


def _path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def _describe(error: Any) -> str:
    kind, loc = error["type"], tuple(error["loc"])
    if kind == "extra_forbidden":
        return f"unknown key {loc[-1]!r}"
    if kind == "missing":
        return f"required key {loc[-1]!r} is missing"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        known = " or ".join(repr(k) for k in LAYOUTS)
        return f"'format' must be {known}"
    value = error.get("input")
    shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    return f"{error['msg']} (got {shown[:60]})"


def _cell_error(error: Any) -> str | None:
    """`table.row.column` when the error is a bad value in a table cell, else None."""
    loc = tuple(error["loc"])
    if len(loc) == 4 and loc[1] in _TABLES and error["type"] not in _STRUCTURAL:
        return ".".join(str(p) for p in loc[1:])
    return None


def parse_report(data: Any, *, source: str | None = None) -> LoadedReport:
    """Validate plain data (the JSON shape) into a report; bad cells become blank and recorded."""
    if not isinstance(data, dict):
        raise ReportError(
            f"not a report: the top level is {type(data).__name__}, not an object", source=source
        )
    try:
        return LoadedReport(REPORT_ADAPTER.validate_python(data), {}, source)
    except ValidationError as exc:
        errors = exc.errors()
    cells = {_cell_error(e): written(e.get("input")) for e in errors}
    others = [e for e in errors if _cell_error(e) is None]
    if others:
        first = others[0]
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        if first["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc: tuple[Any, ...] = ("format",)
        else:
            loc = tuple(first["loc"])[1:] if data.get("format") in LAYOUTS else tuple(first["loc"])
        raise ReportError(_describe(first) + more, source=source, location=_path(loc))
    # Copy only the containers on the way to each bad cell: the rest is shared, and a hostile
    # value (say, a list nested hundreds deep) is dropped rather than copied.
    patched = dict(data)
    for path in cells:
        assert path is not None
        table, row, column = path.split(".")
        if patched[table] is data[table]:
            patched[table] = dict(data[table])
        if patched[table][row] is data[table][row]:
            patched[table][row] = dict(data[table][row])
        patched[table][row][column] = None
    return LoadedReport(REPORT_ADAPTER.validate_python(patched), dict(cells), source)  # type: ignore[arg-type]


def parse_report_json(raw: bytes | str, *, source: str | None = None) -> LoadedReport:
    """A report from JSON text or its UTF-8 bytes: what `parse_report(parse_json(text))` gives, with
    the same errors, in about half the time.

    A well-formed report is parsed and validated in one pass by pydantic-core (no Python objects in
    between). That pass cannot see a key written twice, nor the digits of an amount written as a
    JSON float; so it is taken only when the counts prove no key was dropped (`_every_key_kept`)
    and no amount was a float (refused under `FLOATS_REFUSED`). Anything else (a repeated key, a
    float, a bad cell, an encoding other than UTF-8, invalid JSON) is read again by the exact path,
    which says what is wrong."""
    try:
        report = REPORT_ADAPTER.validate_json(raw, context=FLOATS_REFUSED)
    except ValidationError:
        pass
    else:
        if _every_key_kept(raw, report):
            return LoadedReport(report, {}, source)
    try:
        data = parse_json(raw if isinstance(raw, str) else decode_text(raw))
    except ReportError as exc:
        raise (exc.with_source(source) if source else exc) from None
    return parse_report(data, source=source)


def _every_key_kept(raw: bytes | str, report: Report) -> bool:
    """True when every key of the JSON text reached the model, so none was written twice.

    Each key ends with a colon outside strings, so the text's colons are its keys plus the colons
    inside its strings. The model holds at most as many keys (a repeated key is kept once, an
    object given twice loses the first) and at most as many string colons (every string field is a
    string of the text, unless an escape wrote a colon: such text is not counted). Equal totals
    therefore mean no key was lost."""
    keys, string_colons = _keys_and_colons(report)
    if isinstance(raw, str):
        if raw.count(":") != keys + string_colons:
            return False
        return not string_colons or "\\u003" not in raw
    if raw.count(b":") != keys + string_colons:
        return False
    return not string_colons or b"\\u003" not in raw


@cache
def _plan(kind: type[BaseModel]) -> tuple[tuple[str, ...], tuple[str, ...]] | int:
    """(fields that may hold a string, fields that may hold models) of a model class; for a table,
    the number of keys it holds: every row and cell is required, so a table read holds them all."""
    fields = kind.model_fields
    if issubclass(kind, TableModel):
        rows = {name: info.annotation for name, info in fields.items()}
        assert all(info.is_required() for info in fields.values())
        assert all(info.is_required() for row in rows.values() if row for info in row.model_fields.values())
        return len(rows) + sum(len(row.model_fields) for row in rows.values() if row)
    texts = tuple(name for name, info in fields.items() if _mentions(info.annotation, _is_text))
    nested = tuple(name for name, info in fields.items() if _mentions(info.annotation, _is_model))
    return texts, nested


def _is_text(kind: Any) -> bool:
    return kind is str or get_origin(kind) is Literal


def _is_model(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, BaseModel)


def _mentions(annotation: Any, test: Callable[[Any], bool]) -> bool:
    """Whether a type annotation (unions, lists, Annotated and Literal included) names a type
    passing `test`."""
    return test(annotation) or any(_mentions(arg, test) for arg in get_args(annotation))


def _keys_and_colons(model: BaseModel) -> tuple[int, int]:
    """(keys given, colons in the strings given) over a model and the models it holds."""
    keys, colons = 0, 0
    todo = [model]
    for current in todo:
        plan = _plan(type(current))
        if isinstance(plan, int):
            keys += plan
            continue
        given = current.__pydantic_fields_set__
        keys += len(given)
        values = current.__dict__
        for name in plan[0]:
            if name in given and isinstance(value := values[name], str):
                colons += value.count(":")
        for name in plan[1]:
            value = values[name]
            if isinstance(value, BaseModel):
                todo.append(value)
            elif isinstance(value, list):
                todo += value
    return keys, colons


def read_data(path: Path) -> Any:
    """The plain data of a JSON or YAML file (chosen by extension, else by content)."""
    return parse_data(path, _read_bytes(path))


def parse_data(path: Path, raw: bytes) -> Any:
    """The plain data of the bytes of a JSON or YAML file named `path` (already read)."""
    try:
        text = decode_text(raw)
    except ReportError as exc:
        raise exc.with_source(str(path)) from None
    suffix = path.suffix.lower()
    is_json = suffix == ".json" or (suffix not in (".yaml", ".yml") and text.lstrip().startswith(("{", "[")))
    try:
        return parse_json(text) if is_json else parse_yaml(text)
    except ReportError as exc:
        raise exc.with_source(str(path)) from None


def check_regular_file(path: Path) -> int:
    """Only regular files (or links to them) are read: a device or a pipe could be read forever.
    Returns the file's size in bytes."""
    try:
        status = os.stat(path)
    except OSError as exc:
        raise ReportError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None
    if stat.S_ISDIR(status.st_mode):
        raise ReportError("a folder, not a file", source=str(path))
    if not stat.S_ISREG(status.st_mode):
        raise ReportError("not a regular file (a device, pipe or socket): not read", source=str(path))
    return status.st_size


def read_small_file(path: Path, size: int, most: int) -> bytes:
    """The bytes of a regular file of about `size` bytes (as just measured), in as few system
    calls as reading takes: the common case is two reads, the second finding the end. A file that
    grew since is read on, but never more than `most` + 1 bytes (the caller refuses that many)."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        chunks = [os.read(handle, min(size, most) + 1)]
        total = len(chunks[0])
        while chunks[-1] and total <= most:  # the file grew after it was measured
            chunks.append(os.read(handle, min(1 << 16, most + 1 - total)))
            total += len(chunks[-1])
    finally:
        os.close(handle)
    return b"".join(chunks)


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > limits().file_bytes:
            raise ReportError(over("file", "file_bytes", size), source=str(path))
        return path.read_bytes()
    except OSError as exc:
        raise ReportError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(raw: bytes) -> str:
    """UTF-8 (a byte-order mark allowed), or UTF-16/32 that says so with its byte-order mark; any
    other encoding is refused with a hint (guessing one could silently change the text)."""
    encoding = next((name for bom, name in _BOMS if raw.startswith(bom)), "utf-8")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        name = encoding.upper().removesuffix("-SIG")
        raise ReportError(f"not {name} text (byte {exc.start}){_hint(raw)}; save the file as UTF-8") from None


def _hint(raw: bytes) -> str:
    head = raw[:4096]
    if head.count(0) > len(head) // 4:
        return ", it looks like UTF-16 without a byte-order mark"
    try:
        head.decode("gb18030")
    except UnicodeDecodeError:
        return ""
    return ", it looks like GBK/GB18030"


def iter_json_lines(path: Path) -> Iterator[LoadedReport]:
    """One report per non-blank line, streamed (a national file does not fit in memory twice);
    errors name the line."""
    for number, line in json_lines(path):
        yield line_report(path, number, line)


def json_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of each non-blank line, streamed, bounded and decoded: what
    `line_report` reads (apart, so that worker processes can read the lines a reader hands out)."""
    check_regular_file(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise ReportError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None
    most, count = limits().line_bytes, 0
    with handle:
        for number, raw in enumerate(iter(lambda: handle.readline(most + 1), b""), start=1):
            if len(raw) > most:
                raise ReportError(
                    over("line", "line_bytes") + "; a line holds one report",
                    source=str(path),
                    location=f"line {number}",
                )
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise ReportError(
                    f"not UTF-8 text (byte {exc.start}); save the file as UTF-8",
                    source=str(path),
                    location=f"line {number}",
                ) from None
            if not line.strip():
                continue
            count += 1
            yield number, line
    if not count:
        raise ReportError("no reports: every line is blank", source=str(path))


def line_report(path: Path, number: int, line: str) -> LoadedReport:
    """The report on one line of a JSON Lines file; an error names the line."""
    try:
        return parse_report_json(line, source=f"{path}:{number}")
    except ReportError as exc:
        raise ReportError(exc.message, source=str(path), location=_at_line(number, exc.location)) from None


def _at_line(number: int, location: str | None) -> str:
    where = (location or "").removeprefix("line 1 ")  # the JSON of one line is on its line 1
    return f"line {number}" + (f", {where}" if where else "")

"""JSON and YAML reports: text -> plain data, money kept exact (floats parsed as Decimal).

Hostile text is bounded (see `ogi_report.limits`): a repeated key is an error rather than a silent
overwrite, a number longer than `number_digits` is kept as written (a cell then reports CELL-TYPE)
instead of being converted, YAML builds plain data only (no tags that construct objects) and a YAML
document whose aliases expand past `yaml_nodes` values is refused before anything walks it.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any, NoReturn

from ogi_report.errors import ReportError
from ogi_report.limits import limits


class DuplicateKey(ValueError):
    """A key written twice in one object."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return out


class LongNumber:
    """A number written with more digits than `number_digits`: kept as written, never converted
    (converting a million digits takes minutes), and of no type the model accepts anywhere."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"{self.text[:12]}…({len(self.text):,} characters)"


def _integer(text: str) -> int | LongNumber:
    return int(text) if len(text) <= limits().number_digits else LongNumber(text)


def _decimal_text(text: str) -> Decimal | LongNumber:
    return Decimal(text) if len(text) <= limits().number_digits else LongNumber(text)


# Built once (json.loads builds a decoder per call); the limits are read when a number is met.
_DECODER = json.JSONDecoder(parse_float=_decimal_text, object_pairs_hook=_pairs)
_LONG_DECODER = json.JSONDecoder(parse_float=_decimal_text, parse_int=_integer, object_pairs_hook=_pairs)


def parse_json(text: str) -> Any:
    try:
        if text.startswith("\ufeff"):  # as json.loads says it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        try:  # integers on the parser's fast path; one too long for Python to convert: read again
            data = _DECODER.decode(text)
        except ValueError as exc:
            if isinstance(exc, json.JSONDecodeError | DuplicateKey):
                raise
            data = _LONG_DECODER.decode(text)
        if "\\u" in text:
            _refuse_lone_surrogates(text, data, "JSON")
        return data
    except json.JSONDecodeError as exc:
        if not text.strip():
            raise ReportError("empty: the file holds no JSON") from None
        raise ReportError(
            f"invalid JSON: {exc.msg}", location=f"line {exc.lineno} column {exc.colno}"
        ) from None
    except DuplicateKey as exc:
        raise ReportError(f"invalid JSON: duplicate key {exc.args[0]!r} in one object") from None
    except RecursionError:
        raise ReportError("invalid JSON: nested too deeply") from None


# A \u escape of a UTF-16 surrogate (an even number of backslashes before it: the escape is real).
_SURROGATE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u([dD][89a-fA-F][0-9a-fA-F]{2})")


def _refuse_lone_surrogates(text: str, data: Any, kind: str) -> None:
    """Half of a UTF-16 pair written alone (\\ud800) is no character: parsers differ on it and no
    UTF-8 output can hold it, so the text is refused, naming the escape's place where it is a \\u
    escape (YAML's \\U0000D800 is refused without one)."""
    if not _holds_lone_surrogate(data):
        return
    pending: re.Match[str] | None = None  # a high surrogate waiting for its low half
    for match in _SURROGATE_ESCAPE.finditer(text):
        high = match.group(1)[1].lower() in "89ab"
        if pending is not None and not high and match.start() == pending.end():
            pending = None  # a pair
            continue
        if pending is not None or not high:
            _lone(text, pending or match, kind)
        pending = match
    _lone(text, pending, kind)


def _holds_lone_surrogate(data: Any) -> bool:
    """Whether a string of the data (a key or a value, at any depth) holds half a UTF-16 pair."""
    todo = [data]
    while todo:
        value = todo.pop()
        if isinstance(value, str):
            if not value.isascii() and not _encodable(value):
                return True
        elif isinstance(value, dict):
            todo += value.keys()
            todo += value.values()
        elif isinstance(value, list | tuple):
            todo += value
    return False


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _lone(text: str, match: re.Match[str] | None, kind: str) -> NoReturn:
    where = None
    if match is not None:
        start = match.end() - 6
        line = text.count("\n", 0, start) + 1
        where = f"line {line} column {start - text.rfind(chr(10), 0, start)}"
    raise ReportError(
        f"invalid {kind}: a lone UTF-16 surrogate escape (\\uD800-\\uDFFF) is not a character", location=where
    )


def parse_yaml(text: str) -> Any:
    import yaml  # PyYAML only when YAML is read

    from ogi_report.readers.yaml_loader import SafeDecimalLoader

    try:
        data = yaml.load(text, Loader=SafeDecimalLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1} column {mark.column + 1}" if mark else None
        raise ReportError(f"invalid YAML: {exc.problem or exc}", location=where) from None
    except yaml.YAMLError as exc:
        raise ReportError(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise ReportError("invalid YAML: nested too deeply") from None
    if "\\u" in text or "\\U" in text:
        _refuse_lone_surrogates(text, data, "YAML")
    return data

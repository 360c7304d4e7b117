"""JSON and YAML reports: text -> plain data, money kept exact (floats parsed as Decimal).

Hostile text is bounded (see `ogi_report.limits`): a repeated key is an error rather than a silent
overwrite, a number longer than `number_digits` is kept as written (a cell then reports CELL-TYPE)
instead of being converted, YAML builds plain data only (no tags that construct objects) and a YAML
document whose aliases expand past `yaml_nodes` values is refused before anything walks it.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

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
            return _DECODER.decode(text)
        except ValueError as exc:
            if isinstance(exc, json.JSONDecodeError | DuplicateKey):
                raise
            return _LONG_DECODER.decode(text)
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


def parse_yaml(text: str) -> Any:
    import yaml  # PyYAML only when YAML is read

    from ogi_report.readers.yaml_loader import SafeDecimalLoader

    try:
        return yaml.load(text, Loader=SafeDecimalLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1} column {mark.column + 1}" if mark else None
        raise ReportError(f"invalid YAML: {exc.problem or exc}", location=where) from None
    except yaml.YAMLError as exc:
        raise ReportError(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise ReportError("invalid YAML: nested too deeply") from None

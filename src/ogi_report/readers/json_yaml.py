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

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, SequenceNode

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


class _SafeDecimalLoader(yaml.SafeLoader):
    """SafeLoader (no object construction) whose floats are Decimals, so every digit is kept, and
    which refuses repeated keys and alias bombs."""

    def compose_document(self) -> Node | None:
        node: Node | None = super().compose_document()
        if node is not None:
            _count_nodes(node, limits().yaml_nodes)
        return node

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str | int) and key in seen:
                raise ConstructorError(
                    None, None, f"duplicate key {key!r} in one mapping", key_node.start_mark
                )
            seen.add(key) if isinstance(key, str | int) else None
        return super().construct_mapping(node, deep=deep)


def _count_nodes(root: Node, most: int) -> None:
    """Refuse a document whose values, with every alias expanded, number more than `most`
    (aliases share nodes, so the count is taken over the graph with memoised sizes)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children: list[Node] = []
        if isinstance(node, SequenceNode):
            children = list(node.value)
        elif isinstance(node, MappingNode):
            children = [n for pair in node.value for n in pair]
        if done or not children:
            size = 1 + sum(sizes.get(id(c), 0) for c in children)
            if size > most:
                raise ConstructorError(
                    None,
                    None,
                    f"aliases expand to more than {most:,} values (the limit yaml_nodes)",
                    node.start_mark,
                )
            sizes[id(node)] = size
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)


def _decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal | float | LongNumber:
    text = str(loader.construct_scalar(node)).replace("_", "")  # type: ignore[arg-type]
    if len(text) > limits().number_digits:
        return LongNumber(text)
    try:
        return Decimal(text)
    except ArithmeticError:
        return float(text)  # .inf / .nan: the model rejects them with a clear message


def _yaml_integer(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | LongNumber:
    text = str(loader.construct_scalar(node))
    if len(text) > limits().number_digits:
        return LongNumber(text)
    return int(loader.construct_yaml_int(node))


_SafeDecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
_SafeDecimalLoader.add_constructor("tag:yaml.org,2002:int", _yaml_integer)


def parse_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_SafeDecimalLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1} column {mark.column + 1}" if mark else None
        raise ReportError(f"invalid YAML: {exc.problem or exc}", location=where) from None
    except yaml.YAMLError as exc:
        raise ReportError(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise ReportError("invalid YAML: nested too deeply") from None

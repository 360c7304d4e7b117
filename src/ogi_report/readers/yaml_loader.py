"""The YAML loader of `json_yaml.parse_yaml`, apart so that PyYAML is imported only when YAML is read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, SequenceNode

from ogi_report.limits import limits
from ogi_report.readers.json_yaml import LongNumber


class SafeDecimalLoader(yaml.SafeLoader):
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


SafeDecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
SafeDecimalLoader.add_constructor("tag:yaml.org,2002:int", _yaml_integer)

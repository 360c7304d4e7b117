"""The house reads at a glance: arrows between the folders of `src/ogi_report` point one way. No
import, at module level or inside a function (a lazy import is still a dependency), closes a cycle
between two folders (or a folder and a top-level module), except through a type-only import."""

from __future__ import annotations

import ast
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "ogi_report"


def _unit(module: str) -> str:
    """The part of the house a module belongs to: its folder, or itself for a top-level module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_only(node: ast.If) -> bool:
    return "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree: ast.AST) -> list[str]:
    found: list[str] = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_only(node):
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ogi_report."):
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("ogi_report.")]
        found += _imports(node)
    return found


def unit_graph() -> dict[str, dict[str, str]]:
    """unit -> {unit it imports: one module-level example of the arrow}."""
    graph: dict[str, dict[str, str]] = defaultdict(dict)
    for path in PACKAGE.rglob("*.py"):
        module = _module(path)
        if module == "ogi_report":
            continue  # the public API re-exports everything
        for target in _imports(ast.parse(path.read_text("utf-8"))):
            a, b = _unit(module), _unit(target)
            if a != b:
                graph[a].setdefault(b, f"{module} -> {target}")
    return graph


def _cycle_through(graph: dict[str, dict[str, str]], start: str) -> list[str] | None:
    stack: list[tuple[str, list[str]]] = [(b, [start, b]) for b in graph.get(start, {})]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        if node == start:
            return path
        if node in seen:
            continue
        seen.add(node)
        stack += [(b, [*path, b]) for b in graph.get(node, {})]
    return None


def test_no_import_cycle_joins_two_parts_of_the_house() -> None:
    graph = unit_graph()
    for unit in sorted(graph):
        cycle = _cycle_through(graph, unit)
        assert cycle is None, " -> ".join(cycle) + ": " + "; ".join(graph[a][b] for a, b in pairwise(cycle))


def test_the_graph_sees_the_arrows_that_exist() -> None:
    # The test above would pass vacuously on an empty graph.
    graph = unit_graph()
    assert "rules" in graph["package"]
    assert "layout" in graph["readers"]
    assert "model" in graph["rules"]

"""JSON and YAML reports: text -> plain data, money kept exact (floats parsed as Decimal)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import yaml

from ogi_report.errors import ReportError


def parse_json(text: str) -> Any:
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ReportError(
            f"invalid JSON: {exc.msg}", location=f"line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise ReportError("invalid JSON: nested too deeply") from None


class _SafeDecimalLoader(yaml.SafeLoader):
    """SafeLoader (no object construction) whose floats are Decimals, so every digit is kept."""


def _decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal | float:
    text = str(loader.construct_scalar(node)).replace("_", "")  # type: ignore[arg-type]
    try:
        return Decimal(text)
    except ArithmeticError:
        return float(text)  # .inf / .nan: the model rejects them with a clear message


_SafeDecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal)


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

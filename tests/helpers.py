"""Shared test helpers: the bundled examples as raw data, and patching cells by path."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
BROKEN = EXAMPLES / "broken"
SCHEMAS = ROOT / "schemas"
# What each broken example must give: exit code, rule ids, cells (data for tests/test_examples.py).
BROKEN_EXPECTED = Path(__file__).resolve().parent / "data" / "broken-expected.json"

# The good examples at the top of examples/ (broken copies live in examples/broken/).
EXAMPLE_FILES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".json", ".yaml", ".yml"))
COMPLETE_2021 = "illustrative-2021-county.json"
COMPLETE_TRIAL = "illustrative-2019-trial.json"


def raw(name: str | Path, *, decimals: bool = True) -> dict[str, Any]:
    """The plain data of an example (JSON or YAML) exactly as stored, before any model."""
    path = EXAMPLES / name if isinstance(name, str) else name
    text = path.read_text("utf-8")
    if path.suffix == ".json":
        data = json.loads(text, parse_float=Decimal) if decimals else json.loads(text)
    else:
        data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def patched(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of report data with values set by dotted path (`applications.granted.total`,
    `agency.code`, `sections.other_matters`); setting a table path to None removes the table's
    content (the table becomes null), and a path whose last part is missing is added."""
    out = copy.deepcopy(data)
    for path, value in changes.items():
        *parents, last = path.split(".")
        node = out
        for part in parents:
            node = node[part]
        node[last] = value
    return out


def need_libreoffice() -> None:
    """Skip a test that converts a .doc where LibreOffice is not installed; fail instead under
    OGI_REQUIRE_LIBREOFFICE (set by .ci/run, which installs it: CI never skips these)."""
    import os

    import pytest

    from ogi_report.readers.old_office import soffice

    if soffice() is None:
        if os.environ.get("OGI_REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice (soffice) is required here (OGI_REQUIRE_LIBREOFFICE) but not installed")
        pytest.skip("LibreOffice (soffice) is not installed: .doc files are not read here")


def count_libreoffice_runs(monkeypatch: Any) -> list[int]:
    """Record how many documents each LibreOffice run converts (the runs still happen)."""
    from ogi_report.readers import old_office

    runs: list[int] = []
    convert = old_office._convert

    def counted(command: str, documents: list[Path], folder: Path, seconds: float) -> str:
        runs.append(len(documents))
        return convert(command, documents, folder, seconds)

    monkeypatch.setattr(old_office, "_convert", counted)
    return runs

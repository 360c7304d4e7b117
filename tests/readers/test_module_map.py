"""The readers and the writers share only neutral modules (`documents`, `layout`, `notes`): no
reader imports a writer, no writer a reader, and the readers' base imports no workbook or page
reader (choosing the reader is `readers/dispatch.py`'s job)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "ogi_report"


def imported(path: Path) -> set[str]:
    """Every ogi_report module a file imports, lazily or not."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ogi_report"):
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("ogi_report"))
    return names


@pytest.mark.parametrize(("folder", "other"), [("readers", "writers"), ("writers", "readers")])
def test_readers_and_writers_do_not_import_each_other(folder: str, other: str) -> None:
    for path in (SRC / folder).glob("*.py"):
        assert not {m for m in imported(path) if m.startswith(f"ogi_report.{other}")}, path.name


def test_the_readers_base_imports_no_workbook_or_page_reader() -> None:
    readers = {m for m in imported(SRC / "readers" / "loading.py") if m.startswith("ogi_report.readers")}
    assert readers <= {"ogi_report.readers.json_yaml", "ogi_report.readers.narrative"}


def test_openpyxl_and_lxml_load_only_when_a_workbook_or_page_is_read() -> None:
    code = (
        "import sys, ogi_report, ogi_report.readers, ogi_report.validation; "
        "print(sorted(m for m in ('openpyxl', 'lxml') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

"""`ogi package` validates each report exactly as `ogi validate` does: a page as published and
with the figures its narrative states. The bulk validator cannot recompute NARRATIVE-MISMATCH from
the package's tables, so it reports that finding as the package stored it."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from ogi_report.cli import cli
from tests.helpers import ROOT

# A page whose narrative states 133 penalty decisions where its table 二 says 128.
PAGE = ROOT / "tests" / "fixtures" / "pages" / "pipe-2021-department.txt"


def _ogi(*args: str | Path) -> str:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False).output


def _findings(output: str) -> list[tuple[Any, ...]]:
    return [
        (f["rule"], f["severity"], tuple(f["cells"]), f["stated"], f["expected"], f["message_en"])
        for report in json.loads(output)["reports"]
        for f in report["findings"]
    ]


def test_a_packaged_page_keeps_its_narrative_mismatch(tmp_path: Path) -> None:
    page = _findings(_ogi("validate", "--json", PAGE))
    assert any(f[0] == "NARRATIVE-MISMATCH" for f in page)
    [descriptor] = _ogi("package", PAGE, "-o", tmp_path / "out", "--quiet").split()
    with (Path(descriptor).parent / "data" / "findings.csv").open(encoding="utf-8", newline="") as handle:
        stored = [(r["rule"], r["severity"], tuple(r["cells"].split(" "))) for r in csv.DictReader(handle)]
    assert stored == [f[:3] for f in page]  # every finding of the page, the narrative one too
    # Validated again as published (as a page is), the package gives the page's very findings.
    assert _findings(_ogi("validate", "--json", "--published", descriptor)) == page
    narrative = [f for f in page if f[0] == "NARRATIVE-MISMATCH"]
    assert set(narrative) <= set(_findings(_ogi("validate", "--json", descriptor)))


def test_a_packaged_page_keeps_what_its_reader_recorded(tmp_path: Path) -> None:
    # No title and no self-naming: the reader records a stand-in agency and says so (METADATA-MISSING);
    # the package cannot recompute that from its tables, so it reports the finding as stored.
    page = tmp_path / "untitled.txt"
    page.write_text(
        "二、主动公开政府信息情况\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
        "| 规章 | 1 | 0 | 2 |\n",
        encoding="utf-8",
    )
    read = _findings(_ogi("validate", "--json", page))
    assert [f[0] for f in read if f[0] == "METADATA-MISSING"] == ["METADATA-MISSING", "METADATA-MISSING"]
    [descriptor] = _ogi("package", page, "-o", tmp_path / "out", "--quiet").split()
    received = _findings(_ogi("validate", "--json", descriptor))
    assert [f for f in received if f[0] == "METADATA-MISSING"] == [
        f for f in read if f[0] == "METADATA-MISSING"
    ]

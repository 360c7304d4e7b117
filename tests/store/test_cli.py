"""`ogi store …` end to end, on both backends."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from ogi_report.cli import cli

from .conftest import write_jsonl


def _ogi(*args: str) -> str:
    outcome = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert outcome.exit_code == 0, outcome.output
    return outcome.output


def test_store_commands(store_url: str, tmp_path: Path, synth_reports: list[dict[str, Any]]) -> None:
    first = write_jsonl(tmp_path / "a.jsonl", synth_reports)
    package = tmp_path / "packages"
    _ogi("package", str(first), "-o", str(package))
    assert "ingest 1: 60 new" in _ogi("store", "ingest", str(package / "ogi-reports-2024"), "--db", store_url)
    assert "nothing changed" in _ogi("store", "ingest", str(first), "--db", store_url)
    changed = copy.deepcopy(synth_reports)
    target = next(r for r in changed if r["format"] == "2021")
    target["proactive"]["fees"]["amount"] = "12.5"
    out = _ogi("store", "ingest", str(write_jsonl(tmp_path / "b.jsonl", changed)), "--db", store_url)
    assert "1 superseding" in out
    ids = _report_ids(store_url, target["agency"]["name"])
    history = _ogi("store", "history", ids, "--db", store_url)
    assert "proactive.fees.amount:" in history
    assert "superseded by ingest 2" in history
    division = target["agency"]["division_code"][:2] + "0000"
    out_file = tmp_path / "summary.jsonl"
    summary = _ogi(
        "store", "rollup", "--year", "2024", "--division", division, "--db", store_url, "-o", str(out_file)
    )
    assert division in summary
    cells = json.loads(Path(str(out_file) + ".cells.json").read_text("utf-8"))
    assert cells["summaries"][0]["division"] == division
    old = _ogi(
        "store",
        "rollup",
        "--year",
        "2024",
        "--division",
        division,
        "--as-of",
        "1",
        "--db",
        store_url,
        "-o",
        str(tmp_path / "old.jsonl"),
    )
    assert division in old
    assert "finding(s)" in _ogi("store", "findings", "--year", "2024", "--db", store_url)
    _ogi("store", "export", "--parquet", str(tmp_path / "export"), "--db", store_url)
    assert list((tmp_path / "export" / "long_applications").glob("year=2024/province=*/*.parquet"))
    _ogi("store", "chart", "trend", "--db", store_url, "-o", str(tmp_path / "trend.svg"))
    assert "Noto Sans CJK SC" in (tmp_path / "trend.svg").read_text("utf-8")
    assert _ogi("store", "ingests", "--db", store_url).count("\n") == 2


def _report_ids(url: str, name: str) -> str:
    from ogi_report.store import Store

    with Store.open(url) as store:
        return str(store.backend.fetch("SELECT report_id FROM reports WHERE agency_name = ?", (name,))[0][0])

"""Property: consistent reports give consistent summaries, whatever the region, level and kind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ogi_report import parse_report, validate
from ogi_report.findings import Severity
from ogi_report.store import Store, rollup
from ogi_report.synth import synth_reports

from .conftest import write_jsonl

REPORTS = [r.data for r in synth_reports(120, seed=11, years=(2024,))]
DIVISIONS = sorted({r["agency"]["division_code"] for r in REPORTS})


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("rollup")
    opened = Store.open(str(folder / "store.duckdb"))
    opened.ingest([write_jsonl(folder / "r.jsonl", REPORTS)])
    yield opened
    opened.close()


def _members(division: str, size: int, layout: str, kind: str | None) -> list[dict[str, Any]]:
    return [
        r
        for r in REPORTS
        if r["agency"]["division_code"][:size] == division[:size]
        and r["format"] == layout
        and (kind is None or r["agency"]["kind"] == kind)
    ]


@settings(deadline=None, max_examples=40)
@given(
    st.one_of(
        st.tuples(st.just("division"), st.sampled_from(DIVISIONS), st.sampled_from([2, 4, 6])),
        st.tuples(st.just("level"), st.sampled_from(["province", "prefecture", "county"]), st.just(0)),
    ),
    st.sampled_from([None, "government", "department"]),
)
def test_consistent_reports_give_consistent_summaries(
    store: Store, choice: tuple[str, str, int], kind: str | None
) -> None:
    how, value, size = choice
    if how == "division":
        division = value[:size] + "0" * (6 - size)
        size = 2 if division.endswith("0000") else 4 if division.endswith("00") else 6
        result = rollup(store, 2024, division=division, kind=kind)
    else:
        size = {"province": 2, "prefecture": 4, "county": 6}[value]
        result = rollup(store, 2024, level=value, kind=kind)  # type: ignore[arg-type]
    assert sum(s.reports for s in result.summaries) <= len(REPORTS)
    for summary in result.summaries:
        members = _members(summary.division, size, summary.layout, kind)
        assert summary.reports == len(members)
        assert not summary.blanks  # synthetic reports leave no cell blank
        report = parse_report(summary.report).report
        errors = [f for f in validate(report).findings if f.severity is Severity.ERROR]
        assert errors == []
        for table in ("applications", "review_litigation"):
            for row, cells in summary.report[table].items():
                for column, total in cells.items():
                    assert total == sum(m[table][row][column] for m in members)


def test_every_level_partitions_the_year(store: Store) -> None:
    for level in ("province", "prefecture", "county"):
        result = rollup(store, 2024, level=level)
        assert sum(s.reports for s in result.summaries) == len(REPORTS)
        assert result.outside_regions == 0


def test_a_summary_file_passes_ogi_validate(store: Store, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ogi_report.cli import cli

    summary = rollup(store, 2024, division=DIVISIONS[0][:2] + "0000").summaries[0]
    path = tmp_path / "summary.json"
    import json

    path.write_text(json.dumps(summary.report, ensure_ascii=False), encoding="utf-8")
    outcome = CliRunner().invoke(cli, ["validate", str(path)])
    assert outcome.exit_code == 0, outcome.output
    rendered = CliRunner().invoke(cli, ["render", str(path), "-o", str(tmp_path / "summary.html")])
    assert rendered.exit_code == 0, rendered.output

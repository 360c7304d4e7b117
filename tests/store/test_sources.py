"""The store's columns are the package's declarations, and its text is the package's unescaped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ogi_report.package.resources import fields_of
from ogi_report.store import Store
from ogi_report.store.schema import FINDING_COLUMNS, REPORT_FIELDS, SECTION_COLUMNS, VERSION_COLUMNS

from .conftest import write_jsonl


def test_the_store_columns_are_the_package_fields() -> None:
    reports = [f.name for f in fields_of("reports")][1:]  # after report_id
    assert len(REPORT_FIELDS) == len(reports)
    assert [n for n in REPORT_FIELDS if n not in reports] == ["division_code"]  # agency_division_code
    assert VERSION_COLUMNS[-len(REPORT_FIELDS) :] == REPORT_FIELDS
    assert FINDING_COLUMNS[2:] == tuple(f.name for f in fields_of("findings"))[1:]  # seq, rule, …
    assert tuple(f.name for f in fields_of("sections"))[1:] == SECTION_COLUMNS


def test_formula_like_text_comes_back_as_written(
    store_url: str, tmp_path: Path, synth_reports: list[dict[str, Any]]
) -> None:
    report = {**synth_reports[0], "_note": "=SUM(A1)", "source_url": "'quoted"}
    report["agency"] = {**report["agency"], "name": "+机关"}
    with Store.open(store_url) as store:
        store.ingest([write_jsonl(tmp_path / "r.jsonl", [report])], accept_findings=True)
        rows = store.backend.fetch("SELECT version_id, agency_name, note, source_url FROM reports")
        assert [tuple(r[1:]) for r in rows] == [("+机关", "=SUM(A1)", "'quoted")]
        data = store.report_data(int(rows[0][0]))
    assert data is not None
    assert (data["agency"]["name"], data["_note"], data["source_url"]) == ("+机关", "=SUM(A1)", "'quoted")


def test_a_rollup_level_is_an_agency_level_of_the_package() -> None:
    from ogi_report.store.rollup import _AGENCY_LEVEL

    levels = next(f for f in fields_of("reports") if f.name == "agency_level").constraints
    assert levels is not None
    assert set(_AGENCY_LEVEL.values()) <= set(levels["enum"])


def test_a_change_of_the_package_reports_fields_needs_a_store_migration() -> None:
    """The store's tables are made from the package's declarations when a store is created; a store
    made before a change would not have the change. So a new or changed `reports` field fails this
    test until a migration step brings older stores along (then update the lists here)."""
    from ogi_report.store.schema import SCHEMA_VERSION

    assert SCHEMA_VERSION == 2
    assert REPORT_FIELDS == (
        "year",
        "format",
        "agency_name",
        "agency_code",
        "division_code",
        "agency_level",
        "agency_kind",
        "scope",
        "published",
        "source_url",
        "note",
    )
    assert FINDING_COLUMNS[3:] == (
        "rule",
        "severity",
        "cells",
        "stated",
        "expected",
        "blanks",
        "fill",
        "message_zh",
        "message_en",
    )
    assert SECTION_COLUMNS == ("section", "text")

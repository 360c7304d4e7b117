"""The store's suite: every test runs on DuckDB and on PostgreSQL (marker `postgres`)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from ogi_report import parse_report
from ogi_report.store import Store, StoreError, chart_svg, export_parquet, rollup
from ogi_report.store.core import CROSS_YEAR_RULES
from ogi_report.store.schema import SCHEMA_VERSION, migrations

from .conftest import write_jsonl


def _ingest(url: str, path: Path, **options: Any) -> Any:
    with Store.open(url) as store:
        return store.ingest([path], **options)


def _model(data: dict[str, Any]) -> Any:
    return parse_report(data).report.model_dump()


def test_ingest_round_trips_and_same_bytes_change_nothing(
    store_url: str, tmp_path: Path, synth_reports: list[dict[str, Any]]
) -> None:
    source = write_jsonl(tmp_path / "r.jsonl", synth_reports)
    first = _ingest(store_url, source)
    assert (first.ingest_id, first.added, first.superseding) == (1, 60, 0)
    with Store.open(store_url) as store:
        before = store.snapshot()
        again = store.ingest([source])
        assert again.ingest_id is None
        assert again.unchanged == 60
        assert store.snapshot() == before
        by_name = {r["agency"]["name"]: r for r in synth_reports}
        for (vid,) in store.backend.fetch("SELECT version_id FROM reports"):
            data = store.report_data(int(vid))
            assert data is not None
            assert _model(data) == _model(by_name[data["agency"]["name"]])


def test_a_corrected_report_supersedes_and_both_are_kept(
    store_url: str, tmp_path: Path, synth_reports: list[dict[str, Any]]
) -> None:
    reports = synth_reports[:5]
    _ingest(store_url, write_jsonl(tmp_path / "a.jsonl", reports))
    corrected = copy.deepcopy(reports)
    target = next(r for r in corrected if r["format"] == "2021")
    target["review_litigation"]["reconsideration"]["upheld"] += 1
    target["review_litigation"]["reconsideration"]["total"] += 1
    result = _ingest(store_url, write_jsonl(tmp_path / "b.jsonl", corrected))
    assert (result.ingest_id, result.added, result.superseding, result.unchanged) == (2, 0, 1, 4)
    with Store.open(store_url) as store:
        report_id = str(
            store.backend.fetch(
                "SELECT report_id FROM reports WHERE agency_name = ?", (target["agency"]["name"],)
            )[0][0]
        )
        latest, earlier = store.latest_version(report_id), store.latest_version(report_id, as_of=1)
        assert latest is not None
        assert earlier is not None
        assert latest != earlier
        now, then = store.report_data(latest), store.report_data(earlier)
        assert now is not None
        assert then is not None
        upheld = target["review_litigation"]["reconsideration"]["upheld"]
        assert now["review_litigation"]["reconsideration"]["upheld"] == upheld
        assert then["review_litigation"]["reconsideration"]["upheld"] == upheld - 1
        versions = store.history(report_id)
        assert [v.superseded_by for v in versions] == [2, None]
        assert {(c.cell, c.after - c.before) for c in versions[1].changes} == {
            ("review_litigation.reconsideration.upheld", 1),
            ("review_litigation.reconsideration.total", 1),
        }
        now_sums, then_sums = (
            rollup(store, 2024, level="province"),
            rollup(store, 2024, level="province", as_of=1),
        )
        assert [x.report for x in now_sums.summaries] == [
            x.report for x in rollup(store, 2024, level="province", as_of=2).summaries
        ]
        assert [x.report for x in now_sums.summaries] != [x.report for x in then_sums.summaries]
        assert store.count("versions") == 5
        assert store.count("versions", as_of=1) == 5
        assert store.count("versions", as_of=None) == 5


def test_a_failing_package_is_refused_whole_unless_accepted(
    store_url: str, tmp_path: Path, synth_reports: list[dict[str, Any]]
) -> None:
    broken = copy.deepcopy(synth_reports[:4])
    broken[2]["applications"]["new_received"]["total"] += 7
    source = write_jsonl(tmp_path / "bad.jsonl", broken)
    with Store.open(store_url) as store:
        with pytest.raises(StoreError, match="refused"):
            store.ingest([source])
        assert store.count("versions") == 0
        result = store.ingest([source], accept_findings=True)
        assert result.added == 4
        assert result.findings >= 1
        rules = {f["rule"] for f in store.findings(year=2024)}
        assert "T3-ROW-TOTAL" in rules


def _next_year(report: dict[str, Any]) -> dict[str, Any]:
    """The agency's report of the year after, consistent with this one across years."""
    later = copy.deepcopy(report)
    later["year"] = report["year"] + 1
    later["published"] = f"{report['year'] + 2}-01-20"
    table = later["applications"]
    for column in table["carried_in"]:
        shift = table["carried_out"][column] - table["carried_in"][column]
        table["carried_in"][column] += shift
        table["new_received"][column] -= shift
    return later


def test_cross_year_rules_run_across_ingests(
    store_url: str, tmp_path: Path, synth_reports: list[dict[str, Any]]
) -> None:
    base = [r for r in synth_reports if r["format"] == "2021" and r["agency"]["code"]][:3]
    base = [{**r, "year": 2023, "published": "2024-01-20"} for r in base]
    later = [_next_year(r) for r in base]
    later[1]["applications"]["carried_in"]["business"] += 3  # no longer last year's carried_out
    _ingest(store_url, write_jsonl(tmp_path / "y23.jsonl", base), accept_findings=True)
    result = _ingest(store_url, write_jsonl(tmp_path / "y24.jsonl", later), accept_findings=True)
    assert result.cross_year_findings >= 1
    with Store.open(store_url) as store:
        found = store.findings(year=2024, rule="Y-CARRY")
        assert found
        assert all(f["report_id"].startswith("2024-") for f in found)
        assert {f["cells"] for f in found} == {"applications.carried_in.business"}
        assert found[0]["previous_report_id"].startswith("2023-")


def test_rollup_sums_in_the_official_layout_and_counts_blanks(
    store_url: str, tmp_path: Path, synth_reports: list[dict[str, Any]]
) -> None:
    reports = copy.deepcopy(synth_reports)
    blanked = next(r for r in reports if r["format"] == "2021")
    blanked["applications"]["granted"]["business"] = None
    blanked["applications"]["granted"]["total"] = None
    province = blanked["agency"]["division_code"][:2] + "0000"
    nameless = copy.deepcopy(next(r for r in reports if r["format"] == "2021" and r is not blanked))
    nameless["agency"]["name"] += "（无区划）"
    nameless["agency"]["division_code"] = None
    nameless["agency"]["code"] = None
    reports.append(nameless)
    _ingest(store_url, write_jsonl(tmp_path / "r.jsonl", reports), accept_findings=True)
    with Store.open(store_url) as store:
        result = rollup(store, 2024, division=province)
        everything = rollup(store, 2024, level="province")
        # the kept sums of the latest reports give what summing the cells themselves gives
        for level in ("province", "prefecture", "county"):
            for kind in (None, "government"):
                kept = rollup(store, 2024, level=level, kind=kind)
                summed = rollup(store, 2024, level=level, kind=kind, as_of=1)
                assert [s.report for s in kept.summaries] == [s.report for s in summed.summaries]
                assert kept.to_dict() == summed.to_dict()
    members = [
        r
        for r in reports
        if r["agency"]["division_code"]
        and r["agency"]["division_code"][:2] == province[:2]
        and r["format"] == "2021"
    ]
    summary = next(s for s in result.summaries if s.layout == "2021")
    assert summary.reports == len(members)
    expected = sum(r["applications"]["granted"]["natural_person"] for r in members)
    assert summary.report["applications"]["granted"]["natural_person"] == expected
    assert summary.blanks["applications.granted.business"] == 1
    assert summary.cells()["applications.granted.total"] == {"blank": 1, "value_is": "lower_bound"}
    known = sum(r["applications"]["granted"]["total"] for r in members if r is not blanked)
    assert summary.report["applications"]["granted"]["total"] == known
    assert everything.outside_regions == 1
    assert sum(s.reports for s in everything.summaries) == len(reports) - 1
    loaded = parse_report(json.loads(json.dumps(summary.report)))
    assert loaded.report.format == "2021"


def test_a_region_mixing_layouts_is_summed_per_layout(
    store_url: str, tmp_path: Path, synth_reports: list[dict[str, Any]]
) -> None:
    trial = next(r for r in synth_reports if r["format"] == "2019-trial")
    other = copy.deepcopy(next(r for r in synth_reports if r["format"] == "2021"))
    other["agency"]["division_code"] = trial["agency"]["division_code"]
    other["agency"]["code"] = None
    other["agency"]["name"] += "（同区）"
    _ingest(store_url, write_jsonl(tmp_path / "m.jsonl", [trial, other]), accept_findings=True)
    with Store.open(store_url) as store:
        result = rollup(store, 2024, division=trial["agency"]["division_code"])
    assert sorted(s.layout for s in result.summaries) == ["2019-trial", "2021"]
    for s in result.summaries:
        assert s.other_layouts
        assert "另行汇总" in s.report["_note"]
        assert parse_report(s.report).report.format == s.layout


def test_views_export_and_charts(store_url: str, tmp_path: Path, synth_reports: list[dict[str, Any]]) -> None:
    _ingest(store_url, write_jsonl(tmp_path / "r.jsonl", synth_reports), accept_findings=True)
    with Store.open(store_url) as store:
        rows = store.backend.fetch(
            "SELECT sum(value) FROM long_applications WHERE row = 'new_received' AND \"column\" = 'total'"
        )
        assert int(rows[0][0]) == sum(r["applications"]["new_received"]["total"] for r in synth_reports)
        assert store.count("versions") == int(store.backend.fetch("SELECT count(*) FROM reports")[0][0])
        written = export_parquet(store, tmp_path / "export")
        for kind in ("trend", "outcomes", "review"):  # ChartKind
            svg = chart_svg(store, kind)
            assert svg.startswith("<svg")
            assert "Noto Sans CJK SC" in svg
    assert {p.name for p in written} == {
        "reports",
        "long_proactive",
        "long_applications",
        "long_review_litigation",
    }
    provinces = {r["agency"]["division_code"][:2] + "0000" for r in synth_reports}
    found = {p.parent.name for p in (tmp_path / "export" / "reports").glob("year=2024/province=*/*.parquet")}
    assert found == {f"province={p}" for p in provinces}
    import duckdb

    query = f"SELECT count(*) FROM read_parquet('{tmp_path}/export/reports/**/*.parquet')"
    count = duckdb.connect().execute(query).fetchone()
    assert count is not None
    assert count[0] == len(synth_reports)


def test_a_newer_store_is_refused_and_an_older_one_upgraded(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.backend.execute(
            "UPDATE store_meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
        )
    with pytest.raises(StoreError, match="newer ogi-report"):
        Store.open(store_url)


def test_an_older_store_is_upgraded_in_place(store_url: str) -> None:
    from ogi_report.store.backend import open_backend

    backend = open_backend(store_url)
    backend.begin()
    for statement in migrations(backend.numeric, index_cells=backend.index_cells)[1]:
        backend.execute(statement)
    backend.execute("INSERT INTO store_meta VALUES ('schema_version', '1')")
    backend.commit()
    assert not backend.has_table("explanations")
    backend.close()
    with Store.open(store_url) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.backend.has_table("explanations")
        assert store.count("explanations") == 0


def test_explanations_are_loaded_when_a_package_carries_them(
    store_url: str, tmp_path: Path, synth_reports: list[dict[str, Any]]
) -> None:
    from ogi_report import build_packages, iter_reports

    source = write_jsonl(tmp_path / "r.jsonl", synth_reports[:3])
    folder = build_packages(iter_reports([source]), tmp_path / "pk")[0]
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    with (folder / "datapackage.json").open(encoding="utf-8") as handle:
        report_id = next(r for r in json.load(handle)["resources"] if r["name"] == "reports")["path"]
    first = (folder / report_id).read_text("utf-8").splitlines()[1].split(",")[0]
    (folder / "data" / "explanations.csv").write_text(
        f'report_id,seq,cells,text\n{first},1,applications.granted.total,"本年度部分申请延期答复"\n',
        encoding="utf-8",
    )
    fields = [
        {"name": n, "type": "integer" if n == "seq" else "string"}
        for n in ("report_id", "seq", "cells", "text")
    ]
    descriptor["resources"].append(
        {"name": "explanations", "path": "data/explanations.csv", "schema": {"fields": fields}}
    )
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    with Store.open(store_url) as store:
        store.ingest([folder], accept_findings=True)
        rows = store.backend.fetch("SELECT seq, cells, text FROM explanations")
    assert rows == [(1, "applications.granted.total", "本年度部分申请延期答复")]


def test_the_cross_year_screen_misses_no_finding(
    store_url: str, tmp_path: Path, synth_reports: list[dict[str, Any]]
) -> None:
    """The store's SQL screen plus `compare_years` give what `compare_years` gives on every pair."""
    import random

    from ogi_report import compare_years

    rng = random.Random(5)
    base = [{**r, "year": 2023, "published": "2024-01-20"} for r in synth_reports if r["format"] == "2021"]
    base = [r for r in base if r["agency"]["code"]][:12]
    later = [_next_year(r) for r in base]
    for report in later:
        for _ in range(rng.randint(0, 2)):
            column = rng.choice(list(report["applications"]["carried_in"]))
            report["applications"]["carried_in"][column] += rng.randint(1, 3)
        if rng.random() < 0.5:  # in force as the rule expects: issued and repealed applied
            for cells in report["proactive"].values():
                if "in_force" in cells and cells["in_force"] is not None:
                    cells["in_force"] += cells["issued"] - cells["repealed"]
    _ingest(store_url, write_jsonl(tmp_path / "y23.jsonl", base), accept_findings=True)
    _ingest(store_url, write_jsonl(tmp_path / "y24.jsonl", later), accept_findings=True)
    expected = set()
    for before, after in zip(base, later, strict=True):
        for finding in compare_years(parse_report(before).report, parse_report(after).report):
            expected.add((after["agency"]["name"], finding.rule, " ".join(finding.cells)))
    with Store.open(store_url) as store:
        names = dict(store.backend.fetch("SELECT report_id, agency_name FROM reports"))
        found = {
            (names[f["report_id"]], f["rule"], f["cells"])
            for f in store.findings(year=2024)
            if f["rule"] in CROSS_YEAR_RULES
        }
    assert {rule for _, rule, _ in expected} == CROSS_YEAR_RULES
    assert found == expected


REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"


def test_real_pages_of_agencies_that_never_name_themselves_are_never_paired(store_url: str) -> None:
    """The published pages of tests/fixtures/real, stored as the platform reads them: the pages that
    name no agency (`我局`) share no identity, so no cross-year finding pairs two of them; the pairs
    that remain are one agency's own years (the Pingtan economic development bureau, 2021–2023,
    whose 现行有效件数 restarts each year)."""
    pages = sorted(REAL.glob("*/*.txt"))
    with Store.open(store_url) as store:
        result = store.ingest(pages, accept_findings=True)
        assert result.added == len(pages)  # none taken for a version of another
        found = [f for f in store.findings() if f["previous_report_id"] is not None]
    assert found
    assert all("unnamed" not in f["report_id"] + f["previous_report_id"] for f in found)
    assert {f["rule"] for f in found} == {"T2-IN-FORCE"}
    assert {(f["previous_report_id"][:4], f["report_id"][:4]) for f in found} == {
        ("2021", "2022"),
        ("2022", "2023"),
    }

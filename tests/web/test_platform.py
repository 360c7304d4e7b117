"""The platform's pages (`ogi serve --db`): a small store built from synthetic reports, read through
the desk's `/platform` routes; their grids equal `rollup(...)`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ogi_report.limits import Limits
from ogi_report.web.app import guarded_app
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port

pytest.importorskip("duckdb")
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ogi_report.store import Store

    work = tmp_path_factory.mktemp("platform")
    ogi = [sys.executable, "-m", "ogi_report"]
    synth = [*ogi, "synth", "--count", "200", "--year", "2023", "--year", "2024", "-o", "x.jsonl"]
    subprocess.run(synth, cwd=work, check=True, capture_output=True)
    lines = (work / "x.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])  # one blank cell: its region's roll-up marks it
    first["applications"]["new_received"]["natural_person"] = None
    lines[0] = json.dumps(first, ensure_ascii=False)
    (work / "x.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    subprocess.run([*ogi, "package", "x.jsonl", "-o", "pk"], cwd=work, check=True, capture_output=True)
    path = work / "store.duckdb"
    with Store.open(str(path)) as store:
        store.ingest([work / "pk"], accept_findings=True)
    return path


@pytest.fixture(scope="module")
def platform(store_path: Path) -> Iterator[TestClient]:
    app = guarded_app(Limits(), store_url=str(store_path))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _rollup(store_path: Path, year: int, **where: Any) -> Any:
    from ogi_report.store import Store, rollup

    with Store.open(str(store_path), read_only=True) as store:
        return rollup(store, year, **where)


def test_years_page_lists_the_years(platform: TestClient) -> None:
    page = platform.get("/platform")
    assert page.status_code == 200
    years = dict(re.findall(r'<tr data-year="(\d+)">.*?data-reports="(\d+)"', page.text))
    assert years == {"2023": "100", "2024": "100"}
    assert 'href="/platform/2024?level=province&amp;lang=zh"' in page.text


def test_a_region_in_the_official_layout_equals_its_rollup(platform: TestClient, store_path: Path) -> None:
    provinces = _rollup(store_path, 2024, level="province")
    division = max(provinces.summaries, key=lambda s: s.reports).division
    page = platform.get(f"/platform/2024?division={division}")
    assert page.status_code == 200
    (summary,) = _rollup(store_path, 2024, division=division).summaries
    cells = dict(re.findall(r'<td data-cell="([^"]+)" data-value="([^"]*)"', page.text))
    assert len(cells) > 100
    for path, shown in cells.items():
        table, row, column = path.split(".")
        value = ((summary.report.get(table) or {}).get(row) or {}).get(column)
        assert shown == ("" if value is None else str(value)), path
    blanks = dict(re.findall(r'data-cell="([^"]+)" data-value="[^"]*" data-blanks="(\d+)"', page.text))
    assert {k: int(v) for k, v in blanks.items()} == summary.blanks
    # drill-down: the prefectures of the province, each a link
    prefectures = {
        s.division
        for s in _rollup(store_path, 2024, level="prefecture").summaries
        if s.division.startswith(division[:2]) and s.division != division  # its own agencies: not below it
    }
    links = set(re.findall(r'<li data-division="(\d+)"><a href="/platform/2024\?division=\1', page.text))
    assert links == prefectures
    assert links
    # charts as images served by the chart route; the roll-up as report JSON
    assert f'src="/platform/chart/trend.svg?division={division}"' in page.text
    download = platform.get(f"/platform/2024/report.json?division={division}")
    assert download.status_code == 200
    assert download.json() == summary.report


def test_blank_counts_are_marked(platform: TestClient, store_path: Path) -> None:
    found = [s for s in _rollup(store_path, 2023, level="province").summaries if s.blanks]
    assert found
    page = platform.get(f"/platform/2023?division={found[0].division}")
    path, n = next(iter(found[0].blanks.items()))
    assert re.search(rf'data-cell="{re.escape(path)}" data-value="[^"]*" data-blanks="{n}"', page.text)
    assert 'class="blank-count"' in page.text


def test_chart_route_serves_svg(platform: TestClient) -> None:
    for kind in ("trend", "outcomes", "review"):
        chart = platform.get(f"/platform/chart/{kind}.svg?year=2024")
        assert chart.status_code == 200
        assert chart.headers["content-type"] == "image/svg+xml"
        assert "<svg" in chart.text


def test_english_and_errors(platform: TestClient) -> None:
    english = platform.get("/platform?lang=en")
    assert "Annual reports platform" in english.text
    assert 'lang="en"' in english.text
    assert platform.get("/platform/1999").status_code == 404
    assert platform.get("/platform/2024?division=44").status_code == 422
    assert platform.get("/platform/2024?level=state").status_code == 422
    assert platform.get("/platform/chart/pie.svg").status_code == 422


def test_without_a_store_the_platform_is_404() -> None:
    with TestClient(guarded_app(Limits()), raise_server_exceptions=False) as test_client:
        for path in ("/platform", "/platform/2024", "/platform/chart/trend.svg"):
            answer = test_client.get(path)
            assert answer.status_code == 404
            assert "ogi serve --db" in answer.text


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (.ci/run installs it)")
def test_browser_drills_into_a_year(store_path: Path) -> None:
    import httpx
    from playwright.sync_api import sync_playwright

    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ogi_report", "serve", "--port", str(port), "--db", str(store_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(url + "/platform", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                import time

                time.sleep(0.05)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            tab = browser.new_page(viewport={"width": 1400, "height": 1000})
            problems: list[str] = []
            tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            tab.goto(url + "/platform")
            tab.click("tr[data-year='2024'] a")
            tab.wait_for_selector("#regions")
            tab.click("#regions li >> nth=0 >> a")
            tab.wait_for_selector("table.official.rollup td[data-cell]")
            tab.wait_for_function(
                "() => [...document.querySelectorAll('img.chart')]"
                ".every(i => i.complete && i.naturalWidth > 0)"
            )
            ARTIFACTS.mkdir(exist_ok=True)
            tab.screenshot(path=str(ARTIFACTS / "platform-region.png"), full_page=True)
            assert not problems, problems
            browser.close()
    finally:
        process.terminate()
        process.wait(10)

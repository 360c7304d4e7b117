"""The desk as a publisher uses it: headless Chromium (Playwright) against `ogi serve` on loopback.
Screenshots are kept in tests/web/artifacts/ (ignored by git) to be looked at."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ogi_report import parse_report, read_report, validate, validate_file
from tests.helpers import BROKEN
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (.ci/run installs it)"),
]
ARTIFACTS = Path(__file__).parent / "artifacts"
ROW_TOTAL = BROKEN / "2021-county.row-total-wrong.json"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.goto(server + "/")
    yield tab
    context.close()
    refused = ("status of 413", "status of 422")  # a refused upload's page is loaded with its status
    assert not [p for p in problems if not any(r in p for r in refused)], problems  # no script or CSP error


def shot(tab: Any, name: str, full: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def invalid_cells(tab: Any) -> set[str]:
    return set(tab.eval_on_selector_all("[aria-invalid='true']", "els => els.map(e => e.dataset.cell)"))


def test_upload_a_broken_workbook_fix_it_and_download(
    page: Any, broken_workbook: Path, tmp_path: Path
) -> None:
    shot(page, "01-home")
    page.set_input_files("input[name=file]", str(broken_workbook))
    page.click("#upload button[type=submit]")
    page.wait_for_selector("#summary")
    expected = validate_file(broken_workbook)
    assert invalid_cells(page) == {c for f in expected.errors for c in f.cells}
    assert "表三!" in page.inner_text("li.finding dd.places")
    shot(page, "02-uploaded")
    shot(page, "02-uploaded-full", full=True)
    # choosing a finding highlights its cells (the script, allowed by the CSP)
    page.click("li.finding >> nth=1 >> a.show")
    chosen = page.eval_on_selector_all("td.chosen", "els => els.map(e => e.dataset.cell)")
    assert set(chosen) == set(expected.errors[1].cells)
    shot(page, "03-chosen")
    # fix the two totals and check again
    page.fill("td[data-cell='applications.granted.total'] input", "53")
    page.fill("td[data-cell='applications.partially_granted.total'] input", "12")
    page.click("#check")
    page.wait_for_selector("#clean")
    assert invalid_cells(page) == set()
    shot(page, "04-fixed")
    for button, name in (("#dl-json", "r.json"), ("#dl-xlsx", "r.xlsx"), ("#dl-findings", "f.json")):
        with page.expect_download() as info:
            page.click(button)
        info.value.save_as(tmp_path / name)
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert validate(parse_report(report).report).ok
    assert read_report(tmp_path / "r.xlsx").report.to_dict() == report
    assert json.loads((tmp_path / "f.json").read_text("utf-8"))["summary"]["errors"] == 0


def test_fill_in_explain_and_switch_language(page: Any, server: str) -> None:
    page.goto(server + "/new?layout=2021")
    shot(page, "05-new")
    data = json.loads(ROW_TOTAL.read_text("utf-8"))
    page.fill("input[name='agency.name']", data["agency"]["name"])
    page.fill("input[name='year']", str(data["year"]))
    page.select_option("select[name='agency.kind']", "government")
    for table in ("proactive", "applications", "review_litigation"):
        for row, columns in data[table].items():
            for column, value in columns.items():
                if value is not None:
                    page.fill(f"td[data-cell='{table}.{row}.{column}'] input", str(value))
    page.click("#check")
    page.wait_for_selector("#summary")
    assert len(invalid_cells(page)) == 14
    # explain the first finding
    first = page.locator("li.finding").first
    first.locator("summary").click()
    first.locator("textarea").fill("本年度统计口径调整。")
    first.locator("input").first.fill("县政府办公室")
    page.click("#check")
    page.wait_for_selector("li.finding[data-explained='true']")
    assert "1 个已说明" in page.inner_text("#summary")
    shot(page, "06-explained")
    # switch to English: the same values, findings in English
    page.click("#switch-lang")
    page.wait_for_selector("html[lang='en']")
    assert page.input_value("input[name='agency.name']") == data["agency"]["name"]
    assert "1 explained" in page.inner_text("#summary")
    assert "the sum of the 6 items" in page.inner_text("aside")
    shot(page, "07-english")
    page.click("#switch-lang")
    page.wait_for_selector("html[lang='zh-CN']")
    # each rule heading links to the rule's entry on the desk's rules page
    href = page.get_attribute("section[data-rule='T3-ROW-TOTAL'] a.rule-link", "href")
    page.goto(server + str(href))
    assert page.inner_text("section:target code") == "T3-ROW-TOTAL"
    shot(page, "09-rules")


def test_an_unreadable_upload_is_one_line(page: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", "utf-8")
    page.set_input_files("input[name=file]", str(bad))
    page.click("#upload button[type=submit]")
    page.wait_for_selector("#problem")
    assert page.inner_text("#problem").startswith("bad.json: line 1")
    shot(page, "08-error")


@pytest.mark.parametrize("name", ["template-2021-county-unbalanced.xls", "word-2021-county.doc"])
def test_upload_a_word_or_excel_file_of_the_97_2003_kind(page: Any, name: str) -> None:
    """A publisher's .xls or .doc, chosen in the file dialog: the official tables with the wrong
    cells marked, as for its .xlsx or .docx."""
    from tests.helpers import ROOT, need_libreoffice

    path = ROOT / "tests" / "fixtures" / "old-office" / name
    if path.suffix == ".doc":
        need_libreoffice()
    page.set_input_files("input[name=file]", str(path))
    page.click("#upload button[type=submit]")
    page.wait_for_selector("#summary")
    expected = validate_file(path)
    assert invalid_cells(page) == {c for f in expected.errors for c in f.cells}
    assert page.input_value("td[data-cell='applications.new_received.natural_person'] input") == "120"
    if path.suffix == ".xls":
        assert "表三!D28" in page.inner_text("li.finding dd.places")
    shot(page, f"07-uploaded-{path.suffix[1:]}", full=True)

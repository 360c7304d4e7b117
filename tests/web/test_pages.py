"""The desk's pages through the app in process: the official grid named by cell codes, the marks of
findings, the form kept across submissions, explanations, the language switch and the downloads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import html5lib
import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from ogi_report import CATALOGUE, LAYOUTS, parse_report, read_report, validate, validate_file
from ogi_report.readers.page import extract_page
from ogi_report.writers.html_render import render_html
from tests.helpers import BROKEN, EXAMPLES, ROOT

ROW_TOTAL = BROKEN / "2021-county.row-total-wrong.json"
GOOD = EXAMPLES / "illustrative-2021-county.json"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "\''


def tree(text: str) -> Any:
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)  # valid HTML5
    return lxml_html.fromstring(text)


def marked(page: Any) -> tuple[set[str], set[str]]:
    """(cells marked invalid, cells marked as warnings)."""
    errors = set(page.xpath("//*[@aria-invalid='true']/@data-cell"))
    warnings = set(page.xpath("//*[@data-severity='warning'][@data-cell]/@data-cell"))
    return errors, warnings


def form_values(page: Any) -> list[tuple[str, str]]:
    """What the browser would submit from the desk form (inputs, selects, textareas)."""
    values: list[tuple[str, str]] = []
    for element in page.xpath("//form[@id='desk']//*[@name]"):
        if element.tag == "button":
            continue
        if element.tag == "select":
            chosen = element.xpath("option[@selected]/@value")
            values.append((element.get("name"), chosen[0] if chosen else ""))
        elif element.tag == "textarea":
            values.append((element.get("name"), element.text or ""))
        else:
            values.append((element.get("name"), element.get("value") or ""))
    return values


def upload(client: TestClient, path: Path, lang: str = "zh") -> Any:
    response = client.post("/check", files={"file": (path.name, path.read_bytes())}, data={"lang": lang})
    assert response.status_code == 200, response.text
    return tree(response.text)


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_new_form_has_every_cell_and_metadata(client: TestClient, layout: str) -> None:
    response = client.get(f"/new?layout={layout}")
    page = tree(response.text)
    cells = set(page.xpath("//table[@class='official']//td/@data-cell"))
    assert cells == set(LAYOUTS[layout].cell_paths())
    assert set(page.xpath("//td[@data-cell]/input/@name")) >= cells  # inputs named by cell code
    assert {"agency.name", "year", "published"} <= set(page.xpath("//table[@class='meta']//@name"))
    assert page.xpath("//input[@name='format']/@value") == [layout]
    assert client.get("/new?layout=1999").status_code == 400


def test_upload_marks_exactly_the_wrong_cells(client: TestClient, broken_workbook: Path) -> None:
    page = upload(client, broken_workbook)
    expected = validate_file(broken_workbook)
    errors, warnings = marked(page)
    assert errors == {cell for f in expected.errors for cell in f.cells}
    assert warnings == set()
    assert page.xpath("//section[@class='rule']/@data-rule") == ["T3-ROW-TOTAL"]
    findings = page.xpath("//li[@class='finding']")
    assert len(findings) == 2
    assert findings[0].xpath(".//dd[@class='places']//text()")  # the sheet cells, e.g. 表三!I6
    assert "54" in findings[0].xpath("string(.//dl)")
    # every value kept in its input
    value = page.xpath("//td[@data-cell='applications.granted.total']/input/@value")
    assert value == ["54"]


def test_warnings_and_reading_notes(client: TestClient, tmp_path: Path) -> None:
    data = json.loads(GOOD.read_text("utf-8"))
    data["applications"]["granted"]["research"] = None
    path = tmp_path / "blank.html"  # a published page: a blank cell is a warning
    path.write_text(render_html(parse_report(data).report), "utf-8")
    page = upload(client, path)
    result = validate_file(path)
    assert result.ok
    errors, warnings = marked(page)
    assert not errors
    assert warnings == {c for f in result.warnings for c in f.cells}
    assert page.xpath("//p[@id='summary']/@class") == ["summary ok"]
    again = tree(client.post("/desk", data=dict(form_values(page))).text)  # still as published
    assert marked(again) == marked(page)


def test_a_published_page_checked_again_keeps_its_narrative_check(client: TestClient) -> None:
    # This page's text states 133 penalty decisions where its table says 128.
    page = upload(client, ROOT / "tests" / "fixtures" / "pages" / "pipe-2021-department.txt")
    rules = page.xpath("//*[@data-rule='NARRATIVE-MISMATCH']")
    assert rules
    again = tree(client.post("/desk", data=dict(form_values(page))).text)
    assert len(again.xpath("//*[@data-rule='NARRATIVE-MISMATCH']")) == len(rules)


def test_an_unreadable_cell_keeps_what_was_written(client: TestClient) -> None:
    page = upload(client, BROKEN / "2021-county.count-with-unit.json")
    unreadable = read_report(BROKEN / "2021-county.count-with-unit.json").unreadable
    for path, text in unreadable.items():
        assert page.xpath(f"//td[@data-cell='{path}']/input/@value") == [str(text)]
        assert page.xpath(f"//td[@data-cell='{path}']/@aria-invalid") == ["true"]


def test_resubmitting_the_form_keeps_every_value_and_fixes(client: TestClient) -> None:
    page = upload(client, ROW_TOTAL)
    values = form_values(page)
    again = tree(client.post("/desk", data=dict(values)).text)
    assert form_values(again) == values  # nothing lost or changed
    assert marked(again) == marked(page)
    fixed = dict(values)
    fixed["applications.granted.total"] = "53"
    fixed["applications.partially_granted.total"] = "12"
    clean = tree(client.post("/desk", data=fixed).text)
    assert marked(clean) == (set(), set())
    assert clean.xpath("//p[@id='clean']")
    report = client.post("/download/report.json", data=fixed).json()
    assert validate(parse_report(report).report).ok


def test_a_form_that_is_not_a_report_is_shown_again(client: TestClient) -> None:
    values = dict(form_values(upload(client, ROW_TOTAL)))
    values["year"] = "twenty"
    response = client.post("/desk", data=values)
    assert response.status_code == 422
    page = tree(response.text)
    assert "year" in page.xpath("string(//p[@id='problem'])")
    assert page.xpath("//input[@name='year']/@value") == ["twenty"]


def test_explain_a_finding_then_it_goes_stale(client: TestClient) -> None:
    page = upload(client, ROW_TOTAL)
    values = dict(form_values(page))
    first = page.xpath("//li[@class='finding']/@data-fingerprint")[0]
    values[f"explain:{first}"] = "本年度统计口径调整，另行说明"
    values[f"explain_by:{first}"] = "县政府办公室"
    explained = tree(client.post("/desk", data=values).text)
    assert explained.xpath(f"//li[@data-fingerprint='{first}']/@data-explained") == ["true"]
    assert "1" in explained.xpath("string(//p[@id='summary'])")
    report = client.post("/download/report.json", data=dict(form_values(explained))).json()
    assert report["explanations"][0]["fingerprint"] == first
    assert report["explanations"][0]["by"] == "县政府办公室"
    assert report["explanations"][0]["at"]  # dated when given
    result = validate(parse_report(report).report)
    assert len(result.explained) == 1
    # fix the cells: the explanation no longer has a finding and is listed as stale
    values = dict(form_values(explained))
    values["applications.granted.total"] = "53"
    stale = tree(client.post("/desk", data=values).text)
    assert stale.xpath("//section[@id='stale']//li/@data-fingerprint") == [first]


def test_language_switch_keeps_the_values(client: TestClient) -> None:
    assert "Check a report" in client.get("/?lang=en").text
    page = upload(client, ROW_TOTAL)
    values = dict(form_values(page))
    values["switch_lang"] = "en"
    english = tree(client.post("/desk", data=values).text)
    assert english.get("lang") == "en"
    assert "the sum of the 6 items" in english.xpath("string(//aside)")
    assert [v for v in form_values(english) if v[0] != "lang"] == [
        v for v in form_values(page) if v[0] != "lang"
    ]
    assert english.xpath("//input[@name='lang']/@value") == ["en"]
    assert marked(english) == marked(page)


def test_escaping(client: TestClient, tmp_path: Path) -> None:
    data = json.loads(ROW_TOTAL.read_text("utf-8"))
    data["agency"]["name"] = HOSTILE
    data["sections"]["overview"] = HOSTILE
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data), "utf-8")
    response = client.post("/check", files={"file": ("<b>x</b>.json", path.read_bytes())})
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text
    page = tree(response.text)
    assert page.xpath("//input[@name='agency.name']/@value") == [HOSTILE]
    assert not page.xpath("//script[not(@src)]")  # no inline script
    assert not page.xpath("//*[@style]")  # no inline style


def test_downloads(client: TestClient, tmp_path: Path) -> None:
    values = form_values(upload(client, ROW_TOTAL))
    as_json = client.post("/download/report.json", data=dict(values))
    assert as_json.headers["content-disposition"] == 'attachment; filename="ogi-report-2024.json"'
    original = json.loads(ROW_TOTAL.read_text("utf-8"))
    assert as_json.json() == original  # the same report back
    workbook = client.post("/download/report.xlsx", data=dict(values))
    (tmp_path / "r.xlsx").write_bytes(workbook.content)
    assert read_report(tmp_path / "r.xlsx").report.to_dict() == original
    page = client.post("/download/report.html", data=dict(values))
    assert extract_page(page.content).report.to_dict()["applications"] == original["applications"]
    findings = client.post("/download/findings.json?x=1", data=dict(values)).json()
    assert findings["summary"]["errors"] == 2
    assert client.post("/download/other.txt", data=dict(values)).status_code == 422


def test_error_pages(client: TestClient) -> None:
    response = client.post("/check", files={"file": ("x.json", b"{")})
    assert response.status_code == 422
    page = tree(response.text)
    assert "x.json: line 1" in page.xpath("string(//p[@id='problem'])")
    assert "Traceback" not in response.text
    assert client.post("/check", data={"lang": "zh"}).status_code == 400
    missing = client.get("/nowhere")
    assert missing.status_code == 404
    assert tree(missing.text).xpath("//p[@id='problem']")  # the desk's own page, not bare JSON


def test_a_json_lines_upload_shows_the_first(client: TestClient, tmp_path: Path) -> None:
    line = json.dumps(json.loads(ROW_TOTAL.read_text("utf-8")))
    path = tmp_path / "two.jsonl"
    path.write_text(line + "\n" + line + "\n", "utf-8")
    page = upload(client, path, lang="en")
    assert "2 reports in the file" in page.xpath("string(//section[@id='notes'])")


def test_no_state_is_shared_between_requests(client: TestClient) -> None:
    first = form_values(upload(client, ROW_TOTAL))
    other = json.loads(GOOD.read_text("utf-8"))
    other["agency"]["name"] = "另一个县人民政府"
    second = client.post(
        "/api/validate", content=json.dumps(other), headers={"content-type": "application/json"}
    )
    assert second.json()["summary"]["errors"] == 0
    again = client.post("/desk", data=dict(first)).text
    assert "另一个县人民政府" not in again
    assert "示例县人民政府" in again


def test_cells_are_labelled_for_assistive_technology(client: TestClient) -> None:
    page = tree(client.get("/new?layout=2021").text)
    label = page.xpath("//td[@data-cell='applications.granted.total']/input/@aria-label")
    assert label == ["（一）予以公开 总计"]


def test_findings_link_to_their_rule(client: TestClient) -> None:
    page = upload(client, ROW_TOTAL, lang="en")
    (link,) = page.xpath("//section[@data-rule='T3-ROW-TOTAL']//a[@class='rule-link']/@href")
    assert link == "/rules?lang=en#t3-row-total"
    rules = tree(client.get("/rules?lang=en").text)
    assert rules.xpath("//section[@id='t3-row-total']//code/text()") == ["T3-ROW-TOTAL"]
    assert len(rules.xpath("//section[contains(@class, 'rule-doc')]")) == len(CATALOGUE)


def test_an_uploaded_report_shows_its_explanations(client: TestClient, tmp_path: Path) -> None:
    data = json.loads(ROW_TOTAL.read_text("utf-8"))
    result = validate(parse_report(data).report)
    mark = str(result.fingerprint(result.findings[1]))
    data["explanations"] = [
        {"fingerprint": mark, "text": "部分公开口径调整", "by": "办公室", "at": "2025-03-01"},
        {"fingerprint": "0123456789abcdef", "text": "去年的说明"},
    ]
    path = tmp_path / "explained.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    page = upload(client, path)
    assert page.xpath("//li[@data-explained='true']/@data-fingerprint") == [mark]
    assert page.xpath(f"//textarea[@name='explain:{mark}']/text()") == ["部分公开口径调整"]
    assert page.xpath("//section[@id='stale']//li/@data-fingerprint") == ["0123456789abcdef"]
    report = client.post("/download/report.json", data=dict(form_values(page))).json()
    assert report["explanations"] == parse_report(data).report.to_dict()["explanations"]


@pytest.mark.parametrize("name", ["docx/official-2021-county.docx", "pdf/agency-2021-department-split.pdf"])
def test_word_and_pdf_uploads(client: TestClient, name: str) -> None:
    path = ROOT / "tests" / "fixtures" / name
    page = upload(client, path)
    expected = validate_file(path)
    assert marked(page)[0] == {c for f in expected.errors for c in f.cells}
    assert page.xpath("//span[@id='source']/text()") == [path.name]


def test_reading_notes_in_the_page_language(client: TestClient, tmp_path: Path) -> None:
    page_text = render_html(parse_report(json.loads(GOOD.read_text("utf-8"))).report)
    path = tmp_path / "gbk.html"
    path.write_bytes(page_text.replace('charset="utf-8"', 'charset="gbk"').encode("gb18030"))
    notes = read_report(path).notes
    assert notes  # decoded as GB18030: a reading note
    for lang in ("zh", "en"):
        shown = upload(client, path, lang=lang).xpath("//section[@id='notes']//li/text()")
        assert shown == [note.message(lang) for note in notes]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_section_headings(client: TestClient, lang: str) -> None:
    page = tree(client.get(f"/new?layout=2021&lang={lang}").text)
    headings = page.xpath("//main[@class='report']/h2/text()")[1:]  # after 基本信息
    expected = [s.label if lang == "zh" else f"{s.label} ({s.en})" for s in LAYOUTS["2021"].sections]
    assert headings == expected

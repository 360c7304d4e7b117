"""A report printed to PDF by a browser (Chromium), as agencies print a web page: read back cell for
cell, its text given in ideographs (the browser's PDF gives radicals: `⼈⺠` for `人民`), and nothing on
stderr (pdfminer warns of each of the browser's fonts)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ogi_report import Report, load_report
from ogi_report.readers.dispatch import extract_document
from ogi_report.writers.html_render import render_html
from tests.helpers import EXAMPLES
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (.ci/run installs it)"),
]
RADICALS = (range(0x2E80, 0x2EFF + 1), range(0x2F00, 0x2FDF + 1))


def _print_pdf(html: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content(html)
            page.pdf(path=str(out))
        finally:
            browser.close()


def test_a_report_printed_by_a_browser_reads_back(tmp_path: Path) -> None:
    report = load_report(EXAMPLES / "illustrative-2021-county.json")
    out = tmp_path / "printed.pdf"
    _print_pdf(render_html(report), out)
    command = [sys.executable, "-m", "ogi_report", "extract", str(out), "-o", str(tmp_path / "r.json")]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "FontBBox" not in done.stderr + done.stdout  # pdfminer's warnings kept quiet
    read = extract_document(out).report
    for code in ("proactive", "applications", "review_litigation"):
        assert read.table(code) == report.table(code), code
    text = "".join(t or "" for t in read.sections.__dict__.values())
    assert "人民政府" in text
    assert not [c for c in text if any(ord(c) in block for block in RADICALS)]
    assert (read.agency.name, read.year) == (report.agency.name, report.year)


def test_a_table_printed_past_the_pages_edge_reads_the_columns_left(tmp_path: Path) -> None:
    """A table wider than the page loses its right-hand columns to the edge when printed: the
    columns left are read, each under its own header, and the cut ones are blank, never shifted."""
    report = load_report(EXAMPLES / "illustrative-2021-county.json")
    wide = "<style>table { width: 1000px; } td, th { white-space: nowrap; }</style></head>"
    out = tmp_path / "wide.pdf"
    _print_pdf(render_html(report).replace("</head>", wide), out)
    read = extract_document(out).report.to_dict()["applications"]
    written = report.to_dict()["applications"]
    kept = {c for c in written["new_received"] if all(read[r][c] == written[r][c] for r in written)}
    cut = {c for c in written["new_received"] if all(read[r][c] is None for r in written)}
    assert "natural_person" in kept
    assert cut  # the page's edge did cut the table
    assert kept | cut == set(written["new_received"])  # every column whole, or wholly blank


def _print_page(html: str, out: Path) -> None:
    """Printed as a person prints a page: A4, the print dialog's margins with the date, the title,
    the address and the page number in them."""
    from playwright.sync_api import PdfMargins, sync_playwright

    margins: PdfMargins = {"top": "1cm", "bottom": "1cm", "left": "1cm", "right": "1cm"}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content(html)
            page.pdf(path=str(out), format="A4", margin=margins, display_header_footer=True)
        finally:
            browser.close()


def _reads_back(out: Path, report: Report) -> None:
    read = extract_document(out).report
    for code in ("proactive", "applications", "review_litigation"):
        assert read.table(code) == report.table(code), code
    assert (read.agency.name, read.year) == (report.agency.name, report.year)


def test_a_page_printed_with_the_browsers_header_and_footer_reads_back(tmp_path: Path) -> None:
    """The date and title over every page and the address and page number under it: the tables go
    on over the page breaks all the same."""
    report = load_report(EXAMPLES / "illustrative-2021-county.json")
    out = tmp_path / "printed.pdf"
    _print_page(render_html(report), out)
    _reads_back(out, report)


def test_a_page_on_a_coloured_panel_reads_back(tmp_path: Path) -> None:
    """The page's content on a filled panel (a background, drawn without a rule) as wide as its
    tables: the panel's edges are no ruling lines."""
    report = load_report(EXAMPLES / "illustrative-2021-county.json")
    html = render_html(report).replace(
        "</head>", "<style>table { width: 100%; background: #fff; }</style></head>"
    )
    html = html.replace("<body>", '<body><div style="background: #f9f9f9">').replace(
        "</body>", "</div></body>"
    )
    out = tmp_path / "panel.pdf"
    _print_pdf(html, out)
    _reads_back(out, report)

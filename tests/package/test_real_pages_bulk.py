"""Real published pages (tests/fixtures/real), packaged and validated in bulk, give each page's own
findings: the columnar screen and the package round trip meet what real pages hold (blank cells,
texts in number cells, rows missing), not only what this project's fixtures hold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ogi_report.findings import Finding
from ogi_report.package.bulk import validate_package
from ogi_report.package.read import read_package
from ogi_report.readers import LoadedReport, read_report
from ogi_report.validation import validate_loaded
from tests.helpers import ROOT
from tests.package import build, descriptor_of

REAL = ROOT / "tests" / "fixtures" / "real"
# Every real page, the held-out ones too: this checks that two validation paths agree, and tunes no reader.
PAGES = sorted(REAL.glob("*/*.txt"))


def _key(finding: Finding) -> tuple[Any, ...]:
    """What a page's finding and its packaged report's share (a page also names its cells' places)."""
    return (
        finding.rule,
        finding.severity,
        finding.cells,
        finding.stated,
        finding.expected,
        finding.message_en,
    )


def test_real_pages_validate_in_bulk_as_each_page_alone(tmp_path: Path) -> None:
    pages: list[LoadedReport] = [read_report(p) for p in PAGES]
    assert len(pages) >= 173
    alone = {
        str(p): [_key(f) for f in validate_loaded(page).findings]
        for p, page in zip(PAGES, pages, strict=True)
    }
    by_year: dict[int, list[Path]] = {}
    for path, page in zip(PAGES, pages, strict=True):
        by_year.setdefault(page.report.year, []).append(path)
    folders = build(pages, tmp_path)
    assert len(folders) == len(by_year)
    checked = 0
    for folder in folders:
        year = int(folder.name.rsplit("-", 1)[1])
        validation = validate_package(descriptor_of(folder), mode="published")
        assert validation.rules_run
        assert validation.structure == []
        ids = [str(loaded.source) for loaded in read_package(descriptor_of(folder))]
        assert len(ids) == len(by_year[year])
        for report_id, path in zip(ids, by_year[year], strict=True):
            bulk = [_key(f) for f in validation.results.get(report_id, [])]
            assert bulk == alone[str(path)], path.name
            checked += 1
    assert checked == len(PAGES)
    assert sum(1 for found in alone.values() if found) >= 30  # real pages do have findings

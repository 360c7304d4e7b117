"""The desk's form <-> the report: values typed are kept, typed cells typed, the rest left for the
reader to record (CELL-TYPE) rather than guessed."""

from __future__ import annotations

from datetime import date

from ogi_report import LAYOUT_2021, load_report, parse_report
from ogi_report.readers import LoadedReport
from ogi_report.web.forms import form_data, report_values
from tests.helpers import EXAMPLES

TODAY = date(2026, 1, 2)


def test_a_report_survives_the_form() -> None:
    report = load_report(EXAMPLES / "illustrative-2021-county.json")
    values = report_values(LoadedReport(report))
    assert parse_report(form_data(values, LAYOUT_2021, TODAY)).report == report


def test_cells_are_typed_or_kept_as_written() -> None:
    values = {
        "year": "2024",
        "agency.name": "某县人民政府",
        "applications.granted.total": " 12 ",
        "applications.granted.business": "12件",
        "applications.granted.research": "1" * 19,  # too long for a count: kept as text
        "proactive.fees.amount": "1.50",
        "applications.granted.other_org": "",
        "explain:0123456789abcdef": "说明",
        "explain:not-a-fingerprint": "ignored",
        "explain:fedcba9876543210": "   ",  # blank: no explanation
    }
    data = form_data(values, LAYOUT_2021, TODAY)
    granted = data["applications"]["granted"]
    assert granted["total"] == 12
    assert granted["business"] == "12件"
    assert granted["research"] == "1" * 19
    assert granted["other_org"] is None
    assert data["proactive"]["fees"]["amount"] == "1.50"
    assert data["explanations"] == [
        {"fingerprint": "0123456789abcdef", "text": "说明", "by": None, "at": "2026-01-02"}
    ]
    loaded = parse_report(data)
    assert set(loaded.unreadable) == {"applications.granted.business", "applications.granted.research"}

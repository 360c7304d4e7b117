"""package/rows.py: the table resources' CSV text built directly is what csv.writer writes of the
rows, byte for byte, whatever the cells (blank, negative, amounts in exponent form) and the id."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ogi_report import Report, parse_report
from ogi_report.layout import CellKind
from ogi_report.package.resources import TABLE_RESOURCES
from ogi_report.package.rows import _template, plain_csv, table_resource_rows, table_text
from tests.helpers import COMPLETE_2021, COMPLETE_TRIAL, raw


def written(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


COUNTS = st.one_of(st.none(), st.integers(-5, 10**6), st.just(0))
AMOUNTS = st.one_of(
    st.none(),
    st.sampled_from([Decimal("1E+3"), Decimal("0E-7"), Decimal("2.50"), Decimal("-0"), Decimal("0.0000001")]),
    st.decimals(min_value=-100, max_value=10**9, allow_nan=False, allow_infinity=False, places=6),
)
IDS = st.sampled_from(["2024-11330000MB12345679", "2024-na-abc", 'a,"b"', "x\ry", "=1+2", "id\nline", "N-E%"])


def report_with(data: dict[str, Any], draw: Callable[[Any], Any]) -> Report:
    layout = parse_report(data).report.layout
    for table in layout.tables:
        for row in table.data_rows:
            for code in row.columns:
                if table.column(code).kind is CellKind.MONEY:  # few: each drawn
                    data[table.code][row.code][code] = draw(AMOUNTS)
                elif draw(st.integers(0, 3)) == 0:  # most counts as they are
                    data[table.code][row.code][code] = draw(COUNTS)
    return parse_report(data).report


def odd_cell(report: Report, table: str) -> bool:
    """A blank, a value written with a minus (a negative, or an amount of `-0`) or an amount whose
    `str` is in exponent form, in one table."""
    model = report.table(table)
    assert model is not None
    values = [v for row in model.rows().values() for v in row.cells().values()]
    return any(v is None or str(v).startswith("-") or "E" in str(v) for v in values)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), name=st.sampled_from([COMPLETE_2021, COMPLETE_TRIAL]), report_id=IDS)
def test_table_text_is_what_csv_writer_writes(data: st.DataObject, name: str, report_id: str) -> None:
    report = report_with(raw(name), data.draw)
    for resource in TABLE_RESOURCES:
        text = table_text(resource, report, report_id)
        expected = written(list(table_resource_rows(resource, report, report_id)))
        if text is None:  # left to csv.writer: an id that needs quotes, or an odd cell
            assert not plain_csv(report_id) or odd_cell(report, resource.table)
        else:
            assert text == expected


def test_a_complete_report_is_written_the_fast_way() -> None:
    report = parse_report(raw(COMPLETE_2021)).report
    for resource in TABLE_RESOURCES:
        if "2021" in resource.layouts:
            assert table_text(resource, report, "2024-x") == written(
                list(table_resource_rows(resource, report, "2024-x"))
            )


@pytest.mark.parametrize("resource", TABLE_RESOURCES, ids=lambda r: r.name)
def test_every_table_resource_has_a_template(resource: Any) -> None:
    # The fast way must be the way taken: a layout change that loses it shows here, not in timings.
    assert all(_template(resource, layout) is not None for layout in resource.layouts)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("proactive.fees.amount", Decimal("1E+3")),  # written 1000, never in exponent form
        ("proactive.fees.amount", Decimal("0E-7")),
        ("proactive.fees.amount", Decimal("-1.5")),  # negative: left blank (kept in its finding)
        ("proactive.fees.amount", Decimal("-0")),  # zero written with a minus
        ("proactive.fees.amount", None),
        ("applications.new_received.business", -3),
        ("applications.new_received.business", None),
        ("review_litigation.litigation_direct.upheld", 10**17),
    ],
)
def test_one_odd_cell_is_written_as_csv_writer_writes_it(path: str, value: Any) -> None:
    data = raw(COMPLETE_2021)
    table, row, column = path.split(".")
    data[table][row][column] = value
    report = parse_report(data).report
    for resource in TABLE_RESOURCES:
        expected = written(list(table_resource_rows(resource, report, "2024-x")))
        text = table_text(resource, report, "2024-x")
        assert text is None or text == expected
        if resource.table != table:  # the other tables are complete: written the fast way
            assert text is not None


def test_an_agency_that_is_never_named_has_a_key_of_its_own() -> None:
    from ogi_report.model.metadata import UNNAMED_AGENCY
    from ogi_report.package.rows import agency_key

    def report(year: int, name: str, **more: Any) -> Report:
        data = {**raw(COMPLETE_2021), "year": year, "source_url": None, **more}
        data["agency"] = {"name": name}
        return parse_report(data).report

    # two agencies' pages that never name themselves: not one agency, in any year
    first, second = report(2021, UNNAMED_AGENCY), report(2022, UNNAMED_AGENCY)
    assert agency_key(first) != agency_key(second)
    assert "unnamed" in agency_key(first)
    assert agency_key(first) == agency_key(report(2021, UNNAMED_AGENCY))  # the same report: the same id
    # where it was published is its identity, when known
    url = "https://example.gov.cn/2021/report.html"
    assert agency_key(report(2021, UNNAMED_AGENCY, source_url=url)) == agency_key(
        report(2021, UNNAMED_AGENCY, source_url=url, published="2022-02-01")
    )
    # a named agency is the same agency across years
    assert agency_key(report(2021, "示例县水利局")) == agency_key(report(2022, "示例县水利局"))

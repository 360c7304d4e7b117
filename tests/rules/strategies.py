"""Hypothesis strategies: complete, internally consistent reports as raw data (the JSON shape).

Row and column codes come from the layout registry; only the anchors the standard names in its
identities (the `results` group, new_received, carried_in, total_handled, carried_out and the `total`
column) are spelled out, and checked to exist.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from ogi_report import LAYOUTS, get_layout
from ogi_report.facts import CREDIT_CODE_ALPHABET, credit_code_check_char, deadline
from ogi_report.layout import CellKind, Layout, Table

LAYOUT_CODES: tuple[str, ...] = tuple(LAYOUTS)

# docs/standard.md, Layouts: 2019-trial for 2019-2020, 2021 from 2021 (bounded here to 2025).
YEARS: dict[str, tuple[int, int]] = {"2019-trial": (2019, 2020), "2021": (2021, 2025)}

RESULTS = "results"
NEW_RECEIVED, CARRIED_IN, TOTAL_HANDLED, CARRIED_OUT = (
    "new_received",
    "carried_in",
    "total_handled",
    "carried_out",
)
TOTAL = "total"
NO_FEE = "other_no_fee"  # 2021 only: applications dropped for an unpaid fee

# GB 32100-2015: the 31 characters of a unified social credit code (no I, O, S, V, Z).
CODE_CHARS = CREDIT_CODE_ALPHABET

COUNTS = st.integers(min_value=0, max_value=2000)
TEXTS = (
    "（示例文本）本年度全面推进政务公开。",
    "（示例文本）政策解读形式不够丰富，下一步将加强培训。",
    "Overview text of the year.",
    "无。",
)
FEE_TEXTS = (
    "（示例文本）本年度发出收费通知 2 件，收费金额 200 元，实际收取 100 元。",
    "（示例文本）依据《政府信息公开信息处理费管理办法》收费 0 元。",
)


def table_cell_paths(layout: Layout, *tables: str) -> list[str]:
    """`table.row.column` of every cell of the given tables (all tables when none given)."""
    return [p for p in layout.cell_paths() if not tables or p.split(".")[0] in tables]


def _outcome_rows(table: Table) -> list[str]:
    return [r.code for r in table.descendants(RESULTS) if r.code != TOTAL_HANDLED]


def _check_anchors(layout: Layout) -> None:
    table = layout.table("applications")
    codes = [r.code for r in table.data_rows]
    for anchor in (NEW_RECEIVED, CARRIED_IN, TOTAL_HANDLED, CARRIED_OUT):
        assert anchor in codes, anchor
    assert table.columns[-1].code == TOTAL
    assert TOTAL_HANDLED in [r.code for r in table.descendants(RESULTS)]
    for row in layout.table("review_litigation").data_rows:
        assert row.columns[-1] == TOTAL


def _money(draw: st.DrawFn) -> str:
    units = draw(st.integers(min_value=0, max_value=10**13))
    places = draw(st.integers(min_value=0, max_value=6))
    return format(Decimal(units).scaleb(-places), "f")


def _proactive(draw: st.DrawFn, table: Table) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for row in table.data_rows:
        cells: dict[str, Any] = {}
        for code in row.columns:
            kind = table.column(code).kind
            if kind is CellKind.MONEY:
                cells[code] = _money(draw)
            elif kind is CellKind.SIGNED:
                cells[code] = draw(st.integers(min_value=-2000, max_value=2000))
            else:
                cells[code] = draw(st.integers(min_value=0, max_value=100_000))
        out[row.code] = cells
    return out


def _applications(draw: st.DrawFn, table: Table) -> dict[str, dict[str, Any]]:
    outcomes = _outcome_rows(table)
    items = [c.code for c in table.columns if c.code != TOTAL]
    rows: dict[str, dict[str, Any]] = {r.code: {} for r in table.data_rows}
    for col in items:
        handled = 0
        for row in outcomes:
            rows[row][col] = draw(COUNTS)
            handled += rows[row][col]
        carried_out = draw(COUNTS)
        # new_received + carried_in = total_handled + carried_out, both non-negative.
        carried_in = draw(st.integers(min_value=0, max_value=handled + carried_out))
        rows[TOTAL_HANDLED][col] = handled
        rows[CARRIED_OUT][col] = carried_out
        rows[CARRIED_IN][col] = carried_in
        rows[NEW_RECEIVED][col] = handled + carried_out - carried_in
    for cells in rows.values():
        cells[TOTAL] = sum(cells[c] for c in items)
    # every data row is covered, in the registry's column order
    assert set(rows) == {r.code for r in table.data_rows}
    return {r: {c.code: rows[r][c.code] for c in table.columns} for r in rows}


def _review_litigation(draw: st.DrawFn, table: Table) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for row in table.data_rows:
        cells = {code: draw(COUNTS) for code in row.columns if code != TOTAL}
        cells[TOTAL] = sum(cells.values())
        out[row.code] = {code: cells[code] for code in row.columns}
    return out


def _credit_code(draw: st.DrawFn) -> str:
    head = draw(st.text(alphabet=CODE_CHARS, min_size=2, max_size=2))
    division = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    body = draw(st.text(alphabet=CODE_CHARS, min_size=9, max_size=9))
    code = head + division + body
    return code + credit_code_check_char(code)


def _published(draw: st.DrawFn, year: int, kind: str | None) -> str | None:
    """None, or a date from 1 January of year+1 to the deadline (docs/standard.md, Legal basis and
    deadlines)."""
    if draw(st.booleans()) and draw(st.booleans()):
        return None
    due = deadline(year, kind)
    start = date(year + 1, 1, 1)
    return (start + timedelta(days=draw(st.integers(0, (due - start).days)))).isoformat()


@st.composite
def consistent_reports(draw: st.DrawFn, layout_code: str | None = None) -> dict[str, Any]:
    """Raw data of a complete report of the layout (either layout when None) that breaks no rule."""
    code = layout_code if layout_code is not None else draw(st.sampled_from(LAYOUT_CODES))
    layout = get_layout(code)
    _check_anchors(layout)
    year = draw(st.integers(*YEARS[code]))
    kind = draw(st.sampled_from([None, "government", "department"]))
    tables = {
        "proactive": _proactive(draw, layout.table("proactive")),
        "applications": _applications(draw, layout.table("applications")),
        "review_litigation": _review_litigation(draw, layout.table("review_litigation")),
    }
    assert set(tables) == {t.code for t in layout.tables}
    no_fee = tables["applications"].get(NO_FEE)
    fee_needed = no_fee is not None and any(v > 0 for v in no_fee.values())
    return {
        "format": code,
        "year": year,
        "agency": {
            "name": draw(st.sampled_from(["示例县人民政府", "示例市交通运输局", "示例区人民政府办公室"])),
            "code": _credit_code(draw) if draw(st.booleans()) else None,
            "division_code": draw(st.none() | st.text(alphabet="0123456789", min_size=6, max_size=6)),
            "level": draw(
                st.sampled_from([None, "central", "provincial", "prefectural", "county", "township"])
            ),
            "kind": kind,
        },
        "scope": draw(st.sampled_from([None, "agency", "region"])),
        "published": _published(draw, year, kind),
        "source_url": draw(st.sampled_from([None, "https://www.example.gov.cn/xxgk/ndbg.html"])),
        "sections": {
            "overview": draw(st.sampled_from(TEXTS)),
            "problems": draw(st.sampled_from(TEXTS)),
            "other_matters": draw(st.sampled_from(FEE_TEXTS if fee_needed else TEXTS + FEE_TEXTS)),
        },
        **tables,
    }


@st.composite
def explanations(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A publisher's explanations of findings (raw data): any text, with or without who and when."""
    return draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "fingerprint": st.text(alphabet="0123456789abcdef", min_size=16, max_size=16),
                    "text": st.text(min_size=1, max_size=40).filter(str.strip),
                },
                optional={
                    "by": st.text(min_size=1, max_size=10),
                    "at": st.dates(date(2020, 1, 1), date(2030, 12, 31)).map(date.isoformat),
                },
            ),
            max_size=3,
        )
    )


@st.composite
def explained_reports(draw: st.DrawFn) -> dict[str, Any]:
    """`consistent_reports` with the publisher's explanations of findings."""
    return {**draw(consistent_reports()), "explanations": draw(explanations())}

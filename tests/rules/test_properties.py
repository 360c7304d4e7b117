"""Properties of the validator over generated consistent reports of both layouts."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ogi_report
from ogi_report import Finding, ValidationResult, get_layout
from ogi_report.model.cells import COUNT_LIMIT
from ogi_report.rules.engine import Mode
from tests.helpers import patched
from tests.rules.strategies import (
    CARRIED_IN,
    CARRIED_OUT,
    LAYOUT_CODES,
    NEW_RECEIVED,
    RESULTS,
    TOTAL_HANDLED,
    consistent_reports,
    table_cell_paths,
)

IDENTITY_RULES = {r.id for r in ogi_report.CATALOGUE if isinstance(r, ogi_report.Identity)}
ORDER = {r.id: i for i, r in enumerate(ogi_report.CATALOGUE)}
COUNT_TABLES = ("applications", "review_litigation")  # tables 三 and 四
MODES: tuple[Mode, ...] = ("submission", "published")


def _validate(data: dict[str, Any], mode: Mode = "submission") -> ValidationResult:
    loaded = ogi_report.parse_report(data)
    return ogi_report.validate(loaded.report, mode=mode, unreadable=loaded.unreadable)


def _value(data: dict[str, Any], path: str) -> Any:
    table, row, column = path.split(".")
    return data[table][row][column]


def _identities_of(layout_code: str, path: str) -> list[str]:
    """The identities of docs/standard.md a cell of table 三 or 四 takes part in, in catalogue order."""
    table, row, _ = path.split(".")
    if table == "review_litigation":
        return ["T4-TOTAL"]
    applications = get_layout(layout_code).table("applications")
    rules = []
    if row in (NEW_RECEIVED, CARRIED_IN, TOTAL_HANDLED, CARRIED_OUT):
        rules.append("T3-BALANCE")
    if row in [r.code for r in applications.descendants(RESULTS)]:  # outcomes and total_handled
        rules.append("T3-HANDLED-SUM")
    rules.append("T3-ROW-TOTAL")
    return rules


def _shown(findings: tuple[Finding, ...] | list[Finding]) -> str:
    return "\n".join(f"{f.rule} {f.severity.value} {f.cells[:3]} {f.message_en}" for f in findings)


@pytest.mark.parametrize("layout_code", LAYOUT_CODES)
@given(data=st.data())
def test_consistent_reports_have_no_findings(layout_code: str, data: st.DataObject) -> None:
    report = data.draw(consistent_reports(layout_code), label="report")
    for mode in MODES:
        result = _validate(report, mode)
        assert result.findings == (), _shown(result.findings)
        assert result.ok


@given(report=consistent_reports())
def test_the_strategy_draws_both_layouts_when_none_is_named(report: dict[str, Any]) -> None:
    assert report["format"] in LAYOUT_CODES
    assert _validate(report).findings == ()


@pytest.mark.parametrize("layout_code", LAYOUT_CODES)
@given(data=st.data())
def test_changing_one_count_breaks_exactly_its_identities(layout_code: str, data: st.DataObject) -> None:
    report = data.draw(consistent_reports(layout_code), label="report")
    path = data.draw(st.sampled_from(table_cell_paths(get_layout(layout_code), *COUNT_TABLES)), label="cell")
    old = _value(report, path)
    new = data.draw(st.integers(min_value=0, max_value=10**6).filter(lambda v: v != old), label="new")
    result = _validate(patched(report, {path: new}))
    errors = result.errors
    assert errors, f"no error for {path}: {old} -> {new}"
    assert [f.rule for f in errors] == _identities_of(layout_code, path), _shown(errors)
    for finding in errors:
        assert path in finding.cells, _shown([finding])
        assert finding.blanks == ()
        assert finding.fill == {}
        assert isinstance(finding.stated, int)
        assert isinstance(finding.expected, int)
        assert abs(finding.stated - finding.expected) == abs(new - old), _shown([finding])


@pytest.mark.parametrize("layout_code", LAYOUT_CODES)
@given(data=st.data())
def test_a_negative_count_is_named_by_cell_negative(layout_code: str, data: st.DataObject) -> None:
    report = data.draw(consistent_reports(layout_code), label="report")
    path = data.draw(st.sampled_from(table_cell_paths(get_layout(layout_code), *COUNT_TABLES)), label="cell")
    value = data.draw(st.integers(min_value=-COUNT_LIMIT, max_value=-1), label="value")
    result = _validate(patched(report, {path: value}))
    negative = [f for f in result.findings if f.rule == "CELL-NEGATIVE"]
    assert len(negative) == 1, _shown(result.findings)
    assert negative[0].severity.value == "error"
    assert negative[0].cells == (path,)
    assert negative[0].stated == value


@pytest.mark.parametrize("layout_code", LAYOUT_CODES)
@given(data=st.data())
def test_a_blank_count_is_missing_not_contradictory(layout_code: str, data: st.DataObject) -> None:
    report = data.draw(consistent_reports(layout_code), label="report")
    path = data.draw(st.sampled_from(table_cell_paths(get_layout(layout_code), *COUNT_TABLES)), label="cell")
    old = _value(report, path)
    blanked = patched(report, {path: None})

    result = _validate(blanked, "submission")
    missing = [f for f in result.findings if f.rule == "CELL-MISSING"]
    assert len(missing) == 1, _shown(result.findings)
    assert missing[0].severity.value == "error"
    assert missing[0].cells == (path,)
    assert missing[0].blanks == (path,)
    # A single blank in a consistent report can always be filled: no identity is an error, and every
    # identity the cell is in is a warning that the old value would settle.
    assert [f for f in result.errors if f.rule in IDENTITY_RULES] == []
    identities = [f for f in result.findings if f.rule in IDENTITY_RULES]
    assert [f.rule for f in identities] == _identities_of(layout_code, path), _shown(identities)
    for finding in identities:
        assert finding.severity.value == "warning"
        assert path in finding.cells
        assert finding.blanks == (path,)
        assert finding.fill == {path: old}, _shown([finding])
    assert {f.rule for f in result.findings} <= {*IDENTITY_RULES, "CELL-MISSING"}

    published = _validate(blanked, "published")
    assert published.ok, _shown(published.errors)
    assert [f.severity.value for f in published.findings if f.rule == "CELL-MISSING"] == ["warning"]


CELL_VALUES = st.one_of(
    st.none(),
    st.integers(),
    st.integers(min_value=-3, max_value=3),
    st.text(max_size=6),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
)


@given(data=st.data())
def test_the_validator_never_raises(data: st.DataObject) -> None:
    report = data.draw(consistent_reports(), label="report")
    layout = get_layout(report["format"])
    paths = data.draw(st.lists(st.sampled_from(table_cell_paths(layout)), max_size=40), label="cells")
    changes = {p: data.draw(CELL_VALUES, label=p) for p in paths}
    changed = patched(report, changes)
    loaded = ogi_report.parse_report(changed)
    for mode in MODES:
        result = ogi_report.validate(loaded.report, mode=mode, unreadable=loaded.unreadable)
        for finding in result.findings:
            assert finding.rule in ogi_report.RULES
            assert finding.cells
            assert finding.message_zh.strip()
            assert finding.message_en.strip()
        assert [ORDER[f.rule] for f in result.findings] == sorted(ORDER[f.rule] for f in result.findings)
        result.to_dict()
    # the cross-year rules too, against the unchanged report as the year before
    before = ogi_report.parse_report(report).report
    after = ogi_report.parse_report(patched(changed, {"year": report["year"] + 1})).report
    for finding in ogi_report.compare_years(before, after):
        assert finding.rule in ("Y-CARRY", "T2-IN-FORCE")


def _oracle(layout_code: str, data: dict[str, Any]) -> list[tuple[str, str, frozenset[str], dict[str, int]]]:
    """docs/standard.md worked independently: (rule, severity, blanks, fill) of every identity that is broken
    or involves a blank, in catalogue order, each identity bound column by column or row by row."""
    layout = get_layout(layout_code)
    applications = layout.table("applications")
    columns = [c.code for c in applications.columns]
    outcomes = [r.code for r in applications.descendants(RESULTS) if r.code != TOTAL_HANDLED]
    identities: list[tuple[str, list[str], list[str]]] = []  # (rule, stated paths, item paths)
    for c in columns:
        identities.append(
            (
                "T3-BALANCE",
                [f"applications.{TOTAL_HANDLED}.{c}", f"applications.{CARRIED_OUT}.{c}"],
                [f"applications.{NEW_RECEIVED}.{c}", f"applications.{CARRIED_IN}.{c}"],
            )
        )
    for c in columns:
        identities.append(
            (
                "T3-HANDLED-SUM",
                [f"applications.{TOTAL_HANDLED}.{c}"],
                [f"applications.{r}.{c}" for r in outcomes],
            )
        )
    for row in applications.data_rows:
        items = [f"applications.{row.code}.{c}" for c in columns if c != "total"]
        identities.append(("T3-ROW-TOTAL", [f"applications.{row.code}.total"], items))
    for row in layout.table("review_litigation").data_rows:
        items = [f"review_litigation.{row.code}.{c}" for c in row.columns if c != "total"]
        identities.append(("T4-TOTAL", [f"review_litigation.{row.code}.total"], items))

    out: list[tuple[str, str, frozenset[str], dict[str, int]]] = []
    for rule, stated, items in identities:
        s_blank = [p for p in stated if _value(data, p) is None]
        i_blank = [p for p in items if _value(data, p) is None]
        s_sum = sum(_value(data, p) for p in stated if p not in s_blank)
        i_sum = sum(_value(data, p) for p in items if p not in i_blank)
        blanks = [*i_blank, *s_blank]
        if len(blanks) == len(stated) + len(items):
            continue  # nothing to check
        if not blanks:
            if s_sum != i_sum:
                out.append((rule, "error", frozenset(), {}))
            continue
        fill: dict[str, int] = {}
        if i_blank and s_blank:
            severity = "warning"  # blanks on both sides can always balance
        else:
            need = s_sum - i_sum if i_blank else i_sum - s_sum  # what the blanks must sum to
            severity = "warning" if need >= 0 else "error"
            if need >= 0 and (len(blanks) == 1 or need == 0):
                fill = dict.fromkeys(blanks, need)
        out.append((rule, severity, frozenset(blanks), fill))
    return out


@pytest.mark.parametrize("layout_code", LAYOUT_CODES)
@given(data=st.data())
def test_identities_agree_with_the_standard_over_random_blanks(layout_code: str, data: st.DataObject) -> None:
    report = data.draw(consistent_reports(layout_code), label="report")
    cells = table_cell_paths(get_layout(layout_code), *COUNT_TABLES)
    paths = data.draw(st.lists(st.sampled_from(cells), min_size=1, max_size=60, unique=True), label="cells")
    value = st.none() | st.integers(min_value=0, max_value=30)
    changed = patched(report, {p: data.draw(value, label=p) for p in paths})
    for mode in MODES:
        result = _validate(changed, mode)
        got = [
            (f.rule, f.severity.value, frozenset(f.blanks), dict(f.fill))
            for f in result.findings
            if f.rule in IDENTITY_RULES
        ]
        assert got == _oracle(layout_code, changed), _shown(result.findings)

"""The rule catalogue as data: ids, severities, check functions, identities bound via the layout registry."""

from __future__ import annotations

import dataclasses
import re

import pytest

import ogi_report
from ogi_report import CATALOGUE, RULES, Check, Identity, Severity, get_layout
from ogi_report.layout import Layout, Row
from ogi_report.rules.catalogue import (
    CHECKS,
    CROSS_YEAR_IDENTITIES,
    IDENTITIES,
    IdentityInstance,
    identity_instances,
)
from tests.layout.test_tables import OUTCOMES_2021

ID_PATTERN = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)+$")

# docs/standard.md, the rules: id -> severity (CELL-MISSING: in a submission). NARRATIVE-MISMATCH
# is in the standard's table but not (yet) in the catalogue.
STANDARD_SEVERITIES = {
    "T3-BALANCE": "error",
    "T3-HANDLED-SUM": "error",
    "T3-ROW-TOTAL": "error",
    "T4-TOTAL": "error",
    "CELL-NEGATIVE": "error",
    "CELL-MISSING": "error",
    "T2-IN-FORCE": "warning",
    "Y-CARRY": "warning",
    "FORMAT-YEAR": "warning",
    "PUBLISHED-LATE": "warning",
    "AGENCY-CODE": "error",
    "SECTION-MISSING": "warning",
    "T3-FEE-NOTICE": "warning",
    "NARRATIVE-MISMATCH": "warning",
}
CROSS_YEAR = {"Y-CARRY", "T2-IN-FORCE"}


def _instances(layout_code: str, rule_id: str) -> list[IdentityInstance]:
    return [i for i in identity_instances(get_layout(layout_code)) if i.rule.id == rule_id]


# --- ids, severities, scopes -----------------------------------------------------------------------


def test_ids_are_unique_and_stable_looking() -> None:
    ids = [rule.id for rule in CATALOGUE]
    assert len(ids) == len(set(ids))
    for rule_id in ids:
        assert ID_PATTERN.match(rule_id), rule_id
    assert set(RULES) == set(ids)
    assert all(RULES[rule.id] is rule for rule in CATALOGUE)


def test_catalogue_is_identities_then_checks_then_cross_year_identities() -> None:
    assert (*IDENTITIES, *CHECKS, *CROSS_YEAR_IDENTITIES) == CATALOGUE
    assert all(isinstance(r, Identity) for r in (*IDENTITIES, *CROSS_YEAR_IDENTITIES))
    assert all(isinstance(r, Check) for r in CHECKS)
    assert {r.scope for r in (*IDENTITIES, *CHECKS)} == {"report"}
    assert {r.scope for r in CROSS_YEAR_IDENTITIES} == {"cross-year"}


@pytest.mark.parametrize("rule_id", sorted(STANDARD_SEVERITIES))
def test_severity_and_scope_follow_the_standard(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert rule.severity is Severity(STANDARD_SEVERITIES[rule_id])
    assert rule.scope == ("cross-year" if rule_id in CROSS_YEAR else "report")


def test_catalogue_holds_the_rules_of_the_standard() -> None:
    # docs/standard.md, plus CELL-TYPE (an unreadable cell) and the page reader's two warnings.
    assert set(RULES) == {*STANDARD_SEVERITIES, "CELL-TYPE", "CELL-UNPLACED", "METADATA-MISSING"}
    assert RULES["CELL-UNPLACED"].severity is Severity.WARNING
    assert RULES["METADATA-MISSING"].severity is Severity.WARNING


def test_every_check_carries_its_function() -> None:
    for rule in CHECKS:
        assert callable(rule.function), f"no check function for {rule.id}"
        assert rule.screens, f"{rule.id}: no screen and no route to the engine"


def test_check_rules_have_bilingual_messages() -> None:
    for rule in CHECKS:
        assert rule.messages, rule.id
        for zh, en in rule.messages.values():
            assert zh.strip(), rule.id
            assert en.strip(), rule.id
        assert rule.statement_zh.strip(), rule.id
        assert rule.statement_en.strip(), rule.id


def test_layout_restrictions() -> None:
    only_2021 = {r.id for r in CATALOGUE if r.layouts == ("2021",)}
    assert only_2021 == {"T3-FEE-NOTICE", "T2-IN-FORCE"}  # other_no_fee and in_force exist only in 2021
    for rule in CATALOGUE:
        assert set(rule.layouts) <= set(ogi_report.LAYOUTS), rule.id
        if rule.id not in only_2021:
            assert set(rule.layouts) == set(ogi_report.LAYOUTS), rule.id


# --- identities bound through the layout registry -------------------------------------------------

# (layout, rule) -> (number of instances, stated terms each, item terms each), counted from the codes
# (docs/standard.md, Codes).
INSTANCE_SHAPES = {
    ("2021", "T3-BALANCE"): (7, 2, 2),
    ("2021", "T3-HANDLED-SUM"): (7, 1, 21),
    ("2021", "T3-ROW-TOTAL"): (25, 1, 6),
    ("2021", "T4-TOTAL"): (3, 1, 4),
    ("2019-trial", "T3-BALANCE"): (7, 2, 2),
    ("2019-trial", "T3-HANDLED-SUM"): (7, 1, 19),
    ("2019-trial", "T3-ROW-TOTAL"): (23, 1, 6),
    ("2019-trial", "T4-TOTAL"): (3, 1, 4),
}


@pytest.mark.parametrize(("layout_code", "rule_id"), sorted(INSTANCE_SHAPES))
def test_identity_instance_shapes(layout_code: str, rule_id: str) -> None:
    count, n_stated, n_items = INSTANCE_SHAPES[(layout_code, rule_id)]
    instances = _instances(layout_code, rule_id)
    assert len(instances) == count
    for inst in instances:
        assert len(inst.stated) == n_stated
        assert len(inst.items) == n_items
        assert all(w == 1 for _, _, w in (*inst.stated, *inst.items))
        assert len(set(inst.paths)) == len(inst.paths)
        assert set(inst.paths) <= set(get_layout(layout_code).cell_paths())


# docs/standard.md, Codes: the outcome data rows under 三、本年度办理结果, (一) to (六), in table order, kept
# once (independently of the registry) in tests/layout/test_tables.py.
OUTCOMES_COMMON = OUTCOMES_2021[:18]
OUTCOMES = {
    "2021": [*OUTCOMES_COMMON, "other_no_correction", "other_no_fee", "other_misc"],
    "2019-trial": [*OUTCOMES_COMMON, "other_handling"],
}


@pytest.mark.parametrize("layout_code", sorted(ogi_report.LAYOUTS))
def test_handled_sum_covers_every_outcome_row_per_column(layout_code: str) -> None:
    table = get_layout(layout_code).table("applications")
    from_registry = [r.code for r in table.descendants("results") if r.code != "total_handled"]
    assert from_registry == OUTCOMES[layout_code]
    instances = _instances(layout_code, "T3-HANDLED-SUM")
    assert [i.bound for i in instances] == [c.code for c in table.columns]
    for inst in instances:
        assert inst.table == "applications"
        assert inst.stated == (("total_handled", inst.bound, 1),)
        assert [r for r, _, _ in inst.items] == OUTCOMES[layout_code]
        assert {c for _, c, _ in inst.items} == {inst.bound}


@pytest.mark.parametrize("layout_code", sorted(ogi_report.LAYOUTS))
def test_balance_binds_to_every_column(layout_code: str) -> None:
    table = get_layout(layout_code).table("applications")
    instances = _instances(layout_code, "T3-BALANCE")
    assert [i.bound for i in instances] == [c.code for c in table.columns]
    for inst in instances:
        c = inst.bound
        assert inst.stated == (("total_handled", c, 1), ("carried_out", c, 1))
        assert inst.items == (("new_received", c, 1), ("carried_in", c, 1))


@pytest.mark.parametrize("layout_code", sorted(ogi_report.LAYOUTS))
def test_row_total_binds_to_every_data_row_of_table_three(layout_code: str) -> None:
    table = get_layout(layout_code).table("applications")
    instances = _instances(layout_code, "T3-ROW-TOTAL")
    assert [i.bound for i in instances] == [r.code for r in table.data_rows]
    assert [i.bound for i in instances][:2] == ["new_received", "carried_in"]
    assert [i.bound for i in instances][-2:] == ["total_handled", "carried_out"]
    items = ["natural_person", "business", "research", "nonprofit", "legal_service", "other_org"]
    for inst in instances:
        assert inst.stated == ((inst.bound, "total", 1),)
        assert [c for _, c, _ in inst.items] == items
        assert {r for r, _, _ in inst.items} == {inst.bound}


@pytest.mark.parametrize("layout_code", sorted(ogi_report.LAYOUTS))
def test_t4_total_binds_to_each_block(layout_code: str) -> None:
    instances = _instances(layout_code, "T4-TOTAL")
    assert [i.bound for i in instances] == [
        "reconsideration",
        "litigation_direct",
        "litigation_after_reconsideration",
    ]
    for inst in instances:
        assert inst.table == "review_litigation"
        assert inst.stated == ((inst.bound, "total", 1),)
        assert [c for _, c, _ in inst.items] == ["upheld", "corrected", "other", "pending"]


def test_identities_follow_a_row_added_to_the_layout() -> None:
    """A new outcome row in the registry is covered without touching the catalogue."""
    base = get_layout("2021")
    table = base.table("applications")
    extra = Row(
        "denied_new_reason", "9.新的不予公开理由", "A new reason", table.row("granted").columns, "denied"
    )
    at = [r.code for r in table.rows].index("denied_admin_query") + 1
    rows = (*table.rows[:at], extra, *table.rows[at:])
    new_table = dataclasses.replace(table, rows=rows)
    layout: Layout = dataclasses.replace(
        base, tables=tuple(new_table if t.code == "applications" else t for t in base.tables)
    )
    handled = [i for i in identity_instances(layout) if i.rule.id == "T3-HANDLED-SUM"]
    assert len(handled) == 7
    for inst in handled:
        assert len(inst.items) == 22
        assert ("denied_new_reason", inst.bound, 1) in inst.items
    row_totals = [i for i in identity_instances(layout) if i.rule.id == "T3-ROW-TOTAL"]
    assert len(row_totals) == 26
    assert "denied_new_reason" in [i.bound for i in row_totals]
    # the registry's own layout is unchanged
    assert len(_instances("2021", "T3-ROW-TOTAL")) == 25


def test_cross_year_identities_bind_a_term_of_the_year_before() -> None:
    from ogi_report.rules.catalogue import cross_year_instances

    layout = get_layout("2021")
    carry = [i for i in cross_year_instances(layout) if i.rule.id == "Y-CARRY"]
    assert [i.bound for i in carry] == [c.code for c in layout.table("applications").columns]
    assert carry[0].cells == ("applications.carried_in.natural_person",)
    assert carry[0].years == (0, -1)
    roll = [i for i in cross_year_instances(layout) if i.rule.id == "T2-IN-FORCE"]
    assert [i.bound for i in roll] == [
        r.code for r in layout.table("proactive").data_rows if "in_force" in r.columns
    ]
    assert roll[0].years == (0, -1, 0, 0)
    assert not [i for i in cross_year_instances(get_layout("2019-trial")) if i.rule.id == "T2-IN-FORCE"]
    assert all(i.rule.scope == "report" for i in identity_instances(layout))

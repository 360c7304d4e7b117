"""Every rule can be found by `ogi validate DIR/datapackage.json`: each check rule has a function,
messages for every key it words and a columnar screen (or an explicit reason to have none), and each
rule's failing cases, written as a package, are flagged by the screen."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

import ogi_report
from ogi_report.package.bulk import PackageValidation, _load, duckdb_config
from ogi_report.package.screen import create_relations, cross_year_sql, screen_sql
from ogi_report.rules import checks
from ogi_report.rules.catalogue import CHECKS, Check
from ogi_report.rules.rule import AlwaysEngine, CellScreen, NeverInPackages, SqlScreen
from tests.helpers import raw
from tests.package import build, descriptor_of
from tests.rules.test_cases import CASES, Case, _parse

RULES_DIR = Path(checks.__file__).resolve().parent
FAILING = [c for c in CASES if c.expect]


def test_every_check_rule_has_a_screen_or_an_explicit_route() -> None:
    for rule in CHECKS:
        assert rule.scope == "report", rule.id
        assert rule.screens, f"{rule.id}: neither a screen nor an explicit route to the engine"
        for screen in rule.screens:
            assert isinstance(screen, SqlScreen | CellScreen | AlwaysEngine | NeverInPackages), rule.id
            if isinstance(screen, SqlScreen):
                assert "report_id" in screen.sql, rule.id
            else:
                assert screen.reason.strip(), f"{rule.id}: a screen marker needs its reason"


def _message_keys(rule: Check) -> set[str]:
    """The message keys a check's function words (the first argument of `rule.finding`)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(rule.function)))
    return {
        str(node.args[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "finding"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


@pytest.mark.parametrize("rule", CHECKS, ids=[r.id for r in CHECKS])
def test_every_check_has_a_function_and_messages_for_each_key_it_words(rule: Check) -> None:
    assert callable(rule.function)
    used = _message_keys(rule)
    assert used, f"{rule.id}: its function words no finding"
    assert used <= set(rule.messages), f"{rule.id}: no message for {used - set(rule.messages)}"
    assert set(rule.messages) <= used, f"{rule.id}: unused messages {set(rule.messages) - used}"


def test_the_rules_do_not_depend_on_the_package() -> None:
    """Arrows point one way: the package validator reads the rules, never the reverse."""
    for path in RULES_DIR.glob("*.py"):
        text = path.read_text("utf-8")
        assert not re.search(r"ogi_report\.package|from ogi_report import package", text), path.name


@contextmanager
def _loaded(folders: list[Path]) -> Iterator[duckdb.DuckDBPyConnection]:
    """The packages loaded as `validate_package` loads them, one schema each (p0, p1, …)."""
    con = duckdb.connect(config=duckdb_config())
    try:
        for number, folder in enumerate(folders):
            path = descriptor_of(folder)
            con.execute(f"CREATE SCHEMA p{number}")
            con.execute(f"USE memory.p{number}")
            assert _load(path, PackageValidation([str(path)]), False, con).usable
            create_relations(con, f"p{number}")
        yield con
    finally:
        con.close()


def _flagged(con: duckdb.DuckDBPyConnection, sql: str) -> set[str]:
    return {row[0] for row in con.execute(sql).fetchall()}


def _report_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    return _flagged(con, "SELECT report_id FROM reports")


def _screens(case: Case) -> list[str]:
    """The SQL that must flag the case's report: the rule's own screens, else the whole screen."""
    rule = ogi_report.RULES[case.rule]
    if isinstance(rule, Check):
        own = [s.sql for s in rule.screens if isinstance(s, SqlScreen)]
        if own and not any(isinstance(s, CellScreen) for s in rule.screens):
            return own
    return [screen_sql()]


REPORT_CASES = [
    c
    for c in FAILING
    if ogi_report.RULES[c.rule].scope == "report"
    and not any(isinstance(s, NeverInPackages) for s in getattr(ogi_report.RULES[c.rule], "screens", ()))
]


@pytest.mark.parametrize("case", REPORT_CASES, ids=[c.id for c in REPORT_CASES])
def test_a_failing_case_is_flagged_by_the_screen(case: Case, tmp_path: Path) -> None:
    folders = build([_parse(case.data["base"], case.data.get("set"))], tmp_path)
    with _loaded(folders) as con:
        [report_id] = _report_ids(con)
        flagged = set().union(*(_flagged(con, sql) for sql in _screens(case)))
    assert report_id in flagged, f"{case.id}: the screen does not flag the report"


CROSS_YEAR_CASES = [c for c in FAILING if ogi_report.RULES[c.rule].scope == "cross-year"]


@pytest.mark.parametrize("case", CROSS_YEAR_CASES, ids=[c.id for c in CROSS_YEAR_CASES])
def test_a_failing_cross_year_case_is_flagged_by_the_screen(case: Case, tmp_path: Path) -> None:
    previous = case.data["previous"]
    current = _parse(case.data["base"], case.data.get("set"))
    # A package pairs reports by agency: the year before is made the same agency's report.
    same_agency = {**(previous.get("set") or {}), "agency": raw(case.data["base"])["agency"]}
    before = _parse(previous["base"], same_agency)
    folders = build([before, current], tmp_path)
    assert len(folders) == 2
    with _loaded(folders) as con:
        pairs = con.execute(cross_year_sql("p1", "p0")).fetchall()
    assert pairs, f"{case.id}: the cross-year screen does not flag the pair"

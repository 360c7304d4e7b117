"""The store's cross-year screen is compiled from the catalogue: a cross-year identity added there
is screened without touching the store."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ogi_report.findings import Severity
from ogi_report.layout import LAYOUTS
from ogi_report.rules import identities
from ogi_report.rules.catalogue import CATALOGUE
from ogi_report.rules.rule import Codes, Identity, Term, codes
from ogi_report.store import Store
from ogi_report.store.core import CROSS_YEAR_RULES, cross_year_screens
from ogi_report.store.schema import store_tables

from .conftest import write_jsonl
from .test_store import _next_year

# A made-up cross-year identity on a table no real one reads: each block's total equals last
# year's upheld plus this year's other outcomes.
EXTRA = Identity(
    id="X-SYNTHETIC",
    severity=Severity.WARNING,
    scope="cross-year",
    table="review_litigation",
    per="row",
    stated=codes("total"),
    items=Codes((Term("upheld", year=-1), *(Term(c) for c in ("corrected", "other", "pending")))),
    blanks="skip",
    statement_zh="测试用",
    statement_en="for tests only",
    messages={"broken": ("{where}", "{where}")},
)


@pytest.fixture
def extra_identity(monkeypatch: pytest.MonkeyPatch) -> Iterator[Identity]:
    monkeypatch.setattr(identities, "CROSS_YEAR_IDENTITIES", (*identities.CROSS_YEAR_IDENTITIES, EXTRA))
    identities.cross_year_instances.cache_clear()
    yield EXTRA
    monkeypatch.undo()
    identities.cross_year_instances.cache_clear()


def test_the_cross_year_rules_are_the_catalogues() -> None:
    assert {r.id for r in CATALOGUE if r.scope == "cross-year"} == CROSS_YEAR_RULES
    assert {"Y-CARRY", "T2-IN-FORCE"} <= CROSS_YEAR_RULES


def _screened_cells(sql: str) -> set[tuple[str, str, str]]:
    """(store table, row, column) of every cell a screen reads."""
    found = set()
    for side in re.findall(r"\(SELECT (.*?) FROM \"(\w+)\" WHERE version_id", sql):
        for row, column in re.findall(r"row_code = '(\w+)' THEN (?:CAST\()?\"(\w+)\"", side[0]):
            found.add((side[1], row, column))
    return found


@pytest.mark.parametrize("extra", [False, True])
def test_the_screen_reads_every_cell_of_every_instance(extra: bool, request: pytest.FixtureRequest) -> None:
    if extra:
        request.getfixturevalue("extra_identity")
    screened = set()
    for sql in cross_year_screens():
        screened |= _screened_cells(sql)
    names = {(s.layout.code, s.table.code): s.name for s in store_tables()}
    rules = set()
    for layout in LAYOUTS.values():
        for inst in identities.cross_year_instances(layout):
            rules.add(inst.rule.id)
            for r, c, _, year in inst.signed_terms:
                if year == 0:
                    assert (names[layout.code, inst.table], r, c) in screened, (inst.rule.id, r, c)
                else:  # the year before, in every layout the rule applies to
                    for prior in LAYOUTS.values():
                        held = {col.code for col in prior.table(inst.table).columns}
                        if inst.rule.applies_to(prior) and c in held:
                            assert (names[prior.code, inst.table], r, c) in screened, (inst.rule.id, r, c)
    assert ("X-SYNTHETIC" in rules) is extra


def test_a_new_cross_year_identity_is_screened(
    extra_identity: Identity, tmp_path: Path, synth_reports: list[dict[str, Any]]
) -> None:
    """Ingested reports of two years: the pair breaking only the synthetic identity is flagged."""
    base = [r for r in synth_reports if r["format"] == "2021"][:3]
    base = [{**r, "year": 2023, "published": "2024-01-20"} for r in base]
    later = []
    for report in base:  # a year on, every real cross-year identity holding; the synthetic one too
        after = _next_year(report)  # (its review_litigation table is last year's)
        for cells in after["proactive"].values():
            if cells.get("in_force") is not None:
                cells["in_force"] += cells["issued"] - cells["repealed"]
        later.append(after)
    block = next(iter(later[1]["review_litigation"]))
    later[1]["review_litigation"][block]["corrected"] += 1  # breaks it (and T4-TOTAL, accepted)
    url = str(tmp_path / "store.duckdb")
    with Store.open(url) as store:
        store.ingest([write_jsonl(tmp_path / "y23.jsonl", base)], accept_findings=True)
        ingest = store.ingest([write_jsonl(tmp_path / "y24.jsonl", later)], accept_findings=True).ingest_id
        assert ingest is not None
        flagged = store._screen(ingest)
        ids = dict(store.backend.fetch("SELECT version_id, agency_name FROM reports WHERE year = 2024"))
    assert {ids[current] for _, current in flagged} == {later[1]["agency"]["name"]}

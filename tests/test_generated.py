"""Checked-in generated files are up to date with the code that generates them."""

from __future__ import annotations

import pytest

from ogi_report.rules.catalogue import CATALOGUE
from ogi_report.rules.docs import rules_markdown
from ogi_report.schema import SCHEMA_FILES, schema_texts
from tests.helpers import ROOT, SCHEMAS

RULES_MD = ROOT / "docs" / "rules.md"


def test_rules_markdown_is_up_to_date() -> None:
    assert RULES_MD.is_file(), "docs/rules.md is missing: run `ogi rules --markdown -o docs/rules.md`"
    assert RULES_MD.read_text("utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `ogi rules --markdown -o docs/rules.md`"
    )


def test_rules_markdown_documents_every_rule() -> None:
    text = rules_markdown()
    for rule in CATALOGUE:
        assert f"## {rule.id}\n" in text
        assert rule.statement_zh in text
        assert rule.statement_en in text


def test_schema_files_are_the_generated_ones() -> None:
    texts = schema_texts()
    assert set(texts) == set(SCHEMA_FILES.values())
    on_disk = {p.name for p in SCHEMAS.glob("*.json")}
    assert set(texts) <= on_disk, "schemas/ lacks a schema file: run `ogi schema -o schemas/`"


@pytest.mark.parametrize("name", sorted(schema_texts()))
def test_schema_file_is_up_to_date(name: str) -> None:
    path = SCHEMAS / name
    assert path.is_file(), f"schemas/{name} is missing: run `ogi schema -o schemas/`"
    assert path.read_text("utf-8") == schema_texts()[name], (
        f"schemas/{name} is stale: run `ogi schema -o schemas/`"
    )

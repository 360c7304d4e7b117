"""Checked-in generated files are up to date with the code that generates them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ogi_report.package.docs import rules_documentation
from ogi_report.rules.catalogue import CATALOGUE
from ogi_report.schema import SCHEMA_FILES, schema_texts
from tests.helpers import EXAMPLES, ROOT, SCHEMAS

RULES_MD = ROOT / "docs" / "rules.md"


def test_rules_markdown_is_up_to_date() -> None:
    assert RULES_MD.is_file(), "docs/rules.md is missing: run `ogi rules --markdown -o docs/rules.md`"
    assert RULES_MD.read_text("utf-8") == rules_documentation(), (
        "docs/rules.md is stale: run `ogi rules --markdown -o docs/rules.md`"
    )


def test_rules_markdown_documents_every_rule() -> None:
    text = rules_documentation()
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


def test_datapackages_are_fresh(tmp_path: Path) -> None:
    """datapackages/ holds the packages built from examples/ (`ogi package examples -o datapackages
    --published`), byte for byte."""
    from ogi_report.package import PackageOptions, build_packages
    from ogi_report.readers import iter_reports

    build_packages(iter_reports([EXAMPLES]), tmp_path, PackageOptions(mode="published"))
    built = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    stored_root = ROOT / "datapackages"
    stored = sorted(p.relative_to(stored_root) for p in stored_root.rglob("*") if p.is_file())
    hint = "datapackages/ is stale: run `ogi package examples -o datapackages --published`"
    assert built == stored, hint
    for relative in built:
        assert (tmp_path / relative).read_bytes() == (stored_root / relative).read_bytes(), (
            f"{relative}: {hint}"
        )

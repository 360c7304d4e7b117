"""Formula injection: the package's text fields are escaped (package/escape.py), numbers are not, and
what a program reads back through the library is unchanged: the same models, the same bytes when
packaged again, the same findings in bulk, and frictionless still accepts the package."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import Any

import frictionless
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ogi_report
from ogi_report.package.escape import ESCAPE_NOTE, FORMULA_STARTS, escape_text, unescape_text
from ogi_report.package.read import read_package
from ogi_report.package.resources import RESOURCE_NAMES, field_names, string_fields, table_schemas
from tests.helpers import COMPLETE_2021, COMPLETE_TRIAL, patched, raw
from tests.package import build, descriptor_of, tree_bytes
from tests.package.test_bulk import check_package

DANGEROUS = (*FORMULA_STARTS, "'")
# Texts a spreadsheet would run, and texts that look escaped already.
HOSTILE = ('=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1:A9)", "\tx", "\r\n", "'", "''=1", "=")

# Any text, often beginning with a character the escape cares about.
texts = st.one_of(
    st.text(),
    st.tuples(st.sampled_from(DANGEROUS), st.text()).map("".join),
    st.tuples(st.lists(st.sampled_from(DANGEROUS), min_size=1, max_size=4), st.text()).map(
        lambda parts: "".join(parts[0]) + parts[1]
    ),
)
# Text a report field may hold (no NUL or lone surrogate: not UTF-8 text of a CSV file).
report_texts = texts.filter(lambda t: "\x00" not in t and not any(0xD800 <= ord(c) <= 0xDFFF for c in t))


@given(texts)
def test_escape_is_reversible_and_leaves_no_formula_start(text: str) -> None:
    escaped = escape_text(text)
    assert unescape_text(escaped) == text
    assert not escaped.startswith(FORMULA_STARTS)
    if text.startswith(DANGEROUS):
        assert escaped == "'" + text
    else:
        assert escaped == text


def test_string_fields_come_from_the_table_schemas_and_carry_the_note() -> None:
    for name, schema in table_schemas().items():
        texts_ = [f["name"] for f in schema["fields"] if f["type"] == "string"]
        assert string_fields(name) == tuple(texts_)
        for field in schema["fields"]:
            noted = ESCAPE_NOTE in field.get("description", "")
            assert noted == (field["type"] == "string"), (name, field["name"])
    assert "agency_name" in string_fields("reports")
    assert "text" in string_fields("sections")
    assert {"stated", "message_en"} <= set(string_fields("findings"))
    assert "seq" not in string_fields("findings")


def _csv(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _hostile_reports() -> list[ogi_report.LoadedReport]:
    changes: list[tuple[str, dict[str, Any]]] = [
        (
            COMPLETE_2021,
            {
                "agency.name": HOSTILE[0],
                "sections.overview": HOSTILE[1],
                "sections.problems": "\t",  # blank once unescaped: SECTION-MISSING, in bulk too
                "source_url": "=1+1",
                "_note": "@cmd",
                "applications.granted.natural_person": -5,  # stated "-5" in CELL-NEGATIVE
            },
        ),
        (
            COMPLETE_TRIAL,
            {
                "agency.name": "-1",
                "sections.overview": "''=1",
                "sections.other_matters": "'",
                "_note": "\r0",  # a lone carriage return: quoted, so still one field
                "proactive.licensing.change": -5,  # a signed count: a number, never escaped
            },
        ),
        (COMPLETE_2021, {"agency.name": "+1", "agency.code": "-1", "sections.problems": "\r\n=x"}),
    ]
    return [ogi_report.parse_report(patched(raw(base), change)) for base, change in changes]


@pytest.fixture(scope="module")
def hostile_packages(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[ogi_report.LoadedReport], Path]:
    reports = _hostile_reports()
    out = tmp_path_factory.mktemp("hostile")
    build(reports, out)
    return reports, out


def test_no_text_field_begins_a_formula(hostile_packages: tuple[list[Any], Path]) -> None:
    _, out = hostile_packages
    escaped = 0
    for folder in sorted(out.iterdir()):
        for name in RESOURCE_NAMES:
            for row in _csv(folder, name):
                for field in string_fields(name):
                    assert not row[field].startswith(FORMULA_STARTS), (folder.name, name, field, row[field])
                    escaped += row[field].startswith("'")
    assert escaped >= 10


def test_escaped_texts_as_written(hostile_packages: tuple[list[Any], Path]) -> None:
    _, out = hostile_packages
    reports = _csv(out / "ogi-reports-2024", "reports") + _csv(out / "ogi-reports-2020", "reports")
    names = {r["agency_name"] for r in reports}
    assert {"'" + HOSTILE[0], "'+1", "'-1"} <= names
    assert "'=1+1" in {r["source_url"] for r in reports}
    assert "'-1" in {r["agency_code"] for r in reports}
    sections = {r["text"] for r in _csv(out / "ogi-reports-2020", "sections")}
    assert {"'''=1", "''"} <= sections
    stated = {(f["rule"], f["stated"]) for f in _csv(out / "ogi-reports-2024", "findings")}
    assert ("CELL-NEGATIVE", "'-5") in stated


def test_numbers_are_not_escaped(hostile_packages: tuple[list[Any], Path]) -> None:
    _, out = hostile_packages
    [licensing] = [
        r for r in _csv(out / "ogi-reports-2020", "proactive_2019_trial") if r["row"] == "licensing"
    ]
    assert licensing["change"] == "-5"
    for folder in sorted(out.iterdir()):
        for name in RESOURCE_NAMES:
            numeric = [f for f in field_names(name) if f not in string_fields(name)]
            for row in _csv(folder, name):
                assert not any(row[f].startswith("'") for f in numeric)


def test_hostile_texts_read_back_equal_and_repackage_to_the_same_bytes(
    hostile_packages: tuple[list[ogi_report.LoadedReport], Path], tmp_path: Path
) -> None:
    reports, out = hostile_packages
    back = {
        loaded.report.agency.name: loaded
        for folder in sorted(out.iterdir())
        for loaded in read_package(descriptor_of(folder))
    }
    for original in reports:
        again = back[original.report.agency.name]
        assert again.report.to_dict() == original.report.to_dict()
        assert again.unreadable == original.unreadable
    build(list(back.values()), tmp_path)
    assert tree_bytes(tmp_path) == tree_bytes(out)


def test_frictionless_accepts_and_bulk_finds_what_the_engine_finds(
    hostile_packages: tuple[list[ogi_report.LoadedReport], Path],
) -> None:
    reports, out = hostile_packages
    for folder in sorted(out.iterdir()):
        report = frictionless.validate(str(descriptor_of(folder)))
        assert report.valid, report.flatten(["type", "note"])
        year = int(folder.name.rsplit("-", 1)[1])
        validation = check_package(folder, [r for r in reports if r.report.year == year], "submission")
        if year == 2024:
            rules = {f.rule for found in validation.results.values() for f in found}
            assert {"SECTION-MISSING", "CELL-NEGATIVE", "AGENCY-CODE"} <= rules


@settings(max_examples=25, deadline=None)
@given(report_texts, report_texts, report_texts)
def test_any_text_round_trips_through_a_package(name: str, section: str, note: str) -> None:
    loaded = ogi_report.parse_report(
        # (an empty note is no note in a package: not this test's business)
        patched(
            raw(COMPLETE_2021),
            {"agency.name": name or "x", "sections.overview": section, "_note": note or "x"},
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        [folder] = build([loaded], Path(tmp) / "a")
        [back] = read_package(descriptor_of(folder))
        assert back.report.to_dict() == loaded.report.to_dict()
        build([back], Path(tmp) / "b")
        assert tree_bytes(Path(tmp) / "a") == tree_bytes(Path(tmp) / "b")

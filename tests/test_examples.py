"""The bundled examples: the good ones validate, each broken copy fails exactly as EXPECTED.json says."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ogi_report import RULES, ReportError, Severity, ValidationResult, validate, validate_file
from ogi_report.readers.dispatch import extract_document, read_report
from ogi_report.rules.engine import Mode
from tests.helpers import BROKEN, BROKEN_EXPECTED, EXAMPLE_FILES, EXAMPLES

EXPECTED_FILE = BROKEN_EXPECTED
EXPECTED: dict[str, dict[str, Any]] = json.loads(EXPECTED_FILE.read_text("utf-8"))
BROKEN_FILES = sorted(p.name for p in BROKEN.iterdir() if p.is_file() and p.name != EXPECTED_FILE.name)
SHANGHAI = "shanghai-2019-trial.json"
SHANWEI = "shanwei-chengqu-2024.json"
ILLUSTRATIVE = [p.name for p in EXAMPLE_FILES if p.name.startswith("illustrative-")]


def mode_for(name: str) -> Mode:
    """Shanghai was transcribed from a published page, blanks and all."""
    return "published" if name == SHANGHAI else "submission"


def rule_ids(result: ValidationResult) -> set[str]:
    return {f.rule for f in result.findings if f.severity in (Severity.ERROR, Severity.WARNING)}


def cells_named(result: ValidationResult) -> set[str]:
    return {cell for f in result.findings for cell in f.cells}


def note_of(path: Path) -> str:
    """The `_note` of a broken file, read even where the file is not a valid report."""
    if path.name.endswith(".gbk-encoded.json"):
        note = json.loads(path.read_bytes().decode("gbk"))["_note"]
    else:
        text = path.read_text("utf-8")
        found = re.search(r'"_note": ("(?:[^"\\]|\\.)*")', text)
        if found:
            note = json.loads(found.group(1))
        else:
            found = re.search(r"^_note: '((?:[^']|'')*)'", text, re.MULTILINE)
            assert found, f"{path.name} has no _note"
            note = " ".join(found.group(1).replace("''", "'").split())
    assert isinstance(note, str)
    return note


# --- the good examples -------------------------------------------------------------------------


def test_examples_are_found() -> None:
    names = {p.name for p in EXAMPLE_FILES}
    assert {SHANGHAI, SHANWEI, *ILLUSTRATIVE} == names
    assert len(ILLUSTRATIVE) == 3


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_has_no_error(path: Path) -> None:
    result = validate_file(path, mode=mode_for(path.name))
    assert result.ok, [f.message_en for f in result.errors]
    assert result.errors == ()
    assert result.source == str(path)


@pytest.mark.parametrize("name", ILLUSTRATIVE)
@pytest.mark.parametrize("mode", ["submission", "published"])
def test_illustrative_examples_are_complete_and_consistent(name: str, mode: Mode) -> None:
    result = validate_file(EXAMPLES / name, mode=mode)
    assert result.findings == (), [f.message_en for f in result.findings]


def test_shanghai_in_a_submission_fails_only_on_its_blanks() -> None:
    result = validate_file(EXAMPLES / SHANGHAI, mode="submission")
    assert not result.ok
    assert {f.rule for f in result.errors} == {"CELL-MISSING"}
    # one CELL-MISSING per table with blanks (三 and 四), with all 135 blank cells between them
    tables = sorted(f.cells[0].split(".")[0] for f in result.errors)
    assert tables == ["applications", "review_litigation"]
    assert sum(len(f.blanks) for f in result.errors) == 135


def test_shanghai_blanks_are_warnings_when_published() -> None:
    submitted = validate_file(EXAMPLES / SHANGHAI, mode="submission")
    published = validate_file(EXAMPLES / SHANGHAI, mode="published")
    missing = [f for f in published.findings if f.rule == "CELL-MISSING"]
    assert missing
    assert all(f.severity is Severity.WARNING for f in missing)
    assert [f.cells for f in missing] == [f.cells for f in submitted.errors]
    # the only difference between the modes is the severity of CELL-MISSING
    assert [(f.rule, f.cells) for f in published.findings] == [(f.rule, f.cells) for f in submitted.findings]


def test_shanwei_without_tables_reports_the_missing_tables() -> None:
    result = validate_file(EXAMPLES / SHANWEI)
    assert result.ok
    assert rule_ids(result) == {"SECTION-MISSING"}
    assert {"proactive", "applications", "review_litigation"} <= cells_named(result)


# --- the broken examples -----------------------------------------------------------------------


def test_expected_lists_every_broken_file() -> None:
    assert sorted(EXPECTED) == BROKEN_FILES


def test_the_required_broken_examples_exist() -> None:
    required = {
        "2021-county.carried-out-unbalanced.json": "T3-BALANCE",
        "2021-county.handled-total-wrong.json": "T3-HANDLED-SUM",
        "2021-county.row-total-wrong.json": "T3-ROW-TOTAL",
        "2021-county.review-total-wrong.json": "T4-TOTAL",
        "2021-county.negative-count.json": "CELL-NEGATIVE",
        "2021-county.blank-cells.json": "CELL-MISSING",
        "2021-county.count-with-unit.json": "CELL-TYPE",
        "2021-county.bad-agency-code.json": "AGENCY-CODE",
        "2021-county.published-late.json": "PUBLISHED-LATE",
        "2019-trial.wrong-format-for-year.json": "FORMAT-YEAR",
        "2021-department.fee-not-reported.yaml": "T3-FEE-NOTICE",
    }
    for name, rule in required.items():
        assert rule in EXPECTED[name]["rules"], name
    unreadable = {name for name, e in EXPECTED.items() if e["exit"] == 2}
    assert {
        "2021-county.unknown-key.json",
        "2021-county.missing-table.json",
        "2021-county.malformed.json",
    } <= unreadable
    assert any(name.endswith((".yaml", ".yml")) for name in unreadable)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_expected_entry_is_well_formed(name: str) -> None:
    entry = EXPECTED[name]
    assert set(entry) <= {"exit", "rules", "cells", "message", "published"}
    assert entry["exit"] in (0, 1, 2)
    assert all(rule in RULES for rule in entry["rules"])
    if entry["exit"] == 2:
        assert entry["rules"] == []
        assert entry["message"]
    else:
        assert entry["rules"], "a readable broken file must trigger at least one rule"
    if "published" in entry:
        assert entry["published"]["exit"] in (0, 1)
        assert all(rule in RULES for rule in entry["published"]["rules"])


@pytest.mark.parametrize("name", BROKEN_FILES)
def test_broken_file_notes_what_is_expected(name: str) -> None:
    note = note_of(BROKEN / name)
    entry = EXPECTED[name]
    assert note.startswith("Deliberately broken copy of examples/illustrative-")
    assert re.search(rf"\bexits? {entry['exit']}\b", note), note
    for rule in entry["rules"]:
        assert rule in note


@pytest.mark.parametrize("name", [n for n in sorted(EXPECTED) if EXPECTED[n]["exit"] != 2])
def test_broken_file_triggers_the_expected_rules(name: str) -> None:
    entry = EXPECTED[name]
    result = validate_file(BROKEN / name)
    assert rule_ids(result) == set(entry["rules"]), [f.message_en for f in result.findings]
    assert result.ok is (entry["exit"] == 0)
    missing = set(entry.get("cells", [])) - cells_named(result)
    assert not missing, f"no finding names {sorted(missing)}"


@pytest.mark.parametrize("name", [n for n in sorted(EXPECTED) if "published" in EXPECTED[n]])
def test_broken_file_when_read_from_a_published_page(name: str) -> None:
    entry = EXPECTED[name]["published"]
    result = validate_file(BROKEN / name, mode="published")
    assert rule_ids(result) == set(entry["rules"])
    assert result.ok is (entry["exit"] == 0)


@pytest.mark.parametrize("name", [n for n in sorted(EXPECTED) if EXPECTED[n]["exit"] == 2])
def test_unreadable_broken_file_raises_report_error(name: str) -> None:
    path = BROKEN / name
    with pytest.raises(ReportError) as caught:
        validate_file(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message == caught.value.one_line()
    assert str(path) in message
    assert caught.value.source == str(path)
    assert EXPECTED[name]["message"] in message


# --- what the broken files state, figure by figure ---------------------------------------------


def test_carried_out_unbalanced_findings() -> None:
    result = validate_file(BROKEN / "2021-county.carried-out-unbalanced.json")
    found = {(f.rule, f.severity, f.cells[0], f.stated, f.expected) for f in result.findings}
    assert found == {
        ("T3-BALANCE", Severity.ERROR, "applications.total_handled.natural_person", 127, 126),
        ("T3-BALANCE", Severity.ERROR, "applications.total_handled.total", 142, 141),
    }


def test_handled_total_wrong_findings() -> None:
    result = validate_file(BROKEN / "2021-county.handled-total-wrong.json")
    found = {(f.rule, f.severity, f.cells[0], f.stated, f.expected) for f in result.findings}
    assert found == {
        ("T3-HANDLED-SUM", Severity.ERROR, "applications.total_handled.natural_person", 114, 115),
        ("T3-HANDLED-SUM", Severity.ERROR, "applications.total_handled.total", 125, 126),
    }


def test_row_total_wrong_findings() -> None:
    result = validate_file(BROKEN / "2021-county.row-total-wrong.json")
    found = {(f.rule, f.severity, f.cells[0], f.stated, f.expected) for f in result.findings}
    assert found == {
        ("T3-ROW-TOTAL", Severity.ERROR, "applications.granted.total", 54, 53),
        ("T3-ROW-TOTAL", Severity.ERROR, "applications.partially_granted.total", 11, 12),
    }


def test_review_total_wrong_findings() -> None:
    (finding,) = validate_file(BROKEN / "2021-county.review-total-wrong.json").findings
    assert (finding.rule, finding.severity) == ("T4-TOTAL", Severity.ERROR)
    assert (finding.stated, finding.expected) == (6, 5)


def test_negative_count_findings() -> None:
    (finding,) = validate_file(BROKEN / "2021-county.negative-count.json").findings
    assert (finding.rule, finding.cells, finding.stated) == (
        "CELL-NEGATIVE",
        ("proactive.penalty.decisions",),
        -1206,
    )


def test_blank_cells_are_grouped_once_per_table() -> None:
    result = validate_file(BROKEN / "2021-county.blank-cells.json")
    assert [(f.rule, f.severity, len(f.blanks)) for f in result.findings] == [
        ("CELL-MISSING", Severity.ERROR, 3),
        ("CELL-MISSING", Severity.ERROR, 5),
    ]


def test_count_with_unit_is_reported_and_the_other_rules_still_run() -> None:
    result = validate_file(BROKEN / "2021-county.count-with-unit.json")
    cell = "applications.carried_out.natural_person"
    (bad,) = result.errors
    assert (bad.rule, bad.cells, bad.stated) == ("CELL-TYPE", (cell,), "12件")
    # the cell is read as blank: the identities through it can only hold if it is 12
    assert {f.rule for f in result.warnings} == {"T3-BALANCE", "T3-ROW-TOTAL"}
    for finding in result.warnings:
        assert finding.blanks == (cell,)
        assert finding.fill == {cell: 12}


def test_bad_agency_code_names_the_right_code() -> None:
    (finding,) = validate_file(BROKEN / "2021-county.bad-agency-code.json").findings
    assert finding.rule == "AGENCY-CODE"
    assert (finding.stated, finding.expected) == ("11330000MB12345678", "11330000MB12345679")


def test_published_late_states_the_deadline() -> None:
    (finding,) = validate_file(BROKEN / "2021-county.published-late.json").findings
    assert (finding.rule, finding.severity) == ("PUBLISHED-LATE", Severity.WARNING)
    assert (finding.stated, finding.expected) == ("2025-04-15", "2025-03-31")


def test_wrong_format_for_year_findings() -> None:
    (finding,) = validate_file(BROKEN / "2019-trial.wrong-format-for-year.json").findings
    assert (finding.rule, finding.severity) == ("FORMAT-YEAR", Severity.WARNING)
    assert (finding.stated, finding.expected) == ("2019-trial", "2021")


def test_fee_not_reported_findings() -> None:
    (finding,) = validate_file(BROKEN / "2021-department.fee-not-reported.yaml").findings
    assert (finding.rule, finding.severity, finding.stated) == ("T3-FEE-NOTICE", Severity.WARNING, 1)


# The published page the Shanghai example was transcribed from, kept among the real pages.
SHANGHAI_PAGE = (
    Path(__file__).parent / "fixtures/real/holdout/2019-shanghai-municipal-government-office-whole-html.txt"
)


def test_the_published_shanghai_page_reads_as_the_example() -> None:
    """Reading the real page (HTML) gives the example's every table, blank cells as blanks, and
    validating either gives the same findings."""
    example = read_report(EXAMPLES / SHANGHAI).report
    page = extract_document(SHANGHAI_PAGE).report
    assert (page.format, page.year, page.agency.name) == (example.format, example.year, example.agency.name)
    tables = ("proactive", "applications", "review_litigation")
    assert [page.to_dict()[t] for t in tables] == [example.to_dict()[t] for t in tables]
    from_page = validate(page, mode="published").findings
    from_example = validate(example, mode="published").findings
    assert [(f.rule, f.cells) for f in from_page] == [(f.rule, f.cells) for f in from_example]
    assert len(from_page) == 27

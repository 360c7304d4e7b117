"""The rule cases in src/ogi_report/rules/cases/: one YAML file per rule id of the catalogue (package
data: the rules documentation shows them as examples).

Each case patches an example report (raw data, before parsing), runs the validator (or
`compare_years` for the cross-year rules) and compares the findings of the file's rule, exactly and in
order, with the expected ones worked out by hand from the example files and docs/standard.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

import ogi_report
from ogi_report import Finding, LoadedReport
from ogi_report.readers.narrative import narrative_figures
from ogi_report.rules.docs import CASES_DIR
from tests.helpers import EXAMPLES, patched, raw

CASE_KEYS = frozenset({"name", "base", "set", "mode", "expect", "previous", "narrative", "reader"})
# `reader`: what a page reader recorded, passed to the validator: `unplaced` (cell path -> why) and
# `missing_metadata` (`year`, `agency.name`), for CELL-UNPLACED and METADATA-MISSING.
# `narrative: sections`: the figures stated in the patched report's text sections are passed to the
# validator (readers.narrative), as when a report is read from a published page.
NARRATIVE_SOURCES = ("sections",)
EXPECT_KEYS = frozenset(
    {"severity", "cells", "cells_include", "cells_count", "stated", "expected", "blanks", "fill"}
)
MODES = ("submission", "published")


@dataclass(frozen=True)
class Case:
    rule: str
    file: str
    name: str
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.rule}: {self.name}"

    @property
    def expect(self) -> list[dict[str, Any]]:
        expect = self.data["expect"]
        assert isinstance(expect, list)
        return expect


def _load_yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text("utf-8"))
    assert isinstance(data, dict), f"{path.name}: the top level must be a mapping"
    return data


CASE_FILES: dict[str, dict[str, Any]] = {p.name: _load_yaml(p) for p in sorted(CASES_DIR.glob("*.yaml"))}


def _cases() -> list[Case]:
    out: list[Case] = []
    for file, data in CASE_FILES.items():
        for case in data.get("cases") or []:
            out.append(Case(str(data.get("rule")), file, str(case.get("name")), case))
    return out


CASES = _cases()


def _parse(base: str, changes: dict[str, Any] | None) -> LoadedReport:
    return ogi_report.parse_report(patched(raw(base), changes or {}))


def run_case(case: Case) -> list[Finding]:
    """The findings of the case's rule, in the order the library returns them."""
    rule = ogi_report.RULES[case.rule]
    current = _parse(case.data["base"], case.data.get("set"))
    if rule.scope == "cross-year":
        previous = case.data["previous"]
        before = _parse(previous["base"], previous.get("set"))
        found: tuple[Finding, ...] | list[Finding] = ogi_report.compare_years(before.report, current.report)
    else:
        narrative = (
            narrative_figures(current.report.sections.__dict__)
            if case.data.get("narrative") == "sections"
            else []
        )
        reader = case.data.get("reader") or {}
        found = ogi_report.validate(
            current.report,
            mode=case.data.get("mode", "submission"),
            unreadable=current.unreadable,
            narrative=narrative,
            unplaced=reader.get("unplaced"),
            missing_metadata=tuple(reader.get("missing_metadata") or ()),
        ).findings
    return [f for f in found if f.rule == case.rule]


def _same(actual: object, wanted: object) -> bool:
    """Equal values of the same kind; a Decimal matches an int, or a string digit for digit."""
    if isinstance(actual, Decimal):
        if isinstance(wanted, str):
            return str(actual) == wanted
        return isinstance(wanted, int) and not isinstance(wanted, bool) and actual == wanted
    return type(actual) is type(wanted) and actual == wanted


def _describe(f: Finding) -> str:
    return (
        f"{f.rule} {f.severity.value} cells={list(f.cells)} stated={f.stated!r} expected={f.expected!r} "
        f"blanks={list(f.blanks)} fill={f.fill!r}\n    {f.message_en}"
    )


def check_findings(findings: list[Finding], expect: list[dict[str, Any]]) -> None:
    shown = "\n".join(_describe(f) for f in findings) or "(none)"
    assert len(findings) == len(expect), f"expected {len(expect)} finding(s), got {len(findings)}:\n{shown}"
    for i, (finding, want) in enumerate(zip(findings, expect, strict=True)):
        where = f"finding {i}: {_describe(finding)}"
        assert finding.severity.value == want["severity"], where
        assert finding.message_zh.strip(), where
        assert finding.message_en.strip(), where
        if "cells" in want:
            assert list(finding.cells) == want["cells"], where
        if "cells_include" in want:
            missing = [p for p in want["cells_include"] if p not in finding.cells]
            assert not missing, f"{where}\n  cells missing: {missing}"
        if "cells_count" in want:
            assert len(finding.cells) == want["cells_count"], where
        for key in ("stated", "expected"):
            if key in want:
                value = getattr(finding, key)
                assert _same(value, want[key]), f"{where}\n  {key}: got {value!r}, want {want[key]!r}"
        if "blanks" in want:
            assert list(finding.blanks) == want["blanks"], where
        if "fill" in want:
            fill = want["fill"]
            assert set(finding.fill) == set(fill), f"{where}\n  fill keys: want {sorted(fill)}"
            bad = {k: v for k, v in finding.fill.items() if not _same(v, fill[k])}
            assert not bad, f"{where}\n  fill values differ: {bad}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case) -> None:
    check_findings(run_case(case), case.expect)


# --- the case files themselves -------------------------------------------------------------------


def test_every_catalogue_rule_has_a_case_file_with_passing_and_failing_cases() -> None:
    for rule in ogi_report.CATALOGUE:
        file = f"{rule.id}.yaml"
        assert file in CASE_FILES, f"no case file for rule {rule.id}"
        cases = [c for c in CASES if c.file == file]
        assert any(c.expect == [] for c in cases), f"{file}: no passing case"
        assert any(c.expect for c in cases), f"{file}: no failing case"


def test_no_case_file_names_an_unknown_rule() -> None:
    assert CASE_FILES, "no case files found"
    for file, data in CASE_FILES.items():
        assert data.get("rule") in ogi_report.RULES, f"{file}: unknown rule {data.get('rule')!r}"
        assert file == f"{data['rule']}.yaml", f"{file} holds the cases of {data['rule']}"


@pytest.mark.parametrize("file", sorted(CASE_FILES))
def test_case_file_is_well_formed(file: str) -> None:
    data = CASE_FILES[file]
    assert set(data) == {"rule", "cases"}, file
    rule = ogi_report.RULES[data["rule"]]
    cases = [c for c in CASES if c.file == file]
    assert cases, f"{file}: no cases"
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), f"{file}: duplicate case names"
    for case in cases:
        assert set(case.data) <= CASE_KEYS, f"{case.id}: unknown keys {set(case.data) - CASE_KEYS}"
        assert (EXAMPLES / case.data["base"]).is_file(), case.id
        assert isinstance(case.data.get("set", {}), dict), case.id
        assert case.data.get("mode", "submission") in MODES, case.id
        assert case.data.get("narrative", "sections") in NARRATIVE_SOURCES, case.id
        if rule.scope == "cross-year":
            previous = case.data.get("previous")
            assert isinstance(previous, dict), f"{case.id}: a cross-year case needs `previous`"
            assert set(previous) <= {"base", "set"}, case.id
            assert (EXAMPLES / previous["base"]).is_file(), case.id
        else:
            assert "previous" not in case.data, f"{case.id}: `previous` is for cross-year rules"
        for want in case.expect:
            assert set(want) <= EXPECT_KEYS, f"{case.id}: unknown keys {set(want) - EXPECT_KEYS}"
            assert want["severity"] in ("error", "warning"), case.id


def _severities(rule_id: str, mode: str | None = None) -> set[str]:
    return {
        want["severity"]
        for case in CASES
        if case.rule == rule_id and (mode is None or case.data.get("mode", "submission") == mode)
        for want in case.expect
    }


@pytest.mark.parametrize(
    "rule_id",
    [r.id for r in ogi_report.CATALOGUE if isinstance(r, ogi_report.Identity) and r.scope == "report"],
)
def test_identity_cases_cover_errors_warnings_and_both_layouts(rule_id: str) -> None:
    """An identity is an error when broken or impossible with blanks, a warning when blanks leave it open."""
    assert _severities(rule_id) == {"error", "warning"}
    bases = {c.data["base"] for c in CASES if c.rule == rule_id and c.expect}
    layouts = {raw(base)["format"] for base in bases}
    assert layouts == set(ogi_report.LAYOUTS), f"{rule_id}: failing cases only for {layouts}"


def test_cell_missing_cases_cover_both_modes() -> None:
    assert _severities("CELL-MISSING", "submission") == {"error"}
    assert _severities("CELL-MISSING", "published") == {"warning"}

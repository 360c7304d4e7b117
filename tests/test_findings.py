"""Finding and ValidationResult: frozen values with a documented dict shape."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

import ogi_report
from ogi_report import Finding, Severity, ValidationResult
from ogi_report.output import FindingRecord
from tests.helpers import patched, raw

FINDING_KEYS = [
    "rule",
    "severity",
    "cells",
    "stated",
    "expected",
    "blanks",
    "fill",
    "message",
    "message_zh",
    "message_en",
    "source_cells",
    "params",
    "url",
]


def finding(
    rule: str = "T3-ROW-TOTAL",
    severity: Severity = Severity.ERROR,
    **overrides: Any,
) -> Finding:
    fields: dict[str, Any] = {
        "rule": rule,
        "severity": severity,
        "cells": ("applications.granted.total", "applications.granted.natural_person"),
        "stated": 54,
        "expected": 55,
        "message_zh": "表三“（一）予以公开”行：总计应为 55",
        "message_en": "applications, row granted: total should be 55",
    }
    fields.update(overrides)
    return Finding(**fields)


def test_finding_is_frozen() -> None:
    f = finding()
    with pytest.raises(ValidationError):
        f.rule = "OTHER"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        f.stated = 1  # type: ignore[misc]
    assert f.rule == "T3-ROW-TOTAL"
    assert f.stated == 54


def test_finding_compares_by_value() -> None:
    assert finding() == finding()
    assert finding() != finding(expected=56)
    assert finding() != finding(severity=Severity.WARNING)


def test_finding_rejects_unknown_fields_and_severities() -> None:
    with pytest.raises(ValidationError):
        finding(colour="red")
    fatal: Any = "fatal"
    with pytest.raises(ValidationError):
        finding(severity=fatal)


def test_finding_defaults() -> None:
    f = Finding(
        rule="SECTION-MISSING",
        severity=Severity.WARNING,
        cells=("proactive",),
        message_zh="缺少表格",
        message_en="the table is absent",
    )
    assert f.stated is None
    assert f.expected is None
    assert f.blanks == ()
    assert f.fill == {}
    assert f.report is None
    assert f.source_cells == {}
    assert f.params == {}
    assert f.url is None


def test_to_dict_keys_and_values() -> None:
    f = finding(
        blanks=("applications.granted.research",),
        fill={"applications.granted.research": 1},
        source_cells={"applications.granted.total": "表三!I6"},
    )
    out = f.to_dict()
    assert list(out) == FINDING_KEYS
    assert out["rule"] == "T3-ROW-TOTAL"
    assert out["severity"] == "error"
    assert type(out["severity"]) is str
    assert out["cells"] == ["applications.granted.total", "applications.granted.natural_person"]
    assert out["stated"] == 54
    assert out["expected"] == 55
    assert out["blanks"] == ["applications.granted.research"]
    assert out["fill"] == {"applications.granted.research": 1}
    assert out["source_cells"] == {"applications.granted.total": "表三!I6"}
    assert out["params"] == {}
    assert out["url"] is None
    # the document is plain JSON
    assert json.loads(json.dumps(out, ensure_ascii=False)) == out
    # and the shape of the validation document's finding record
    # (with the two keys a report's result adds: the fingerprint and the explanation)
    record = {**out, "fingerprint": None, "explanation": None}
    assert FindingRecord.model_validate(record).model_dump() == record


def test_to_dict_language_switch() -> None:
    f = finding()
    assert f.to_dict()["message"] == f.message_zh
    assert f.to_dict("zh")["message"] == "表三“（一）予以公开”行：总计应为 55"
    assert f.to_dict("en")["message"] == "applications, row granted: total should be 55"
    assert f.message() == f.message_zh
    assert f.message("en") == f.message_en
    for lang in ("zh", "en"):
        out = f.to_dict(lang)
        assert out["message_zh"] == f.message_zh
        assert out["message_en"] == f.message_en


def test_decimal_values_are_serialised_as_strings() -> None:
    f = finding(
        rule="NARRATIVE-MISMATCH",
        severity=Severity.WARNING,
        cells=("proactive.fees.amount",),
        stated=Decimal("2181.669177"),
        expected=Decimal("2181.67"),
        fill={"proactive.fees.amount": Decimal("0.000001")},
    )
    out = f.to_dict()
    assert out["stated"] == "2181.669177"
    assert out["expected"] == "2181.67"
    assert out["fill"] == {"proactive.fees.amount": "0.000001"}
    json.dumps(out)


def test_none_and_str_values_pass_through() -> None:
    out = finding(stated=None, expected="2019-trial").to_dict()
    assert out["stated"] is None
    assert out["expected"] == "2019-trial"


def test_finding_to_dict_is_not_a_view() -> None:
    f = finding(fill={"applications.granted.total": 3})
    out = f.to_dict()
    out["cells"].append("x")
    out["fill"]["y"] = 1
    assert f.cells == ("applications.granted.total", "applications.granted.natural_person")
    assert f.fill == {"applications.granted.total": 3}


# --- ValidationResult ----------------------------------------------------------------------------


def result() -> ValidationResult:
    return ValidationResult(
        source="report.json",
        findings=(
            finding(),
            finding("CELL-MISSING", Severity.WARNING),
            finding("CELL-MISSING", Severity.WARNING, cells=("applications.carried_in.total",)),
            finding("T3-BALANCE", Severity.ERROR),
        ),
    )


def test_result_is_frozen() -> None:
    r = result()
    with pytest.raises(ValidationError):
        r.source = "other.json"  # type: ignore[misc]
    assert r.source == "report.json"


def test_empty_result_is_ok() -> None:
    r = ValidationResult()
    assert r.ok
    assert r.errors == ()
    assert r.warnings == ()
    assert r.counts() == Counter()
    assert r.to_dict() == {
        "source": None,
        "ok": True,
        "errors": 0,
        "warnings": 0,
        "explained": 0,
        "findings": [],
        "notes": [],
        "stale_explanations": [],
    }


def test_errors_warnings_and_ok() -> None:
    r = result()
    assert [f.rule for f in r.errors] == ["T3-ROW-TOTAL", "T3-BALANCE"]
    assert [f.rule for f in r.warnings] == ["CELL-MISSING", "CELL-MISSING"]
    assert not r.ok
    only_warnings = ValidationResult(findings=r.warnings)
    assert only_warnings.ok
    assert only_warnings.errors == ()


def test_counts_by_rule_and_severity() -> None:
    assert result().counts() == Counter(
        {
            ("T3-ROW-TOTAL", Severity.ERROR): 1,
            ("CELL-MISSING", Severity.WARNING): 2,
            ("T3-BALANCE", Severity.ERROR): 1,
        }
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_result_to_dict(lang: Any) -> None:
    r = result()
    out = r.to_dict(lang)
    assert list(out) == [
        "source",
        "ok",
        "errors",
        "warnings",
        "explained",
        "findings",
        "notes",
        "stale_explanations",
    ]
    assert out["source"] == "report.json"
    assert out["ok"] is False
    assert out["errors"] == 2
    assert out["warnings"] == 2
    # no layout known: no fingerprint
    assert out["findings"] == [
        {**f.to_dict(lang), "fingerprint": None, "explanation": None} for f in r.findings
    ]
    assert out["findings"][0]["message"] == r.findings[0].message(lang)
    json.dumps(out, ensure_ascii=False)


def test_severity_values() -> None:
    assert [s.value for s in Severity] == ["error", "warning"]
    assert Severity("error") is Severity.ERROR
    assert str(Severity.WARNING) == "warning"
    assert json.dumps(Severity.ERROR) == '"error"'


def test_findings_carry_their_parameters_and_link() -> None:
    """A finding keeps the values its messages were made from, and links to its rule's section."""
    report = ogi_report.parse_report(
        patched(
            raw("illustrative-2021-county.json"),
            {
                "applications.granted.total": 1000,
            },
        )
    ).report
    found = [f for f in ogi_report.validate(report).findings if f.rule == "T3-ROW-TOTAL"]
    assert found
    f = found[0]
    assert f.url == "docs/rules.md#t3-row-total"
    assert f.params["bound"] == "granted"
    assert f.params["stated"] == f.stated
    assert f.params["expected"] == f.expected
    assert isinstance(f.params["where"], dict)
    assert set(f.params["where"]) == {"zh", "en"}
    template = ogi_report.RULES["T3-ROW-TOTAL"].messages["broken"][1]
    shown = {k: v["en"] if isinstance(v, dict) else v for k, v in f.params.items()}
    assert template.format(**shown) == f.message_en
    out = f.to_dict()
    assert out["url"] == f.url
    assert out["params"]["bound"] == "granted"

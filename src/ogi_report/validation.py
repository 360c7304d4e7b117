"""validate(): run every single-report rule of the catalogue and return all findings."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ogi_report.findings import Finding, ValidationResult
from ogi_report.model import Report
from ogi_report.readers import read_report
from ogi_report.rules.catalogue import CHECKS
from ogi_report.rules.checks import REPORT_CHECKS
from ogi_report.rules.engine import Context, Mode, ReportView, identity_findings, view_of


def validate(
    report: Report,
    *,
    mode: Mode = "submission",
    source: str | None = None,
    unreadable: Mapping[str, Any] | None = None,
) -> ValidationResult:
    """Every finding for one report, in catalogue order.

    `mode="published"` is for reports read from published pages: blank cells are then warnings,
    not errors. `unreadable` names cells the reader could not read (reported by CELL-TYPE).
    """
    return validate_view(view_of(report), mode=mode, source=source, unreadable=unreadable)


def validate_view(
    view: ReportView,
    *,
    mode: Mode = "submission",
    source: str | None = None,
    unreadable: Mapping[str, Any] | None = None,
) -> ValidationResult:
    """The same, over plain values (what the bulk validator hands over for flagged reports)."""
    ctx = Context(view, view.layout, mode, unreadable or {}, source)
    findings: list[Finding] = list(identity_findings(ctx))
    for rule in CHECKS:
        if rule.scope == "report" and rule.applies_to(ctx.layout):
            findings.extend(REPORT_CHECKS[rule.id](ctx))
    return ValidationResult(source=source, findings=tuple(findings))


def validate_file(path: str | Path, *, mode: Mode = "submission") -> ValidationResult:
    """Read a report file leniently and validate it; ReportError if it cannot be read at all."""
    loaded = read_report(path)
    return validate(loaded.report, mode=mode, source=loaded.source, unreadable=loaded.unreadable)

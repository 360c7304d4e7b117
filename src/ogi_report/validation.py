"""validate(): run every single-report rule of the catalogue and return all findings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from ogi_report.findings import Finding, ValidationResult
from ogi_report.layout import Layout
from ogi_report.model import Report
from ogi_report.notes import ReadingNote
from ogi_report.readers import LoadedReport, read_report
from ogi_report.readers.narrative import NarrativeFigure
from ogi_report.rules.checks import CHECKS
from ogi_report.rules.engine import Context, Mode, ReportView, identity_findings, view_of
from ogi_report.rules.rule import Check


def validate(
    report: Report,
    *,
    mode: Mode = "submission",
    source: str | None = None,
    unreadable: Mapping[str, Any] | None = None,
    places: Mapping[str, str] | None = None,
    narrative: Sequence[NarrativeFigure] = (),
    unplaced: Mapping[str, str | ReadingNote] | None = None,
    missing_metadata: Sequence[str] = (),
) -> ValidationResult:
    """Every finding for one report, in catalogue order.

    `mode="published"` is for reports read from published pages: blank cells are then warnings,
    not errors. `unreadable` names cells the reader could not read (reported by CELL-TYPE).
    `places` (path -> place in the source, such as `表三!D12`) fills each finding's `source_cells`.
    `narrative` holds the figures the report's text states (`readers.narrative`), compared with the
    tables by NARRATIVE-MISMATCH; none by default. `unplaced` (path -> why: text or a reading note)
    and `missing_metadata` (`year`, `agency.name`) are what a page reader recorded (CELL-UNPLACED,
    METADATA-MISSING). The report's `explanations` are carried into the result, which tells which
    findings they explain and which are stale.
    """
    result = validate_view(
        view_of(report),
        mode=mode,
        source=source,
        unreadable=unreadable,
        narrative=narrative,
        unplaced=unplaced,
        missing_metadata=missing_metadata,
        agency_name=report.agency.name,
    )
    if report.explanations:
        result = result.model_copy(update={"explanations": tuple(report.explanations)})
    return with_places(result, places or {})


def with_places(result: ValidationResult, places: Mapping[str, str]) -> ValidationResult:
    """The result with each finding's `source_cells` naming the place of every cell it names."""
    if not places:
        return result
    findings = []
    for finding in result.findings:
        located = {cell: places[cell] for cell in finding.cells if cell in places}
        if located:
            finding = finding.model_copy(update={"source_cells": {**finding.source_cells, **located}})
        findings.append(finding)
    return result.model_copy(update={"findings": tuple(findings)})


def validate_view(
    view: ReportView,
    *,
    mode: Mode = "submission",
    source: str | None = None,
    unreadable: Mapping[str, Any] | None = None,
    narrative: Sequence[NarrativeFigure] = (),
    unplaced: Mapping[str, str | ReadingNote] | None = None,
    missing_metadata: Sequence[str] = (),
    agency_name: str | None = None,
) -> ValidationResult:
    """The same, over plain values (what the bulk validator hands over for flagged reports)."""
    ctx = Context(
        view,
        view.layout,
        mode,
        unreadable or {},
        source,
        narrative=narrative,
        unplaced=unplaced or {},
        missing_metadata=missing_metadata,
        agency_name=agency_name,
    )
    findings: list[Finding] = list(identity_findings(ctx))
    for rule in _report_checks(ctx.layout):
        findings.extend(rule.function(rule, ctx))
    return ValidationResult(source=source, findings=tuple(findings), layout=ctx.layout.code)


@cache
def _report_checks(layout: Layout) -> tuple[Check, ...]:
    """The single-report checks of a layout, in catalogue order."""
    return tuple(rule for rule in CHECKS if rule.scope == "report" and rule.applies_to(layout))


def validate_loaded(
    loaded: LoadedReport, *, mode: Mode = "submission", source: str | None = None
) -> ValidationResult:
    """Validate a report as read: one read from a published page in mode published and with the
    figures its narrative states; findings name the places of their cells. `source` names the
    report in the findings instead of the file it was read from."""
    result = validate(
        loaded.report,
        mode="published" if loaded.from_page else mode,
        source=loaded.source if source is None else source,
        unreadable=loaded.unreadable,
        places=loaded.places,
        narrative=loaded.narrative,
        unplaced=loaded.unplaced,
        missing_metadata=loaded.missing_metadata,
    )
    return result.model_copy(update={"notes": tuple(loaded.notes)}) if loaded.notes else result


def validate_file(path: str | Path, *, mode: Mode = "submission") -> ValidationResult:
    """Read a report file leniently and validate it; ReportError if it cannot be read at all."""
    return validate_loaded(read_report(path), mode=mode)

"""Rules that compare two consecutive reports of the same agency: the cross-year identities
(Y-CARRY, T2-IN-FORCE), run by the engine like any identity."""

from __future__ import annotations

from ogi_report.findings import Finding
from ogi_report.model import Report
from ogi_report.rules.engine import Context, ReportView, cross_year_findings, view_of


def compare_years(previous: Report, current: Report, *, source: str | None = None) -> list[Finding]:
    """Findings of the cross-year rules for `current` given the report of the year before."""
    return compare_views(view_of(previous), view_of(current), source=source)


def compare_views(previous: ReportView, current: ReportView, *, source: str | None = None) -> list[Finding]:
    """The same over plain values."""
    if current.year != previous.year + 1:
        raise ValueError(f"not consecutive years: {previous.year} and {current.year}")
    ctx = Context(current, current.layout, "submission", source=source)
    return list(cross_year_findings(ctx, previous))

"""Rules that compare two consecutive reports of the same agency (Y-CARRY, T2-IN-FORCE)."""

from __future__ import annotations

from collections.abc import Iterator

from ogi_report.findings import Finding
from ogi_report.model import Report
from ogi_report.rules.checks import Both, _finding
from ogi_report.rules.engine import Context, ReportView, RowDicts, view_of
from ogi_report.rules.wording import line_name


def compare_years(previous: Report, current: Report, *, source: str | None = None) -> list[Finding]:
    """Findings of the cross-year rules for `current` given the report of the year before."""
    return compare_views(view_of(previous), view_of(current), source=source)


def compare_views(previous: ReportView, current: ReportView, *, source: str | None = None) -> list[Finding]:
    """The same over plain values (the bulk validator's path)."""
    if current.year != previous.year + 1:
        raise ValueError(f"not consecutive years: {previous.year} and {current.year}")
    ctx = Context(current, current.layout, "submission", source=source)
    before = previous.tables
    return [*_carry(ctx, before), *_in_force(ctx, previous, before)]


def _carry(ctx: Context, before: dict[str, RowDicts | None]) -> Iterator[Finding]:
    now, then = ctx.tables["applications"], before["applications"]
    if now is None or then is None:
        return
    table = ctx.layout.table("applications")
    for column in table.columns:
        stated, expected = now["carried_in"][column.code], then["carried_out"][column.code]
        if stated is not None and expected is not None and stated != expected:
            yield _finding(
                ctx,
                "Y-CARRY",
                "carry",
                (f"applications.carried_in.{column.code}",),
                stated=stated,
                expected=expected,
                where=Both(tuple(line_name(table, "column", column.code, lang) for lang in ("zh", "en"))),
            )


def _in_force(ctx: Context, previous: ReportView, before: dict[str, RowDicts | None]) -> Iterator[Finding]:
    if ctx.view.format != "2021" or previous.format != "2021":
        return
    now, then = ctx.tables["proactive"], before["proactive"]
    if now is None or then is None:
        return
    table = ctx.layout.table("proactive")
    for row in table.data_rows:
        if "in_force" not in row.columns:
            continue
        cur, old = now[row.code], then[row.code]
        values = (cur["in_force"], old["in_force"], cur["issued"], cur["repealed"])
        if any(v is None for v in values):
            continue
        stated, last, issued, repealed = values
        expected = last + issued - repealed
        if stated != expected:
            yield _finding(
                ctx,
                "T2-IN-FORCE",
                "roll",
                tuple(f"proactive.{row.code}.{c}" for c in ("in_force", "issued", "repealed")),
                stated=stated,
                expected=expected,
                where=Both(("表二“" + row.label + "”", f"proactive, row {row.code}")),
            )

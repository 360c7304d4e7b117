"""The machine-readable validation document (`ogi validate --json`), with its own JSON Schema."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from ogi_report.findings import Finding, Lang, Severity, ValidationResult
from ogi_report.versions import CATALOGUE_VERSION, LIBRARY_VERSION, SCHEMA_VERSION

_CONFIG = ConfigDict(extra="forbid")
JsonValue = int | str | None


class FindingRecord(BaseModel):
    model_config = _CONFIG
    rule: str = Field(description="Stable rule id (see docs/rules.md)")
    severity: Severity
    cells: list[str] = Field(description="table.row.column codes (or metadata paths) involved")
    stated: JsonValue = Field(description="The value the report states (money as a decimal string)")
    expected: JsonValue = Field(description="The value the rule expects, where determined")
    blanks: list[str] = Field(description="Cells involved that were blank")
    fill: dict[str, JsonValue] = Field(description="Blank cell -> the value it must take, where determined")
    message: str = Field(description="The message in the language asked for")
    message_zh: str
    message_en: str
    source_cells: dict[str, str] = Field(description="Cell path -> place in the source file")
    params: dict[str, JsonValue | dict[str, JsonValue] | list[JsonValue]] = Field(
        description="The values the messages are made from, by the names their templates use (a "
        'wording that differs by language as {"zh": …, "en": …})'
    )
    url: str | None = Field(description="Where the rule is documented (docs/rules.md#rule-id)")
    fingerprint: str | None = Field(
        description="Stable fingerprint (layout, rule, sorted cells) that an explanation names"
    )
    explanation: str | None = Field(description="The report's explanation of this finding, if any")


class StaleExplanation(BaseModel):
    model_config = _CONFIG
    fingerprint: str
    text: str
    by: str | None
    at: str | None = Field(description="Date (ISO 8601)")


class NoteRecord(BaseModel):
    model_config = _CONFIG
    code: str = Field(description="Stable note code (LABEL-EDITED, ROW-MISSING, CELL-READ, …)")
    cell: str | None = Field(description="Place in the source (表三!D12, line 57, a sheet)")
    written: str | None = Field(description="What the source wrote there")
    became: str | None = Field(description="What it was read as (null: blank)")
    params: dict[str, int | str | list[str]] = Field(description="Parameters of the message")
    message: str = Field(description="The message in the language asked for")
    message_zh: str
    message_en: str


class ReportRecord(BaseModel):
    model_config = _CONFIG
    source: str | None = Field(description="The file (or report id) validated")
    ok: bool = Field(description="True when no finding is an error")
    errors: int
    warnings: int
    explained: int = Field(description="Findings the report explains")
    findings: list[FindingRecord]
    notes: list[NoteRecord] = Field(
        description="How the source was read where it was not exact (labels, rows)"
    )
    stale_explanations: list[StaleExplanation] = Field(
        description="Explanations whose finding no longer occurs"
    )


class Summary(BaseModel):
    model_config = _CONFIG
    reports: int
    ok: int
    errors: int
    warnings: int
    explained: int


class ValidationDocument(BaseModel):
    """What `ogi validate --json` prints: one document for all the inputs."""

    model_config = _CONFIG
    tool: str = "ogi-report"
    version: str = Field(LIBRARY_VERSION, description="Library version")
    schema_version: str = Field(SCHEMA_VERSION, description="Version of the report JSON Schema")
    catalogue_version: str = Field(CATALOGUE_VERSION, description="Version of the rule catalogue")
    lang: Lang
    summary: Summary
    reports: list[ReportRecord]


def finding_record(finding: Finding, lang: Lang) -> FindingRecord:
    """A finding outside a report's result (no layout known: no fingerprint, no explanation)."""
    return FindingRecord.model_validate({**finding.to_dict(lang), "fingerprint": None, "explanation": None})


def report_record(result: ValidationResult, lang: Lang) -> ReportRecord:
    return ReportRecord.model_validate(result.to_dict(lang))


def validation_document(results: Iterable[ValidationResult], lang: Lang = "zh") -> ValidationDocument:
    records = [report_record(r, lang) for r in results]
    summary = Summary(
        reports=len(records),
        ok=sum(r.ok for r in records),
        errors=sum(r.errors for r in records),
        warnings=sum(r.warnings for r in records),
        explained=sum(r.explained for r in records),
    )
    return ValidationDocument(lang=lang, summary=summary, reports=records)

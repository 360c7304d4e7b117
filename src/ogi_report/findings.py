"""Finding and ValidationResult: what validation returns (frozen, JSON-serialisable)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SkipValidation

from ogi_report.notes import ReadingNote

Lang = Literal["zh", "en"]
Value = int | Decimal | str | None
# A message parameter: a value, a wording in both languages ({"zh": …, "en": …}) or a list.
Param = Value | dict[str, Value] | list[Value]


class Severity(StrEnum):
    ERROR = "error"  # the report contradicts itself or the format
    WARNING = "warning"  # implausible or incomplete; may be legitimate


class Finding(BaseModel):
    """One problem found in one report: which rule, which cells, what was stated and expected."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str = Field(description="Stable rule id from the catalogue, e.g. T3-BALANCE")
    severity: Severity
    cells: tuple[str, ...] = Field(
        description="Cells involved as table.row.column codes (or metadata paths); the first is "
        "the cell the finding is about"
    )
    stated: Value = Field(None, description="The value the report states")
    expected: Value = Field(None, description="The value the rule expects, where it is determined")
    blanks: tuple[str, ...] = Field((), description="Cells involved that were blank (unknown)")
    fill: dict[str, Value] = Field(
        default_factory=dict,
        description="Blank cell -> the value it must take for the rule to hold, where determined",
    )
    message_zh: str = Field(description="Message in Chinese")
    message_en: str = Field(description="Message in English")
    report: str | None = Field(None, description="Report id or source the finding belongs to")
    source_cells: dict[str, str] = Field(
        default_factory=dict, description="Cell path -> place in the source (e.g. 表三!D12)"
    )
    # Not validated: built by the rules from values already checked, and validating nested unions
    # per finding would double the time of a report with many findings.
    params: SkipValidation[dict[str, Param]] = Field(
        default_factory=dict,
        description="The values the messages are made from, by the name their templates use (a "
        'wording that differs by language as {"zh": …, "en": …})',
    )
    url: str | None = Field(None, description="Where the rule is documented (docs/rules.md#rule-id)")

    def message(self, lang: Lang = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en

    def to_dict(self, lang: Lang = "zh") -> dict[str, Any]:
        """The documented output shape (keys rule, severity, cells, stated, expected, message…)."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "cells": list(self.cells),
            "stated": _json_value(self.stated),
            "expected": _json_value(self.expected),
            "blanks": list(self.blanks),
            "fill": {k: _json_value(v) for k, v in self.fill.items()},
            "message": self.message(lang),
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "source_cells": dict(self.source_cells),
            "params": {k: _json_param(v) for k, v in self.params.items()},
            "url": self.url,
        }


def _json_value(value: Value) -> int | str | None:
    return format(value, "f") if isinstance(value, Decimal) else value


def _json_param(value: Param) -> Any:
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return _json_value(value)


class ValidationResult(BaseModel):
    """Every finding for one report, in catalogue order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str | None = None
    findings: tuple[Finding, ...] = ()
    notes: tuple[ReadingNote, ...] = Field(
        (),
        description="How the source was read where it was not laid out exactly as the official "
        "tables (a retyped label, moved rows, a row not found): warnings about the reading itself",
    )

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        """True when no finding is an error (warnings allowed)."""
        return not self.errors

    def counts(self) -> Counter[tuple[str, Severity]]:
        return Counter((f.rule, f.severity) for f in self.findings)

    def to_dict(self, lang: Lang = "zh") -> dict[str, Any]:
        return {
            "source": self.source,
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.to_dict(lang) for f in self.findings],
            "notes": [n.to_dict(lang) for n in self.notes],
        }
